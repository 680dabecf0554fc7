#include "planlimits.h"

#include <cmath>

namespace sa::bench {

namespace {

bool within(double value, double low, double high)
{
    return std::isfinite(value) && value >= low && value <= high;
}

QString shown(double value)
{
    return QString::number(value, 'g', 10);
}

} // namespace

QString planProblem(const BenchmarkPlan &plan)
{
    using namespace limits;
    if (plan.targetIds.isEmpty())
        return QStringLiteral("no target to run: choose at least one server");
    if (plan.scenarios.isEmpty())
        return QStringLiteral("no scenario to run: choose json, plaintext, io or cpu");
    if (plan.connectionLevels.isEmpty())
        return QStringLiteral("no connection level to run");
    for (int level : plan.connectionLevels) {
        if (level < 1 || level > kMaxConnections)
            return QStringLiteral("connections must be between 1 and %1 (got %2)")
                .arg(kMaxConnections)
                .arg(level);
    }
    if (!within(plan.durationSeconds, 0, kMaxDurationSeconds) || plan.durationSeconds <= 0)
        return QStringLiteral("the measured window must be more than 0 and at most %1 seconds (got %2)")
            .arg(kMaxDurationSeconds)
            .arg(shown(plan.durationSeconds));
    if (!within(plan.warmupSeconds, 0, kMaxWarmupSeconds))
        return QStringLiteral("the warm-up must be between 0 and %1 seconds (got %2)")
            .arg(kMaxWarmupSeconds)
            .arg(shown(plan.warmupSeconds));
    if (!within(plan.intervalSeconds, kMinIntervalSeconds, kMaxIntervalSeconds))
        return QStringLiteral("the sample interval must be between %1 and %2 seconds (got %3)")
            .arg(kMinIntervalSeconds)
            .arg(kMaxIntervalSeconds)
            .arg(shown(plan.intervalSeconds));
    if (!within(plan.timeoutSeconds, kMinTimeoutSeconds, kMaxTimeoutSeconds))
        return QStringLiteral("the request timeout must be between %1 and %2 seconds (got %3)")
            .arg(kMinTimeoutSeconds)
            .arg(kMaxTimeoutSeconds)
            .arg(shown(plan.timeoutSeconds));
    if (!within(plan.openLoopRate, 0, kMaxOpenLoopRate))
        return QStringLiteral("the open-loop rate must be more than 0 and at most %1 requests/s, or 0 for a "
                              "closed loop (got %2)")
            .arg(QString::number(kMaxOpenLoopRate, 'f', 0), shown(plan.openLoopRate));
    if (plan.ioMilliseconds < 0 || plan.ioMilliseconds > kMaxIoMilliseconds)
        return QStringLiteral("io milliseconds must be between 0 and %1 (got %2)")
            .arg(kMaxIoMilliseconds)
            .arg(plan.ioMilliseconds);
    if (plan.cpuN < 1 || plan.cpuN > kMaxCpuN)
        return QStringLiteral("cpu n must be between 1 and %1 (got %2)").arg(kMaxCpuN).arg(plan.cpuN);
    if (plan.workers < 0 || plan.workers > kMaxWorkers)
        return QStringLiteral(
            "workers must be between 1 and %1 server processes, or 0 for one per server core "
            "(got %2)")
            .arg(kMaxWorkers)
            .arg(plan.workers);
    if (plan.loadThreads < 0 || plan.loadThreads > kMaxLoadThreads)
        return QStringLiteral("load threads must be between 1 and %1, or 0 for one per load core (got %2)")
            .arg(kMaxLoadThreads)
            .arg(plan.loadThreads);
    for (int level : plan.connectionLevels) {
        if (plan.loadThreads > level)
            return QStringLiteral("load threads (%1) must not exceed the connections (%2): each thread needs "
                                  "at least one connection")
                .arg(plan.loadThreads)
                .arg(level);
    }
    return {};
}

QString readinessTimeoutProblem(double seconds)
{
    if (!within(seconds, 0, limits::kMaxReadinessTimeoutSeconds) || seconds <= 0)
        return QStringLiteral("the readiness timeout must be more than 0 and at most %1 seconds (got %2)")
            .arg(limits::kMaxReadinessTimeoutSeconds)
            .arg(shown(seconds));
    return {};
}

} // namespace sa::bench
