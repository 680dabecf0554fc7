#pragma once

// A cgroup of the app's own for one child process tree: every process the child
// starts, whatever it does (a new session, a double fork, another process group,
// an empty environment), stays in it, so cgroup.kill ends all of it and its
// counters give the whole tree's memory and CPU. Linux only.
//
// Made under the app's own cgroup (/proc/self/cgroup) in the cgroup v2 hierarchy,
// in the pure v2 layout of current distributions (/sys/fs/cgroup) as in the hybrid
// one (v2 at /sys/fs/cgroup/unified, the controllers in v1 hierarchies). Memory
// comes from the v2 memory controller when it is enabled for the new cgroup,
// else, in the hybrid layout, from a twin cgroup in the v1 memory hierarchy.
// Named stackadvisor-<owner pid>-<owner start time>-<serial>[-<label>], so that
// the leftovers of a session that died can be recognised and ended.

#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace sa::platform {

// Where the hierarchies are mounted and where this process sits in them.
struct CgroupLayout
{
    QString v2Mount; // "" when no cgroup2 file system is mounted
    QString v2Own; // this process's cgroup folder in it
    QString v2OwnRelative; // as /proc/self/cgroup says it, e.g. "/user.slice/…"
    QString v1MemoryMount; // "" when there is no v1 memory hierarchy
    QString v1MemoryOwn;
};
CgroupLayout detectCgroupLayout();
// The parser behind it, for tests: /proc/self/mountinfo and /proc/self/cgroup.
CgroupLayout parseCgroupLayout(const QByteArray &mountinfo, const QByteArray &procSelfCgroup);

// The whole tree's use, read from the cgroup's own counters (no /proc walk).
struct CgroupUsage
{
    // Memory charged to the cgroup minus its inactive file cache (memory.current −
    // inactive_file, or v1 usage_in_bytes − total_inactive_file): what a container
    // limit and `docker stats` see. -1 when this cgroup has no memory accounting.
    qint64 memoryBytes = -1;
    // cpu.stat usage_usec: CPU time of every process that ever ran in it.
    qint64 cpuUsageUsec = -1;
};

class Cgroup final
{
public:
    // A new, empty cgroup; nullptr and *whyNot when the machine does not allow one
    // (no cgroup v2, a folder we may not write, a kernel without cgroup.kill).
    static std::unique_ptr<Cgroup> create(const QString &label, QString *whyNot);
    // Ends what is still inside and removes the folders.
    ~Cgroup();
    Cgroup(const Cgroup &) = delete;
    Cgroup &operator=(const Cgroup &) = delete;

    QString path() const { return m_v2Path; }
    QString relativePath() const { return m_v2Relative; } // as /proc/<pid>/cgroup shows it
    // Where memory is counted, for the run's settings: "cgroup v2 memory.current",
    // "cgroup v1 memory controller" or "" (none).
    QString memorySource() const;

    // Open for writing on each hierarchy's cgroup.procs (close-on-exec): the child
    // writes "0" into them between fork and exec, so that nothing it runs is ever
    // outside. Closed by closeEnterFds() once the child has started.
    QList<int> enterFds() const { return m_enterFds; }
    void closeEnterFds();

    bool contains(int pid) const;
    // The living processes inside (cgroup.procs).
    QList<int> members() const;
    bool isEmpty() const { return members().isEmpty(); }
    // SIGKILL to every process inside, atomically (cgroup.kill).
    bool kill(QString *error = nullptr);
    // Removes the folders; false while a process is still inside (try again).
    bool remove();
    bool isRemoved() const { return m_removed; }
    CgroupUsage usage() const;
    // The v1 memory twin's folder ("" without one), for the watchdog.
    QString v1MemoryPath() const { return m_v1Path; }

    // Ends and removes the cgroups of earlier sessions of this app whose owner is
    // no longer running (under this process's own cgroup). A line per cgroup:
    // "/sys/fs/cgroup/…/stackadvisor-… (2 processes)".
    static QStringList endLeftovers();

private:
    Cgroup() = default;

    QString m_v2Path;
    QString m_v2Relative;
    QString m_v1Path; // "" = no v1 memory twin
    bool m_v2Memory = false;
    bool m_removed = false;
    QList<int> m_enterFds;
};

} // namespace sa::platform
