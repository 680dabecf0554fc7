#include "processcontrol.h"

#include "cgroup.h"
#include "procfs.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>

namespace sa::platform {

QList<int> allowedCpus()
{
    QList<int> cpus;
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
            if (CPU_ISSET(cpu, &set))
                cpus.append(cpu);
        }
    }
    if (cpus.isEmpty()) {
        const long count = sysconf(_SC_NPROCESSORS_ONLN);
        for (int cpu = 0; cpu < qMax(1L, count); ++cpu)
            cpus.append(cpu);
    }
    return cpus;
}

std::optional<QList<int>> parseCpuList(const QString &text)
{
    QList<int> cpus;
    const QStringList parts = text.split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (parts.isEmpty())
        return std::nullopt;
    for (const QString &part : parts) {
        const QStringList range = part.trimmed().split(QLatin1Char('-'));
        bool okLow = false, okHigh = false;
        const int low = range.value(0).toInt(&okLow);
        const int high = range.size() == 2 ? range.value(1).toInt(&okHigh) : low;
        if (range.size() == 1)
            okHigh = okLow;
        if (!okLow || !okHigh || range.size() > 2 || low < 0 || high < low || high >= CPU_SETSIZE)
            return std::nullopt;
        for (int cpu = low; cpu <= high; ++cpu) {
            if (!cpus.contains(cpu))
                cpus.append(cpu);
        }
    }
    std::sort(cpus.begin(), cpus.end());
    return cpus;
}

QString formatCpuList(const QList<int> &cpus)
{
    QStringList parts;
    for (qsizetype i = 0; i < cpus.size();) {
        qsizetype j = i;
        while (j + 1 < cpus.size() && cpus.at(j + 1) == cpus.at(j) + 1)
            ++j;
        parts << (j == i ? QString::number(cpus.at(i))
                         : QString::number(cpus.at(i)) + QLatin1Char('-') + QString::number(cpus.at(j)));
        i = j + 1;
    }
    return parts.join(QLatin1Char(','));
}

ChildSetup makeChildSetup(const QList<int> &cpus, int deathSignal)
{
    ChildSetup setup;
    CPU_ZERO(&setup.cpus);
    for (int cpu : cpus) {
        if (cpu >= 0 && cpu < CPU_SETSIZE)
            CPU_SET(cpu, &setup.cpus);
    }
    setup.pinCpus = !cpus.isEmpty();
    setup.parentPid = getpid();
    setup.deathSignal = deathSignal;
    return setup;
}

void applyInChild(const ChildSetup &setup) noexcept
{
    // A new session, not only a process group: with the kernel's autogroup
    // scheduling each session gets its own fair share of the CPU, so the server
    // and the load generator do not split one share between them (and are not
    // squeezed by the app's own session on a busy machine), as when started
    // from two shells. The session leader's pid is also its process group id.
    setsid();
    // Into its cgroups before anything else runs: whatever it starts is born inside.
    // A failed write leaves it in the process group only; the parent checks.
    for (int fd : setup.enterFds) {
        if (fd >= 0) {
            [[maybe_unused]] const ssize_t written = ::write(fd, "0", 1);
        }
    }
    prctl(PR_SET_PDEATHSIG, setup.deathSignal);
    // The parent may have died between fork and prctl: then nobody would kill us.
    if (getppid() != setup.parentPid)
        _exit(127);
    if (setup.pinCpus)
        sched_setaffinity(0, sizeof(setup.cpus), &setup.cpus);
}

bool signalGroup(pid_t pgid, int signal)
{
    if (pgid <= 1)
        return false;
    return ::killpg(pgid, signal) == 0;
}

QString ownerVariableName()
{
    return QStringLiteral("STACKADVISOR_OWNER");
}

