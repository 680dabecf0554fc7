#pragma once

// The one place a benchmark run becomes capacity evidence. Today it reads the
// run's completed cells (saturated closed-loop throughput); its source can be
// replaced by a run analysis and a capacity run (sustainable throughput at p99
// within the latency target) without touching the criterion that reads it.

#include "capacityevidence.h"

#include "bench/results.h"

namespace sa::advisor {

class CapacityModel;

// For each language of the run, the fastest completed cell among the comparable
// ones (the run's first measured scenario and connection count), as requests per
// server core (cores from the cell's CPU set, else its worker count). When the
// run has no completed Go or no completed Python cell, the result is the
// article's published figures with fallbackReason saying why.
CapacityEvidence capacityEvidenceFromRun(const bench::RunResult &run, const CapacityModel &model);

} // namespace sa::advisor
