#pragma once

// How a cell's rounds make its figures, and how far apart they are. A cell runs
// `BenchmarkPlan::rounds` times, each time on a fresh server; its figures are
// medians of its rounds (one disturbed round does not move them) and its spread
// says how far the figure can be trusted (RunAnalysis flags a cell whose rounds
// disagree: TrustPolicy::kMaxSpreadCv).

#include "results.h"

#include <QList>

namespace sa::bench {

// The figures that have a median and a spread over the rounds.
enum class RoundFigure {
    RequestsPerSecond,
    LatencyP50, // µs
    LatencyP90,
    LatencyP99,
    LatencyMean,
    PeakPss, // bytes
    CpuMean, // % of one core
};
double roundFigure(const TargetResult &round, RoundFigure figure);

// A figure over the rounds it was measured in.
struct FigureSpread
{
    int rounds = 0; // how many rounds the figure is over (0: none)
    double median = 0;
    double min = 0;
    double max = 0;
    // Coefficient of variation: the sample standard deviation (n − 1) over the
    // mean; 0 with fewer than two rounds or a zero mean.
    double cv = 0;
    bool hasSpread() const { return rounds >= 2; }
};

// The median of the values (the mean of the middle two for an even count).
double median(QList<double> values);
FigureSpread spreadOf(const QList<double> &values);

// The rounds a cell's figures come from: its completed rounds; when none
// completed, the rounds that have figures anyway (a cancelled or failing round,
// whose figures the cell's warnings then qualify). A cell without rounds (a run
// from before rounds) is its own only round.
QList<const TargetResult *> countedRounds(const TargetResult &cell);
FigureSpread cellSpread(const TargetResult &cell, RoundFigure figure);

// Fills a cell's status and figures from cell.rounds (see TargetResult):
//  - status: Failed when a round failed (its reason, naming the round when there
//    are several), else Cancelled when a round was, else Completed;
//  - requests, bytes, errors and the measured window: totals over the counted
//    rounds, so errorRate() is the share over all of them;
//  - req/s, latencies, memory and CPU: each the median over the counted rounds;
//  - saturation: when any counted round saturated the load generator;
//  - timeline and log: those of the median round (by req/s);
//  - latency histogram: every counted round's requests together.
// `plannedRounds` is the plan's count (for the reasons' "round 2 of 3").
void combineRounds(TargetResult &cell, int plannedRounds);

} // namespace sa::bench
