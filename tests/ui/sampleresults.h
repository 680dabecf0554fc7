#pragma once

// Value data for the view tests: TargetResult values as the runner would hand
// them over, built in the test so the charts and models can be checked figure by
// figure. (The page test drives the real runner against real servers.)

#include "bench/latencyhistogram.h"
#include "bench/results.h"
#include "bench/rounds.h"
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

// The cell `t` measured in rounds whose req/s are `rps` (latencies and memory
// scaled alike), with a latency histogram around its p50; its figures the
// medians of the rounds, as the runner makes them.
inline sa::bench::TargetResult withRounds(sa::bench::TargetResult t, const QList<double> &rps)
{
    const double base = t.requestsPerSecond;
    t.rounds.clear();
    for (qsizetype r = 0; r < rps.size(); ++r) {
        sa::bench::TargetResult round = t;
        round.rounds.clear();
        round.round = int(r + 1);
        round.runPosition = int(r);
        const double scale = rps.at(r) / base;
        round.requestsPerSecond = rps.at(r);
        round.requests = qint64(rps.at(r) * round.durationSeconds);
        round.latency.p50Us /= scale;
        round.latency.p90Us /= scale;
        round.latency.p99Us /= scale;
        round.latency.meanUs /= scale;
        round.memory.peakPssBytes = qint64(double(round.memory.peakPssBytes) * (0.97 + 0.03 * double(r)));
        round.cpuPercentMean *= 0.98 + 0.02 * double(r);
        const double p50 = round.latency.p50Us;
        round.latencyHistogram = sa::bench::regroupLatencies({ { p50 * 0.6, round.requests / 10 },
            { p50, round.requests / 2 }, { p50 * 1.8, round.requests / 4 }, { p50 * 4, round.requests / 10 },
            { round.latency.p99Us, round.requests / 20 } });
        t.rounds.push_back(round);
    }
    sa::bench::combineRounds(t, int(rps.size()));
    return t;
}

// Eight targets of three rounds each, with the spread of a real run: Go
// near 50,000 req/s, Node 20,000, Python 1,500–9,000; p99 from 6 ms to 600 ms.
inline sa::bench::RunResult eightTargetRun()
{
    sa::bench::RunResult run;
    run.id = 42;
    run.startedAt = QDateTime(QDate(2026, 11, 28), QTime(9, 30), Qt::UTC);
    run.finishedAt = run.startedAt.addSecs(240);
    run.plan.rounds = 3;
    run.machine.cpuModel = QStringLiteral("Test CPU");
    run.machine.logicalCores = 2;
    run.machine.memoryBytes = qint64(24) << 30;
    struct Row
    {
        const char *id;
        const char *name;
        double rps, p99, pss;
    };
    const Row rows[]
        = { { "go-gin", "Go · Gin", 51577, 9.6, 24 }, { "go-fiber", "Go · Fiber", 68210, 6.1, 17 },
              { "go-echo", "Go · Echo", 49872, 11.8, 15 }, { "go-nethttp", "Go · net/http", 53104, 8.9, 13 },
              { "python-fastapi", "Python · FastAPI", 8970, 140, 52 },
              { "python-django", "Python · Django", 1512, 612, 71 },
              { "python-flask", "Python · Flask", 2244, 431, 45 },
              { "node-express", "Node.js · Express", 19876, 48, 88 } };
    for (const Row &row : rows) {
        sa::bench::TargetResult t = makeTarget(
            QLatin1String(row.id), QString::fromUtf8(row.name), row.rps, row.p99, qint64(row.pss), 5);
        if (QLatin1String(row.id).startsWith(QLatin1String("node")))
            t.language = QStringLiteral("JavaScript");
        run.plan.targetIds << t.targetId;
        run.targets << withRounds(t, { row.rps * 0.97, row.rps, row.rps * 1.04 });
    }
    return run;
}

// The analysis of a run made of these cells (without the article's claims).
inline sa::bench::RunAnalysis analysisOf(const QList<sa::bench::TargetResult> &targets)
{
    sa::bench::RunResult run;
    run.targets = targets;
    return sa::bench::RunAnalysis::analyse(run, nullptr);
}

} // namespace sa::test
