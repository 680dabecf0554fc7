#include "serverprocess.h"

#include "platform/containment.h"
#include "platform/printable.h"
#include "platform/processcontrol.h"
#include "platform/procfs.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTimer>
#include <QUrl>

#include <csignal>
#include <cstring>
#include <utility>

namespace sa::bench {

namespace {
constexpr int kPollIntervalMs = 100;
constexpr int kLogCheckIntervalMs = 500;
constexpr int kStopPollMs = 20;
// After SIGKILL, how long a tree may take to be reaped before we give up on it.
constexpr int kKillRounds = 100;
} // namespace

ServerProcess::ServerProcess(const ServerEntry &entry, QObject *parent)
    : QObject(parent)
    , m_entry(entry)
    , m_network(new QNetworkAccessManager(this))
    , m_pollTimer(new QTimer(this))
    , m_readinessDeadline(new QTimer(this))
    , m_killTimer(new QTimer(this))
    , m_logTimer(new QTimer(this))
{
    // Loopback only: an http_proxy in the environment must not see the probes.
    m_network->setProxy(QNetworkProxy::NoProxy);
    m_pollTimer->setInterval(kPollIntervalMs);
    connect(m_pollTimer, &QTimer::timeout, this, &ServerProcess::pollReadiness);
    m_readinessDeadline->setSingleShot(true);
    connect(m_readinessDeadline, &QTimer::timeout, this, [this] {
        if (m_ready || !m_process)
            return;
        const QString answer
            = m_lastAnswer.isEmpty() ? QString() : QLatin1String(" (") + m_lastAnswer + QLatin1Char(')');
        const QString reason
            = QStringLiteral("%1 did not answer GET %2 within %3 s%4. Last lines of its log (%5):\n%6")
                  .arg(platform::printableText(m_entry.name), baseUrl() + m_entry.readinessPath)
                  .arg(m_settings.readinessTimeoutMs / 1000.0)
                  .arg(answer, m_settings.logPath, lastLogLines());
        m_pollTimer->stop();
        m_pendingFailure = reason; // reported once everything is gone
        m_stopping = true;
        m_containment->killAll();
    });
    m_killTimer->setSingleShot(true);
    connect(m_killTimer, &QTimer::timeout, this, &ServerProcess::onGraceOver);
    m_logTimer->setInterval(kLogCheckIntervalMs);
    connect(m_logTimer, &QTimer::timeout, this, &ServerProcess::capLog);
}

ServerProcess::~ServerProcess()
{
    if (m_process) {
        m_process->disconnect(this);
        if (m_containment)
            m_containment->killAll();
        platform::signalGroup(pid_t(m_pgid), SIGKILL);
        m_process->waitForFinished(2000);
    }
    // The containment's destructor ends any straggler and removes the cgroup.
}

int ServerProcess::findFreePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

int ServerProcess::pruneLogFolders(const QString &logsRoot, int keep)
{
    static const QRegularExpression runFolder(QStringLiteral("^\\d{8}-\\d{6}-\\d{3}$"));
    QStringList runs;
    for (const QString &name : QDir(logsRoot).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        if (runFolder.match(name).hasMatch())
            runs << name;
    }
    int removed = 0;
    for (qsizetype i = 0; i + keep < runs.size(); ++i) {
        if (QDir(QDir(logsRoot).filePath(runs.at(i))).removeRecursively())
            ++removed;
    }
    return removed;
}

void ServerProcess::start(const Settings &settings)
{
    m_settings = settings;
    m_attempt = 0;
    m_warnings.clear();
    launch();
}

void ServerProcess::launch()
{
    m_ready = false;
    m_stopping = false;
    m_lastAnswer.clear();
    ++m_attempt;
    m_port = findFreePort();
    if (m_port == 0) {
        QTimer::singleShot(
            0, this, [this] { Q_EMIT failed(QStringLiteral("no free TCP port on 127.0.0.1")); });
        return;
    }

    if (!m_settings.logPath.isEmpty()) {
        QDir().mkpath(QFileInfo(m_settings.logPath).absolutePath());
        if (m_attempt == 1) {
            QFile log(m_settings.logPath);
            if (log.open(QIODevice::WriteOnly | QIODevice::Truncate))
                log.close();
        }
    }

    m_containment = std::make_unique<platform::ChildContainment>(m_entry.id, m_settings.useCgroup);
    if (m_settings.useCgroup && m_containment->kind() != platform::ChildContainment::Kind::Cgroup)
        addWarning(QStringLiteral("%1 ran in its process group, not in a cgroup of its own: %2")
                       .arg(platform::printableText(m_entry.name), m_containment->description()));

    const LaunchCommand command = m_entry.launchCommand(m_settings.host, m_port, m_settings.workers);
    auto *process = new QProcess(this);
    m_process = process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (auto it = command.environment.cbegin(); it != command.environment.cend(); ++it)
        environment.insert(it.key(), it.value());
    m_containment->markEnvironment(&environment);
    process->setProcessEnvironment(environment);
    process->setProgram(command.program);
    process->setArguments(command.arguments);
    if (!command.workingDirectory.isEmpty())
        process->setWorkingDirectory(command.workingDirectory);
    process->setProcessChannelMode(QProcess::MergedChannels);
    // Appending (O_APPEND) lets capLog() cut the file while the server writes to it.
    if (!m_settings.logPath.isEmpty())
        process->setStandardOutputFile(m_settings.logPath, QIODevice::Append);
    else
        process->setStandardOutputFile(QProcess::nullDevice());
    process->setStandardInputFile(QProcess::nullDevice());
    const platform::ChildSetup setup = m_containment->childSetup(m_settings.cpus, SIGTERM);
    process->setChildProcessModifier([setup] { platform::applyInChild(setup); });

    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart || process != m_process)
            return;
        m_pollTimer->stop();
        m_readinessDeadline->stop();
        m_logTimer->stop();
        const QString reason
            = QStringLiteral("could not start %1: %2").arg(process->program(), process->errorString());
        process->deleteLater();
        m_process = nullptr;
        m_containment.reset();
        Q_EMIT failed(reason);
    });
    connect(process, &QProcess::started, this, [this, process] {
        if (process == m_process)
            onStarted();
    });
    connect(process, &QProcess::finished, this, [this, process](int exitCode, QProcess::ExitStatus status) {
        if (process == m_process)
            onFinished(exitCode, int(status));
    });

    process->start();
    m_pgid = process->processId(); // setsid() in the child: pgid == pid
    m_pollInFlight = false;
    m_pollTimer->start();
    m_readinessDeadline->start(m_settings.readinessTimeoutMs);
    if (!m_settings.logPath.isEmpty() && m_settings.logCapBytes > 0)
        m_logTimer->start();
}

