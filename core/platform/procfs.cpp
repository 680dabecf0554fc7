#include "procfs.h"

#include <QDir>
#include <QFile>
#include <QHash>

#include <sys/stat.h>
#include <sys/sysmacros.h>
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

std::optional<uint> processUid(int pid)
{
    struct stat info
    {
    };
    if (pid <= 0
        || ::stat(QFile::encodeName(QLatin1String("/proc/") + QString::number(pid)).constData(), &info) != 0)
        return std::nullopt;
    return uint(info.st_uid);
}

QString commandName(int pid)
{
    return QString::fromLocal8Bit(readProcFile(procPath(pid, QLatin1String("comm")))).trimmed();
}

QString executablePath(int pid)
{
    return QFile::symLinkTarget(procPath(pid, QLatin1String("exe")));
}

QStringList commandLine(int pid)
{
    QStringList arguments;
    QByteArray content = readProcFile(procPath(pid, QLatin1String("cmdline")));
    if (content.endsWith('\0'))
        content.chop(1);
    if (content.isEmpty())
        return arguments;
    for (const QByteArray &argument : content.split('\0'))
        arguments << QString::fromLocal8Bit(argument);
    return arguments;
}

QString describeProcesses(const QList<int> &pids)
{
    QStringList parts;
    for (int pid : pids)
        parts << QStringLiteral("pid %1 (%2)").arg(pid).arg(commandName(pid));
    return parts.join(QLatin1String(", "));
}

QList<int> fileLockHolders(const QStringList &paths)
{
    // "1: POSIX  ADVISORY  WRITE 1234 08:01:393612 1073741824 1073742335"; waiting
    // requests are listed with "->" and hold nothing.
    QList<QByteArray> files;
    for (const QString &path : paths) {
        struct stat info
        {
        };
        if (::stat(QFile::encodeName(path).constData(), &info) == 0)
            files << QByteArray::number(major(info.st_dev), 16).rightJustified(2, '0') + ':'
                    + QByteArray::number(minor(info.st_dev), 16).rightJustified(2, '0') + ':'
                    + QByteArray::number(quint64(info.st_ino));
    }
    QList<int> holders;
    const int self = int(::getpid());
    for (const QByteArray &line : readProcFile(QStringLiteral("/proc/locks")).split('\n')) {
        if (line.contains("->"))
            continue;
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() < 6)
            continue;
        const int pid = fields.at(4).toInt();
        if (pid > 0 && pid != self && files.contains(fields.at(5).toLower()) && !holders.contains(pid))
            holders.append(pid);
    }
    return holders;
}

QList<ListeningSocket> parseListeningSockets(const QByteArray &table, bool ipv6)
{
    // "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"
    // "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 12345 …"
    constexpr char kListen[] = "0A";
    QList<ListeningSocket> sockets;
    const QList<QByteArray> lines = table.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> fields = lines.at(i).simplified().split(' ');
        if (fields.size() < 10 || fields.at(3) != kListen)
            continue;
        const QList<QByteArray> local = fields.at(1).split(':');
        if (local.size() != 2)
            continue;
        ListeningSocket socket;
        bool ok = false;
        socket.port = local.at(1).toInt(&ok, 16);
        socket.inode = fields.at(9).toULongLong();
        const QByteArray hex = local.at(0);
        if (!ok || hex.size() != (ipv6 ? 32 : 8))
            continue;
        // The kernel prints each 32-bit word in host (little-endian) order.
        QByteArray bytes;
        for (qsizetype word = 0; word < hex.size(); word += 8) {
            const quint32 value = hex.mid(word, 8).toUInt(&ok, 16);
            for (int b = 0; b < 4; ++b)
                bytes.append(char((value >> (8 * b)) & 0xff));
        }
        socket.wildcard = bytes.count('\0') == bytes.size();
        if (ipv6) {
            QStringList groups;
            for (int g = 0; g < 16; g += 2)
                groups << QString::number((uchar(bytes.at(g)) << 8) | uchar(bytes.at(g + 1)), 16);
            socket.address = socket.wildcard ? QStringLiteral("::") : groups.join(QLatin1Char(':'));
        } else {
            socket.address = QStringLiteral("%1.%2.%3.%4")
                                 .arg(uchar(bytes.at(0)))
                                 .arg(uchar(bytes.at(1)))
                                 .arg(uchar(bytes.at(2)))
                                 .arg(uchar(bytes.at(3)));
        }
        sockets.append(socket);
    }
    return sockets;
}

QList<HeldSocket> listeningSocketsOf(const QList<int> &pids)
{
    // Which socket inodes each process holds, then which of them listen. The
    // tables are read from the processes' own network namespace.
    QHash<quint64, QList<int>> holders;
    for (int pid : pids) {
        const QString fdFolder = procPath(pid, QLatin1String("fd"));
        for (const QString &fd :
            QDir(fdFolder).entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot)) {
            const QString link = QFile::symLinkTarget(fdFolder + QLatin1Char('/') + fd);
            // The target reads "socket:[12345]", made absolute by Qt.
            const qsizetype open = link.indexOf(QLatin1String("socket:["));
            if (open < 0)
                continue;
            const quint64 inode = link.mid(open + 8).chopped(1).toULongLong();
            if (inode != 0 && !holders.value(inode).contains(pid))
                holders[inode].append(pid);
        }
    }
    QList<HeldSocket> held;
    if (holders.isEmpty())
        return held;
    const int reader = pids.constFirst();
    for (const auto &[name, ipv6] : { std::pair { "net/tcp", false }, std::pair { "net/tcp6", true } }) {
        for (const ListeningSocket &socket :
            parseListeningSockets(readProcFile(procPath(reader, QLatin1String(name))), ipv6)) {
            if (holders.contains(socket.inode))
                held.append({ socket, holders.value(socket.inode) });
        }
    }
    return held;
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
