#pragma once

// Value types of a benchmark run, shared by the runner, the store, the CLI, the
// comparison views and the PDF report. Plain data: no QObject, no Widgets.

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace sa::bench {

// What the load generator asks of every server (servers/CONTRACT.md). Db,
// Queries and Fortunes are TechEmpower's database tests on the app's private
// PostgreSQL (single query, multiple queries, fortunes).
enum class Scenario { Json, Plaintext, Io, Cpu, Db, Queries, Fortunes };

QString scenarioId(Scenario scenario); // "json", "plaintext", "io", "cpu", "db", "queries", "fortunes"
std::optional<Scenario> scenarioFromId(QStringView id);
QString scenarioTitle(Scenario scenario); // "JSON API", …
struct BenchmarkPlan;
// The request a scenario makes: "/json", "/io?ms=50", … (the plan's parameters).
QString scenarioPath(Scenario scenario, const BenchmarkPlan &plan);
// Every scenario, in the order the app lists them, and their ids as a sentence
// ("json, plaintext, io, cpu, db, queries, fortunes") for error messages.
const QList<Scenario> &allScenarios();
QString scenarioIdList();
// The scenario needs the database: the runner starts PostgreSQL for it.
bool isDatabaseScenario(Scenario scenario);
// The server waits on something outside itself (the database, or /io's
// sleep): the worker count follows each server's I/O recommendation.
bool isIoBound(Scenario scenario);

// A server the app did not start (bench --url): loaded where it runs, its memory
// and CPU read from `stackadvisor servers serve`'s sampler when there is one.
struct RemoteTarget
{
    QString id; // "url-<name>": how the plan's targetIds and the run's cells name it
    QString name; // for a person
    QString url; // http://host:port, the scenario's path appended
    QString samplerUrl; // http://host:port of servers serve's sampler; "" = none
};

// A capacity run (stackadvisor bench --capacity, "Find capacity" on the Benchmark
// page): after each cell's closed-loop window, open-loop steps of offered load
// against the same started server, to find the highest rate it sustains within
// a latency target. The search itself is CapacitySearch (capacitysweep.h); what
// the steps mean is RunAnalysis's (capacityanalysis.h).
struct CapacityPlan
{
    bool enabled = false;
    // A step is sustained when p99 ≤ latencyTargetMs, achieved ≥ minAchievedShare ×
    // offered and errors < maxErrorShare (and the load generator kept up).
    double latencyTargetMs = 100; // the Advisor's latency question may set it
    double minAchievedShare = 0.99;
    double maxErrorShare = 0.001;
    // The coarse steps: evenly from lowFraction to highFraction of the closed-loop maximum.
    double lowFraction = 0.1;
    double highFraction = 1.2;
    int coarseSteps = 7;
    // Then bisection between the highest sustained and the lowest unsustained rate,
    // until they are within bisectionResolution of each other or maxBisections ran.
    int maxBisections = 3;
    double bisectionResolution = 0.05;
    int maxSteps = 14; // every kind of step together, per cell
    double stepWarmupSeconds = 1.0; // not counted
    double stepSeconds = 3.0; // measured window of a step, at least…
    int minStepRequests = 1000; // …and long enough for this many requests, up to 2 × stepSeconds
    // Every target also runs a step at this rate, so that CPU per request is compared
    // at the same load; 0 = no such step.
    double commonRate = 500;
    // Server core counts to measure (WORKERS / GOMAXPROCS and CPU set), each a cell of
    // its own; empty = only the run's server cores (scaling not measured).
    QList<int> scalingCores;
    // Capacity at the stated peak: cores = peak ÷ (sustainable req/s per core × (1 − headroom)).
    double peakRequestsPerSecond = 10000; // the article's line between its traffic bands
    double headroom = 0.3; // share of each server's sustainable rate kept free
    int coresPerServer = 8;
};

// One benchmark: every target × scenario × connection level is one "cell", each
// run in turn with the same warm-up and measured window, `rounds` times over
// (a fresh server each time). Round 1 runs the cells in plan order, round 2 in
// reverse, round 3 in plan order again, and so on (roundOrder()): a drift of the
// machine over the run then does not favour the cells that come first.
struct BenchmarkPlan
{
    QStringList targetIds; // server catalog ids, in run order
    QList<Scenario> scenarios { Scenario::Json }; // the article's setting: a simple JSON API…
    QList<int> connectionLevels { 1000 }; // …with 1,000 concurrent users
    // Three short rounds rather than one long window, as TechEmpower and sharkbench
    // repeat: the median resists one disturbed round, and the spread says how far
    // a figure can be trusted. 3 × (2 s + 5 s) per cell keeps the default run of
    // the eight sample servers near four minutes (README, "Rounds").
    int rounds = 3;
    double warmupSeconds = 2.0;
    double durationSeconds = 5.0; // the measured window of one round
    double intervalSeconds = 1.0; // live samples: stackadvisor-load --interval (the GUI asks 0.5)
    int ioMilliseconds = 50; // GET /io?ms=N
    int cpuN = 10000; // GET /cpu?n=N
    int queriesN = 20; // GET /queries?n=N (1..500), TechEmpower's usual 20
    double openLoopRate = 0.0; // requests/s; 0 = closed loop (as wrk)
    double timeoutSeconds = 5.0; // per request
    int loadThreads = 0; // 0 = one per load-generator core
    int workers = 0; // 0 = automatic (WorkerRule); > 0: this many for every cell
    // For the database and io scenarios: true = each server's own recommendation
    // for I/O-bound work (its catalog entry's ioWorkers), false = one per core.
    bool ioWorkersRecommended = true;
    QString serverCpus; // "" = automatic: the cores not given to the load (nor to the database)
    QString loadCpus; // "" = automatic: max(1, cores/4) cores
    // "" = automatic: below 4 cores the database shares the load generator's
    // cores; from 4 on it gets max(1, cores/4) of its own (cpuassignment.h).
    QString databaseCpus;
    CapacityPlan capacity; // a capacity run when capacity.enabled
    // How the servers were kept together, as used (set by the runner): "cgroup"
    // or "process-group" (platform::ChildContainment); "" in runs made before it
    // was recorded. The detail says where, where memory was counted, or why not.
    QString containment;
    QString containmentDetail;
    // Targets of targetIds that are not in the catalog but loaded where they run.
    QList<RemoteTarget> remoteTargets;
    bool allowRemote = false; // remote targets beyond loopback (bench --allow-remote)
    const RemoteTarget *remoteTarget(const QString &id) const;

    bool hasDatabaseScenario() const;
};

// The order of the plan's cells (indices 0..cellCount-1) in round `round`
// (1-based): plan order in odd rounds, reversed in even ones.
QList<int> roundOrder(int cellCount, int round);

struct ErrorCounts
{
    qint64 connect = 0;
    qint64 read = 0; // read error or connection reset
    qint64 timeout = 0;
    qint64 status = 0; // status outside 2xx/3xx
    qint64 parse = 0; // malformed HTTP response
    qint64 total() const { return connect + read + timeout + status + parse; }
};

// All latencies in microseconds.
struct LatencySummary
{
    double minUs = 0, meanUs = 0, stdevUs = 0;
    double p50Us = 0, p75Us = 0, p90Us = 0, p99Us = 0, p999Us = 0, p9999Us = 0, maxUs = 0;
};

// Open loop: how late the load generator sent its requests, actual minus
// intended send time (its own lateness, plus waits for a free connection).
struct SendLagSummary
{
    double p50Us = 0, p99Us = 0, maxUs = 0;
};

// One load-generator interval (normally 1 s) joined with the resource sample
// nearest to its end: what the live charts plot.
struct IntervalSample
{
    double tSeconds = 0; // end of the interval, since the load started
    bool warmup = false;
    qint64 requests = 0; // completed in this interval
    double requestsPerSecond = 0;
    double p50Us = 0, p90Us = 0, p99Us = 0, maxUs = 0;
    ErrorCounts errors;
    qint64 rssBytes = 0; // the server's whole process tree, from /proc
    qint64 pssBytes = 0;
    double cpuPercent = 0; // 100 = one core busy
    // PostgreSQL's whole process tree (postmaster and backends), database scenarios only.
    qint64 databasePssBytes = 0;
    double databaseCpuPercent = 0;
    // The server's cgroup's own counters (ResourceSampler::Sample); -1 = not measured.
    qint64 cgroupMemoryBytes = -1;
    double cgroupCpuPercent = -1;
};

// One bucket of a latency histogram: the requests whose latency was at most
// upperUs (and above the previous bucket's bound).
struct LatencyBucket
{
    double upperUs = 0;
    qint64 count = 0;
    bool operator==(const LatencyBucket &other) const = default;
};

struct MemoryStats
{
    qint64 idleRssBytes = 0, idlePssBytes = 0; // before load
    qint64 meanRssBytes = 0, meanPssBytes = 0; // over the measured window
    qint64 peakRssBytes = 0, peakPssBytes = 0;
    // Charged to the server's cgroup, page cache not in use excluded (as a container
    // limit counts it); -1 = not measured (no cgroup, or no memory accounting).
    qint64 idleCgroupBytes = -1, meanCgroupBytes = -1, peakCgroupBytes = -1;
};

// The database client a server reported on its /info path (servers/CONTRACT.md).
struct DatabaseClientInfo
{
    QString driver; // "pgx", "asyncpg", "psycopg", "pg"
    QString driverVersion;
    QString pool; // "pgxpool", "psycopg_pool.ConnectionPool", …
    int poolSize = 0; // connections per pool
    int pools = 0; // processes holding a pool: at most pools × poolSize connections
    QString poolSizeSource; // where the size comes from, for a person
};

// What a database cell measured of PostgreSQL, beside the server's own figures.
struct DatabaseCellStats
{
    // PostgreSQL's whole process tree (postmaster and every backend) from /proc,
    // as the server's: CPU 100 = one core; mean and peak over the measured window.
    double cpuPercentMean = 0;
    double cpuPercentPeak = 0;
    qint64 idlePssBytes = 0;
    qint64 meanPssBytes = 0;
    qint64 peakPssBytes = 0;
    std::optional<DatabaseClientInfo> client; // from the server's /info
    QString clientError; // why /info could not be read ("" when it was)
};

// One open-loop step of a capacity run: a fixed offered rate against the server
// started for the cell, its own warm-up and measured window.
struct CapacityStep
{
    enum class Kind {
        Coarse, // one of the evenly spaced steps
        Common, // the plan's common rate (CPU per request compared across targets)
        Bisection, // between the highest sustained and the lowest unsustained rate
        Repeat, // an unsustained step below a sustained one, run again once
        Extension, // above the coarse steps, when the highest was still sustained
    };
    Kind kind = Kind::Coarse;
    double offeredRate = 0; // req/s asked of the load generator
    double achievedRate = 0; // completed req/s over the measured window
    double durationSeconds = 0;
    qint64 requests = 0;
    LatencySummary latency; // from the intended send time (coordinated omission corrected)
    std::optional<LatencySummary> uncorrectedLatency;
    ErrorCounts errors;
    // The server's whole process tree over the window, from its threads' run time
    // (schedstat; the sampler's ticks when unreadable); 100 = one core busy.
    double cpuPercentMean = 0;
    qint64 meanPssBytes = 0, peakPssBytes = 0, meanRssBytes = 0;
    bool generatorSaturated = false;
    QString saturationReason;
    // How far the schedule fell behind with every connection busy (0: it did
    // not): the target's doing, or too few connections, not the generator's;
    // that wait is in the latency.
    double connectionsBusyLagMs = 0;
    // How late the load generator sent the step's requests (actual − intended).
    std::optional<SendLagSummary> sendLag;

    double errorRate() const
    {
        return requests + errors.total() > 0 ? double(errors.total()) / double(requests + errors.total())
                                             : 0.0;
    }
};
QString capacityStepKindId(CapacityStep::Kind kind); // "coarse", "common", "bisection", "repeat", "extension"

// The steps a cell ran after its closed-loop window, in the order run.
struct CapacitySweep
{
    QList<CapacityStep> steps;
    QString stopReason; // why the search ended, for a person
};

enum class TargetStatus { Completed, Failed, Cancelled };
QString targetStatusId(TargetStatus status); // "completed", "failed", "cancelled"

// The result of one cell (target × scenario × connections).
struct TargetResult
{
    QString targetId;
    QString displayName;
    QString language;
    QString framework;
    QString frameworkVersion;
    QString color; // "#RRGGBB" from the catalog when the cell ran ("" = derived from the id)
    Scenario scenario = Scenario::Json;
    int connections = 0;

    // Failed until the runner says otherwise: a cell is completed only when its
    // load window ran to its end without a failure.
    TargetStatus status = TargetStatus::Failed;
    QString failureReason; // set when status != Completed: what went wrong, for a person

    double durationSeconds = 0; // measured window actually run
    qint64 requests = 0;
    double requestsPerSecond = 0;
    qint64 bytesRead = 0;
    LatencySummary latency; // coordinated-omission corrected in open loop
    std::optional<LatencySummary> uncorrectedLatency; // open loop only
    std::optional<SendLagSummary> sendLag; // open loop only
    ErrorCounts errors;
    MemoryStats memory;
    double cpuPercentMean = 0;
    double cpuPercentPeak = 0;
    double cgroupCpuPercentMean = -1; // from the cgroup's cpu.stat; -1 = not measured
    double cgroupCpuPercentPeak = -1;
    qint64 deployableBytes = 0; // binary / venv+interpreter / node_modules+runtime
    QString deployableWhat; // what deployableBytes counts, for a person

    int workers = 0;
    // How `workers` was chosen: "cores" (one per server core), "io-recommended"
    // (the server's recommendation for I/O work) or "override" (the plan's
    // --workers); workerRuleSource cites the recommendation.
    QString workerRule;
    QString workerRuleSource;
    QString serverCpus;
    QString loadCpus;
    int loadThreads = 0;
    // What the load generator did with nothing to do: "poll-if-alone" (it polled
    // for the next response while it had its CPU to itself) or "sleep" (told
    // --no-poll: its CPUs also ran what the cell measures); "" in runs made
    // before this was recorded. loadPollingSeconds: the CPU time it polled, as
    // it reported it (summed over the rounds).
    QString loadIdle;
    double loadPollingSeconds = 0;

    std::optional<DatabaseCellStats> database; // database scenarios only

    bool generatorSaturated = false; // the figure may be limited by the load generator
    QString saturationReason;

    QList<IntervalSample> timeline; // warm-up and measured intervals (a capacity cell: every step's too)
    std::optional<CapacitySweep> capacity; // a capacity run: the open-loop steps after the closed-loop window
    QString logPath; // the server's log for this cell
    // About the server rather than its figures: it listened on every interface,
    // left processes behind after it stopped, ran without a cgroup.
    QStringList warnings;

    // The distribution of the measured window's latencies (the generator's own
    // histogram, in coarser log buckets: latencyhistogram.h). Of a cell: every
    // counted round's requests together.
    QList<LatencyBucket> latencyHistogram;

    // Rounds. A cell's figures are those of its rounds (combineRounds(),
    // rounds.h): counts and the window are totals, rates, latencies, memory and
    // CPU medians, the timeline and log those of its median round. `rounds` holds
    // every round that ran, each a TargetResult of its own with round >= 1 and no
    // rounds of its own; empty in a run from before rounds (one round: the cell).
    int round = 0; // 0 for a cell; 1.. for one of its rounds
    int runPosition = -1; // a round's place in the run (0 = first to run)
    // std::vector: a member of its own element type, which QList does not allow.
    std::vector<TargetResult> rounds;

    double errorRate() const
    {
        return requests + errors.total() > 0 ? double(errors.total()) / double(requests + errors.total())
                                             : 0.0;
    }
};

struct MachineInfo
{
    QString cpuModel;
    int logicalCores = 0;
    qint64 memoryBytes = 0;
    QString os; // PRETTY_NAME of /etc/os-release
    QString kernel;
    QMap<QString, QString> versions; // "go", "python", "node", "qt", "stackadvisor", "stackadvisor-load"
};

// The private PostgreSQL of a run with database scenarios, as it ran.
struct DatabaseRecord
{
    QString version; // as the server reports it: "15.18 (Debian 15.18-0+deb12u1)"
    QString dataFolder;
    QString logPath;
    int port = 0;
    QString runAs; // the OS user running it
    QString cpus; // as pinned, e.g. "1"
    // "shared-with-load" (fewer than 4 cores), "own" (its own cores), or
    // "as-asked" (the plan's databaseCpus); placementText says it for a person.
    QString placement;
    QString placementText;
    QMap<QString, QString> configuration; // the settings written for the run
    bool created = false; // this run ran initdb
    bool seeded = false; // this run loaded the rows
    QString failure; // why it could not start or stopped early ("" = it served every database cell)
};

// Completed: every cell ran (some may have failed, each says why); Cancelled:
// stopped by the user; Failed: no cell completed.
enum class RunStatus { Completed, Cancelled, Failed };
QString runStatusId(RunStatus status);

// What measured the run: the app's own load generator, or an engine whose
// results were read back (stackadvisor bench --import-locust; core/bench/locust.h).
struct LoadEngine
{
    QString name = QStringLiteral("stackadvisor-load"); // or "locust"
    QString version;
    int workers = 0; // Locust: worker processes under one master (0 = a single process)
    QString importedFrom; // the folder or file it was read from
    bool isOwn() const { return name == QLatin1String("stackadvisor-load"); }
};

struct RunResult
{
    qint64 id = -1; // ResultStore id, -1 until saved
    QDateTime startedAt;
    QDateTime finishedAt;
    RunStatus status = RunStatus::Completed;
    BenchmarkPlan plan; // as asked
    MachineInfo machine;
    QList<TargetResult> targets; // every cell, in run order, failures included
    LoadEngine engine;
    std::optional<DatabaseRecord> database; // runs with database scenarios

    // The documented export schema (README, "Results JSON").
    QJsonObject toJson() const;
    static std::optional<RunResult> fromJson(const QJsonObject &object, QString *error);
    // The CSV is a table of the run's analysis: RunAnalysis::toCsv().
};

// The error and latency objects of the results JSON. stackadvisor-load's --json
// lines use the same keys, so LoadRun parses them with these too.
QJsonObject errorsToJson(const ErrorCounts &errors);
ErrorCounts errorsFromJson(const QJsonObject &object);
QJsonObject latencyToJson(const LatencySummary &latency);
LatencySummary latencyFromJson(const QJsonObject &object);
// The "database" object of a server's /info (servers/CONTRACT.md) and of a cell.
DatabaseClientInfo databaseClientFromJson(const QJsonObject &object);
QJsonObject sendLagToJson(const SendLagSummary &lag);
SendLagSummary sendLagFromJson(const QJsonObject &object);

// A capacity run's plan and steps in the results JSON (README, "Results JSON").
// A missing key reads as its default, so runs saved before capacity runs read back.
QJsonObject capacityPlanToJson(const CapacityPlan &plan);
CapacityPlan capacityPlanFromJson(const QJsonObject &object);
QJsonObject capacitySweepToJson(const CapacitySweep &sweep);
std::optional<CapacitySweep> capacitySweepFromJson(const QJsonObject &object, QString *error);

} // namespace sa::bench

Q_DECLARE_METATYPE(sa::bench::IntervalSample)
Q_DECLARE_METATYPE(sa::bench::TargetResult)
Q_DECLARE_METATYPE(sa::bench::RunResult)
Q_DECLARE_METATYPE(sa::bench::CapacityStep)
Q_DECLARE_METATYPE(sa::bench::CapacitySweep)