void ServerProcess::onStarted()
{
    const bool wantedCgroup = m_containment->kind() == platform::ChildContainment::Kind::Cgroup;
    m_containment->attach(m_process->processId(), m_settings.stopGraceMs);
    if (wantedCgroup && m_containment->kind() != platform::ChildContainment::Kind::Cgroup)
        addWarning(QStringLiteral("%1 ran in its process group, not in a cgroup of its own: %2")
                       .arg(platform::printableText(m_entry.name), m_containment->description()));
}

void ServerProcess::pollReadiness()
{
    if (m_ready || m_pollInFlight || !m_process || m_process->state() != QProcess::Running)
        return;
    QNetworkRequest request(QUrl(baseUrl() + m_entry.readinessPath));
    request.setTransferTimeout(1000);
    // The probe talks to the server's own address only: a redirect is an answer
    // ("not ready"), never a place to go.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = m_network->get(request);
    m_pollInFlight = true;
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        m_pollInFlight = false;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status >= 300 && status < 400) {
            m_lastAnswer
                = QStringLiteral("it answered %1 with a redirect to %2, which the probe does not "
                                 "follow: the readiness path must answer 200 itself")
                      .arg(status)
                      .arg(platform::printableText(QString::fromLatin1(reply->rawHeader("Location"))));
        } else if (status != 0 && status != 200) {
            m_lastAnswer = QStringLiteral("its last answer was %1").arg(status);
        }
        if (m_ready || m_stopping || !m_process || reply->error() != QNetworkReply::NoError || status != 200)
            return;
        m_ready = true;
        m_pollTimer->stop();
        m_readinessDeadline->stop();
        checkListeningSockets();
        Q_EMIT ready();
    });
}

