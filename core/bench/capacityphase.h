#pragma once

#include "capacitysweep.h"
#include "loadrun.h"
#include "results.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <optional>

namespace sa::bench {

class ResourceSampler;

// The open-loop part of a capacity cell: against the server the runner started
// and measured closed-loop, one stackadvisor-load run per step, at the rates
// CapacitySearch asks for, each with its own warm-up and measured window, the
// server's CPU and memory taken from the runner's sampler over that window.
class CapacityPhase final : public QObject
{
    Q_OBJECT

public:
    struct Settings
    {
        LoadRun::Settings load; // program, url, connections, threads, timeout, interval, cpus
        CapacityPlan plan;
        double closedLoopRate = 0; // the cell's closed-loop maximum, req/s
        double timeOffsetSeconds = 0; // the cell's load time so far: step intervals continue its timeline
        qint64 serverPid = 0; // the root of the server's process tree, for its CPU time
    };

    // The sampler must outlive the phase (the runner owns both).
    explicit CapacityPhase(ResourceSampler *sampler, QObject *parent = nullptr);
    ~CapacityPhase() override;

    void start(const Settings &settings);
    // Stops the current step at once; neither finished() nor failed() follows.
    void cancel();
    const CapacitySweep &sweep() const { return m_sweep; }

Q_SIGNALS:
    void stepStarted(int stepIndex, double offeredRate, double seconds);
    // A load interval of the current step; tSeconds continues the cell's timeline.
    void intervalReady(const sa::bench::IntervalSample &sample);
    void stepFinished(int stepIndex, const sa::bench::CapacityStep &step);
    void finished(const sa::bench::CapacitySweep &sweep);
    // A step could not run (the generator failed); the steps so far are in sweep().
    void failed(const QString &reason);

private:
    void startNext();
    void onStepFinished(const LoadSummary &summary);

    ResourceSampler *m_sampler = nullptr;
    Settings m_settings;
    CapacitySweep m_sweep;
    QPointer<LoadRun> m_load;
    PlannedStep m_step;
    double m_stepOffset = 0; // the cell's timeline time at which the current step began
    double m_lastT = 0;
    double m_measureStartT = -1; // sampler time when the step's measured window began
    std::optional<qint64> m_cpuStartNs; // the server tree's CPU time then
    QElapsedTimer m_window; // since then
    // When the measured window ended (its planned length after it began): the
    // server's CPU time then and the sampler's clock. After it, the server still
    // works off what was queued and the generator writes its report; neither is
    // the step's.
    std::optional<qint64> m_cpuEndNs;
    double m_windowSeconds = 0;
    double m_measureEndT = -1;
    quint64 m_generation = 0; // timers of a cancelled step check it
    bool m_cancelled = false;
};

} // namespace sa::bench
