#include "benchmarkrunner.h"

#include "capacityphase.h"
#include "cpuassignment.h"
#include "databasesession.h"
#include "loadrun.h"
#include "machineinfo.h"
#include "planlimits.h"
#include "remotesampler.h"
#include "resourcesampler.h"
#include "rounds.h"
#include "runanalysis.h"
#include "servercatalog.h"
#include "serverinfo.h"
#include "serverprocess.h"

#include "platform/containment.h"
#include "platform/paths.h"
#include "platform/processcontrol.h"
#include "platform/runlock.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSet>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <utility>

namespace sa::bench {

namespace {

// Estimated seconds a server takes to start and stop, for the time-left estimate.
constexpr double kStartStopEstimateSeconds = 3.0;
// Runs whose server logs are kept in the default logs folder.
constexpr int kKeptLogRuns = 20;

QString percent(double share)
{
    return QString::number(share * 100.0, 'f', share < 0.1 ? 2 : 1) + QLatin1Char('%');
}

} // namespace

class BenchmarkRunner::Private
{
public:
    struct Cell
    {
        QString targetId;
        Scenario scenario;
        int connections;
        int serverCores = 0; // a capacity run's scaling: this many of the server CPUs; 0 = all
    };
    // One round of one cell: what runs next.
    struct Step
    {
        int cell; // in cells
        int round; // 1-based
    };

    Private(BenchmarkRunner *q, const ServerCatalog &catalog) : q(q), catalog(catalog) { }

    void begin();
    void startCell();
    void startServer(const ServerEntry &entry);
    // A server the app did not start (bench --url): checked, sampled remotely if
    // it can be, then loaded.
    void startRemote(const RemoteTarget &remote);
    void onRemoteAnswered(const RemoteTarget &remote);
    // The current cell's sampler clock and latest reading, local or remote.
    double samplerNow() const;
    ResourceSampler::Sample latestResources() const;
    void onServerReady();
    void startLoad();
    void onInterval(IntervalSample sample);
    // The resource sample nearest to the interval's end, into the interval.
    void joinResources(IntervalSample &sample) const;
    void onLoadFinished(const LoadSummary &summary, int exitCode);
    void failCell(const QString &reason);
    void endCell();
    void finishCell();
    void recordRound();
    void finishRun(RunStatus status);
    void setPhase(Phase phase);
    void emitProgress(double cellFraction);
    double cellEstimateSeconds() const;
    void computeResourceFigures();
    void startCapacity();
    void onCapacityInterval(IntervalSample sample);

    // The database scenarios (DatabaseSession owns the cluster).
    void setUpDatabase(const CpuAssignment &assignment);
    void onDatabaseReady();
    void onDatabaseUnavailable(const QString &reason);
    void startDatabaseSampling();
    void computeDatabaseFigures();
    // Stops (cancelling: kills) the cluster, then calls then().
    void stopDatabase(const std::function<void()> &then);

    BenchmarkRunner *q;
    const ServerCatalog &catalog;
    Options options;

    RunResult run;
    // Counts the runs: a timer set during one run checks it, so that it cannot act
    // on a later run that reuses the same cell index (cancel, then start again).
    quint64 generation = 0;
    bool running = false;
    bool cancelling = false;
    QList<Cell> cells;
    QList<Step> steps; // every round of every cell, in run order (roundOrder())
    qsizetype index = -1; // in steps
    int position = 0; // rounds started so far
    QHash<int, qsizetype> slotOfCell; // cell → its place in run.targets
    QSet<int> failedCells; // a failed round ends its cell: more rounds cannot make it comparable
    CpuAssignment cpus;
    int workersAsked = 0; // the plan's workers before the run records the count it used
    QString logDirectory;
    QString loadGenerator;
    QPointer<platform::RunLock> lock;

    // The current cell.
    QPointer<ServerProcess> server;
    QPointer<ResourceSampler> sampler;
    QPointer<RemoteSampler> remoteSampler; // a remote target's, from servers serve
    QString remoteUrl; // the current cell's target when it is remote
    QPointer<LoadRun> load;
    QPointer<CapacityPhase> capacity; // a capacity run, after the closed-loop window
    TargetResult current;
    Phase phase = Phase::Starting;
    bool cellEnding = false;
    double measureStartT = -1; // sampler time when the measured window began
    double measureEndT = -1;
    double loadElapsed = 0; // seconds of load so far, from the intervals

