#pragma once

// Reading a recommendation and a benchmark run together: the stated peak, and
// the fastest comparable cell per language (which runcapacityevidence.h turns
// into the capacity criterion's evidence).

#include "recommendation.h"

#include "bench/results.h"

#include <QList>

namespace sa::advisor {

// The peak the questionnaire states (answer "peak-rps"), 0 when not answered or "unsure".
double statedPeak(const Recommendation &recommendation);

// The fastest completed cell of each language, highest req/s first, among the
// cells comparable with each other: those of the run's first measured scenario
// and connection count.
QList<bench::TargetResult> fastestPerLanguage(const QList<bench::TargetResult> &targets);

} // namespace sa::advisor
