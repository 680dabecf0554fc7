// RunResult: the JSON export round-trips (rounds and latency histograms too),
// rejects what is not a run, and the CSV has one quoted row per cell. A cell's
// figures from its rounds: medians, totals, status; the rounds' alternating order.

#include "bench/latencyhistogram.h"
#include "bench/results.h"
#include "bench/rounds.h"
#include "bench/runanalysis.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace sa::bench;

namespace {

RunResult sampleRun()
{
    RunResult run;
    run.id = 7;
    run.startedAt = QDateTime(QDate(2026, 11, 27), QTime(1, 2, 3, 456), Qt::UTC);
    run.finishedAt = run.startedAt.addSecs(40);
    run.status = RunStatus::Cancelled;
    run.plan.targetIds = { u"go-gin"_s, u"python-fastapi"_s };
    run.plan.scenarios = { Scenario::Json, Scenario::Io };
    run.plan.connectionLevels = { 100, 1000 };
    run.plan.warmupSeconds = 1.5;
    run.plan.durationSeconds = 2.5;
    run.plan.intervalSeconds = 0.5;
    run.plan.serverCpus = u"0"_s;
    run.plan.loadCpus = u"1"_s;
    run.plan.workers = 1;
    run.plan.loadThreads = 1;
    run.machine.cpuModel = u"Test CPU"_s;
    run.machine.logicalCores = 2;
    run.machine.memoryBytes = 24LL << 30;
    run.machine.os = u"Debian GNU/Linux 12"_s;
    run.machine.kernel = u"Linux 6.1"_s;
    run.machine.versions = { { u"go"_s, u"go1.26"_s }, { u"python"_s, u"CPython 3.11"_s } };

    TargetResult gin;
    gin.targetId = u"go-gin"_s;
    gin.displayName = u"Go · Gin"_s;
    gin.language = u"Go"_s;
    gin.framework = u"Gin"_s;
    gin.frameworkVersion = u"v1.12.0"_s;
    gin.status = TargetStatus::Completed;
    gin.connections = 1000;
    gin.durationSeconds = 2.5;
    gin.requests = 100000;
    gin.requestsPerSecond = 40000;
    gin.bytesRead = 123456789;
    gin.latency = { 10, 20, 5, 18, 22, 30, 80, 120, 150, 300 };
    gin.errors.timeout = 3;
    gin.memory = { 1000, 900, 2000, 1800, 3000, 2700 };
    gin.cpuPercentMean = 97.5;
    gin.cpuPercentPeak = 101;
    gin.deployableBytes = 14229666;
    gin.deployableWhat = u"static binary"_s;
    gin.workers = 1;
    gin.serverCpus = u"0"_s;
    gin.loadCpus = u"1"_s;
    gin.loadThreads = 1;
    gin.loadIdle = u"poll-if-alone"_s;
    gin.loadPollingSeconds = 0.25;
    gin.generatorSaturated = true;
    gin.saturationReason = u"generator CPU 99%"_s;
    IntervalSample sample;
    sample.tSeconds = 1;
    sample.warmup = true;
    sample.requests = 40000;
    sample.requestsPerSecond = 40000;
    sample.p99Us = 90;
    sample.rssBytes = 3000;
    sample.pssBytes = 2700;
    sample.cpuPercent = 99;
    gin.timeline = { sample };
    gin.logPath = u"/tmp/gin.log"_s;

    TargetResult fastapi = gin;
    fastapi.targetId = u"python-fastapi"_s;
    fastapi.displayName = u"Python, \"FastAPI\""_s; // a comma and quotes: CSV must quote
    fastapi.scenario = Scenario::Io;
    fastapi.status = TargetStatus::Failed;
    fastapi.failureReason = u"exited with code 3\nlast line"_s;
    fastapi.uncorrectedLatency = LatencySummary { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    fastapi.sendLag = SendLagSummary { 12.5, 80, 310 };
    fastapi.timeline.clear();
    run.targets = { gin, fastapi };
    return run;
}

} // namespace

class TestResults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scenarioIds()
    {
        for (Scenario scenario : { Scenario::Json, Scenario::Plaintext, Scenario::Io, Scenario::Cpu }) {
            QCOMPARE(scenarioFromId(scenarioId(scenario)), scenario);
            QVERIFY(!scenarioTitle(scenario).isEmpty());
        }
        QVERIFY(!scenarioFromId(u"xml"_s));
    }