    // The database of the database scenarios: null when the plan has none.
    QPointer<DatabaseSession> database;
    qsizetype lastDatabaseStep = -1; // in steps: the cluster is stopped after it
    bool databaseRunning = false; // required and not stopped since
    bool awaitingDatabase = false; // the current cell waits for it
    std::function<void()> afterDatabaseStop;
    QPointer<ResourceSampler> databaseSampler; // the current cell's
    QPointer<ServerInfoRequest> info; // the current cell's server's /info
};

void BenchmarkRunner::Private::setPhase(Phase newPhase)
{
    phase = newPhase;
    Q_EMIT q->phaseChanged(current.targetId, newPhase);
}

double BenchmarkRunner::Private::cellEstimateSeconds() const
{
    return kStartStopEstimateSeconds + options.idleSettleMs / 1000.0 + run.plan.warmupSeconds
        + run.plan.durationSeconds
        + (run.plan.capacity.enabled ? estimatedSweepSeconds(run.plan.capacity) : 0.0);
}

void BenchmarkRunner::Private::emitProgress(double cellFraction)
{
    cellFraction = qBound(0.0, cellFraction, 1.0);
    const double count = double(steps.size());
    const double runFraction = count > 0 ? (double(index) + cellFraction) / count : 1.0;
    const double left = (count - double(index) - cellFraction) * cellEstimateSeconds();
    Q_EMIT q->progress(qBound(0.0, runFraction, 1.0), cellFraction, qMax(0.0, left));
}

void BenchmarkRunner::Private::startCell()
{
    if (!running)
        return;
    if (cancelling) {
        finishRun(RunStatus::Cancelled);
        return;
    }
    ++index;
    while (index < steps.size() && failedCells.contains(steps.at(index).cell))
        ++index;
    if (index >= steps.size()) {
        finishRun(RunStatus::Completed);
        return;
    }
    const Step step = steps.at(index);
    const Cell cell = cells.at(step.cell);
    const ServerEntry *entry = catalog.find(cell.targetId);
    current = TargetResult {};
    current.round = step.round;
    current.runPosition = position++;
    current.targetId = cell.targetId;
    current.scenario = cell.scenario;
    current.connections = cell.connections;
    const QList<int> serverCpus
        = cell.serverCores > 0 ? cpus.serverCpus.mid(0, cell.serverCores) : cpus.serverCpus;
    current.workers = cell.serverCores > 0 ? cell.serverCores : cpus.workers;
    current.serverCpus = platform::formatCpuList(serverCpus);
    current.loadCpus = platform::formatCpuList(cpus.loadCpus);
    current.loadThreads = cpus.loadThreads;
    current.loadIdle
        = cpus.loadCpusShared(cell.scenario) ? QStringLiteral("sleep") : QStringLiteral("poll-if-alone");
    cellEnding = false;
    measureStartT = measureEndT = -1;
    loadElapsed = 0;
    if (entry) {
        current.displayName = entry->name;
        current.language = entry->language;
        current.framework = entry->framework;
        current.frameworkVersion = entry->frameworkVersion;
        current.color = entry->color;
        current.deployableBytes = entry->deployableBytes;
        current.deployableWhat = entry->deployableWhat;
        BenchmarkPlan asked = run.plan;
        asked.workers = workersAsked;
        // Over the CPUs this cell's server gets (a capacity run's scaling gives it fewer).
        const WorkerChoice choice = workersFor(*entry, cell.scenario, asked, int(serverCpus.size()));
        current.workers = choice.workers;
        current.workerRule = workerRuleId(choice.rule);
        current.workerRuleSource = choice.source;
    }
    current.logPath
        = QDir(logDirectory)
              .filePath(QStringLiteral("%1-%2-c%3%4%5.log")
                            .arg(cell.targetId, scenarioId(cell.scenario))
                            .arg(cell.connections)
                            .arg(cell.serverCores > 0 ? QStringLiteral("-cores%1").arg(cell.serverCores)
                                                      : QString())
                            .arg(run.plan.rounds > 1 ? QStringLiteral("-r%1").arg(step.round) : QString()));

    Q_EMIT q->roundStarted(current.targetId, step.round, run.plan.rounds);
    Q_EMIT q->cellStarted(current.targetId, int(index), int(steps.size()));
    setPhase(Phase::Starting);
    emitProgress(0);

    if (const RemoteTarget *remote = run.plan.remoteTarget(cell.targetId)) {
        startRemote(*remote);
        return;
    }

    if (!entry) {
        failCell(QStringLiteral("'%1' is not in the server catalog").arg(cell.targetId));
        endCell();
        return;
    }
    if (!entry->available) {
        failCell(QStringLiteral("%1 is not available: %2. Fix: %3")
                     .arg(entry->name, entry->unavailableReason, entry->fix));
        endCell();
        return;
    }

    if (isDatabaseScenario(cell.scenario) && database) {
        awaitingDatabase = true;
        databaseRunning = true;
        database->require(); // → onDatabaseReady() or onDatabaseUnavailable()
        return;
    }
    startServer(*entry);
}

void BenchmarkRunner::Private::startServer(const ServerEntry &entry)
{
    server = new ServerProcess(entry, q);
    QObject::connect(server, &ServerProcess::ready, q, [this] { onServerReady(); });
    QObject::connect(server, &ServerProcess::failed, q, [this](const QString &reason) {
        failCell(QStringLiteral("%1 did not start: %2").arg(current.displayName, reason));
        endCell();
    });
    QObject::connect(server, &ServerProcess::warning, q, [this](const QString &message) {
        current.warnings << message;
        Q_EMIT q->warning(current.targetId, message);
    });
    QObject::connect(server, &ServerProcess::exitedUnexpectedly, q, [this](const QString &reason) {
        if (load)
            load->cancel();
        failCell(reason);
        endCell();
    });
    ServerProcess::Settings settings;
    settings.workers = current.workers;
    settings.cpus = platform::parseCpuList(current.serverCpus).value_or(cpus.serverCpus);
    // Only the database cells' servers see a database; an empty value removes
    // a DATABASE_URL the app itself may have in its environment.
    settings.environment.insert(QStringLiteral("DATABASE_URL"),
        isDatabaseScenario(current.scenario) && database ? database->databaseUrl() : QString());
    settings.logPath = current.logPath;
    settings.readinessTimeoutMs = options.readinessTimeoutMs;
    settings.stopGraceMs = options.stopGraceMs;
    settings.useCgroup = run.plan.containment
        == platform::ChildContainment::kindId(platform::ChildContainment::Kind::Cgroup);
    server->start(settings);
}

void BenchmarkRunner::Private::startRemote(const RemoteTarget &remote)
{
    remoteUrl = remote.url;
    current.displayName = remote.name;
    // What runs there is the other host's: its CPUs and workers are not ours to say.
    current.workers = 0;
    current.serverCpus.clear();
    current.logPath.clear();
    // The request the load will make, once, before it: a target that does not
    // answer it with 200 is not measured (it is not serving the contract there).
    auto *network = new QNetworkAccessManager(q);
    QNetworkRequest request(QUrl(remote.url + scenarioPath(current.scenario, run.plan)));
    request.setTransferTimeout(options.readinessTimeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = network->get(request);
    QObject::connect(
        reply, &QNetworkReply::finished, q, [this, reply, network, remote, gen = generation, cell = index] {
            reply->deleteLater();
            network->deleteLater();
            if (gen != generation || cell != index || cellEnding)
                return;
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status == 0) {
                failCell(
                    QStringLiteral("%1 (%2) did not answer: %3. Is the server running there (stackadvisor "
                                   "servers serve)?")
                        .arg(remote.name, reply->url().toString(), reply->errorString()));
                endCell();
                return;
            }
            if (status != 200) {
                failCell(
                    QStringLiteral("%1 answered %2 with status %3: it does not serve servers/CONTRACT.md "
                                   "there, so it is not measured")
                        .arg(remote.name, reply->url().toString())
                        .arg(status));
                endCell();
                return;
            }
            onRemoteAnswered(remote);
        });
}

void BenchmarkRunner::Private::onRemoteAnswered(const RemoteTarget &remote)
{
    if (remote.samplerUrl.isEmpty()) {
        current.warnings << QStringLiteral(
            "%1 was loaded where it runs without a sampler (--sampler): its memory and CPU were not measured")
                                .arg(remote.name);
        startLoad();
        return;
    }
    setPhase(Phase::Idle);
    remoteSampler = new RemoteSampler(QUrl(remote.samplerUrl), q);
    remoteSampler->start(options.sampleIntervalMs);
    QTimer::singleShot(options.idleSettleMs, q, [this, remote, gen = generation, cell = index] {
        if (gen != generation || cell != index || cellEnding || !remoteSampler)
            return;
        if (remoteSampler->samples().isEmpty()) {
            current.warnings << QStringLiteral(
                "the sampler at %1 did not answer (%2): the memory and CPU of %3 were not measured")
                                    .arg(remote.samplerUrl, remoteSampler->lastError(), remote.name);
            remoteSampler->stop();
            remoteSampler->deleteLater();
            remoteSampler = nullptr;
        } else {
            const ResourceSampler::Sample idle = remoteSampler->latest();
            current.memory.idleRssBytes = idle.rssBytes;
            current.memory.idlePssBytes = idle.pssBytes;
            current.memory.idleCgroupBytes = idle.cgroupMemoryBytes;
            // The sampler says which sample server it runs: the catalog knows the rest.
            if (const ServerEntry *entry = catalog.find(remoteSampler->serverId())) {
                current.language = entry->language;
                current.framework = entry->framework;
                current.frameworkVersion = entry->frameworkVersion;
                current.color = entry->color;
                current.deployableBytes = entry->deployableBytes;
                current.deployableWhat = entry->deployableWhat;
            }
        }
        startLoad();
    });
}

double BenchmarkRunner::Private::samplerNow() const
{
    if (sampler)
        return sampler->latest().tSeconds;
    return remoteSampler ? remoteSampler->elapsedSeconds() : 0;
}

ResourceSampler::Sample BenchmarkRunner::Private::latestResources() const
{
    if (sampler)
        return sampler->latest();
    return remoteSampler ? remoteSampler->latest() : ResourceSampler::Sample {};
}

void BenchmarkRunner::Private::onServerReady()
{
    if (cellEnding)
        return;
    setPhase(Phase::Idle);
    sampler = new ResourceSampler(q);
    sampler->start(server->pid(), options.sampleIntervalMs, server->containment());
    if (isDatabaseScenario(current.scenario))
        startDatabaseSampling();
    // Let the server settle after its first answer before the idle sample.
    QTimer::singleShot(options.idleSettleMs, q, [this, gen = generation, cell = index] {
        if (gen != generation || cell != index || cellEnding || !sampler)
            return;
        const ResourceSampler::Sample idle = sampler->sampleNow();
        current.memory.idleRssBytes = idle.rssBytes;
        current.memory.idlePssBytes = idle.pssBytes;
        current.memory.idleCgroupBytes = idle.cgroupMemoryBytes;
        if (databaseSampler && current.database)
            current.database->idlePssBytes = databaseSampler->sampleNow().pssBytes;
        startLoad();
    });
}

void BenchmarkRunner::Private::startLoad()
{
    const BenchmarkPlan &plan = run.plan;
    setPhase(plan.warmupSeconds > 0 ? Phase::WarmingUp : Phase::Measuring);
    if (plan.warmupSeconds <= 0)
        measureStartT = samplerNow();

    load = new LoadRun(q);
    QObject::connect(load, &LoadRun::started, q, [this](const QString &version) {
        if (!version.isEmpty())
            run.machine.versions.insert(QStringLiteral("stackadvisor-load"), version);
        if (run.plan.warmupSeconds > 0) {
            QTimer::singleShot(int(run.plan.warmupSeconds * 1000), q, [this, gen = generation, cell = index] {
                if (gen == generation && cell == index && !cellEnding && phase == Phase::WarmingUp) {
                    measureStartT = samplerNow();
                    setPhase(Phase::Measuring);
                }
            });
        }
    });
    QObject::connect(
        load, &LoadRun::intervalReady, q, [this](const IntervalSample &sample) { onInterval(sample); });
    QObject::connect(load, &LoadRun::finished, q,
        [this](const LoadSummary &summary, int exitCode) { onLoadFinished(summary, exitCode); });
    QObject::connect(load, &LoadRun::failed, q, [this](const QString &reason) {
        failCell(reason);
        endCell();
    });

    LoadRun::Settings settings;
    settings.program = loadGenerator;
    settings.url
        = (remoteUrl.isEmpty() ? server->baseUrl() : remoteUrl) + scenarioPath(current.scenario, plan);
    settings.allowRemote = !remoteUrl.isEmpty() && plan.allowRemote;
    settings.connections = current.connections;
    settings.threads = cpus.loadThreads;
    settings.warmupSeconds = plan.warmupSeconds;
    settings.durationSeconds = plan.durationSeconds;
    settings.timeoutSeconds = plan.timeoutSeconds;
    settings.rate = plan.openLoopRate;
    settings.intervalSeconds = plan.intervalSeconds;
    settings.cpus = cpus.loadCpus;
    settings.noPoll = cpus.loadCpusShared(current.scenario);
    load->start(settings);
}

void BenchmarkRunner::Private::joinResources(IntervalSample &sample) const
{
    if (!sampler && !remoteSampler)
        return;
    const ResourceSampler::Sample resources = latestResources();
    sample.rssBytes = resources.rssBytes;
    sample.pssBytes = resources.pssBytes;
    sample.cpuPercent = resources.cpuPercent;
    sample.cgroupMemoryBytes = resources.cgroupMemoryBytes;
    sample.cgroupCpuPercent = resources.cgroupCpuPercent;
}

void BenchmarkRunner::Private::onInterval(IntervalSample sample)
{
    if (cellEnding)
        return;
    if (!sample.warmup && phase == Phase::WarmingUp) {
        // The generator's own clock says the window began: trust it over our timer.
        measureStartT = samplerNow();
        setPhase(Phase::Measuring);
    }
    joinResources(sample);
    if (databaseSampler) {
        const ResourceSampler::Sample resources = databaseSampler->latest();
        sample.databasePssBytes = resources.pssBytes;
        sample.databaseCpuPercent = resources.cpuPercent;
    }
    current.timeline.append(sample);
    loadElapsed = sample.tSeconds;
    Q_EMIT q->sampleReady(current.targetId, sample);
    const double window = run.plan.warmupSeconds + run.plan.durationSeconds;
    emitProgress(window > 0 ? loadElapsed / window : 1.0);
}

void BenchmarkRunner::Private::computeResourceFigures()
{
    if (!sampler && !remoteSampler)
        return;
    const ResourceSampler::Figures f = sampler
        ? sampler->figures(measureStartT, measureEndT)
        : ResourceSampler::figuresOf(remoteSampler->samples(), measureStartT, measureEndT);
    current.memory.meanRssBytes = f.meanRssBytes;
    current.memory.peakRssBytes = f.peakRssBytes;
    current.memory.meanPssBytes = f.meanPssBytes;
    current.memory.peakPssBytes = f.peakPssBytes;
    current.memory.meanCgroupBytes = f.meanCgroupMemoryBytes;
    current.memory.peakCgroupBytes = f.peakCgroupMemoryBytes;
    current.cpuPercentMean = f.meanCpuPercent;
    current.cpuPercentPeak = f.peakCpuPercent;
    current.cgroupCpuPercentMean = f.meanCgroupCpuPercent;
    current.cgroupCpuPercentPeak = f.peakCgroupCpuPercent;
}

void BenchmarkRunner::Private::setUpDatabase(const CpuAssignment &assignment)
{
    delete database.data();
    database = nullptr;
    databaseRunning = false;
    awaitingDatabase = false;
    lastDatabaseStep = -1;
    for (qsizetype i = 0; i < steps.size(); ++i) {
        if (isDatabaseScenario(cells.at(steps.at(i).cell).scenario))
            lastDatabaseStep = i;
    }
    if (lastDatabaseStep < 0)
        return;
    DatabaseSession::Settings settings;
    settings.dataFolder = options.databaseDataFolder;
    settings.binDir = options.databaseBinDir;
    settings.port = options.databasePort;
    settings.cpus = assignment.databaseCpus;
    settings.logPath = QDir(logDirectory).filePath(QStringLiteral("postgresql.log"));
    settings.readyTimeoutMs = options.databaseReadyTimeoutMs;
    settings.placement = databasePlacementId(assignment.databasePlacement);
    settings.placementText = assignment.databasePlacementText();
    database = new DatabaseSession(settings, q);
    QObject::connect(database, &DatabaseSession::ready, q, [this] { onDatabaseReady(); });
    QObject::connect(database, &DatabaseSession::failed, q,
        [this](const QString &reason) { onDatabaseUnavailable(reason); });
    QObject::connect(database, &DatabaseSession::lost, q, [this](const QString &reason) {
        if (!running || cellEnding || index < 0 || index >= steps.size()
            || !isDatabaseScenario(cells.at(steps.at(index).cell).scenario))
            return;
        if (load)
            load->cancel();
        failCell(QStringLiteral("PostgreSQL stopped during this cell, so its figures are not the "
                                "server's: %1. The next database cell starts it again.")
                     .arg(reason));
        endCell();
    });
    QObject::connect(database, &DatabaseSession::stopped, q, [this] {
        databaseRunning = false;
        if (const auto then = std::exchange(afterDatabaseStop, {}))
            then();
    });
}

void BenchmarkRunner::Private::onDatabaseReady()
{
    if (!awaitingDatabase || cellEnding)
        return;
    awaitingDatabase = false;
    if (const ServerEntry *entry = catalog.find(current.targetId))
        startServer(*entry);
}

void BenchmarkRunner::Private::onDatabaseUnavailable(const QString &reason)
{
    if (!awaitingDatabase || cellEnding)
        return;
    awaitingDatabase = false;
    failCell(QStringLiteral("%1 was not run in the %2 scenario: the database is not available. %3")
                 .arg(current.displayName, scenarioTitle(current.scenario), reason));
    endCell();
}

void BenchmarkRunner::Private::startDatabaseSampling()
{
    if (!database || !database->isReady())
        return;
    current.database = DatabaseCellStats {};
    // Started with the server's sampler: both clocks share the measured window.
    databaseSampler = new ResourceSampler(q);
    databaseSampler->start(database->pid(), options.sampleIntervalMs);
    const ServerEntry *entry = catalog.find(current.targetId);
    if (!entry || entry->infoPath.isEmpty()) {
        current.database->clientError = QStringLiteral("the catalog gives no infoPath for this server");
        return;
    }
    info = new ServerInfoRequest(q);
    QObject::connect(info, &ServerInfoRequest::finished, q, [this](const DatabaseClientInfo &client) {
        if (current.database)
            current.database->client = client;
    });
    QObject::connect(info, &ServerInfoRequest::failed, q, [this](const QString &reason) {
        if (current.database)
            current.database->clientError = reason;
    });
    info->start(server->baseUrl() + entry->infoPath);
}

void BenchmarkRunner::Private::computeDatabaseFigures()
{
    if (!databaseSampler || !current.database)
        return;
    const ResourceSampler::Figures f = databaseSampler->figures(measureStartT, measureEndT);
    current.database->cpuPercentMean = f.meanCpuPercent;
    current.database->cpuPercentPeak = f.peakCpuPercent;
    current.database->meanPssBytes = f.meanPssBytes;
    current.database->peakPssBytes = f.peakPssBytes;
}

void BenchmarkRunner::Private::stopDatabase(const std::function<void()> &then)
{
    afterDatabaseStop = then;
    if (cancelling)
        database->kill();
    else
        database->stop();
}

void BenchmarkRunner::Private::onLoadFinished(const LoadSummary &summary, int exitCode)
{
    if (cellEnding)
        return;
    if (sampler) {
        sampler->sampleNow(); // closes the window with a fresh reading
        measureEndT = sampler->latest().tSeconds;
        if (!run.plan.capacity.enabled) // a capacity cell's steps are sampled too
            sampler->stop();
    } else if (remoteSampler) {
        measureEndT = remoteSampler->elapsedSeconds();
        if (!run.plan.capacity.enabled)
            remoteSampler->stop();
    }
    if (databaseSampler) {
        databaseSampler->sampleNow();
        databaseSampler->stop();
    }
    if (measureStartT < 0)
        measureStartT = 0;
    computeResourceFigures();
    computeDatabaseFigures();

    current.durationSeconds = summary.durationSeconds;
    current.requests = summary.requests;
    current.requestsPerSecond = summary.requestsPerSecond;
    current.bytesRead = summary.bytesRead;
    current.latency = summary.latency;
    current.uncorrectedLatency = summary.uncorrectedLatency;
    current.sendLag = summary.sendLag;
    current.errors = summary.errors;
    current.generatorSaturated = summary.saturated;
    current.saturationReason = summary.saturationReason;
    current.loadPollingSeconds = summary.pollingSeconds;
    current.latencyHistogram = summary.latencyHistogram;
    if (summary.saturated) {
        Q_EMIT q->warning(current.targetId,
            QStringLiteral("%1: the load generator was saturated (%2); the figure may be the "
                           "generator's limit rather than the server's")
                .arg(current.displayName, summary.saturationReason));
    }
    if (summary.connectionsExhausted) {
        Q_EMIT q->warning(current.targetId,
            QStringLiteral(
                "%1: %2 (the server did not answer fast enough for %3 connections to carry the rate)")
                .arg(current.displayName, summary.connectionsNote)
                .arg(current.connections));
    }

    const qint64 statusErrors = summary.errors.status;
    const qint64 transportErrors
        = summary.errors.connect + summary.errors.read + summary.errors.timeout + summary.errors.parse;
    const double attempts = double(summary.requests + transportErrors);
    if (summary.requests == 0) {
        failCell(
            QStringLiteral("%1 completed no request in the measured window (errors: %2 connect, %3 read, "
                           "%4 timeout, %5 malformed; generator exit code %6). Its log: %7")
                .arg(current.displayName)
                .arg(summary.errors.connect)
                .arg(summary.errors.read)
                .arg(summary.errors.timeout)
                .arg(summary.errors.parse)
                .arg(exitCode)
                .arg(current.logPath));
    } else if (double(statusErrors) > TrustPolicy::kMaxStatusErrorShare * double(summary.requests)) {
        failCell(
            QStringLiteral("%1 answered %2 of requests with an error status (%3 × 5xx, %4 × 4xx), so its "
                           "figures describe its error path. Its log: %5")
                .arg(current.displayName, percent(double(statusErrors) / double(summary.requests)))
                .arg(summary.status5xx)
                .arg(summary.status4xx)
                .arg(current.logPath));
    } else if (attempts > 0 && double(transportErrors) >= TrustPolicy::kMaxTransportErrorShare * attempts) {
        // Attempts are requests: a timeout or a malformed answer is one, a refused
        // or reset connection fails the request it was to carry.
        failCell(QStringLiteral("%1 failed %2 of its requests (%3 connections refused, %4 reset, %5 requests "
                                "timed out, %6 answers malformed). Its log: %7")
                     .arg(current.displayName, percent(double(transportErrors) / attempts))
                     .arg(summary.errors.connect)
                     .arg(summary.errors.read)
                     .arg(summary.errors.timeout)
                     .arg(summary.errors.parse)
                     .arg(current.logPath));
    } else if (current.errorRate() > TrustPolicy::kMaxErrorShare) {
        Q_EMIT q->warning(current.targetId,
            QStringLiteral("%1: %2 of requests failed; treat its figures with care")
                .arg(current.displayName, percent(current.errorRate())));
    }
    if (current.failureReason.isEmpty())
        current.status = TargetStatus::Completed;
    if (current.status == TargetStatus::Completed && run.plan.capacity.enabled) {
        startCapacity();
        return;
    }
    endCell();
}

void BenchmarkRunner::Private::startCapacity()
{
    setPhase(Phase::Stepping);
    current.capacity = CapacitySweep {};
    capacity = new CapacityPhase(sampler, q);
    QObject::connect(capacity, &CapacityPhase::stepStarted, q, [this](int step, double rate, double seconds) {
        Q_EMIT q->capacityStepStarted(current.targetId, step, rate, seconds);
    });
    QObject::connect(capacity, &CapacityPhase::intervalReady, q,
        [this](const IntervalSample &sample) { onCapacityInterval(sample); });
    QObject::connect(capacity, &CapacityPhase::stepFinished, q, [this](int step, const CapacityStep &result) {
        current.capacity->steps << result;
        Q_EMIT q->capacityStepFinished(current.targetId, step, result);
    });
    QObject::connect(capacity, &CapacityPhase::finished, q, [this](const CapacitySweep &sweep) {
        current.capacity = sweep;
        endCell();
    });
    QObject::connect(capacity, &CapacityPhase::failed, q, [this](const QString &reason) {
        // The closed-loop figures stand; the sweep ends where the step failed.
        current.capacity = capacity->sweep();
        Q_EMIT q->warning(current.targetId,
            QStringLiteral("%1: the capacity search stopped early: %2").arg(current.displayName, reason));
        endCell();
    });
    CapacityPhase::Settings settings;
    settings.load.program = loadGenerator;
    settings.load.url = server->baseUrl() + scenarioPath(current.scenario, run.plan);
    settings.load.connections = current.connections;
    settings.load.threads = cpus.loadThreads;
    settings.load.timeoutSeconds = run.plan.timeoutSeconds;
    settings.load.intervalSeconds = run.plan.intervalSeconds;
    settings.load.cpus = cpus.loadCpus;
    settings.load.noPoll = cpus.loadCpusShared(current.scenario);
    settings.plan = run.plan.capacity;
    settings.closedLoopRate = current.requestsPerSecond;
    settings.timeOffsetSeconds = loadElapsed;
    settings.serverPid = server->pid();
    capacity->start(settings);
}

void BenchmarkRunner::Private::onCapacityInterval(IntervalSample sample)
{
    if (cellEnding)
        return;
    joinResources(sample);
    current.timeline.append(sample);
    loadElapsed = sample.tSeconds;
    Q_EMIT q->sampleReady(current.targetId, sample);
    const double estimate
        = run.plan.warmupSeconds + run.plan.durationSeconds + estimatedSweepSeconds(run.plan.capacity);
    // The search decides how many steps it needs: the estimate can run out early.
    emitProgress(std::min(0.99, loadElapsed / estimate));
}

void BenchmarkRunner::Private::failCell(const QString &reason)
{
    if (!current.failureReason.isEmpty())
        return; // the first reason is the real one (a cancel's included)
    current.status = TargetStatus::Failed;
    current.failureReason = reason;
}

void BenchmarkRunner::Private::endCell()
{
    if (cellEnding)
        return;
    cellEnding = true;
    if (load)
        load->cancel();
    if (capacity)
        capacity->cancel();
    if (sampler)
        sampler->stop();
    if (remoteSampler)
        remoteSampler->stop();
    if (databaseSampler)
        databaseSampler->stop();
    if (info)
        info->abort();
    awaitingDatabase = false;
    if (!server) {
        QTimer::singleShot(0, q, [this] { finishCell(); });
        return;
    }
    setPhase(Phase::Stopping);
    QObject::connect(server, &ServerProcess::stopped, q, [this] { finishCell(); });
    // A server that failed has already gone; stop() then reports at once.
    if (cancelling)
        server->kill();
    else
        server->stop();
}

void BenchmarkRunner::Private::finishCell()
{
    for (QObject *object : { static_cast<QObject *>(server.data()), static_cast<QObject *>(sampler.data()),
             static_cast<QObject *>(remoteSampler.data()), static_cast<QObject *>(load.data()),
             static_cast<QObject *>(databaseSampler.data()), static_cast<QObject *>(info.data()),
             static_cast<QObject *>(capacity.data()) }) {
        if (object) {
            object->disconnect(q);
            object->deleteLater();
        }
    }
    server = nullptr;
    sampler = nullptr;
    remoteSampler = nullptr;
    remoteUrl.clear();
    load = nullptr;
    databaseSampler = nullptr;
    info = nullptr;
    if (current.database && !current.database->client && current.database->clientError.isEmpty())
        current.database->clientError = QStringLiteral("its /info did not answer before the cell ended");
    capacity = nullptr;
    recordRound();
    emitProgress(1.0);
    Q_EMIT q->cellFinished(current);
    if (cancelling) {
        finishRun(RunStatus::Cancelled);
        return;
    }
    if (index == lastDatabaseStep && databaseRunning) {
        stopDatabase([this] { startCell(); });
        return;
    }
    startCell();
}

// The round joins its cell, whose figures are made again from its rounds.
void BenchmarkRunner::Private::recordRound()
{
    const int cell = steps.at(index).cell;
    if (current.status != TargetStatus::Completed)
        failedCells.insert(cell);
    auto slot = slotOfCell.constFind(cell);
    if (slot == slotOfCell.cend()) {
        TargetResult result = current;
        result.round = 0;
        result.runPosition = -1;
        result.timeline.clear();
        slot = slotOfCell.insert(cell, run.targets.size());
        run.targets.append(result);
    }
    TargetResult &result = run.targets[*slot];
    result.rounds.push_back(current);
    combineRounds(result, run.plan.rounds);
}

void BenchmarkRunner::Private::finishRun(RunStatus status)
{
    // No PostgreSQL outlives the run.
    if (databaseRunning) {
        stopDatabase([this, status] { finishRun(status); });
        return;
    }
    if (database)
        run.database = database->record();
    // A run whose every cell failed measured nothing: it failed (its cells say why).
    if (status == RunStatus::Completed && !run.targets.isEmpty()
        && std::none_of(run.targets.cbegin(), run.targets.cend(),
            [](const TargetResult &t) { return t.status == TargetStatus::Completed; }))
        status = RunStatus::Failed;
    ++generation;
    run.status = status;
    run.finishedAt = QDateTime::currentDateTimeUtc();
    if (lock)
        lock->deleteLater(); // the next benchmark may start
    lock = nullptr;
    running = false;
    cancelling = false;
    Q_EMIT q->finished(run);
}

BenchmarkRunner::BenchmarkRunner(const ServerCatalog &catalog, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>(this, catalog))
{
    qRegisterMetaType<IntervalSample>();
    qRegisterMetaType<TargetResult>();
    qRegisterMetaType<RunResult>();
    qRegisterMetaType<CapacityStep>();
}

BenchmarkRunner::~BenchmarkRunner()
{
    // ServerProcess, LoadRun and the cluster kill their processes in their destructors.
    delete d->capacity.data();
    delete d->load.data();
    delete d->sampler.data();
    delete d->databaseSampler.data();
    delete d->info.data();
    delete d->server.data();
    delete d->database.data();
}

void BenchmarkRunner::setOptions(const Options &options)
{
    d->options = options;
}

const BenchmarkRunner::Options &BenchmarkRunner::options() const
{
    return d->options;
}

bool BenchmarkRunner::start(const BenchmarkPlan &plan)
{
    const auto reject = [this](const QString &reason) {
        Q_EMIT runFailed(reason);
        return false;
    };
    if (d->running)
        return reject(QStringLiteral("a benchmark is already running; cancel it first"));
    if (const QString problem = planProblem(plan); !problem.isEmpty())
        return reject(problem);
    if (const QString problem = readinessTimeoutProblem(d->options.readinessTimeoutMs / 1000.0);
        !problem.isEmpty())
        return reject(problem);
    for (const QString &id : plan.targetIds) {
        if (!d->catalog.find(id) && !plan.remoteTarget(id)) {
            return reject(QStringLiteral("unknown target '%1'; the catalog has: %2")
                              .arg(id, d->catalog.ids().join(QStringLiteral(", "))));
        }
    }
    if (plan.capacity.enabled) {
        if (const QString problem = validateCapacityPlan(plan.capacity); !problem.isEmpty())
            return reject(problem);
        if (plan.openLoopRate > 0)
            return reject(
                QStringLiteral("a capacity run chooses its own open-loop rates: set the open-loop rate "
                               "to 0 (closed loop)"));
        if (plan.rounds > 1)
            return reject(QStringLiteral("a capacity run takes one round (its steps repeat the load at "
                                         "every rate): set rounds to 1"));
        if (!plan.remoteTargets.isEmpty())
            return reject(QStringLiteral("a capacity run measures the CPU of servers the app starts: leave "
                                         "out the remote targets (--url)"));
    }
    QString error;
    const auto cpus = assignCpus(plan, platform::allowedCpus(), &error);
    if (!cpus)
        return reject(error);
    const QList<int> scaling = plan.capacity.enabled ? plan.capacity.scalingCores : QList<int> {};
    for (int cores : scaling) {
        if (cores > cpus->serverCpus.size())
            return reject(
                QStringLiteral("scaling to %1 server cores needs %1 server CPUs; the server has %2 (%3): "
                               "lower the core count or give the server more CPUs (--server-cpus)")
                    .arg(cores)
                    .arg(cpus->serverCpus.size())
                    .arg(platform::formatCpuList(cpus->serverCpus)));
    }
    const QString generator
        = d->options.loadGeneratorPath.isEmpty() ? Paths::loadGeneratorPath() : d->options.loadGeneratorPath;
    if (!QFileInfo(generator).isExecutable())
        return reject(
            QStringLiteral("the load generator %1 was not found; build the stackadvisor-load target")
                .arg(generator));

    const QDateTime now = QDateTime::currentDateTimeUtc();
    QString logDirectory = d->options.logDirectory;
    if (logDirectory.isEmpty()) {
        const QString logsRoot
            = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QLatin1String("/logs");
        ServerProcess::pruneLogFolders(logsRoot, kKeptLogRuns - 1);
        logDirectory = logsRoot + QLatin1Char('/') + now.toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    }
    if (!QDir().mkpath(logDirectory))
        return reject(QStringLiteral("cannot create the log folder %1").arg(logDirectory));

    d->cpus = *cpus;
    d->workersAsked = plan.workers;
    d->logDirectory = logDirectory;
    d->loadGenerator = generator;
    d->cells.clear();
    for (const QString &id : plan.targetIds) {
        for (Scenario scenario : plan.scenarios) {
            for (int level : plan.connectionLevels) {
                if (scaling.isEmpty())
                    d->cells.append({ id, scenario, level });
                for (int cores : scaling)
                    d->cells.append({ id, scenario, level, cores });
            }
        }
    }
    d->steps.clear();
    for (int round = 1; round <= plan.rounds; ++round) {
        for (int cell : roundOrder(int(d->cells.size()), round))
            d->steps.append({ cell, round });
    }
    d->position = 0;
    d->slotOfCell.clear();
    d->failedCells.clear();
    d->run = RunResult {};
    d->run.startedAt = now;
    d->run.plan = plan;
    // Record what was actually used, not "automatic".
    d->run.plan.serverCpus = platform::formatCpuList(cpus->serverCpus);
    d->run.plan.loadCpus = platform::formatCpuList(cpus->loadCpus);
    d->run.plan.workers = cpus->workers;
    d->run.plan.loadThreads = cpus->loadThreads;
    d->run.plan.containment = platform::ChildContainment::kindId(
        platform::ChildContainment::probe(d->options.useCgroups, &d->run.plan.containmentDetail));
    d->run.machine = collectMachineInfo(&d->catalog);
    d->run.plan.databaseCpus = platform::formatCpuList(cpus->databaseCpus);
    d->setUpDatabase(*cpus);
    d->index = -1;
    ++d->generation;
    d->running = true;
    d->cancelling = false;
    if (cpus->shared) {
        QTimer::singleShot(0, this, [this] {
            Q_EMIT warning(QString(),
                QStringLiteral("the server and the load generator share a CPU (%1): figures are "
                               "lower and noisier than on separate cores")
                    .arg(d->run.plan.serverCpus));
        });
    }
    d->lock = new platform::RunLock(d->options.lockFile, this);
    connect(d->lock, &platform::RunLock::waiting, this, [this](const QString &holder) {
        Q_EMIT warning(QString(),
            QStringLiteral(
                "another benchmark is running (%1): waiting for it to finish, as two at once would "
                "halve each other's figures (cancel to stop waiting)")
                .arg(holder));
    });
    connect(d->lock, &platform::RunLock::failed, this, [this](const QString &reason) {
        d->lock->deleteLater();
        d->lock = nullptr;
        d->running = false;
        Q_EMIT runFailed(reason);
    });
    connect(d->lock, &platform::RunLock::acquired, this, [this] { d->begin(); });
    d->lock->acquire();
    return true;
}

void BenchmarkRunner::Private::begin()
{
    if (!running)
        return;
    if (cancelling) {
        finishRun(RunStatus::Cancelled);
        return;
    }
    run.startedAt = QDateTime::currentDateTimeUtc();
    if (options.endLeftovers)
        platform::endLeftovers(catalog.appExecutables(loadGenerator));
    startCell();
}

void BenchmarkRunner::cancel()
{
    if (!d->running || d->cancelling)
        return;
    d->cancelling = true;
    if (d->afterDatabaseStop)
        d->database->kill(); // the fast shutdown after the last database cell: now
    if (d->lock && !d->lock->isHeld()) {
        // Still waiting for another benchmark: stop waiting.
        QTimer::singleShot(0, this, [this] { d->finishRun(RunStatus::Cancelled); });
        return;
    }
    if (d->index < 0 || d->index >= d->steps.size())
        return; // the pending startCell() finishes the run as cancelled
    if (d->current.failureReason.isEmpty()) {
        d->current.status = TargetStatus::Cancelled;
        d->current.failureReason = QStringLiteral("cancelled during the run");
    }
    d->endCell();
}

double BenchmarkRunner::estimateSeconds(const BenchmarkPlan &plan)
{
    const double cells = double(plan.targetIds.size() * plan.scenarios.size() * plan.connectionLevels.size());
    return cells * std::max(1, plan.rounds)
        * (kStartStopEstimateSeconds + Options {}.idleSettleMs / 1000.0 + plan.warmupSeconds
            + plan.durationSeconds);
}

bool BenchmarkRunner::isRunning() const
{
    return d->running;
}

const RunResult &BenchmarkRunner::result() const
{
    return d->run;
}

} // namespace sa::bench
