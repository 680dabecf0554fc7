// ServerSetup (what `stackadvisor servers setup` and the benchmark page's button
// run) and how ServerCatalog takes the servers it prepared from the user's data
// folder. The real setup against PyPI and npm runs in test_package.sh, from the
// installed package; here: bad options, missing toolchains, progress and cancel
// with a fixture build script, and the catalog's two folders.

#include "bench/servercatalog.h"
#include "bench/serversetup.h"
#include "platform/processcontrol.h"

#include <QDir>
#include <QFile>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using sa::bench::ServerCatalog;
using sa::bench::ServerSetup;

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

bool writeFile(const QString &path, const QByteArray &contents, bool executable = false)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(contents) != contents.size())
        return false;
    if (executable)
        file.setPermissions(file.permissions() | QFileDevice::ExeOwner);
    return true;
}

QByteArray manifest(const QByteArray &servers)
{
    return R"({"schemaVersion": 1, "builtAt": "2026-11-27T01:00:00Z", "servers": {)" + servers + "}}";
}

// A catalog with one Go and one Python server, {serversDir}-relative like the real one.
const QByteArray kCatalog = R"({"schemaVersion": 1, "servers": [
  {"id": "go-nethttp", "language": "Go", "runtime": "go", "program": "{serversDir}/go/go-nethttp",
   "notBuiltHint": "run `make servers`"},
  {"id": "python-flask", "language": "Python", "runtime": "python",
   "program": "{serversDir}/python-flask/serve.sh", "workingDirectory": "{serversDir}/python-flask",
   "notBuiltHint": "run `make servers`"}
]})";

// Waits for finished() and returns its outcome.
ServerSetup::Outcome waitForOutcome(ServerSetup &setup, int timeoutMs)
{
    QSignalSpy finished(&setup, &ServerSetup::finished);
    if (!finished.wait(timeoutMs))
        return {};
    return finished.constFirst().constFirst().value<ServerSetup::Outcome>();
}

} // namespace

class TestServerSetup final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void catalogTakesPreparedServers_data();
    void catalogTakesPreparedServers();
    void rejectsBadOptions_data();
    void rejectsBadOptions();
    void missingToolchain_data();
    void missingToolchain();
    void progressFromTheBuildOutput();
    void cancelEndsTheBuild();

private:
    QString m_buildScript;
};

void TestServerSetup::initTestCase()
{
    m_buildScript = QStringLiteral(STACKADVISOR_SOURCE_DIR "/servers/build.sh");
    QVERIFY2(QFile::exists(m_buildScript), "servers/build.sh is missing from the source tree");
}

// Main folder (the package's): Go built, Python "run setup". User folder: what
// servers setup prepared. Each server comes from the folder that has it ready.
void TestServerSetup::catalogTakesPreparedServers_data()
{
    QTest::addColumn<bool>("pythonPrepared");
    QTest::addColumn<bool>("pythonAlsoInMain");
    QTest::addColumn<bool>("expectAvailable");
    QTest::addColumn<QString>("expectFolder"); // "main" or "user"
    QTest::addRow("not prepared: the package's fix") << false << false << false << u"main"_s;
    QTest::addRow("prepared: taken from the user folder") << true << false << true << u"user"_s;
    QTest::addRow("ready in main: main wins") << true << true << true << u"main"_s;
}

