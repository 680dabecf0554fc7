#pragma once

// What a benchmark run adds to a recommendation: the figures measured on this
// machine, cited where the article's figures would otherwise stand alone. The
// scores stay a function of the answers only; the evidence is cited, not scored.

#include "recommendation.h"

#include "bench/results.h"

#include <QList>

namespace sa::advisor {

// The peak the questionnaire states (answer "peak-rps"), 0 when not answered.
double statedPeak(const Recommendation &recommendation);

// The fastest completed cell of each language, highest req/s first, among the
// cells comparable with each other: those of the run's first measured scenario
// and connection count.
QList<bench::TargetResult> fastestPerLanguage(const QList<bench::TargetResult> &targets);

// Adds to the high-traffic criterion a reason that cites the run: the fastest Go
// and Python servers measured here and their ratio beside the article's "8–10×".
// Does nothing when the run has no completed Go or Python cell.
void citeMeasurements(Recommendation &recommendation, const bench::RunResult &run);

} // namespace sa::advisor
