#include "cputime.h"

#include "procfs.h"

#include <QDir>
#include <QFile>

namespace sa::platform {

std::optional<qint64> parseSchedstat(const QByteArray &content)
{
    const QByteArray first = content.trimmed().split(' ').value(0);
    bool ok = false;
    const qint64 ns = first.toLongLong(&ok);
    return ok && ns >= 0 ? std::optional<qint64>(ns) : std::nullopt;
}

std::optional<qint64> treeCpuNanoseconds(int rootPid)
{
    const QList<int> tree = processTree(rootPid);
    if (tree.isEmpty())
        return std::nullopt;
    qint64 total = 0;
    bool any = false;
    for (int pid : tree) {
        const QString tasks = QStringLiteral("/proc/%1/task").arg(pid);
        const QStringList tids = QDir(tasks).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString &tid : tids) {
            QFile file(tasks + QLatin1Char('/') + tid + QLatin1String("/schedstat"));
            if (!file.open(QIODevice::ReadOnly))
                continue; // the thread ended between the listing and the reading
            if (const auto ns = parseSchedstat(file.readAll())) {
                total += *ns;
                any = true;
            }
        }
    }
    return any ? std::optional<qint64>(total) : std::nullopt;
}

} // namespace sa::platform
