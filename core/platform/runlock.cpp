#include "runlock.h"

#include "procfs.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTimer>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sa::platform {

namespace {
constexpr int kRetryMs = 250;
}

RunLock::RunLock(const QString &path, QObject *parent)
    : QObject(parent), m_path(path.isEmpty() ? defaultPath() : path), m_retry(new QTimer(this))
{
    m_retry->setInterval(kRetryMs);
    connect(m_retry, &QTimer::timeout, this, [this] {
        QString problem;
        if (tryOnce(&problem)) {
            m_retry->stop();
            Q_EMIT acquired();
        } else if (!problem.isEmpty()) {
            m_retry->stop();
            Q_EMIT failed(problem);
        }
    });
}

RunLock::~RunLock()
{
    release();
}

QString RunLock::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QLatin1String("/bench.lock");
}

void RunLock::acquire()
{
    QString problem;
    if (tryOnce(&problem)) {
        QTimer::singleShot(0, this, [this] { Q_EMIT acquired(); });
        return;
    }
    if (!problem.isEmpty()) {
        QTimer::singleShot(0, this, [this, problem] { Q_EMIT failed(problem); });
        return;
    }
    if (!m_saidWaiting) {
        m_saidWaiting = true;
        const QString who = holder();
        QTimer::singleShot(0, this, [this, who] { Q_EMIT waiting(who); });
    }
    m_retry->start();
}

bool RunLock::tryOnce(QString *problem)
{
    if (m_fd < 0) {
        QDir().mkpath(QFileInfo(m_path).absolutePath());
        m_fd = ::open(QFile::encodeName(m_path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (m_fd < 0) {
            *problem = QStringLiteral("cannot create the benchmark lock %1: %2")
                           .arg(m_path, QString::fromLocal8Bit(std::strerror(errno)));
            return false;
        }
    }
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK || errno == EINTR)
            return false;
        *problem
            = QStringLiteral("cannot lock %1: %2").arg(m_path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    m_held = true;
    // Who holds it, for the one who waits.
    const QByteArray who = QStringLiteral("%1 %2 %3\n")
                               .arg(::getpid())
                               .arg(commandName(int(::getpid())))
                               .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate))
                               .toUtf8();
    if (::ftruncate(m_fd, 0) == 0) {
        [[maybe_unused]] const ssize_t written = ::pwrite(m_fd, who.constData(), size_t(who.size()), 0);
    }
    return true;
}

QString RunLock::holder() const
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("another process");
    const QList<QByteArray> parts = file.readLine().trimmed().split(' ');
    if (parts.size() < 3)
        return QStringLiteral("another process");
    const QDateTime since = QDateTime::fromString(QString::fromLatin1(parts.at(2)), Qt::ISODate);
    return QStringLiteral("pid %1 (%2), since %3 UTC")
        .arg(QString::fromLatin1(parts.at(0)), QString::fromLocal8Bit(parts.at(1)),
            since.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
}

void RunLock::release()
{
    m_retry->stop();
    if (m_fd >= 0) {
        if (m_held)
            ::flock(m_fd, LOCK_UN);
        ::close(m_fd);
    }
    m_fd = -1;
    m_held = false;
}

} // namespace sa::platform
