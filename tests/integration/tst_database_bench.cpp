// The database scenarios end to end on a real PostgreSQL and real servers:
// `stackadvisor bench` of a Go and a Python server in the db scenario records
// PostgreSQL's CPU and memory, its version and settings, each server's pool and
// worker rule; SIGKILL of `stackadvisor bench` mid-run leaves no postgres,
// server or generator, and the next run starts cleanly on the same cluster; a
// broken cluster (initdb missing, port taken, data folder deleted while in use)
// fails the database cells only, with the fix, while the JSON cell of the same
// run completes.
//
// A process belongs to a cluster when its working folder is the data folder:
// the postmaster and all its children chdir there.

#include "bench/benchmarkrunner.h"
#include "bench/postgrescluster.h"
#include "bench/servercatalog.h"
#include "platform/processcontrol.h"
#include "platform/procfs.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace sa::bench;

namespace {

const QString kApp = QStringLiteral(STACKADVISOR_BIN_DIR "/stackadvisor");
constexpr int kClusterMs = 120000; // initdb and seeding on a loaded 2-core machine

// Every living process whose working folder is folder.
QList<int> runningIn(const QString &folder)
{
    QList<int> pids;
    const QString canonical = QFileInfo(folder).canonicalFilePath();
    if (canonical.isEmpty())
        return pids;
    for (int pid : sa::platform::allPids()) {
        if (sa::platform::isAlive(pid) && QFileInfo(u"/proc/%1/cwd"_s.arg(pid)).symLinkTarget() == canonical)
            pids.append(pid);
    }
    return pids;
}

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

int serverCores(const QJsonObject &cell)
{
    const auto cpus = sa::platform::parseCpuList(cell.value(u"serverCpus"_s).toString());
    return cpus ? int(cpus->size()) : 0;
}

} // namespace

class TestDatabaseBench : public QObject
{
    Q_OBJECT

    QTemporaryDir m_root;
    QString m_base; // a created, seeded and stopped cluster the tests copy
    ServerCatalog m_catalog;

    // A copy of the base cluster (owner and modes kept).
    QString copyOfBase(const QString &name)
    {
        const QString folder = m_root.filePath(name);
        QProcess cp;
        cp.start(u"cp"_s, { u"-a"_s, m_base, folder });
        if (!cp.waitForFinished(30000) || cp.exitCode() != 0)
            return {};
        return folder;
    }

    void requireBuilt(const QStringList &ids)
    {
        for (const QString &id : ids) {
            const ServerEntry *entry = m_catalog.find(id);
            QVERIFY2(entry && entry->available,
                qPrintable(id + u" is not built: run `make servers` ("_s
                    + (entry ? entry->unavailableReason : u"not in the catalog"_s) + u')'));
        }
    }