void ServerProcess::checkListeningSockets()
{
    QStringList wildcards;
    for (const platform::HeldSocket &held : platform::listeningSocketsOf(m_containment->members())) {
        if (!held.socket.wildcard)
            continue;
        const QString where = QStringLiteral("%1 port %2").arg(held.socket.address).arg(held.socket.port);
        if (!wildcards.contains(where))
            wildcards << where;
    }
    if (!wildcards.isEmpty()) {
        addWarning(QStringLiteral("%1 listens on %2, that is on every network interface, not only on %3: "
                                  "other machines can reach it while it runs. Make it bind HOST "
                                  "(servers/CONTRACT.md)")
                       .arg(platform::printableText(m_entry.name), wildcards.join(QLatin1String(" and ")),
                           m_settings.host));
    }
}

QString ServerProcess::describeExit(int exitCode, int exitStatus) const
{
    const QString name = platform::printableText(m_entry.name);
    if (exitStatus == QProcess::CrashExit) {
        // QProcess gives the signal as the exit code of a crash.
        const char *abbreviation = exitCode > 0 ? ::sigabbrev_np(exitCode) : nullptr;
        if (!abbreviation)
            return QStringLiteral("%1 was killed by a signal or crashed").arg(name);
        return QStringLiteral("%1 was killed by signal %2 (SIG%3)")
            .arg(name)
            .arg(exitCode)
            .arg(QLatin1String(abbreviation));
    }
    return QStringLiteral("%1 exited with code %2").arg(name).arg(exitCode);
}

void ServerProcess::onFinished(int exitCode, int exitStatus)
{
    m_pollTimer->stop();
    m_readinessDeadline->stop();
    if (m_stopping) {
        const QString failure = std::exchange(m_pendingFailure, QString());
        if (failure.isEmpty()) {
            // Its workers may take a moment more; what outlives the grace period is
            // a warning (onGraceOver).
            finishStop([this] { Q_EMIT stopped(); }, m_killTimer->isActive());
        } else {
            finishStop([this, failure] { Q_EMIT failed(failure); }, false);
        }
        return;
    }
    const QString log = lastLogLines();
    if (!m_ready) {
        const bool portTaken = log.contains(QLatin1String("address already in use"), Qt::CaseInsensitive)
            || log.contains(QLatin1String("EADDRINUSE"));
        if (portTaken && m_attempt < m_settings.portAttempts) {
            finishStop([this] { launch(); }, false); // someone took the port between our check and the bind
            return;
        }
        const QString reason = QStringLiteral("%1 before it became ready. Last lines of its log (%2):\n%3")
                                   .arg(describeExit(exitCode, exitStatus), m_settings.logPath, log);
        finishStop([this, reason] { Q_EMIT failed(reason); }, false);
        return;
    }
    const QString reason = QStringLiteral("%1 while it was being measured. Last lines of its log (%2):\n%3")
                               .arg(describeExit(exitCode, exitStatus), m_settings.logPath, log);
    finishStop([this, reason] { Q_EMIT exitedUnexpectedly(reason); }, false);
}

void ServerProcess::onGraceOver()
{
    if (!m_containment)
        return;
    const QList<int> left = m_containment->members();
    if (!left.isEmpty()) {
        const bool one = left.size() == 1;
        addWarning(
            QStringLiteral("%1 left %2 running %3 s after SIGTERM (%4); %5 ended with %6")
                .arg(platform::printableText(m_entry.name),
                    one ? QStringLiteral("a process") : QStringLiteral("%1 processes").arg(left.size()))
                .arg(m_settings.stopGraceMs / 1000.0)
                .arg(platform::printableText(platform::describeProcesses(left)),
                    one ? QStringLiteral("it was") : QStringLiteral("they were"),
                    m_containment->kind() == platform::ChildContainment::Kind::Cgroup
                        ? QStringLiteral("cgroup.kill")
                        : QStringLiteral("SIGKILL")));
    }
    m_containment->killAll();
}

