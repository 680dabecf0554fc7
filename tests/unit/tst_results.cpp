// RunResult: the JSON export round-trips, rejects what is not a run, and the CSV
// has one quoted row per cell.

#include "bench/results.h"
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
