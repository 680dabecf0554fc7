// BenchmarkRunner end to end with real processes: two real sample servers whose
// figures must be consistent; a user catalog of fault fixtures (exits mid-run,
// never ready, answers 500s, missing binary) each recorded with its reason while
// the others complete; cancel; nothing left running afterwards. Hardening:
// servers that leave their tree (a daemon's double fork, another process group,
// an empty environment) or ignore SIGTERM, in a cgroup and in the process-group
// fallback; a readiness path that redirects; a server bound to 0.0.0.0; the
// plan's limits; two runs at once; the server log's cap and the logs' pruning.

#include "bench/benchmarkrunner.h"
#include "bench/planlimits.h"
#include "bench/servercatalog.h"
#include "bench/serverprocess.h"
#include "platform/cgroup.h"
#include "platform/containment.h"
#include "platform/processcontrol.h"
#include "platform/procfs.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <csignal>
#include <limits>

using namespace Qt::StringLiterals;
using namespace sa::bench;

namespace {

const QString kFixtureServer = QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/fixtures/bench_server.py");

QJsonObject fixtureEntry(const QString &id, const QString &mode, const QString &program = u"python3"_s,
    const QString &pidsFile = QString())
{
    QJsonObject entry;
    entry.insert(u"id"_s, id);
    entry.insert(u"name"_s, QString(u"Fixture "_s + mode));
    entry.insert(u"language"_s, u"Python"_s);
    entry.insert(u"framework"_s, u"http.server"_s);
    entry.insert(u"program"_s, program);
    QStringList arguments { kFixtureServer, u"--mode"_s, mode };
    if (!pidsFile.isEmpty())
        arguments << u"--pids"_s << pidsFile;
    entry.insert(u"arguments"_s, QJsonArray::fromStringList(arguments));
    return entry;
}

QStringList readPids(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
}

// The cgroups this test process made and did not remove.
QStringList ourCgroups()
{
    const sa::platform::CgroupLayout layout = sa::platform::detectCgroupLayout();
    QStringList found;
    for (const QString &root : { layout.v2Own, layout.v1MemoryOwn }) {
        if (!root.isEmpty())
            found += QDir(root).entryList(
                { u"stackadvisor-%1-*"_s.arg(::getpid()) }, QDir::Dirs | QDir::NoDotAndDotDot);
    }
    return found;
}

bool cgroupsHere(QString *why)
{
    return sa::platform::ChildContainment::probe(true, why) == sa::platform::ChildContainment::Kind::Cgroup;
}

void writeJson(const QString &path, const QJsonObject &object)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(object).toJson());
}

// Kills whatever this test process started and is still alive: a failing test
// must not leave servers behind.
void endOwned()
{
    for (int pid : sa::platform::ownedProcesses())
        ::kill(pid, SIGKILL);
}

const TargetResult *find(const RunResult &run, const QString &id)
{
    for (const TargetResult &t : run.targets) {
        if (t.targetId == id)
            return &t;
    }
    return nullptr;
}

} // namespace

class TestRunner : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    BenchmarkRunner::Options options(int readinessMs = 10000)
    {
        BenchmarkRunner::Options o;
        o.loadGeneratorPath = QStringLiteral(STACKADVISOR_BIN_DIR "/stackadvisor-load");
        o.logDirectory = m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()));
        o.readinessTimeoutMs = readinessMs;
        o.stopGraceMs = 3000;
        o.idleSettleMs = 200;
        // Its own lock: another checkout's tests on this machine must not make it wait.
        o.lockFile = m_dir.filePath(u"bench.lock"_s);
        return o;
    }

    BenchmarkPlan shortPlan(const QStringList &targets)
    {
        BenchmarkPlan plan;
        plan.targetIds = targets;
        plan.connectionLevels = { 5 };
        plan.warmupSeconds = 0;
        plan.durationSeconds = 0.5;
        plan.intervalSeconds = 0.25;
        return plan;
    }

    // A catalog of fixture servers only (an empty built-in catalog + a user catalog).
    bool fixtureCatalog(ServerCatalog &catalog, const QJsonArray &entries)
    {
        writeJson(
            m_dir.filePath(u"empty.json"_s), { { u"schemaVersion"_s, 1 }, { u"servers"_s, QJsonArray {} } });
        writeJson(m_dir.filePath(u"user.json"_s), { { u"schemaVersion"_s, 1 }, { u"servers"_s, entries } });
        ServerCatalog::Sources sources;
        sources.catalogFile = m_dir.filePath(u"empty.json"_s);
        sources.userCatalogFile = m_dir.filePath(u"user.json"_s);
        sources.serversDir = m_dir.path();
        QString error;
        const bool ok = catalog.load(sources, &error);
        if (!ok)
            qWarning("%s", qPrintable(error));
        return ok;
    }

