// `stackadvisor bench` and `stackadvisor servers` as a user runs them: exit
// codes, stdout/stderr, JSON/CSV exports, the history; Ctrl-C saves a cancelled
// run; SIGKILL in the middle of a run leaves no server or load process behind,
// even one that ignores SIGTERM or left its tree. And what the history and the
// exports do on a real full disk (a 5 MB tmpfs), read-only (file, folder, mount),
// locked by another program, damaged or unopenable; out-of-range input refused
// before anything runs; leftovers that are not ours left alone; two benches at once.

#include "platform/cgroup.h"
#include "platform/processcontrol.h"
#include "platform/procfs.h"

#include "../fixtures/privatemounts.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlQuery>
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

QJsonObject fixtureEntry(const QString &id, const QString &mode, const QString &program = u"python3"_s,
    const QString &pidsFile = QString())
{
    QJsonObject entry;
    entry.insert(u"id"_s, id);
    entry.insert(u"name"_s, QString(u"Fixture "_s + mode));
    entry.insert(u"language"_s, u"Python"_s);
    entry.insert(u"program"_s, program);
    QStringList arguments { kFixtureServer, u"--mode"_s, mode };
    if (!pidsFile.isEmpty())
        arguments << u"--pids"_s << pidsFile;
    entry.insert(u"arguments"_s, QJsonArray::fromStringList(arguments));
    return entry;
}

