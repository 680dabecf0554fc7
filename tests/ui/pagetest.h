#pragma once

// What the page tests share: where they save what a person would see, and the
// capacity fixture they run (tests/fixtures/capacityfixture.cpp).

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTest>
#include <QWidget>

namespace sa::test {

inline const QString kCapacityFixture = QStringLiteral(STACKADVISOR_BIN_DIR "/capacityfixture");

// A server catalog entry that runs the capacity fixture with these arguments.
inline QJsonObject fixtureServer(
    const QString &id, const QString &name, const QString &color, const QStringList &arguments)
{
    return QJsonObject { { QStringLiteral("id"), id }, { QStringLiteral("name"), name },
        { QStringLiteral("language"), QStringLiteral("C++") },
        { QStringLiteral("framework"), QStringLiteral("epoll, one request at a time") },
        { QStringLiteral("color"), color }, { QStringLiteral("program"), kCapacityFixture },
        { QStringLiteral("arguments"), QJsonArray::fromStringList(arguments) } };
}

// Writes a user catalog of `servers` to `path` and makes it the one this
// process (and the runs it starts) reads; false if it could not be written.
inline bool useUserCatalog(const QString &path, const QJsonArray &servers)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    const QJsonObject catalog { { QStringLiteral("schemaVersion"), 1 },
        { QStringLiteral("servers"), servers } };
    if (file.write(QJsonDocument(catalog).toJson()) <= 0 || !file.flush())
        return false;
    file.close();
    qputenv("STACKADVISOR_USER_CATALOG", path.toLocal8Bit());
    return true;
}

// The widget as drawn, to STACKADVISOR_ARTIFACTS_DIR (default: the build's
// test-artifacts), in `folder` below it when one is given.
inline void saveScreenshot(QWidget *widget, const QString &name, const QString &folder = {})
{
    QString dir
        = qEnvironmentVariable("STACKADVISOR_ARTIFACTS_DIR", QStringLiteral(STACKADVISOR_ARTIFACTS_DIR));
    if (!folder.isEmpty())
        dir += QLatin1Char('/') + folder;
    QDir().mkpath(dir);
    QVERIFY2(widget->grab().save(QDir(dir).filePath(name)), qPrintable(QDir(dir).filePath(name)));
}

} // namespace sa::test