    void jsonRoundTrip()
    {
        const RunResult run = sampleRun();
        // Through text, as an export and a re-import would go.
        const QByteArray text = QJsonDocument(run.toJson()).toJson();
        QString error;
        const auto back = RunResult::fromJson(QJsonDocument::fromJson(text).object(), &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->toJson(), run.toJson());
        QCOMPARE(back->id, 7);
        QCOMPARE(back->status, RunStatus::Cancelled);
        QCOMPARE(back->startedAt, run.startedAt);
        QCOMPARE(back->plan.scenarios, run.plan.scenarios);
        QCOMPARE(back->plan.intervalSeconds, 0.5);
        QCOMPARE(back->machine.versions, run.machine.versions);
        QCOMPARE(back->targets.size(), 2);
        QCOMPARE(back->targets.at(0).latency.p99Us, 80.0);
        QCOMPARE(back->targets.at(0).memory.peakPssBytes, 2700);
        QCOMPARE(back->targets.at(0).loadIdle, u"poll-if-alone"_s);
        QCOMPARE(back->targets.at(0).loadPollingSeconds, 0.25);
        QCOMPARE(back->targets.at(0).timeline.size(), 1);
        QCOMPARE(back->targets.at(0).timeline.at(0).warmup, true);
        QVERIFY(!back->targets.at(0).uncorrectedLatency);
        QVERIFY(back->targets.at(1).uncorrectedLatency);
        QVERIFY(!back->targets.at(0).sendLag);
        QVERIFY(back->targets.at(1).sendLag);
        QCOMPARE(back->targets.at(1).sendLag->p50Us, 12.5);
        QCOMPARE(back->targets.at(1).sendLag->maxUs, 310.0);
        QCOMPARE(back->targets.at(1).status, TargetStatus::Failed);
        QCOMPARE(back->targets.at(1).failureReason, run.targets.at(1).failureReason);
        QCOMPARE(run.toJson().value(u"schema"_s).toString(), u"stackadvisor-run"_s);
        QVERIFY(back->engine.isOwn());
    }

    // A run read back from Locust keeps its engine; a run saved before the engine
    // was recorded reads as stackadvisor-load's.
    void engineRoundTrip()
    {
        RunResult run = sampleRun();
        run.engine.name = u"locust"_s;
        run.engine.version = u"2.47.0"_s;
        run.engine.workers = 2;
        run.engine.importedFrom = u"/tmp/plan"_s;
        QString error;
        const auto back = RunResult::fromJson(run.toJson(), &error);
        QVERIFY2(back, qPrintable(error));
        QVERIFY(!back->engine.isOwn());
        QCOMPARE(back->engine.version, u"2.47.0"_s);
        QCOMPARE(back->engine.workers, 2);
        QCOMPARE(back->engine.importedFrom, u"/tmp/plan"_s);
        QJsonObject old = run.toJson();
        old.remove(u"engine"_s);
        const auto before = RunResult::fromJson(old, &error);
        QVERIFY2(before, qPrintable(error));
        QVERIFY(before->engine.isOwn());
        QCOMPARE(before->engine.name, u"stackadvisor-load"_s);
    }

    // Every round of a cell is kept with its own figures, place in the run and
    // latency histogram; a run from before rounds reads as one round per cell.
    void roundsRoundTrip()
    {
        RunResult run = sampleRun();
        run.plan.rounds = 3;
        TargetResult &gin = run.targets[0];
        for (int r = 1; r <= 3; ++r) {
            TargetResult round = gin;
            round.round = r;
            round.runPosition = r == 2 ? 3 : r == 1 ? 0 : 4;
            round.requestsPerSecond = 39000 + 1000 * r;
            round.latencyHistogram = regroupLatencies({ { 950.0, 10 }, { 1020.0, 5 }, { 30000.0, 1 } });
            gin.rounds.push_back(round);
        }
        combineRounds(gin, 3);
        const QByteArray text = QJsonDocument(run.toJson()).toJson();
        QString error;
        const auto back = RunResult::fromJson(QJsonDocument::fromJson(text).object(), &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->toJson(), run.toJson());
        QCOMPARE(back->plan.rounds, 3);
        QCOMPARE(back->targets.at(0).rounds.size(), size_t(3));
        QCOMPARE(back->targets.at(0).rounds.at(1).runPosition, 3);
        QCOMPARE(back->targets.at(0).rounds.at(2).requestsPerSecond, 42000.0);
        QCOMPARE(back->targets.at(0).latencyHistogram, gin.latencyHistogram);
        QVERIFY(back->targets.at(1).rounds.empty());

        QJsonObject old = run.toJson();
        QJsonObject plan = old.value(u"plan"_s).toObject();
        plan.remove(u"rounds"_s);
        old.insert(u"plan"_s, plan);
        QCOMPARE(RunResult::fromJson(old, &error)->plan.rounds, 1);
    }