void ServerProcess::finishStop(const std::function<void()> &then, bool gentle)
{
    if (m_process) {
        m_process->deleteLater();
        m_process = nullptr;
    }
    if (!gentle)
        m_killTimer->stop();
    m_logTimer->stop();
    m_ready = false;
    // Workers reparented when the master exited, processes that left its group:
    // wait until nothing is left, so that the next target gets an idle machine.
    auto *waiter = new QTimer(this);
    waiter->setInterval(kStopPollMs);
    int rounds = 0;
    connect(waiter, &QTimer::timeout, this, [this, waiter, rounds, then]() mutable {
        platform::ChildContainment *tree = m_containment.get();
        const QList<int> left = tree ? tree->members() : QList<int> {};
        if (left.isEmpty() && (!tree || tree->release())) {
            m_killTimer->stop();
            waiter->deleteLater();
            then();
            return;
        }
        if (m_killTimer->isActive())
            return; // the grace period is still running
        if (tree)
            tree->killAll();
        if (++rounds < kKillRounds)
            return;
        addWarning(QStringLiteral("%1: could not end %2")
                       .arg(platform::printableText(m_entry.name),
                           platform::printableText(platform::describeProcesses(left))));
        waiter->deleteLater();
        then();
    });
    waiter->start();
}

void ServerProcess::stop()
{
    if (!m_process) {
        QTimer::singleShot(0, this, [this] { Q_EMIT stopped(); });
        return;
    }
    m_stopping = true;
    m_pollTimer->stop();
    m_readinessDeadline->stop();
    m_containment->signalGroup(SIGTERM);
    m_killTimer->start(m_settings.stopGraceMs);
}

void ServerProcess::kill()
{
    if (!m_process) {
        QTimer::singleShot(0, this, [this] { Q_EMIT stopped(); });
        return;
    }
    m_stopping = true;
    m_pollTimer->stop();
    m_readinessDeadline->stop();
    m_killTimer->stop();
    m_containment->killAll();
}

void ServerProcess::addWarning(const QString &message)
{
    m_warnings << message;
    Q_EMIT warning(message);
}

void ServerProcess::capLog()
{
    const qint64 size = QFileInfo(m_settings.logPath).size();
    if (size <= m_settings.logCapBytes)
        return;
    QFile log(m_settings.logPath);
    if (!log.open(QIODevice::ReadWrite) || !log.resize(qMin(kLogHeadBytes, m_settings.logCapBytes)))
        return;
    log.close();
    // The server writes with O_APPEND: its next line lands after this one.
    if (log.open(QIODevice::WriteOnly | QIODevice::Append))
        log.write(QStringLiteral("\n[stackadvisor: this log passed %1 MiB; %2 bytes were dropped here]\n")
                      .arg(double(m_settings.logCapBytes) / (1024.0 * 1024.0))
                      .arg(size - qMin(kLogHeadBytes, m_settings.logCapBytes))
                      .toUtf8());
}

bool ServerProcess::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 ServerProcess::pid() const
{
    return m_process ? m_process->processId() : 0;
}

QString ServerProcess::baseUrl() const
{
    return QStringLiteral("http://%1:%2").arg(m_settings.host).arg(m_port);
}

QString ServerProcess::lastLogLines(int count) const
{
    QFile file(m_settings.logPath);
    if (m_settings.logPath.isEmpty() || !file.open(QIODevice::ReadOnly))
        return QStringLiteral("(no log)");
    // The tail is enough; a chatty server's log can be large.
    if (file.size() > 16384)
        file.seek(file.size() - 16384);
    QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    while (!lines.isEmpty() && lines.constLast().trimmed().isEmpty())
        lines.removeLast();
    if (lines.isEmpty())
        return QStringLiteral("(the log is empty)");
    // A log is the server's to write: shown, never obeyed by the terminal.
    return platform::printableText(
        lines.mid(qMax<qsizetype>(0, lines.size() - count)).join(QLatin1Char('\n')), true);
}

} // namespace sa::bench
