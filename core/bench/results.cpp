#include "results.h"

#include <QJsonArray>

#include <algorithm>

namespace sa::bench {

namespace {

constexpr int kJsonSchemaVersion = 1;

struct ScenarioName
{
    Scenario scenario;
    const char *id;
    const char *title;
};

constexpr ScenarioName kScenarios[] = {
    { Scenario::Json, "json", "JSON API" },
    { Scenario::Plaintext, "plaintext", "Plain text" },
    { Scenario::Io, "io", "I/O wait" },
    { Scenario::Cpu, "cpu", "CPU-bound" },
    { Scenario::Db, "db", "Single query" },
    { Scenario::Queries, "queries", "Multiple queries" },
    { Scenario::Fortunes, "fortunes", "Fortunes" },
};

// -1 ("not measured") is null in the JSON, and back.
QJsonValue measured(double value)
{
    return value < 0 ? QJsonValue() : QJsonValue(value);
}

QJsonValue measured(qint64 value)
{
    return value < 0 ? QJsonValue() : QJsonValue(value);
}

double measuredDouble(const QJsonValue &value)
{
    return value.isDouble() ? value.toDouble() : -1.0;
}

qint64 measuredInteger(const QJsonValue &value)
{
    return value.isDouble() ? value.toInteger() : -1;
}

QJsonObject sampleToJson(const IntervalSample &s)
{
    return { { QStringLiteral("t"), s.tSeconds }, { QStringLiteral("warmup"), s.warmup },
        { QStringLiteral("requests"), s.requests }, { QStringLiteral("rps"), s.requestsPerSecond },
        { QStringLiteral("p50Us"), s.p50Us }, { QStringLiteral("p90Us"), s.p90Us },
        { QStringLiteral("p99Us"), s.p99Us }, { QStringLiteral("maxUs"), s.maxUs },
        { QStringLiteral("errors"), errorsToJson(s.errors) }, { QStringLiteral("rssBytes"), s.rssBytes },
        { QStringLiteral("pssBytes"), s.pssBytes }, { QStringLiteral("cpuPercent"), s.cpuPercent },
        { QStringLiteral("cgroupMemoryBytes"), measured(s.cgroupMemoryBytes) },
        { QStringLiteral("cgroupCpuPercent"), measured(s.cgroupCpuPercent) },
        { QStringLiteral("databasePssBytes"), s.databasePssBytes },
        { QStringLiteral("databaseCpuPercent"), s.databaseCpuPercent } };
}

IntervalSample sampleFromJson(const QJsonObject &o)
{
    IntervalSample s;
    s.tSeconds = o.value(QLatin1String("t")).toDouble();
    s.warmup = o.value(QLatin1String("warmup")).toBool();
    s.requests = o.value(QLatin1String("requests")).toInteger();
    s.requestsPerSecond = o.value(QLatin1String("rps")).toDouble();
    s.p50Us = o.value(QLatin1String("p50Us")).toDouble();
    s.p90Us = o.value(QLatin1String("p90Us")).toDouble();
    s.p99Us = o.value(QLatin1String("p99Us")).toDouble();
    s.maxUs = o.value(QLatin1String("maxUs")).toDouble();
    s.errors = errorsFromJson(o.value(QLatin1String("errors")).toObject());
    s.rssBytes = o.value(QLatin1String("rssBytes")).toInteger();
    s.pssBytes = o.value(QLatin1String("pssBytes")).toInteger();
    s.cpuPercent = o.value(QLatin1String("cpuPercent")).toDouble();
    s.cgroupMemoryBytes = measuredInteger(o.value(QLatin1String("cgroupMemoryBytes")));
    s.cgroupCpuPercent = measuredDouble(o.value(QLatin1String("cgroupCpuPercent")));
    s.databasePssBytes = o.value(QLatin1String("databasePssBytes")).toInteger();
    s.databaseCpuPercent = o.value(QLatin1String("databaseCpuPercent")).toDouble();
    return s;
}

QJsonObject planToJson(const BenchmarkPlan &plan)
{
    QJsonArray scenarios;
    for (Scenario scenario : plan.scenarios)
        scenarios.append(scenarioId(scenario));
    QJsonArray levels;
    for (int level : plan.connectionLevels)
        levels.append(level);
    QJsonArray remotes;
    for (const RemoteTarget &r : plan.remoteTargets)
        remotes.append(QJsonObject { { QStringLiteral("id"), r.id }, { QStringLiteral("name"), r.name },
            { QStringLiteral("url"), r.url }, { QStringLiteral("samplerUrl"), r.samplerUrl } });
    return { { QStringLiteral("targets"), QJsonArray::fromStringList(plan.targetIds) },
        { QStringLiteral("scenarios"), scenarios }, { QStringLiteral("connectionLevels"), levels },
        { QStringLiteral("warmupSeconds"), plan.warmupSeconds },
        { QStringLiteral("durationSeconds"), plan.durationSeconds },
        { QStringLiteral("intervalSeconds"), plan.intervalSeconds },
        { QStringLiteral("ioMilliseconds"), plan.ioMilliseconds }, { QStringLiteral("cpuN"), plan.cpuN },
        { QStringLiteral("queriesN"), plan.queriesN },
        { QStringLiteral("ioWorkers"),
            plan.ioWorkersRecommended ? QStringLiteral("recommended") : QStringLiteral("cores") },
        { QStringLiteral("databaseCpus"), plan.databaseCpus },
        { QStringLiteral("openLoopRate"), plan.openLoopRate },
        { QStringLiteral("timeoutSeconds"), plan.timeoutSeconds },
        { QStringLiteral("loadThreads"), plan.loadThreads }, { QStringLiteral("workers"), plan.workers },
        { QStringLiteral("serverCpus"), plan.serverCpus }, { QStringLiteral("loadCpus"), plan.loadCpus },
        { QStringLiteral("rounds"), plan.rounds }, { QStringLiteral("containment"), plan.containment },
        { QStringLiteral("containmentDetail"), plan.containmentDetail },
        { QStringLiteral("remoteTargets"), remotes }, { QStringLiteral("allowRemote"), plan.allowRemote },
        { QStringLiteral("capacity"), capacityPlanToJson(plan.capacity) } };
}

bool planFromJson(const QJsonObject &o, BenchmarkPlan *plan, QString *error)
{
    plan->targetIds.clear();
    for (const QJsonValue &id : o.value(QLatin1String("targets")).toArray())
        plan->targetIds << id.toString();
    plan->scenarios.clear();
    for (const QJsonValue &id : o.value(QLatin1String("scenarios")).toArray()) {
        const auto scenario = scenarioFromId(id.toString());
        if (!scenario) {
            *error = QStringLiteral("plan.scenarios: unknown scenario '%1'").arg(id.toString());
            return false;
        }
        plan->scenarios << *scenario;
    }
    plan->connectionLevels.clear();
    for (const QJsonValue &level : o.value(QLatin1String("connectionLevels")).toArray())
        plan->connectionLevels << level.toInt();
    plan->warmupSeconds = o.value(QLatin1String("warmupSeconds")).toDouble();
    plan->durationSeconds = o.value(QLatin1String("durationSeconds")).toDouble();
    plan->intervalSeconds = o.value(QLatin1String("intervalSeconds")).toDouble(1.0);
    plan->ioMilliseconds = o.value(QLatin1String("ioMilliseconds")).toInt();
    plan->cpuN = o.value(QLatin1String("cpuN")).toInt();
    plan->queriesN = o.value(QLatin1String("queriesN")).toInt(20);
    const QString ioWorkers = o.value(QLatin1String("ioWorkers")).toString(QStringLiteral("recommended"));
    if (ioWorkers != QLatin1String("recommended") && ioWorkers != QLatin1String("cores")) {
        *error
            = QStringLiteral("plan.ioWorkers: '%1' is neither \"recommended\" nor \"cores\"").arg(ioWorkers);
        return false;
    }
    plan->ioWorkersRecommended = ioWorkers == QLatin1String("recommended");
    plan->databaseCpus = o.value(QLatin1String("databaseCpus")).toString();
    plan->openLoopRate = o.value(QLatin1String("openLoopRate")).toDouble();
    plan->timeoutSeconds = o.value(QLatin1String("timeoutSeconds")).toDouble();
    plan->loadThreads = o.value(QLatin1String("loadThreads")).toInt();
    plan->workers = o.value(QLatin1String("workers")).toInt();
    plan->serverCpus = o.value(QLatin1String("serverCpus")).toString();
    plan->loadCpus = o.value(QLatin1String("loadCpus")).toString();
    // A run from before rounds measured each cell once.
    plan->rounds = o.value(QLatin1String("rounds")).toInt(1);
    plan->containment = o.value(QLatin1String("containment")).toString();
    plan->remoteTargets.clear();
    for (const QJsonValue &value : o.value(QLatin1String("remoteTargets")).toArray()) {
        const QJsonObject r = value.toObject();
        plan->remoteTargets << RemoteTarget { r.value(QLatin1String("id")).toString(),
            r.value(QLatin1String("name")).toString(), r.value(QLatin1String("url")).toString(),
            r.value(QLatin1String("samplerUrl")).toString() };
    }
    plan->allowRemote = o.value(QLatin1String("allowRemote")).toBool();
    plan->containmentDetail = o.value(QLatin1String("containmentDetail")).toString();
    plan->capacity = capacityPlanFromJson(o.value(QLatin1String("capacity")).toObject());
    return true;
}

QJsonObject memoryToJson(const MemoryStats &m)
{
    return { { QStringLiteral("idleRssBytes"), m.idleRssBytes },
        { QStringLiteral("idlePssBytes"), m.idlePssBytes },
        { QStringLiteral("meanRssBytes"), m.meanRssBytes },
        { QStringLiteral("meanPssBytes"), m.meanPssBytes },
        { QStringLiteral("peakRssBytes"), m.peakRssBytes },
        { QStringLiteral("peakPssBytes"), m.peakPssBytes },
        { QStringLiteral("idleCgroupBytes"), measured(m.idleCgroupBytes) },
        { QStringLiteral("meanCgroupBytes"), measured(m.meanCgroupBytes) },
        { QStringLiteral("peakCgroupBytes"), measured(m.peakCgroupBytes) } };
}

MemoryStats memoryFromJson(const QJsonObject &o)
{
    MemoryStats m;
    m.idleRssBytes = o.value(QLatin1String("idleRssBytes")).toInteger();
    m.idlePssBytes = o.value(QLatin1String("idlePssBytes")).toInteger();
    m.meanRssBytes = o.value(QLatin1String("meanRssBytes")).toInteger();
    m.meanPssBytes = o.value(QLatin1String("meanPssBytes")).toInteger();
    m.peakRssBytes = o.value(QLatin1String("peakRssBytes")).toInteger();
    m.peakPssBytes = o.value(QLatin1String("peakPssBytes")).toInteger();
    m.idleCgroupBytes = measuredInteger(o.value(QLatin1String("idleCgroupBytes")));
    m.meanCgroupBytes = measuredInteger(o.value(QLatin1String("meanCgroupBytes")));
    m.peakCgroupBytes = measuredInteger(o.value(QLatin1String("peakCgroupBytes")));
    return m;
}

QJsonObject databaseCellToJson(const DatabaseCellStats &d)
{
    QJsonValue client;
    if (d.client) {
        client = QJsonObject { { QStringLiteral("driver"), d.client->driver },
            { QStringLiteral("driverVersion"), d.client->driverVersion },
            { QStringLiteral("pool"), d.client->pool }, { QStringLiteral("poolSize"), d.client->poolSize },
            { QStringLiteral("pools"), d.client->pools },
            { QStringLiteral("poolSizeSource"), d.client->poolSizeSource } };
    }
    return { { QStringLiteral("cpuPercentMean"), d.cpuPercentMean },
        { QStringLiteral("cpuPercentPeak"), d.cpuPercentPeak },
        { QStringLiteral("idlePssBytes"), d.idlePssBytes },
        { QStringLiteral("meanPssBytes"), d.meanPssBytes },
        { QStringLiteral("peakPssBytes"), d.peakPssBytes }, { QStringLiteral("client"), client },
        { QStringLiteral("clientError"), d.clientError } };
}

DatabaseCellStats databaseCellFromJson(const QJsonObject &o)
{
    DatabaseCellStats d;
    d.cpuPercentMean = o.value(QLatin1String("cpuPercentMean")).toDouble();
    d.cpuPercentPeak = o.value(QLatin1String("cpuPercentPeak")).toDouble();
    d.idlePssBytes = o.value(QLatin1String("idlePssBytes")).toInteger();
    d.meanPssBytes = o.value(QLatin1String("meanPssBytes")).toInteger();
    d.peakPssBytes = o.value(QLatin1String("peakPssBytes")).toInteger();
    d.clientError = o.value(QLatin1String("clientError")).toString();
    const QJsonValue client = o.value(QLatin1String("client"));
    if (client.isObject())
        d.client = databaseClientFromJson(client.toObject());
    return d;
}

QJsonObject databaseRecordToJson(const DatabaseRecord &d)
{
    QJsonObject configuration;
    for (auto it = d.configuration.cbegin(); it != d.configuration.cend(); ++it)
        configuration.insert(it.key(), it.value());
    return { { QStringLiteral("engine"), QStringLiteral("PostgreSQL") },
        { QStringLiteral("version"), d.version }, { QStringLiteral("dataFolder"), d.dataFolder },
        { QStringLiteral("logPath"), d.logPath }, { QStringLiteral("port"), d.port },
        { QStringLiteral("runAs"), d.runAs }, { QStringLiteral("cpus"), d.cpus },
        { QStringLiteral("placement"), d.placement }, { QStringLiteral("placementText"), d.placementText },
        { QStringLiteral("configuration"), configuration }, { QStringLiteral("created"), d.created },
        { QStringLiteral("seeded"), d.seeded }, { QStringLiteral("failure"), d.failure } };
}

DatabaseRecord databaseRecordFromJson(const QJsonObject &o)
{
    const auto s = [&o](const char *key) { return o.value(QLatin1String(key)).toString(); };
    DatabaseRecord d;
    d.version = s("version");
    d.dataFolder = s("dataFolder");
    d.logPath = s("logPath");
    d.port = o.value(QLatin1String("port")).toInt();
    d.runAs = s("runAs");
    d.cpus = s("cpus");
    d.placement = s("placement");
    d.placementText = s("placementText");
    const QJsonObject configuration = o.value(QLatin1String("configuration")).toObject();
    for (auto it = configuration.begin(); it != configuration.end(); ++it)
        d.configuration.insert(it.key(), it.value().toString());
    d.created = o.value(QLatin1String("created")).toBool();
    d.seeded = o.value(QLatin1String("seeded")).toBool();
    d.failure = s("failure");
    return d;
}

QJsonObject targetToJson(const TargetResult &t)
{
    QJsonArray timeline;
    for (const IntervalSample &sample : t.timeline)
        timeline.append(sampleToJson(sample));
    return { { QStringLiteral("targetId"), t.targetId }, { QStringLiteral("displayName"), t.displayName },
        { QStringLiteral("language"), t.language }, { QStringLiteral("framework"), t.framework },
        { QStringLiteral("frameworkVersion"), t.frameworkVersion }, { QStringLiteral("color"), t.color },
        { QStringLiteral("scenario"), scenarioId(t.scenario) },
        { QStringLiteral("connections"), t.connections },
        { QStringLiteral("status"), targetStatusId(t.status) },
        { QStringLiteral("failureReason"), t.failureReason },
        { QStringLiteral("durationSeconds"), t.durationSeconds }, { QStringLiteral("requests"), t.requests },
        { QStringLiteral("requestsPerSecond"), t.requestsPerSecond },
        { QStringLiteral("bytesRead"), t.bytesRead },
        { QStringLiteral("latencyUs"), latencyToJson(t.latency) },
        { QStringLiteral("uncorrectedLatencyUs"),
            t.uncorrectedLatency ? QJsonValue(latencyToJson(*t.uncorrectedLatency)) : QJsonValue() },
        { QStringLiteral("sendLagUs"), t.sendLag ? QJsonValue(sendLagToJson(*t.sendLag)) : QJsonValue() },
        { QStringLiteral("errors"), errorsToJson(t.errors) },
        { QStringLiteral("memory"), memoryToJson(t.memory) },
        { QStringLiteral("cpuPercentMean"), t.cpuPercentMean },
        { QStringLiteral("cpuPercentPeak"), t.cpuPercentPeak },
        { QStringLiteral("cgroupCpuPercentMean"), measured(t.cgroupCpuPercentMean) },
        { QStringLiteral("cgroupCpuPercentPeak"), measured(t.cgroupCpuPercentPeak) },
        { QStringLiteral("deployableBytes"), t.deployableBytes },
        { QStringLiteral("deployableWhat"), t.deployableWhat }, { QStringLiteral("workers"), t.workers },
        { QStringLiteral("workerRule"), t.workerRule },
        { QStringLiteral("workerRuleSource"), t.workerRuleSource },
        { QStringLiteral("database"),
            t.database ? QJsonValue(databaseCellToJson(*t.database)) : QJsonValue() },
        { QStringLiteral("serverCpus"), t.serverCpus }, { QStringLiteral("loadCpus"), t.loadCpus },
        { QStringLiteral("loadThreads"), t.loadThreads }, { QStringLiteral("loadIdle"), t.loadIdle },
        { QStringLiteral("loadPollingSeconds"), t.loadPollingSeconds },
        { QStringLiteral("generatorSaturated"), t.generatorSaturated },
        { QStringLiteral("saturationReason"), t.saturationReason }, { QStringLiteral("logPath"), t.logPath },
        { QStringLiteral("warnings"), QJsonArray::fromStringList(t.warnings) },
        { QStringLiteral("timeline"), timeline },
        { QStringLiteral("capacity"),
            t.capacity ? QJsonValue(capacitySweepToJson(*t.capacity)) : QJsonValue() } };
}

std::optional<TargetStatus> targetStatusFromId(const QString &id)
{
    for (TargetStatus status : { TargetStatus::Completed, TargetStatus::Failed, TargetStatus::Cancelled }) {
        if (targetStatusId(status) == id)
            return status;
    }
    return std::nullopt;
}

bool targetFromJson(const QJsonObject &o, TargetResult *t, QString *error)
{
    const auto s = [&o](const char *key) { return o.value(QLatin1String(key)).toString(); };
    const auto d = [&o](const char *key) { return o.value(QLatin1String(key)).toDouble(); };
    const auto i = [&o](const char *key) { return o.value(QLatin1String(key)).toInteger(); };
    t->targetId = s("targetId");
    if (t->targetId.isEmpty()) {
        *error = QStringLiteral("field 'targetId' is missing");
        return false;
    }
    t->displayName = s("displayName");
    t->language = s("language");
    t->framework = s("framework");
    t->frameworkVersion = s("frameworkVersion");
    t->color = s("color");
    const auto scenario = scenarioFromId(s("scenario"));
    const auto status = targetStatusFromId(s("status"));
    if (!scenario || !status) {
        *error = QStringLiteral("field '%1' has an unknown value")
                     .arg(scenario ? QStringLiteral("status") : QStringLiteral("scenario"));
        return false;
    }
    t->scenario = *scenario;
    t->status = *status;
    t->connections = int(i("connections"));
    t->failureReason = s("failureReason");
    t->durationSeconds = d("durationSeconds");
    t->requests = i("requests");
    t->requestsPerSecond = d("requestsPerSecond");
    t->bytesRead = i("bytesRead");
    t->latency = latencyFromJson(o.value(QLatin1String("latencyUs")).toObject());
    if (o.value(QLatin1String("uncorrectedLatencyUs")).isObject())
        t->uncorrectedLatency = latencyFromJson(o.value(QLatin1String("uncorrectedLatencyUs")).toObject());
    if (o.value(QLatin1String("sendLagUs")).isObject())
        t->sendLag = sendLagFromJson(o.value(QLatin1String("sendLagUs")).toObject());
    t->errors = errorsFromJson(o.value(QLatin1String("errors")).toObject());
    t->memory = memoryFromJson(o.value(QLatin1String("memory")).toObject());
    t->cpuPercentMean = d("cpuPercentMean");
    t->cpuPercentPeak = d("cpuPercentPeak");
    t->cgroupCpuPercentMean = measuredDouble(o.value(QLatin1String("cgroupCpuPercentMean")));
    t->cgroupCpuPercentPeak = measuredDouble(o.value(QLatin1String("cgroupCpuPercentPeak")));
    t->deployableBytes = i("deployableBytes");
    t->deployableWhat = s("deployableWhat");
    t->workers = int(i("workers"));
    t->workerRule = s("workerRule");
    t->workerRuleSource = s("workerRuleSource");
    if (o.value(QLatin1String("database")).isObject())
        t->database = databaseCellFromJson(o.value(QLatin1String("database")).toObject());
    t->serverCpus = s("serverCpus");
    t->loadCpus = s("loadCpus");
    t->loadThreads = int(i("loadThreads"));
    t->loadIdle = s("loadIdle");
    t->loadPollingSeconds = d("loadPollingSeconds");
    t->generatorSaturated = o.value(QLatin1String("generatorSaturated")).toBool();
    t->saturationReason = s("saturationReason");
    t->logPath = s("logPath");
    for (const QJsonValue &warning : o.value(QLatin1String("warnings")).toArray())
        t->warnings << warning.toString();
    for (const QJsonValue &sample : o.value(QLatin1String("timeline")).toArray())
        t->timeline.append(sampleFromJson(sample.toObject()));
    if (o.value(QLatin1String("capacity")).isObject()) {
        t->capacity = capacitySweepFromJson(o.value(QLatin1String("capacity")).toObject(), error);
        if (!t->capacity)
            return false;
    }
    return true;
}

QJsonArray histogramToJson(const QList<LatencyBucket> &buckets)
{
    QJsonArray array;
    for (const LatencyBucket &bucket : buckets)
        array.append(QJsonArray { bucket.upperUs, bucket.count });
    return array;
}

QList<LatencyBucket> histogramFromJson(const QJsonArray &array)
{
    QList<LatencyBucket> buckets;
    for (const QJsonValue &value : array) {
        const QJsonArray pair = value.toArray();
        buckets.append({ pair.at(0).toDouble(), pair.at(1).toInteger() });
    }
    return buckets;
}

// A cell or a round: its figures (targetToJson), its latency histogram, and a
// cell's rounds or a round's place in the run.
QJsonObject cellToJson(const TargetResult &t)
{
    QJsonObject object = targetToJson(t);
    object.insert(QStringLiteral("latencyHistogram"), histogramToJson(t.latencyHistogram));
    if (t.round > 0) {
        object.insert(QStringLiteral("round"), t.round);
        object.insert(QStringLiteral("runPosition"), t.runPosition);
        return object;
    }
    QJsonArray rounds;
    for (const TargetResult &round : t.rounds)
        rounds.append(cellToJson(round));
    object.insert(QStringLiteral("rounds"), rounds);
    return object;
}

bool cellFromJson(const QJsonObject &o, TargetResult *t, QString *error)
{
    if (!targetFromJson(o, t, error))
        return false;
    t->latencyHistogram = histogramFromJson(o.value(QLatin1String("latencyHistogram")).toArray());
    t->round = o.value(QLatin1String("round")).toInt(0);
    t->runPosition = o.value(QLatin1String("runPosition")).toInt(-1);
    const QJsonArray rounds = o.value(QLatin1String("rounds")).toArray();
    for (qsizetype r = 0; r < rounds.size(); ++r) {
        TargetResult round;
        if (!cellFromJson(rounds.at(r).toObject(), &round, error)) {
            *error = QStringLiteral("rounds[%1]: ").arg(r) + *error;
            return false;
        }
        t->rounds.push_back(std::move(round));
    }
    return true;
}

} // namespace

QJsonObject errorsToJson(const ErrorCounts &errors)
{
    return { { QStringLiteral("connect"), errors.connect }, { QStringLiteral("read"), errors.read },
        { QStringLiteral("timeout"), errors.timeout }, { QStringLiteral("status"), errors.status },
        { QStringLiteral("parse"), errors.parse } };
}

ErrorCounts errorsFromJson(const QJsonObject &object)
{
    ErrorCounts errors;
    errors.connect = object.value(QLatin1String("connect")).toInteger();
    errors.read = object.value(QLatin1String("read")).toInteger();
    errors.timeout = object.value(QLatin1String("timeout")).toInteger();
    errors.status = object.value(QLatin1String("status")).toInteger();
    errors.parse = object.value(QLatin1String("parse")).toInteger();
    return errors;
}

QJsonObject latencyToJson(const LatencySummary &l)
{
    return { { QStringLiteral("min"), l.minUs }, { QStringLiteral("mean"), l.meanUs },
        { QStringLiteral("stdev"), l.stdevUs }, { QStringLiteral("p50"), l.p50Us },
        { QStringLiteral("p75"), l.p75Us }, { QStringLiteral("p90"), l.p90Us },
        { QStringLiteral("p99"), l.p99Us }, { QStringLiteral("p99_9"), l.p999Us },
        { QStringLiteral("p99_99"), l.p9999Us }, { QStringLiteral("max"), l.maxUs } };
}

QJsonObject sendLagToJson(const SendLagSummary &lag)
{
    return { { QStringLiteral("p50"), lag.p50Us }, { QStringLiteral("p99"), lag.p99Us },
        { QStringLiteral("max"), lag.maxUs } };
}

SendLagSummary sendLagFromJson(const QJsonObject &o)
{
    SendLagSummary lag;
    lag.p50Us = o.value(QLatin1String("p50")).toDouble();
    lag.p99Us = o.value(QLatin1String("p99")).toDouble();
    lag.maxUs = o.value(QLatin1String("max")).toDouble();
    return lag;
}

LatencySummary latencyFromJson(const QJsonObject &o)
{
    const auto v = [&o](const char *key) { return o.value(QLatin1String(key)).toDouble(); };
    LatencySummary l;
    l.minUs = v("min");
    l.meanUs = v("mean");
    l.stdevUs = v("stdev");
    l.p50Us = v("p50");
    l.p75Us = v("p75");
    l.p90Us = v("p90");
    l.p99Us = v("p99");
    l.p999Us = v("p99_9");
    l.p9999Us = v("p99_99");
    l.maxUs = v("max");
    return l;
}

namespace {

struct StepKindName
{
    CapacityStep::Kind kind;
    const char *id;
};

constexpr StepKindName kStepKinds[] = {
    { CapacityStep::Kind::Coarse, "coarse" },
    { CapacityStep::Kind::Common, "common" },
    { CapacityStep::Kind::Bisection, "bisection" },
    { CapacityStep::Kind::Repeat, "repeat" },
    { CapacityStep::Kind::Extension, "extension" },
};

QJsonObject capacityStepToJson(const CapacityStep &s)
{
    return { { QStringLiteral("kind"), capacityStepKindId(s.kind) },
        { QStringLiteral("offeredRate"), s.offeredRate }, { QStringLiteral("achievedRate"), s.achievedRate },
        { QStringLiteral("durationSeconds"), s.durationSeconds }, { QStringLiteral("requests"), s.requests },
        { QStringLiteral("latencyUs"), latencyToJson(s.latency) },
        { QStringLiteral("uncorrectedLatencyUs"),
            s.uncorrectedLatency ? QJsonValue(latencyToJson(*s.uncorrectedLatency)) : QJsonValue() },
        { QStringLiteral("errors"), errorsToJson(s.errors) },
        { QStringLiteral("cpuPercentMean"), s.cpuPercentMean },
        { QStringLiteral("meanPssBytes"), s.meanPssBytes },
        { QStringLiteral("peakPssBytes"), s.peakPssBytes },
        { QStringLiteral("meanRssBytes"), s.meanRssBytes },
        { QStringLiteral("generatorSaturated"), s.generatorSaturated },
        { QStringLiteral("saturationReason"), s.saturationReason },
        { QStringLiteral("connectionsBusyLagMs"), s.connectionsBusyLagMs },
        { QStringLiteral("sendLagUs"), s.sendLag ? QJsonValue(sendLagToJson(*s.sendLag)) : QJsonValue() } };
}

std::optional<CapacityStep> capacityStepFromJson(const QJsonObject &o, QString *error)
{
    CapacityStep s;
    const QString kind = o.value(QLatin1String("kind")).toString();
    const auto known = std::find_if(std::begin(kStepKinds), std::end(kStepKinds),
        [&](const StepKindName &name) { return kind == QLatin1String(name.id); });
    if (known == std::end(kStepKinds)) {
        *error = QStringLiteral("field 'kind' has the unknown value '%1'").arg(kind);
        return std::nullopt;
    }
    s.kind = known->kind;
    s.offeredRate = o.value(QLatin1String("offeredRate")).toDouble();
    if (!(s.offeredRate > 0)) {
        *error = QStringLiteral("field 'offeredRate' must be a positive number of requests per second");
        return std::nullopt;
    }
    s.achievedRate = o.value(QLatin1String("achievedRate")).toDouble();
    s.durationSeconds = o.value(QLatin1String("durationSeconds")).toDouble();
    s.requests = o.value(QLatin1String("requests")).toInteger();
    s.latency = latencyFromJson(o.value(QLatin1String("latencyUs")).toObject());
    if (o.value(QLatin1String("uncorrectedLatencyUs")).isObject())
        s.uncorrectedLatency = latencyFromJson(o.value(QLatin1String("uncorrectedLatencyUs")).toObject());
    s.errors = errorsFromJson(o.value(QLatin1String("errors")).toObject());
    s.cpuPercentMean = o.value(QLatin1String("cpuPercentMean")).toDouble();
    s.meanPssBytes = o.value(QLatin1String("meanPssBytes")).toInteger();
    s.peakPssBytes = o.value(QLatin1String("peakPssBytes")).toInteger();
    s.meanRssBytes = o.value(QLatin1String("meanRssBytes")).toInteger();
    s.generatorSaturated = o.value(QLatin1String("generatorSaturated")).toBool();
    s.saturationReason = o.value(QLatin1String("saturationReason")).toString();
    s.connectionsBusyLagMs = o.value(QLatin1String("connectionsBusyLagMs")).toDouble();
    if (o.value(QLatin1String("sendLagUs")).isObject())
        s.sendLag = sendLagFromJson(o.value(QLatin1String("sendLagUs")).toObject());
    return s;
}

} // namespace

QString capacityStepKindId(CapacityStep::Kind kind)
{
    for (const StepKindName &name : kStepKinds) {
        if (name.kind == kind)
            return QLatin1String(name.id);
    }
    return {};
}

QJsonObject capacityPlanToJson(const CapacityPlan &p)
{
    QJsonArray cores;
    for (int count : p.scalingCores)
        cores.append(count);
    return { { QStringLiteral("enabled"), p.enabled },
        { QStringLiteral("latencyTargetMs"), p.latencyTargetMs },
        { QStringLiteral("minAchievedShare"), p.minAchievedShare },
        { QStringLiteral("maxErrorShare"), p.maxErrorShare },
        { QStringLiteral("lowFraction"), p.lowFraction }, { QStringLiteral("highFraction"), p.highFraction },
        { QStringLiteral("coarseSteps"), p.coarseSteps },
        { QStringLiteral("maxBisections"), p.maxBisections },
        { QStringLiteral("bisectionResolution"), p.bisectionResolution },
        { QStringLiteral("maxSteps"), p.maxSteps },
        { QStringLiteral("stepWarmupSeconds"), p.stepWarmupSeconds },
        { QStringLiteral("stepSeconds"), p.stepSeconds },
        { QStringLiteral("minStepRequests"), p.minStepRequests },
        { QStringLiteral("commonRate"), p.commonRate }, { QStringLiteral("scalingCores"), cores },
        { QStringLiteral("peakRequestsPerSecond"), p.peakRequestsPerSecond },
        { QStringLiteral("headroom"), p.headroom }, { QStringLiteral("coresPerServer"), p.coresPerServer } };
}

CapacityPlan capacityPlanFromJson(const QJsonObject &o)
{
    CapacityPlan p;
    const auto d
        = [&o](const char *key, double fallback) { return o.value(QLatin1String(key)).toDouble(fallback); };
    const auto i
        = [&o](const char *key, int fallback) { return o.value(QLatin1String(key)).toInt(fallback); };
    p.enabled = o.value(QLatin1String("enabled")).toBool(false);
    p.latencyTargetMs = d("latencyTargetMs", p.latencyTargetMs);
    p.minAchievedShare = d("minAchievedShare", p.minAchievedShare);
    p.maxErrorShare = d("maxErrorShare", p.maxErrorShare);
    p.lowFraction = d("lowFraction", p.lowFraction);
    p.highFraction = d("highFraction", p.highFraction);
    p.coarseSteps = i("coarseSteps", p.coarseSteps);
    p.maxBisections = i("maxBisections", p.maxBisections);
    p.bisectionResolution = d("bisectionResolution", p.bisectionResolution);
    p.maxSteps = i("maxSteps", p.maxSteps);
    p.stepWarmupSeconds = d("stepWarmupSeconds", p.stepWarmupSeconds);
    p.stepSeconds = d("stepSeconds", p.stepSeconds);
    p.minStepRequests = i("minStepRequests", p.minStepRequests);
    p.commonRate = d("commonRate", p.commonRate);
    for (const QJsonValue &count : o.value(QLatin1String("scalingCores")).toArray())
        p.scalingCores << count.toInt();
    p.peakRequestsPerSecond = d("peakRequestsPerSecond", p.peakRequestsPerSecond);
    p.headroom = d("headroom", p.headroom);
    p.coresPerServer = i("coresPerServer", p.coresPerServer);
    return p;
}

QJsonObject capacitySweepToJson(const CapacitySweep &sweep)
{
    QJsonArray steps;
    for (const CapacityStep &step : sweep.steps)
        steps.append(capacityStepToJson(step));
    return { { QStringLiteral("steps"), steps }, { QStringLiteral("stopReason"), sweep.stopReason } };
}

std::optional<CapacitySweep> capacitySweepFromJson(const QJsonObject &o, QString *error)
{
    CapacitySweep sweep;
    sweep.stopReason = o.value(QLatin1String("stopReason")).toString();
    const QJsonArray steps = o.value(QLatin1String("steps")).toArray();
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const auto step = capacityStepFromJson(steps.at(i).toObject(), error);
        if (!step) {
            *error = QStringLiteral("capacity.steps[%1]: ").arg(i) + *error;
            return std::nullopt;
        }
        sweep.steps << *step;
    }
    return sweep;
}