    void roundOrderAlternates()
    {
        QCOMPARE(roundOrder(3, 1), (QList<int> { 0, 1, 2 }));
        QCOMPARE(roundOrder(3, 2), (QList<int> { 2, 1, 0 }));
        QCOMPARE(roundOrder(3, 3), (QList<int> { 0, 1, 2 }));
        QCOMPARE(roundOrder(1, 2), (QList<int> { 0 }));
    }

    // Medians per figure, totals of counts, the median round's timeline, and the
    // first failure as the cell's (naming its round).
    void combineRoundsFigures()
    {
        TargetResult cell;
        cell.targetId = u"go-gin"_s;
        const double rps[] = { 30000, 50000, 40000 };
        const double p99[] = { 900, 700, 800 };
        for (int r = 0; r < 3; ++r) {
            TargetResult round;
            round.targetId = cell.targetId;
            round.round = r + 1;
            round.status = TargetStatus::Completed;
            round.durationSeconds = 5;
            round.requestsPerSecond = rps[r];
            round.requests = qint64(rps[r] * 5);
            round.latency.p99Us = p99[r];
            round.errors.timeout = r;
            round.memory.peakPssBytes = (10 + r) << 20;
            round.cpuPercentMean = 90 + r;
            round.logPath = u"/log/r%1"_s.arg(r + 1);
            round.latencyHistogram = regroupLatencies({ { 1000.0, 100 } });
            round.generatorSaturated = r == 2;
            round.saturationReason = u"CPU 95 %"_s;
            round.loadIdle = u"sleep"_s;
            round.loadPollingSeconds = 0.5 * r;
            cell.rounds.push_back(round);
        }
        combineRounds(cell, 3);
        QCOMPARE(cell.status, TargetStatus::Completed);
        QCOMPARE(cell.requestsPerSecond, 40000.0);
        QCOMPARE(cell.latency.p99Us, 800.0);
        QCOMPARE(cell.memory.peakPssBytes, qint64(11 << 20));
        QCOMPARE(cell.cpuPercentMean, 91.0);
        QCOMPARE(cell.requests, qint64(600000));
        QCOMPARE(cell.durationSeconds, 15.0);
        QCOMPARE(cell.errors.timeout, qint64(3));
        QCOMPARE(cell.loadIdle, u"sleep"_s);
        QCOMPARE(cell.loadPollingSeconds, 1.5); // summed, as the requests are
        QCOMPARE(cell.logPath, u"/log/r3"_s); // 40,000 req/s: round 3 is the median
        QVERIFY(cell.generatorSaturated);
        QCOMPARE(cell.saturationReason, u"round 3 of 3: CPU 95 %"_s);
        QCOMPARE(cell.latencyHistogram.size(), 1);
        QCOMPARE(cell.latencyHistogram.first().count, qint64(300));

        const FigureSpread spread = cellSpread(cell, RoundFigure::RequestsPerSecond);
        QCOMPARE(spread.rounds, 3);
        QCOMPARE(spread.median, 40000.0);
        QCOMPARE(spread.min, 30000.0);
        QCOMPARE(spread.max, 50000.0);
        QVERIFY(qAbs(spread.cv - 10000.0 / 40000.0) < 1e-12); // sample stdev 10,000 over mean 40,000

        // A failed round fails the cell; the figures stay those of the others.
        cell.rounds[1].status = TargetStatus::Failed;
        cell.rounds[1].failureReason = u"exited with code 3"_s;
        combineRounds(cell, 3);
        QCOMPARE(cell.status, TargetStatus::Failed);
        QCOMPARE(cell.failureReason, u"round 2 of 3: exited with code 3"_s);
        QCOMPARE(cell.requestsPerSecond, 35000.0);
        QCOMPARE(cellSpread(cell, RoundFigure::RequestsPerSecond).rounds, 2);
    }