namespace {

QString markerOf(int pid)
{
    const auto stat = readStat(pid);
    return QString::number(pid) + QLatin1Char(':') + QString::number(stat ? stat->startTimeTicks : 0);
}

// A variable of a process's environment, "" when it has none.
QString variableIn(const QByteArray &environ, const QString &name)
{
    const QByteArray prefix = name.toLatin1() + '=';
    for (const QByteArray &entry : environ.split('\0')) {
        if (entry.startsWith(prefix))
            return QString::fromLatin1(entry.mid(prefix.size()));
    }
    return {};
}

// The owner marker in a process's environment, "" when it has none.
QString markerIn(int pid)
{
    return variableIn(readEnviron(pid), ownerVariableName());
}

bool ownerIsRunning(const QString &marker)
{
    const int pid = marker.section(QLatin1Char(':'), 0, 0).toInt();
    return pid > 0 && isAlive(pid) && markerOf(pid) == marker;
}

bool sameUser(int pid)
{
    const auto uid = processUid(pid);
    return uid && *uid == uint(::geteuid());
}

bool isInside(const QString &path, const QStringList &folders)
{
    for (const QString &folder : folders) {
        if (!folder.isEmpty() && folder != QLatin1String("/")
            && (path == folder || path.startsWith(folder + QLatin1Char('/'))))
            return true;
    }
    return false;
}

} // namespace

QString ownerMarker()
{
    static const QString marker = markerOf(int(getpid()));
    return marker;
}

QString childVariableName()
{
    return QStringLiteral("STACKADVISOR_CHILD");
}

bool runsAppExecutable(int pid, const AppExecutables &executables)
{
    const auto matches = [&executables](const QString &path) {
        const QString canonical = QFileInfo(path).canonicalFilePath();
        return !canonical.isEmpty()
            && (executables.programs.contains(canonical) || isInside(canonical, executables.folders));
    };
    if (matches(executablePath(pid)))
        return true;
    // A script (serve.sh → its interpreter) or an interpreter running one (node server.js).
    const QString cwd
        = QFile::symLinkTarget(QLatin1String("/proc/") + QString::number(pid) + QLatin1String("/cwd"));
    const QStringList arguments = commandLine(pid);
    for (qsizetype i = 0; i < qMin<qsizetype>(2, arguments.size()); ++i) {
        const QString argument = arguments.at(i);
        if (argument.isEmpty() || argument.startsWith(QLatin1Char('-')))
            continue;
        if (matches(QDir::isAbsolutePath(argument) ? argument : QDir(cwd).filePath(argument)))
            return true;
    }
    return false;
}

QStringList endLeftovers(const AppExecutables &executables)
{
    QStringList ended = Cgroup::endLeftovers();
    const int self = int(getpid());
    for (int pid : allPids()) {
        if (pid == self || !sameUser(pid))
            continue;
        const QString marker = markerIn(pid);
        if (marker.isEmpty() || ownerIsRunning(marker) || !runsAppExecutable(pid, executables))
            continue;
        const QString name = commandName(pid);
        if (::kill(pid, SIGKILL) == 0)
            ended << QStringLiteral("pid %1 (%2)").arg(pid).arg(name);
    }
    return ended;
}

QList<int> ownedProcesses()
{
    QList<int> owned;
    const QString mine = ownerMarker();
    for (int pid : allPids()) {
        if (isAlive(pid) && markerIn(pid) == mine)
            owned.append(pid);
    }
    return owned;
}

QList<int> processesOfChild(const QString &tag)
{
    QList<int> marked;
    const QString mine = ownerMarker();
    for (int pid : allPids()) {
        if (!sameUser(pid) || !isAlive(pid))
            continue;
        const QByteArray environ = readEnviron(pid);
        if (variableIn(environ, childVariableName()) == tag
            && variableIn(environ, ownerVariableName()) == mine)
            marked.append(pid);
    }
    return marked;
}

QList<int> processesOwnedBy(int ownerPid)
{
    QList<int> owned;
    const QString prefix = QString::number(ownerPid) + QLatin1Char(':');
    for (int pid : allPids()) {
        if (isAlive(pid) && markerIn(pid).startsWith(prefix))
            owned.append(pid);
    }
    return owned;
}

} // namespace sa::platform
