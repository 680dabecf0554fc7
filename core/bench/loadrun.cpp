#include "loadrun.h"

#include "latencyhistogram.h"

#include "platform/processcontrol.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTimer>

#include <csignal>

namespace sa::bench {

namespace {

QString seconds(double value)
{
    // The generator takes ms/s/m units; milliseconds keep fractions exact.
    return QString::number(qRound64(value * 1000.0)) + QLatin1String("ms");
}

} // namespace

LoadRun::LoadRun(QObject *parent) : QObject(parent), m_watchdog(new QTimer(this))
{
    m_watchdog->setSingleShot(true);
    connect(m_watchdog, &QTimer::timeout, this, [this] {
        if (!m_process)
            return;
        m_cancelled = true;
        platform::signalGroup(pid_t(m_process->processId()), SIGKILL);
        Q_EMIT failed(QStringLiteral("the load generator did not finish in time and was stopped"));
    });
}

LoadRun::~LoadRun()
{
    if (m_process) {
        m_process->disconnect(this);
        platform::signalGroup(pid_t(m_process->processId()), SIGKILL);
        m_process->waitForFinished(2000);
    }
}

std::optional<LoadLine> LoadRun::parseLine(const QByteArray &line, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = QStringLiteral("the load generator printed a line that is not JSON: %1")
                     .arg(QString::fromUtf8(line.left(200)));
        return std::nullopt;
    }
    const QJsonObject o = document.object();
    const QString type = o.value(QLatin1String("type")).toString();
    LoadLine parsed;
    if (type == QLatin1String("start")) {
        parsed.type = LoadLine::Type::Start;
        parsed.version = o.value(QLatin1String("version")).toString();
        return parsed;
    }
    if (type == QLatin1String("interval")) {
        parsed.type = LoadLine::Type::Interval;
        IntervalSample &s = parsed.interval;
        s.tSeconds = o.value(QLatin1String("t_s")).toDouble();
        s.warmup = o.value(QLatin1String("phase")).toString() == QLatin1String("warmup");
        s.requests = o.value(QLatin1String("requests")).toInteger();
        s.requestsPerSecond = o.value(QLatin1String("rps")).toDouble();
        s.errors = errorsFromJson(o.value(QLatin1String("errors")).toObject());
        const QJsonObject latency = o.value(QLatin1String("latency_us")).toObject();
        s.p50Us = latency.value(QLatin1String("p50")).toDouble();
        s.p90Us = latency.value(QLatin1String("p90")).toDouble();
        s.p99Us = latency.value(QLatin1String("p99")).toDouble();
        s.maxUs = latency.value(QLatin1String("max")).toDouble();
        return parsed;
    }
    if (type == QLatin1String("summary")) {
        parsed.type = LoadLine::Type::Summary;
        LoadSummary &s = parsed.summary;
        if (!o.value(QLatin1String("requests")).isDouble()
            || !o.value(QLatin1String("latency_us")).isObject()) {
            *error = QStringLiteral("the load generator's summary lacks 'requests' or 'latency_us'");
            return std::nullopt;
        }
        s.durationSeconds = o.value(QLatin1String("duration_s")).toDouble();
        s.requests = o.value(QLatin1String("requests")).toInteger();
        s.requestsPerSecond = o.value(QLatin1String("rps")).toDouble();
        s.bytesRead = o.value(QLatin1String("bytes_read")).toInteger();
        s.errors = errorsFromJson(o.value(QLatin1String("errors")).toObject());
        const QJsonObject status = o.value(QLatin1String("status")).toObject();
        s.status1xx = status.value(QLatin1String("1xx")).toInteger();
        s.status2xx = status.value(QLatin1String("2xx")).toInteger();
        s.status3xx = status.value(QLatin1String("3xx")).toInteger();
        s.status4xx = status.value(QLatin1String("4xx")).toInteger();
        s.status5xx = status.value(QLatin1String("5xx")).toInteger();
        s.reconnects = o.value(QLatin1String("reconnects")).toInteger();
        s.latency = latencyFromJson(o.value(QLatin1String("latency_us")).toObject());
        if (o.value(QLatin1String("uncorrected_latency_us")).isObject())
            s.uncorrectedLatency
                = latencyFromJson(o.value(QLatin1String("uncorrected_latency_us")).toObject());
        if (o.value(QLatin1String("send_lag_us")).isObject())
            s.sendLag = sendLagFromJson(o.value(QLatin1String("send_lag_us")).toObject());
        const QJsonObject saturation = o.value(QLatin1String("saturation")).toObject();
        s.saturated = saturation.value(QLatin1String("saturated")).toBool();
        s.saturationReason = saturation.value(QLatin1String("reason")).toString();
        s.connectionsExhausted = saturation.value(QLatin1String("connections_exhausted")).toBool();
        s.connectionsNote = saturation.value(QLatin1String("connections_note")).toString();
        s.scheduleLagMs = saturation.value(QLatin1String("schedule_lag_ms")).toDouble();
        s.generatorCpuPercent = saturation.value(QLatin1String("generator_cpu_pct")).toDouble();
        s.pollingSeconds
            = o.value(QLatin1String("generator_cpu_s")).toObject().value(QLatin1String("polling")).toDouble();
        QList<std::pair<double, qint64>> buckets;
        const QJsonArray histogram
            = o.value(QLatin1String("histogram")).toObject().value(QLatin1String("buckets")).toArray();
        for (const QJsonValue &bucket : histogram) {
            const QJsonArray pair = bucket.toArray();
            buckets.append({ pair.at(0).toDouble(), pair.at(1).toInteger() });
        }
        s.latencyHistogram = regroupLatencies(buckets);
        return parsed;
    }
    *error = QStringLiteral("the load generator printed a line of unknown type '%1'").arg(type);
    return std::nullopt;
}

