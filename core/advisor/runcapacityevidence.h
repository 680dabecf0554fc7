#pragma once

// The one place a benchmark run becomes capacity evidence. It reads core's
// RunAnalysis of the run (its comparable cells; saturated closed-loop
// throughput); a capacity run's sustainable throughput at p99 within the latency
// target is read here too, without touching the criterion that reads it.

#include "capacityevidence.h"

#include "bench/runanalysis.h"

namespace sa::advisor {

class CapacityModel;

// For each language of the run, the fastest comparable cell
// (RunAnalysis::fastestPerLanguage), as requests per server core (cores from the
// cell's CPU set, else its worker count). When the run has no comparable Go or
// no comparable Python cell, the result is the article's published figures with
// fallbackReason saying why.
CapacityEvidence capacityEvidenceFromRun(const bench::RunAnalysis &analysis, const CapacityModel &model);

} // namespace sa::advisor