    // PostgreSQL's figures are the rounds' medians too, not the first round's;
    // the driver comes from the first round whose /info answered.
    void combineRoundsDatabaseFigures()
    {
        TargetResult cell;
        cell.targetId = u"go-gin"_s;
        cell.scenario = Scenario::Db;
        const double cpu[] = { 70, 30, 50 };
        for (int r = 0; r < 3; ++r) {
            TargetResult round;
            round.targetId = cell.targetId;
            round.scenario = cell.scenario;
            round.round = r + 1;
            round.status = TargetStatus::Completed;
            round.durationSeconds = 5;
            round.requestsPerSecond = 1000 + r;
            round.requests = 5000;
            DatabaseCellStats d;
            d.cpuPercentMean = cpu[r];
            d.cpuPercentPeak = cpu[r] + 20;
            d.idlePssBytes = qint64(20 + r) << 20;
            d.meanPssBytes = qint64(40 - r) << 20;
            d.peakPssBytes = qint64(60 + 3 * r) << 20;
            if (r == 0) {
                d.clientError = u"its /info did not answer before the cell ended"_s;
            } else {
                DatabaseClientInfo client;
                client.driver = u"pgx r%1"_s.arg(r + 1);
                d.client = client;
            }
            round.database = d;
            cell.rounds.push_back(round);
        }
        combineRounds(cell, 3);
        QVERIFY(cell.database);
        QCOMPARE(cell.database->cpuPercentMean, 50.0);
        QCOMPARE(cell.database->cpuPercentPeak, 70.0);
        QCOMPARE(cell.database->idlePssBytes, qint64(21) << 20);
        QCOMPARE(cell.database->meanPssBytes, qint64(39) << 20);
        QCOMPARE(cell.database->peakPssBytes, qint64(63) << 20);
        QVERIFY(cell.database->client);
        QCOMPARE(cell.database->client->driver, u"pgx r2"_s);
        QVERIFY(cell.database->clientError.isEmpty());

        // A failed round does not count: the medians of the two others.
        cell.rounds[2].status = TargetStatus::Failed;
        combineRounds(cell, 3);
        QCOMPARE(cell.database->cpuPercentMean, 50.0); // median of 70 and 30
    }

    void latencyHistogramBuckets()
    {
        const QList<LatencyBucket> buckets
            = regroupLatencies({ { 1000.0, 4 }, { 1001.0, 1 }, { 1200.0, 2 } });
        qint64 total = 0;
        for (const LatencyBucket &b : buckets) {
            total += b.count;
            QVERIFY(latencyBucketLowerUs(b) < b.upperUs);
        }
        QCOMPARE(total, qint64(7));
        QCOMPARE(buckets.first().upperUs, 1000.0); // 10^(60/20): 1,000 µs is its bucket's top
        QCOMPARE(buckets.first().count, qint64(4));
        const QList<LatencyBucket> merged = mergeLatencyHistograms({ buckets, buckets });
        QCOMPARE(merged.size(), buckets.size());
        QCOMPARE(merged.first().count, qint64(8));
    }

    void jsonRejects_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::addRow("not a run") << QByteArray("{\"hello\":1}") << u"field 'schema'"_s;
        QTest::addRow("newer") << QByteArray("{\"schema\":\"stackadvisor-run\",\"schemaVersion\":9}")
                               << u"schemaVersion"_s;
        QTest::addRow("status") << QByteArray(
            "{\"schema\":\"stackadvisor-run\",\"schemaVersion\":1,\"status\":\"odd\"}")
                                << u"field 'status'"_s;
        QTest::addRow("scenario") << QByteArray(
            "{\"schema\":\"stackadvisor-run\",\"schemaVersion\":1,\"status\":\"completed\","
            "\"plan\":{\"scenarios\":[\"xml\"]}}")
                                  << u"unknown scenario 'xml'"_s;
        QTest::addRow("target") << QByteArray(
            "{\"schema\":\"stackadvisor-run\",\"schemaVersion\":1,\"status\":\"completed\","
            "\"plan\":{},\"targets\":[{\"targetId\":\"a\",\"scenario\":\"json\",\"status\":\"meh\"}]}")
                                << u"targets[0]"_s;
    }

    void jsonRejects()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!RunResult::fromJson(QJsonDocument::fromJson(json).object(), &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void csv()
    {
        const QString csv = RunAnalysis::analyse(sampleRun(), nullptr).toCsv();
        QVERIFY(csv.endsWith(u"\r\n"_s));
        const QStringList lines = csv.split(u"\r\n"_s, Qt::SkipEmptyParts);
        // The failure reason holds a newline inside quotes: three records, four physical lines.
        QVERIFY(csv.contains(u"\"exited with code 3\nlast line\""_s));
        QVERIFY(csv.contains(u"\"Python, \"\"FastAPI\"\"\""_s));
        const QStringList header = lines.first().split(u',');
        QCOMPARE(header.first(), u"target_id"_s);
        QVERIFY(header.contains(u"requests_per_sec"_s));
        QVERIFY(header.contains(u"peak_pss_bytes"_s));
        const QStringList gin = lines.at(1).split(u',');
        QCOMPARE(gin.size(), header.size());
        QCOMPARE(gin.at(header.indexOf(u"requests_per_sec"_s)), u"40000.00"_s);
        QCOMPARE(gin.at(header.indexOf(u"status"_s)), u"completed"_s);
        QCOMPARE(gin.at(header.indexOf(u"generator_saturated"_s)), u"true"_s);
    }

    void errorRate()
    {
        TargetResult t;
        QCOMPARE(t.errorRate(), 0.0);
        t.requests = 99;
        t.errors.connect = 1;
        QCOMPARE(t.errorRate(), 0.01);
    }
};

QTEST_APPLESS_MAIN(TestResults)
#include "tst_results.moc"