DatabaseClientInfo databaseClientFromJson(const QJsonObject &o)
{
    DatabaseClientInfo c;
    c.driver = o.value(QLatin1String("driver")).toString();
    c.driverVersion = o.value(QLatin1String("driverVersion")).toString();
    c.pool = o.value(QLatin1String("pool")).toString();
    c.poolSize = o.value(QLatin1String("poolSize")).toInt();
    c.pools = o.value(QLatin1String("pools")).toInt();
    c.poolSizeSource = o.value(QLatin1String("poolSizeSource")).toString();
    return c;
}

const QList<Scenario> &allScenarios()
{
    static const QList<Scenario> list = [] {
        QList<Scenario> l;
        for (const ScenarioName &name : kScenarios)
            l << name.scenario;
        return l;
    }();
    return list;
}

QString scenarioIdList()
{
    QStringList ids;
    for (const ScenarioName &name : kScenarios)
        ids << QLatin1String(name.id);
    return ids.join(QStringLiteral(", "));
}

bool isDatabaseScenario(Scenario scenario)
{
    return scenario == Scenario::Db || scenario == Scenario::Queries || scenario == Scenario::Fortunes;
}

bool isIoBound(Scenario scenario)
{
    return scenario == Scenario::Io || isDatabaseScenario(scenario);
}

