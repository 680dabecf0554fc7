#pragma once

// The search of a capacity run as a pure function of the steps so far: which
// offered rate to try next after a cell's closed-loop maximum, and what the steps
// say (which are sustained, where the knee is). No processes here: CapacityPhase
// runs the steps the search asks for, RunAnalysis reads them, and both read them
// through readSweep(), so the run and its report cannot disagree.

#include "results.h"

#include <QList>
#include <QString>

#include <optional>

namespace sa::bench {

// Why a step was not sustained; several may apply.
enum class StepShortfall {
    Latency = 0x1, // p99 above the latency target
    Throughput = 0x2, // achieved below minAchievedShare of offered
    Errors = 0x4, // errors at or above maxErrorShare
    Generator = 0x8, // the load generator did not keep up: the step measured it, not the server
};

struct StepVerdict
{
    bool sustained = false;
    int shortfalls = 0; // StepShortfall flags
    QString text; // "sustained" or "not sustained: p99 240 ms > 100 ms; achieved 93.1 % of offered"
};

// A step is sustained when its p99 is within the plan's latency target, it
// achieved at least minAchievedShare of the offered rate (less two requests over
// its window: the schedule's phase at the window's edges), fewer than
// maxErrorShare of its requests failed, and the load generator kept up.
StepVerdict evaluateStep(const CapacityStep &step, const CapacityPlan &plan);

// What the steps of one sweep say.
struct SweepReading
{
    QList<StepVerdict> verdicts; // per step, in run order
    QList<bool> superseded; // a later step ran at the same rate: the later one counts
    QList<int> byRate; // the steps that count, lowest offered rate first
    // The sustainable step: the highest sustained rate below the lowest unsustained
    // one (a sustained step above an unsustained one is not trusted until the lower
    // one is repeated). -1 when no step below the lowest unsustained was sustained.
    int sustainable = -1;
    // The knee: the lowest unsustained rate above the sustainable one; -1 when every
    // step was sustained.
    int knee = -1;
};
SweepReading readSweep(const QList<CapacityStep> &steps, const CapacityPlan &plan);

struct PlannedStep
{
    CapacityStep::Kind kind = CapacityStep::Kind::Coarse;
    double rate = 0; // req/s, a whole number
    double warmupSeconds = 0;
    double durationSeconds = 0;
};

// The steps of one cell: first the coarse rates (evenly from lowFraction to
// highFraction of the closed-loop maximum, with the common rate among them) in
// ascending order, stopping after two unsustained steps in a row; above the coarse
// steps while the highest is still sustained; an unsustained step below a sustained
// one once more; then bisection between the sustainable rate and the knee.
class CapacitySearch
{
public:
    CapacitySearch(const CapacityPlan &plan, double closedLoopRate);

    // The next step after `steps` (those this search asked for, in order), or
    // nullopt when the search is over; stopReason() then says why.
    std::optional<PlannedStep> next(const QList<CapacityStep> &steps) const;
    QString stopReason(const QList<CapacityStep> &steps) const;

    // The ascending steps, lowest first (the common rate among them when it is in range).
    QList<PlannedStep> ascendingSteps() const;
    // The measured window of a step at `rate`: stepSeconds, longer at low rates so
    // that the step has minStepRequests requests, at most twice stepSeconds.
    double stepSeconds(double rate) const;

private:
    PlannedStep planned(CapacityStep::Kind kind, double rate) const;

    CapacityPlan m_plan;
    double m_closedLoopRate = 0;
};

// "" when the capacity settings can run, else what is wrong and how to fix it.
QString validateCapacityPlan(const CapacityPlan &plan);
// Seconds a typical sweep takes after the closed-loop window, for the time-left estimate.
double estimatedSweepSeconds(const CapacityPlan &plan);

} // namespace sa::bench