private Q_SLOTS:
    void cleanup()
    {
        endOwned();
        QTRY_VERIFY_WITH_TIMEOUT(ourCgroups().isEmpty(), 3000);
    }

    void badPlans_data()
    {
        QTest::addColumn<QStringList>("targets");
        QTest::addColumn<double>("duration");
        QTest::addColumn<QString>("expected");
        QTest::addRow("no targets") << QStringList {} << 1.0 << u"no target"_s;
        QTest::addRow("unknown target") << QStringList { u"nope"_s } << 1.0 << u"unknown target 'nope'"_s;
        QTest::addRow("zero duration") << QStringList { u"ok"_s } << 0.0 << u"measured window"_s;
        QTest::addRow("NaN duration") << QStringList { u"ok"_s } << std::nan("") << u"(got nan)"_s;
        QTest::addRow("infinite duration")
            << QStringList { u"ok"_s } << std::numeric_limits<double>::infinity()
            << u"at most 3600 seconds (got inf)"_s;
    }

    void badPlans()
    {
        QFETCH(QStringList, targets);
        QFETCH(double, duration);
        QFETCH(QString, expected);
        ServerCatalog catalog;
        QVERIFY(fixtureCatalog(catalog, { fixtureEntry(u"ok"_s, u"ok"_s) }));
        BenchmarkRunner runner(catalog);
        runner.setOptions(options());
        QSignalSpy failed(&runner, &BenchmarkRunner::runFailed);
        BenchmarkPlan plan;
        plan.targetIds = targets;
        plan.durationSeconds = duration;
        QVERIFY(!runner.start(plan));
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.at(0).at(0).toString().contains(expected), qPrintable(failed.at(0).at(0).toString()));
        QVERIFY(!runner.isRunning());
    }

    void planLimits_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("expected");
        const double nan = std::nan("");
        const double inf = std::numeric_limits<double>::infinity();
        QTest::addRow("warm-up NaN") << u"warmup"_s << nan
                                     << u"warm-up must be between 0 and 3600 seconds (got nan)"_s;
        QTest::addRow("rate inf") << u"rate"_s << inf
                                  << u"open-loop rate must be more than 0 and at most 10000000"_s;
        QTest::addRow("rate NaN") << u"rate"_s << nan << u"(got nan)"_s;
        QTest::addRow("rate negative") << u"rate"_s << -5.0 << u"open-loop rate"_s;
        QTest::addRow("timeout NaN") << u"timeout"_s << nan << u"request timeout"_s;
        QTest::addRow("workers 100000") << u"workers"_s << 100000.0 << u"workers must be between 1 and 256"_s;
        QTest::addRow("threads 100000")
            << u"threads"_s << 100000.0 << u"load threads must be between 1 and 256"_s;
        QTest::addRow("threads above connections")
            << u"threads"_s << 8.0 << u"must not exceed the connections (5)"_s;
        QTest::addRow("connections 100001") << u"connections"_s << 100001.0 << u"between 1 and 100000"_s;
        QTest::addRow("readiness 1e10 s")
            << u"readiness"_s << 1e10 << u"readiness timeout must be more than 0 and at most 3600"_s;
    }

    void planLimits()
    {
        QFETCH(QString, field);
        QFETCH(double, value);
        QFETCH(QString, expected);
        ServerCatalog catalog;
        QVERIFY(fixtureCatalog(catalog, { fixtureEntry(u"ok"_s, u"ok"_s) }));
        BenchmarkRunner runner(catalog);
        BenchmarkRunner::Options o = options();
        BenchmarkPlan plan = shortPlan({ u"ok"_s });
        if (field == u"warmup"_s)
            plan.warmupSeconds = value;
        else if (field == u"rate"_s)
            plan.openLoopRate = value;
        else if (field == u"timeout"_s)
            plan.timeoutSeconds = value;
        else if (field == u"workers"_s)
            plan.workers = int(value);
        else if (field == u"threads"_s)
            plan.loadThreads = int(value);
        else if (field == u"connections"_s)
            plan.connectionLevels = { int(value) };
        else if (field == u"readiness"_s)
            o.readinessTimeoutMs = int(qMin(value * 1000, 2e9)); // as large as the option can hold
        runner.setOptions(o);
        QSignalSpy failed(&runner, &BenchmarkRunner::runFailed);
        QVERIFY(!runner.start(plan));
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.at(0).at(0).toString().contains(expected), qPrintable(failed.at(0).at(0).toString()));
        QVERIFY(sa::platform::ownedProcesses().isEmpty()); // nothing started
        // The GUI's inputs get the same rule from the same place.
        QCOMPARE(sa::bench::planProblem(plan).isEmpty(), field == u"readiness"_s);
    }

    void escapingServersAreEndedAndWarned_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<bool>("cgroups");
        QTest::addColumn<int>("left"); // processes expected alive after SIGTERM's grace
        QTest::addRow("cgroup: daemon (setsid, double fork)") << u"escape=setsid"_s << true << 1;
        QTest::addRow("cgroup: child in its own process group") << u"escape=setpgid"_s << true << 1;
        QTest::addRow("cgroup: daemon that cleared its environment") << u"escape=clear-env"_s << true << 1;
        QTest::addRow("cgroup: ignores SIGTERM") << u"ignore-term"_s << true << 1;
        QTest::addRow("cgroup: all of it") << u"escape=clear-env,escape=setpgid,ignore-term"_s << true << 3;
        QTest::addRow("process group: daemon (setsid, double fork)") << u"escape=setsid"_s << false << 1;
        QTest::addRow("process group: child in its own process group") << u"escape=setpgid"_s << false << 1;
        QTest::addRow("process group: ignores SIGTERM") << u"ignore-term"_s << false << 1;
    }

    void escapingServersAreEndedAndWarned()
    {
        QFETCH(QString, mode);
        QFETCH(bool, cgroups);
        QFETCH(int, left);
        QString why;
        if (cgroups && !cgroupsHere(&why))
            QSKIP(qPrintable(u"no cgroup on this machine: "_s + why));
        const QString pids = m_dir.filePath(
            u"escaped-%1.pids"_s.arg(QString::fromUtf8(QTest::currentDataTag())).replace(u' ', u'_'));
        QFile::remove(pids);
        ServerCatalog catalog;
        QVERIFY(fixtureCatalog(catalog, { fixtureEntry(u"escaper"_s, mode, u"python3"_s, pids) }));
        BenchmarkRunner runner(catalog);
        BenchmarkRunner::Options o = options();
        o.useCgroups = cgroups;
        o.stopGraceMs = 1000;
        runner.setOptions(o);
        QSignalSpy finished(&runner, &BenchmarkRunner::finished);
        QSignalSpy warnings(&runner, &BenchmarkRunner::warning);
        QVERIFY(runner.start(shortPlan({ u"escaper"_s })));
        QVERIFY(finished.wait(30000));
        const RunResult run = finished.at(0).at(0).value<RunResult>();
        QCOMPARE(run.plan.containment, cgroups ? u"cgroup"_s : u"process-group"_s);
        const TargetResult &t = run.targets.at(0);
        QVERIFY2(t.status == TargetStatus::Completed, qPrintable(t.failureReason));
        // A warning on its result naming what was left behind.
        QCOMPARE(t.warnings.size(), 1);
        const QString expected = left == 1 ? u"left a process running 1 s after SIGTERM"_s
                                           : u"left %1 processes running 1 s after SIGTERM"_s.arg(left);
        QVERIFY2(t.warnings.at(0).contains(expected), qPrintable(t.warnings.at(0)));
        QVERIFY2(t.warnings.at(0).contains(cgroups ? u"ended with cgroup.kill"_s : u"ended with SIGKILL"_s),
            qPrintable(t.warnings.at(0)));
        // Said live too (beside, on a loaded machine, a saturated generator).
        QStringList live;
        for (const QList<QVariant> &warning : std::as_const(warnings)) {
            if (warning.at(1).toString().contains(u"after SIGTERM"_s))
                live << warning.at(1).toString();
        }
        QCOMPARE(live, t.warnings);
        // And nothing is left: not the escaped processes, not a cgroup.
        for (const QString &pid : readPids(pids))
            QVERIFY2(!sa::platform::isAlive(pid.toInt()), qPrintable(u"pid %1 still runs"_s.arg(pid)));
        QVERIFY(sa::platform::ownedProcesses().isEmpty());
        QVERIFY2(ourCgroups().isEmpty(), qPrintable(ourCgroups().join(u", "_s)));
    }

    void containmentAndCgroupFiguresRecorded_data()
    {
        QTest::addColumn<bool>("cgroups");
        QTest::addRow("cgroup") << true;
        QTest::addRow("process group") << false;
    }

    void containmentAndCgroupFiguresRecorded()
    {
        QFETCH(bool, cgroups);
        QString why;
        if (cgroups && !cgroupsHere(&why))
            QSKIP(qPrintable(u"no cgroup on this machine: "_s + why));
        ServerCatalog catalog;
        QVERIFY(fixtureCatalog(catalog, { fixtureEntry(u"ok"_s, u"ok"_s) }));
        BenchmarkRunner runner(catalog);
        BenchmarkRunner::Options o = options();
        o.useCgroups = cgroups;
        runner.setOptions(o);
        QSignalSpy finished(&runner, &BenchmarkRunner::finished);
        BenchmarkPlan plan = shortPlan({ u"ok"_s });
        plan.durationSeconds = 1.0;
        QVERIFY(runner.start(plan));
        QVERIFY(finished.wait(30000));
        const RunResult run = finished.at(0).at(0).value<RunResult>();
        const TargetResult &t = run.targets.at(0);
        QVERIFY2(t.status == TargetStatus::Completed, qPrintable(t.failureReason));
        QVERIFY(t.warnings.isEmpty());
        if (cgroups) {
            QCOMPARE(run.plan.containment, u"cgroup"_s);
            QVERIFY2(run.plan.containmentDetail.startsWith(u"a cgroup of its own under "_s),
                qPrintable(run.plan.containmentDetail));
            const bool memory = !run.plan.containmentDetail.contains(u"not counted"_s);
            // Both counts side by side: PSS from /proc, the cgroup's own.
            QVERIFY(t.memory.peakPssBytes > 0);
            QCOMPARE(t.memory.peakCgroupBytes > 0, memory);
            QCOMPARE(t.memory.idleCgroupBytes > 0, memory);
            QVERIFY(t.cgroupCpuPercentMean >= 0 && t.cgroupCpuPercentPeak >= t.cgroupCpuPercentMean);
            for (const IntervalSample &sample : t.timeline) {
                QCOMPARE(sample.cgroupMemoryBytes > 0, memory);
                QVERIFY(sample.cgroupCpuPercent >= 0);
            }
        } else {
            QCOMPARE(run.plan.containment, u"process-group"_s);
            QVERIFY2(run.plan.containmentDetail.contains(u"cgroups were turned off"_s),
                qPrintable(run.plan.containmentDetail));
            QCOMPARE(t.memory.peakCgroupBytes, -1);
            QCOMPARE(t.cgroupCpuPercentMean, -1.0);
            QVERIFY(t.memory.peakPssBytes > 0);
        }
        // The JSON carries them (null when not measured) and reads them back.
        const QJsonObject json = run.toJson();
        QCOMPARE(json.value(u"plan"_s).toObject().value(u"containment"_s).toString(), run.plan.containment);
        const QJsonObject memoryJson
            = json.value(u"targets"_s).toArray().at(0).toObject().value(u"memory"_s).toObject();
        QCOMPARE(memoryJson.value(u"peakCgroupBytes"_s).isNull(), t.memory.peakCgroupBytes < 0);
        QString error;
        const auto back = RunResult::fromJson(json, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->toJson(), json);
    }

    void readinessNeverFollowsRedirects()
    {
        // Somewhere else on the loopback, counting who comes.
        QTcpServer elsewhere;
        QVERIFY(elsewhere.listen(QHostAddress(u"127.0.0.2"_s), 0));
        int visits = 0;
        connect(&elsewhere, &QTcpServer::newConnection, this, [&visits] { ++visits; });
        const QString target = u"http://127.0.0.2:%1/healthz"_s.arg(elsewhere.serverPort());
        ServerCatalog catalog;
        QVERIFY(fixtureCatalog(catalog, { fixtureEntry(u"redirects"_s, u"redirect="_s + target) }));
        BenchmarkRunner runner(catalog);
        runner.setOptions(options(2000));
        QSignalSpy finished(&runner, &BenchmarkRunner::finished);
        QVERIFY(runner.start(shortPlan({ u"redirects"_s })));
        QVERIFY(finished.wait(30000));
        const TargetResult t = finished.at(0).at(0).value<RunResult>().targets.at(0);
        QCOMPARE(t.status, TargetStatus::Failed);
        QVERIFY2(t.failureReason.contains(u"did not answer GET"_s), qPrintable(t.failureReason));
        QVERIFY2(t.failureReason.contains(u"answered 302 with a redirect to "_s + target),
            qPrintable(t.failureReason));
        QVERIFY2(t.failureReason.contains(u"the probe does not follow"_s), qPrintable(t.failureReason));
        QCOMPARE(visits, 0);
        QVERIFY(!elsewhere.hasPendingConnections());
        QVERIFY(sa::platform::ownedProcesses().isEmpty());
    }

    void serverOnEveryInterfaceIsFlagged()
    {
        ServerCatalog catalog;
        QVERIFY(fixtureCatalog(
            catalog, { fixtureEntry(u"any"_s, u"bind-any"_s), fixtureEntry(u"ok"_s, u"ok"_s) }));
        BenchmarkRunner runner(catalog);
        runner.setOptions(options());
        QSignalSpy finished(&runner, &BenchmarkRunner::finished);
        QVERIFY(runner.start(shortPlan({ u"any"_s, u"ok"_s })));
        QVERIFY(finished.wait(30000));
        const RunResult run = finished.at(0).at(0).value<RunResult>();
        const TargetResult *any = find(run, u"any"_s);
        QVERIFY2(any->status == TargetStatus::Completed, qPrintable(any->failureReason));
        QCOMPARE(any->warnings.size(), 1);
        QVERIFY2(any->warnings.at(0).contains(u"listens on 0.0.0.0 port "_s)
                && any->warnings.at(0).contains(u"every network interface"_s),
            qPrintable(any->warnings.at(0)));
        QVERIFY(find(run, u"ok"_s)->warnings.isEmpty()); // 127.0.0.1, as the contract asks
    }

    void twoRunsAtOnceTakeTurns()
    {
        ServerCatalog catalog;
        QVERIFY(fixtureCatalog(catalog, { fixtureEntry(u"ok"_s, u"ok"_s) }));
        BenchmarkRunner first(catalog), second(catalog), third(catalog);
        for (BenchmarkRunner *runner : { &first, &second, &third })
            runner->setOptions(options());
        QSignalSpy firstFinished(&first, &BenchmarkRunner::finished);
        QSignalSpy secondWarnings(&second, &BenchmarkRunner::warning);
        QSignalSpy secondStarted(&second, &BenchmarkRunner::cellStarted);
        QSignalSpy secondFinished(&second, &BenchmarkRunner::finished);
        BenchmarkPlan plan = shortPlan({ u"ok"_s });
        plan.durationSeconds = 1.0;
        QVERIFY(first.start(plan));
        QVERIFY(second.start(plan));
        QVERIFY(secondWarnings.wait(5000));
        const QString message = secondWarnings.at(0).at(1).toString();
        QVERIFY2(
            message.contains(u"another benchmark is running (pid %1"_s.arg(::getpid())), qPrintable(message));
        QVERIFY2(message.contains(u"halve each other's figures"_s), qPrintable(message));
        QVERIFY(firstFinished.wait(30000));
        // The second had not started a server while the first ran.
        const bool startedEarly = !secondStarted.isEmpty();
        QVERIFY(!startedEarly);
        QVERIFY(secondFinished.wait(30000));
        QCOMPARE(secondFinished.at(0).at(0).value<RunResult>().status, RunStatus::Completed);
        QCOMPARE(firstFinished.at(0).at(0).value<RunResult>().status, RunStatus::Completed);

        // Waiting can be cancelled: nothing ran.
        QSignalSpy thirdFinished(&third, &BenchmarkRunner::finished);
        QSignalSpy thirdWarnings(&third, &BenchmarkRunner::warning);
        QVERIFY(first.start(plan));
        QVERIFY(third.start(plan));
        QVERIFY(thirdWarnings.wait(5000));
        third.cancel();
        QVERIFY(thirdFinished.wait(5000));
        const RunResult cancelled = thirdFinished.at(0).at(0).value<RunResult>();
        QCOMPARE(cancelled.status, RunStatus::Cancelled);
        QVERIFY(cancelled.targets.isEmpty());
        QVERIFY(firstFinished.wait(30000));
    }

    void serverLogIsCapped()
    {
        ServerCatalog catalog;
        QVERIFY(fixtureCatalog(catalog, { fixtureEntry(u"chatty"_s, u"chatty"_s) }));
        ServerProcess server(*catalog.find(u"chatty"_s));
        ServerProcess::Settings settings;
        settings.logPath = m_dir.filePath(u"chatty/server.log"_s);
        settings.logCapBytes = 256 * 1024;
        settings.stopGraceMs = 1000;
        QSignalSpy ready(&server, &ServerProcess::ready);
        QSignalSpy stopped(&server, &ServerProcess::stopped);
        server.start(settings);
        QVERIFY(ready.wait(10000));
        // 3 MiB/s of log: cut back to its head more than once.
        const auto capped = [&settings] {
            QFile log(settings.logPath);
            return log.open(QIODevice::ReadOnly) && log.readAll().count("this log passed 0.25 MiB") >= 1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(capped(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(settings.logPath).size() < settings.logCapBytes, 3000);
        QFile log(settings.logPath);
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY(log.readAll().startsWith("bench_server: chatty on 127.0.0.1:")); // the start-up lines stay
        server.stop();
        QVERIFY(stopped.wait(10000));
        QVERIFY(QFileInfo(settings.logPath).size() < 2 * settings.logCapBytes);
    }

    void oldLogFoldersArePruned()
    {
        const QString root = m_dir.filePath(u"logs"_s);
        QStringList runs;
        for (int i = 0; i < 25; ++i) {
            const QString name = u"20260101-1200%1-000"_s.arg(i, 2, 10, QLatin1Char('0'));
            QVERIFY(QDir().mkpath(root + u'/' + name));
            QFile log(root + u'/' + name + u"/go-gin-json-c1000.log"_s);
            QVERIFY(log.open(QIODevice::WriteOnly));
            runs << name;
        }
        QVERIFY(QDir().mkpath(root + u"/my-notes"_s)); // not a run's folder: never touched
        QCOMPARE(ServerProcess::pruneLogFolders(root, 19), 6);
        QStringList left = QDir(root).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        QVERIFY(left.removeOne(u"my-notes"_s));
        QCOMPARE(left, runs.mid(6)); // the newest 19
    }

    void faultsAreRecordedAndTheRunGoesOn()
    {
        ServerCatalog catalog;
        QVERIFY(fixtureCatalog(catalog,
            { fixtureEntry(u"exits"_s, u"exit-after=1.2"_s), fixtureEntry(u"never-ready"_s, u"never-ready"_s),
                fixtureEntry(u"errors"_s, u"errors"_s),
                fixtureEntry(u"missing"_s, u"ok"_s, u"/nonexistent/bench-missing"_s),
                fixtureEntry(u"ok"_s, u"ok"_s) }));
        QVERIFY(!catalog.find(u"missing"_s)->available);
        BenchmarkRunner runner(catalog);
        runner.setOptions(options(2500));
        QSignalSpy finished(&runner, &BenchmarkRunner::finished);
        QSignalSpy cells(&runner, &BenchmarkRunner::cellFinished);
        BenchmarkPlan plan;
        plan.targetIds = { u"exits"_s, u"never-ready"_s, u"errors"_s, u"missing"_s, u"ok"_s };
        plan.connectionLevels = { 10 };
        plan.warmupSeconds = 0.5;
        plan.durationSeconds = 2.0;
        plan.timeoutSeconds = 2.0;
        QVERIFY(runner.start(plan));
        QVERIFY(finished.wait(60000));
        QCOMPARE(cells.size(), 5);
        const RunResult run = finished.at(0).at(0).value<RunResult>();
        QCOMPARE(run.status, RunStatus::Completed);
        QCOMPARE(run.targets.size(), 5);

        const TargetResult *exits = find(run, u"exits"_s);
        QCOMPARE(exits->status, TargetStatus::Failed);
        QVERIFY2(exits->failureReason.contains(u"exited with code 3"_s), qPrintable(exits->failureReason));
        QVERIFY2(exits->failureReason.contains(u"exiting on purpose"_s),
            qPrintable(exits->failureReason)); // log tail

        const TargetResult *never = find(run, u"never-ready"_s);
        QCOMPARE(never->status, TargetStatus::Failed);
        QVERIFY2(never->failureReason.contains(u"did not answer GET"_s), qPrintable(never->failureReason));
        QVERIFY2(never->failureReason.contains(u"/healthz"_s), qPrintable(never->failureReason));

        const TargetResult *errors = find(run, u"errors"_s);
        QCOMPARE(errors->status, TargetStatus::Failed);
        QVERIFY2(errors->failureReason.contains(u"error status"_s), qPrintable(errors->failureReason));
        QVERIFY(errors->errors.status > 0);

        const TargetResult *missing = find(run, u"missing"_s);
        QCOMPARE(missing->status, TargetStatus::Failed);
        QVERIFY2(missing->failureReason.contains(u"not available"_s), qPrintable(missing->failureReason));
        QVERIFY2(missing->failureReason.contains(u"/nonexistent/bench-missing"_s),
            qPrintable(missing->failureReason));

        const TargetResult *ok = find(run, u"ok"_s);
        QVERIFY2(ok->status == TargetStatus::Completed, qPrintable(ok->failureReason));
        QVERIFY(ok->requests > 0);
        QVERIFY(QFile::exists(ok->logPath));

        // Nothing this test started is still running.
        QTRY_VERIFY_WITH_TIMEOUT(sa::platform::ownedProcesses().isEmpty(), 3000);
    }

    void twoRealServersAreConsistent()
    {
        ServerCatalog catalog;
        QString error;
        ServerCatalog::Sources sources = ServerCatalog::defaultSources();
        sources.userCatalogFile.clear();
        QVERIFY2(catalog.load(sources, &error), qPrintable(error));
        for (const char *id : { "go-nethttp", "python-fastapi" }) {
            const ServerEntry *entry = catalog.find(QLatin1String(id));
            QVERIFY(entry);
            if (!entry->available)
                QSKIP(qPrintable(
                    u"%1 is not built (%2); run `make servers`"_s.arg(entry->id, entry->unavailableReason)));
        }
        BenchmarkRunner runner(catalog);
        runner.setOptions(options());
        QSignalSpy finished(&runner, &BenchmarkRunner::finished);
        QSignalSpy samples(&runner, &BenchmarkRunner::sampleReady);
        QSignalSpy phases(&runner, &BenchmarkRunner::phaseChanged);
        QSignalSpy progress(&runner, &BenchmarkRunner::progress);
        BenchmarkPlan plan;
        plan.targetIds = { u"go-nethttp"_s, u"python-fastapi"_s };
        plan.connectionLevels = { 50 };
        plan.warmupSeconds = 0.5;
        plan.durationSeconds = 1.0;
        plan.intervalSeconds = 0.5;
        QVERIFY(runner.start(plan));
        QVERIFY(runner.isRunning());
        QVERIFY(finished.wait(60000));
        QVERIFY(!runner.isRunning());
        const RunResult run = finished.at(0).at(0).value<RunResult>();
        QCOMPARE(run.targets.size(), 2);
        QVERIFY(samples.size() >= 4);
        QVERIFY(phases.size() >= 8);
        QVERIFY(progress.size() > 0);
        QCOMPARE(progress.last().at(0).toDouble(), 1.0);

        // Every setting actually used is recorded.
        QVERIFY(!run.plan.serverCpus.isEmpty() && !run.plan.loadCpus.isEmpty());
        QVERIFY(run.plan.workers >= 1 && run.plan.loadThreads >= 1);
        QVERIFY(run.machine.logicalCores >= 1);
        QVERIFY(run.machine.memoryBytes > 0);
        QVERIFY(!run.machine.kernel.isEmpty());
        QVERIFY(run.machine.versions.contains(u"go"_s));
        QVERIFY(run.machine.versions.contains(u"python"_s));
        QVERIFY(run.machine.versions.contains(u"stackadvisor-load"_s));
        QVERIFY(run.startedAt.isValid() && run.finishedAt >= run.startedAt);

        for (const TargetResult &t : run.targets) {
            const QByteArray id = t.targetId.toUtf8();
            QVERIFY2(t.status == TargetStatus::Completed, qPrintable(t.failureReason));
            QVERIFY2(t.durationSeconds > 0.8 && t.durationSeconds < 1.5, id);
            // req/s × window ≈ request count
            const double implied = t.requestsPerSecond * t.durationSeconds;
            QVERIFY2(qAbs(implied - double(t.requests)) <= 0.02 * double(t.requests) + 1, id);
            QVERIFY2(t.requests > 0, id);
            // Percentiles in order.
            const LatencySummary &l = t.latency;
            QVERIFY2(l.minUs > 0 && l.minUs <= l.p50Us && l.p50Us <= l.p75Us && l.p75Us <= l.p90Us
                    && l.p90Us <= l.p99Us && l.p99Us <= l.p999Us && l.p999Us <= l.maxUs,
                id);
            QVERIFY2(l.meanUs >= l.minUs && l.meanUs <= l.maxUs, id);
            // Memory and CPU of the server's tree.
            QVERIFY2(t.memory.idleRssBytes > 0 && t.memory.meanRssBytes > 0 && t.memory.peakRssBytes > 0, id);
            QVERIFY2(t.memory.idlePssBytes > 0 && t.memory.idlePssBytes <= t.memory.idleRssBytes, id);
            QVERIFY2(t.memory.peakPssBytes > 0 && t.memory.peakPssBytes <= t.memory.peakRssBytes, id);
            QVERIFY2(t.memory.meanPssBytes <= t.memory.peakPssBytes
                    && t.memory.meanRssBytes <= t.memory.peakRssBytes,
                id);
            QVERIFY2(t.cpuPercentMean > 0 && t.cpuPercentPeak >= t.cpuPercentMean, id);
            QVERIFY2(t.deployableBytes > 0 && !t.deployableWhat.isEmpty(), id);
            QVERIFY2(!t.frameworkVersion.isEmpty(), id);
            QCOMPARE(t.serverCpus, run.plan.serverCpus);
            QCOMPARE(t.workers, run.plan.workers);
            QVERIFY2(t.timeline.size() >= 2, id);
            QVERIFY2(QFile::exists(t.logPath), id);
        }
        // The export round-trips.
        QString parseError;
        const auto back = RunResult::fromJson(run.toJson(), &parseError);
        QVERIFY2(back, qPrintable(parseError));
        QCOMPARE(back->toJson(), run.toJson());
        QTRY_VERIFY_WITH_TIMEOUT(sa::platform::ownedProcesses().isEmpty(), 3000);
    }

    void workersDieWithTheirServer()
    {
        // gunicorn: a master and its workers (grandchildren of the app) in one group.
        ServerCatalog catalog;
        QString error;
        ServerCatalog::Sources sources = ServerCatalog::defaultSources();
        sources.userCatalogFile.clear();
        QVERIFY2(catalog.load(sources, &error), qPrintable(error));
        const ServerEntry *django = catalog.find(u"python-django"_s);
        QVERIFY(django);
        if (!django->available)
            QSKIP("python-django is not built; run `make servers`");
        BenchmarkRunner runner(catalog);
        runner.setOptions(options());
        QSignalSpy finished(&runner, &BenchmarkRunner::finished);
        QSignalSpy samples(&runner, &BenchmarkRunner::sampleReady);
        BenchmarkPlan plan;
        plan.targetIds = { u"python-django"_s };
        plan.connectionLevels = { 10 };
        plan.workers = 2;
        plan.warmupSeconds = 0;
        plan.durationSeconds = 3.0;
        QVERIFY(runner.start(plan));
        QVERIFY(samples.wait(20000));
        // master + 2 workers + the load generator
        const qsizetype running = sa::platform::ownedProcesses().size();
        QVERIFY2(running >= 4,
            qPrintable(u"expected gunicorn's master, 2 workers and the load; found %1"_s.arg(running)));
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.at(0).at(0).value<RunResult>().targets.at(0).status, TargetStatus::Completed);
        QTRY_VERIFY_WITH_TIMEOUT(sa::platform::ownedProcesses().isEmpty(), 3000);
    }

    void portTakenMeansAnotherPort()
    {
        // The server reports its port taken (someone bound it between our check
        // and its bind): the runner starts it again on another port.
        const QString flag = m_dir.filePath(u"busy-once.flag"_s);
        QFile::remove(flag);
        ServerCatalog catalog;
        QVERIFY(fixtureCatalog(catalog, { fixtureEntry(u"busy"_s, u"busy-once="_s + flag) }));
        BenchmarkRunner runner(catalog);
        runner.setOptions(options());
        QSignalSpy finished(&runner, &BenchmarkRunner::finished);
        BenchmarkPlan plan;
        plan.targetIds = { u"busy"_s };
        plan.connectionLevels = { 5 };
        plan.warmupSeconds = 0;
        plan.durationSeconds = 0.5;
        QVERIFY(runner.start(plan));
        QVERIFY(finished.wait(30000));
        const TargetResult t = finished.at(0).at(0).value<RunResult>().targets.at(0);
        QVERIFY2(t.status == TargetStatus::Completed, qPrintable(t.failureReason));
        QVERIFY(QFile::exists(flag));
        QFile log(t.logPath);
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY(log.readAll().contains("Address already in use")); // both attempts in one log
    }

    void cancelMidRun()
    {
        ServerCatalog catalog;
        QVERIFY(fixtureCatalog(catalog, { fixtureEntry(u"ok"_s, u"ok"_s), fixtureEntry(u"ok2"_s, u"ok"_s) }));
        BenchmarkRunner runner(catalog);
        runner.setOptions(options());
        QSignalSpy finished(&runner, &BenchmarkRunner::finished);
        QSignalSpy samples(&runner, &BenchmarkRunner::sampleReady);
        BenchmarkPlan plan;
        plan.targetIds = { u"ok"_s, u"ok2"_s };
        plan.connectionLevels = { 10 };
        plan.warmupSeconds = 0;
        plan.durationSeconds = 30;
        QVERIFY(runner.start(plan));
        QVERIFY(samples.wait(20000));
        QVERIFY(!sa::platform::ownedProcesses().isEmpty());
        runner.cancel();
        QVERIFY(finished.wait(10000));
        const RunResult run = finished.at(0).at(0).value<RunResult>();
        QCOMPARE(run.status, RunStatus::Cancelled);
        QCOMPARE(run.targets.size(), 1); // the second never started
        QCOMPARE(run.targets.at(0).status, TargetStatus::Cancelled);
        QVERIFY(!run.targets.at(0).timeline.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(sa::platform::ownedProcesses().isEmpty(), 3000);
        QVERIFY(!runner.isRunning());
    }

    // A run cancelled in its warm-up and started again at once: the first run's
    // warm-up timer must not end the second run's warm-up early (it would open
    // the measured window, and its resource sampling, too soon).
    void cancelThenRestartKeepsTheNewWarmup()
    {
        ServerCatalog catalog;
        QVERIFY(fixtureCatalog(catalog, { fixtureEntry(u"ok"_s, u"ok"_s) }));
        BenchmarkRunner runner(catalog);
        runner.setOptions(options());
        BenchmarkPlan plan;
        plan.targetIds = { u"ok"_s };
        plan.connectionLevels = { 5 };
        plan.warmupSeconds = 3;
        plan.durationSeconds = 1;
        plan.intervalSeconds = 0.5;

        QElapsedTimer clock;
        clock.start();
        QList<std::pair<BenchmarkRunner::Phase, qint64>> phases;
        connect(&runner, &BenchmarkRunner::phaseChanged, this,
            [&](const QString &, BenchmarkRunner::Phase phase) {
                phases.append({ phase, clock.elapsed() });
            });
        QSignalSpy finished(&runner, &BenchmarkRunner::finished);

        QVERIFY(runner.start(plan));
        QTRY_VERIFY_WITH_TIMEOUT(
            !phases.isEmpty() && phases.constLast().first == BenchmarkRunner::Phase::WarmingUp, 15000);
        // Cancel a second into the 3 s warm-up; its timer would fire 2 s from now.
        QTest::qWait(1000);
        runner.cancel();
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(0).at(0).value<RunResult>().status, RunStatus::Cancelled);

        phases.clear();
        QVERIFY(runner.start(plan));
        QVERIFY(finished.wait(30000));
        const RunResult second = finished.at(1).at(0).value<RunResult>();
        QCOMPARE(second.status, RunStatus::Completed);
        qint64 warmingUp = -1, measuring = -1;
        for (const auto &[phase, at] : std::as_const(phases)) {
            if (phase == BenchmarkRunner::Phase::WarmingUp && warmingUp < 0)
                warmingUp = at;
            if (phase == BenchmarkRunner::Phase::Measuring && measuring < 0)
                measuring = at;
        }
        QVERIFY(warmingUp >= 0 && measuring > warmingUp);
        QVERIFY2(measuring - warmingUp >= 2800,
            qPrintable(u"the second run measured %1 ms after its warm-up began, not 3 s"_s.arg(
                measuring - warmingUp)));
        // The cell's figures cover its own window: its timeline has the warm-up
        // intervals first, then the measured ones.
        const TargetResult &cell = second.targets.at(0);
        QCOMPARE(cell.status, TargetStatus::Completed);
        int warm = 0;
        for (const IntervalSample &sample : cell.timeline)
            warm += sample.warmup ? 1 : 0;
        QVERIFY2(warm >= 5, qPrintable(u"%1 warm-up intervals"_s.arg(warm)));
        QVERIFY(cell.durationSeconds > 0.8 && cell.durationSeconds < 1.5);
        QTRY_VERIFY_WITH_TIMEOUT(sa::platform::ownedProcesses().isEmpty(), 3000);
    }
};

QTEST_GUILESS_MAIN(TestRunner)
#include "tst_runner.moc"
