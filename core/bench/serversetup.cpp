#include "serversetup.h"

#include "servercatalog.h"

#include "platform/paths.h"
#include "platform/processcontrol.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTimer>

#include <csignal>

namespace sa::bench {

namespace {

// Given to servers/build.sh as the toolchain of a family it must skip: a name no
// PATH lookup finds, so the script reports that family "not found" and moves on.
// Go is always skipped: the package ships the Go servers built.
const QString kSkipped = QStringLiteral("skipped-by-stackadvisor-servers-setup");

const QString kAgain = QStringLiteral("then run `stackadvisor servers setup` again");

// What pip and npm print when they cannot reach their registry.
bool saysNetworkFailed(const QString &line)
{
    static const QRegularExpression pattern(QStringLiteral(
        "Failed to establish a new connection|Temporary failure in name resolution"
        "|Name or service not known|Network is unreachable|Connection refused"
        "|ConnectTimeoutError|ReadTimeoutError|NewConnectionError|No matching distribution found"
        "|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH"
        "|network request to .* failed|request to .* failed, reason"));
    return pattern.match(line).hasMatch();
}

QString familyName(ServerSetup::Family family)
{
    return family == ServerSetup::Family::Python ? QStringLiteral("Python") : QStringLiteral("Node");
}

std::optional<ServerSetup::Family> familyOf(const ServerSetup::Options &options, const QString &id)
{
    if (const auto it = options.serverFamilies.constFind(id); it != options.serverFamilies.constEnd())
        return *it;
    return std::nullopt;
}

} // namespace

ServerSetup::ServerSetup(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<sa::bench::ServerSetup::Outcome>();
}

ServerSetup::~ServerSetup()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->disconnect(this);
        platform::signalGroup(pid_t(m_process->processId()), SIGKILL);
        m_process->waitForFinished(2000);
    }
}

ServerSetup::Options ServerSetup::defaultOptions()
{
    Options options;
    options.buildScript = Paths::serversSourceDir() + QLatin1String("/build.sh");
    options.outputDir = Paths::userServersDir();
    // Only the shipped catalog: a user's own servers are theirs to prepare.
    ServerCatalog::Sources sources = ServerCatalog::defaultSources();
    sources.userCatalogFile.clear();
    ServerCatalog catalog;
    QString error;
    if (catalog.load(sources, &error)) {
        for (const ServerEntry &entry : catalog.servers()) {
            if (const auto family = familyFromName(entry.setupFamily))
                options.serverFamilies.insert(entry.id, *family);
        }
    }
    return options;
}

QStringList ServerSetup::serverIds(const Options &options, Family family)
{
    QStringList ids;
    for (auto it = options.serverFamilies.cbegin(); it != options.serverFamilies.cend(); ++it) {
        if (*it == family)
            ids << it.key();
    }
    return ids;
}

std::optional<ServerSetup::Family> ServerSetup::familyFromName(QStringView name)
{
    if (name == QLatin1String("python"))
        return Family::Python;
    if (name == QLatin1String("node"))
        return Family::Node;
    return std::nullopt;
}

bool ServerSetup::isRunning() const
{
    return m_running;
}

QStringList ServerSetup::requestedIds() const
{
    QStringList ids;
    for (const Family family : m_options.families)
        ids += serverIds(m_options, family);
    return ids;
}

