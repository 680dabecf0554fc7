#include "latencyhistogram.h"

#include <QMap>

#include <cmath>

namespace sa::bench {

namespace {

// The bucket holding value: the smallest k with 10^(k/20) ≥ value.
int bucketIndex(double valueUs)
{
    if (!(valueUs > 0))
        return 0;
    return int(std::ceil(std::log10(valueUs) * kLatencyBucketsPerDecade - 1e-9));
}

double upperBound(int index)
{
    return std::pow(10.0, double(index) / kLatencyBucketsPerDecade);
}

int indexOfBound(double upperUs)
{
    return int(std::lround(std::log10(upperUs) * kLatencyBucketsPerDecade));
}

QList<LatencyBucket> toList(const QMap<int, qint64> &counts)
{
    QList<LatencyBucket> list;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        if (it.value() > 0)
            list.append({ upperBound(it.key()), it.value() });
    }
    return list;
}

} // namespace

QList<LatencyBucket> regroupLatencies(const QList<std::pair<double, qint64>> &buckets)
{
    QMap<int, qint64> counts;
    for (const auto &[valueUs, count] : buckets)
        counts[bucketIndex(valueUs)] += count;
    return toList(counts);
}

QList<LatencyBucket> mergeLatencyHistograms(const QList<QList<LatencyBucket>> &histograms)
{
    QMap<int, qint64> counts;
    for (const QList<LatencyBucket> &histogram : histograms) {
        for (const LatencyBucket &bucket : histogram) {
            if (bucket.upperUs > 0)
                counts[indexOfBound(bucket.upperUs)] += bucket.count;
        }
    }
    return toList(counts);
}

double latencyBucketLowerUs(const LatencyBucket &bucket)
{
    return bucket.upperUs > 0 ? upperBound(indexOfBound(bucket.upperUs) - 1) : 0;
}

} // namespace sa::bench
