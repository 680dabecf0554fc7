// PostgresCluster against a real PostgreSQL: the first start creates and seeds
// (TechEmpower's rows, read back), the settings are the server's, loopback and
// pinning hold, the second start reuses; stop leaves no process; SIGKILL of the
// owning process leaves no postgres; stale and leftover locks are recovered;
// another session's running cluster, a taken port, a missing initdb, a deleted
// or damaged data folder each give their failure, with nothing left running.
//
// A process belongs to a cluster when its working folder is the data folder:
// the postmaster and all its children chdir there.

#include "bench/postgrescluster.h"
#include "bench/resourcesampler.h"
#include "platform/processcontrol.h"
#include "platform/procfs.h"

#include "../fixtures/psql.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>

using namespace Qt::StringLiterals;
using sa::bench::PostgresCluster;

namespace {

constexpr int kReadyMs = 90000;
const QString kHelper = QStringLiteral(STACKADVISOR_BIN_DIR "/pgcluster");

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

QString statusField(int pid, const QString &field)
{
    QFile file(u"/proc/%1/status"_s.arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(QByteArray(field.toLatin1() + ':')))
            return QString::fromLatin1(line.mid(field.size() + 1)).trimmed();
    }
    return {};
}

// Local addresses of the LISTEN sockets on port (IPv4 and IPv6).
QStringList listeningAddresses(int port)
{
    QStringList found;
    for (const QString &table : { u"/proc/net/tcp"_s, u"/proc/net/tcp6"_s }) {
        QFile file(table);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> lines = file.readAll().split('\n');
        for (const QByteArray &line : lines.mid(1)) {
            const QList<QByteArray> fields = line.simplified().split(' ');
            if (fields.size() < 4 || fields.at(3) != "0A")
                continue;
            const QList<QByteArray> local = fields.at(1).split(':');
            if (local.size() == 2 && local.at(1).toInt(nullptr, 16) == port)
                found << QString::fromLatin1(local.at(0));
        }
    }
    return found;
}

using sa::tests::Psql;
using sa::tests::psqlFor;

// pgcluster (tests/fixtures) owning a cluster in its own process.
struct Helper
{
    QProcess process;
    QJsonObject ready;

    bool start(const QString &folder)
    {
        process.setProgram(kHelper);
        process.setArguments({ u"--data"_s, folder });
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.start();
        if (!process.waitForStarted(10000))
            return false;
        QSignalSpy output(&process, &QProcess::readyReadStandardOutput);
        while (!process.canReadLine()) {
            if (!output.wait(kReadyMs))
                return false;
        }
        ready = QJsonDocument::fromJson(process.readLine()).object();
        return ready.value(u"event"_s).toString() == u"ready"_s;
    }
    int postmaster() const { return ready.value(u"pid"_s).toInt(); }
    ~Helper()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(5000);
        }
    }
};

} // namespace

class TestPostgresCluster : public QObject
{
    Q_OBJECT

    QTemporaryDir m_root;
    QString m_base; // a created, seeded and stopped cluster the other tests copy

    PostgresCluster::Settings settingsFor(const QString &folder) const
    {
        PostgresCluster::Settings settings;
        settings.dataFolder = folder;
        settings.readyTimeoutMs = kReadyMs;
        settings.stopGraceMs = 10000;
        return settings;
    }

    // A copy of the base cluster (owner and modes kept), for a test to damage;
    // the base is made first if the test that makes it did not run.
    QString copyOfBase(const QString &name)
    {
        if (!QFileInfo::exists(m_base + u"/PG_VERSION"_s)) {
            PostgresCluster cluster;
            QString why;
            if (!startAndWait(cluster, settingsFor(m_base), &why) || !stopAndWait(cluster))
                return {};
        }
        const QString folder = m_root.filePath(name);
        QProcess cp;
        cp.start(u"cp"_s, { u"-a"_s, m_base, folder });
        if (!cp.waitForFinished(30000) || cp.exitCode() != 0)
            return {};
        return folder;
    }

