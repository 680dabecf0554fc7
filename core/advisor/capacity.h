#pragma once

// Measured capacity scaled to the team's stated peak: how many server cores, and
// how many servers, each measured stack would need. Pure arithmetic on a run's
// results, shared by the recommendation view and the PDF report.

#include "bench/results.h"

#include <QList>
#include <QString>

namespace sa::advisor {

struct StackCapacity
{
    QString targetId;
    QString displayName;
    double requestsPerSecond = 0; // measured
    int serverCores = 0; // cores the server was pinned to during the measurement
    double requestsPerCore = 0; // requestsPerSecond / serverCores
    double coresNeeded = 0; // peak / requestsPerCore
    int servers = 0; // ceil(coresNeeded / coresPerServer), at least 1
};

struct CapacityEstimate
{
    double peakRequestsPerSecond = 0;
    int coresPerServer = 0;
    QList<StackCapacity> stacks; // one per measured target, fewest cores first
    QString assumption; // the assumptions in words, for people
};

// Cores needed at the peak = peak / (measured req/s per server core);
// servers = ceil(cores / coresPerServer). Only completed cells count; when a
// target ran several cells (scenarios, connection levels), its best req/s is used.
// A cell's server cores come from its recorded CPU set (else its worker count).
CapacityEstimate estimateCapacity(
    double peakRequestsPerSecond, const QList<bench::TargetResult> &targets, int coresPerServer = 8);

} // namespace sa::advisor
