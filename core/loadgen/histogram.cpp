#include "loadgen/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace sa::loadgen {

Histogram::Histogram()
{
    // 3 significant digits need 2 * 10^3 distinct sub-buckets in each power of
    // two: round up to a power of two (2048).
    const int64_t largestSingleUnitResolution = 2 * 1000;
    const int subBucketCountMagnitude
        = static_cast<int>(std::ceil(std::log2(static_cast<double>(largestSingleUnitResolution))));
    m_subBucketHalfCountMagnitude = subBucketCountMagnitude - 1;
    m_subBucketCount = int64_t { 1 } << subBucketCountMagnitude;
    m_subBucketHalfCount = m_subBucketCount / 2;
    m_subBucketMask = m_subBucketCount - 1;

    int64_t smallestUntrackable = m_subBucketCount;
    int buckets = 1;
    while (smallestUntrackable <= kHighestNs) {
        smallestUntrackable <<= 1;
        ++buckets;
    }
    m_bucketCount = buckets;
    m_counts.assign(static_cast<std::size_t>((m_bucketCount + 1) * m_subBucketHalfCount), 0);
}

std::size_t Histogram::indexFor(int64_t valueNs) const noexcept
{
    const auto v = static_cast<uint64_t>(valueNs | m_subBucketMask);
    const int pow2Ceiling = 64 - std::countl_zero(v);
    const int bucketIndex = pow2Ceiling - (m_subBucketHalfCountMagnitude + 1);
    const int64_t subBucketIndex = valueNs >> bucketIndex;
    const int64_t bucketBase = static_cast<int64_t>(bucketIndex + 1) << m_subBucketHalfCountMagnitude;
    return static_cast<std::size_t>(bucketBase + (subBucketIndex - m_subBucketHalfCount));
}

int64_t Histogram::valueFromIndex(std::size_t index) const noexcept
{
    auto bucketIndex = static_cast<int64_t>(index >> m_subBucketHalfCountMagnitude) - 1;
    int64_t subBucketIndex = static_cast<int64_t>(index & static_cast<std::size_t>(m_subBucketHalfCount - 1))
        + m_subBucketHalfCount;
    if (bucketIndex < 0) {
        subBucketIndex -= m_subBucketHalfCount;
        bucketIndex = 0;
    }
    return subBucketIndex << bucketIndex;
}

int64_t Histogram::bucketWidth(int64_t valueNs) const noexcept
{
    const auto v = static_cast<uint64_t>(valueNs | m_subBucketMask);
    const int pow2Ceiling = 64 - std::countl_zero(v);
    const int bucketIndex = pow2Ceiling - (m_subBucketHalfCountMagnitude + 1);
    return int64_t { 1 } << bucketIndex;
}

int64_t Histogram::lowestEquivalent(int64_t valueNs) const noexcept
{
    return valueFromIndex(indexFor(valueNs));
}

int64_t Histogram::highestEquivalent(int64_t valueNs) const noexcept
{
    return lowestEquivalent(valueNs) + bucketWidth(valueNs) - 1;
}

void Histogram::record(int64_t valueNs) noexcept
{
    recordCount(valueNs, 1);
}

void Histogram::recordCount(int64_t valueNs, uint64_t count) noexcept
{
    if (count == 0)
        return;
    const int64_t v = std::clamp<int64_t>(valueNs, 0, kHighestNs);
    m_counts[indexFor(v)] += count;
    if (m_totalCount == 0 || v < m_min)
        m_min = v;
    if (m_totalCount == 0 || v > m_max)
        m_max = v;
    m_totalCount += count;
    const auto ld = static_cast<long double>(v);
    m_sum += ld * static_cast<long double>(count);
    m_sumSquares += ld * ld * static_cast<long double>(count);
}

void Histogram::merge(const Histogram &other) noexcept
{
    if (other.m_totalCount == 0)
        return;
    for (std::size_t i = 0; i < m_counts.size(); ++i)
        m_counts[i] += other.m_counts[i];
    if (m_totalCount == 0 || other.m_min < m_min)
        m_min = other.m_min;
    if (m_totalCount == 0 || other.m_max > m_max)
        m_max = other.m_max;
    m_totalCount += other.m_totalCount;
    m_sum += other.m_sum;
    m_sumSquares += other.m_sumSquares;
}

void Histogram::reset() noexcept
{
    std::fill(m_counts.begin(), m_counts.end(), 0);
    m_totalCount = 0;
    m_min = 0;
    m_max = 0;
    m_sum = 0;
    m_sumSquares = 0;
}

int64_t Histogram::min() const noexcept
{
    return m_totalCount ? m_min : 0;
}

int64_t Histogram::max() const noexcept
{
    return m_totalCount ? m_max : 0;
}

double Histogram::mean() const noexcept
{
    if (m_totalCount == 0)
        return 0.0;
    return static_cast<double>(m_sum / static_cast<long double>(m_totalCount));
}

double Histogram::stdev() const noexcept
{
    if (m_totalCount == 0)
        return 0.0;
    const auto n = static_cast<long double>(m_totalCount);
    const long double mean = m_sum / n;
    const long double variance = m_sumSquares / n - mean * mean;
    return variance > 0 ? static_cast<double>(std::sqrt(variance)) : 0.0;
}

int64_t Histogram::valueAtPercentile(double percentile) const noexcept
{
    if (m_totalCount == 0)
        return 0;
    const double p = std::clamp(percentile, 0.0, 100.0);
    // The rank of the value: at least the first one, as HdrHistogram does.
    auto countAtPercentile = static_cast<uint64_t>(std::ceil(p / 100.0 * static_cast<double>(m_totalCount)));
    countAtPercentile = std::max<uint64_t>(countAtPercentile, 1);
    uint64_t running = 0;
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
        running += m_counts[i];
        if (running >= countAtPercentile) {
            const int64_t value = highestEquivalent(valueFromIndex(i));
            return std::clamp(value, m_min, m_max);
        }
    }
    return m_max;
}

std::vector<Histogram::Bucket> Histogram::nonEmptyBuckets() const
{
    std::vector<Bucket> buckets;
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
        if (m_counts[i] == 0)
            continue;
        const int64_t low = valueFromIndex(i);
        buckets.push_back({ low + (bucketWidth(low) - 1) / 2, m_counts[i] });
    }
    return buckets;
}

} // namespace sa::loadgen
