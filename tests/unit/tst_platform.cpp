// core/platform parsers and the fairness rule: CPU lists, /proc/<pid>/stat and
// smaps_rollup, CPU assignment; and the load generator's JSON lines.

#include "bench/cpuassignment.h"
#include "bench/loadrun.h"
#include "platform/processcontrol.h"
#include "platform/procfs.h"

#include <QTest>

#include <unistd.h>

using namespace Qt::StringLiterals;

class TestPlatform : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cpuLists_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QList<int>>("cpus");
        QTest::addColumn<QString>("formatted");
        QTest::addRow("one") << u"1"_s << true << QList<int> { 1 } << u"1"_s;
        QTest::addRow("range") << u"0-3"_s << true << QList<int> { 0, 1, 2, 3 } << u"0-3"_s;
        QTest::addRow("mixed") << u"5,0-2,7"_s << true << QList<int> { 0, 1, 2, 5, 7 } << u"0-2,5,7"_s;
        QTest::addRow("empty") << u""_s << false << QList<int> {} << QString();
        QTest::addRow("reversed") << u"3-1"_s << false << QList<int> {} << QString();
        QTest::addRow("word") << u"a"_s << false << QList<int> {} << QString();
        QTest::addRow("negative") << u"-1"_s << false << QList<int> {} << QString();
    }

    void cpuLists()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QList<int>, cpus);
        QFETCH(QString, formatted);
        const auto parsed = sa::platform::parseCpuList(text);
        QCOMPARE(parsed.has_value(), valid);
        if (valid) {
            QCOMPARE(*parsed, cpus);
            QCOMPARE(sa::platform::formatCpuList(*parsed), formatted);
        }
    }

    void assignment_data()
    {
        QTest::addColumn<QList<int>>("allowed");
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("load");
        QTest::addColumn<int>("workers");
        QTest::addColumn<bool>("shared");
        QTest::addRow("1 core") << QList<int> { 0 } << u"0"_s << u"0"_s << 1 << true;
        QTest::addRow("2 cores") << QList<int> { 0, 1 } << u"0"_s << u"1"_s << 1 << false;
        QTest::addRow("4 cores") << QList<int> { 0, 1, 2, 3 } << u"0-2"_s << u"3"_s << 3 << false;
        QTest::addRow("8 cores") << QList<int> { 0, 1, 2, 3, 4, 5, 6, 7 } << u"0-5"_s << u"6-7"_s << 6
                                 << false;
        QTest::addRow("sparse") << QList<int> { 2, 5 } << u"2"_s << u"5"_s << 1 << false;
    }

    void assignment()
    {
        QFETCH(QList<int>, allowed);
        QFETCH(QString, server);
        QFETCH(QString, load);
        QFETCH(int, workers);
        QFETCH(bool, shared);
        QString error;
        const auto a = sa::bench::assignCpus(sa::bench::BenchmarkPlan {}, allowed, &error);
        QVERIFY2(a, qPrintable(error));
        QCOMPARE(sa::platform::formatCpuList(a->serverCpus), server);
        QCOMPARE(sa::platform::formatCpuList(a->loadCpus), load);
        QCOMPARE(a->workers, workers);
        QCOMPARE(a->loadThreads, int(a->loadCpus.size()));
        QCOMPARE(a->shared, shared);
    }

    void assignmentExplicit()
    {
        sa::bench::BenchmarkPlan plan;
        plan.serverCpus = u"1"_s;
        plan.workers = 4;
        QString error;
        const auto a = sa::bench::assignCpus(plan, { 0, 1, 2, 3 }, &error);
        QVERIFY2(a, qPrintable(error));
        QCOMPARE(sa::platform::formatCpuList(a->serverCpus), u"1"_s);
        QCOMPARE(sa::platform::formatCpuList(a->loadCpus), u"3"_s);
        QCOMPARE(a->workers, 4);
        plan.loadCpus = u"9"_s;
        QVERIFY(!sa::bench::assignCpus(plan, { 0, 1, 2, 3 }, &error));
        QVERIFY2(error.contains(u"CPU 9 is not available"_s), qPrintable(error));
        plan.loadCpus = u"x"_s;
        QVERIFY(!sa::bench::assignCpus(plan, { 0, 1, 2, 3 }, &error));
        QVERIFY2(error.contains(u"not a CPU list"_s), qPrintable(error));
    }

    void databasePlacement_data()
    {
        QTest::addColumn<QList<int>>("allowed");
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("load");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("placement");
        QTest::addRow("1 core") << QList<int> { 0 } << u"0"_s << u"0"_s << u"0"_s << u"shared-with-load"_s;
        // The server keeps the core it has without a database.
        QTest::addRow("2 cores") << QList<int> { 0, 1 } << u"0"_s << u"1"_s << u"1"_s
                                 << u"shared-with-load"_s;
        QTest::addRow("3 cores") << QList<int> { 0, 1, 2 } << u"0-1"_s << u"2"_s << u"2"_s
                                 << u"shared-with-load"_s;
        QTest::addRow("4 cores") << QList<int> { 0, 1, 2, 3 } << u"0-1"_s << u"3"_s << u"2"_s << u"own"_s;
        QTest::addRow("8 cores") << QList<int> { 0, 1, 2, 3, 4, 5, 6, 7 } << u"0-3"_s << u"6-7"_s << u"4-5"_s
                                 << u"own"_s;
    }

    void databasePlacement()
    {
        QFETCH(QList<int>, allowed);
        QFETCH(QString, server);
        QFETCH(QString, load);
        QFETCH(QString, database);
        QFETCH(QString, placement);
        sa::bench::BenchmarkPlan plan;
        plan.scenarios = { sa::bench::Scenario::Json, sa::bench::Scenario::Db };
        QString error;
        const auto a = sa::bench::assignCpus(plan, allowed, &error);
        QVERIFY2(a, qPrintable(error));
        QCOMPARE(sa::platform::formatCpuList(a->serverCpus), server);
        QCOMPARE(sa::platform::formatCpuList(a->loadCpus), load);
        QCOMPARE(sa::platform::formatCpuList(a->databaseCpus), database);
        QCOMPARE(sa::bench::databasePlacementId(a->databasePlacement), placement);
        QVERIFY2(a->databasePlacementText().contains(u"CPU"_s), qPrintable(a->databasePlacementText()));
        if (placement == u"shared-with-load"_s)
            QVERIFY(a->databasePlacementText().contains(u"shared with the load generator"_s));
        // Without a database scenario nothing is placed and the server keeps every spare core.
        plan.scenarios = { sa::bench::Scenario::Json };
        const auto b = sa::bench::assignCpus(plan, allowed, &error);
        QVERIFY(b->databaseCpus.isEmpty());
        QCOMPARE(b->databasePlacement, sa::bench::DatabasePlacement::None);
        // As asked, when given.
        plan.scenarios = { sa::bench::Scenario::Fortunes };
        plan.databaseCpus = QString::number(allowed.constFirst());
        const auto c = sa::bench::assignCpus(plan, allowed, &error);
        QCOMPARE(c->databasePlacement, sa::bench::DatabasePlacement::AsAsked);
        QCOMPARE(sa::platform::formatCpuList(c->databaseCpus), plan.databaseCpus);
        plan.databaseCpus = u"99"_s;
        QVERIFY(!sa::bench::assignCpus(plan, allowed, &error));
        QVERIFY2(error.contains(u"database CPU set '99'"_s), qPrintable(error));
    }

    void workerRule_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<int>("planWorkers");
        QTest::addColumn<bool>("recommended");
        QTest::addColumn<bool>("entryHasRule");
        QTest::addColumn<int>("workers");
        QTest::addColumn<QString>("rule");
        // gunicorn's 2 × cores + 1 on 3 server cores.
        QTest::addRow("json: cores") << u"json"_s << 0 << true << true << 3 << u"cores"_s;
        QTest::addRow("cpu: cores") << u"cpu"_s << 0 << true << true << 3 << u"cores"_s;
        QTest::addRow("db: recommended") << u"db"_s << 0 << true << true << 7 << u"io-recommended"_s;
        QTest::addRow("queries: recommended")
            << u"queries"_s << 0 << true << true << 7 << u"io-recommended"_s;
        QTest::addRow("fortunes: recommended")
            << u"fortunes"_s << 0 << true << true << 7 << u"io-recommended"_s;
        QTest::addRow("io: recommended") << u"io"_s << 0 << true << true << 7 << u"io-recommended"_s;
        QTest::addRow("db, rule off: cores") << u"db"_s << 0 << false << true << 3 << u"cores"_s;
        QTest::addRow("db, no rule in the catalog") << u"db"_s << 0 << true << false << 3 << u"cores"_s;
        QTest::addRow("db, --workers wins") << u"db"_s << 2 << true << true << 2 << u"override"_s;
        QTest::addRow("json, --workers wins") << u"json"_s << 5 << true << true << 5 << u"override"_s;
    }

    void workerRule()
    {
        QFETCH(QString, scenario);
        QFETCH(int, planWorkers);
        QFETCH(bool, recommended);
        QFETCH(bool, entryHasRule);
        QFETCH(int, workers);
        QFETCH(QString, rule);
        sa::bench::ServerEntry entry;
        entry.id = u"sync-server"_s;
        if (entryHasRule)
            entry.ioWorkers
                = sa::bench::IoWorkers { 2, 1, u"its docs: (2 x $num_cores) + 1"_s, u"https://x"_s };
        sa::bench::BenchmarkPlan plan;
        plan.workers = planWorkers;
        plan.ioWorkersRecommended = recommended;
        const auto choice = sa::bench::workersFor(entry, *sa::bench::scenarioFromId(scenario), plan, 3);
        QCOMPARE(choice.workers, workers);
        QCOMPARE(sa::bench::workerRuleId(choice.rule), rule);
        QVERIFY(!choice.source.isEmpty());
        if (rule == u"io-recommended"_s)
            QVERIFY2(choice.source.contains(u"2 × 3 cores + 1"_s) && choice.source.contains(u"its docs"_s),
                qPrintable(choice.source));
    }

    void parseStat()
    {
        // A command name with spaces and parentheses must not shift the fields.
        const QByteArray line = "4242 (weird (name) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 "
                                "150 25 0 0 20 0 3 0 987654 1000000 200 18446744073709551615\n";
        const auto stat = sa::platform::parseStat(line);
        QVERIFY(stat);
        QCOMPARE(stat->pid, 4242);
        QCOMPARE(stat->state, 'S');
        QCOMPARE(stat->ppid, 1);
        QCOMPARE(stat->pgid, 4242);
        QCOMPARE(stat->utimeTicks, 150u);
        QCOMPARE(stat->stimeTicks, 25u);
        QCOMPARE(stat->startTimeTicks, 987654u);
        QVERIFY(!sa::platform::parseStat("garbage"));
    }

    void parseSmapsRollup()
    {
        const QByteArray content = "55d0c0000000-7ffd7f7e4000 ---p 00000000 00:00 0  [rollup]\n"
                                   "Rss:               10240 kB\n"
                                   "Pss:                5120 kB\n"
                                   "Pss_Anon:           4000 kB\n";
        const auto rollup = sa::platform::parseSmapsRollup(content);
        QVERIFY(rollup);
        QCOMPARE(rollup->rssBytes, 10240 * 1024);
        QCOMPARE(rollup->pssBytes, 5120 * 1024);
        QVERIFY(!sa::platform::parseSmapsRollup("nothing here"));
    }

    void ownProcess()
    {
        const auto stat = sa::platform::readStat(int(getpid()));
        QVERIFY(stat);
        QCOMPARE(stat->ppid, int(getppid()));
        const auto memory = sa::platform::readSmapsRollup(int(getpid()));
        QVERIFY(memory);
        QVERIFY(memory->rssBytes > 0);
        QVERIFY(memory->pssBytes <= memory->rssBytes);
        QCOMPARE(sa::platform::processTree(int(getpid())).constFirst(), int(getpid()));
        QVERIFY(sa::platform::processTree(0).isEmpty());
        QVERIFY(!sa::platform::allowedCpus().isEmpty());
        QVERIFY(sa::platform::ownerMarker().startsWith(QString::number(getpid()) + u':'));
        QVERIFY(!sa::platform::cpuModel().isEmpty() || QFile::exists(u"/proc/cpuinfo"_s));
        QVERIFY(sa::platform::totalMemoryBytes() > 0);
    }

    void loadLines_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<int>("type");
        QTest::addRow("start") << QByteArray(
            "{\"type\":\"start\",\"version\":\"0.1.0\",\"url\":\"http://127.0.0.1:1/json\"}")
                               << true << int(sa::bench::LoadLine::Type::Start);
        QTest::addRow("interval") << QByteArray(
            "{\"type\":\"interval\",\"phase\":\"measure\",\"t_s\":2.0,\"interval_s\":1.0,\"requests\":900,"
            "\"rps\":900.5,"
            "\"errors\":{\"connect\":1,\"read\":2,\"timeout\":3,\"status\":4,\"parse\":5},"
            "\"latency_us\":{\"p50\":100,\"p90\":200,\"p99\":300,\"max\":400}}")
                                  << true << int(sa::bench::LoadLine::Type::Interval);
        QTest::addRow("summary") << QByteArray(
            "{\"type\":\"summary\",\"duration_s\":1.0,\"requests\":1000,\"rps\":1000.0,\"bytes_read\":5,"
            "\"errors\":{\"connect\":0,\"read\":0,\"timeout\":0,\"status\":7,\"parse\":0},"
            "\"status\":{\"1xx\":0,\"2xx\":993,\"3xx\":0,\"4xx\":0,\"5xx\":7},\"reconnects\":0,"
            "\"latency_us\":{\"min\":1,\"mean\":2,\"stdev\":1,\"p50\":2,\"p75\":3,\"p90\":4,\"p99\":5,\"p99_"
            "9\":6,\"p99_99\":7,\"max\":8},"
            "\"uncorrected_latency_us\":null,\"histogram\":{\"unit\":\"us\",\"significant_digits\":3,"
            "\"buckets\":[]},"
            "\"saturation\":{\"saturated\":true,\"reason\":\"cpu\",\"generator_cpu_pct\":99.0,\"schedule_lag_"
            "ms\":0},"
            "\"generator_cpu_s\":{\"user\":0.5,\"system\":0.1}}")
                                 << true << int(sa::bench::LoadLine::Type::Summary);
        QTest::addRow("not json") << QByteArray("hello") << false << 0;
        QTest::addRow("unknown type") << QByteArray("{\"type\":\"bye\"}") << false << 0;
        QTest::addRow("summary lacking fields") << QByteArray("{\"type\":\"summary\"}") << false << 0;
    }

    void loadLines()
    {
        QFETCH(QByteArray, line);
        QFETCH(bool, valid);
        QFETCH(int, type);
        QString error;
        const auto parsed = sa::bench::LoadRun::parseLine(line, &error);
        QCOMPARE(parsed.has_value(), valid);
        if (!valid) {
            QVERIFY(!error.isEmpty());
            return;
        }
        QCOMPARE(int(parsed->type), type);
        if (parsed->type == sa::bench::LoadLine::Type::Interval) {
            QCOMPARE(parsed->interval.warmup, false);
            QCOMPARE(parsed->interval.requests, 900);
            QCOMPARE(parsed->interval.errors.total(), 15);
            QCOMPARE(parsed->interval.p99Us, 300.0);
        } else if (parsed->type == sa::bench::LoadLine::Type::Summary) {
            QCOMPARE(parsed->summary.requests, 1000);
            QCOMPARE(parsed->summary.status5xx, 7);
            QCOMPARE(parsed->summary.latency.p999Us, 6.0);
            QVERIFY(parsed->summary.saturated);
            QVERIFY(!parsed->summary.uncorrectedLatency);
        } else {
            QCOMPARE(parsed->version, u"0.1.0"_s);
        }
    }
};

QTEST_GUILESS_MAIN(TestPlatform)
#include "tst_platform.moc"
