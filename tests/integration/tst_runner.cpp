// BenchmarkRunner end to end with real processes: two real sample servers whose
// figures must be consistent; a user catalog of fault fixtures (exits mid-run,
// never ready, answers 500s, missing binary) each recorded with its reason while
// the others complete; cancel; nothing left running afterwards.

#include "bench/benchmarkrunner.h"
#include "bench/servercatalog.h"
#include "platform/processcontrol.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace sa::bench;

namespace {

const QString kFixtureServer = QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/fixtures/bench_server.py");

QJsonObject fixtureEntry(const QString &id, const QString &mode, const QString &program = u"python3"_s)
{
    QJsonObject entry;
    entry.insert(u"id"_s, id);
    entry.insert(u"name"_s, QString(u"Fixture "_s + mode));
    entry.insert(u"language"_s, u"Python"_s);
    entry.insert(u"framework"_s, u"http.server"_s);
    entry.insert(u"program"_s, program);
    entry.insert(u"arguments"_s, QJsonArray::fromStringList({ kFixtureServer, u"--mode"_s, mode }));
    return entry;
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
        return o;
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
    void cleanup() { endOwned(); }

    void badPlans_data()
    {
        QTest::addColumn<QStringList>("targets");
        QTest::addColumn<double>("duration");
        QTest::addColumn<QString>("expected");
        QTest::addRow("no targets") << QStringList {} << 1.0 << u"no target"_s;
        QTest::addRow("unknown target") << QStringList { u"nope"_s } << 1.0 << u"unknown target 'nope'"_s;
        QTest::addRow("zero duration") << QStringList { u"ok"_s } << 0.0 << u"measured window"_s;
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
