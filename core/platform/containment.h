#pragma once

// Keeps a child process of the app and everything it starts together, so that
// all of it can be counted and ended: the sample servers (ServerProcess), and any
// other long-lived child such as a private database.
//
// In a cgroup of its own where the machine allows it (Cgroup): nothing the child
// does takes a process out (setsid, double forks, setpgid, an empty environment),
// cgroup.kill ends everything at once, and the cgroup counts the whole tree's
// memory and CPU. Elsewhere, the child's process group plus every process that
// carries its marker in the environment: what a process that leaves the group
// AND clears its environment escapes.
//
// A watchdog (a small forked process, outside the child's tree) ends the child's
// tree when the app dies without stopping it, even when the child ignores the
// SIGTERM of its parent-death signal: SIGTERM to its group, then after the grace
// period cgroup.kill (or SIGKILL to the group), then the cgroup is removed.

#include "cgroup.h"
#include "processcontrol.h"

#include <QList>
#include <QProcessEnvironment>
#include <QString>

#include <memory>
#include <optional>

namespace sa::platform {

class ChildContainment final
{
public:
    enum class Kind { Cgroup, ProcessGroup };
    // "cgroup", "process-group": the values of the run's settings.
    static QString kindId(Kind kind);
    // False when STACKADVISOR_NO_CGROUP=1 asks for the process group.
    static bool cgroupsWanted();
    // What a child started now would get, for the run's settings: makes a cgroup
    // and removes it again. *description as description() says it.
    static Kind probe(bool useCgroup, QString *description);

    // label names the cgroup (e.g. the server id). useCgroup false: the process group only.
    explicit ChildContainment(const QString &label, bool useCgroup = true);
    // Ends whatever is left inside and removes the cgroup (the watchdog finishes
    // the job if something does not go at once).
    ~ChildContainment();
    ChildContainment(const ChildContainment &) = delete;
    ChildContainment &operator=(const ChildContainment &) = delete;

    Kind kind() const { return m_cgroup ? Kind::Cgroup : Kind::ProcessGroup; }
    // For the run's settings: where the cgroups are made and where memory is
    // counted, or why it is the process group ("its own process group (no cgroup:
    // cannot create …: Permission denied)").
    QString description() const;
    // "" when the whole tree's memory is not counted (see Cgroup::memorySource()).
    QString memorySource() const { return m_cgroup ? m_cgroup->memorySource() : QString(); }

    // Adds STACKADVISOR_OWNER and this tree's STACKADVISOR_CHILD to the child's environment.
    void markEnvironment(QProcessEnvironment *environment) const;
    QString tag() const { return m_tag; }
    // What the child does between fork and exec (applyInChild): its own session and
    // group, its cgroup, the death signal, the CPUs.
    ChildSetup childSetup(const QList<int> &cpus, int deathSignal) const;
    // Once the child has started (its pid is its process group id): checks that it
    // is in the cgroup (else falls back to the process group and says why), and
    // starts the watchdog, whose grace before SIGKILL is graceMs.
    void attach(qint64 pid, int graceMs);
    qint64 pid() const { return m_pid; }

    // Every living process of the tree.
    QList<int> members() const;
    bool isEmpty() const { return members().isEmpty(); }
    // To the child's process group (the contract's SIGTERM reaches its workers).
    void signalGroup(int signal) const;
    // SIGKILL to everything: cgroup.kill, or the group and every marked process.
    void killAll();
    // The cgroup's own counters; nullopt in a process group.
    std::optional<CgroupUsage> usage() const;
    // Once nothing is left: removes the cgroup and dismisses the watchdog. False,
    // and nothing done, while a process is still inside.
    bool release();
    bool isReleased() const { return m_released; }
    // The watchdog process (0 before attach() or after release()); for tests.
    qint64 watchdogPid() const { return m_watchdogPid; }

private:
    void startWatchdog(int graceMs);
    void dismissWatchdog(bool cleanUp);

    std::unique_ptr<Cgroup> m_cgroup;
    QString m_whyNoCgroup;
    QString m_tag;
    qint64 m_pid = 0;
    qint64 m_watchdogPid = 0;
    int m_watchdogFd = -1; // the write end of the watchdog's pipe
    bool m_released = false;
};

} // namespace sa::platform
