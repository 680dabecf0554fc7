#pragma once

// The one place a benchmark run becomes capacity evidence. It reads core's
// RunAnalysis of the run (its comparable cells; saturated closed-loop
// throughput, or a capacity run's sustainable throughput at p99 within its latency
// target), without touching the criterion that reads it.

#include "capacityevidence.h"

#include "bench/runanalysis.h"

namespace sa::advisor {

class CapacityModel;

// A capacity run (bench --capacity, "Find capacity"): for each language, the
// sustainable throughput within the run's p99 target per server core
// (Throughput::Sustainable, with the target and the server CPU per request), from
// the target needing the fewest cores at the peak. Any other run, or a capacity
// run in which Go or Python sustained no step (the note says so): for each
// language the fastest comparable cell (RunAnalysis::fastestPerLanguage), as
// requests per server core (cores from the cell's CPU set, else its worker
// count), saturated. When the run has no comparable Go or no comparable Python
// cell, the result is the article's published figures with fallbackReason saying why.
CapacityEvidence capacityEvidenceFromRun(const bench::RunAnalysis &analysis, const CapacityModel &model);

} // namespace sa::advisor
