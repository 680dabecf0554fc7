// core/platform against the real machine: a cgroup of our own (created, entered
// before exec, counted, killed, removed), ChildContainment with processes that try
// to leave (a daemon's double fork, another process group, an empty environment)
// in a cgroup and in the process-group fallback, the watchdog, the clean-up of a
// crashed session's leftovers that never touches what is not ours, the run lock,
// lock holders, and the atomic write on a real full disk and a read-only mount.

#include "platform/atomicfile.h"
#include "platform/cgroup.h"
#include "platform/containment.h"
#include "platform/processcontrol.h"
#include "platform/procfs.h"
#include "platform/runlock.h"

#include "../fixtures/privatemounts.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/wait.h>

#include <csignal>

using namespace Qt::StringLiterals;
using sa::platform::ChildContainment;

namespace {

const QString kFixtureServer = QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/fixtures/bench_server.py");

QStringList readPids(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
}

bool alive(const QString &pid)
{
    return sa::platform::isAlive(pid.toInt());
}

// Starts program in the containment as ServerProcess does.
bool startContained(QProcess &process, ChildContainment &containment, const QString &program,
    const QStringList &arguments, const QProcessEnvironment &base = QProcessEnvironment::systemEnvironment())
{
    QProcessEnvironment environment = base;
    containment.markEnvironment(&environment);
    process.setProcessEnvironment(environment);
    const sa::platform::ChildSetup setup = containment.childSetup({}, SIGTERM);
    process.setChildProcessModifier([setup] { sa::platform::applyInChild(setup); });
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(program, arguments);
    if (!process.waitForStarted(5000))
        return false;
    containment.attach(process.processId(), 1000);
    return true;
}

QStringList ourCgroupFolders()
{
    const sa::platform::CgroupLayout layout = sa::platform::detectCgroupLayout();
    const QString prefix = u"stackadvisor-%1-"_s.arg(::getpid());
    QStringList found;
    for (const QString &root : { layout.v2Own, layout.v1MemoryOwn }) {
        if (root.isEmpty())
            continue;
        for (const QString &name : QDir(root).entryList({ prefix + u'*' }, QDir::Dirs | QDir::NoDotAndDotDot))
            found << root + u'/' + name;
    }
    return found;
}

// A process of pid `uid` (root only) carrying the given marker, running program.
bool startMarked(QProcess &process, const QString &marker, const QString &program,
    const QStringList &arguments, uid_t uid = 0)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(sa::platform::ownerVariableName(), marker);
    process.setProcessEnvironment(environment);
    if (uid != 0) {
        process.setChildProcessModifier([uid] {
            if (::setgid(uid) != 0 || ::setuid(uid) != 0)
                ::_exit(126);
        });
    }
    process.start(program, arguments);
    return process.waitForStarted(5000);
}

void end(QProcess &process)
{
    process.kill();
    process.waitForFinished(3000);
}

} // namespace

