#include "cgroup.h"

#include "procfs.h"

#include <QAtomicInt>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QThread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sa::platform {

namespace {

QAtomicInt s_serial;

const QLatin1String kPrefix("stackadvisor-");

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

bool writeFile(const QString &path, const QByteArray &content, int *error = nullptr)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        if (error)
            *error = errno;
        return false;
    }
    const bool ok = ::write(fd, content.constData(), size_t(content.size())) == content.size();
    if (!ok && error)
        *error = errno;
    ::close(fd);
    return ok;
}

// mountinfo escapes blanks and backslashes in paths as \ooo.
QString unescapeMountPath(const QByteArray &field)
{
    QByteArray out;
    for (qsizetype i = 0; i < field.size(); ++i) {
        if (field.at(i) == '\\' && i + 3 < field.size()) {
            bool ok = false;
            const int value = field.mid(i + 1, 3).toInt(&ok, 8);
            if (ok) {
                out.append(char(value));
                i += 3;
                continue;
            }
        }
        out.append(field.at(i));
    }
    return QFile::decodeName(out);
}

// The folder of cgroupPath (as /proc/self/cgroup gives it) under a mount whose
// root in the hierarchy is mountRoot (not "/" inside some containers).
QString ownFolder(const QString &mount, const QString &mountRoot, const QString &cgroupPath)
{
    QString relative = cgroupPath;
    if (mountRoot != QLatin1String("/") && relative.startsWith(mountRoot))
        relative = relative.mid(mountRoot.size());
    return QDir::cleanPath(mount + QLatin1Char('/') + relative);
}

qint64 statValue(const QByteArray &stat, const char *key)
{
    const QByteArray prefix = QByteArray(key) + ' ';
    for (const QByteArray &line : stat.split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().toLongLong();
    }
    return -1;
}

struct LeftoverName
{
    int pid = 0;
    quint64 startTime = 0;
};

std::optional<LeftoverName> parseName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^stackadvisor-(\\d+)-(\\d+)-\\d+(-.*)?$"));
    const QRegularExpressionMatch match = pattern.match(name);
    if (!match.hasMatch())
        return std::nullopt;
    return LeftoverName { match.captured(1).toInt(), match.captured(2).toULongLong() };
}

bool ownerRunning(const LeftoverName &owner)
{
    const auto stat = readStat(owner.pid);
    return stat && isAlive(owner.pid) && stat->startTimeTicks == owner.startTime;
}

QList<int> parsePids(const QByteArray &content)
{
    QList<int> pids;
    for (const QByteArray &line : content.split('\n')) {
        bool ok = false;
        const int pid = line.trimmed().toInt(&ok);
        if (ok && pid > 0)
            pids.append(pid);
    }
    return pids;
}

// rmdir that waits a moment for processes that are exiting (a cgroup stays
// populated until its last process has been reaped).
bool removeFolder(const QString &path)
{
    if (path.isEmpty() || !QFileInfo::exists(path))
        return true;
    const QByteArray name = QFile::encodeName(path);
    for (int attempt = 0; attempt < 50; ++attempt) {
        if (::rmdir(name.constData()) == 0 || errno == ENOENT)
            return true;
        if (errno != EBUSY)
            return false;
        QThread::msleep(10);
    }
    return false;
}

} // namespace

