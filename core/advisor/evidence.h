#pragma once

// Reading a recommendation: the stated peak. (A run is read by core's
// RunAnalysis; runcapacityevidence.h turns it into the capacity evidence.)

#include "recommendation.h"

namespace sa::advisor {

// The peak the questionnaire states (answer "peak-rps"), 0 when not answered or "unsure".
double statedPeak(const Recommendation &recommendation);

} // namespace sa::advisor
