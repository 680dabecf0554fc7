#pragma once

#include "results.h"

#include <QObject>

#include <memory>

namespace sa::bench {

class ServerCatalog;

// Runs a BenchmarkPlan, one cell at a time: start the server → wait until ready →
// idle sample → warm-up → measured window → stop. Never blocks the caller's
// thread: servers and the load generator are child processes driven by signals.
class BenchmarkRunner final : public QObject
{
    Q_OBJECT

public:
    enum class Phase { Starting, Idle, WarmingUp, Measuring, Stopping };
    Q_ENUM(Phase)

    explicit BenchmarkRunner(const ServerCatalog &catalog, QObject *parent = nullptr);
    ~BenchmarkRunner() override;

    // Validates the plan; on a bad plan emits runFailed(reason) and returns false.
    bool start(const BenchmarkPlan &plan);
    // Stops the current cell at once; the partial run is finished with status Cancelled.
    void cancel();
    bool isRunning() const;
    // The run so far (complete after finished()).
    const RunResult &result() const;

Q_SIGNALS:
    void cellStarted(const QString &targetId, int cellIndex, int cellCount);
    void phaseChanged(const QString &targetId, sa::bench::BenchmarkRunner::Phase phase);
    // Fractions 0..1 of the whole run and of the current cell; estimated seconds left.
    void progress(double runFraction, double cellFraction, double secondsLeft);
    void sampleReady(const QString &targetId, const sa::bench::IntervalSample &sample);
    void cellFinished(const sa::bench::TargetResult &result);   // also for a failed cell
    void runFailed(const QString &reason);                       // the plan could not run at all
    void finished(const sa::bench::RunResult &result);           // completed or cancelled

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace sa::bench