void TestServerSetup::catalogTakesPreparedServers()
{
    QFETCH(bool, pythonPrepared);
    QFETCH(bool, pythonAlsoInMain);
    QFETCH(bool, expectAvailable);
    QFETCH(QString, expectFolder);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString main = dir.filePath(u"main"_s), user = dir.filePath(u"user"_s);
    const QString catalogFile = dir.filePath(u"servers.json"_s);
    QVERIFY(writeFile(catalogFile, kCatalog));
    for (const QString &folder : { main, user }) {
        QVERIFY(QDir().mkpath(folder + u"/go"_s));
        QVERIFY(QDir().mkpath(folder + u"/python-flask"_s));
        QVERIFY(writeFile(folder + u"/python-flask/serve.sh"_s, "#!/bin/sh\n", true));
    }
    QVERIFY(writeFile(main + u"/go/go-nethttp"_s, "#!/bin/sh\n", true));
    const QByteArray pythonInMain = pythonAlsoInMain
        ? R"("python-flask": {"ready": true, "frameworkVersion": "main"})"
        : R"("python-flask": {"ready": false, "reason": "not prepared",
                                             "fix": "run `stackadvisor servers setup`"})";
    QVERIFY(writeFile(main + u"/manifest.json"_s,
        manifest(R"("go-nethttp": {"ready": true, "frameworkVersion": "go1.26"}, )" + pythonInMain)));
    QVERIFY(writeFile(user + u"/manifest.json"_s,
        manifest(R"("go-nethttp": {"ready": false, "reason": "skipped"}, "python-flask": {"ready": )"
            + QByteArray(pythonPrepared ? "true" : "false")
            + R"(, "frameworkVersion": "user", "reason": "build failed"})")));

    ServerCatalog catalog;
    QString error;
    QVERIFY2(catalog.load({ catalogFile, {}, main, dir.path(), user }, &error), qPrintable(error));

    const sa::bench::ServerEntry *go = catalog.find(u"go-nethttp"_s);
    QVERIFY(go);
    QVERIFY2(go->available, qPrintable(go->unavailableReason));
    QCOMPARE(go->program, main + u"/go/go-nethttp"_s);

    const sa::bench::ServerEntry *python = catalog.find(u"python-flask"_s);
    QVERIFY(python);
    QCOMPARE(python->available, expectAvailable);
    const QString folder = expectFolder == u"main"_s ? main : user;
    QCOMPARE(python->program, folder + u"/python-flask/serve.sh"_s);
    QCOMPARE(python->workingDirectory, folder + u"/python-flask"_s);
    if (expectAvailable) {
        QCOMPARE(python->frameworkVersion, expectFolder);
    } else {
        QCOMPARE(python->unavailableReason, u"not prepared"_s);
        QCOMPARE(python->fix, u"run `stackadvisor servers setup`"_s); // the manifest's fix, not notBuiltHint
    }
}

void TestServerSetup::rejectsBadOptions_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<bool>("noFamily");
    QTest::addColumn<QString>("expected");
    QTest::addRow("no build script") << u"/nonexistent/build.sh"_s << false << u"is missing: reinstall"_s;
    QTest::addRow("no family") << QString() << true << u"no server family chosen"_s;
}