bool ServerSetup::start(const Options &options, QString *error)
{
    if (m_running) {
        *error = QStringLiteral("the servers are already being prepared; wait for it to finish");
        return false;
    }
    if (options.families.isEmpty()) {
        *error = QStringLiteral("no server family chosen: ask for python, node or both");
        return false;
    }
    if (!QFileInfo(options.buildScript).isFile()) {
        *error = QStringLiteral("the servers' build script %1 is missing: reinstall the stackadvisor package "
                                "(or, from a source checkout, run `make servers`)")
                     .arg(options.buildScript);
        return false;
    }
    if (options.outputDir.isEmpty() || !QDir().mkpath(options.outputDir)
        || !QFileInfo(options.outputDir).isWritable()) {
        *error
            = QStringLiteral("cannot create or write the folder %1: check its permissions and the free space")
                  .arg(options.outputDir);
        return false;
    }

    m_options = options;
    m_problems.clear();
    m_skipped.clear();
    m_networkFailure.clear();
    m_building.reset();
    m_startedIds.clear();
    m_partialOut.clear();
    m_partialErr.clear();
    m_python.clear();
    m_cancelled = false;
    m_running = true;

    // The toolchains are found as servers/build.sh finds them: $PYTHON, $NODE and
    // $NPM first, then PATH.
    const auto tool = [](const char *variable, const QString &name) {
        const QString fromEnvironment = qEnvironmentVariable(variable);
        return QStandardPaths::findExecutable(fromEnvironment.isEmpty() ? name : fromEnvironment);
    };
    if (wants(Family::Node)) {
        if (tool("NODE", QStringLiteral("node")).isEmpty()) {
            skip(Family::Node,
                QStringLiteral("Node.js is not installed, so %1 cannot be prepared: "
                               "install it (sudo apt install nodejs npm), ")
                        .arg(serverIds(options, Family::Node).join(QStringLiteral(", ")))
                    + kAgain);
        } else if (tool("NPM", QStringLiteral("npm")).isEmpty()) {
            skip(Family::Node,
                QStringLiteral("npm is not installed, so %1 cannot be prepared: "
                               "install it (sudo apt install npm), ")
                        .arg(serverIds(options, Family::Node).join(QStringLiteral(", ")))
                    + kAgain);
        }
    }
    if (wants(Family::Python)) {
        m_python = tool("PYTHON", QStringLiteral("python3"));
        if (m_python.isEmpty()) {
            skip(Family::Python,
                QStringLiteral("Python 3 is not installed, so the Python servers cannot be "
                               "prepared: install it (sudo apt install python3 python3-venv "
                               "python3-pip), ")
                    + kAgain);
        }
    }
    // Asynchronous from here on, also when nothing is left to run: callers connect
    // to the signals after start() returns.
    const bool probe = wants(Family::Python) && !m_skipped.contains(Family::Python);
    QTimer::singleShot(0, this, probe ? &ServerSetup::probePython : &ServerSetup::runBuild);
    return true;
}

// venv and pip are separate Debian packages from python3, and a Python older
// than the servers' wheels need fails deep inside pip: find out first.
void ServerSetup::probePython()
{
    emit progress(0, int(requestedIds().size()), QStringLiteral("Checking Python at %1").arg(m_python));
    auto *process = new QProcess(this);
    m_process = process;
    process->setProgram(m_python);
    process->setArguments({ QStringLiteral("-c"),
        QStringLiteral("import importlib.util, sys\n"
                       "print('%d.%d' % sys.version_info[:2])\n"
                       "print(' '.join(m for m in ('venv', 'ensurepip', 'pip')"
                       " if importlib.util.find_spec(m) is None))\n") });
    connect(process, &QProcess::finished, this, [this, process](int exitCode, QProcess::ExitStatus status) {
        process->deleteLater();
        if (m_cancelled) {
            finish({});
            return;
        }
        const QStringList lines
            = QString::fromUtf8(process->readAllStandardOutput()).split(QLatin1Char('\n'));
        const QString version = lines.value(0).trimmed();
        const QStringList missing = lines.value(1).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        const QStringList parts = version.split(QLatin1Char('.'));
        if (status != QProcess::NormalExit || exitCode != 0 || parts.size() != 2) {
            skip(Family::Python,
                QStringLiteral("%1 does not run: reinstall Python 3 (sudo apt install --reinstall python3), ")
                        .arg(m_python)
                    + kAgain);
        } else if (parts.at(0).toInt() < 3 || (parts.at(0).toInt() == 3 && parts.at(1).toInt() < 10)) {
            skip(Family::Python,
                QStringLiteral("Python %1 at %2 is too old: the Python servers need 3.10 or newer; "
                               "install a newer python3, ")
                        .arg(version, m_python)
                    + kAgain);
        } else if (missing.contains(QLatin1String("pip"))) {
            skip(Family::Python,
                QStringLiteral("pip is missing for Python %1: install it (sudo apt install python3-pip), ")
                        .arg(version)
                    + kAgain);
        } else if (!missing.isEmpty()) {
            skip(Family::Python,
                QStringLiteral("Python %1 cannot create virtual environments (no %2 module): install "
                               "python3-venv (sudo apt install python3-venv), ")
                        .arg(version, missing.join(QLatin1String(", ")))
                    + kAgain);
        }
        runBuild();
    });
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        process->deleteLater();
        skip(Family::Python,
            QStringLiteral("cannot run %1 (%2): reinstall Python 3, ").arg(m_python, process->errorString())
                + kAgain);
        runBuild();
    });
    process->start();
}

