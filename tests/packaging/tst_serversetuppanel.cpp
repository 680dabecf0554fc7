// The benchmark page's "Prepare Python and Node servers" panel: shown while a
// Python or Node server is not ready, its button runs ServerSetup (here with a
// fixture build script, or a missing npm), the status says what happened, the
// same button cancels, and nothing is left running.

#include "bench/benchmarkpage.h"
#include "bench/serversetuppanel.h"
#include "platform/processcontrol.h"

#include <QDir>
#include <QFile>
#include <QProgressBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QScrollArea>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using sa::bench::ServerSetup;
using sa::ui::ServerSetupPanel;

namespace {

// Options as the app makes them (the catalog's families), with the build script,
// output folder and families of the test.
ServerSetup::Options setupOptions(
    const QString &script, const QString &dir, const QList<ServerSetup::Family> &families)
{
    ServerSetup::Options options = ServerSetup::defaultOptions();
    options.buildScript = script;
    options.outputDir = dir;
    options.families = families;
    return options;
}
} // namespace

class TestServerSetupPanel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void shownWhileServersAreMissing();
    void buttonPreparesAndReports_data();
    void buttonPreparesAndReports();
    void buttonCancels();
    void onTheBenchmarkPage();

private:
    QString writeScript(const QByteArray &body);

    QTemporaryDir m_dir;
};

void TestServerSetupPanel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Nothing built and nothing prepared: an empty servers folder, a private data folder.
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(QDir().mkpath(m_dir.filePath(u"built"_s)));
    qputenv("STACKADVISOR_SERVERS_DIR", m_dir.filePath(u"built"_s).toLocal8Bit());
}

QString TestServerSetupPanel::writeScript(const QByteArray &body)
{
    static int count = 0;
    const QString path = m_dir.filePath(u"build%1.sh"_s.arg(++count));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(body) != body.size())
        return {};
    return path;
}

void TestServerSetupPanel::shownWhileServersAreMissing()
{
    ServerSetupPanel panel;
    QVERIFY(!panel.isHidden());
    QVERIFY2(panel.statusText().contains(u"Python · FastAPI"_s), qPrintable(panel.statusText()));
    QVERIFY(panel.statusText().contains(u"Node.js · Express"_s));
    QVERIFY(!panel.statusText().contains(u"Go ·"_s)); // the Go servers are not this panel's business
}

void TestServerSetupPanel::buttonPreparesAndReports_data()
{
    QTest::addColumn<QByteArray>("npm");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("expected");
    QTest::addRow("prepared") << QByteArray() << true << u"Ready: node-express."_s;
    QTest::addRow("npm missing") << "/nonexistent/npm"_ba << false << u"npm is not installed"_s;
}

void TestServerSetupPanel::buttonPreparesAndReports()
{
    QFETCH(QByteArray, npm);
    QFETCH(bool, ok);
    QFETCH(QString, expected);
    const QByteArray saved = qgetenv("NPM");
    if (!npm.isEmpty())
        qputenv("NPM", npm);
    const auto restore = qScopeGuard([&] { saved.isEmpty() ? qunsetenv("NPM") : qputenv("NPM", saved); });

    const QString out = m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()));
    const QString script = writeScript(R"(echo "servers: node-express: npm ci with Node v20"
printf '{"schemaVersion": 1, "servers": {"node-express": {"ready": true}}}' > "$1/manifest.json"
)");
    QVERIFY(!script.isEmpty());
    ServerSetupPanel panel;
    panel.setOptions(setupOptions(script, out, { ServerSetup::Family::Node }));
    panel.show();
    QSignalSpy finished(&panel, &ServerSetupPanel::setupFinished);
    QTest::mouseClick(panel.button(), Qt::LeftButton);
    QVERIFY(finished.wait(10000));
    const auto outcome = finished.constFirst().constFirst().value<ServerSetup::Outcome>();
    QCOMPARE(outcome.ok, ok);
    QVERIFY2(panel.statusText().contains(expected), qPrintable(panel.statusText()));
    QCOMPARE(panel.button()->text(), u"Prepare Python and Node servers"_s);
    QVERIFY(!panel.isRunning());
    QCOMPARE(panel.findChild<QProgressBar *>()->isVisible(), false);
    QCOMPARE(QFile::exists(out + u"/manifest.json"_s), ok);
}

void TestServerSetupPanel::buttonCancels()
{
    // A build that hangs in a grandchild, as npm does while it downloads.
    const QString script = writeScript("echo 'servers: node-express: npm ci'\nsleep 300 &\nwait\n");
    ServerSetupPanel panel;
    panel.setOptions(setupOptions(script, m_dir.filePath(u"cancel"_s), { ServerSetup::Family::Node }));
    panel.show();
    QSignalSpy finished(&panel, &ServerSetupPanel::setupFinished);
    QTest::mouseClick(panel.button(), Qt::LeftButton);
    QVERIFY(panel.isRunning());
    QCOMPARE(panel.button()->text(), u"Cancel"_s);
    QVERIFY(panel.findChild<QProgressBar *>()->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(panel.statusText().startsWith(u"node-express: npm ci"_s), 10000);
    QTest::mouseClick(panel.button(), Qt::LeftButton);
    QVERIFY(finished.wait(10000));
    QVERIFY(finished.constFirst().constFirst().value<ServerSetup::Outcome>().cancelled);
    QVERIFY2(panel.statusText().contains(u"Cancelled"_s), qPrintable(panel.statusText()));
    QTRY_VERIFY_WITH_TIMEOUT(sa::platform::ownedProcesses().isEmpty(), 5000);
}

// The page shows the panel while servers are missing; the screenshot goes to the
// test artifacts (benchmarkpage-serversetup.png) for a look.
void TestServerSetupPanel::onTheBenchmarkPage()
{
    sa::ui::BenchmarkPage page(nullptr);
    page.resize(1280, 800);
    page.show();
    auto *panel = page.findChild<ServerSetupPanel *>(u"serverSetup"_s);
    QVERIFY(panel);
    QVERIFY(panel->isVisible());
    QVERIFY(panel->button()->isEnabled());
    for (QScrollArea *scroll : page.findChildren<QScrollArea *>()) {
        if (scroll->isAncestorOf(panel))
            scroll->ensureWidgetVisible(panel);
    }
    const QString dir
        = qEnvironmentVariable("STACKADVISOR_ARTIFACTS_DIR", QStringLiteral(STACKADVISOR_ARTIFACTS_DIR));
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(page.grab().save(QDir(dir).filePath(u"benchmarkpage-serversetup.png"_s)));
}

QTEST_MAIN(TestServerSetupPanel)
#include "tst_serversetuppanel.moc"