QByteArray digest(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

QByteArray contentOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QStringList setAside(const QString &folder)
{
    return QDir(folder).entryList({ u"*.corrupt-*"_s }, QDir::Files);
}

// The cgroups a stackadvisor process made (stackadvisor-<its pid>-…) and left.
QStringList cgroupsOf(qint64 pid)
{
    const sa::platform::CgroupLayout layout = sa::platform::detectCgroupLayout();
    QStringList found;
    for (const QString &root : { layout.v2Own, layout.v1MemoryOwn }) {
        if (!root.isEmpty())
            found += QDir(root).entryList(
                { u"stackadvisor-%1-*"_s.arg(pid) }, QDir::Dirs | QDir::NoDotAndDotDot);
    }
    return found;
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
    QString pidsFile() const { return m_dir.filePath(u"escaped.pids"_s); }

    // A short real run of fx-ok into the history at path.
    bool benchInto(const QString &path) const
    {
        const Result result = run({ u"bench"_s, u"--targets"_s, u"fx-ok"_s, u"--connections"_s, u"5"_s,
            u"--rounds"_s, u"1"_s, u"--duration"_s, u"300ms"_s, u"--warmup"_s, u"0s"_s, u"--db"_s, path });
        if (result.exitCode != 0)
            qWarning("%s", qPrintable(result.err));
        return result.exitCode == 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QFile::exists(kApp));
        // Full and read-only disks of our own (privatemounts.h), seen by the app we start.
        QString why;
        QVERIFY2(sa::tests::enterPrivateMountNamespace(&why), qPrintable(why));
        QJsonArray entries { fixtureEntry(u"fx-ok"_s, u"ok"_s), fixtureEntry(u"fx-errors"_s, u"errors"_s),
            fixtureEntry(u"fx-missing"_s, u"ok"_s, u"/nonexistent/fx-missing"_s),
            fixtureEntry(u"fx-ignore-term"_s, u"ignore-term"_s),
            fixtureEntry(u"fx-escape"_s, u"escape=clear-env,escape=setsid"_s, u"python3"_s, pidsFile()) };
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
        // Out of range or not finite: refused with the limit, before anything runs.
        const QStringList ok { u"--targets"_s, u"fx-ok"_s };
        QTest::addRow("readiness 1e10")
            << ok + QStringList { u"--readiness-timeout"_s, u"1e10"_s }
            << u"readiness timeout must be more than 0 and at most 3600 seconds"_s;
        QTest::addRow("readiness nan")
            << ok + QStringList { u"--readiness-timeout"_s, u"nan"_s } << u"(got nan)"_s;
        QTest::addRow("warm-up nan") << ok + QStringList { u"--warmup"_s, u"nan"_s }
                                     << u"warm-up must be between 0 and 3600 seconds (got nan)"_s;
        QTest::addRow("rounds 0") << ok + QStringList { u"--rounds"_s, u"0"_s } << u"from 1 to 20"_s;
        QTest::addRow("rounds 21") << ok + QStringList { u"--rounds"_s, u"21"_s } << u"--rounds '21'"_s;
        QTest::addRow("duration inf") << ok + QStringList { u"--rounds"_s, u"1"_s, u"--duration"_s, u"inf"_s }
                                      << u"at most 3600 seconds (got inf)"_s;
        QTest::addRow("rate inf") << ok + QStringList { u"--rate"_s, u"inf"_s }
                                  << u"open-loop rate must be more than 0 and at most 10000000 requests/s"_s;
        QTest::addRow("rate nan") << ok + QStringList { u"--rate"_s, u"nan"_s } << u"(got nan)"_s;
        QTest::addRow("workers 100000") << ok + QStringList { u"--workers"_s, u"100000"_s }
                                        << u"workers must be between 1 and 256 server processes"_s;
        QTest::addRow("threads 100000") << ok + QStringList { u"--threads"_s, u"100000"_s }
                                        << u"load threads must be between 1 and 256"_s;
        QTest::addRow("connections 200000") << ok + QStringList { u"--connections"_s, u"200000"_s }
                                            << u"connections must be between 1 and 100000"_s;
    }

    void badInput()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expected);
        // A history of its own: bad input must not even create one.
        const QString history
            = m_dir.filePath(u"bad-input-%1.sqlite"_s.arg(QString::fromUtf8(QTest::currentDataTag())));
        const Result result = run(QStringList { u"bench"_s, u"--db"_s, history } + arguments);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(expected), qPrintable(result.err));
        QVERIFY(result.out.isEmpty());
        QVERIFY2(!result.err.contains(u"starting"_s), qPrintable(result.err)); // no server was started
        QVERIFY(!QFileInfo::exists(history));
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

        // A misspelt field is named, not ignored.
        QVERIFY(bad.open(QIODevice::WriteOnly | QIODevice::Truncate));
        bad.write("{\"servers\":[{\"id\":\"x\",\"language\":\"Go\",\"program\":\"/bin/"
                  "true\",\"readinesPath\":\"/r\"}]}");
        bad.close();
        const Result unknown = run({ u"servers"_s, u"--catalog"_s, bad.fileName() });
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(
            unknown.err.contains(u"entry 1 (x): unknown field 'readinesPath'"_s), qPrintable(unknown.err));

        // Control characters of a name are shown escaped, never sent to the terminal.
        QVERIFY(bad.open(QIODevice::WriteOnly | QIODevice::Truncate));
        bad.write("{\"servers\":[{\"id\":\"evil\",\"name\":\"Evil\\u001b[31mred\\u0007\",\"language\":\"Go\","
                  "\"program\":\"/nonexistent/\\u001b]0;title\\u0007\"}]}");
        bad.close();
        const Result evil = run({ u"servers"_s, u"--catalog"_s, bad.fileName() });
        QCOMPARE(evil.exitCode, 0);
        QVERIFY2(evil.out.contains(u"Evil\\x1b[31mred\\x07"_s), qPrintable(evil.out));
        QVERIFY2(evil.out.contains(u"/nonexistent/\\x1b]0;title\\x07"_s),
            qPrintable(evil.out)); // in the reason too
        QVERIFY(!evil.out.contains(QChar(0x1b)) && !evil.out.contains(QChar(0x07)));
    }

    void runExportsAndHistory()
    {
        const QString json = m_dir.filePath(u"run.json"_s), csv = m_dir.filePath(u"run.csv"_s);
        const Result result = run({ u"bench"_s, u"--targets"_s, u"fx-ok,fx-errors,fx-missing"_s,
            u"--connections"_s, u"10"_s, u"--rounds"_s, u"1"_s, u"--duration"_s, u"1s"_s, u"--warmup"_s,
            u"0s"_s, u"--db"_s, db(), u"--json"_s, json, u"--csv"_s, csv });
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
        // A run against itself was measured alike.
        QVERIFY2(!compare.out.contains(u"Not measured alike"_s), qPrintable(compare.out));
    }

    void interruptSavesCancelledRun()
    {
        QProcess process;
        auto guard = qScopeGuard([&process] { endAll(process); });
        start(process,
            { u"bench"_s, u"--targets"_s, u"fx-ok"_s, u"--connections"_s, u"10"_s, u"--rounds"_s, u"1"_s,
                u"--duration"_s, u"30s"_s, u"--warmup"_s, u"0s"_s, u"--db"_s, db() });
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
        // Its death signal (SIGTERM) is ignored: the watchdog ends it after the grace period.
        QTest::addRow("ignores SIGTERM") << u"fx-ignore-term"_s << 2;
        // Two daemons out of its tree, one without the marker in its environment.
        QTest::addRow("daemons out of its tree") << u"fx-escape"_s << 2;
    }

    void sigkillLeavesNoOrphans()
    {
        QFETCH(QString, target);
        QFETCH(int, minimumProcesses);
        QFile::remove(pidsFile());
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
            { u"bench"_s, u"--targets"_s, target, u"--connections"_s, u"10"_s, u"--rounds"_s, u"1"_s,
                u"--duration"_s, u"30s"_s, u"--warmup"_s, u"0s"_s, u"--workers"_s, u"2"_s, u"--db"_s, db() });
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
        // Those that carry no marker at all, found by the pids they wrote.
        QFile pids(pidsFile());
        if (pids.open(QIODevice::ReadOnly)) {
            for (const QByteArray &line : pids.readAll().split('\n')) {
                if (!line.isEmpty())
                    QTRY_VERIFY2_WITH_TIMEOUT(!sa::platform::isAlive(line.toInt()), line.constData(), 8000);
            }
        }
        QTRY_VERIFY2_WITH_TIMEOUT(cgroupsOf(pid).isEmpty(), qPrintable(cgroupsOf(pid).join(u", "_s)), 3000);
    }

    void leftoversEndedAtStartUp_data()
    {
        QTest::addColumn<QString>("program");
        QTest::addColumn<bool>("otherUser");
        QTest::addColumn<bool>("ended");
        // A crashed session's server: the marker of an owner gone, the catalog's
        // program and script (python3 bench_server.py).
        QTest::addRow("ours") << u"server"_s << false << true;
        // Anyone can set a marker: alone it proves nothing.
        QTest::addRow("marker alone") << u"sleep"_s << false << false;
        QTest::addRow("another user's") << u"server"_s << true << false;
    }

    void leftoversEndedAtStartUp()
    {
        QFETCH(QString, program);
        QFETCH(bool, otherUser);
        QFETCH(bool, ended);
        if (otherUser && ::geteuid() != 0)
            QSKIP("starting another user's process needs root");
        QProcess leftover;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(sa::platform::ownerVariableName(), u"999999:1"_s); // no such owner
        leftover.setProcessEnvironment(env);
        if (otherUser) {
            leftover.setChildProcessModifier([] {
                if (::setgid(65534) != 0 || ::setuid(65534) != 0)
                    ::_exit(126);
            });
        }
        env.insert(u"PORT"_s, u"0"_s);
        leftover.setProcessEnvironment(env);
        // The system's python: another user may not run the one under /root.
        if (program == u"sleep"_s)
            leftover.start(u"sleep"_s, { u"60"_s });
        else
            leftover.start(u"/usr/bin/python3"_s, { kFixtureServer, u"--mode"_s, u"ok"_s });
        QVERIFY(leftover.waitForStarted());
        auto guard = qScopeGuard([&leftover] {
            leftover.kill();
            leftover.waitForFinished(2000);
        });
        const Result result = run({ u"bench"_s, u"--targets"_s, u"fx-ok"_s, u"--connections"_s, u"5"_s,
            u"--rounds"_s, u"1"_s, u"--duration"_s, u"200ms"_s, u"--warmup"_s, u"0s"_s, u"--no-save"_s });
        QCOMPARE(result.exitCode, 0);
        if (ended) {
            QVERIFY(leftover.waitForFinished(3000));
            QCOMPARE(leftover.exitStatus(), QProcess::CrashExit);
        } else {
            QVERIFY(!leftover.waitForFinished(300));
            QCOMPARE(leftover.state(), QProcess::Running);
        }
    }

    void historyOnAFullDisk()
    {
        const QString disk = m_dir.filePath(u"full"_s);
        QString why;
        QVERIFY2(sa::tests::mountTmpfs(disk, 5 << 20, &why), qPrintable(why));
        auto unmount = qScopeGuard([&disk] { sa::tests::unmount(disk); });
        const QString history = disk + u"/history.sqlite"_s;
        QVERIFY(benchInto(history));
        QVERIFY(benchInto(history));
        // Exports that exist already, and an answers file: none may be emptied.
        const QString json = disk + u"/run.json"_s, csv = disk + u"/run.csv"_s;
        QVERIFY(run({ u"bench"_s, u"--db"_s, history, u"--show"_s, u"latest"_s, u"--json"_s, json, u"--csv"_s,
                        csv })
                    .exitCode
            == 0);
        const QByteArray jsonBefore = contentOf(json), csvBefore = contentOf(csv);
        QVERIFY(csvBefore.size() < 16 * 1024); // the small export that used to become an empty file
        const QByteArray historyBefore = digest(history);
        QVERIFY(sa::tests::fillDisk(disk));

        // Reading works, and shows both runs.
        const Result list = run({ u"bench"_s, u"--db"_s, history, u"--history"_s });
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(list.out.contains(u"fx-ok"_s) && !list.out.contains(u"No runs"_s), qPrintable(list.out));
        QCOMPARE(list.out.count(u"completed"_s), 2);
        const Result show = run({ u"bench"_s, u"--db"_s, history, u"--show"_s, u"latest"_s });
        QCOMPARE(show.exitCode, 0);

        // Exports fail with the reason and exit 1; the old files are intact.
        const Result exports = run(
            { u"bench"_s, u"--db"_s, history, u"--show"_s, u"1"_s, u"--json"_s, json, u"--csv"_s, csv });
        QCOMPARE(exports.exitCode, 1);
        QVERIFY2(
            exports.err.contains(u"cannot write "_s + json) && exports.err.contains(u"cannot write "_s + csv),
            qPrintable(exports.err));
        QVERIFY2(exports.err.contains(u"No space left on device"_s), qPrintable(exports.err));
        QCOMPARE(contentOf(json), jsonBefore);
        QCOMPARE(contentOf(csv), csvBefore);
        const QString answers = disk + u"/answers.json"_s;
        const Result advise = run({ u"advise"_s, u"--answers"_s,
            QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/data/high-traffic-go-team.json"), u"--save"_s,
            answers });
        QCOMPARE(advise.exitCode, 1);
        QVERIFY2(advise.err.contains(u"No space left on device"_s), qPrintable(advise.err));
        QVERIFY(!QFileInfo::exists(answers));

        // A run is refused before it starts, saying why.
        const Result bench = run({ u"bench"_s, u"--targets"_s, u"fx-ok"_s, u"--db"_s, history });
        QCOMPARE(bench.exitCode, 1);
        QVERIFY2(
            bench.err.contains(u"is full"_s) && bench.err.contains(u"--no-save"_s), qPrintable(bench.err));
        QVERIFY2(!bench.err.contains(u"starting"_s), qPrintable(bench.err));

        // Nothing was moved aside or changed; with space again all is there.
        QVERIFY(setAside(disk).isEmpty());
        QCOMPARE(digest(history), historyBefore);
        sa::tests::emptyDisk(disk);
        QCOMPARE(run({ u"bench"_s, u"--db"_s, history, u"--history"_s }).out.count(u"completed"_s), 2);
    }

    void readOnlyHistory_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addRow("read-only file") << u"file"_s;
        QTest::addRow("read-only folder") << u"folder"_s;
        QTest::addRow("read-only mount") << u"mount"_s;
    }

    void readOnlyHistory()
    {
        QFETCH(QString, what);
        const QString folder = m_dir.filePath(u"ro-"_s + what);
        QVERIFY(QDir().mkpath(folder));
        QString why;
        if (what == u"mount"_s)
            QVERIFY2(sa::tests::mountTmpfs(folder, 2 << 20, &why), qPrintable(why));
        const QString history = folder + u"/history.sqlite"_s;
        QVERIFY(benchInto(history));
        const QByteArray before = digest(history);
        const QString mounted = what == u"file"_s ? history : folder;
        if (what == u"mount"_s)
            QVERIFY2(sa::tests::remountReadOnly(folder, &why), qPrintable(why));
        else
            QVERIFY2(sa::tests::bindReadOnly(mounted, &why), qPrintable(why));
        auto unmount = qScopeGuard([&] {
            sa::tests::unmount(mounted);
            if (what == u"mount"_s)
                sa::tests::unmount(folder);
        });

        const Result list = run({ u"bench"_s, u"--db"_s, history, u"--history"_s });
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(list.out.contains(u"fx-ok"_s), qPrintable(list.out));
        QVERIFY2(!list.err.contains(u"move or delete"_s), qPrintable(list.err));
        QCOMPARE(run({ u"bench"_s, u"--db"_s, history, u"--show"_s, u"latest"_s }).exitCode, 0);
        const QString html = m_dir.filePath(u"ro-%1.html"_s.arg(what));
        const Result report
            = run({ u"report"_s, u"--db"_s, history, u"--run"_s, u"latest"_s, u"--html"_s, html });
        QVERIFY2(report.exitCode == 0, qPrintable(report.err));
        QVERIFY(QFileInfo(html).size() > 0);

        // Discovered before the run, not after it.
        const Result bench = run({ u"bench"_s, u"--targets"_s, u"fx-ok"_s, u"--db"_s, history });
        QCOMPARE(bench.exitCode, 1);
        QVERIFY2(bench.err.contains(u"can be read but not written"_s) && bench.err.contains(u"read-only"_s),
            qPrintable(bench.err));
        QVERIFY2(!bench.err.contains(u"starting"_s), qPrintable(bench.err));
        const Result remove = run({ u"bench"_s, u"--db"_s, history, u"--delete"_s, u"1"_s });
        QVERIFY(remove.exitCode != 0);
        QVERIFY2(remove.err.contains(u"can be read but not written"_s), qPrintable(remove.err));
        QVERIFY(setAside(folder).isEmpty());
        QCOMPARE(digest(history), before);
    }

    void lockedHistory()
    {
        const QString history = m_dir.filePath(u"locked.sqlite"_s);
        QVERIFY(benchInto(history));
        QProcess holder;
        holder.start(u"python3"_s,
            { u"-c"_s,
                u"import sqlite3, sys, time\n"
                "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                "c.execute('PRAGMA locking_mode=EXCLUSIVE'); c.execute('BEGIN EXCLUSIVE')\n"
                "c.execute('SELECT COUNT(*) FROM runs').fetchall()\n"
                "print('locked', flush=True); time.sleep(60)"_s,
                history });
        QVERIFY(holder.waitForReadyRead(10000));
        auto guard = qScopeGuard([&holder] {
            holder.kill();
            holder.waitForFinished(3000);
        });
        const Result list = run({ u"bench"_s, u"--db"_s, history, u"--history"_s });
        QCOMPARE(list.exitCode, 1);
        QVERIFY2(
            list.err.contains(u"is locked by another program (pid %1 (python3))"_s.arg(holder.processId())),
            qPrintable(list.err));
        QVERIFY(setAside(m_dir.path()).isEmpty());
        holder.kill();
        holder.waitForFinished(3000);
        QCOMPARE(run({ u"bench"_s, u"--db"_s, history, u"--history"_s }).exitCode, 0);
    }

    void damagedRunAndUnopenableHistory()
    {
        const QString history = m_dir.filePath(u"damaged.sqlite"_s);
        QVERIFY(benchInto(history));
        QVERIFY(benchInto(history));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"damage"_s);
            db.setDatabaseName(history);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"UPDATE runs SET result_json = '{\"schema\": tru' WHERE id = 1"_s));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"damage"_s);
        const Result list = run({ u"bench"_s, u"--db"_s, history, u"--history"_s });
        QCOMPARE(list.exitCode, 0);
        QCOMPARE(list.out.count(u"completed"_s), 2); // listed, like any run
        const Result report = run({ u"report"_s, u"--db"_s, history, u"--run"_s, u"1"_s, u"--html"_s,
            m_dir.filePath(u"damaged.html"_s) });
        QCOMPARE(report.exitCode, 1);
        QVERIFY2(report.err.contains(u"run 1 is damaged"_s) && !report.err.contains(u"no run 1"_s),
            qPrintable(report.err));
        const Result show = run({ u"bench"_s, u"--db"_s, history, u"--show"_s, u"1"_s });
        QCOMPARE(show.exitCode, 1);
        QVERIFY2(show.err.contains(u"run 1 is damaged"_s), qPrintable(show.err));
        QCOMPARE(run({ u"bench"_s, u"--db"_s, history, u"--show"_s, u"2"_s }).exitCode, 0);

        // A history that cannot be opened at all: exit 1, with its path and why.
        const QString folder = m_dir.filePath(u"a-folder.sqlite"_s);
        QVERIFY(QDir().mkpath(folder));
        for (const QStringList &arguments : { QStringList { u"bench"_s, u"--db"_s, folder, u"--history"_s },
                 QStringList { u"bench"_s, u"--targets"_s, u"fx-ok"_s, u"--db"_s, folder },
                 QStringList {
                     u"report"_s, u"--db"_s, folder, u"--run"_s, u"1"_s, u"--html"_s, u"x.html"_s } }) {
            const Result result = run(arguments);
            QCOMPARE(result.exitCode, 1);
            QVERIFY2(result.err.contains(folder + u" is not a file"_s), qPrintable(result.err));
        }
    }

    void twoBenchesAtOnceTakeTurns()
    {
        const QStringList arguments { u"bench"_s, u"--targets"_s, u"fx-ok"_s, u"--connections"_s, u"5"_s,
            u"--rounds"_s, u"1"_s, u"--duration"_s, u"2s"_s, u"--warmup"_s, u"0s"_s, u"--no-save"_s };
        QProcess first, second;
        auto guard = qScopeGuard([&] {
            endAll(first);
            endAll(second);
        });
        start(first, arguments);
        QVERIFY(first.waitForStarted());
        const qint64 firstPid = first.processId();
        first.setReadChannel(QProcess::StandardError);
        QByteArray firstErr;
        while (!firstErr.contains("starting")) {
            QVERIFY2(first.waitForReadyRead(20000), firstErr.constData());
            firstErr += first.readAllStandardError();
        }
        start(second, arguments);
        QVERIFY(second.waitForFinished(60000));
        QVERIFY(first.waitForFinished(30000));
        const QString secondErr = QString::fromUtf8(second.readAllStandardError());
        QCOMPARE(first.exitCode(), 0);
        QCOMPARE(second.exitCode(), 0);
        QVERIFY2(secondErr.contains(u"another benchmark is running (pid %1"_s.arg(firstPid)),
            qPrintable(secondErr));
        QVERIFY2(secondErr.contains(u"waiting for it to finish"_s), qPrintable(secondErr));
        // It waited before it started its server.
        QVERIFY(secondErr.indexOf(u"waiting for it"_s) < secondErr.indexOf(u"starting"_s));
    }
};

QTEST_GUILESS_MAIN(TestBenchCli)
#include "tst_bench_cli.moc"
