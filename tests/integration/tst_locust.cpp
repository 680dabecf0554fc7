// Beyond one machine, on this one: a sample server started by `stackadvisor
// servers serve`, a plan exported by `bench --export-locust`, run by a real
// Locust master and two workers on 127.0.0.1 with the commands of the exported
// README, read back by `bench --import-locust`, and compared with the same plan
// run by stackadvisor-load. Bad Locust output is refused with its file and line.
// A remote target (`bench --url`) on 127.0.0.2 with the sampler of servers serve.

#include "bench/postgrescluster.h"
#include "platform/processcontrol.h"

#include "../fixtures/psql.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>

using namespace Qt::StringLiterals;

namespace {

const QString kApp = QStringLiteral(STACKADVISOR_BIN_DIR "/stackadvisor");
const QString kLocust = QStringLiteral(STACKADVISOR_LOCUST);
const QString kTarget = u"go-nethttp"_s;
// A rate both generators sustain on 2 shared cores (the database's among them),
// users to spread it over, and a window long enough for a few of Locust's 3 s
// worker reports. No warm-up in the distributed run, so that the server's own
// count (PostgreSQL's, of the /db SELECT) covers what Locust counted.
constexpr double kRate = 300;
constexpr int kUsers
    = 50; // each paced to 6 req/s: a 166 ms budget per request, with PostgreSQL on a shared core
constexpr double kWarmupSeconds = 2;
constexpr double kWindowSeconds = 6;
constexpr int kReadyMs = 90000;

struct Result
{
    int exitCode = -1;
    QString out;
    QString err;
};

// Kills every process a process started, then the process itself.
void endAll(QProcess &process)
{
    const qint64 pid = process.processId();
    if (pid > 0) {
        for (int child : sa::platform::processesOwnedBy(int(pid)))
            ::kill(child, SIGKILL);
    }
    process.kill();
    process.waitForFinished(5000);
}

// Distinct free ports on 127.0.0.1 (held together while they are found, so that
// the kernel cannot hand out the same one twice; one past another may be taken).
QList<int> freePorts(int count)
{
    QList<QTcpServer *> probes;
    QList<int> ports;
    for (int i = 0; i < count; ++i) {
        auto *probe = new QTcpServer;
        if (probe->listen(QHostAddress::LocalHost, 0))
            ports << probe->serverPort();
        probes << probe;
    }
    qDeleteAll(probes);
    return ports;
}

int freePort()
{
    return freePorts(1).value(0);
}

QJsonObject readObject(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
}

// The command lines of the exported README that start with `venv/bin/locust`,
// split into words (the README quotes only "$TARGET").
QList<QStringList> readmeCommands(const QString &readme, const QString &marker)
{
    QList<QStringList> commands;
    for (const QString &line : readme.split(u'\n')) {
        const QString trimmed = line.trimmed();
        if (!trimmed.startsWith(u"venv/bin/locust "_s) || !trimmed.contains(marker))
            continue;
        QStringList words = trimmed.split(u' ', Qt::SkipEmptyParts);
        for (QString &word : words)
            word.remove(u'"');
        commands << words;
    }
    return commands;
}

} // namespace

