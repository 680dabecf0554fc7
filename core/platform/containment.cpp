#include "containment.h"

#include "procfs.h"

#include <QAtomicInt>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QThread>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <ctime>

namespace sa::platform {

namespace {

QAtomicInt s_children;

// Everything the watchdog needs, laid out before the fork: after it, the child of
// a multi-threaded process may only make system calls (no allocation, no locks).
struct WatchdogPlan
{
    pid_t group = 0;
    int graceMs = 5000;
    bool cgroup = false;
    char procs[PATH_MAX] = {}; // <cgroup>/cgroup.procs
    char kill[PATH_MAX] = {}; // <cgroup>/cgroup.kill
    char folder[PATH_MAX] = {};
    char memoryFolder[PATH_MAX] = {}; // the v1 memory twin, or ""
};

void copyPath(char *to, const QString &path)
{
    const QByteArray bytes = QFile::encodeName(path);
    std::strncpy(to, bytes.constData(), PATH_MAX - 1);
}

void pause(int ms) noexcept
{
    timespec delay { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&delay, &delay) != 0 && errno == EINTR) { }
}

bool treeIsEmpty(const WatchdogPlan &plan) noexcept
{
    if (!plan.cgroup)
        return ::kill(-plan.group, 0) != 0 && errno == ESRCH;
    const int fd = ::open(plan.procs, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return true; // the cgroup is gone
    char buffer[32];
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    ::close(fd);
    return got <= 0;
}

bool waitUntilEmpty(const WatchdogPlan &plan, int ms) noexcept
{
    for (int waited = 0; waited < ms; waited += 20) {
        if (treeIsEmpty(plan))
            return true;
        pause(20);
    }
    return treeIsEmpty(plan);
}

void closeAllBut(int keep) noexcept
{
    // The app's sockets, its history database and its run lock must not live on
    // in the watchdog.
    if (keep > 0)
        ::syscall(SYS_close_range, 0U, unsigned(keep - 1), 0U);
    if (::syscall(SYS_close_range, unsigned(keep + 1), ~0U, 0U) != 0) {
        for (int fd = 0; fd < 65536; ++fd) {
            if (fd != keep)
                ::close(fd);
        }
    }
}

[[noreturn]] void runWatchdog(const WatchdogPlan &plan, int pipeFd) noexcept
{
    closeAllBut(pipeFd);
    ::prctl(PR_SET_NAME, "sa-watchdog");
    // Out of the terminal's session: Ctrl-C is for the app, which stops the child
    // itself; the watchdog only acts when the app is gone.
    ::setsid();
    struct sigaction ignore
    {
    };
    ignore.sa_handler = SIG_IGN;
    for (int signal : { SIGINT, SIGHUP, SIGQUIT, SIGPIPE })
        ::sigaction(signal, &ignore, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);

    char byte = 0;
    ssize_t got;
    do {
        got = ::read(pipeFd, &byte, 1);
    } while (got < 0 && errno == EINTR);
    if (got == 1)
        ::_exit(0); // dismissed: the app stopped the child itself

    // The app died. Its death signal already asked the child to stop; say it to the
    // whole group, give it the grace period, then end everything.
    ::kill(-plan.group, SIGTERM);
    if (!waitUntilEmpty(plan, plan.graceMs)) {
        if (plan.cgroup) {
            const int fd = ::open(plan.kill, O_WRONLY | O_CLOEXEC);
            if (fd >= 0) {
                [[maybe_unused]] const ssize_t written = ::write(fd, "1", 1);
                ::close(fd);
            }
        } else {
            ::kill(-plan.group, SIGKILL);
        }
        waitUntilEmpty(plan, 2000);
    }
    if (plan.cgroup) {
        for (int attempt = 0; attempt < 100; ++attempt) {
            if (::rmdir(plan.folder) == 0 || errno != EBUSY)
                break;
            pause(20);
        }
        if (plan.memoryFolder[0] != '\0')
            ::rmdir(plan.memoryFolder);
    }
    ::_exit(0);
}

} // namespace

QString ChildContainment::kindId(Kind kind)
{
    return kind == Kind::Cgroup ? QStringLiteral("cgroup") : QStringLiteral("process-group");
}

bool ChildContainment::cgroupsWanted()
{
    return qEnvironmentVariable("STACKADVISOR_NO_CGROUP") != QLatin1String("1");
}

ChildContainment::Kind ChildContainment::probe(bool useCgroup, QString *description)
{
    const ChildContainment probe(QStringLiteral("probe"), useCgroup);
    if (description)
        *description = probe.description();
    return probe.kind();
}

ChildContainment::ChildContainment(const QString &label, bool useCgroup)
    : m_tag(QStringLiteral("c%1").arg(s_children.fetchAndAddRelaxed(1)))
{
    if (!useCgroup || !cgroupsWanted())
        m_whyNoCgroup = QStringLiteral("cgroups were turned off");
    else
        m_cgroup = Cgroup::create(label, &m_whyNoCgroup);
}

ChildContainment::~ChildContainment()
{
    if (m_released || m_pid == 0) {
        dismissWatchdog(false);
        return;
    }
    killAll();
    QElapsedTimer waited;
    waited.start();
    while (!isEmpty() && waited.elapsed() < 1000)
        QThread::msleep(5);
    if (!release())
        dismissWatchdog(true); // it removes the cgroup once the last process is reaped
}

QString ChildContainment::description() const
{
    if (m_cgroup) {
        const QString memory = m_cgroup->memorySource();
        return QStringLiteral("a cgroup of its own under %1 (whole-tree memory: %2)")
            .arg(QFileInfo(m_cgroup->path()).absolutePath(),
                memory.isEmpty() ? QStringLiteral("not counted, the memory controller is not enabled there")
                                 : memory);
    }
    return QStringLiteral("its own process group (no cgroup: %1)").arg(m_whyNoCgroup);
}

void ChildContainment::markEnvironment(QProcessEnvironment *environment) const
{
    environment->insert(ownerVariableName(), ownerMarker());
    environment->insert(childVariableName(), m_tag);
}

ChildSetup ChildContainment::childSetup(const QList<int> &cpus, int deathSignal) const
{
    ChildSetup setup = makeChildSetup(cpus, deathSignal);
    if (m_cgroup) {
        const QList<int> fds = m_cgroup->enterFds();
        for (qsizetype i = 0; i < fds.size() && i < 2; ++i)
            setup.enterFds[i] = fds.at(i);
    }
    return setup;
}

void ChildContainment::attach(qint64 pid, int graceMs)
{
    m_pid = pid;
    if (m_cgroup) {
        m_cgroup->closeEnterFds();
        if (!m_cgroup->contains(int(pid))) {
            m_whyNoCgroup = QStringLiteral("the process did not enter %1").arg(m_cgroup->path());
            m_cgroup.reset();
        }
    }
    startWatchdog(graceMs);
}

QList<int> ChildContainment::members() const
{
    if (m_cgroup)
        return m_cgroup->members();
    QList<int> members = m_pid > 0 ? processGroupMembers(int(m_pid)) : QList<int> {};
    // Those that left the group but kept the environment.
    for (int pid : processesOfChild(m_tag)) {
        if (!members.contains(pid))
            members.append(pid);
    }
    return members;
}

void ChildContainment::signalGroup(int signal) const
{
    if (m_pid > 0)
        platform::signalGroup(pid_t(m_pid), signal);
}

void ChildContainment::killAll()
{
    if (m_cgroup && m_cgroup->kill())
        return;
    signalGroup(SIGKILL);
    for (int pid : processesOfChild(m_tag))
        ::kill(pid, SIGKILL);
}

std::optional<CgroupUsage> ChildContainment::usage() const
{
    if (!m_cgroup || m_cgroup->isRemoved())
        return std::nullopt;
    return m_cgroup->usage();
}

bool ChildContainment::release()
{
    if (m_released)
        return true;
    if (!isEmpty())
        return false;
    if (m_cgroup && !m_cgroup->remove())
        return false;
    m_released = true;
    dismissWatchdog(false);
    return true;
}

void ChildContainment::startWatchdog(int graceMs)
{
    auto plan = std::make_unique<WatchdogPlan>();
    plan->group = pid_t(m_pid);
    plan->graceMs = qMax(0, graceMs);
    plan->cgroup = m_cgroup != nullptr;
    if (m_cgroup) {
        copyPath(plan->procs, m_cgroup->path() + QLatin1String("/cgroup.procs"));
        copyPath(plan->kill, m_cgroup->path() + QLatin1String("/cgroup.kill"));
        copyPath(plan->folder, m_cgroup->path());
        copyPath(plan->memoryFolder, m_cgroup->v1MemoryPath());
    }
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return; // no watchdog: the death signal alone covers the common case
    const pid_t watchdog = ::fork();
    if (watchdog == 0)
        runWatchdog(*plan, fds[0]);
    ::close(fds[0]);
    if (watchdog < 0) {
        ::close(fds[1]);
        return;
    }
    m_watchdogPid = watchdog;
    m_watchdogFd = fds[1];
}

void ChildContainment::dismissWatchdog(bool cleanUp)
{
    if (m_watchdogFd < 0)
        return;
    // A byte says "all done"; a closed pipe alone says "finish the job".
    if (!cleanUp) {
        [[maybe_unused]] const ssize_t written = ::write(m_watchdogFd, "q", 1);
    }
    ::close(m_watchdogFd);
    m_watchdogFd = -1;
    if (cleanUp) {
        m_watchdogPid = 0; // it outlives us by design; init reaps it
        return;
    }
    // It exits at once: reap it so that it leaves no zombie.
    QElapsedTimer waited;
    waited.start();
    while (::waitpid(pid_t(m_watchdogPid), nullptr, WNOHANG) == 0 && waited.elapsed() < 500)
        QThread::usleep(200);
    m_watchdogPid = 0;
}

} // namespace sa::platform
