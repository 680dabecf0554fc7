#pragma once

#include "results.h"

#include <QObject>

#include <memory>

namespace sa::bench {

class ServerCatalog;

// Runs a BenchmarkPlan, one cell at a time: start the server → wait until ready →
// idle sample → warm-up → measured window → stop; every cell `plan.rounds` times,
// in the alternating order of roundOrder(). A round that fails ends its cell
// (its later rounds are skipped). Never blocks the caller's thread: servers and
// the load generator are child processes driven by signals.
// A plan with database scenarios also starts the private PostgreSQL before its
// first database cell and stops it after the last (DatabaseSession); finished()
// comes once it is gone.
class BenchmarkRunner final : public QObject
{
    Q_OBJECT

public:
    // Stepping: a capacity run's open-loop steps, after the closed-loop window.
    enum class Phase { Starting, Idle, WarmingUp, Measuring, Stopping, Stepping };
    Q_ENUM(Phase)

    // Knobs that are not part of the plan (they do not change what is measured).
    struct Options
    {
        QString loadGeneratorPath; // "" = Paths::loadGeneratorPath()
        QString logDirectory; // "" = <AppDataLocation>/logs/<start time>
        int readinessTimeoutMs = 30000; // a server not answering its readiness path by then fails
        int stopGraceMs = 5000; // SIGTERM → SIGKILL
        int sampleIntervalMs = 250; // ResourceSampler
        int idleSettleMs = 500; // after ready, before the idle sample
        bool endLeftovers = true; // end a crashed earlier session's children at start()
        // The private PostgreSQL of the database scenarios (DatabaseSession).
        QString databaseDataFolder; // "" = PostgresCluster::defaultDataFolder()
        QString databaseBinDir; // "" = the newest installed PostgreSQL
        int databasePort = 0; // 0 = a free port on 127.0.0.1 at each start
        int databaseReadyTimeoutMs = 60000; // for each of initdb, start-up and seeding
        bool useCgroups = true; // each server in a cgroup where the machine allows it
        QString lockFile; // "" = platform::RunLock::defaultPath(): one run at a time
    };

    explicit BenchmarkRunner(const ServerCatalog &catalog, QObject *parent = nullptr);
    ~BenchmarkRunner() override;

    void setOptions(const Options &options);
    const Options &options() const;

    // Validates the plan (planlimits.h); on a bad plan emits runFailed(reason) and
    // returns false. While another benchmark runs, warns once and waits for it.
    bool start(const BenchmarkPlan &plan);
    // Stops the current cell at once; the partial run is finished with status Cancelled.
    void cancel();
    bool isRunning() const;
    // About how long a plan takes: every round of every cell, each with its start,
    // idle sample, warm-up, window and stop (the start and stop estimated at 3 s).
    static double estimateSeconds(const BenchmarkPlan &plan);
    // The run so far (complete after finished()).
    const RunResult &result() const;

Q_SIGNALS:
    // A round of a cell begins (roundStarted first, then cellStarted): `round` of
    // `rounds`; cellIndex and cellCount count rounds of cells, over the whole run.
    void roundStarted(const QString &targetId, int round, int rounds);
    void cellStarted(const QString &targetId, int cellIndex, int cellCount);
    void phaseChanged(const QString &targetId, sa::bench::BenchmarkRunner::Phase phase);
    // Fractions 0..1 of the whole run and of the current cell; estimated seconds left.
    void progress(double runFraction, double cellFraction, double secondsLeft);
    void sampleReady(const QString &targetId, const sa::bench::IntervalSample &sample);
    // A round of a cell ended, also a failed one: the round's own result (its
    // `round` says which); result() holds the cell with its figures made again.
    void cellFinished(const sa::bench::TargetResult &result);
    void runFailed(const QString &reason); // the plan could not run at all
    // A figure may not be trustworthy (generator saturated, errors above 1 %, server and
    // load sharing a core); for a person.
    void warning(const QString &targetId, const QString &message);
    void finished(const sa::bench::RunResult &result); // completed or cancelled
    // A capacity run: a step of offered load began (it lasts about `seconds`), or ended.
    void capacityStepStarted(const QString &targetId, int stepIndex, double offeredRate, double seconds);
    void capacityStepFinished(const QString &targetId, int stepIndex, const sa::bench::CapacityStep &step);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace sa::bench