void TestServerSetup::rejectsBadOptions()
{
    QFETCH(QString, script);
    QFETCH(bool, noFamily);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    ServerSetup setup;
    ServerSetup::Options options = setupOptions(script.isEmpty() ? m_buildScript : script, dir.path(), {});
    if (!noFamily)
        options.families = { ServerSetup::Family::Node };
    QString error;
    QVERIFY(!setup.start(options, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY(!setup.isRunning());
}

// The toolchain checks come first, with what to install: build.sh never runs.
void TestServerSetup::missingToolchain_data()
{
    QTest::addColumn<QByteArray>("variable");
    QTest::addColumn<QString>("family");
    QTest::addColumn<QString>("expected");
    QTest::addRow("no python3") << "PYTHON"_ba << u"python"_s << u"Python 3 is not installed"_s;
    QTest::addRow("no node") << "NODE"_ba << u"node"_s << u"Node.js is not installed"_s;
    QTest::addRow("no npm") << "NPM"_ba << u"node"_s << u"npm is not installed"_s;
}

void TestServerSetup::missingToolchain()
{
    QFETCH(QByteArray, variable);
    QFETCH(QString, family);
    QFETCH(QString, expected);
    const QByteArray saved = qgetenv(variable.constData());
    qputenv(variable.constData(), "/nonexistent/tool");
    const auto restore = qScopeGuard([&] {
        if (saved.isEmpty())
            qunsetenv(variable.constData());
        else
            qputenv(variable.constData(), saved);
    });

    QTemporaryDir dir;
    ServerSetup setup;
    QString error;
    QVERIFY2(setup.start(
                 setupOptions(m_buildScript, dir.path(), { *ServerSetup::familyFromName(family) }), &error),
        qPrintable(error));
    const ServerSetup::Outcome outcome = waitForOutcome(setup, 10000);
    QVERIFY(!outcome.ok);
    QCOMPARE(outcome.problems.size(), 1);
    QVERIFY2(outcome.problems.constFirst().contains(expected), qPrintable(outcome.problems.constFirst()));
    QVERIFY(outcome.problems.constFirst().contains(u"apt install"_s));
    QVERIFY(outcome.problems.constFirst().contains(u"stackadvisor servers setup"_s));
    QVERIFY(!QFile::exists(dir.filePath(u"manifest.json"_s))); // nothing was built
}

// A fixture with build.sh's interface (OUT argument, "servers: <id>: …" lines,
// OUT/manifest.json): the progress follows its lines, the outcome its manifest.
void TestServerSetup::progressFromTheBuildOutput()
{
    QTemporaryDir dir;
    const QString script = dir.filePath(u"build.sh"_s);
    QVERIFY(writeFile(script, R"(out=$1
echo "servers: node-express: npm ci with Node v20"
echo "npm warn something on stderr" >&2
printf '{"schemaVersion": 1, "servers": {"node-express": {"ready": true}}}' > "$out/manifest.json"
echo "servers: ready (1/8): node-express"
)"));
    ServerSetup setup;
    QSignalSpy progress(&setup, &ServerSetup::progress);
    QSignalSpy lines(&setup, &ServerSetup::outputLine);
    QString error;
    QVERIFY2(setup.start(setupOptions(script, dir.filePath(u"out"_s), { ServerSetup::Family::Node }), &error),
        qPrintable(error));
    const ServerSetup::Outcome outcome = waitForOutcome(setup, 10000);
    QVERIFY2(outcome.ok, qPrintable(outcome.problems.join(u'\n')));
    QCOMPARE(outcome.readyIds, QStringList { u"node-express"_s });
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.constLast().at(0).toInt(), 1); // done
    QCOMPARE(progress.constLast().at(1).toInt(), 1); // of total
    bool sawStep = false, sawStderr = false;
    for (const QList<QVariant> &signal : std::as_const(progress))
        sawStep = sawStep || signal.at(2).toString().startsWith(u"node-express: npm ci"_s);
    for (const QList<QVariant> &signal : std::as_const(lines))
        sawStderr = sawStderr || signal.at(0).toString() == u"npm warn something on stderr"_s;
    QVERIFY(sawStep);
    QVERIFY(sawStderr);
}

void TestServerSetup::cancelEndsTheBuild()
{
    QTemporaryDir dir;
    const QString script = dir.filePath(u"build.sh"_s);
    // A build that hangs in a grandchild, as pip does while it downloads.
    QVERIFY(writeFile(script, "echo 'servers: node-express: npm ci'\nsleep 300 &\nwait\n"));
    ServerSetup setup;
    QSignalSpy lines(&setup, &ServerSetup::outputLine);
    QString error;
    QVERIFY2(setup.start(setupOptions(script, dir.filePath(u"out"_s), { ServerSetup::Family::Node }), &error),
        qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(!lines.isEmpty(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!sa::platform::ownedProcesses().isEmpty(), 5000);
    setup.cancel();
    const ServerSetup::Outcome outcome = waitForOutcome(setup, 10000);
    QVERIFY(outcome.cancelled);
    QVERIFY(!outcome.ok);
    QTRY_VERIFY_WITH_TIMEOUT(sa::platform::ownedProcesses().isEmpty(), 5000);
}

QTEST_GUILESS_MAIN(TestServerSetup)
#include "tst_serversetup.moc"