void LoadRun::start(const Settings &settings)
{
    m_settings = settings;
    m_buffer.clear();
    m_stderr.clear();
    m_summary.reset();
    m_parseError.clear();
    m_cancelled = false;

    if (!QFileInfo(settings.program).isExecutable()) {
        QTimer::singleShot(0, this, [this] {
            Q_EMIT failed(
                QStringLiteral("the load generator %1 was not found; build the stackadvisor-load target")
                    .arg(m_settings.program));
        });
        return;
    }

    m_arguments = QStringList { QStringLiteral("--json"), QStringLiteral("-c"),
        QString::number(settings.connections), QStringLiteral("-t"),
        QString::number(qMax(1, settings.threads)), QStringLiteral("-d"), seconds(settings.durationSeconds),
        QStringLiteral("--warmup"), seconds(settings.warmupSeconds), QStringLiteral("--timeout"),
        seconds(settings.timeoutSeconds), QStringLiteral("--interval"), seconds(settings.intervalSeconds) };
    if (settings.rate > 0)
        m_arguments << QStringLiteral("--rate") << QString::number(settings.rate, 'f', 0);
    if (!settings.cpus.isEmpty())
        m_arguments << QStringLiteral("--cpus") << platform::formatCpuList(settings.cpus);
    if (settings.allowRemote)
        m_arguments << QStringLiteral("--allow-remote");
    if (settings.noPoll)
        m_arguments << QStringLiteral("--no-poll");
    m_arguments << settings.url;

    auto *process = new QProcess(this);
    m_process = process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(platform::ownerVariableName(), platform::ownerMarker());
    process->setProcessEnvironment(environment);
    process->setProgram(settings.program);
    process->setArguments(m_arguments);
    process->setStandardInputFile(QProcess::nullDevice());
    const platform::ChildSetup setup = platform::makeChildSetup(settings.cpus, SIGKILL);
    process->setChildProcessModifier([setup] { platform::applyInChild(setup); });
    connect(process, &QProcess::readyReadStandardOutput, this, &LoadRun::readLines);
    connect(process, &QProcess::readyReadStandardError, this, [this, process] {
        m_stderr += process->readAllStandardError();
        if (m_stderr.size() > 65536)
            m_stderr = m_stderr.right(65536);
    });
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart || process != m_process)
            return;
        m_watchdog->stop();
        const QString reason = QStringLiteral("could not start the load generator %1: %2")
                                   .arg(process->program(), process->errorString());
        process->deleteLater();
        m_process = nullptr;
        Q_EMIT failed(reason);
    });
    connect(process, &QProcess::finished, this, [this, process](int exitCode, QProcess::ExitStatus status) {
        if (process == m_process)
            onFinished(exitCode, int(status));
    });
    process->start();
    // Generous: start-up, the windows, a slow last request, the summary.
    m_watchdog->start(
        int((settings.warmupSeconds + settings.durationSeconds + 2 * settings.timeoutSeconds + 15) * 1000));
}

void LoadRun::readLines()
{
    if (!m_process)
        return;
    m_buffer += m_process->readAllStandardOutput();
    qsizetype newline;
    while ((newline = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_buffer.left(newline).trimmed();
        m_buffer.remove(0, newline + 1);
        if (line.isEmpty())
            continue;
        QString error;
        const auto parsed = parseLine(line, &error);
        if (!parsed) {
            if (m_parseError.isEmpty())
                m_parseError = error;
            continue;
        }
        switch (parsed->type) {
        case LoadLine::Type::Start:
            Q_EMIT started(parsed->version);
            break;
        case LoadLine::Type::Interval:
            Q_EMIT intervalReady(parsed->interval);
            break;
        case LoadLine::Type::Summary:
            m_summary = parsed->summary;
            break;
        }
    }
}

void LoadRun::onFinished(int exitCode, int exitStatus)
{
    m_watchdog->stop();
    readLines();
    m_stderr += m_process->readAllStandardError();
    m_process->deleteLater();
    m_process = nullptr;
    if (m_cancelled)
        return;
    const QString diagnostics = QString::fromUtf8(m_stderr).trimmed();
    if (exitStatus == QProcess::CrashExit) {
        Q_EMIT failed(QStringLiteral("the load generator crashed. %1").arg(diagnostics));
        return;
    }
    if (exitCode == 2) {
        Q_EMIT failed(QStringLiteral("the load generator rejected its arguments: %1").arg(diagnostics));
        return;
    }
    if (!m_summary) {
        Q_EMIT failed(QStringLiteral("the load generator exited with code %1 without a summary. %2 %3")
                          .arg(exitCode)
                          .arg(m_parseError, diagnostics)
                          .trimmed());
        return;
    }
    Q_EMIT finished(*m_summary, exitCode);
}

void LoadRun::cancel()
{
    m_watchdog->stop();
    if (!m_process)
        return;
    m_cancelled = true;
    platform::signalGroup(pid_t(m_process->processId()), SIGKILL);
}

bool LoadRun::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

QStringList LoadRun::arguments() const
{
    return m_arguments;
}

} // namespace sa::bench
