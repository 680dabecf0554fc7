#include "atomicfile.h"

#include <QAtomicInt>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sa::platform {

namespace {

QAtomicInt s_serial;

// What a person can do about the errno, or "" when there is nothing to add.
QString adviceFor(int error)
{
    switch (error) {
    case ENOSPC:
    case EDQUOT:
        return QStringLiteral("the disk is full: free some space or choose another folder");
    case EROFS:
        return QStringLiteral("the file system is read-only: choose another folder");
    case EACCES:
    case EPERM:
        return QStringLiteral("you may not write there: choose a folder you can write to");
    case ENOENT:
    case ENOTDIR:
        return QStringLiteral("the folder does not exist");
    case EFBIG:
        return QStringLiteral("the file is larger than this process may write (see ulimit -f)");
    case EISDIR:
        return QStringLiteral("a folder has that name");
    default:
        return {};
    }
}

QString failure(const QString &path, const char *step, int error, bool changed = false)
{
    QString reason = QString::fromLocal8Bit(std::strerror(error));
    if (const QString advice = adviceFor(error); !advice.isEmpty())
        reason += QLatin1String(" (") + advice + QLatin1Char(')');
    return QStringLiteral("cannot write %1: %2 while %3; %4")
        .arg(path, reason, QLatin1String(step),
            changed ? QStringLiteral("the new content is in place but may not survive a power cut")
                    : QStringLiteral("the file was not changed"));
}

bool writeAll(int fd, const QByteArray &content, int *error)
{
    const char *data = content.constData();
    qsizetype left = content.size();
    while (left > 0) {
        const ssize_t written = ::write(fd, data, size_t(left));
        if (written < 0) {
            if (errno == EINTR)
                continue;
            *error = errno;
            return false;
        }
        if (written == 0) {
            *error = ENOSPC; // a device that takes nothing and says nothing is full
            return false;
        }
        data += written;
        left -= written;
    }
    return true;
}

} // namespace

bool writeFileAtomically(const QString &path, const QByteArray &content, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    // Replace a link's target, not the link (as an editor saving through it would).
    QString target = QFileInfo(path).absoluteFilePath();
    if (const QString linked = QFileInfo(path).symLinkTarget(); !linked.isEmpty())
        target = linked;
    const QFileInfo info(target);
    const QString folder = info.absolutePath();
    const QByteArray targetName = QFile::encodeName(target);

    struct stat existing
    {
    };
    const bool exists = ::stat(targetName.constData(), &existing) == 0;
    if (exists && S_ISDIR(existing.st_mode)) {
        *error = failure(path, "opening it", EISDIR);
        return false;
    }

    const QByteArray temporary
        = QFile::encodeName(QDir(folder).filePath(QStringLiteral(".%1.tmp-%2-%3")
                                                      .arg(info.fileName())
                                                      .arg(::getpid())
                                                      .arg(s_serial.fetchAndAddRelaxed(1))));
    const int fd = ::open(temporary.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
        *error = failure(path, "creating a file in its folder", errno);
        return false;
    }
    const auto abandon = [&](const char *step, int code) {
        *error = failure(path, step, code);
        ::unlink(temporary.constData());
        return false;
    };
    int code = 0;
    if (exists && ::fchmod(fd, existing.st_mode & 07777) != 0) {
        code = errno;
        ::close(fd);
        return abandon("keeping its permissions", code);
    }
    if (!writeAll(fd, content, &code)) {
        ::close(fd);
        return abandon("writing it", code);
    }
    // The data is on the device before the name points at it: a crash leaves the
    // old file or the new one, never an empty one.
    if (::fsync(fd) != 0) {
        code = errno;
        ::close(fd);
        return abandon("flushing it to disk", code);
    }
    // Some file systems (NFS) report a failed write only here.
    if (::close(fd) != 0)
        return abandon("closing it", errno);
    if (::rename(temporary.constData(), targetName.constData()) != 0)
        return abandon("putting it in place", errno);

    const int directory = ::open(QFile::encodeName(folder).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directory < 0) {
        *error = failure(path, "opening its folder to flush it", errno, true);
        return false;
    }
    // EINVAL: a file system that cannot sync a folder has nothing more to make durable.
    const bool synced = ::fsync(directory) == 0 || errno == EINVAL;
    code = errno;
    ::close(directory);
    if (!synced) {
        *error = failure(path, "flushing its folder to disk", code, true);
        return false;
    }
    return true;
}

} // namespace sa::platform