void ServerSetup::runBuild()
{
    const bool python = wants(Family::Python) && !m_skipped.contains(Family::Python);
    const bool node = wants(Family::Node) && !m_skipped.contains(Family::Node);
    if (m_cancelled || (!python && !node)) {
        finish({});
        return;
    }

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("GO"), kSkipped);
    environment.insert(QStringLiteral("PYTHON"), python ? m_python : kSkipped);
    if (!node) {
        environment.insert(QStringLiteral("NODE"), kSkipped);
        environment.insert(QStringLiteral("NPM"), kSkipped);
    }
    environment.insert(platform::ownerVariableName(), platform::ownerMarker());

    auto *process = new QProcess(this);
    m_process = process;
    process->setProcessEnvironment(environment);
    process->setProgram(QStringLiteral("bash"));
    process->setArguments({ m_options.buildScript, m_options.outputDir });
    process->setWorkingDirectory(m_options.outputDir);
    const platform::ChildSetup setup = platform::makeChildSetup({});
    process->setChildProcessModifier([setup] { platform::applyInChild(setup); });
    connect(process, &QProcess::readyReadStandardOutput, this, &ServerSetup::onBuildOutput);
    connect(process, &QProcess::readyReadStandardError, this, &ServerSetup::onBuildOutput);
    connect(process, &QProcess::finished, this, &ServerSetup::onBuildFinished);
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        process->deleteLater();
        m_problems << QStringLiteral("cannot run bash for %1: %2")
                          .arg(m_options.buildScript, process->errorString());
        finish({});
    });
    emit progress(0, int(requestedIds().size()),
        QStringLiteral("Preparing the servers in %1").arg(m_options.outputDir));
    process->start();
}

void ServerSetup::onBuildOutput()
{
    if (!m_process)
        return;
    for (auto [buffer, channel] : { std::pair { &m_partialOut, QProcess::StandardOutput },
             std::pair { &m_partialErr, QProcess::StandardError } }) {
        m_process->setReadChannel(channel);
        *buffer += m_process->readAll();
        qsizetype newline;
        while ((newline = buffer->indexOf('\n')) >= 0) {
            handleLine(QString::fromUtf8(buffer->left(newline)).trimmed());
            buffer->remove(0, newline + 1);
        }
    }
}

void ServerSetup::handleLine(const QString &line)
{
    if (line.isEmpty())
        return;
    // build.sh's own lines: "servers: <id>: <what it does>"; the skipped Go family
    // is none of the user's business here.
    static const QRegularExpression ownLine(QStringLiteral("^servers: ([a-z0-9-]+): (.*)$"));
    // (The installed copy has no Go sources, and build.sh reads go.mod first.)
    if (line.startsWith(QLatin1String("servers: Go:")) || line.contains(kSkipped)
        || line.contains(QLatin1String("go.mod")))
        return;
    if (m_building && saysNetworkFailed(line) && !m_networkFailure.contains(*m_building))
        m_networkFailure.insert(*m_building, line);
    const QRegularExpressionMatch match = ownLine.match(line);
    if (match.hasMatch() && requestedIds().contains(match.captured(1))
        && !m_startedIds.contains(match.captured(1))) {
        m_building = familyOf(m_options, match.captured(1));
        m_startedIds << match.captured(1);
        emit progress(int(m_startedIds.size()) - 1, int(requestedIds().size()),
            QStringLiteral("%1: %2").arg(match.captured(1), match.captured(2)));
    }
    emit outputLine(line);
}

