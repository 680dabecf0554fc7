// The load generator's latency histogram: percentiles against the exact values
// of known distributions, merging, precision and fixed memory.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "loadgen/histogram.h"

using sa::loadgen::Histogram;

namespace {

// The exact percentile with the histogram's definition: the value of rank
// ceil(p/100 * n), at least the first.
int64_t exactPercentile(const std::vector<int64_t> &sorted, double p)
{
    auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    rank = std::clamp<std::size_t>(rank, 1, sorted.size());
    return sorted[rank - 1];
}

std::vector<int64_t> sample(const QString &distribution, int count)
{
    std::mt19937_64 random(12345);
    std::vector<int64_t> values;
    values.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        double ns = 0;
        if (distribution == u"uniform") {
            ns = std::uniform_real_distribution<double>(1'000, 100'000'000)(random);
        } else if (distribution == u"exponential") {
            ns = 1'000 + std::exponential_distribution<double>(1.0 / 250'000)(random);
        } else if (distribution == u"lognormal") {
            ns = std::lognormal_distribution<double>(std::log(200'000.0), 1.5)(random);
        } else if (distribution == u"bimodal") {
            ns = i % 100 == 0 ? std::normal_distribution<double>(40'000'000, 2'000'000)(random)
                              : std::normal_distribution<double>(120'000, 10'000)(random);
        } else if (distribution == u"constant") {
            ns = 123'456;
        }
        values.push_back(std::clamp<int64_t>(std::llround(ns), 1'000, Histogram::kHighestNs));
    }
    return values;
}

} // namespace

class TestLoadgenHistogram final : public QObject
{
    Q_OBJECT

private slots:
    void percentilesMatchExactValues_data();
    void percentilesMatchExactValues();
    void meanStdevMinMaxAreExact();
    void mergeEqualsRecordingEverything();
    void precisionIsThreeDigitsFromOneMicrosecondToSixtySeconds();
    void memoryDoesNotDependOnCount();
    void emptyAndOutOfRange();
    void bucketsListEveryValueOnce();
};

void TestLoadgenHistogram::percentilesMatchExactValues_data()
{
    QTest::addColumn<QString>("distribution");
    QTest::addColumn<int>("count");
    QTest::addRow("uniform 1us-100ms") << QStringLiteral("uniform") << 200'000;
    QTest::addRow("exponential mean 250us") << QStringLiteral("exponential") << 200'000;
    QTest::addRow("lognormal") << QStringLiteral("lognormal") << 200'000;
    QTest::addRow("bimodal, 1 in 100 slow") << QStringLiteral("bimodal") << 100'000;
    QTest::addRow("constant") << QStringLiteral("constant") << 1'000;
    QTest::addRow("one value") << QStringLiteral("uniform") << 1;
}

void TestLoadgenHistogram::percentilesMatchExactValues()
{
    QFETCH(QString, distribution);
    QFETCH(int, count);
    std::vector<int64_t> values = sample(distribution, count);
    Histogram h;
    for (const int64_t v : values)
        h.record(v);
    std::sort(values.begin(), values.end());
    QCOMPARE(h.totalCount(), static_cast<uint64_t>(count));
    for (const double p : { 0.0, 1.0, 25.0, 50.0, 75.0, 90.0, 99.0, 99.9, 99.99, 100.0 }) {
        const int64_t exact = exactPercentile(values, p);
        const int64_t got = h.valueAtPercentile(p);
        // Three significant digits: never below the exact value (the bucket's
        // highest equivalent is reported), and above it by less than 1/1000.
        if (got < exact || static_cast<double>(got - exact) > static_cast<double>(exact) / 1000.0)
            QFAIL(qPrintable(QStringLiteral("p%1: exact %2 ns, histogram %3 ns").arg(p).arg(exact).arg(got)));
    }
    QCOMPARE(h.valueAtPercentile(100), values.back());
}

void TestLoadgenHistogram::meanStdevMinMaxAreExact()
{
    const std::vector<int64_t> values = sample(QStringLiteral("lognormal"), 50'000);
    Histogram h;
    long double sum = 0;
    for (const int64_t v : values) {
        h.record(v);
        sum += static_cast<long double>(v);
    }
    const long double mean = sum / static_cast<long double>(values.size());
    long double squares = 0;
    for (const int64_t v : values)
        squares += (static_cast<long double>(v) - mean) * (static_cast<long double>(v) - mean);
    const double stdev = static_cast<double>(std::sqrt(squares / static_cast<long double>(values.size())));
    QVERIFY(std::abs(h.mean() - static_cast<double>(mean)) <= 1e-9 * static_cast<double>(mean));
    QVERIFY(std::abs(h.stdev() - stdev) <= 1e-6 * stdev);
    QCOMPARE(h.min(), *std::min_element(values.begin(), values.end()));
    QCOMPARE(h.max(), *std::max_element(values.begin(), values.end()));
}

void TestLoadgenHistogram::mergeEqualsRecordingEverything()
{
    const std::vector<int64_t> values = sample(QStringLiteral("exponential"), 100'000);
    Histogram all;
    Histogram parts[4];
    for (std::size_t i = 0; i < values.size(); ++i) {
        all.record(values[i]);
        parts[(values[i] / 7) % 4].record(values[i]); // uneven split, as threads are
    }
    Histogram merged;
    for (const Histogram &part : parts)
        merged.merge(part);
    QCOMPARE(merged.totalCount(), all.totalCount());
    QCOMPARE(merged.min(), all.min());
    QCOMPARE(merged.max(), all.max());
    QVERIFY(std::abs(merged.mean() - all.mean()) <= 1e-9 * all.mean());
    for (const double p : { 50.0, 75.0, 90.0, 99.0, 99.9, 99.99 })
        QCOMPARE(merged.valueAtPercentile(p), all.valueAtPercentile(p));
    const auto a = all.nonEmptyBuckets();
    const auto b = merged.nonEmptyBuckets();
    QCOMPARE(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(a[i].valueNs, b[i].valueNs);
        QCOMPARE(a[i].count, b[i].count);
    }
    // Merging an empty histogram changes nothing.
    merged.merge(Histogram());
    QCOMPARE(merged.totalCount(), all.totalCount());
}

void TestLoadgenHistogram::precisionIsThreeDigitsFromOneMicrosecondToSixtySeconds()
{
    const Histogram h;
    for (double v = 1'000; v <= 60e9; v *= 1.013) {
        const auto value = static_cast<int64_t>(v);
        const int64_t low = h.lowestEquivalent(value);
        const int64_t high = h.highestEquivalent(value);
        QVERIFY(low <= value && value <= high);
        if (static_cast<double>(high - low + 1) > static_cast<double>(value) / 1000.0 + 1.0)
            QFAIL(qPrintable(QStringLiteral("bucket of %1 ns spans %2 ns").arg(value).arg(high - low + 1)));
    }
    QVERIFY(h.indexFor(Histogram::kHighestNs) < h.bucketSlots());
}

void TestLoadgenHistogram::memoryDoesNotDependOnCount()
{
    Histogram h;
    const std::size_t before = h.memoryBytes();
    QVERIFY(before > 0);
    QVERIFY(before < 512 * 1024); // per thread, for a whole run
    std::mt19937_64 random(7);
    std::uniform_int_distribution<int64_t> any(1'000, Histogram::kHighestNs);
    for (int i = 0; i < 2'000'000; ++i)
        h.record(any(random));
    QCOMPARE(h.memoryBytes(), before);
    QCOMPARE(h.bucketSlots(), Histogram().bucketSlots());
    QCOMPARE(h.totalCount(), uint64_t { 2'000'000 });
    h.recordCount(50'000, 1'000'000'000'000ULL); // a trillion at once: counts, no growth
    QCOMPARE(h.memoryBytes(), before);
    QCOMPARE(h.valueAtPercentile(50), h.highestEquivalent(50'000));
}

void TestLoadgenHistogram::emptyAndOutOfRange()
{
    Histogram h;
    QCOMPARE(h.valueAtPercentile(50), int64_t { 0 });
    QCOMPARE(h.max(), int64_t { 0 });
    QCOMPARE(h.mean(), 0.0);
    QCOMPARE(h.stdev(), 0.0);
    QVERIFY(h.nonEmptyBuckets().empty());
    h.record(Histogram::kHighestNs * 10); // clamped to the top, still counted
    h.record(-5); // clock oddity: clamped to zero
    QCOMPARE(h.totalCount(), uint64_t { 2 });
    QCOMPARE(h.max(), Histogram::kHighestNs);
    QCOMPARE(h.min(), int64_t { 0 });
    h.reset();
    QCOMPARE(h.totalCount(), uint64_t { 0 });
    QVERIFY(h.nonEmptyBuckets().empty());
}

void TestLoadgenHistogram::bucketsListEveryValueOnce()
{
    Histogram h;
    h.recordCount(1'000, 3);
    h.recordCount(1'000'000, 2);
    h.recordCount(1'000'400, 1); // same bucket as 1 ms at 3 digits
    h.recordCount(2'000'000'000, 5);
    const auto buckets = h.nonEmptyBuckets();
    QCOMPARE(buckets.size(), std::size_t { 3 });
    QCOMPARE(buckets[0].count, uint64_t { 3 });
    QCOMPARE(buckets[1].count, uint64_t { 3 });
    QCOMPARE(buckets[2].count, uint64_t { 5 });
    QVERIFY(std::abs(buckets[1].valueNs - 1'000'000) <= 1'000);
    QVERIFY(std::abs(buckets[2].valueNs - 2'000'000'000) <= 2'000'000);
}

QTEST_APPLESS_MAIN(TestLoadgenHistogram)
#include "tst_loadgen_histogram.moc"
