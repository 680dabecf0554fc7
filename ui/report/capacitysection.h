#pragma once

// The report's section on a capacity run: how the steps ran, the latency
// against offered load and CPU per request as charts, the capacity table with the
// cores and servers at the stated peak, the assumptions, and every step behind
// the figures. Core's reading (RunAnalysis::capacitySummary()) rendered for paper.

#include "reportdocument.h"

namespace sa::ui::report {

// Empty (no blocks) when the run has no capacity steps.
ReportSection capacityRunSection(const bench::RunAnalysis &analysis);

} // namespace sa::ui::report