void ServerSetup::onBuildFinished(int, QProcess::ExitStatus)
{
    if (m_process) {
        onBuildOutput();
        for (QByteArray *rest : { &m_partialOut, &m_partialErr }) {
            handleLine(QString::fromUtf8(*rest).trimmed());
            rest->clear();
        }
        m_process->deleteLater();
    }
    finish({});
}

void ServerSetup::cancel()
{
    if (!m_running)
        return;
    m_cancelled = true;
    if (m_process && m_process->state() != QProcess::NotRunning) {
        const pid_t pid = pid_t(m_process->processId());
        platform::signalGroup(pid, SIGTERM);
        // pip and npm may ignore SIGTERM while they write; the group goes anyway.
        QTimer::singleShot(2000, m_process, [pid] { platform::signalGroup(pid, SIGKILL); });
    }
}

void ServerSetup::finish(Outcome outcome)
{
    if (!m_running)
        return;
    m_running = false;
    outcome.cancelled = m_cancelled;
    outcome.problems = m_problems;

    QJsonObject servers;
    QFile manifest(QDir(m_options.outputDir).filePath(QStringLiteral("manifest.json")));
    if (manifest.open(QIODevice::ReadOnly))
        servers
            = QJsonDocument::fromJson(manifest.readAll()).object().value(QLatin1String("servers")).toObject();

    QList<Family> explained = m_skipped;
    for (const QString &id : requestedIds()) {
        const QJsonObject entry = servers.value(id).toObject();
        if (entry.value(QLatin1String("ready")).toBool()) {
            outcome.readyIds << id;
            continue;
        }
        const Family family = *familyOf(m_options, id);
        if (m_cancelled || explained.contains(family))
            continue;
        if (const auto failure = m_networkFailure.constFind(family); failure != m_networkFailure.cend()) {
            const bool python = family == Family::Python;
            outcome.networkUnreachable = true;
            outcome.problems << QStringLiteral(
                                    "The network seems unreachable: %1 could not download the %2 "
                                    "packages (%3). Check the internet connection, or the proxy or "
                                    "mirror set in %4, ")
                                    .arg(python ? QStringLiteral("pip") : QStringLiteral("npm"),
                                        familyName(family), *failure,
                                        python ? QStringLiteral("pip.conf") : QStringLiteral(".npmrc"))
                    + kAgain;
            explained << family;
            continue;
        }
        const QString reason = entry.value(QLatin1String("reason")).toString();
        outcome.problems << QStringLiteral("%1 was not prepared: %2")
                                .arg(id,
                                    reason.isEmpty() ? QStringLiteral("the build did not report it")
                                                     : reason);
    }
    if (m_cancelled)
        outcome.problems << QStringLiteral(
            "Cancelled: the servers prepared so far are kept; run setup again to finish.");
    outcome.ok
        = !m_cancelled && outcome.problems.isEmpty() && outcome.readyIds.size() == requestedIds().size();
    const int total = int(requestedIds().size());
    emit progress(outcome.ok ? total : int(outcome.readyIds.size()), total,
        outcome.ok ? QStringLiteral("All %1 servers are ready").arg(total)
                   : QStringLiteral("%1 of %2 servers ready").arg(outcome.readyIds.size()).arg(total));
    emit finished(outcome);
}

void ServerSetup::skip(Family family, const QString &problem)
{
    if (!m_skipped.contains(family))
        m_skipped << family;
    m_problems << problem;
}

} // namespace sa::bench
