#pragma once

#include <cstdint>
#include <vector>

namespace sa::loadgen {

// Latency histogram in the style of HdrHistogram: log-linear buckets, values in
// nanoseconds, 3 significant digits from 1 µs to 60 s (anything above is clamped
// to the top bucket and counted). Memory is fixed at construction whatever the
// number of recorded values, so a thread can record millions of requests without
// allocating.
class Histogram final
{
public:
    static constexpr int64_t kLowestNs = 1;
    static constexpr int64_t kHighestNs = 60'000'000'000; // 60 s
    static constexpr int kSignificantDigits = 3;

    Histogram();

    void record(int64_t valueNs) noexcept;
    void recordCount(int64_t valueNs, uint64_t count) noexcept;
    void merge(const Histogram &other) noexcept;
    void reset() noexcept;

    uint64_t totalCount() const noexcept { return m_totalCount; }
    int64_t min() const noexcept; // 0 when empty
    int64_t max() const noexcept; // 0 when empty; exact, not bucketed
    double mean() const noexcept;
    double stdev() const noexcept;
    // Value at or below which `percentile` % of the values lie (0..100), reported
    // as the highest value equivalent to the bucket (as HdrHistogram does), capped
    // at the exact maximum.
    int64_t valueAtPercentile(double percentile) const noexcept;

    // Number of counters: constant; the tests check memory does not depend on use.
    std::size_t bucketSlots() const noexcept { return m_counts.size(); }
    std::size_t memoryBytes() const noexcept { return m_counts.size() * sizeof(uint64_t); }

    struct Bucket
    {
        int64_t valueNs; // a representative value: the middle of the bucket
        uint64_t count;
    };
    // Non-empty buckets, ascending.
    std::vector<Bucket> nonEmptyBuckets() const;

    // Bucket arithmetic, public for the tests.
    std::size_t indexFor(int64_t valueNs) const noexcept;
    int64_t lowestEquivalent(int64_t valueNs) const noexcept;
    int64_t highestEquivalent(int64_t valueNs) const noexcept;

private:
    int64_t valueFromIndex(std::size_t index) const noexcept;
    int64_t bucketWidth(int64_t valueNs) const noexcept;

    int m_subBucketHalfCountMagnitude = 0;
    int64_t m_subBucketCount = 0;
    int64_t m_subBucketHalfCount = 0;
    int64_t m_subBucketMask = 0;
    int m_bucketCount = 0;
    std::vector<uint64_t> m_counts;
    uint64_t m_totalCount = 0;
    int64_t m_min = 0;
    int64_t m_max = 0;
    // Exact sums for the mean and the standard deviation; long double holds
    // sum of squares of 60 s in ns (3.6e21) with room to spare.
    long double m_sum = 0;
    long double m_sumSquares = 0;
};

} // namespace sa::loadgen
