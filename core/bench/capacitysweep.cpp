#include "capacitysweep.h"

#include "format.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace sa::bench {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sa::bench::CapacitySearch", text);
}

// Two rates this close are the same step (the generator is asked whole numbers).
constexpr double kSameRate = 0.005;
// A common rate this close to a coarse one replaces it rather than adding a step.
constexpr double kMergeCommon = 0.02;
// Requests a step may fall short of its share for the window's edges alone.
constexpr double kEdgeRequests = 2.0;
// Above the coarse steps, each extension offers this much more than the highest.
constexpr double kExtensionFactor = 1.2;

bool sameRate(double a, double b)
{
    return std::abs(a - b) <= kSameRate * std::max(a, b);
}

bool isAscending(CapacityStep::Kind kind)
{
    return kind == CapacityStep::Kind::Coarse || kind == CapacityStep::Kind::Common;
}

} // namespace

StepVerdict evaluateStep(const CapacityStep &step, const CapacityPlan &plan)
{
    StepVerdict verdict;
    QStringList why;
    const double p99Ms = step.latency.p99Us / 1000.0;
    if (step.requests == 0 || !(p99Ms <= plan.latencyTargetMs)) {
        verdict.shortfalls |= int(StepShortfall::Latency);
        why << (step.requests == 0
                ? tr("no request completed")
                : tr("p99 %1 ms > %2 ms")
                      .arg(fmt::milliseconds(step.latency.p99Us),
                          fmt::number(plan.latencyTargetMs, plan.latencyTargetMs < 10 ? 1 : 0)));
    }
    const double achieved = step.offeredRate > 0 ? step.achievedRate / step.offeredRate : 0;
    // The schedule's phase at the window's two edges can cost a request each.
    const double edgeSlack = step.durationSeconds > 0 && step.offeredRate > 0
        ? kEdgeRequests / (step.offeredRate * step.durationSeconds)
        : 0.0;
    if (achieved < plan.minAchievedShare - edgeSlack) {
        verdict.shortfalls |= int(StepShortfall::Throughput);
        why << tr("achieved %1 % of offered").arg(fmt::percent(achieved, 1));
    }
    if (step.errorRate() >= plan.maxErrorShare && step.errors.total() > 0) {
        verdict.shortfalls |= int(StepShortfall::Errors);
        why << tr("errors %1 %").arg(fmt::percent(step.errorRate(), 2));
    }
    if (step.generatorSaturated) {
        verdict.shortfalls |= int(StepShortfall::Generator);
        why << (step.saturationReason.isEmpty()
                ? tr("the load generator did not keep up")
                : tr("the load generator did not keep up (%1)").arg(step.saturationReason));
    }
    verdict.sustained = verdict.shortfalls == 0;
    verdict.text = verdict.sustained ? tr("sustained") : tr("not sustained: ") + why.join(u"; "_s);
    // Not a shortfall: requests waited for a connection, and that wait is in
    // the latency (from each one's intended send time), which is judged above.
    if (step.connectionsBusyLagMs > 0)
        verdict.text += tr(" (every connection was busy for up to %1 ms; that wait is in the latency)")
                            .arg(fmt::number(step.connectionsBusyLagMs, 1));
    return verdict;
}

SweepReading readSweep(const QList<CapacityStep> &steps, const CapacityPlan &plan)
{
    SweepReading reading;
    for (qsizetype i = 0; i < steps.size(); ++i) {
        reading.verdicts << evaluateStep(steps.at(i), plan);
        bool later = false;
        for (qsizetype j = i + 1; j < steps.size() && !later; ++j)
            later = sameRate(steps.at(i).offeredRate, steps.at(j).offeredRate);
        reading.superseded << later;
        if (!later)
            reading.byRate << int(i);
    }
    std::stable_sort(reading.byRate.begin(), reading.byRate.end(),
        [&](int a, int b) { return steps.at(a).offeredRate < steps.at(b).offeredRate; });
    for (int i : std::as_const(reading.byRate)) {
        if (!reading.verdicts.at(i).sustained) {
            reading.knee = i;
            break;
        }
        reading.sustainable = i;
    }
    return reading;
}

CapacitySearch::CapacitySearch(const CapacityPlan &plan, double closedLoopRate)
    : m_plan(plan), m_closedLoopRate(std::max(0.0, closedLoopRate))
{ }

double CapacitySearch::stepSeconds(double rate) const
{
    const double forRequests = rate > 0 ? double(m_plan.minStepRequests) / rate : 0;
    return std::clamp(forRequests, m_plan.stepSeconds, 2 * m_plan.stepSeconds);
}

PlannedStep CapacitySearch::planned(CapacityStep::Kind kind, double rate) const
{
    PlannedStep step;
    step.kind = kind;
    step.rate = std::max(1.0, std::round(rate));
    step.warmupSeconds = m_plan.stepWarmupSeconds;
    step.durationSeconds = stepSeconds(step.rate);
    return step;
}