    static bool startAndWait(
        PostgresCluster &cluster, const PostgresCluster::Settings &settings, QString *why)
    {
        QSignalSpy ready(&cluster, &PostgresCluster::ready);
        QSignalSpy failed(&cluster, &PostgresCluster::failed);
        QEventLoop loop;
        connect(&cluster, &PostgresCluster::ready, &loop, &QEventLoop::quit);
        connect(&cluster, &PostgresCluster::failed, &loop, &QEventLoop::quit);
        QTimer::singleShot(kReadyMs + 5000, &loop, &QEventLoop::quit);
        cluster.start(settings);
        loop.exec();
        *why = failed.isEmpty() ? u"no ready() within the time"_s : failed.constFirst().at(1).toString();
        return !ready.isEmpty();
    }

    static bool stopAndWait(PostgresCluster &cluster)
    {
        QSignalSpy stopped(&cluster, &PostgresCluster::stopped);
        cluster.stop();
        return stopped.wait(20000);
    }

    // Starts on settings and expects failure; checks that nothing runs afterwards.
    void expectFailure(
        const PostgresCluster::Settings &settings, PostgresCluster::Failure expected, const QString &mention)
    {
        PostgresCluster cluster;
        QSignalSpy ready(&cluster, &PostgresCluster::ready);
        QSignalSpy failed(&cluster, &PostgresCluster::failed);
        cluster.start(settings);
        QVERIFY(failed.wait(kReadyMs));
        QVERIFY(ready.isEmpty());
        const auto failure = failed.constFirst().at(0).value<PostgresCluster::Failure>();
        const QString reason = failed.constFirst().at(1).toString();
        QCOMPARE(failure, expected);
        QVERIFY2(reason.contains(mention), qPrintable(reason));
        QVERIFY(!cluster.isRunning());
        QVERIFY(runningIn(settings.dataFolder).isEmpty());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        // When this test runs as root, PostgreSQL runs as "postgres", who must
        // be able to pass through the temporary folder (created 0700).
        QVERIFY(QFile::setPermissions(m_root.path(),
            QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup
                | QFile::ReadOther | QFile::ExeOther));
        QVERIFY2(QFileInfo(kHelper).isExecutable(), "build the pgcluster fixture");
        m_base = m_root.filePath(u"base"_s);
    }

    void cleanup()
    {
        // A failing test must not leave a cluster behind.
        const QStringList folders = QDir(m_root.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString &name : folders) {
            for (int pid : runningIn(m_root.filePath(name)))
                ::kill(pid, SIGKILL);
        }
    }

