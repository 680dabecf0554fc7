// `stackadvisor bench` and `stackadvisor servers` as a user runs them: exit
// codes, stdout/stderr, JSON/CSV exports, the history; Ctrl-C saves a cancelled
// run; SIGKILL in the middle of a run leaves no server or load process behind.

#include "platform/processcontrol.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

namespace {

const QString kApp = QStringLiteral(STACKADVISOR_BIN_DIR "/stackadvisor");
const QString kFixtureServer = QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/fixtures/bench_server.py");

struct Result
{
    int exitCode = -1;
    QString out;
    QString err;
};

QJsonObject fixtureEntry(const QString &id, const QString &mode, const QString &program = u"python3"_s)
{
    QJsonObject entry;
    entry.insert(u"id"_s, id);
    entry.insert(u"name"_s, QString(u"Fixture "_s + mode));
    entry.insert(u"language"_s, u"Python"_s);
    entry.insert(u"program"_s, program);
    entry.insert(u"arguments"_s, QJsonArray::fromStringList({ kFixtureServer, u"--mode"_s, mode }));
    return entry;
}

// Kills every process a stackadvisor process started, then the process itself.
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

} // namespace

class TestBenchCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // Keep the user's real history and config out of it.
        env.insert(u"XDG_DATA_HOME"_s, m_dir.filePath(u"data"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"config"_s));
        env.insert(u"STACKADVISOR_USER_CATALOG"_s, m_dir.filePath(u"user.json"_s));
        return env;
    }

    void start(QProcess &process, const QStringList &arguments) const
    {
        process.setProcessEnvironment(environment());
        process.start(kApp, arguments);
    }

    Result run(const QStringList &arguments, int timeoutMs = 60000) const
    {
        QProcess process;
        auto guard = qScopeGuard([&process] { endAll(process); });
        start(process, arguments);
        Result result;
        if (!process.waitForFinished(timeoutMs))
            return result;
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        result.out = QString::fromUtf8(process.readAllStandardOutput());
        result.err = QString::fromUtf8(process.readAllStandardError());
        return result;
    }

    QString db() const { return m_dir.filePath(u"history.sqlite"_s); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QFile::exists(kApp));
        QJsonArray entries { fixtureEntry(u"fx-ok"_s, u"ok"_s), fixtureEntry(u"fx-errors"_s, u"errors"_s),
            fixtureEntry(u"fx-missing"_s, u"ok"_s, u"/nonexistent/fx-missing"_s) };
        QFile file(m_dir.filePath(u"user.json"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            QJsonDocument(QJsonObject { { u"schemaVersion"_s, 1 }, { u"servers"_s, entries } }).toJson());
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("expected");
        QTest::addRow("unknown target")
            << QStringList { u"--targets"_s, u"go-nope"_s } << u"unknown target 'go-nope'"_s;
        QTest::addRow("bad duration") << QStringList { u"--duration"_s, u"soon"_s } << u"--duration 'soon'"_s;
        QTest::addRow("bad scenario") << QStringList { u"--scenario"_s, u"xml"_s } << u"--scenario 'xml'"_s;
        QTest::addRow("bad connections")
            << QStringList { u"--connections"_s, u"many"_s } << u"--connections 'many'"_s;
        QTest::addRow("bad cpus") << QStringList { u"--targets"_s, u"fx-ok"_s, u"--load-cpus"_s, u"999"_s }
                                  << u"CPU 999"_s;
        QTest::addRow("unknown option") << QStringList { u"--fast"_s } << u"fast"_s;
        QTest::addRow("bad run id") << QStringList { u"--show"_s, u"abc"_s } << u"'abc' is not a run id"_s;
        QTest::addRow("absent run") << QStringList { u"--show"_s, u"9999"_s } << u"no run 9999"_s;
        QTest::addRow("bad compare") << QStringList { u"--compare"_s, u"1"_s }
                                     << u"--compare takes two run ids"_s;
    }

    void badInput()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expected);
        const Result result = run(QStringList { u"bench"_s, u"--db"_s, db() } + arguments);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(expected), qPrintable(result.err));
        QVERIFY(result.out.isEmpty());
    }

    void servers()
    {
        const Result result = run({ u"servers"_s });
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains(u"go-gin"_s));
        QVERIFY(result.out.contains(u"fx-ok"_s));
        QVERIFY(result.out.contains(u"fx-missing"_s));
        QVERIFY2(result.out.contains(u"unavailable: program '/nonexistent/fx-missing' not found"_s),
            qPrintable(result.out));
        const Result json = run({ u"servers"_s, u"--json"_s });
        QCOMPARE(json.exitCode, 0);
        const QJsonArray list
            = QJsonDocument::fromJson(json.out.toUtf8()).object().value(u"servers"_s).toArray();
        QVERIFY(list.size() >= 11);

        QFile bad(m_dir.filePath(u"bad.json"_s));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{\"servers\":[{\"id\":\"x\",\"language\":\"Go\"}]}");
        bad.close();
        const Result invalid = run({ u"servers"_s, u"--catalog"_s, bad.fileName() });
        QCOMPARE(invalid.exitCode, 2);
        QVERIFY2(invalid.err.contains(u"entry 1 (x): field 'program' is missing"_s), qPrintable(invalid.err));
    }

    void runExportsAndHistory()
    {
        const QString json = m_dir.filePath(u"run.json"_s), csv = m_dir.filePath(u"run.csv"_s);
        const Result result = run({ u"bench"_s, u"--targets"_s, u"fx-ok,fx-errors,fx-missing"_s,
            u"--connections"_s, u"10"_s, u"--duration"_s, u"1s"_s, u"--warmup"_s, u"0s"_s, u"--db"_s, db(),
            u"--json"_s, json, u"--csv"_s, csv });
        // Failed targets: exit 1, each with its reason; the others completed.
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(
            result.out.contains(u"fx-ok"_s) && result.out.contains(u"completed"_s), qPrintable(result.out));
        QVERIFY2(result.out.contains(u"fx-errors: Failed: "_s), qPrintable(result.out));
        QVERIFY2(result.out.contains(u"fx-missing: Failed: "_s), qPrintable(result.out));
        QVERIFY(result.out.contains(u"The article's claims on this machine"_s));
        QVERIFY(result.out.contains(u"Saved as run"_s));
        QVERIFY2(result.err.contains(u"[1/3] fx-ok"_s), qPrintable(result.err));

        QFile jsonFile(json);
        QVERIFY(jsonFile.open(QIODevice::ReadOnly));
        const QJsonObject exported = QJsonDocument::fromJson(jsonFile.readAll()).object();
        QCOMPARE(exported.value(u"schema"_s).toString(), u"stackadvisor-run"_s);
        const QJsonArray targets = exported.value(u"targets"_s).toArray();
        QCOMPARE(targets.size(), 3);
        QCOMPARE(targets.at(0).toObject().value(u"status"_s).toString(), u"completed"_s);
        QVERIFY(targets.at(0).toObject().value(u"requestsPerSecond"_s).toDouble() > 0);
        QVERIFY(!targets.at(2).toObject().value(u"failureReason"_s).toString().isEmpty());
        QFile csvFile(csv);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        QVERIFY(csvFile.readAll().startsWith("target_id,"));

        const Result history = run({ u"bench"_s, u"--db"_s, db(), u"--history"_s });
        QCOMPARE(history.exitCode, 0);
        QVERIFY2(history.out.contains(u"fx-ok,fx-errors,fx-missing (2 failed)"_s), qPrintable(history.out));
        const Result show = run({ u"bench"_s, u"--db"_s, db(), u"--show"_s, u"latest"_s });
        QCOMPARE(show.exitCode, 0);
        QVERIFY(show.out.contains(u"fx-errors: Failed: "_s));
        const Result compare = run({ u"bench"_s, u"--db"_s, db(), u"--compare"_s, u"latest,latest"_s });
        QCOMPARE(compare.exitCode, 0);
        QVERIFY2(compare.out.contains(u"(+0.0%)"_s), qPrintable(compare.out));
    }

    void interruptSavesCancelledRun()
    {
        QProcess process;
        auto guard = qScopeGuard([&process] { endAll(process); });
        start(process,
            { u"bench"_s, u"--targets"_s, u"fx-ok"_s, u"--connections"_s, u"10"_s, u"--duration"_s, u"30s"_s,
                u"--warmup"_s, u"0s"_s, u"--db"_s, db() });
        QVERIFY(process.waitForStarted());
        process.setReadChannel(QProcess::StandardError); // the progress lines
        QByteArray err;
        while (!err.contains("measuring")) {
            QVERIFY2(process.waitForReadyRead(20000), err.constData());
            err += process.readAllStandardError();
        }
        const qint64 pid = process.processId();
        QVERIFY(!sa::platform::processesOwnedBy(int(pid)).isEmpty());
        ::kill(pid_t(pid), SIGINT);
        QVERIFY(process.waitForFinished(15000));
        QCOMPARE(process.exitCode(), 130);
        QVERIFY(sa::platform::processesOwnedBy(int(pid)).isEmpty());
        const Result history = run({ u"bench"_s, u"--db"_s, db(), u"--history"_s });
        QVERIFY2(history.out.contains(u"cancelled"_s), qPrintable(history.out));
    }

    void sigkillLeavesNoOrphans_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<int>("minimumProcesses"); // the server's tree + the load generator
        QTest::addRow("fixture") << u"fx-ok"_s << 2;
        QTest::addRow("gunicorn master and workers") << u"python-django"_s << 4;
        QTest::addRow("uvicorn workers") << u"python-fastapi"_s << 3;
        QTest::addRow("node cluster") << u"node-express"_s << 4;
        QTest::addRow("go") << u"go-gin"_s << 2;
    }

    void sigkillLeavesNoOrphans()
    {
        QFETCH(QString, target);
        QFETCH(int, minimumProcesses);
        const Result servers = run({ u"servers"_s, u"--json"_s });
        for (const QJsonValue &entry :
            QJsonDocument::fromJson(servers.out.toUtf8()).object().value(u"servers"_s).toArray()) {
            if (entry.toObject().value(u"id"_s).toString() == target
                && !entry.toObject().value(u"available"_s).toBool())
                QSKIP(qPrintable(target + u" is not built: run `make servers`"_s));
        }
        QProcess process;
        auto guard = qScopeGuard([&process] { endAll(process); });
        start(process,
            { u"bench"_s, u"--targets"_s, target, u"--connections"_s, u"10"_s, u"--duration"_s, u"30s"_s,
                u"--warmup"_s, u"0s"_s, u"--workers"_s, u"2"_s, u"--db"_s, db() });
        QVERIFY(process.waitForStarted());
        process.setReadChannel(QProcess::StandardError); // the progress lines
        QByteArray err;
        while (!err.contains("measuring")) {
            QVERIFY2(process.waitForReadyRead(30000), err.constData());
            err += process.readAllStandardError();
        }
        const int pid = int(process.processId());
        const QList<int> children = sa::platform::processesOwnedBy(pid);
        QVERIFY2(
            children.size() >= minimumProcesses, qPrintable(u"only %1 processes"_s.arg(children.size())));
        ::kill(pid, SIGKILL);
        QVERIFY(process.waitForFinished(5000));
        // Parent-death signals: SIGKILL for the load generator, SIGTERM for the
        // server's master, which by the contract stops its workers within 5 s (a
        // SIGKILLed uvicorn master leaves workers that notice only 10–20 s later).
        QTRY_VERIFY2_WITH_TIMEOUT(sa::platform::processesOwnedBy(pid).isEmpty(),
            qPrintable(u"left behind: %1"_s.arg(sa::platform::processesOwnedBy(pid).size())), 8000);
    }

    void leftoversEndedAtStartUp()
    {
        // A process carrying the marker of an owner that no longer runs is a
        // leftover of a crashed session: the next bench ends it at start-up.
        QProcess orphan;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(sa::platform::ownerVariableName(), u"999999:1"_s); // no such owner
        orphan.setProcessEnvironment(env);
        orphan.start(u"sleep"_s, { u"60"_s });
        QVERIFY(orphan.waitForStarted());
        auto guard = qScopeGuard([&orphan] {
            orphan.kill();
            orphan.waitForFinished(2000);
        });
        const Result result = run({ u"bench"_s, u"--targets"_s, u"fx-ok"_s, u"--connections"_s, u"5"_s,
            u"--duration"_s, u"200ms"_s, u"--warmup"_s, u"0s"_s, u"--no-save"_s });
        QCOMPARE(result.exitCode, 0);
        QVERIFY(orphan.waitForFinished(3000));
        QCOMPARE(orphan.exitStatus(), QProcess::CrashExit);
    }
};

QTEST_GUILESS_MAIN(TestBenchCli)
#include "tst_bench_cli.moc"
