// ResourceSampler against a process tree with known memory (bench_memtree): the
// parent and its children each touch MIB of their own, so the tree's RSS and PSS
// are known to within the few MB a small C++ process needs. Also CPU %.

#include "bench/resourcesampler.h"
#include "platform/procfs.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using sa::bench::ResourceSampler;

namespace {

const QString kMemtree = QStringLiteral(STACKADVISOR_BIN_DIR "/bench_memtree");

// Starts bench_memtree in its own process group so the test can end the whole
// tree, and waits until every process has touched its memory.
bool startTree(QProcess &process, int mib, int children, bool busy)
{
    process.setProgram(kMemtree);
    QStringList arguments { QString::number(mib), QString::number(children) };
    if (busy)
        arguments << u"busy"_s;
    process.setArguments(arguments);
    process.setChildProcessModifier([] { setpgid(0, 0); });
    process.start();
    if (!process.waitForStarted(5000))
        return false;
    while (!process.canReadLine()) {
        if (!process.waitForReadyRead(10000))
            return false;
    }
    return process.readLine().trimmed() == "ready";
}

void endTree(QProcess &process)
{
    if (process.processId() > 0)
        ::killpg(pid_t(process.processId()), SIGKILL);
    process.waitForFinished(5000);
}

} // namespace

class TestSampler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void memoryWithinFivePercent_data()
    {
        QTest::addColumn<int>("mib");
        QTest::addColumn<int>("children");
        QTest::addRow("parent only") << 200 << 0;
        QTest::addRow("parent and 3 children") << 100 << 3;
    }

    void memoryWithinFivePercent()
    {
        QFETCH(int, mib);
        QFETCH(int, children);
        QProcess tree;
        auto guard = qScopeGuard([&tree] { endTree(tree); });
        QVERIFY2(startTree(tree, mib, children, false), qPrintable(tree.errorString()));

        ResourceSampler sampler;
        sampler.start(tree.processId(), 100);
        QSignalSpy spy(&sampler, &ResourceSampler::sampled);
        QTRY_VERIFY_WITH_TIMEOUT(spy.size() >= 3, 5000);
        sampler.stop();

        const ResourceSampler::Sample sample = sampler.latest();
        const double expected = double(mib) * (children + 1) * 1024 * 1024;
        QCOMPARE(sample.processCount, children + 1);
        const double rssError = qAbs(double(sample.rssBytes) - expected) / expected;
        const double pssError = qAbs(double(sample.pssBytes) - expected) / expected;
        qInfo("expected %.1f MiB, RSS %.1f MiB (%.2f %%), PSS %.1f MiB (%.2f %%)", expected / 1048576.0,
            double(sample.rssBytes) / 1048576.0, rssError * 100, double(sample.pssBytes) / 1048576.0,
            pssError * 100);
        QVERIFY2(rssError < 0.05, "RSS of the tree is not within 5 % of what it touched");
        QVERIFY2(pssError < 0.05, "PSS of the tree is not within 5 % of what it touched");
        QVERIFY(sample.pssBytes <= sample.rssBytes);
        QVERIFY(sample.cpuPercent < 20); // idle
    }

    void cpuOfTheWholeTree()
    {
        QProcess tree;
        auto guard = qScopeGuard([&tree] { endTree(tree); });
        QVERIFY(startTree(tree, 1, 2, true));
        const QList<int> pids = sa::platform::processTree(int(tree.processId()));
        QCOMPARE(pids.size(), 3);
        // The tree's CPU time read independently at both ends of the window: the
        // sampler's per-interval figures must add up to it, summed over all three.
        const auto treeTicks = [&pids] {
            quint64 ticks = 0;
            for (int pid : pids) {
                if (const auto stat = sa::platform::readStat(pid))
                    ticks += stat->utimeTicks + stat->stimeTicks;
            }
            return ticks;
        };
        ResourceSampler sampler;
        QElapsedTimer clock;
        const quint64 before = treeTicks();
        clock.start();
        sampler.start(tree.processId(), 250);
        QSignalSpy spy(&sampler, &ResourceSampler::sampled);
        QTRY_VERIFY_WITH_TIMEOUT(spy.size() >= 9, 5000);
        sampler.stop();
        const quint64 after = treeTicks();
        const double wall = double(clock.nsecsElapsed()) / 1e9;
        const double independent
            = 100.0 * double(after - before) / double(sa::platform::clockTicksPerSecond()) / wall;
        double sum = 0;
        const QList<ResourceSampler::Sample> &samples = sampler.samples();
        QCOMPARE(samples.constFirst().cpuPercent, 0.0); // no baseline for the first sample
        for (qsizetype i = 1; i < samples.size(); ++i)
            sum += samples.at(i).cpuPercent * (samples.at(i).tSeconds - samples.at(i - 1).tSeconds);
        const double sampled = sum / (samples.constLast().tSeconds - samples.constFirst().tSeconds);
        qInfo("three busy processes: sampler %.1f %%, independent reading %.1f %% (machine load shared)",
            sampled, independent);
        QVERIFY(sampled > 10); // three busy loops get at least this on a loaded 2-core machine
        QVERIFY(qAbs(sampled - independent) <= 0.25 * independent + 5);
    }

    void goneProcess()
    {
        QProcess tree;
        QVERIFY(startTree(tree, 1, 0, false));
        const qint64 pid = tree.processId();
        endTree(tree);
        ResourceSampler sampler;
        sampler.start(pid, 100);
        sampler.stop();
        QCOMPARE(sampler.latest().processCount, 0);
        QCOMPARE(sampler.latest().rssBytes, 0);
    }
};

QTEST_GUILESS_MAIN(TestSampler)
#include "tst_sampler.moc"
