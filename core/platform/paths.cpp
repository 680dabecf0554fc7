#include "paths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace sa::Paths {

namespace {

QString fromEnvironment(const char *name)
{
    const QByteArray value = qgetenv(name);
    return value.isEmpty() ? QString() : QDir::cleanPath(QString::fromLocal8Bit(value));
}

// <prefix>/share/stackadvisor when the running binary lives in <prefix>/bin.
QString installedShareDir()
{
    const QString share = QDir::cleanPath(executableDir() + QLatin1String("/../share/stackadvisor"));
    return QFileInfo(share).isDir() ? share : QString();
}

} // namespace

QString appVersion()
{
    return QStringLiteral(STACKADVISOR_VERSION);
}

QString executableDir()
{
    if (QCoreApplication::instance())
        return QCoreApplication::applicationDirPath();
    // Appless tests and early start-up: ask the kernel.
    return QFileInfo(QFile::symLinkTarget(QStringLiteral("/proc/self/exe"))).absolutePath();
}

QString resourcesDir()
{
    if (const QString dir = fromEnvironment("STACKADVISOR_RESOURCES_DIR"); !dir.isEmpty())
        return dir;
    if (const QString share = installedShareDir(); !share.isEmpty())
        return share + QLatin1String("/resources");
    return QStringLiteral(STACKADVISOR_SOURCE_DIR "/resources");
}

QString resourceFile(const QString &relativePath)
{
    return resourcesDir() + QLatin1Char('/') + relativePath;
}

QString serversSourceDir()
{
    if (const QString share = installedShareDir(); !share.isEmpty())
        return share + QLatin1String("/servers");
    return QStringLiteral(STACKADVISOR_SOURCE_DIR "/servers");
}

QString serversBuildDir()
{
    if (const QString dir = fromEnvironment("STACKADVISOR_SERVERS_DIR"); !dir.isEmpty())
        return dir;
    if (const QString share = installedShareDir(); !share.isEmpty())
        return share + QLatin1String("/servers");
    return QStringLiteral(STACKADVISOR_SERVERS_BUILD_DIR);
}

QString userServersDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QLatin1String("/servers");
}

QString loadGeneratorPath()
{
    return executableDir() + QLatin1String("/stackadvisor-load");
}

} // namespace sa::Paths
