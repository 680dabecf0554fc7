#include "procfs.h"

#include <QDir>
#include <QFile>
#include <QHash>

#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

namespace sa::platform {

namespace {

QByteArray readProcFile(const QString &path)
{
    // /proc files report size 0: read until EOF rather than by size.
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

QString procPath(int pid, QLatin1String leaf)
{
    return QLatin1String("/proc/") + QString::number(pid) + QLatin1Char('/') + leaf;
}

} // namespace

long clockTicksPerSecond()
{
    static const long ticks = sysconf(_SC_CLK_TCK);
    return ticks > 0 ? ticks : 100;
}

QList<int> allPids()
{
    QList<int> pids;
    const QStringList names = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &name : names) {
        bool ok = false;
        const int pid = name.toInt(&ok);
        if (ok && pid > 0)
            pids.append(pid);
    }
    return pids;
}

std::optional<ProcStat> parseStat(const QByteArray &content)
{
    // "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt
    //  cmajflt utime stime cutime cstime priority nice threads itrealvalue starttime …"
    // comm may hold spaces and parentheses: split after the last ')'.
    const qsizetype close = content.lastIndexOf(')');
    if (close < 0)
        return std::nullopt;
    const QList<QByteArray> fields = content.mid(close + 2).simplified().split(' ');
    if (fields.size() < 20)
        return std::nullopt;
    ProcStat stat;
    bool ok = false;
    stat.pid = content.left(content.indexOf(' ')).toInt(&ok);
    if (!ok)
        return std::nullopt;
    stat.state = fields.at(0).isEmpty() ? '?' : fields.at(0).at(0);
    stat.ppid = fields.at(1).toInt();
    stat.pgid = fields.at(2).toInt();
    stat.utimeTicks = fields.at(11).toULongLong();
    stat.stimeTicks = fields.at(12).toULongLong();
    stat.startTimeTicks = fields.at(19).toULongLong();
    return stat;
}

std::optional<ProcStat> readStat(int pid)
{
    const QByteArray content = readProcFile(procPath(pid, QLatin1String("stat")));
    if (content.isEmpty())
        return std::nullopt;
    return parseStat(content);
}

std::optional<MemoryRollup> parseSmapsRollup(const QByteArray &content)
{
    MemoryRollup rollup;
    bool sawRss = false;
    for (const QByteArray &line : content.split('\n')) {
        // "Rss:               12345 kB"
        const auto valueOf = [&line](const char *key) -> std::optional<qint64> {
            if (!line.startsWith(key))
                return std::nullopt;
            const QList<QByteArray> parts = line.simplified().split(' ');
            if (parts.size() < 2)
                return std::nullopt;
            return parts.at(1).toLongLong() * 1024;
        };
        if (const auto rss = valueOf("Rss:")) {
            rollup.rssBytes = *rss;
            sawRss = true;
        } else if (const auto pss = valueOf("Pss:")) {
            rollup.pssBytes = *pss;
        }
    }
    if (!sawRss)
        return std::nullopt;
    return rollup;
}

std::optional<MemoryRollup> readSmapsRollup(int pid)
{
    const QByteArray content = readProcFile(procPath(pid, QLatin1String("smaps_rollup")));
    if (content.isEmpty())
        return std::nullopt;
    return parseSmapsRollup(content);
}

QList<int> processTree(int rootPid)
{
    if (rootPid <= 0 || !isAlive(rootPid))
        return {};
    QHash<int, QList<int>> children;
    for (int pid : allPids()) {
        if (const auto stat = readStat(pid))
            children[stat->ppid].append(pid);
    }
    QList<int> tree { rootPid };
    for (qsizetype i = 0; i < tree.size(); ++i)
        tree.append(children.value(tree.at(i)));
    return tree;
}

QList<int> processGroupMembers(int pgid)
{
    QList<int> members;
    if (pgid <= 0)
        return members;
    for (int pid : allPids()) {
        const auto stat = readStat(pid);
        if (stat && stat->pgid == pgid && stat->state != 'Z')
            members.append(pid);
    }
    return members;
}

QByteArray readEnviron(int pid)
{
    return readProcFile(procPath(pid, QLatin1String("environ")));
}

bool isAlive(int pid)
{
    if (pid <= 0)
        return false;
    if (::kill(pid, 0) != 0 && errno == ESRCH)
        return false;
    const auto stat = readStat(pid);
    return stat && stat->state != 'Z' && stat->state != 'X';
}

QString cpuModel()
{
    const QByteArray content = readProcFile(QStringLiteral("/proc/cpuinfo"));
    for (const QByteArray &line : content.split('\n')) {
        if (line.startsWith("model name")) {
            const qsizetype colon = line.indexOf(':');
            if (colon >= 0)
                return QString::fromUtf8(line.mid(colon + 1)).trimmed();
        }
    }
    return {};
}

qint64 totalMemoryBytes()
{
    const QByteArray content = readProcFile(QStringLiteral("/proc/meminfo"));
    for (const QByteArray &line : content.split('\n')) {
        if (line.startsWith("MemTotal:")) {
            const QList<QByteArray> parts = line.simplified().split(' ');
            if (parts.size() >= 2)
                return parts.at(1).toLongLong() * 1024;
        }
    }
    return 0;
}

QString osPrettyName()
{
    const QByteArray content = readProcFile(QStringLiteral("/etc/os-release"));
    for (const QByteArray &line : content.split('\n')) {
        if (line.startsWith("PRETTY_NAME=")) {
            QByteArray value = line.mid(int(sizeof("PRETTY_NAME=")) - 1).trimmed();
            if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
                value = value.mid(1, value.size() - 2);
            return QString::fromUtf8(value);
        }
    }
    return {};
}

QString kernelRelease()
{
    struct utsname name
    {
    };
    if (uname(&name) != 0)
        return {};
    return QString::fromLocal8Bit(name.sysname) + QLatin1Char(' ') + QString::fromLocal8Bit(name.release);
}

} // namespace sa::platform
