#pragma once

// Value data for the view tests: TargetResult values as the runner would hand
// them over, built in the test so the charts and models can be checked figure by
// figure. (The page test drives the real runner against real servers.)

#include "bench/results.h"
#include "bench/runanalysis.h"

namespace sa::test {

inline sa::bench::TargetResult makeTarget(
    const QString &id, const QString &name, double rps, double p99Ms, qint64 peakPssMiB, int seconds = 4)
{
    sa::bench::TargetResult t;
    t.status = sa::bench::TargetStatus::Completed;
    t.targetId = id;
    t.displayName = name;
    t.language = id.startsWith(QLatin1String("go")) ? QStringLiteral("Go") : QStringLiteral("Python");
    t.framework = name;
    t.frameworkVersion = QStringLiteral("1.0");
    t.connections = 1000;
    t.durationSeconds = seconds;
    t.requestsPerSecond = rps;
    t.requests = qint64(rps * seconds);
    t.latency.p50Us = p99Ms * 1000.0 / 4;
    t.latency.p90Us = p99Ms * 1000.0 / 2;
    t.latency.p99Us = p99Ms * 1000.0;
    t.latency.meanUs = p99Ms * 1000.0 / 3;
    t.latency.maxUs = p99Ms * 2000.0;
    t.memory.peakPssBytes = peakPssMiB * 1024 * 1024;
    t.memory.meanPssBytes = peakPssMiB * 1024 * 1024 * 9 / 10;
    t.cpuPercentMean = 150;
    t.cpuPercentPeak = 190;
    for (int i = 1; i <= seconds * 2; ++i) {
        sa::bench::IntervalSample s;
        s.tSeconds = i * 0.5;
        s.warmup = i <= 2;
        s.requestsPerSecond = rps * (0.9 + 0.02 * i);
        s.p99Us = p99Ms * 1000.0;
        s.pssBytes = peakPssMiB * 1024 * 1024;
        s.cpuPercent = 150;
        t.timeline << s;
    }
    return t;
}

inline sa::bench::TargetResult makeFailed(const QString &id, const QString &name, const QString &reason)
{
    sa::bench::TargetResult t;
    t.targetId = id;
    t.displayName = name;
    t.status = sa::bench::TargetStatus::Failed;
    t.failureReason = reason;
    t.connections = 1000;
    return t;
}

// The analysis of a run made of these cells (without the article's claims).
inline sa::bench::RunAnalysis analysisOf(const QList<sa::bench::TargetResult> &targets)
{
    sa::bench::RunResult run;
    run.targets = targets;
    return sa::bench::RunAnalysis::analyse(run, nullptr);
}

} // namespace sa::test
