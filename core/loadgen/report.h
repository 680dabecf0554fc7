#pragma once

#include <string>

#include "loadgen/options.h"
#include "loadgen/runresult.h"

namespace sa::loadgen {

// The --json lines (schema in the README, parsed by core/bench LoadRun) and the
// human summary. Each function returns one line without the trailing newline,
// except humanSummary which returns the whole text.
std::string startJson(const LoadOptions &options, const std::string &version);
std::string intervalJson(const IntervalReport &interval);
std::string summaryJson(const RunResult &result);
std::string humanSummary(const LoadOptions &options, const RunResult &result);

// 1234567 ns → "1.23ms" (wrk style).
std::string formatDuration(int64_t ns);

} // namespace sa::loadgen
