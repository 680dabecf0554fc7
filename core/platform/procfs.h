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

// Parsers exposed for tests.
std::optional<ProcStat> parseStat(const QByteArray &content);
std::optional<MemoryRollup> parseSmapsRollup(const QByteArray &content);

// Machine facts.
QString cpuModel(); // "model name" of /proc/cpuinfo
qint64 totalMemoryBytes(); // MemTotal of /proc/meminfo
QString osPrettyName(); // PRETTY_NAME of /etc/os-release
QString kernelRelease(); // uname -r

} // namespace sa::platform