QList<PlannedStep> CapacitySearch::ascendingSteps() const
{
    QList<PlannedStep> list;
    if (m_closedLoopRate <= 0)
        return list;
    const int count = std::max(2, m_plan.coarseSteps);
    for (int i = 0; i < count; ++i) {
        const double fraction
            = m_plan.lowFraction + (m_plan.highFraction - m_plan.lowFraction) * double(i) / double(count - 1);
        list << planned(CapacityStep::Kind::Coarse, fraction * m_closedLoopRate);
    }
    // The common rate is a step of its own, replacing a coarse step it nearly equals;
    // above the highest coarse step it would only measure an overloaded server.
    const double common = std::round(m_plan.commonRate);
    if (common >= 1 && common <= m_plan.highFraction * m_closedLoopRate) {
        const auto close = std::find_if(list.begin(), list.end(),
            [&](const PlannedStep &s) { return std::abs(s.rate - common) <= kMergeCommon * common; });
        if (close != list.end())
            *close = planned(CapacityStep::Kind::Common, common);
        else
            list << planned(CapacityStep::Kind::Common, common);
    }
    std::stable_sort(
        list.begin(), list.end(), [](const PlannedStep &a, const PlannedStep &b) { return a.rate < b.rate; });
    // Rounding can make two low steps of a slow server equal: keep one.
    list.erase(std::unique(list.begin(), list.end(),
                   [](const PlannedStep &a, const PlannedStep &b) { return sameRate(a.rate, b.rate); }),
        list.end());
    return list;
}

std::optional<PlannedStep> CapacitySearch::next(const QList<CapacityStep> &steps) const
{
    if (m_closedLoopRate <= 0 || steps.size() >= m_plan.maxSteps)
        return std::nullopt;
    const SweepReading reading = readSweep(steps, m_plan);

    // 1. Ascending, until two steps in a row are not sustained.
    int unsustainedInARow = 0;
    for (qsizetype i = 0; i < steps.size(); ++i) {
        if (isAscending(steps.at(i).kind))
            unsustainedInARow = reading.verdicts.at(i).sustained ? 0 : unsustainedInARow + 1;
    }
    if (unsustainedInARow < 2) {
        for (const PlannedStep &step : ascendingSteps()) {
            const bool done = std::any_of(steps.cbegin(), steps.cend(), [&](const CapacityStep &s) {
                return isAscending(s.kind) && sameRate(s.offeredRate, step.rate);
            });
            if (!done)
                return step;
        }
    }
    if (reading.byRate.isEmpty())
        return std::nullopt;

    // 2. Every step so far sustained: offer more, while the step budget lasts.
    if (reading.knee < 0) {
        const CapacityStep &highest = steps.at(reading.byRate.constLast());
        return planned(CapacityStep::Kind::Extension, highest.offeredRate * kExtensionFactor);
    }

    // 3. A sustained step above an unsustained one: run the unsustained one again, once.
    const double kneeRate = steps.at(reading.knee).offeredRate;
    const bool sustainedAbove = std::any_of(reading.byRate.cbegin(), reading.byRate.cend(),
        [&](int i) { return reading.verdicts.at(i).sustained && steps.at(i).offeredRate > kneeRate; });
    const bool repeated = std::any_of(steps.cbegin(), steps.cend(), [&](const CapacityStep &s) {
        return s.kind == CapacityStep::Kind::Repeat && sameRate(s.offeredRate, kneeRate);
    });
    if (sustainedAbove && !repeated)
        return planned(CapacityStep::Kind::Repeat, kneeRate);

    // 4. Bisection between the sustainable rate (0 when none) and the knee.
    const int bisections = int(std::count_if(steps.cbegin(), steps.cend(),
        [](const CapacityStep &s) { return s.kind == CapacityStep::Kind::Bisection; }));
    const double low = reading.sustainable >= 0 ? steps.at(reading.sustainable).offeredRate : 0.0;
    if (bisections >= m_plan.maxBisections || kneeRate - low <= m_plan.bisectionResolution * kneeRate)
        return std::nullopt;
    const PlannedStep middle = planned(CapacityStep::Kind::Bisection, (low + kneeRate) / 2);
    if (sameRate(middle.rate, kneeRate) || (low > 0 && sameRate(middle.rate, low)))
        return std::nullopt; // the rates are as close as whole numbers get
    return middle;
}