class TestContainment : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    bool m_cgroups = false;
    QString m_whyNoCgroups;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Mounts for the full-disk cases: before any thread exists.
        QString why;
        QVERIFY2(sa::tests::enterPrivateMountNamespace(&why), qPrintable(why));
        const auto probe = sa::platform::Cgroup::create(u"probe"_s, &m_whyNoCgroups);
        m_cgroups = probe != nullptr;
        qInfo("cgroups here: %s", m_cgroups ? "yes" : qPrintable(m_whyNoCgroups));
    }

    void cleanup()
    {
        for (int pid : sa::platform::ownedProcesses())
            ::kill(pid, SIGKILL);
    }

    void cleanupTestCase() { QTRY_VERIFY_WITH_TIMEOUT(ourCgroupFolders().isEmpty(), 3000); }

    void cgroupLifecycle()
    {
        if (!m_cgroups)
            QSKIP(qPrintable(u"this machine gives no cgroup: "_s + m_whyNoCgroups));
        QString why;
        auto cgroup = sa::platform::Cgroup::create(u"life cycle"_s, &why);
        QVERIFY2(cgroup, qPrintable(why));
        QVERIFY(cgroup->path().endsWith(u"-life_cycle"_s)); // the label made safe for a folder name
        QVERIFY(QFileInfo(cgroup->path()).isDir());
        QVERIFY(cgroup->isEmpty());
        QVERIFY(!cgroup->memorySource().isEmpty()); // v2 memory.current, or the v1 twin here

        // A child enters between fork and exec; what it starts is born inside.
        QProcess shell;
        sa::platform::ChildSetup setup = sa::platform::makeChildSetup({}, SIGKILL);
        const QList<int> fds = cgroup->enterFds();
        for (qsizetype i = 0; i < fds.size(); ++i)
            setup.enterFds[i] = fds.at(i);
        shell.setChildProcessModifier([setup] { sa::platform::applyInChild(setup); });
        // Touches 64 MiB, then a grandchild that sleeps.
        shell.start(u"python3"_s,
            { u"-c"_s,
                u"import os,time,subprocess; b=bytearray(64<<20)\nfor i in range(0,len(b),4096): b[i]=1\n"
                "subprocess.Popen(['sleep','60']); print('ready', flush=True); time.sleep(60)"_s });
        QVERIFY(shell.waitForStarted(5000));
        cgroup->closeEnterFds();
        QVERIFY(shell.waitForReadyRead(10000));
        QVERIFY(cgroup->contains(int(shell.processId())));
        QTRY_COMPARE_WITH_TIMEOUT(cgroup->members().size(), 2, 3000);
        const sa::platform::CgroupUsage usage = cgroup->usage();
        qInfo("cgroup: %lld bytes charged, %lld µs of CPU", usage.memoryBytes, usage.cpuUsageUsec);
        QVERIFY2(usage.memoryBytes >= 64LL << 20, "the 64 MiB the child touched are charged to its cgroup");
        QVERIFY(usage.cpuUsageUsec > 0);

        // cgroup.kill ends both at once; then the folders go.
        QVERIFY(cgroup->kill());
        QVERIFY(shell.waitForFinished(3000));
        QTRY_VERIFY_WITH_TIMEOUT(cgroup->isEmpty(), 3000);
        const QString folder = cgroup->path(), twin = cgroup->v1MemoryPath();
        QVERIFY(cgroup->remove());
        QVERIFY(!QFileInfo::exists(folder));
        QVERIFY(twin.isEmpty() || !QFileInfo::exists(twin));
    }

    void escapees_data()
    {
        QTest::addColumn<bool>("cgroup");
        QTest::addColumn<QString>("how");
        QTest::addColumn<bool>("contained"); // whether the containment can find and end it
        QTest::addRow("cgroup: daemon (setsid, double fork)") << true << u"setsid"_s << true;
        QTest::addRow("cgroup: own process group") << true << u"setpgid"_s << true;
        QTest::addRow("cgroup: daemon with an empty environment") << true << u"clear-env"_s << true;
        QTest::addRow("process group: daemon (setsid, double fork)") << false << u"setsid"_s << true;
        QTest::addRow("process group: own process group") << false << u"setpgid"_s << true;
        // What the fallback cannot see, said in the README: leaving the group AND
        // clearing the environment. The cgroup row above is the answer to it.
        QTest::addRow("process group: daemon with an empty environment") << false << u"clear-env"_s << false;
    }

    void escapees()
    {
        QFETCH(bool, cgroup);
        QFETCH(QString, how);
        QFETCH(bool, contained);
        if (cgroup && !m_cgroups)
            QSKIP(qPrintable(u"this machine gives no cgroup: "_s + m_whyNoCgroups));
        const QString pidsFile = m_dir.filePath(u"escaped-%1-%2.pids"_s.arg(cgroup).arg(how));
        QFile::remove(pidsFile);
        QProcess server;
        auto containment = std::make_unique<ChildContainment>(u"escapee"_s, cgroup);
        QCOMPARE(containment->kind(),
            cgroup ? ChildContainment::Kind::Cgroup : ChildContainment::Kind::ProcessGroup);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"PORT"_s, u"0"_s);
        QVERIFY(startContained(server, *containment, u"python3"_s,
            { kFixtureServer, u"--mode"_s, u"escape="_s + how, u"--pids"_s, pidsFile }, environment));
        QTRY_COMPARE_WITH_TIMEOUT(readPids(pidsFile).size(), 1, 5000);
        const QString escaped = readPids(pidsFile).constFirst();
        auto guard = qScopeGuard([&] {
            ::kill(escaped.toInt(), SIGKILL);
            end(server);
        });
        QVERIFY(alive(escaped));
        QCOMPARE(containment->members().contains(escaped.toInt()), contained);
        QVERIFY(containment->members().contains(int(server.processId())));

        // The contract's SIGTERM reaches the group only: the escapee stays.
        containment->signalGroup(SIGTERM);
        QVERIFY(server.waitForFinished(5000));
        QVERIFY(alive(escaped));
        QCOMPARE(containment->isEmpty(), !contained);
        containment->killAll();
        if (contained) {
            QTRY_VERIFY_WITH_TIMEOUT(!alive(escaped), 3000);
            QTRY_VERIFY_WITH_TIMEOUT(containment->release(), 3000);
        } else {
            QVERIFY(alive(escaped)); // out of reach of the fallback, as documented
        }
        const qint64 watchdog = containment->watchdogPid();
        containment.reset();
        if (watchdog > 0)
            QTRY_VERIFY_WITH_TIMEOUT(
                !QFileInfo::exists(u"/proc/%1"_s.arg(watchdog)), 3000); // reaped, no zombie
        QTRY_VERIFY_WITH_TIMEOUT(ourCgroupFolders().isEmpty(), 3000);
    }

    void releasedContainmentDismissesItsWatchdog()
    {
        ChildContainment containment(u"watchdog"_s, m_cgroups);
        QProcess child;
        QVERIFY(startContained(child, containment, u"sleep"_s, { u"30"_s }));
        const qint64 watchdog = containment.watchdogPid();
        QVERIFY(watchdog > 0);
        QVERIFY(sa::platform::isAlive(int(watchdog)));
        QTRY_COMPARE_WITH_TIMEOUT(sa::platform::commandName(int(watchdog)), u"sa-watchdog"_s, 2000);
        // Not in the child's tree: ending the tree leaves it, so it can end the tree.
        QVERIFY(!containment.members().contains(int(watchdog)));
        QVERIFY(!containment.release()); // the child still runs
        containment.killAll();
        QVERIFY(child.waitForFinished(3000));
        QTRY_VERIFY_WITH_TIMEOUT(containment.release(), 3000);
        QCOMPARE(containment.watchdogPid(), 0);
        QVERIFY(!QFileInfo::exists(u"/proc/%1"_s.arg(watchdog)));
    }

    void leftoversOnlyOurs_data()
    {
        QTest::addColumn<QString>("marker");
        QTest::addColumn<bool>("appExecutable");
        QTest::addColumn<bool>("otherUser");
        QTest::addColumn<bool>("ended");
        const QString dead = u"999999:1"_s; // an owner that does not run
        // A pid that runs (1), but with another start time: not the same process.
        const QString reused = u"1:12345"_s;
        QTest::addRow("ours: dead owner, app executable") << dead << true << false << true;
        QTest::addRow("marker alone: not an app executable") << dead << false << false << false;
        QTest::addRow("marker of a reused pid, not an app executable") << reused << false << false << false;
        QTest::addRow("another user's process") << dead << true << true << false;
        QTest::addRow("owner alive (this test)") << sa::platform::ownerMarker() << true << false << false;
    }

    void leftoversOnlyOurs()
    {
        QFETCH(QString, marker);
        QFETCH(bool, appExecutable);
        QFETCH(bool, otherUser);
        QFETCH(bool, ended);
        if (otherUser && ::geteuid() != 0)
            QSKIP("starting another user's process needs root");
        // The "app" here runs sleep; the foreign process runs sleep (a copy under
        // another name when it must not match).
        const QString sleep = QFileInfo(u"/bin/sleep"_s).canonicalFilePath();
        QString program = sleep;
        if (!appExecutable) {
            program = m_dir.filePath(u"not-an-app-program"_s);
            QFile::remove(program);
            QVERIFY(QFile::copy(sleep, program));
            QFile::setPermissions(
                program, QFile::permissions(program) | QFileDevice::ExeOwner | QFileDevice::ExeOther);
        }
        QProcess process;
        QVERIFY(startMarked(process, marker, program, { u"30"_s }, otherUser ? 65534 : 0));
        auto guard = qScopeGuard([&process] { end(process); });
        QTRY_VERIFY_WITH_TIMEOUT(
            sa::platform::executablePath(int(process.processId())) == program, 3000); // exec done
        sa::platform::AppExecutables executables;
        executables.programs << sleep;
        const QStringList endedLines = sa::platform::endLeftovers(executables);
        const QString line = u"pid %1 "_s.arg(process.processId());
        const bool listed = std::any_of(
            endedLines.cbegin(), endedLines.cend(), [&line](const QString &l) { return l.startsWith(line); });
        QCOMPARE(listed, ended);
        if (ended) {
            QVERIFY(process.waitForFinished(3000));
            QCOMPARE(process.exitStatus(), QProcess::CrashExit);
        } else {
            QVERIFY(!process.waitForFinished(300));
            QCOMPARE(process.state(), QProcess::Running);
        }
    }

    void leftoverCgroupOfADeadSession()
    {
        if (!m_cgroups)
            QSKIP(qPrintable(u"this machine gives no cgroup: "_s + m_whyNoCgroups));
        // What a session killed with SIGKILL (and its watchdog with it) leaves: a
        // cgroup named after an owner that no longer runs, a process inside.
        const sa::platform::CgroupLayout layout = sa::platform::detectCgroupLayout();
        const QString folder = layout.v2Own + u"/stackadvisor-999999-1-0-crashed"_s;
        QVERIFY2(QDir().mkdir(folder), qPrintable(folder));
        auto removeFolder = qScopeGuard([&folder] { QDir().rmdir(folder); });
        QProcess orphan;
        const int fd
            = ::open(QFile::encodeName(folder + u"/cgroup.procs"_s).constData(), O_WRONLY | O_CLOEXEC);
        QVERIFY(fd >= 0);
        sa::platform::ChildSetup setup = sa::platform::makeChildSetup({}, SIGKILL);
        setup.enterFds[0] = fd;
        orphan.setChildProcessModifier([setup] { sa::platform::applyInChild(setup); });
        orphan.start(u"sleep"_s, { u"30"_s });
        QVERIFY(orphan.waitForStarted(5000));
        ::close(fd);
        auto guard = qScopeGuard([&orphan] { end(orphan); });
        // And one of this very session: left alone.
        ChildContainment mine(u"alive"_s);
        QProcess child;
        QVERIFY(startContained(child, mine, u"sleep"_s, { u"30"_s }));
        auto endChild = qScopeGuard([&child] { end(child); });

        const QStringList ended = sa::platform::endLeftovers({});
        QVERIFY2(ended.contains(folder + u" (1 processes)"_s), qPrintable(ended.join(u"; "_s)));
        QVERIFY(orphan.waitForFinished(3000));
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(folder), 3000);
        QCOMPARE(child.state(), QProcess::Running);
        QVERIFY(!mine.isEmpty());
    }

    void runLockOneAtATime()
    {
        const QString path = m_dir.filePath(u"locks/bench.lock"_s);
        sa::platform::RunLock first(path);
        QSignalSpy firstAcquired(&first, &sa::platform::RunLock::acquired);
        first.acquire();
        QVERIFY(firstAcquired.wait(2000));
        QVERIFY(first.isHeld());

        // Another holder (its own open file description) waits, and is told who has it.
        sa::platform::RunLock second(path);
        QSignalSpy waiting(&second, &sa::platform::RunLock::waiting);
        QSignalSpy secondAcquired(&second, &sa::platform::RunLock::acquired);
        second.acquire();
        QVERIFY(waiting.wait(2000));
        QVERIFY2(waiting.at(0).at(0).toString().startsWith(u"pid %1 ("_s.arg(::getpid())),
            qPrintable(waiting.at(0).at(0).toString()));
        QVERIFY(!secondAcquired.wait(600));
        first.release();
        QVERIFY(secondAcquired.wait(2000));
        QVERIFY(second.isHeld());
        QCOMPARE(waiting.size(), 1); // said once, not every retry

        // The kernel lets go of a dead holder's lock.
        QProcess holder;
        // -o: flock itself holds the lock, its sleep does not inherit it.
        holder.start(u"flock"_s, { u"-o"_s, m_dir.filePath(u"locks/other.lock"_s), u"sleep"_s, u"30"_s });
        QVERIFY(holder.waitForStarted(5000));
        QTRY_VERIFY_WITH_TIMEOUT(
            !sa::platform::fileLockHolders({ m_dir.filePath(u"locks/other.lock"_s) }).isEmpty(), 3000);
        QCOMPARE(sa::platform::fileLockHolders({ m_dir.filePath(u"locks/other.lock"_s) }),
            QList<int> { int(holder.processId()) });
        sa::platform::RunLock third(m_dir.filePath(u"locks/other.lock"_s));
        QSignalSpy thirdAcquired(&third, &sa::platform::RunLock::acquired);
        third.acquire();
        QVERIFY(!thirdAcquired.wait(500));
        for (int pid : sa::platform::processTree(int(holder.processId())))
            ::kill(pid, SIGKILL);
        holder.waitForFinished(3000);
        QVERIFY(thirdAcquired.wait(5000));
    }

    void runLockInAReadOnlyFolder()
    {
        const QString folder = m_dir.filePath(u"ro-lock"_s);
        QVERIFY(QDir().mkpath(folder));
        QString why;
        QVERIFY2(sa::tests::bindReadOnly(folder, &why), qPrintable(why));
        auto guard = qScopeGuard([&folder] { sa::tests::unmount(folder); });
        sa::platform::RunLock lock(folder + u"/bench.lock"_s);
        QSignalSpy failed(&lock, &sa::platform::RunLock::failed);
        lock.acquire();
        QVERIFY(failed.wait(2000));
        QVERIFY2(failed.at(0).at(0).toString().contains(u"Read-only file system"_s),
            qPrintable(failed.at(0).at(0).toString()));
    }

    void atomicWriteOnAFullDisk_data()
    {
        QTest::addColumn<int>("bytes");
        // Under and over the 16 KiB that QSaveFile buffered before its rename: the
        // small export was the one that became an empty file.
        QTest::addRow("200 bytes") << 200;
        QTest::addRow("12 KiB") << 12 * 1024;
        QTest::addRow("1 MiB") << 1024 * 1024;
    }

    void atomicWriteOnAFullDisk()
    {
        QFETCH(int, bytes);
        const QString disk = m_dir.filePath(u"full"_s);
        QString why;
        QVERIFY2(sa::tests::mountTmpfs(disk, 5 << 20, &why), qPrintable(why));
        auto guard = qScopeGuard([&disk] { sa::tests::unmount(disk); });
        const QString path = disk + u"/run.json"_s;
        QString error;
        QVERIFY2(sa::platform::writeFileAtomically(path, "the old export", &error), qPrintable(error));
        QVERIFY(sa::tests::fillDisk(disk));
        QVERIFY(!sa::platform::writeFileAtomically(path, QByteArray(bytes, 'x'), &error));
        QVERIFY2(error.contains(u"No space left on device"_s), qPrintable(error));
        QVERIFY2(error.contains(u"the disk is full"_s), qPrintable(error));
        QVERIFY2(error.contains(path), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("the old export")); // neither emptied nor replaced
        // Nothing half-written beside it.
        const QStringList names = QDir(disk).entryList(QDir::Files | QDir::Hidden);
        QCOMPARE(names.size(), 2); // run.json and the filler
        // A new file on the full disk: not created at all.
        QVERIFY(!sa::platform::writeFileAtomically(disk + u"/new.csv"_s, QByteArray(bytes, 'y'), &error));
        QVERIFY(!QFileInfo::exists(disk + u"/new.csv"_s));
        sa::tests::emptyDisk(disk);
        QVERIFY2(sa::platform::writeFileAtomically(path, QByteArray(bytes, 'x'), &error), qPrintable(error));
        QCOMPARE(QFileInfo(path).size(), bytes);
    }

    void atomicWriteOnAReadOnlyMount()
    {
        const QString disk = m_dir.filePath(u"ro"_s);
        QString why;
        QVERIFY2(sa::tests::mountTmpfs(disk, 1 << 20, &why), qPrintable(why));
        auto guard = qScopeGuard([&disk] { sa::tests::unmount(disk); });
        QString error;
        QVERIFY(sa::platform::writeFileAtomically(disk + u"/a.csv"_s, "old", &error));
        QVERIFY2(sa::tests::remountReadOnly(disk, &why), qPrintable(why));
        QVERIFY(!sa::platform::writeFileAtomically(disk + u"/a.csv"_s, "new", &error));
        QVERIFY2(error.contains(u"Read-only file system"_s) && error.contains(u"file was not changed"_s),
            qPrintable(error));
        QFile file(disk + u"/a.csv"_s);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("old"));
    }
};

QTEST_GUILESS_MAIN(TestContainment)
#include "tst_containment.moc"