class TestLocust : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_DATA_HOME"_s, m_dir.filePath(u"data"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"config"_s));
        return env;
    }

    Result run(const QStringList &arguments, int timeoutMs = 90000) const
    {
        QProcess process;
        auto guard = qScopeGuard([&process] { endAll(process); });
        process.setProcessEnvironment(environment());
        process.start(kApp, arguments);
        Result result;
        if (!process.waitForFinished(timeoutMs))
            return result;
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        result.out = QString::fromUtf8(process.readAllStandardOutput());
        result.err = QString::fromUtf8(process.readAllStandardError());
        return result;
    }

    QStringList planArguments(const QString &scenario = u"json"_s, double warmup = kWarmupSeconds) const
    {
        return { u"--scenario"_s, scenario, u"--connections"_s, QString::number(kUsers), u"--rate"_s,
            QString::number(kRate), u"--warmup"_s, QString::number(warmup) + u's', u"--duration"_s,
            QString::number(kWindowSeconds) + u's' };
    }
    QStringList exportArguments(
        const QString &dir, const QString &scenario = u"json"_s, double warmup = kWarmupSeconds) const
    {
        return QStringList { u"bench"_s, u"--export-locust"_s, dir, u"--targets"_s, kTarget }
        + planArguments(scenario, warmup);
    }

    QString exportDir() const { return m_dir.filePath(u"plan"_s); }
    QString dbExportDir() const { return m_dir.filePath(u"dbplan"_s); }

    // A private PostgreSQL for the /db scenario, seeded as the contract says.
    bool startCluster(sa::bench::PostgresCluster &cluster, QString *why) const
    {
        sa::bench::PostgresCluster::Settings settings;
        settings.dataFolder = m_dir.filePath(u"pg"_s);
        settings.readyTimeoutMs = kReadyMs;
        QSignalSpy ready(&cluster, &sa::bench::PostgresCluster::ready);
        QSignalSpy failed(&cluster, &sa::bench::PostgresCluster::failed);
        QEventLoop loop;
        connect(&cluster, &sa::bench::PostgresCluster::ready, &loop, &QEventLoop::quit);
        connect(&cluster, &sa::bench::PostgresCluster::failed, &loop, &QEventLoop::quit);
        QTimer::singleShot(kReadyMs + 5000, &loop, &QEventLoop::quit);
        cluster.start(settings);
        loop.exec();
        *why = failed.isEmpty() ? u"no ready() within the time"_s : failed.constFirst().at(1).toString();
        return !ready.isEmpty();
    }
    QString db() const { return m_dir.filePath(u"history.sqlite"_s); }

    int runCount() const
    {
        const Result list = run({ u"bench"_s, u"--history"_s, u"--db"_s, db() });
        return int(
            list.out.count(QRegularExpression(u"^\\s+\\d+\\s"_s, QRegularExpression::MultilineOption)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QFile::exists(kApp));
        QVERIFY2(QFile::exists(kLocust), qPrintable(kLocust + u" is missing: run `make locust`"_s));
        // When this test runs as root, PostgreSQL runs as "postgres", who must be
        // able to pass through the temporary folder (created 0700).
        QVERIFY(QFile::setPermissions(m_dir.path(),
            QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup
                | QFile::ReadOther | QFile::ExeOther));
    }

    void exportWritesARunnablePlan()
    {
        const Result result = run(exportArguments(exportDir()));
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY(result.out.contains(u"go-nethttp/json-c50"_s));
        for (const QString &file :
            { u"locustfile.py"_s, u"stackadvisor-locust.json"_s, u"requirements.txt"_s, u"README.md"_s })
            QVERIFY2(QFile::exists(QDir(exportDir()).filePath(file)), qPrintable(file));
        const QJsonObject plan = readObject(QDir(exportDir()).filePath(u"stackadvisor-locust.json"_s));
        QCOMPARE(plan.value(u"openLoopRate"_s).toDouble(), kRate);
        QCOMPARE(plan.value(u"cells"_s).toArray().size(), 1);
        const QJsonObject cell = plan.value(u"cells"_s).toArray().at(0).toObject();
        QCOMPARE(cell.value(u"path"_s).toString(), u"/json"_s);
        QCOMPARE(cell.value(u"expected"_s).toObject().value(u"body"_s).toString(),
            u"{\"message\":\"Hello, World!\"}"_s);
        // Exporting again into the same folder replaces the export; into a folder
        // that holds something else, it refuses.
        QCOMPARE(run(exportArguments(exportDir())).exitCode, 0);
        QDir().mkpath(m_dir.filePath(u"other"_s));
        QFile other(m_dir.filePath(u"other/notes.txt"_s));
        QVERIFY(other.open(QIODevice::WriteOnly));
        other.close();
        const Result refused = run(exportArguments(m_dir.filePath(u"other"_s)));
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains(u"not empty"_s), qPrintable(refused.err));
    }

    // The README's master and worker commands, run as written (on 127.0.0.1),
    // against `servers serve`; the import against the same plan by stackadvisor-load.
    // servers serve for the test: the server on CPU 0 (its load on CPU 1).
    bool serve(QProcess &server, int port, int samplerPort, const QString &host, const QStringList &extra,
        QString *why) const
    {
        server.setProcessEnvironment(environment());
        server.start(kApp,
            QStringList { u"servers"_s, u"serve"_s, kTarget, u"--listen"_s, u"%1:%2"_s.arg(host).arg(port),
                u"--sampler-port"_s, QString::number(samplerPort), u"--cpus"_s, u"0"_s, u"--workers"_s,
                u"1"_s }
                + extra);
        QByteArray out;
        QElapsedTimer clock;
        clock.start();
        while (
            !out.contains("Serving") && server.state() != QProcess::NotRunning && clock.elapsed() < 60000) {
            server.waitForReadyRead(1000);
            out += server.readAllStandardOutput();
        }
        *why = QString::fromUtf8(out + server.readAllStandardError());
        return out.contains("Serving");
    }

    static void stopServing(QProcess &server)
    {
        if (server.state() != QProcess::NotRunning) {
            ::kill(pid_t(server.processId()), SIGINT);
            if (!server.waitForFinished(15000))
                endAll(server);
        }
    }

    // The exported README's master and worker commands, run as written but on
    // 127.0.0.1 (a master and 2 workers, on CPU 1) against target.
    bool runDistributed(const QString &dir, const QString &target, QString *why) const
    {
        QFile readmeFile(QDir(dir).filePath(u"README.md"_s));
        if (!readmeFile.open(QIODevice::ReadOnly)) {
            *why = u"no README.md in "_s + dir;
            return false;
        }
        const QString readme = QString::fromUtf8(readmeFile.readAll());
        const QList<QStringList> masters = readmeCommands(readme, u"--master "_s);
        const QList<QStringList> workers = readmeCommands(readme, u"--worker "_s);
        if (masters.size() != 1 || workers.size() != 1) {
            *why = u"the README has %1 master and %2 worker commands"_s.arg(masters.size())
                       .arg(workers.size());
            return false;
        }
        const int masterPort = freePort();
        const auto locustArguments = [&](QStringList words) {
            words.removeFirst(); // venv/bin/locust
            for (QString &word : words) {
                word.replace(u"$TARGET"_s, target);
                if (word == u"0.0.0.0"_s || word == u"MASTER"_s)
                    word = u"127.0.0.1"_s; // loopback only here
                if (word == u"N"_s)
                    word = u"2"_s;
            }
            return words;
        };
        const QStringList master = locustArguments(masters.constFirst())
            + QStringList { u"--master-bind-port"_s, QString::number(masterPort) };
        const QStringList worker = locustArguments(workers.constFirst())
            + QStringList { u"--master-port"_s, QString::number(masterPort) };
        QList<QProcess *> processes;
        auto stopLoad = qScopeGuard([&processes] {
            for (QProcess *p : std::as_const(processes)) {
                endAll(*p);
                delete p;
            }
        });
        const auto startLocust = [&](const QStringList &arguments) {
            auto *p = new QProcess;
            p->setWorkingDirectory(dir);
            p->setProcessChannelMode(QProcess::MergedChannels);
            p->start(u"taskset"_s, QStringList { u"-c"_s, u"1"_s, kLocust } + arguments);
            processes << p;
            return p;
        };
        startLocust(worker);
        startLocust(worker);
        QProcess *masterProcess = startLocust(master);
        const bool done = masterProcess->waitForFinished(90000);
        *why = QString::fromUtf8(masterProcess->readAll());
        return done && masterProcess->exitCode() == 0;
    }

    static QJsonObject locustStats(const QString &cellDir)
    {
        QFile f(QDir(cellDir).filePath(u"locust.json"_s));
        return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).array().at(0).toObject()
                                           : QJsonObject();
    }

    // The JSON plan (2 s warm-up) by a master and 2 workers, read back, and the
    // same plan by stackadvisor-load against the same server: req/s within 5 %.
    void distributedRunReadBack()
    {
        const QList<int> ports = freePorts(2);
        QCOMPARE(ports.size(), 2);
        QProcess server;
        auto stopServer = qScopeGuard([&server] { stopServing(server); });
        QString why;
        QVERIFY2(serve(server, ports.at(0), ports.at(1), u"127.0.0.1"_s, {}, &why), qPrintable(why));
        const QString target = u"http://127.0.0.1:%1"_s.arg(ports.at(0));
        QVERIFY2(runDistributed(exportDir(), target, &why), qPrintable(why));

        const QString cellDir = QDir(exportDir()).filePath(u"results/go-nethttp/json-c%1"_s.arg(kUsers));
        const QJsonObject info = readObject(QDir(cellDir).filePath(u"stackadvisor-run-info.json"_s));
        QCOMPARE(info.value(u"workers"_s).toInt(), 2);
        QVERIFY(info.value(u"verified"_s).toBool());
        const QJsonObject stats = locustStats(cellDir);
        const double locustRequests = stats.value(u"num_requests"_s).toDouble();
        QCOMPARE(stats.value(u"num_failures"_s).toDouble(), 0.0);
        // The rate asked over the window (the warm-up excluded on the master's
        // clock): within the users in flight when it opened and closed.
        qInfo("Locust: %.0f requests in the %.0f s window at %.0f req/s asked", locustRequests,
            kWindowSeconds, kRate);
        QVERIFY2(std::abs(locustRequests - kRate * kWindowSeconds) <= 2 * kUsers,
            qPrintable(QString::number(locustRequests)));

        // Read back into the history, with its engine said.
        const QString imported = m_dir.filePath(u"imported.json"_s);
        const Result import
            = run({ u"bench"_s, u"--import-locust"_s, exportDir(), u"--db"_s, db(), u"--json"_s, imported });
        QVERIFY2(import.exitCode == 0, qPrintable(import.err + import.out));
        QVERIFY2(import.out.contains(u"Measured by Locust 2.47.0 with 2 workers"_s), qPrintable(import.out));
        QVERIFY(import.out.contains(u"Saved as run"_s));
        const QJsonObject importedRun = readObject(imported);
        QCOMPARE(importedRun.value(u"engine"_s).toObject().value(u"name"_s).toString(), u"locust"_s);
        QCOMPARE(importedRun.value(u"engine"_s).toObject().value(u"workers"_s).toInt(), 2);
        const QJsonObject cell = importedRun.value(u"targets"_s).toArray().at(0).toObject();
        QCOMPARE(cell.value(u"targetId"_s).toString(), kTarget);
        QCOMPARE(cell.value(u"status"_s).toString(), u"completed"_s);
        QCOMPARE(cell.value(u"requests"_s).toDouble(), locustRequests);
        const double locustRate = cell.value(u"requestsPerSecond"_s).toDouble();
        QVERIFY(cell.value(u"latencyUs"_s).toObject().value(u"p99"_s).toDouble() > 0);

        // The same plan, run by the app's own generator against the same server
        // (loaded with --url, as a server the app did not start).
        const QString own = m_dir.filePath(u"own.json"_s);
        const Result ownRun
            = run(QStringList { u"bench"_s, u"--no-save"_s, u"--rounds"_s, u"1"_s, u"--json"_s, own,
                      u"--url"_s, u"same=%1"_s.arg(target), u"--load-cpus"_s, u"1"_s }
                + planArguments());
        QVERIFY2(ownRun.exitCode == 0, qPrintable(ownRun.err));
        const double ownRate = readObject(own)
                                   .value(u"targets"_s)
                                   .toArray()
                                   .at(0)
                                   .toObject()
                                   .value(u"requestsPerSecond"_s)
                                   .toDouble();
        qInfo("req/s: Locust (master + 2 workers) %.1f, stackadvisor-load %.1f, ratio %.3f", locustRate,
            ownRate, locustRate / ownRate);
        QVERIFY2(std::abs(locustRate / ownRate - 1.0) <= 0.05,
            qPrintable(u"Locust %1 req/s, stackadvisor-load %2 req/s"_s.arg(locustRate).arg(ownRate)));
    }

    // The /db plan without a warm-up, so that PostgreSQL's own count of the /db
    // SELECTs covers everything Locust counted: equal, within the requests still
    // in flight when the run stopped and the expected-results check's one.
    void serverSideCount()
    {
        sa::bench::PostgresCluster cluster;
        QString why;
        QVERIFY2(startCluster(cluster, &why), qPrintable(why));
        auto stopCluster = qScopeGuard([&cluster] {
            QSignalSpy stopped(&cluster, &sa::bench::PostgresCluster::stopped);
            cluster.stop();
            stopped.wait(20000);
        });
        const sa::tests::Psql psql = sa::tests::psqlFor(cluster);
        const auto selects = [&psql] {
            return psql
                .run(
                    u"SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE userid = (SELECT oid FROM "
                    "pg_roles WHERE rolname = 'benchmarkdbuser') AND query ~* '^\\s*select' AND query ~* "
                    "'\\mworld\\M'"_s)
                .toLongLong();
        };
        const Result exported = run(exportArguments(dbExportDir(), u"db"_s, 0));
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        const QList<int> ports = freePorts(2);
        QCOMPARE(ports.size(), 2);
        QProcess server;
        auto stopServer = qScopeGuard([&server] { stopServing(server); });
        QVERIFY2(serve(server, ports.at(0), ports.at(1), u"127.0.0.1"_s,
                     { u"--database-url"_s, cluster.databaseUrl() }, &why),
            qPrintable(why));
        const qint64 before = selects();
        QVERIFY2(
            runDistributed(dbExportDir(), u"http://127.0.0.1:%1"_s.arg(ports.at(0)), &why), qPrintable(why));
        const qint64 serverCount = selects() - before;
        const QJsonObject stats
            = locustStats(QDir(dbExportDir()).filePath(u"results/go-nethttp/db-c%1"_s.arg(kUsers)));
        const qint64 locustRequests = stats.value(u"num_requests"_s).toInteger();
        QCOMPARE(stats.value(u"num_failures"_s).toDouble(), 0.0);
        qInfo("server-side: %lld SELECTs for %lld requests Locust counted", serverCount, locustRequests);
        QVERIFY(locustRequests > kRate * kWindowSeconds / 2);
        QVERIFY2(serverCount >= locustRequests && serverCount <= locustRequests + kUsers + 1,
            qPrintable(
                u"PostgreSQL ran %1 SELECTs, Locust counted %2"_s.arg(serverCount).arg(locustRequests)));
    }

    // A server on 127.0.0.2 (a second loopback address standing for another host)
    // started by servers serve, loaded with --url: its memory and CPU come from
    // the sampler beside it; the catalog's facts from the id the sampler gives.
    void remoteTargetWithItsSampler()
    {
        const int port = freePorts(2).value(0), samplerPort = freePorts(2).value(1);
        QVERIFY(port > 0 && samplerPort > 0 && port != samplerPort);
        QProcess server;
        auto stopServer = qScopeGuard([&server] {
            if (server.state() != QProcess::NotRunning) {
                ::kill(pid_t(server.processId()), SIGINT);
                if (!server.waitForFinished(15000))
                    endAll(server);
            }
        });
        server.setProcessEnvironment(environment());
        server.start(kApp,
            { u"servers"_s, u"serve"_s, kTarget, u"--listen"_s, u"127.0.0.2:%1"_s.arg(port),
                u"--sampler-port"_s, QString::number(samplerPort), u"--cpus"_s, u"0"_s, u"--workers"_s,
                u"1"_s });
        QByteArray serverOut;
        QTRY_VERIFY_WITH_TIMEOUT((serverOut += server.readAllStandardOutput()).contains("Serving")
                || server.state() == QProcess::NotRunning,
            60000);
        QVERIFY2(serverOut.contains("http://127.0.0.2:"), serverOut.constData());

        const QString out = m_dir.filePath(u"remote.json"_s);
        const Result result
            = run({ u"bench"_s, u"--rounds"_s, u"1"_s, u"--url"_s, u"far=http://127.0.0.2:%1"_s.arg(port),
                u"--sampler"_s, u"far=http://127.0.0.2:%1"_s.arg(samplerPort), u"--allow-remote"_s,
                u"--connections"_s, u"10"_s, u"--warmup"_s, u"1s"_s, u"--duration"_s, u"3s"_s,
                u"--load-cpus"_s, u"1"_s, u"--server-cpus"_s, u"0"_s, u"--no-save"_s, u"--json"_s, out });
        QVERIFY2(result.exitCode == 0, qPrintable(result.err + result.out));
        const QJsonObject cell = readObject(out).value(u"targets"_s).toArray().at(0).toObject();
        QCOMPARE(cell.value(u"targetId"_s).toString(), u"url-far"_s);
        QCOMPARE(cell.value(u"displayName"_s).toString(), u"far"_s);
        QCOMPARE(cell.value(u"language"_s).toString(), u"Go"_s);
        QVERIFY(cell.value(u"requestsPerSecond"_s).toDouble() > 0);
        const QJsonObject memory = cell.value(u"memory"_s).toObject();
        qInfo("remote: %.0f req/s, peak PSS %.1f MiB, CPU %.0f %%",
            cell.value(u"requestsPerSecond"_s).toDouble(),
            memory.value(u"peakPssBytes"_s).toDouble() / 1048576.0,
            cell.value(u"cpuPercentMean"_s).toDouble());
        QVERIFY(memory.value(u"peakPssBytes"_s).toDouble() > 1e6);
        QVERIFY(memory.value(u"idlePssBytes"_s).toDouble() > 1e6);
        QVERIFY(cell.value(u"cpuPercentMean"_s).toDouble() > 1);
        QVERIFY2(result.out.contains(u"far"_s), qPrintable(result.out));

        // No sampler: loaded all the same, its memory and CPU said to be unmeasured.
        const Result bare = run({ u"bench"_s, u"--rounds"_s, u"1"_s, u"--url"_s,
            u"bare=http://127.0.0.2:%1"_s.arg(port), u"--connections"_s, u"10"_s, u"--warmup"_s, u"0s"_s,
            u"--duration"_s, u"1s"_s, u"--no-save"_s });
        QVERIFY2(bare.exitCode == 0, qPrintable(bare.err + bare.out));
        QVERIFY2(bare.out.contains(u"its memory and CPU were not measured"_s), qPrintable(bare.out));
    }

    void remoteTargetsNeedAllowRemote_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("expected");
        QTest::addRow("url beyond loopback") << QStringList { u"--url"_s, u"far=http://192.0.2.10:8080"_s }
                                             << u"--url 192.0.2.10 is not a loopback address"_s;
        QTest::addRow("sampler beyond loopback") << QStringList { u"--url"_s, u"far=http://127.0.0.2:8080"_s,
            u"--sampler"_s, u"far=http://192.0.2.10:8081"_s }
                                                 << u"--sampler 192.0.2.10 is not a loopback address"_s;
        QTest::addRow("no name") << QStringList { u"--url"_s, u"http://127.0.0.2:8080"_s }
                                 << u"needs a name first"_s;
        QTest::addRow("a path") << QStringList { u"--url"_s, u"far=http://127.0.0.2:8080/json"_s }
                                << u"without a path"_s;
        QTest::addRow("sampler without url") << QStringList { u"--url"_s, u"a=http://127.0.0.2:8080"_s,
            u"--sampler"_s, u"b=http://127.0.0.2:8081"_s }
                                             << u"--sampler b names no --url"_s;
        QTest::addRow("allow-remote alone") << QStringList { u"--allow-remote"_s } << u"goes with --url"_s;
    }

    void remoteTargetsNeedAllowRemote()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expected);
        const Result result = run(QStringList { u"bench"_s, u"--no-save"_s } + arguments);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(expected), qPrintable(result.err));
    }

    void serveRefusesBeyondLoopback()
    {
        const Result result
            = run({ u"servers"_s, u"serve"_s, kTarget, u"--listen"_s, u"0.0.0.0:%1"_s.arg(freePort()) });
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(u"--allow-remote"_s), qPrintable(result.err));
        const Result unknown = run({ u"servers"_s, u"serve"_s, u"go-nope"_s });
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains(u"unknown server 'go-nope'"_s));
    }
};

QTEST_GUILESS_MAIN(TestLocust)
#include "tst_locust.moc"