QString CapacitySearch::stopReason(const QList<CapacityStep> &steps) const
{
    if (m_closedLoopRate <= 0)
        return tr("no closed-loop maximum to start from");
    const SweepReading reading = readSweep(steps, m_plan);
    if (reading.byRate.isEmpty())
        return tr("no step ran");
    const auto rate = [&](int i) { return fmt::number(steps.at(i).offeredRate); };
    if (reading.knee < 0) {
        return tr("every step was sustained, up to %1 req/s; the step limit (%2) ended the search")
            .arg(rate(reading.byRate.constLast()))
            .arg(m_plan.maxSteps);
    }
    if (reading.sustainable < 0)
        return tr("no step was sustained, down to %1 req/s").arg(rate(reading.knee));
    const double low = steps.at(reading.sustainable).offeredRate;
    const double high = steps.at(reading.knee).offeredRate;
    const QString bracket
        = tr("the knee lies between %1 and %2 req/s").arg(rate(reading.sustainable), rate(reading.knee));
    if (steps.size() >= m_plan.maxSteps)
        return bracket + tr(" (the step limit, %1, ended the search)").arg(m_plan.maxSteps);
    if (high - low <= m_plan.bisectionResolution * high)
        return bracket + tr(", within %1 %").arg(fmt::percent(m_plan.bisectionResolution, 0));
    return bracket + tr(" after %1 bisections").arg(m_plan.maxBisections);
}

QString validateCapacityPlan(const CapacityPlan &p)
{
    const auto inRange = [](double value, double low, double high) {
        return std::isfinite(value) && value >= low && value <= high;
    };
    if (!inRange(p.latencyTargetMs, 0.01, 60000))
        return tr("the latency target must be between 0.01 and 60,000 ms (got %1)").arg(p.latencyTargetMs);
    if (!inRange(p.minAchievedShare, 0.5, 1))
        return tr("the achieved share must be between 0.5 and 1 (got %1)").arg(p.minAchievedShare);
    if (!inRange(p.maxErrorShare, 0, 0.5))
        return tr("the error share must be between 0 and 0.5 (got %1)").arg(p.maxErrorShare);
    if (!inRange(p.lowFraction, 0.001, 10) || !inRange(p.highFraction, 0.001, 10)
        || p.lowFraction >= p.highFraction)
        return tr("the steps must run from a lower to a higher fraction of the closed-loop maximum, both "
                  "between 0.001 and 10 (got %1 to %2)")
            .arg(p.lowFraction)
            .arg(p.highFraction);
    if (p.coarseSteps < 2 || p.coarseSteps > 50)
        return tr("the coarse steps must number between 2 and 50 (got %1)").arg(p.coarseSteps);
    if (p.maxBisections < 0 || p.maxBisections > 20)
        return tr("the bisections must number between 0 and 20 (got %1)").arg(p.maxBisections);
    if (!inRange(p.bisectionResolution, 0.001, 0.5))
        return tr("the bisection resolution must be between 0.001 and 0.5 (got %1)")
            .arg(p.bisectionResolution);
    if (p.maxSteps < p.coarseSteps || p.maxSteps > 200)
        return tr("the step limit must be between the coarse steps (%1) and 200 (got %2)")
            .arg(p.coarseSteps)
            .arg(p.maxSteps);
    if (!inRange(p.stepWarmupSeconds, 0, 600))
        return tr("a step's warm-up must be between 0 and 600 s (got %1)").arg(p.stepWarmupSeconds);
    if (!inRange(p.stepSeconds, 0.1, 600))
        return tr("a step must last between 0.1 and 600 s (got %1)").arg(p.stepSeconds);
    if (p.minStepRequests < 0 || p.minStepRequests > 100000000)
        return tr("the requests per step must be between 0 and 100,000,000 (got %1)").arg(p.minStepRequests);
    if (!inRange(p.commonRate, 0, 10000000))
        return tr("the common rate must be between 0 (none) and 10,000,000 req/s (got %1)").arg(p.commonRate);
    for (int cores : p.scalingCores) {
        if (cores < 1 || cores > 1024)
            return tr("a scaling core count must be between 1 and 1024 (got %1)").arg(cores);
    }
    if (!inRange(p.peakRequestsPerSecond, 1, 1e9))
        return tr("the peak must be between 1 and 1,000,000,000 req/s (got %1)").arg(p.peakRequestsPerSecond);
    if (!inRange(p.headroom, 0, 0.9))
        return tr("the headroom must be between 0 and 0.9 of capacity (got %1)").arg(p.headroom);
    if (p.coresPerServer < 1 || p.coresPerServer > 1024)
        return tr("the cores per server must be between 1 and 1024 (got %1)").arg(p.coresPerServer);
    return {};
}

double estimatedSweepSeconds(const CapacityPlan &p)
{
    // The ascending steps, the common one and the bisections; 0.3 s to start each generator.
    const double steps = double(std::max(2, p.coarseSteps) + 1 + std::max(0, p.maxBisections));
    return steps * (p.stepWarmupSeconds + 1.2 * p.stepSeconds + 0.3);
}

} // namespace sa::bench