bool BenchmarkPlan::hasDatabaseScenario() const
{
    return std::any_of(scenarios.cbegin(), scenarios.cend(), isDatabaseScenario);
}

QList<int> roundOrder(int cellCount, int round)
{
    QList<int> order;
    for (int i = 0; i < cellCount; ++i)
        order << (round % 2 == 0 ? cellCount - 1 - i : i);
    return order;
}

QString scenarioId(Scenario scenario)
{
    for (const ScenarioName &name : kScenarios) {
        if (name.scenario == scenario)
            return QLatin1String(name.id);
    }
    return {};
}

std::optional<Scenario> scenarioFromId(QStringView id)
{
    for (const ScenarioName &name : kScenarios) {
        if (id == QLatin1String(name.id))
            return name.scenario;
    }
    return std::nullopt;
}

const RemoteTarget *BenchmarkPlan::remoteTarget(const QString &id) const
{
    for (const RemoteTarget &r : remoteTargets) {
        if (r.id == id)
            return &r;
    }
    return nullptr;
}

QString scenarioPath(Scenario scenario, const BenchmarkPlan &plan)
{
    switch (scenario) {
    case Scenario::Json:
        return QStringLiteral("/json");
    case Scenario::Plaintext:
        return QStringLiteral("/plaintext");
    case Scenario::Io:
        return QStringLiteral("/io?ms=%1").arg(plan.ioMilliseconds);
    case Scenario::Cpu:
        return QStringLiteral("/cpu?n=%1").arg(plan.cpuN);
    case Scenario::Db:
        return QStringLiteral("/db");
    case Scenario::Queries:
        return QStringLiteral("/queries?n=%1").arg(plan.queriesN);
    case Scenario::Fortunes:
        return QStringLiteral("/fortunes");
    }
    return QStringLiteral("/json");
}

