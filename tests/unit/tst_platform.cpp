// core/platform parsers and the fairness rule: CPU lists, /proc/<pid>/stat and
// smaps_rollup, CPU assignment, the cgroup layouts, /proc/net/tcp, text made safe
// for a terminal, the atomic write; and the load generator's JSON lines.

#include "bench/cpuassignment.h"
#include "bench/loadrun.h"
#include "platform/atomicfile.h"
#include "platform/cgroup.h"
#include "platform/printable.h"
#include "platform/processcontrol.h"
#include "platform/procfs.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
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
        // On one core the generator shares its CPU with the server: it must not poll.
        QCOMPARE(a->loadCpusShared(sa::bench::Scenario::Json), shared);
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
        // Where PostgreSQL shares the generator's CPUs, the generator sleeps when idle in the
        // database scenarios; in the others the database is idle.
        QCOMPARE(a->loadCpusShared(sa::bench::Scenario::Db), placement == u"shared-with-load"_s);
        QCOMPARE(a->loadCpusShared(sa::bench::Scenario::Fortunes), placement == u"shared-with-load"_s);
        QCOMPARE(a->loadCpusShared(sa::bench::Scenario::Json), a->shared);
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
        QCOMPARE(
            c->loadCpusShared(sa::bench::Scenario::Fortunes), c->loadCpus.contains(allowed.constFirst()));
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

    void cgroupLayouts_data()
    {
        QTest::addColumn<QByteArray>("mountinfo");
        QTest::addColumn<QByteArray>("cgroup");
        QTest::addColumn<QString>("v2Own");
        QTest::addColumn<QString>("v1MemoryOwn");
        // This development machine: v2 at /sys/fs/cgroup/unified, memory in v1.
        QTest::addRow("hybrid") << QByteArray(
            "30 25 0:26 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755\n"
            "31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw\n"
            "35 30 0:31 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory\n"
            "36 30 0:32 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct\n")
                                << QByteArray("4:memory:/process_api/abc\n2:cpu,cpuacct:/\n0::/\n")
                                << u"/sys/fs/cgroup/unified"_s << u"/sys/fs/cgroup/memory/process_api/abc"_s;
        // Current distributions: one v2 hierarchy, a systemd user scope.
        QTest::addRow("pure v2") << QByteArray("28 23 0:25 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n")
                                 << QByteArray("0::/user.slice/user-1000.slice/session-2.scope\n")
                                 << u"/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope"_s
                                 << QString();
        // A container whose cgroup mount starts below the hierarchy's root.
        QTest::addRow("container") << QByteArray(
            "40 30 0:27 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n")
                                   << QByteArray("0::/docker/abc/app\n") << u"/sys/fs/cgroup/app"_s
                                   << QString();
        QTest::addRow("no cgroup2") << QByteArray(
            "35 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n")
                                    << QByteArray("4:memory:/\n") << QString() << u"/sys/fs/cgroup/memory"_s;
    }

    void cgroupLayouts()
    {
        QFETCH(QByteArray, mountinfo);
        QFETCH(QByteArray, cgroup);
        QFETCH(QString, v2Own);
        QFETCH(QString, v1MemoryOwn);
        const sa::platform::CgroupLayout layout = sa::platform::parseCgroupLayout(mountinfo, cgroup);
        QCOMPARE(layout.v2Own, v2Own);
        QCOMPARE(layout.v1MemoryOwn, v1MemoryOwn);
    }

    void listeningSocketTables()
    {
        const QByteArray v4
            = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
              "timeout inode\n"
              "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0 0 "
              "1111 1 0000000000000000 100 0 0 10 0\n"
              "   1: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0 0 "
              "2222 1 0000000000000000 100 0 0 10 0\n"
              "   2: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  0 0 "
              "3333 1 0000000000000000 20 4 30 10 -1\n";
        const auto sockets = sa::platform::parseListeningSockets(v4, false);
        QCOMPARE(sockets.size(), 2); // the established connection is not listening
        QCOMPARE(sockets.at(0).address, u"127.0.0.1"_s);
        QCOMPARE(sockets.at(0).port, 8080);
        QVERIFY(!sockets.at(0).wildcard);
        QCOMPARE(sockets.at(1).address, u"0.0.0.0"_s);
        QCOMPARE(sockets.at(1).port, 80);
        QCOMPARE(sockets.at(1).inode, 2222u);
        QVERIFY(sockets.at(1).wildcard);
        const QByteArray v6
            = "  sl  local_address                         remote_address                        st\n"
              "   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A "
              "00000000:00000000 00:00000000 00000000     0        0 4444 1\n"
              "   1: 00000000000000000000000001000000:1F91 00000000000000000000000000000000:0000 0A "
              "00000000:00000000 00:00000000 00000000     0        0 5555 1\n";
        const auto six = sa::platform::parseListeningSockets(v6, true);
        QCOMPARE(six.size(), 2);
        QCOMPARE(six.at(0).address, u"::"_s);
        QVERIFY(six.at(0).wildcard);
        QCOMPARE(six.at(1).address, u"0:0:0:0:0:0:0:1"_s);
        QVERIFY(!six.at(1).wildcard);
    }

    void listeningSocketsOfThisProcess()
    {
        // Real sockets held by this process, found through its fds.
        QTcpServer any, loopback;
        QVERIFY(any.listen(QHostAddress::AnyIPv4, 0));
        QVERIFY(loopback.listen(QHostAddress::LocalHost, 0));
        bool sawAny = false, sawLoopback = false;
        for (const sa::platform::HeldSocket &held : sa::platform::listeningSocketsOf({ int(getpid()) })) {
            QCOMPARE(held.pids, QList<int> { int(getpid()) });
            if (held.socket.port == any.serverPort()) {
                sawAny = true;
                QVERIFY(held.socket.wildcard);
            }
            if (held.socket.port == loopback.serverPort()) {
                sawLoopback = true;
                QVERIFY(!held.socket.wildcard);
                QCOMPARE(held.socket.address, u"127.0.0.1"_s);
            }
        }
        QVERIFY(sawAny && sawLoopback);
    }

    void printable_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("keepLines");
        QTest::addColumn<QString>("expected");
        QTest::addRow("plain") << u"Go · Gin"_s << false << u"Go · Gin"_s;
        QTest::addRow("escape sequence") << u"a\x1b[31mred\x07"_s << false << u"a\\x1b[31mred\\x07"_s;
        QTest::addRow("line break dropped") << u"a\nb"_s << false << u"a\\x0ab"_s;
        QTest::addRow("line break kept") << u"a\nb\tc"_s << true << u"a\nb\tc"_s;
        QTest::addRow("DEL and C1") << QString(u"x"_s + QChar(0x7f) + QChar(0x9b)) << false
                                    << u"x\\x7f\\x9b"_s;
    }

    void printable()
    {
        QFETCH(QString, text);
        QFETCH(bool, keepLines);
        QFETCH(QString, expected);
        QCOMPARE(sa::platform::printableText(text, keepLines), expected);
    }

    void atomicWrite()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"out.json"_s);
        QString error;
        QVERIFY2(sa::platform::writeFileAtomically(path, "first", &error), qPrintable(error));
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QVERIFY2(sa::platform::writeFileAtomically(path, "second", &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("second"));
        QCOMPARE(file.permissions() & QFileDevice::Permissions::fromInt(0x7077),
            QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        // Through a symbolic link: the target is replaced, the link stays a link.
        const QString link = dir.filePath(u"link.json"_s);
        QVERIFY(QFile::link(path, link));
        QVERIFY2(sa::platform::writeFileAtomically(link, "third", &error), qPrintable(error));
        QVERIFY(QFileInfo(link).isSymLink());
        file.close();
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("third"));
        // Where it cannot go: nothing is left behind, the reason is said.
        QVERIFY(!sa::platform::writeFileAtomically(dir.filePath(u"no/such/folder/x.csv"_s), "x", &error));
        QVERIFY2(error.contains(u"No such file or directory"_s) && error.contains(u"folder does not exist"_s),
            qPrintable(error));
        QVERIFY(!sa::platform::writeFileAtomically(dir.path(), "x", &error));
        QVERIFY2(error.contains(u"folder has that name"_s), qPrintable(error));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
            (QStringList { u"link.json"_s, u"out.json"_s }));
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

    void openLoopSummaryCarriesSendLag()
    {
        QString error;
        const auto parsed = sa::bench::LoadRun::parseLine(
            "{\"type\":\"summary\",\"requests\":10,\"latency_us\":{\"p50\":2},"
            "\"send_lag_us\":{\"p50\":1.5,\"p90\":3,\"p99\":40.25,\"p99_9\":90,\"max\":120,\"mean\":2}}",
            &error);
        QVERIFY2(parsed, qPrintable(error));
        QVERIFY(parsed->summary.sendLag);
        QCOMPARE(parsed->summary.sendLag->p50Us, 1.5);
        QCOMPARE(parsed->summary.sendLag->p99Us, 40.25);
        QCOMPARE(parsed->summary.sendLag->maxUs, 120.0);
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
            QVERIFY(!parsed->summary.sendLag);
        } else {
            QCOMPARE(parsed->version, u"0.1.0"_s);
        }
    }
};

QTEST_GUILESS_MAIN(TestPlatform)
#include "tst_platform.moc"
