// ResultStore on real SQLite files: round trip, list/compare/delete, migration
// from schema 1, a corrupt file moved aside (never over an earlier one), a reader
// while another connection writes, a file from a newer app refused; and what is
// not corruption, each with its own message, the file neither moved nor changed:
// a full disk (a real 5 MB tmpfs), a lock held by another process, a read-only
// file, folder and mount (read-only bind mounts), a missing file, a damaged row.

#include "store/resultstore.h"

#include "../fixtures/privatemounts.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace sa::bench;
using sa::store::ResultStore;

namespace {

RunResult makeRun(double ginRps, int minute = 0)
{
    RunResult run;
    run.startedAt = QDateTime(QDate(2026, 11, 27), QTime(1, minute, 0), Qt::UTC);
    run.finishedAt = run.startedAt.addSecs(30);
    run.plan.targetIds = { u"go-gin"_s, u"python-fastapi"_s };
    run.machine.cpuModel = u"Test CPU"_s;
    run.machine.logicalCores = 2;
    run.machine.memoryBytes = 24LL << 30;
    TargetResult gin;
    gin.status = TargetStatus::Completed;
    gin.targetId = u"go-gin"_s;
    gin.connections = 1000;
    gin.requestsPerSecond = ginRps;
    gin.requests = qint64(ginRps * 10);
    gin.latency.p99Us = 5000;
    gin.memory.peakPssBytes = 20 << 20;
    IntervalSample sample;
    sample.tSeconds = 1;
    sample.requestsPerSecond = ginRps;
    gin.timeline = { sample, sample };
    TargetResult fastapi = gin;
    fastapi.targetId = u"python-fastapi"_s;
    fastapi.requestsPerSecond = 3000;
    fastapi.status = TargetStatus::Failed;
    fastapi.failureReason = u"did not start"_s;
    run.targets = { gin, fastapi };
    return run;
}

QByteArray digest(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

// A history with `runs` runs, closed cleanly (its WAL checkpointed into the file).
bool makeHistory(const QString &path, int runs)
{
    ResultStore store(path);
    QString error;
    if (!store.open(&error))
        return false;
    for (int i = 0; i < runs; ++i) {
        RunResult run = makeRun(1000 + i, i);
        if (!store.save(run, &error))
            return false;
    }
    return true;
}

QStringList setAside(const QString &folder)
{
    return QDir(folder).entryList({ u"*.corrupt-*"_s }, QDir::Files);
}

} // namespace

class TestResultStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString why;
        QVERIFY2(sa::tests::enterPrivateMountNamespace(&why), qPrintable(why));
    }

    void roundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"sub/history.sqlite"_s);
        qint64 id = -1;
        RunResult run = makeRun(40000);
        {
            ResultStore store(path);
            QString error;
            QVERIFY2(store.open(&error), qPrintable(error));
            QVERIFY(store.recoveryMessage().isEmpty());
            const auto saved = store.save(run, &error);
            QVERIFY2(saved, qPrintable(error));
            id = *saved;
            QCOMPARE(run.id, id);
        }
        // A second store on the same file, as the next session would open it.
        ResultStore store(path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        const auto loaded = store.load(id, &error);
        QVERIFY2(loaded, qPrintable(error));
        QCOMPARE(loaded->toJson(), run.toJson());
        QCOMPARE(store.latestId(), id);

        const auto runs = store.list(&error);
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.at(0).id, id);
        QCOMPARE(runs.at(0).targetIds, (QStringList { u"go-gin"_s, u"python-fastapi"_s }));
        QCOMPARE(runs.at(0).failedCount, 1);
        QCOMPARE(runs.at(0).cellCount, 2);
        QCOMPARE(runs.at(0).bestTargetId, u"go-gin"_s);
        QCOMPARE(runs.at(0).bestRequestsPerSecond, 40000.0);
        QVERIFY(runs.at(0).machine.contains(u"Test CPU"_s));
        QCOMPARE(runs.at(0).startedAt, run.startedAt);

        QVERIFY(!store.load(id + 100, &error));
        QVERIFY2(error.contains(u"no run"_s), qPrintable(error));
    }

    void compareAndDelete()
    {
        QTemporaryDir dir;
        ResultStore store(dir.filePath(u"h.sqlite"_s));
        QString error;
        QVERIFY(store.open(&error));
        RunResult a = makeRun(40000, 1), b = makeRun(50000, 2);
        b.targets.append(b.targets.at(0));
        b.targets.last().targetId = u"go-echo"_s;
        const qint64 idA = *store.save(a, &error), idB = *store.save(b, &error);
        QCOMPARE(store.list().constFirst().id, idB); // newest first

        const auto comparison = store.compare(idA, idB, &error);
        QVERIFY2(comparison, qPrintable(error));
        QCOMPARE(comparison->cells.size(), 3);
        const auto &gin = comparison->cells.at(0);
        QCOMPARE(gin.targetId, u"go-gin"_s);
        QVERIFY(gin.inA && gin.inB);
        QCOMPARE(gin.requestsPerSecondChangePercent, 25.0);
        QVERIFY(!comparison->cells.at(1).inA); // failed in both: no change figure
        QCOMPARE(comparison->cells.at(2).targetId, u"go-echo"_s);
        QVERIFY(!comparison->cells.at(2).inA && comparison->cells.at(2).inB);
        QVERIFY2(comparison->differences.isEmpty(), qPrintable(comparison->differences.join(u'|')));

        // Not measured alike: a longer window, a newer generator that polled, another kernel.
        RunResult c = b;
        c.plan.durationSeconds = 10;
        c.machine.kernel = u"6.18.44"_s;
        c.machine.versions.insert(u"stackadvisor-load"_s, u"2.1.0"_s);
        for (TargetResult &t : c.targets)
            t.loadIdle = u"poll-if-alone"_s;
        const qint64 idC = *store.save(c, &error);
        const auto across = store.compare(idA, idC, &error);
        QVERIFY2(across, qPrintable(error));
        QCOMPARE(across->differences,
            (QStringList { u"Kernel: not recorded → 6.18.44"_s, u"stackadvisor-load: not recorded → 2.1.0"_s,
                u"Measured window: 5 s → 10 s"_s,
                // go-gin and python-fastapi are in both runs; go-echo only in C.
                u"Load generator with nothing to do: not recorded → polled while its CPU was its own (2 cells)"_s }));
        QCOMPARE(sa::store::runDifferences(c, c), QStringList {});

        QVERIFY2(store.remove(idA, &error), qPrintable(error));
        QCOMPARE(store.list().size(), 2);
        QVERIFY(!store.remove(idA, &error));
        QVERIFY2(error.contains(u"no run"_s), qPrintable(error));
        QVERIFY(!store.compare(idA, idB, &error));
    }

    void migratesFromSchema1()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"old.sqlite"_s);
        RunResult old = makeRun(30000);
        {
            // Schema 1 as it shipped: the JSON only.
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"schema1"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(
                q.exec(u"CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL,"
                       " status TEXT NOT NULL, result_json TEXT NOT NULL)"_s));
            QVERIFY(q.prepare(
                u"INSERT INTO runs (started_at, status, result_json) VALUES (?, 'completed', ?)"_s));
            q.addBindValue(old.startedAt.toString(Qt::ISODateWithMs));
            q.addBindValue(QString::fromUtf8(QJsonDocument(old.toJson()).toJson()));
            QVERIFY(q.exec());
            QVERIFY(q.exec(u"PRAGMA user_version = 1"_s));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"schema1"_s);

        ResultStore store(path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        const auto runs = store.list(&error);
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.at(0).bestTargetId, u"go-gin"_s); // from the new cells table
        QCOMPARE(runs.at(0).cellCount, 2);
        QVERIFY(runs.at(0).machine.contains(u"Test CPU"_s));
        QVERIFY(store.load(runs.at(0).id, &error));
        RunResult next = makeRun(1);
        QVERIFY(store.save(next, &error));
        QCOMPARE(store.list().size(), 2);
    }

    // Every round of every cell, in the per-round table (schema 3), and the run
    // list says how many rounds a run had.
    void roundsAreStored()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"rounds.sqlite"_s);
        RunResult run = makeRun(40000);
        run.plan.rounds = 3;
        TargetResult &gin = run.targets[0];
        for (int r = 1; r <= 3; ++r) {
            TargetResult round = gin;
            round.round = r;
            round.runPosition = (r - 1) * 2 + (r == 2 ? 1 : 0);
            round.requestsPerSecond = 39000 + 1000 * r;
            gin.rounds.push_back(round);
        }
        QString error;
        qint64 id = -1;
        {
            ResultStore store(path);
            QVERIFY2(store.open(&error), qPrintable(error));
            const auto saved = store.save(run, &error);
            QVERIFY2(saved, qPrintable(error));
            id = *saved;
            QCOMPARE(store.list().first().rounds, 3);
            const auto back = store.load(id, &error);
            QVERIFY2(back, qPrintable(error));
            QCOMPARE(back->targets.at(0).rounds.size(), size_t(3));
        }
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"rounds-check"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"SELECT position, round, run_position, requests_per_sec FROM cell_rounds"
                           " WHERE run_id = %1 ORDER BY position, round"_s.arg(id)));
            QList<QList<double>> rows;
            while (q.next())
                rows << QList<double> { q.value(0).toDouble(), q.value(1).toDouble(), q.value(2).toDouble(),
                    q.value(3).toDouble() };
            // Gin's three rounds, and FastAPI (a cell without rounds) as its own only round.
            QCOMPARE(rows,
                (QList<QList<double>> {
                    { 0, 1, 0, 40000 }, { 0, 2, 3, 41000 }, { 0, 3, 4, 42000 }, { 1, 1, 1, 3000 } }));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"rounds-check"_s);
    }

    // A schema-2 history gains the rounds table, one round per cell it holds.
    void migratesFromSchema2()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"two.sqlite"_s);
        QString error;
        {
            ResultStore store(path);
            QVERIFY2(store.open(&error), qPrintable(error));
            RunResult run = makeRun(30000);
            QVERIFY(store.save(run, &error));
        }
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"schema2"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"DROP TABLE cell_rounds"_s));
            QVERIFY(q.exec(u"PRAGMA user_version = 2"_s));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"schema2"_s);
        {
            ResultStore store(path);
            QVERIFY2(store.open(&error), qPrintable(error));
            QCOMPARE(store.list().size(), 1);
        }
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"schema3"_s);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(u"PRAGMA user_version"_s) && q.next());
        QCOMPARE(q.value(0).toInt(), ResultStore::kSchemaVersion);
        QVERIFY(q.exec(u"SELECT COUNT(*), MAX(round) FROM cell_rounds"_s) && q.next());
        QCOMPARE(q.value(0).toInt(), 2);
        QCOMPARE(q.value(1).toInt(), 1);
        q.finish();
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"schema3"_s);
    }

    void corruptFileMovedAside()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"h.sqlite"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(8192, 'x'));
        file.close();

        ResultStore store(path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        QVERIFY(!store.recoveryMessage().isEmpty());
        QVERIFY2(store.recoveryMessage().contains(u"moved to"_s), qPrintable(store.recoveryMessage()));
        const QStringList aside = QDir(dir.path()).entryList({ u"h.sqlite.corrupt-*"_s });
        QCOMPARE(aside.size(), 1);
        QFile moved(dir.filePath(aside.first()));
        QVERIFY(moved.open(QIODevice::ReadOnly));
        QCOMPARE(moved.readAll(), QByteArray(8192, 'x'));
        RunResult run = makeRun(1);
        QVERIFY(store.save(run, &error));
        QCOMPARE(store.list().size(), 1);
    }

    void setAsideNamesNeverCollide()
    {
        // Two recoveries in the same second: the second must not take (or delete)
        // the first one's name. The names of this second and the next are taken
        // beforehand by files that must come out untouched.
        QTemporaryDir dir;
        const QString path = dir.filePath(u"h.sqlite"_s);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QStringList earlier;
        for (const QDateTime &time : { now, now.addSecs(1) }) {
            const QString name = path + u".corrupt-"_s + time.toString(u"yyyyMMdd-HHmmss"_s);
            QFile file(name);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("an earlier recovery");
            earlier << name;
        }
        for (const char *content : { "first garbage", "second garbage" }) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(QByteArray(content).repeated(500));
            file.close();
            ResultStore store(path);
            QString error;
            QVERIFY2(store.open(&error), qPrintable(error));
            QVERIFY(store.recoveryMessage().contains(u"moved to"_s));
        }
        const QStringList aside = setAside(dir.path());
        QCOMPARE(aside.size(), 4);
        for (const QString &name : std::as_const(earlier)) {
            QFile file(name);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QCOMPARE(file.readAll(), QByteArray("an earlier recovery"));
        }
        QStringList contents;
        for (const QString &name : aside) {
            QFile file(dir.filePath(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            contents << QString::fromLatin1(file.readAll().left(14));
        }
        QVERIFY(contents.contains(u"first garbagef"_s));
        QVERIFY(contents.contains(u"second garbage"_s));
    }

    void fullDiskKeepsTheHistory()
    {
        // A real 5 MB file system, filled to the last block.
        const QString disk = m_dir.filePath(u"full"_s);
        QString why;
        QVERIFY2(sa::tests::mountTmpfs(disk, 5 << 20, &why), qPrintable(why));
        auto unmount = qScopeGuard([&disk] { sa::tests::unmount(disk); });
        const QString path = disk + u"/history.sqlite"_s;
        QVERIFY(makeHistory(path, 21));
        const QByteArray before = digest(path);
        QVERIFY(sa::tests::fillDisk(disk));

        {
            ResultStore store(path);
            QString error;
            QVERIFY2(store.open(&error), qPrintable(error)); // readable still
            QVERIFY(store.recoveryMessage().isEmpty());
            QVERIFY(store.isReadOnly());
            QVERIFY2(store.readOnlyReason().contains(u"disk holding it is full"_s),
                qPrintable(store.readOnlyReason()));
            QCOMPARE(store.list(&error).size(), 21); // not "no runs yet"
            QVERIFY(store.load(*store.latestId(), &error));
            QVERIFY(!store.checkWritable(&error));
            QVERIFY2(error.contains(u"full"_s) && error.contains(path), qPrintable(error));
            RunResult run = makeRun(5);
            QVERIFY(!store.save(run, &error));
            QVERIFY2(error.contains(u"full"_s), qPrintable(error));
        }
        QVERIFY(setAside(disk).isEmpty()); // nothing moved
        QCOMPARE(digest(path), before); // nor changed

        // Space again: the same 21 runs, writable.
        sa::tests::emptyDisk(disk);
        ResultStore store(path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        QVERIFY(!store.isReadOnly());
        QVERIFY2(store.checkWritable(&error), qPrintable(error));
        QCOMPARE(store.list().size(), 21);
    }

    void almostFullDiskRefusedBeforeARun()
    {
        const QString disk = m_dir.filePath(u"almost"_s);
        QString why;
        QVERIFY2(sa::tests::mountTmpfs(disk, 5 << 20, &why), qPrintable(why));
        auto unmount = qScopeGuard([&disk] { sa::tests::unmount(disk); });
        const QString path = disk + u"/history.sqlite"_s;
        QVERIFY(makeHistory(path, 2));
        QVERIFY(sa::tests::fillDisk(disk, 300 * 1024));
        ResultStore store(path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        QVERIFY(!store.isReadOnly()); // it opens for writing, and says before a run that a run will not fit
        QVERIFY(!store.checkWritable(&error));
        QVERIFY2(error.contains(u"is nearly full: "_s) && error.contains(u" KiB free"_s)
                && error.contains(u"free some space"_s),
            qPrintable(error));
        QCOMPARE(store.list().size(), 2);
    }

    void lockedHistoryIsNotCorrupt()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"h.sqlite"_s);
        QVERIFY(makeHistory(path, 3));
        const QByteArray before = digest(path);
        // Another program holding SQLite's exclusive lock.
        QProcess holder;
        holder.start(u"python3"_s,
            { u"-c"_s,
                u"import sqlite3, sys, time\n"
                "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                "c.execute('PRAGMA locking_mode=EXCLUSIVE'); c.execute('BEGIN EXCLUSIVE')\n"
                "c.execute('SELECT COUNT(*) FROM runs').fetchall()\n"
                "print('locked', flush=True); time.sleep(60)"_s,
                path });
        QVERIFY(holder.waitForReadyRead(10000));
        auto guard = qScopeGuard([&holder] {
            holder.kill();
            holder.waitForFinished(3000);
        });
        QCOMPARE(holder.readAllStandardOutput().trimmed(), QByteArray("locked"));
        {
            ResultStore store(path);
            QString error;
            QVERIFY(!store.open(&error));
            QVERIFY2(error.contains(u"locked by another program"_s), qPrintable(error));
            QVERIFY2(error.contains(u"pid %1 (python3)"_s.arg(holder.processId())), qPrintable(error));
            QVERIFY2(error.contains(path), qPrintable(error));
            QVERIFY(store.recoveryMessage().isEmpty());
        }
        QVERIFY(setAside(dir.path()).isEmpty());
        QCOMPARE(digest(path), before); // the holder only read
        holder.kill();
        holder.waitForFinished(3000);
        ResultStore store(path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        QCOMPARE(store.list().size(), 3);
    }

    void readOnlyHistoryCanBeRead_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("reason");
        QTest::addRow("read-only file") << u"file"_s << u"the file is on a read-only file system"_s;
        QTest::addRow("read-only folder") << u"folder"_s << u"is on a read-only file system"_s;
        QTest::addRow("read-only mount") << u"mount"_s << u"is on a read-only file system"_s;
    }

    void readOnlyHistoryCanBeRead()
    {
        QFETCH(QString, what);
        QFETCH(QString, reason);
        const QString folder = m_dir.filePath(u"ro-"_s + what);
        QVERIFY(QDir().mkpath(folder));
        QString why;
        if (what == u"mount"_s)
            QVERIFY2(sa::tests::mountTmpfs(folder, 1 << 20, &why), qPrintable(why));
        const QString path = folder + u"/history.sqlite"_s;
        QVERIFY(makeHistory(path, 4));
        const QByteArray before = digest(path);
        const QString mounted = what == u"file"_s ? path : folder;
        if (what == u"mount"_s)
            QVERIFY2(sa::tests::remountReadOnly(folder, &why), qPrintable(why));
        else
            QVERIFY2(sa::tests::bindReadOnly(mounted, &why), qPrintable(why));
        auto unmount = qScopeGuard([&mounted] { sa::tests::unmount(mounted); });

        ResultStore store(path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        QVERIFY(store.isReadOnly());
        QVERIFY2(store.readOnlyReason().contains(reason), qPrintable(store.readOnlyReason()));
        QCOMPARE(store.list(&error).size(), 4);
        const auto run = store.load(*store.latestId(), &error);
        QVERIFY2(run, qPrintable(error));
        QVERIFY(store.compare(1, 2, &error));
        QVERIFY(!store.checkWritable(&error));
        QVERIFY2(
            error.contains(u"can be read but not written"_s) && error.contains(reason), qPrintable(error));
        RunResult next = makeRun(1);
        QVERIFY(!store.save(next, &error));
        QVERIFY2(error.contains(u"can be read but not written"_s), qPrintable(error));
        QVERIFY(!store.remove(1, &error));
        QVERIFY2(
            !error.contains(u"move or delete"_s), qPrintable(error)); // no advice to delete a healthy file
        QVERIFY(setAside(folder).isEmpty());
        QCOMPARE(digest(path), before);
    }

    void missingHistoryOpenedForReading()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"never/history.sqlite"_s);
        ResultStore store(path);
        QString error;
        QVERIFY2(store.open(&error, ResultStore::OpenMode::ReadOnly), qPrintable(error));
        QVERIFY(store.list(&error).isEmpty());
        QVERIFY(error.isEmpty());
        QVERIFY(!store.latestId());
        ResultStore::LoadFailure failure = ResultStore::LoadFailure::None;
        QVERIFY(!store.load(1, &error, &failure));
        QCOMPARE(failure, ResultStore::LoadFailure::NoSuchRun);
        QVERIFY2(error.contains(u"does not exist yet"_s), qPrintable(error));
        QVERIFY(!QFileInfo::exists(dir.filePath(u"never"_s))); // reading creates nothing
    }

    void damagedRowSaysDamaged()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"h.sqlite"_s);
        QVERIFY(makeHistory(path, 2));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"damage"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(
                u"UPDATE runs SET result_json = '{\"schema\": \"stackadvisor-run\", trunc' WHERE id = 1"_s));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"damage"_s);
        ResultStore store(path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        QCOMPARE(store.list().size(), 2); // still listed
        ResultStore::LoadFailure failure = ResultStore::LoadFailure::None;
        QVERIFY(!store.load(1, &error, &failure));
        QCOMPARE(failure, ResultStore::LoadFailure::Damaged);
        QVERIFY2(error.contains(u"run 1 is damaged"_s), qPrintable(error));
        QVERIFY(store.load(2, &error, &failure));
        QCOMPARE(failure, ResultStore::LoadFailure::None);
        QVERIFY(!store.load(3, &error, &failure));
        QCOMPARE(failure, ResultStore::LoadFailure::NoSuchRun);
    }

    void newerSchemaRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"new.sqlite"_s);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"newer"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"PRAGMA user_version = 99"_s));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"newer"_s);
        ResultStore store(path);
        QString error;
        QVERIFY(!store.open(&error));
        QVERIFY2(error.contains(u"newer"_s), qPrintable(error));
        QVERIFY(QFile::exists(path)); // not moved aside: it is not corrupt
    }

    void unwritableFolder()
    {
        QTemporaryDir dir;
        QFile blocker(dir.filePath(u"file"_s));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        ResultStore store(dir.filePath(u"file/h.sqlite"_s));
        QString error;
        QVERIFY(!store.open(&error));
        QVERIFY2(error.contains(u"cannot create the folder"_s), qPrintable(error));
        QVERIFY2(
            error.contains(dir.filePath(u"file"_s)), qPrintable(error)); // and why: which path is in the way
    }

    void readerWhileWriting()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"h.sqlite"_s);
        {
            ResultStore init(path);
            QVERIFY(init.open(nullptr));
        }
        constexpr int kRuns = 30;
        std::atomic<bool> writerOk { true };
        std::atomic<bool> writerDone { false };
        QThread *writer = QThread::create([&] {
            ResultStore store(path);
            QString error;
            if (!store.open(&error)) {
                writerOk = false;
                writerDone = true;
                return;
            }
            for (int i = 0; i < kRuns && writerOk; ++i) {
                RunResult run = makeRun(1000 + i);
                // Heavy runs so that each transaction takes a while.
                for (int t = 0; t < 200; ++t)
                    run.targets[0].timeline.append(run.targets[0].timeline.constFirst());
                if (!store.save(run, &error))
                    writerOk = false;
            }
            writerDone = true;
        });
        writer->start();
        ResultStore reader(path);
        QString error;
        QVERIFY2(reader.open(&error), qPrintable(error));
        qsizetype last = 0;
        int reads = 0;
        while (!writerDone) {
            const auto runs = reader.list(&error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QVERIFY(runs.size() >= last); // never a half run, never a step back
            for (const auto &summary : runs)
                QCOMPARE(summary.cellCount, 2);
            last = runs.size();
            ++reads;
        }
        writer->wait();
        delete writer;
        QVERIFY(writerOk);
        QVERIFY(reads > 0);
        QCOMPARE(reader.list().size(), kRuns);
    }
};

QTEST_GUILESS_MAIN(TestResultStore)
#include "tst_resultstore.moc"