    BenchmarkRunner::Options options(const QString &folder) const
    {
        BenchmarkRunner::Options o;
        o.loadGeneratorPath = QStringLiteral(STACKADVISOR_BIN_DIR "/stackadvisor-load");
        o.logDirectory
            = m_root.filePath(u"logs-"_s + QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-'));
        o.readinessTimeoutMs = 30000;
        o.stopGraceMs = 3000;
        o.idleSettleMs = 200;
        o.databaseDataFolder = folder;
        o.databaseReadyTimeoutMs = kClusterMs;
        return o;
    }

    QProcessEnvironment cliEnvironment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // Keep the user's real history, logs and catalog out of it.
        env.insert(u"XDG_DATA_HOME"_s, m_root.filePath(u"data"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, m_root.filePath(u"config"_s));
        env.remove(u"STACKADVISOR_USER_CATALOG"_s);
        env.remove(u"DATABASE_URL"_s);
        return env;
    }

    // Runs `stackadvisor ARGS`; exit code -1 when it did not end in time.
    int runCli(const QStringList &arguments, QString *out, QString *err, int timeoutMs = 180000) const
    {
        QProcess process;
        process.setProcessEnvironment(cliEnvironment());
        process.start(kApp, arguments);
        const bool ended = process.waitForFinished(timeoutMs);
        *out = QString::fromUtf8(process.readAllStandardOutput());
        *err = QString::fromUtf8(process.readAllStandardError());
        if (!ended) {
            for (int child : sa::platform::processesOwnedBy(int(process.processId())))
                ::kill(child, SIGKILL);
            process.kill();
            process.waitForFinished(5000);
            return -1;
        }
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        // As root, PostgreSQL runs as "postgres", who must pass through this folder.
        QVERIFY(QFile::setPermissions(m_root.path(),
            QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup
                | QFile::ReadOther | QFile::ExeOther));
        QVERIFY(QFile::exists(kApp));
        ServerCatalog::Sources sources = ServerCatalog::defaultSources();
        sources.userCatalogFile.clear();
        QString error;
        QVERIFY2(m_catalog.load(sources, &error), qPrintable(error));

        m_base = m_root.filePath(u"base"_s);
        PostgresCluster cluster;
        PostgresCluster::Settings settings;
        settings.dataFolder = m_base;
        settings.readyTimeoutMs = kClusterMs;
        QSignalSpy ready(&cluster, &PostgresCluster::ready);
        QSignalSpy failed(&cluster, &PostgresCluster::failed);
        cluster.start(settings);
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), 3 * kClusterMs);
        QVERIFY2(failed.isEmpty(),
            qPrintable(failed.isEmpty() ? QString() : failed.constFirst().at(1).toString()));
        QSignalSpy stopped(&cluster, &PostgresCluster::stopped);
        cluster.stop();
        QVERIFY(stopped.wait(20000));
    }

    void cleanup()
    {
        // A failing test must not leave a cluster or a server behind.
        for (const QString &name : QDir(m_root.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            for (int pid : runningIn(m_root.filePath(name)))
                ::kill(pid, SIGKILL);
        }
        for (int pid : sa::platform::ownedProcesses())
            ::kill(pid, SIGKILL);
    }

    // `bench` of one Go and one Python server in the db scenario.
    void benchGoAndPythonWithPostgres()
    {
        requireBuilt({ u"go-gin"_s, u"python-flask"_s });
        const QString folder = copyOfBase(u"cli-run"_s);
        QVERIFY(!folder.isEmpty());
        const QString json = m_root.filePath(u"cli-run.json"_s);
        QString out, err;
        const int exitCode
            = runCli({ u"bench"_s, u"--targets"_s, u"go-gin,python-flask"_s, u"--scenario"_s, u"db"_s,
                         u"--connections"_s, u"16"_s, u"--duration"_s, u"2s"_s, u"--warmup"_s, u"1s"_s,
                         u"--database-dir"_s, folder, u"--json"_s, json, u"--no-save"_s },
                &out, &err);
        QVERIFY2(exitCode == 0, qPrintable(out + err));
        QVERIFY(runningIn(folder).isEmpty()); // stopped with the run

        const QJsonObject run = readJson(json);
        const QJsonArray targets = run.value(u"targets"_s).toArray();
        QCOMPARE(targets.size(), 2);
        for (const QJsonValue &value : targets) {
            const QJsonObject cell = value.toObject();
            const QString id = cell.value(u"targetId"_s).toString();
            QCOMPARE(cell.value(u"status"_s).toString(), u"completed"_s);
            QCOMPARE(cell.value(u"scenario"_s).toString(), u"db"_s);
            QVERIFY2(cell.value(u"requestsPerSecond"_s).toDouble() > 0, qPrintable(id));
            const QJsonObject database = cell.value(u"database"_s).toObject();
            // PostgreSQL's CPU and memory, beside the server's.
            QVERIFY2(database.value(u"cpuPercentMean"_s).toDouble() > 0, qPrintable(id));
            QVERIFY2(database.value(u"peakPssBytes"_s).toInteger() > (1 << 20), qPrintable(id));
            QVERIFY2(database.value(u"meanPssBytes"_s).toInteger() > 0, qPrintable(id));
            const QJsonObject client = database.value(u"client"_s).toObject();
            QVERIFY2(!client.value(u"driver"_s).toString().isEmpty(),
                qPrintable(database.value(u"clientError"_s).toString()));
            QVERIFY(client.value(u"poolSize"_s).toInt() > 0);
            QCOMPARE(
                client.value(u"pools"_s).toInt(), id == u"go-gin"_s ? 1 : cell.value(u"workers"_s).toInt());
            // The timeline carries PostgreSQL's samples too.
            const QJsonArray timeline = cell.value(u"timeline"_s).toArray();
            QVERIFY(!timeline.isEmpty());
            QVERIFY(timeline.last().toObject().value(u"databasePssBytes"_s).toInteger() > 0);
            // The worker rule of I/O-bound work: gunicorn's 2 × cores + 1, Go's cores.
            const int cores = serverCores(cell);
            QVERIFY(cores > 0);
            QCOMPARE(cell.value(u"workerRule"_s).toString(), u"io-recommended"_s);
            QCOMPARE(cell.value(u"workers"_s).toInt(), id == u"python-flask"_s ? 2 * cores + 1 : cores);
            // PostgreSQL on the generator's CPU: the generator was told not to poll, and did not.
            if (sa::platform::allowedCpus().size() < 4) {
                QCOMPARE(cell.value(u"loadIdle"_s).toString(), u"sleep"_s);
                QCOMPARE(cell.value(u"loadPollingSeconds"_s).toDouble(), 0.0);
            } else {
                QCOMPARE(cell.value(u"loadIdle"_s).toString(), u"poll-if-alone"_s);
            }
            QVERIFY(cell.value(u"workerRuleSource"_s)
                        .toString()
                        .contains(id == u"python-flask"_s ? u"gunicorn"_s : u"GOMAXPROCS"_s));
        }
        const QJsonObject database = run.value(u"database"_s).toObject();
        QVERIFY2(database.value(u"version"_s).toString().startsWith(u"1"_s),
            qPrintable(database.value(u"version"_s).toString()));
        QCOMPARE(database.value(u"dataFolder"_s).toString(), folder);
        QCOMPARE(database.value(u"created"_s).toBool(), false); // the copy is reused
        QCOMPARE(database.value(u"configuration"_s).toObject().value(u"port"_s).toString(),
            QString::number(database.value(u"port"_s).toInt()));
        QVERIFY(!database.value(u"placement"_s).toString().isEmpty());
        QVERIFY(database.value(u"failure"_s).toString().isEmpty());
        const QString cpus = database.value(u"cpus"_s).toString();
        QCOMPARE(run.value(u"plan"_s).toObject().value(u"databaseCpus"_s).toString(), cpus);
        if (sa::platform::allowedCpus().size() < 4) {
            QCOMPARE(database.value(u"placement"_s).toString(), u"shared-with-load"_s);
            QCOMPARE(cpus, run.value(u"plan"_s).toObject().value(u"loadCpus"_s).toString());
        }
        // The text says which figures are PostgreSQL's, and where it ran.
        QVERIFY2(out.contains(u"DB CPU %"_s) && out.contains(u"DB peak PSS MiB"_s), qPrintable(out));
        QVERIFY2(out.contains(u"Database: PostgreSQL "_s), qPrintable(out));
        QVERIFY2(out.contains(u"python-flask db: "_s) && out.contains(u"gunicorn"_s), qPrintable(out));
    }

    void sigkillMidRunLeavesNothing()
    {
        requireBuilt({ u"python-django"_s, u"go-nethttp"_s });
        const QString folder = copyOfBase(u"cli-killed"_s);
        QVERIFY(!folder.isEmpty());
        QProcess process;
        auto guard = qScopeGuard([&process] {
            for (int child : sa::platform::processesOwnedBy(int(process.processId())))
                ::kill(child, SIGKILL);
            process.kill();
            process.waitForFinished(5000);
        });
        process.setProcessEnvironment(cliEnvironment());
        process.start(kApp,
            { u"bench"_s, u"--targets"_s, u"python-django"_s, u"--scenario"_s, u"db"_s, u"--connections"_s,
                u"8"_s, u"--duration"_s, u"60s"_s, u"--warmup"_s, u"0s"_s, u"--database-dir"_s, folder,
                u"--no-save"_s });
        QVERIFY(process.waitForStarted());
        process.setReadChannel(QProcess::StandardError); // the progress lines
        QByteArray err;
        while (!err.contains("measuring")) {
            QVERIFY2(process.waitForReadyRead(kClusterMs), err.constData());
            err += process.readAllStandardError();
        }
        const int pid = int(process.processId());
        const QList<int> owned = sa::platform::processesOwnedBy(pid);
        const QList<int> postgres = runningIn(folder);
        QVERIFY2(postgres.size() >= 4, qPrintable(u"%1 postgres processes"_s.arg(postgres.size())));
        // The postmaster carries the owner's marker (its lock file names it); its
        // children write their process titles over the environment /proc shows,
        // so they are the postmaster's to end (checked below).
        QFile lock(folder + u"/postmaster.pid"_s);
        QVERIFY(lock.open(QIODevice::ReadOnly));
        const int postmaster = QString::fromLatin1(lock.readLine()).trimmed().toInt();
        QVERIFY(postgres.contains(postmaster));
        QVERIFY2(owned.contains(postmaster), "the postmaster carries the owner's marker");
        // gunicorn's master and its 2 × cores + 1 workers (3 at least), the generator, the postmaster.
        QVERIFY2(owned.size() >= 6, qPrintable(u"only %1 processes"_s.arg(owned.size())));
        ::kill(pid, SIGKILL);
        QVERIFY(process.waitForFinished(5000));
        // Parent-death signals: immediate shutdown for the postmaster, SIGTERM for
        // gunicorn's master, SIGKILL for the generator.
        QTRY_VERIFY2_WITH_TIMEOUT(
            sa::platform::processesOwnedBy(pid).isEmpty() && runningIn(folder).isEmpty(),
            qPrintable(u"left behind: %1 owned, %2 postgres"_s.arg(sa::platform::processesOwnedBy(pid).size())
                           .arg(runningIn(folder).size())),
            15000);

        // The next run starts cleanly on the same cluster.
        const QString json = m_root.filePath(u"cli-next.json"_s);
        QString out, errText;
        const int exitCode
            = runCli({ u"bench"_s, u"--targets"_s, u"go-nethttp"_s, u"--scenario"_s, u"db"_s,
                         u"--connections"_s, u"8"_s, u"--duration"_s, u"1s"_s, u"--warmup"_s, u"0s"_s,
                         u"--database-dir"_s, folder, u"--json"_s, json, u"--no-save"_s },
                &out, &errText);
        QVERIFY2(exitCode == 0, qPrintable(out + errText));
        const QJsonObject run = readJson(json);
        QCOMPARE(run.value(u"database"_s).toObject().value(u"created"_s).toBool(), false);
        QCOMPARE(
            run.value(u"targets"_s).toArray().at(0).toObject().value(u"status"_s).toString(), u"completed"_s);
        QVERIFY(runningIn(folder).isEmpty());
    }

    void brokenClusterFailsDatabaseCellsOnly_data()
    {
        QTest::addColumn<QString>("breakage");
        QTest::addColumn<QStringList>("mentions"); // the reason, and what to do about it
        QTest::addRow("initdb missing")
            << u"initdb"_s << QStringList { u"PostgreSQL is not installed"_s, u"postgresql-15"_s };
        QTest::addRow("port taken") << u"port"_s
                                    << QStringList { u"is in use by another program"_s,
                                           u"choose another port"_s };
        QTest::addRow("data folder deleted while in use")
            << u"deleted"_s << QStringList { u"was deleted"_s, u"The next database cell starts it again"_s };
    }

    void brokenClusterFailsDatabaseCellsOnly()
    {
        QFETCH(QString, breakage);
        QFETCH(QStringList, mentions);
        requireBuilt({ u"go-nethttp"_s });
        const QString folder = copyOfBase(u"broken-"_s + breakage);
        QVERIFY(!folder.isEmpty());
        BenchmarkRunner::Options o = options(folder);
        QTemporaryDir noPostgres;
        QTcpServer squatter;
        if (breakage == u"initdb"_s)
            o.databaseBinDir = noPostgres.path();
        if (breakage == u"port"_s) {
            QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
            o.databasePort = squatter.serverPort();
        }
        BenchmarkPlan plan;
        plan.targetIds = { u"go-nethttp"_s };
        // A deleted folder is created again for the next database cell (fortunes).
        plan.scenarios = breakage == u"deleted"_s
            ? QList<Scenario> { Scenario::Db, Scenario::Json, Scenario::Fortunes }
            : QList<Scenario> { Scenario::Db, Scenario::Json, Scenario::Queries };
        plan.connectionLevels = { 8 };
        plan.warmupSeconds = 0;
        plan.durationSeconds = breakage == u"deleted"_s ? 5 : 1;
        BenchmarkRunner runner(m_catalog);
        runner.setOptions(o);
        const QString gone = folder + u".gone"_s;
        QList<int> cluster; // the processes of the cluster that was in use
        connect(&runner, &BenchmarkRunner::phaseChanged, this,
            [&](const QString &, BenchmarkRunner::Phase phase) {
                if (breakage == u"deleted"_s && phase == BenchmarkRunner::Phase::Measuring
                    && cluster.isEmpty()) {
                    cluster = runningIn(folder);
                    // Moved away in one step: deleting file by file races with PostgreSQL's writes.
                    QVERIFY(QDir().rename(folder, gone));
                }
            });
        QSignalSpy finished(&runner, &BenchmarkRunner::finished);
        QVERIFY(runner.start(plan));
        QVERIFY(finished.wait(3 * kClusterMs));
        const RunResult run = finished.at(0).at(0).value<RunResult>();
        QCOMPARE(run.targets.size(), 3);
        QCOMPARE(run.status, RunStatus::Completed);

        const TargetResult &db = run.targets.at(0);
        QCOMPARE(db.scenario, Scenario::Db);
        QCOMPARE(db.status, TargetStatus::Failed);
        for (const QString &mention : mentions)
            QVERIFY2(db.failureReason.contains(mention), qPrintable(db.failureReason));
        const TargetResult &json = run.targets.at(1);
        QCOMPARE(json.scenario, Scenario::Json);
        QVERIFY2(json.status == TargetStatus::Completed, qPrintable(json.failureReason));
        QVERIFY(!json.database);
        QVERIFY(run.database);
        QVERIFY2(!run.database->failure.isEmpty(), "the run records what went wrong with the database");
        const TargetResult &last = run.targets.at(2);
        if (breakage == u"deleted"_s) {
            QVERIFY(!cluster.isEmpty());
            for (int pid : std::as_const(cluster))
                QVERIFY2(!sa::platform::isAlive(pid), qPrintable(u"pid %1 is still running"_s.arg(pid)));
            QVERIFY2(last.status == TargetStatus::Completed, qPrintable(last.failureReason));
            QVERIFY(run.database->created);
            QVERIFY(QFileInfo::exists(folder + u"/PG_VERSION"_s));
            QVERIFY(QDir(gone).removeRecursively());
        } else {
            // A start that failed is not tried again in the same run: the same reason at once.
            QCOMPARE(last.status, TargetStatus::Failed);
            for (const QString &mention : mentions)
                QVERIFY2(last.failureReason.contains(mention), qPrintable(last.failureReason));
        }
        QVERIFY(runningIn(folder).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(sa::platform::ownedProcesses().isEmpty(), 5000);
    }
};

QTEST_GUILESS_MAIN(TestDatabaseBench)
#include "tst_database_bench.moc"
