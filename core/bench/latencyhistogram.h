#pragma once

// The latency histogram a cell shows: stackadvisor-load's own histogram (HDR
// buckets, 3 significant digits, thousands of them) regrouped into log buckets
// of a twentieth of a decade (bounds 10^(k/20) µs, each 12 % above the last):
// fine enough for the shape of the distribution, a hundred buckets at most over
// the range a run can see, small enough to keep every round in the history.

#include "results.h"

#include <QList>

#include <utility>

namespace sa::bench {

inline constexpr int kLatencyBucketsPerDecade = 20;

// Regroups the generator's buckets ([value µs, count], any order) into the log
// buckets; only non-empty buckets, ascending. The counts add up to the input's.
QList<LatencyBucket> regroupLatencies(const QList<std::pair<double, qint64>> &buckets);

// The buckets of several histograms added together (each made by regroupLatencies).
QList<LatencyBucket> mergeLatencyHistograms(const QList<QList<LatencyBucket>> &histograms);

// The lower bound of a bucket: the upper bound of the one below it.
double latencyBucketLowerUs(const LatencyBucket &bucket);

} // namespace sa::bench
