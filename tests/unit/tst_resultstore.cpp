// ResultStore on real SQLite files: round trip, list/compare/delete, migration
// from schema 1, a corrupt file moved aside, a reader while another connection
// writes, and a file from a newer app refused.

#include "store/resultstore.h"

#include <QFile>
#include <QJsonDocument>
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

} // namespace

class TestResultStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
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

        QVERIFY2(store.remove(idA, &error), qPrintable(error));
        QCOMPARE(store.list().size(), 1);
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