QString scenarioTitle(Scenario scenario)
{
    for (const ScenarioName &name : kScenarios) {
        if (name.scenario == scenario)
            return QLatin1String(name.title);
    }
    return {};
}

QString targetStatusId(TargetStatus status)
{
    switch (status) {
    case TargetStatus::Completed:
        return QStringLiteral("completed");
    case TargetStatus::Failed:
        return QStringLiteral("failed");
    case TargetStatus::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

QString runStatusId(RunStatus status)
{
    switch (status) {
    case RunStatus::Completed:
        return QStringLiteral("completed");
    case RunStatus::Cancelled:
        return QStringLiteral("cancelled");
    case RunStatus::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

QJsonObject RunResult::toJson() const
{
    QJsonObject versions;
    for (auto it = machine.versions.cbegin(); it != machine.versions.cend(); ++it)
        versions.insert(it.key(), it.value());
    QJsonArray targetArray;
    for (const TargetResult &target : targets)
        targetArray.append(cellToJson(target));
    return { { QStringLiteral("schema"), QStringLiteral("stackadvisor-run") },
        { QStringLiteral("schemaVersion"), kJsonSchemaVersion }, { QStringLiteral("id"), id },
        { QStringLiteral("startedAt"), startedAt.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("finishedAt"), finishedAt.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("status"), runStatusId(status) }, { QStringLiteral("plan"), planToJson(plan) },
        { QStringLiteral("machine"),
            QJsonObject { { QStringLiteral("cpuModel"), machine.cpuModel },
                { QStringLiteral("logicalCores"), machine.logicalCores },
                { QStringLiteral("memoryBytes"), machine.memoryBytes }, { QStringLiteral("os"), machine.os },
                { QStringLiteral("kernel"), machine.kernel }, { QStringLiteral("versions"), versions } } },
        { QStringLiteral("targets"), targetArray },
        { QStringLiteral("engine"),
            QJsonObject { { QStringLiteral("name"), engine.name },
                { QStringLiteral("version"), engine.version }, { QStringLiteral("workers"), engine.workers },
                { QStringLiteral("importedFrom"), engine.importedFrom } } },
        { QStringLiteral("database"),
            database ? QJsonValue(databaseRecordToJson(*database)) : QJsonValue() } };
}

std::optional<RunResult> RunResult::fromJson(const QJsonObject &object, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (object.value(QLatin1String("schema")).toString() != QLatin1String("stackadvisor-run")) {
        *error = QStringLiteral("not a Stack Advisor run: field 'schema' must be \"stackadvisor-run\"");
        return std::nullopt;
    }
    const int version = object.value(QLatin1String("schemaVersion")).toInt();
    if (version != kJsonSchemaVersion) {
        *error = QStringLiteral("field 'schemaVersion' is %1; this version of the app reads %2")
                     .arg(version)
                     .arg(kJsonSchemaVersion);
        return std::nullopt;
    }
    RunResult run;
    run.id = object.value(QLatin1String("id")).toInteger(-1);
    run.startedAt
        = QDateTime::fromString(object.value(QLatin1String("startedAt")).toString(), Qt::ISODateWithMs);
    run.finishedAt
        = QDateTime::fromString(object.value(QLatin1String("finishedAt")).toString(), Qt::ISODateWithMs);
    const QString status = object.value(QLatin1String("status")).toString();
    bool knownStatus = false;
    for (RunStatus candidate : { RunStatus::Completed, RunStatus::Cancelled, RunStatus::Failed }) {
        if (runStatusId(candidate) == status) {
            run.status = candidate;
            knownStatus = true;
        }
    }
    if (!knownStatus) {
        *error = QStringLiteral("field 'status' has the unknown value '%1'").arg(status);
        return std::nullopt;
    }
    if (!planFromJson(object.value(QLatin1String("plan")).toObject(), &run.plan, error))
        return std::nullopt;
    const QJsonObject machine = object.value(QLatin1String("machine")).toObject();
    run.machine.cpuModel = machine.value(QLatin1String("cpuModel")).toString();
    run.machine.logicalCores = machine.value(QLatin1String("logicalCores")).toInt();
    run.machine.memoryBytes = machine.value(QLatin1String("memoryBytes")).toInteger();
    run.machine.os = machine.value(QLatin1String("os")).toString();
    run.machine.kernel = machine.value(QLatin1String("kernel")).toString();
    const QJsonObject versions = machine.value(QLatin1String("versions")).toObject();
    for (auto it = versions.begin(); it != versions.end(); ++it)
        run.machine.versions.insert(it.key(), it.value().toString());
    // Runs saved before the engine was recorded were all measured by stackadvisor-load.
    if (const QJsonValue engine = object.value(QLatin1String("engine")); engine.isObject()) {
        const QJsonObject e = engine.toObject();
        run.engine.name = e.value(QLatin1String("name")).toString(run.engine.name);
        run.engine.version = e.value(QLatin1String("version")).toString();
        run.engine.workers = e.value(QLatin1String("workers")).toInt();
        run.engine.importedFrom = e.value(QLatin1String("importedFrom")).toString();
    }
    if (object.value(QLatin1String("database")).isObject())
        run.database = databaseRecordFromJson(object.value(QLatin1String("database")).toObject());
    const QJsonArray targets = object.value(QLatin1String("targets")).toArray();
    for (qsizetype i = 0; i < targets.size(); ++i) {
        TargetResult target;
        if (!cellFromJson(targets.at(i).toObject(), &target, error)) {
            *error = QStringLiteral("targets[%1]: ").arg(i) + *error;
            return std::nullopt;
        }
        run.targets.append(target);
    }
    return run;
}

} // namespace sa::bench
