#include "serverprocess.h"

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
#include <QTcpServer>
#include <QTimer>
#include <QUrl>

#include <csignal>
#include <utility>

namespace sa::bench {

namespace {
constexpr int kPollIntervalMs = 100;
}

ServerProcess::ServerProcess(const ServerEntry &entry, QObject *parent)
    : QObject(parent)
    , m_entry(entry)
    , m_network(new QNetworkAccessManager(this))
    , m_pollTimer(new QTimer(this))
    , m_readinessDeadline(new QTimer(this))
    , m_killTimer(new QTimer(this))
{
    // Loopback only: an http_proxy in the environment must not see the probes.
    m_network->setProxy(QNetworkProxy::NoProxy);
    m_pollTimer->setInterval(kPollIntervalMs);
    connect(m_pollTimer, &QTimer::timeout, this, &ServerProcess::pollReadiness);
    m_readinessDeadline->setSingleShot(true);
    connect(m_readinessDeadline, &QTimer::timeout, this, [this] {
        if (m_ready || !m_process)
            return;
        const QString reason
            = QStringLiteral("%1 did not answer GET %2 within %3 s. Last lines of its log (%4):\n%5")
                  .arg(m_entry.name, baseUrl() + m_entry.readinessPath)
                  .arg(m_settings.readinessTimeoutMs / 1000.0)
                  .arg(m_settings.logPath, lastLogLines());
        m_pollTimer->stop();
        m_pendingFailure = reason; // reported once the group is gone
        m_stopping = true;
        platform::signalGroup(pid_t(m_pgid), SIGKILL);
    });
    m_killTimer->setSingleShot(true);
    connect(m_killTimer, &QTimer::timeout, this, [this] { platform::signalGroup(pid_t(m_pgid), SIGKILL); });
}

ServerProcess::~ServerProcess()
{
    if (m_process) {
        m_process->disconnect(this);
        platform::signalGroup(pid_t(m_pgid), SIGKILL);
        m_process->waitForFinished(2000);
    }
}

int ServerProcess::findFreePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

void ServerProcess::start(const Settings &settings)
{
    m_settings = settings;
    m_attempt = 0;
    launch();
}

void ServerProcess::launch()
{
    m_ready = false;
    m_stopping = false;
    ++m_attempt;
    m_port = findFreePort();
    if (m_port == 0) {
        QTimer::singleShot(
            0, this, [this] { Q_EMIT failed(QStringLiteral("no free TCP port on 127.0.0.1")); });
        return;
    }

    if (!m_settings.logPath.isEmpty())
        QDir().mkpath(QFileInfo(m_settings.logPath).absolutePath());

    const LaunchCommand command = m_entry.launchCommand(m_settings.host, m_port, m_settings.workers);
    auto *process = new QProcess(this);
    m_process = process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (auto it = command.environment.cbegin(); it != command.environment.cend(); ++it)
        environment.insert(it.key(), it.value());
    for (auto it = m_settings.environment.cbegin(); it != m_settings.environment.cend(); ++it) {
        if (it.value().isEmpty())
            environment.remove(it.key());
        else
            environment.insert(it.key(), it.value());
    }
    environment.insert(platform::ownerVariableName(), platform::ownerMarker());
    process->setProcessEnvironment(environment);
    process->setProgram(command.program);
    process->setArguments(command.arguments);
    if (!command.workingDirectory.isEmpty())
        process->setWorkingDirectory(command.workingDirectory);
    process->setProcessChannelMode(QProcess::MergedChannels);
    if (!m_settings.logPath.isEmpty())
        process->setStandardOutputFile(
            m_settings.logPath, m_attempt == 1 ? QIODevice::Truncate : QIODevice::Append);
    else
        process->setStandardOutputFile(QProcess::nullDevice());
    process->setStandardInputFile(QProcess::nullDevice());
    const platform::ChildSetup setup = platform::makeChildSetup(m_settings.cpus, SIGTERM);
    process->setChildProcessModifier([setup] { platform::applyInChild(setup); });

    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart || process != m_process)
            return;
        m_pollTimer->stop();
        m_readinessDeadline->stop();
        const QString reason
            = QStringLiteral("could not start %1: %2").arg(process->program(), process->errorString());
        process->deleteLater();
        m_process = nullptr;
        Q_EMIT failed(reason);
    });
    connect(process, &QProcess::finished, this, [this, process](int exitCode, QProcess::ExitStatus status) {
        if (process == m_process)
            onFinished(exitCode, int(status));
    });

    process->start();
    m_pgid = process->processId(); // setpgid(0, 0) in the child: pgid == pid
    m_pollInFlight = false;
    m_pollTimer->start();
    m_readinessDeadline->start(m_settings.readinessTimeoutMs);
}