    void firstStartCreatesAndSeedsSecondReuses()
    {
        PostgresCluster cluster;
        PostgresCluster::Settings settings = settingsFor(m_base);
        const QList<int> allowed = sa::platform::allowedCpus();
        settings.cpus = { allowed.constLast() };
        QString why;
        QVERIFY2(startAndWait(cluster, settings, &why), qPrintable(why));
        QVERIFY(cluster.isReady());
        QVERIFY(cluster.created());
        QVERIFY(cluster.seeded());
        QVERIFY(cluster.pid() > 0);
        QVERIFY(cluster.port() > 0);
        QCOMPARE(cluster.databaseUrl(),
            u"postgres://benchmarkdbuser@127.0.0.1:%1/hello_world?sslmode=disable"_s.arg(cluster.port()));
        QVERIFY2(cluster.version().startsWith(u"1"_s), qPrintable(cluster.version()));
        QVERIFY(!QFileInfo::exists(m_base + u".creating"_s));

        // TechEmpower's rows.
        const Psql psql = psqlFor(cluster);
        QCOMPARE(psql.run(u"SELECT count(*), count(DISTINCT id), min(id), max(id) FROM world"_s),
            u"10000|10000|1|10000"_s);
        const QStringList range
            = psql.run(u"SELECT min(randomnumber), max(randomnumber) FROM world"_s).split(u'|');
        QVERIFY(
            range.value(0).toInt() >= 1 && range.value(1).toInt() <= 10000 && range.value(1).toInt() > 9000);
        QCOMPARE(psql.run(u"SELECT count(*) FROM fortune"_s), u"12"_s);
        QCOMPARE(psql.run(u"SELECT message FROM fortune WHERE id = 12"_s), u"フレームワークのベンチマーク"_s);
        QCOMPARE(psql.run(u"SELECT message FROM fortune WHERE id = 11"_s),
            u"<script>alert(\"This should not be displayed in a browser alert box.\");</script>"_s);
        QCOMPARE(psql.run(u"SELECT message FROM fortune WHERE id = 2"_s),
            u"A computer scientist is someone who fixes things that aren't broken."_s);

        // The recorded settings are what the server runs with.
        const QMap<QString, QString> configuration = cluster.configuration();
        QCOMPARE(configuration.value(u"port"_s), QString::number(cluster.port()));
        QCOMPARE(configuration.value(u"listen_addresses"_s), u"127.0.0.1"_s);
        QCOMPARE(configuration.value(u"shared_preload_libraries"_s), u"pg_stat_statements"_s);
        for (auto it = configuration.cbegin(); it != configuration.cend(); ++it)
            QCOMPARE(psql.run(u"SELECT current_setting('%1')"_s.arg(it.key())), it.value().trimmed());

        // Loopback only; the servers' user over TCP may read, not write; the
        // superuser only on the socket.
        const QStringList listening = listeningAddresses(cluster.port());
        QCOMPARE(listening, QStringList { u"0100007F"_s });
        QString error;
        QCOMPARE(psql.run(u"SELECT randomnumber FROM world WHERE id = 1"_s, u"benchmarkdbuser"_s,
                         u"127.0.0.1"_s, &error)
                     .isEmpty(),
            false);
        QVERIFY(psql.run(u"UPDATE world SET randomnumber = 1 WHERE id = 1"_s, u"benchmarkdbuser"_s,
                        u"127.0.0.1"_s, &error)
                    .isNull());
        QVERIFY2(error.contains(u"permission denied"_s), qPrintable(error));
        QVERIFY(psql.run(u"SELECT 1"_s, u"postgres"_s, u"127.0.0.1"_s, &error).isNull());
        QVERIFY2(error.contains(u"no pg_hba.conf entry"_s), qPrintable(error));

        // Every process pinned, and not root. Backends of the psql runs above
        // may still be exiting, and autovacuum may start a worker: compare
        // snapshots until they agree.
        const auto sameProcesses = [&] {
            const QList<int> tree = sa::platform::processTree(int(cluster.pid()));
            const QList<int> inFolder = runningIn(m_base);
            return QSet<int>(tree.cbegin(), tree.cend()) == QSet<int>(inFolder.cbegin(), inFolder.cend());
        };
        // The sampler's root is the postmaster, whose tree is the whole cluster.
        QTRY_VERIFY_WITH_TIMEOUT(sameProcesses(), 10000);
        const QList<int> processes = runningIn(m_base);
        QVERIFY(processes.size() >= 4); // postmaster, checkpointer, writers, launchers
        QVERIFY(processes.contains(int(cluster.pid())));
        const passwd *service = getpwnam("postgres");
        for (int pid : processes) {
            const QString cpus = statusField(pid, u"Cpus_allowed_list"_s);
            if (cpus.isEmpty())
                continue; // it has just exited
            QCOMPARE(cpus, QString::number(allowed.constLast()));
            const uid_t uid = statusField(pid, u"Uid"_s).section(u'\t', 0, 0).toUInt();
            QVERIFY(uid != 0);
            if (geteuid() == 0) {
                QVERIFY(service);
                QCOMPARE(uid, service->pw_uid);
                QCOMPARE(cluster.runAsUser(), u"postgres"_s);
            }
        }

        // What the runner will show beside the server: the cluster's CPU and PSS.
        sa::bench::ResourceSampler sampler;
        sampler.start(cluster.pid());
        const sa::bench::ResourceSampler::Sample first = sampler.latest();
        sampler.stop();
        QVERIFY2(first.processCount >= 4, qPrintable(QString::number(first.processCount)));
        QVERIFY(first.pssBytes > 1024 * 1024);

        const QString row = psql.run(u"SELECT randomnumber FROM world WHERE id = 4242"_s);
        const int port = cluster.port();
        QVERIFY(stopAndWait(cluster));
        QVERIFY(!cluster.isRunning());
        QVERIFY(runningIn(m_base).isEmpty());
        QVERIFY(!QFileInfo::exists(m_base + u"/postmaster.pid"_s));

        // The second start reuses the cluster and its rows; its old port is
        // taken meanwhile, so it gets another one.
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, quint16(port)));
        QVERIFY2(startAndWait(cluster, settingsFor(m_base), &why), qPrintable(why));
        QVERIFY(!cluster.created());
        QVERIFY(!cluster.seeded());
        QVERIFY(cluster.port() != port);
        QCOMPARE(psqlFor(cluster).run(u"SELECT randomnumber FROM world WHERE id = 4242"_s), row);
        QVERIFY(stopAndWait(cluster));
        QVERIFY(runningIn(m_base).isEmpty());
    }

    void killingTheOwnerLeavesNoPostgres()
    {
        const QString folder = copyOfBase(u"owner-killed"_s);
        QVERIFY(!folder.isEmpty());
        {
            Helper helper;
            QVERIFY2(helper.start(folder), QJsonDocument(helper.ready).toJson().constData());
            QVERIFY(runningIn(folder).contains(helper.postmaster()));
            QCOMPARE(helper.ready.value(u"created"_s).toBool(), false);
            ::kill(pid_t(helper.process.processId()), SIGKILL);
            QVERIFY(helper.process.waitForFinished(5000));
            // The postmaster's parent-death signal is an immediate shutdown.
            QTRY_VERIFY_WITH_TIMEOUT(runningIn(folder).isEmpty(), 15000);
        }
        // The next start is clean, on the same cluster.
        PostgresCluster cluster;
        QString why;
        QVERIFY2(startAndWait(cluster, settingsFor(folder), &why), qPrintable(why));
        QVERIFY(!cluster.created());
        QVERIFY(stopAndWait(cluster));
    }

    void staleLockIsRecovered_data()
    {
        QTest::addColumn<QString>("holder");
        QTest::addRow("pid of a process that is gone") << u"gone"_s;
        QTest::addRow("pid now used by another program") << u"other"_s;
        QTest::addRow("our leftover postmaster still running") << u"leftover"_s;
    }

    void staleLockIsRecovered()
    {
        QFETCH(QString, holder);
        const QString folder = copyOfBase(u"stale-"_s + holder);
        QVERIFY(!folder.isEmpty());
        QProcess other;
        int lockPid = 0;
        Helper helper;
        if (holder == u"gone"_s || holder == u"other"_s) {
            other.start(u"sleep"_s, { u"60"_s });
            QVERIFY(other.waitForStarted());
            lockPid = int(other.processId());
            if (holder == u"gone"_s) {
                other.kill();
                QVERIFY(other.waitForFinished());
            }
            // What a crashed postmaster leaves: its lock and its socket's lock.
            const QByteArray lock = QByteArray::number(lockPid) + '\n' + QFile::encodeName(folder)
                + "\n1700000000\n5432\n" + QFile::encodeName(folder)
                + "\n127.0.0.1\n  1234567  7\nready   \n";
            for (const QString &name : { u"/postmaster.pid"_s, u"/.s.PGSQL.5432.lock"_s }) {
                QFile file(folder + name);
                QVERIFY(file.open(QIODevice::WriteOnly));
                file.write(lock);
            }
        } else {
            // A session that died while its postmaster could not take the
            // parent-death signal (stopped): the postmaster outlives it.
            QVERIFY(helper.start(folder));
            lockPid = helper.postmaster();
            ::kill(lockPid, SIGSTOP);
            ::kill(pid_t(helper.process.processId()), SIGKILL);
            QVERIFY(helper.process.waitForFinished(5000));
            QVERIFY(sa::platform::isAlive(lockPid));
        }

        PostgresCluster cluster;
        QString why;
        QVERIFY2(startAndWait(cluster, settingsFor(folder), &why), qPrintable(why));
        QVERIFY(cluster.pid() != lockPid);
        if (holder == u"other"_s)
            QVERIFY2(sa::platform::isAlive(lockPid), "the program now holding that pid must be left alone");
        if (holder == u"leftover"_s)
            QVERIFY(!sa::platform::isAlive(lockPid));
        QVERIFY(stopAndWait(cluster));
        QVERIFY(runningIn(folder).isEmpty());
        if (other.state() != QProcess::NotRunning) {
            other.kill();
            other.waitForFinished();
        }
    }

    void anotherSessionsClusterIsAlreadyRunning()
    {
        const QString folder = copyOfBase(u"busy"_s);
        Helper helper;
        QVERIFY(helper.start(folder));
        {
            PostgresCluster cluster;
            QSignalSpy failed(&cluster, &PostgresCluster::failed);
            cluster.start(settingsFor(folder));
            QVERIFY(failed.wait(kReadyMs));
            QCOMPARE(failed.constFirst().at(0).value<PostgresCluster::Failure>(),
                PostgresCluster::Failure::AlreadyRunning);
            const QString reason = failed.constFirst().at(1).toString();
            QVERIFY2(reason.contains(QString::number(helper.process.processId())), qPrintable(reason));
        }
        // The other session's cluster is untouched and stops with its owner.
        QVERIFY(sa::platform::isAlive(helper.postmaster()));
        helper.process.closeWriteChannel();
        QVERIFY(helper.process.waitForFinished(30000));
        QCOMPARE(helper.process.exitCode(), 0);
        QVERIFY(runningIn(folder).isEmpty());
    }

    void missingInitdbSaysWhatToInstall()
    {
        QTemporaryDir empty;
        PostgresCluster::Settings settings = settingsFor(m_root.filePath(u"no-initdb"_s));
        settings.binDir = empty.path();
        expectFailure(settings, PostgresCluster::Failure::NotInstalled, u"postgresql-15"_s);
        QVERIFY(!QFileInfo::exists(settings.dataFolder));
    }

    void takenPortIsAClearFailure()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        PostgresCluster::Settings settings = settingsFor(copyOfBase(u"port-taken"_s));
        settings.port = squatter.serverPort();
        expectFailure(settings, PostgresCluster::Failure::PortTaken,
            u"port %1 on 127.0.0.1 is in use"_s.arg(squatter.serverPort()));
    }

    void deletedDataFolderIsRecreated()
    {
        const QString folder = copyOfBase(u"deleted"_s);
        QVERIFY(QDir(folder).removeRecursively());
        PostgresCluster cluster;
        QString why;
        QVERIFY2(startAndWait(cluster, settingsFor(folder), &why), qPrintable(why));
        QVERIFY(cluster.created());
        QVERIFY(cluster.seeded());
        QCOMPARE(psqlFor(cluster).run(u"SELECT count(*) FROM world"_s), u"10000"_s);

        // Gone from its place while it runs (moved away in one step: deleting
        // file by file races with the files PostgreSQL keeps writing): the
        // cluster is ended and says so.
        const QList<int> processes = runningIn(folder);
        QVERIFY(!processes.isEmpty());
        QSignalSpy exited(&cluster, &PostgresCluster::exitedUnexpectedly);
        const QString gone = folder + u".gone"_s;
        QVERIFY(QDir().rename(folder, gone));
        QVERIFY(exited.wait(10000));
        const QString reason = exited.constFirst().at(0).toString();
        QVERIFY2(reason.contains(u"was deleted"_s), qPrintable(reason));
        QVERIFY(!cluster.isRunning());
        for (int pid : processes)
            QVERIFY2(!sa::platform::isAlive(pid), qPrintable(u"pid %1 is still running"_s.arg(pid)));
        QVERIFY(QDir(gone).removeRecursively());
    }

    void damagedDataFolderSaysHowToRecreate()
    {
        const QString folder = copyOfBase(u"damaged"_s);
        QVERIFY(QFile::remove(folder + u"/global/pg_control"_s));
        expectFailure(settingsFor(folder), PostgresCluster::Failure::DataFolderDamaged,
            u"Delete the folder "_s + folder);
    }

    void folderThatIsNotOursIsLeftAlone()
    {
        const QString folder = m_root.filePath(u"not-ours"_s);
        QVERIFY(QDir().mkpath(folder));
        QFile file(folder + u"/notes.txt"_s);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("mine\n");
        file.close();
        expectFailure(settingsFor(folder), PostgresCluster::Failure::DataFolderUnusable,
            u"holds no PostgreSQL cluster"_s);
        QVERIFY(QFileInfo::exists(folder + u"/notes.txt"_s));
    }

    void unreachableFolderAsRootIsAClearFailure()
    {
        if (geteuid() != 0)
            QSKIP("only root runs PostgreSQL as another user");
        const QString closed = m_root.filePath(u"closed"_s);
        QVERIFY(QDir().mkpath(closed));
        QVERIFY(::chmod(QFile::encodeName(closed).constData(), 0700) == 0);
        expectFailure(settingsFor(closed + u"/data"_s), PostgresCluster::Failure::DataFolderUnusable,
            closed + u" is not searchable by that user (mode 0700)"_s);
    }
};

QTEST_GUILESS_MAIN(TestPostgresCluster)
#include "tst_postgrescluster.moc"
