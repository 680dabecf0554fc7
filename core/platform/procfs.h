#pragma once

// Reading /proc: process tree, per-process CPU time and memory, machine facts.
// Linux only; every function returns "nothing" for a process that has gone away
// between listing and reading, which is normal for a live tree.

#include <QList>
#include <QString>

#include <optional>

namespace sa::platform {

struct ProcStat
{
    int pid = 0;
    int ppid = 0;
    int pgid = 0;
    char state = '?';
    quint64 utimeTicks = 0;
    quint64 stimeTicks = 0;
    quint64 startTimeTicks = 0; // since boot; with the pid, identifies a process
};

struct MemoryRollup
{
    qint64 rssBytes = 0;
    qint64 pssBytes = 0;
};

long clockTicksPerSecond();

QList<int> allPids();
std::optional<ProcStat> readStat(int pid);
// /proc/<pid>/smaps_rollup (Linux ≥ 4.14): Rss and Pss.
std::optional<MemoryRollup> readSmapsRollup(int pid);
// The root and all its descendants (children, grandchildren, …), root first.
// Empty when the root is gone.
QList<int> processTree(int rootPid);
// Every living process whose process group is pgid.
QList<int> processGroupMembers(int pgid);
// Raw /proc/<pid>/environ ("" when unreadable).
QByteArray readEnviron(int pid);
bool isAlive(int pid);
// The owner (effective uid) of the process; nullopt when it is gone.
std::optional<uint> processUid(int pid);
// /proc/<pid>/comm, e.g. "gunicorn"; "" when gone.
QString commandName(int pid);
// /proc/<pid>/exe resolved ("" when gone or not ours to read).
QString executablePath(int pid);
// /proc/<pid>/cmdline split at its NULs.
QStringList commandLine(int pid);
// "pid 1234 (gunicorn), pid 1240 (gunicorn)": processes for a message.
QString describeProcesses(const QList<int> &pids);

// The processes holding a lock (POSIX, OFD or flock, from /proc/locks) on any of
// these files, this one excluded. OFD locks name no process and are not counted.
QList<int> fileLockHolders(const QStringList &paths);

// A TCP socket in LISTEN state, from /proc/<pid>/net/tcp and tcp6.
struct ListeningSocket
{
    QString address; // "0.0.0.0", "::", "127.0.0.1", "::1", …
    int port = 0;
    quint64 inode = 0;
    bool wildcard = false; // bound to every interface (0.0.0.0 or ::)
};
// One /proc/net/tcp or tcp6 table; exposed for tests.
QList<ListeningSocket> parseListeningSockets(const QByteArray &table, bool ipv6);
// The listening sockets that these processes hold open (their fds), with the
// pids holding each. Sockets of other processes are not reported.
struct HeldSocket
{
    ListeningSocket socket;
    QList<int> pids;
};
QList<HeldSocket> listeningSocketsOf(const QList<int> &pids);

// Parsers exposed for tests.
std::optional<ProcStat> parseStat(const QByteArray &content);
std::optional<MemoryRollup> parseSmapsRollup(const QByteArray &content);

// Machine facts.
QString cpuModel(); // "model name" of /proc/cpuinfo
qint64 totalMemoryBytes(); // MemTotal of /proc/meminfo
QString osPrettyName(); // PRETTY_NAME of /etc/os-release
QString kernelRelease(); // uname -r

} // namespace sa::platform
