// ResourceSampler against a process tree with known memory (bench_memtree): the
// parent and its children each touch MIB of their own, so the tree's RSS and PSS
// are known to within the few MB a small C++ process needs. Also CPU %; and, in a
// cgroup of its own, the cgroup's counters beside the /proc figures, and a
// process that left the tree still counted.

#include "bench/resourcesampler.h"
#include "platform/containment.h"
#include "platform/processcontrol.h"
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
bool startTree(QProcess &process, int mib, int children, bool busy,
    sa::platform::ChildContainment *containment = nullptr)
{
    process.setProgram(kMemtree);
    QStringList arguments { QString::number(mib), QString::number(children) };
    if (busy)
        arguments << u"busy"_s;
    process.setArguments(arguments);
    if (containment) {
        const sa::platform::ChildSetup setup = containment->childSetup({}, SIGKILL);
        process.setChildProcessModifier([setup] { sa::platform::applyInChild(setup); });
    } else {
        process.setChildProcessModifier([] { setpgid(0, 0); });
    }
    process.start();
    if (containment && process.waitForStarted(5000))
        containment->attach(process.processId(), 1000);
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

    void cgroupFiguresBesideProc_data()
    {
        QTest::addColumn<bool>("busy");
        QTest::addRow("idle, 4 × 64 MiB") << false;
        QTest::addRow("busy") << true;
    }

    void cgroupFiguresBesideProc()
    {
        QFETCH(bool, busy);
        sa::platform::ChildContainment containment(u"sampler"_s);
        if (containment.kind() != sa::platform::ChildContainment::Kind::Cgroup)
            QSKIP(qPrintable(u"no cgroup on this machine: "_s + containment.description()));
        if (containment.memorySource().isEmpty())
            QSKIP(qPrintable(u"the cgroup counts no memory here: "_s + containment.description()));
        QProcess tree;
        auto guard = qScopeGuard([&] {
            containment.killAll();
            tree.waitForFinished(5000);
        });
        QVERIFY(startTree(tree, 64, 3, busy, &containment));

        ResourceSampler sampler;
        sampler.start(tree.processId(), 250, &containment);
        QSignalSpy spy(&sampler, &ResourceSampler::sampled);
        QTRY_VERIFY_WITH_TIMEOUT(spy.size() >= 6, 5000);
        sampler.stop();
        const ResourceSampler::Sample sample = sampler.latest();
        QCOMPARE(sample.processCount, 4);
        const double touched = 4 * 64.0 * 1024 * 1024;
        qInfo("%s: PSS %.1f MiB, RSS %.1f MiB, cgroup %.1f MiB (%s); CPU /proc %.1f %%, cgroup %.1f %%",
            busy ? "busy" : "idle", double(sample.pssBytes) / 1048576.0, double(sample.rssBytes) / 1048576.0,
            double(sample.cgroupMemoryBytes) / 1048576.0, qPrintable(containment.memorySource()),
            sample.cpuPercent, sample.cgroupCpuPercent);
        // The cgroup was charged what the tree touched, plus its page tables and
        // the page cache it brought in: within 10 % above, never below.
        QVERIFY(sample.cgroupMemoryBytes >= 0.97 * touched);
        QVERIFY(sample.cgroupMemoryBytes <= 1.10 * touched);
        const ResourceSampler::Figures figures = sampler.figures(0, -1);
        QVERIFY(figures.peakCgroupMemoryBytes >= figures.meanCgroupMemoryBytes);
        QVERIFY(figures.meanCgroupMemoryBytes > 0);
        if (busy) {
            // Two ways of counting the same CPU time: /proc ticks (10 ms) and cpu.stat.
            QVERIFY(sample.cgroupCpuPercent > 10);
            QVERIFY(qAbs(figures.meanCgroupCpuPercent - figures.meanCpuPercent)
                <= 0.15 * figures.meanCgroupCpuPercent + 5);
        } else {
            QVERIFY(sample.cgroupCpuPercent < 20);
        }
    }

    void escapedProcessStillCounted()
    {
        // A daemon's double fork leaves the process tree, not the cgroup.
        sa::platform::ChildContainment containment(u"escape"_s);
        if (containment.kind() != sa::platform::ChildContainment::Kind::Cgroup)
            QSKIP(qPrintable(u"no cgroup on this machine: "_s + containment.description()));
        QProcess server;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"PORT"_s, u"0"_s);
        server.setProcessEnvironment(environment);
        const sa::platform::ChildSetup setup = containment.childSetup({}, SIGKILL);
        server.setChildProcessModifier([setup] { sa::platform::applyInChild(setup); });
        server.setProcessChannelMode(QProcess::ForwardedChannels);
        server.start(u"python3"_s,
            { QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/fixtures/bench_server.py"), u"--mode"_s,
                u"escape=setsid"_s });
        QVERIFY(server.waitForStarted(5000));
        containment.attach(server.processId(), 1000);
        auto guard = qScopeGuard([&] {
            containment.killAll();
            server.waitForFinished(5000);
        });
        // Once the daemon runs (and the middle process of the double fork is gone).
        const auto daemonRuns = [&containment] {
            const QList<int> members = containment.members();
            return members.size() == 2 && std::any_of(members.cbegin(), members.cend(), [](int pid) {
                return sa::platform::commandName(pid) == u"sleep"_s;
            });
        };
        QTRY_VERIFY_WITH_TIMEOUT(daemonRuns(), 5000);
        QCOMPARE(sa::platform::processTree(int(server.processId())).size(), 1); // /proc's tree lost it
        ResourceSampler sampler;
        sampler.start(server.processId(), 100, &containment);
        sampler.stop();
        QCOMPARE(sampler.latest().processCount, 2);
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