CgroupLayout parseCgroupLayout(const QByteArray &mountinfo, const QByteArray &procSelfCgroup)
{
    QString v2Path, v1MemoryPath;
    for (const QByteArray &line : procSelfCgroup.split('\n')) {
        // "0::/user.slice/…" (v2) or "4:memory:/…" (v1)
        const QList<QByteArray> parts = line.split(':');
        if (parts.size() < 3)
            continue;
        const QString path = QFile::decodeName(line.mid(parts.at(0).size() + parts.at(1).size() + 2));
        if (parts.at(0) == "0" && parts.at(1).isEmpty())
            v2Path = path;
        else if (parts.at(1).split(',').contains("memory"))
            v1MemoryPath = path;
    }
    CgroupLayout layout;
    for (const QByteArray &line : mountinfo.split('\n')) {
        // "36 25 0:30 / /sys/fs/cgroup/unified rw,… shared:9 - cgroup2 cgroup2 rw,…"
        const qsizetype dash = line.indexOf(" - ");
        if (dash < 0)
            continue;
        const QList<QByteArray> left = line.left(dash).split(' ');
        const QList<QByteArray> right = line.mid(dash + 3).split(' ');
        if (left.size() < 5 || right.size() < 3)
            continue;
        const QString root = unescapeMountPath(left.at(3));
        const QString mount = unescapeMountPath(left.at(4));
        const QByteArray type = right.at(0);
        if (type == "cgroup2" && layout.v2Mount.isEmpty() && !v2Path.isEmpty()) {
            layout.v2Mount = mount;
            layout.v2OwnRelative = v2Path;
            layout.v2Own = ownFolder(mount, root, v2Path);
        } else if (type == "cgroup" && right.at(2).split(',').contains("memory")
            && layout.v1MemoryMount.isEmpty() && !v1MemoryPath.isEmpty()) {
            layout.v1MemoryMount = mount;
            layout.v1MemoryOwn = ownFolder(mount, root, v1MemoryPath);
        }
    }
    return layout;
}

CgroupLayout detectCgroupLayout()
{
    return parseCgroupLayout(
        readFile(QStringLiteral("/proc/self/mountinfo")), readFile(QStringLiteral("/proc/self/cgroup")));
}

std::unique_ptr<Cgroup> Cgroup::create(const QString &label, QString *whyNot)
{
    QString ignored;
    if (!whyNot)
        whyNot = &ignored;
    const CgroupLayout layout = detectCgroupLayout();
    if (layout.v2Mount.isEmpty()) {
        *whyNot = QStringLiteral("no cgroup v2 hierarchy is mounted");
        return nullptr;
    }
    const auto self = readStat(int(::getpid()));
    QString name = kPrefix + QString::number(::getpid()) + QLatin1Char('-')
        + QString::number(self ? self->startTimeTicks : 0) + QLatin1Char('-')
        + QString::number(s_serial.fetchAndAddRelaxed(1));
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]"));
    if (!label.isEmpty())
        name += QLatin1Char('-') + QString(label).replace(unsafe, QStringLiteral("_")).left(64);

    std::unique_ptr<Cgroup> cgroup(new Cgroup);
    cgroup->m_v2Path = layout.v2Own + QLatin1Char('/') + name;
    cgroup->m_v2Relative = (layout.v2OwnRelative == QLatin1String("/") ? QString() : layout.v2OwnRelative)
        + QLatin1Char('/') + name;
    if (::mkdir(QFile::encodeName(cgroup->m_v2Path).constData(), 0755) != 0) {
        *whyNot = QStringLiteral("cannot create %1: %2")
                      .arg(cgroup->m_v2Path, QString::fromLocal8Bit(std::strerror(errno)));
        cgroup->m_removed = true;
        return nullptr;
    }
    if (!QFileInfo::exists(cgroup->m_v2Path + QLatin1String("/cgroup.kill"))) {
        *whyNot = QStringLiteral("this kernel has no cgroup.kill (it needs Linux 5.14 or later)");
        return nullptr; // the destructor removes the folder
    }
    cgroup->m_v2Memory = QFileInfo::exists(cgroup->m_v2Path + QLatin1String("/memory.current"));
    if (!cgroup->m_v2Memory && !layout.v1MemoryOwn.isEmpty()) {
        const QString twin = layout.v1MemoryOwn + QLatin1Char('/') + name;
        if (::mkdir(QFile::encodeName(twin).constData(), 0755) == 0)
            cgroup->m_v1Path = twin;
    }
    for (const QString &folder : { cgroup->m_v2Path, cgroup->m_v1Path }) {
        if (folder.isEmpty())
            continue;
        const int fd = ::open(
            QFile::encodeName(folder + QLatin1String("/cgroup.procs")).constData(), O_WRONLY | O_CLOEXEC);
        if (fd < 0) {
            *whyNot = QStringLiteral("cannot write %1/cgroup.procs: %2")
                          .arg(folder, QString::fromLocal8Bit(std::strerror(errno)));
            return nullptr;
        }
        cgroup->m_enterFds.append(fd);
    }
    return cgroup;
}

Cgroup::~Cgroup()
{
    closeEnterFds();
    if (m_removed)
        return;
    if (!isEmpty())
        kill();
    remove();
}

