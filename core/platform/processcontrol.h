#pragma once

// Process groups, parent-death signals, CPU affinity and the clean-up of
// leftovers: what keeps benchmark children from outliving the app. Linux only.

#include <QList>
#include <QString>
#include <QStringList>

#include <csignal>
#include <sched.h>
#include <sys/types.h>

#include <optional>

namespace sa::platform {

// The CPUs this process may run on (sched_getaffinity), ascending.
QList<int> allowedCpus();
// "0-2,5" ↔ {0,1,2,5}. parseCpuList() returns nullopt on bad syntax.
std::optional<QList<int>> parseCpuList(const QString &text);
QString formatCpuList(const QList<int> &cpus);

// Everything the child needs, computed in the parent so that the part that runs
// between fork and exec only makes system calls.
struct ChildSetup
{
    cpu_set_t cpus;
    bool pinCpus = false;
    pid_t parentPid = 0;
    int deathSignal = 0;
    // cgroup.procs files, open for writing: the child enters them (Cgroup::enterFds()).
    int enterFds[2] = { -1, -1 };
};
// deathSignal: what the child receives when the app dies. SIGKILL for a process
// without children of its own; SIGTERM for a server, whose contract says SIGTERM
// stops it *with its workers* — a SIGKILLed master leaves workers that only notice
// later by themselves (uvicorn's: 10–20 s).
ChildSetup makeChildSetup(const QList<int> &cpus, int deathSignal = SIGKILL);
// In the child (QProcess::setChildProcessModifier): own session and process group,
// its cgroups, deathSignal when the parent dies (and exit at once if it already
// has), CPU affinity.
void applyInChild(const ChildSetup &setup) noexcept;

// Sends signal to the whole process group; false when the group is gone.
bool signalGroup(pid_t pgid, int signal);

// Children of the app carry STACKADVISOR_OWNER=<pid>:<start time> in their
// environment, and so do their descendants (gunicorn workers, node cluster
// workers) unless they clear it. The variable's name and this process's value.
// (The value's format is what earlier versions read too: they must not take a
// child of this one for a leftover.)
QString ownerVariableName();
QString ownerMarker();
// ChildContainment also tags each child's tree with STACKADVISOR_CHILD=<tag>.
QString childVariableName();

// What identifies a process as one this app starts: the executables of the server
// catalog and the load generator, and the folders the servers are built in.
struct AppExecutables
{
    QStringList programs; // canonical paths
    QStringList folders; // canonical paths: anything run from inside one
};
// Whether pid runs one of them: its /proc/<pid>/exe, or its first or second
// argument (a script, or an interpreter's script), resolved and canonical.
bool runsAppExecutable(int pid, const AppExecutables &executables);

// Ends (SIGKILL) the leftovers of a crashed earlier session: processes of this
// user whose marker names an owner that is no longer running AND that run one of
// the app's executables (a marker alone proves nothing: anyone can set it), and
// the cgroups of sessions that are gone (Cgroup::endLeftovers). Returns a line per
// process or cgroup ended ("pid 1234 (gunicorn)").
QStringList endLeftovers(const AppExecutables &executables);
// Every living process carrying this process's own marker, or one of its
// children's (tests use it to check that nothing is left behind).
QList<int> ownedProcesses();
// Every living process of this user carrying this process's marker and the child tag.
QList<int> processesOfChild(const QString &tag);
// Every living process whose marker names ownerPid (whatever its start time):
// tests use it on a stackadvisor they started.
QList<int> processesOwnedBy(int ownerPid);

} // namespace sa::platform