void ServerProcess::pollReadiness()
{
    if (m_ready || m_pollInFlight || !m_process || m_process->state() != QProcess::Running)
        return;
    QNetworkRequest request(QUrl(baseUrl() + m_entry.readinessPath));
    request.setTransferTimeout(1000);
    QNetworkReply *reply = m_network->get(request);
    m_pollInFlight = true;
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        m_pollInFlight = false;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (m_ready || m_stopping || !m_process || reply->error() != QNetworkReply::NoError || status != 200)
            return;
        m_ready = true;
        m_pollTimer->stop();
        m_readinessDeadline->stop();
        Q_EMIT ready();
    });
}

QString ServerProcess::describeExit(int exitCode, int exitStatus) const
{
    if (exitStatus == QProcess::CrashExit)
        return QStringLiteral("%1 was killed by a signal or crashed").arg(m_entry.name);
    return QStringLiteral("%1 exited with code %2").arg(m_entry.name).arg(exitCode);
}

void ServerProcess::onFinished(int exitCode, int exitStatus)
{
    m_pollTimer->stop();
    m_readinessDeadline->stop();
    // Its workers may outlive the master by a moment: end the group.
    platform::signalGroup(pid_t(m_pgid), SIGKILL);
    if (m_stopping) {
        const QString failure = std::exchange(m_pendingFailure, QString());
        if (failure.isEmpty())
            finishStop([this] { Q_EMIT stopped(); });
        else
            finishStop([this, failure] { Q_EMIT failed(failure); });
        return;
    }
    const QString log = lastLogLines();
    if (!m_ready) {
        const bool portTaken = log.contains(QLatin1String("address already in use"), Qt::CaseInsensitive)
            || log.contains(QLatin1String("EADDRINUSE"));
        if (portTaken && m_attempt < m_settings.portAttempts) {
            finishStop([this] { launch(); }); // someone took the port between our check and the bind
            return;
        }
        const QString reason = QStringLiteral("%1 before it became ready. Last lines of its log (%2):\n%3")
                                   .arg(describeExit(exitCode, exitStatus), m_settings.logPath, log);
        finishStop([this, reason] { Q_EMIT failed(reason); });
        return;
    }
    const QString reason = QStringLiteral("%1 while it was being measured. Last lines of its log (%2):\n%3")
                               .arg(describeExit(exitCode, exitStatus), m_settings.logPath, log);
    finishStop([this, reason] { Q_EMIT exitedUnexpectedly(reason); });
}

void ServerProcess::finishStop(const std::function<void()> &then)
{
    if (m_process) {
        m_process->deleteLater();
        m_process = nullptr;
    }
    m_killTimer->stop();
    m_ready = false;
    // Workers that were reparented when the master exited: wait until the group
    // is empty so the next target gets an idle machine.
    auto *waiter = new QTimer(this);
    waiter->setInterval(20);
    const qint64 pgid = m_pgid;
    int rounds = 0;
    connect(waiter, &QTimer::timeout, this, [waiter, pgid, rounds, then]() mutable {
        const bool empty = platform::processGroupMembers(int(pgid)).isEmpty();
        if (!empty && ++rounds < 100) {
            platform::signalGroup(pid_t(pgid), SIGKILL);
            return;
        }
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
    platform::signalGroup(pid_t(m_pgid), SIGTERM);
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
    platform::signalGroup(pid_t(m_pgid), SIGKILL);
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
    return lines.mid(qMax<qsizetype>(0, lines.size() - count)).join(QLatin1Char('\n'));
}

} // namespace sa::bench