QString Cgroup::memorySource() const
{
    if (m_v2Memory)
        return QStringLiteral("cgroup v2 memory.current");
    if (!m_v1Path.isEmpty())
        return QStringLiteral("cgroup v1 memory controller");
    return {};
}

void Cgroup::closeEnterFds()
{
    for (int fd : std::as_const(m_enterFds))
        ::close(fd);
    m_enterFds.clear();
}

bool Cgroup::contains(int pid) const
{
    for (const QByteArray &line :
        readFile(QLatin1String("/proc/") + QString::number(pid) + QLatin1String("/cgroup")).split('\n')) {
        if (line.startsWith("0::"))
            return QFile::decodeName(line.mid(3)) == m_v2Relative;
    }
    return false;
}

QList<int> Cgroup::members() const
{
    if (m_removed)
        return {};
    return parsePids(readFile(m_v2Path + QLatin1String("/cgroup.procs")));
}

bool Cgroup::kill(QString *error)
{
    if (m_removed)
        return true;
    int code = 0;
    if (writeFile(m_v2Path + QLatin1String("/cgroup.kill"), "1", &code))
        return true;
    if (error)
        *error = QStringLiteral("cannot write %1/cgroup.kill: %2")
                     .arg(m_v2Path, QString::fromLocal8Bit(std::strerror(code)));
    return false;
}

bool Cgroup::remove()
{
    if (m_removed)
        return true;
    if (!removeFolder(m_v2Path))
        return false;
    removeFolder(m_v1Path);
    m_removed = true;
    return true;
}

CgroupUsage Cgroup::usage() const
{
    CgroupUsage usage;
    if (m_removed)
        return usage;
    usage.cpuUsageUsec = statValue(readFile(m_v2Path + QLatin1String("/cpu.stat")), "usage_usec");
    if (m_v2Memory) {
        const QByteArray current = readFile(m_v2Path + QLatin1String("/memory.current")).trimmed();
        const qint64 inactive
            = statValue(readFile(m_v2Path + QLatin1String("/memory.stat")), "inactive_file");
        if (!current.isEmpty())
            usage.memoryBytes = qMax<qint64>(0, current.toLongLong() - qMax<qint64>(0, inactive));
    } else if (!m_v1Path.isEmpty()) {
        const QByteArray used = readFile(m_v1Path + QLatin1String("/memory.usage_in_bytes")).trimmed();
        const QByteArray stat = readFile(m_v1Path + QLatin1String("/memory.stat"));
        qint64 inactive = statValue(stat, "total_inactive_file");
        if (inactive < 0)
            inactive = statValue(stat, "inactive_file");
        if (!used.isEmpty())
            usage.memoryBytes = qMax<qint64>(0, used.toLongLong() - qMax<qint64>(0, inactive));
    }
    return usage;
}

QStringList Cgroup::endLeftovers()
{
    QStringList ended;
    const CgroupLayout layout = detectCgroupLayout();
    const QStringList filter { kPrefix + QLatin1Char('*') };
    if (!layout.v2Own.isEmpty()) {
        for (const QString &name : QDir(layout.v2Own).entryList(filter, QDir::Dirs | QDir::NoDotAndDotDot)) {
            const auto owner = parseName(name);
            if (!owner || ownerRunning(*owner))
                continue;
            const QString folder = layout.v2Own + QLatin1Char('/') + name;
            const qsizetype count = parsePids(readFile(folder + QLatin1String("/cgroup.procs"))).size();
            writeFile(folder + QLatin1String("/cgroup.kill"), "1");
            if (removeFolder(folder))
                ended << QStringLiteral("%1 (%2 processes)").arg(folder).arg(count);
        }
    }
    if (!layout.v1MemoryOwn.isEmpty()) {
        // A twin whose v2 cgroup is gone holds no process of ours any more.
        for (const QString &name :
            QDir(layout.v1MemoryOwn).entryList(filter, QDir::Dirs | QDir::NoDotAndDotDot)) {
            const auto owner = parseName(name);
            if (owner && !ownerRunning(*owner))
                removeFolder(layout.v1MemoryOwn + QLatin1Char('/') + name);
        }
    }
    return ended;
}

} // namespace sa::platform
