#pragma once

// What the page tests share: where they save what a person would see, and the
// capacity fixture they run (tests/fixtures/capacityfixture.cpp).

#include <QDir>
#include <QString>
#include <QTest>
#include <QWidget>

namespace sa::test {

inline const QString kCapacityFixture = QStringLiteral(STACKADVISOR_BIN_DIR "/capacityfixture");

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
