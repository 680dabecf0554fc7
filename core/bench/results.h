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

// What the load generator asks of every server (servers/CONTRACT.md).
enum class Scenario { Json, Plaintext, Io, Cpu };

QString scenarioId(Scenario scenario); // "json", "plaintext", "io", "cpu"
std::optional<Scenario> scenarioFromId(QStringView id);
QString scenarioTitle(Scenario scenario); // "JSON API", …

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
    double openLoopRate = 0.0; // requests/s; 0 = closed loop (as wrk)
    double timeoutSeconds = 5.0; // per request
    int loadThreads = 0; // 0 = one per load-generator core
    int workers = 0; // 0 = one per server core
    QString serverCpus; // "" = automatic: the cores not given to the load
    QString loadCpus; // "" = automatic: max(1, cores/4) cores
    // How the servers were kept together, as used (set by the runner): "cgroup"
    // or "process-group" (platform::ChildContainment); "" in runs made before it
    // was recorded. The detail says where, where memory was counted, or why not.
    QString containment;
    QString containmentDetail;
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
    QString serverCpus;
    QString loadCpus;
    int loadThreads = 0;

    bool generatorSaturated = false; // the figure may be limited by the load generator
    QString saturationReason;

    QList<IntervalSample> timeline; // warm-up and measured intervals
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

// Completed: every cell ran (some may have failed, each says why); Cancelled:
// stopped by the user; Failed: no cell completed.
enum class RunStatus { Completed, Cancelled, Failed };
QString runStatusId(RunStatus status);

struct RunResult
{
    qint64 id = -1; // ResultStore id, -1 until saved
    QDateTime startedAt;
    QDateTime finishedAt;
    RunStatus status = RunStatus::Completed;
    BenchmarkPlan plan; // as asked
    MachineInfo machine;
    QList<TargetResult> targets; // every cell, in run order, failures included

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
QJsonObject sendLagToJson(const SendLagSummary &lag);
SendLagSummary sendLagFromJson(const QJsonObject &object);

} // namespace sa::bench

Q_DECLARE_METATYPE(sa::bench::IntervalSample)
Q_DECLARE_METATYPE(sa::bench::TargetResult)
Q_DECLARE_METATYPE(sa::bench::RunResult)
