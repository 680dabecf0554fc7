// ServerCatalog: parsing, validation messages that name entry and field,
// placeholders, availability from the build manifest, user catalogs.

#include "bench/servercatalog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using sa::bench::ServerCatalog;
using sa::bench::ServerEntry;

namespace {

QJsonObject minimalEntry(const QString &id, const QString &program)
{
    QJsonObject entry;
    entry.insert(u"id"_s, id);
    entry.insert(u"name"_s, QString(u"Test "_s + id));
    entry.insert(u"language"_s, u"Go"_s);
    entry.insert(u"runtime"_s, u"go"_s);
    entry.insert(u"framework"_s, u"Test"_s);
    entry.insert(u"program"_s, program);
    entry.insert(u"arguments"_s, QJsonArray::fromStringList({ u"--port={port}"_s, u"{serversDir}/x"_s }));
    QJsonObject environment;
    environment.insert(u"GOMAXPROCS"_s, u"{workers}"_s);
    entry.insert(u"environment"_s, environment);
    entry.insert(u"readinessPath"_s, u"/healthz"_s);
    entry.insert(u"notBuiltHint"_s, u"run make servers"_s);
    return entry;
}

ServerCatalog::Sources sourcesOf(const QString &catalog, const QString &user, const QString &serversDir)
{
    ServerCatalog::Sources sources;
    sources.catalogFile = catalog;
    sources.userCatalogFile = user;
    sources.serversDir = serversDir;
    return sources;
}

QByteArray catalogJson(const QJsonArray &servers)
{
    return QJsonDocument(QJsonObject { { u"schemaVersion"_s, 1 }, { u"servers"_s, servers } }).toJson();
}

void writeFile(const QString &path, const QByteArray &content, bool executable = false)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    file.write(content);
    file.close();
    if (executable)
        file.setPermissions(file.permissions() | QFile::ExeOwner | QFile::ExeUser);
}

} // namespace

class TestCatalog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validationErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");

        QJsonObject noProgram = minimalEntry(u"a"_s, u"/bin/true"_s);
        noProgram.remove(u"program"_s);
        QJsonObject badId = minimalEntry(u"Bad Id"_s, u"/bin/true"_s);
        QJsonObject badReadiness = minimalEntry(u"a"_s, u"/bin/true"_s);
        badReadiness[u"readinessPath"_s] = u"healthz"_s;
        QJsonObject badArguments = minimalEntry(u"a"_s, u"/bin/true"_s);
        badArguments[u"arguments"_s] = QJsonArray { 1, 2 };
        QJsonObject badEnvironment = minimalEntry(u"a"_s, u"/bin/true"_s);
        badEnvironment[u"environment"_s] = QJsonObject { { u"X"_s, 3 } };
        QJsonObject badClaim = minimalEntry(u"a"_s, u"/bin/true"_s);
        badClaim[u"articleClaim"_s] = QJsonObject { { u"requestsPerSec"_s, -1 } };
        QJsonObject badIoWait = minimalEntry(u"a"_s, u"/bin/true"_s);
        badIoWait[u"ioWait"_s] = u"sometimes"_s;
        // Unknown fields are errors naming them: most are misspellings whose value
        // would silently not apply.
        QJsonObject misspelt = minimalEntry(u"a"_s, u"/bin/true"_s);
        misspelt[u"readinesPath"_s] = u"/ready"_s;
        misspelt[u"enviroment"_s] = QJsonObject {};
        QJsonObject claimTypo = minimalEntry(u"a"_s, u"/bin/true"_s);
        claimTypo[u"articleClaim"_s] = QJsonObject { { u"requestsPerSec"_s, 1 }, { u"avgLatencyMs"_s, 1 },
            { u"memoryMB"_s, 1 }, { u"memoryMb"_s, 1 } };

        QTest::addRow("not json") << QByteArray("{") << u"not valid JSON"_s;
        QTest::addRow("no servers") << QByteArray("{\"schemaVersion\":1}") << u"field 'servers'"_s;
        QTest::addRow("wrong schema")
            << QByteArray("{\"schemaVersion\":7,\"servers\":[]}") << u"'schemaVersion' must be 1"_s;
        QTest::addRow("missing program")
            << catalogJson({ noProgram }) << u"entry 1 (a): field 'program' is missing"_s;
        QTest::addRow("bad id") << catalogJson({ badId }) << u"entry 1 (Bad Id): field 'id'"_s;
        QTest::addRow("bad readiness") << catalogJson({ minimalEntry(u"ok"_s, u"/bin/true"_s), badReadiness })
                                       << u"entry 2 (a): field 'readinessPath' must start with '/'"_s;
        QTest::addRow("bad arguments")
            << catalogJson({ badArguments }) << u"field 'arguments' must be an array of strings"_s;
        QTest::addRow("bad environment")
            << catalogJson({ badEnvironment }) << u"field 'environment.X' must be a string"_s;
        QTest::addRow("bad claim") << catalogJson({ badClaim }) << u"field 'articleClaim.requestsPerSec'"_s;
        QTest::addRow("bad ioWait") << catalogJson({ badIoWait }) << u"field 'ioWait'"_s;
        QTest::addRow("unknown entry fields") << catalogJson(
            { misspelt }) << u"entry 1 (a): unknown fields 'enviroment', 'readinesPath' (known: id,"_s;
        QTest::addRow("unknown claim field")
            << catalogJson({ claimTypo }) << u"entry 1 (a): unknown field 'articleClaim.memoryMb'"_s;
        QTest::addRow("unknown top-level field")
            << QByteArray("{\"schemaVersion\":1,\"server\":[],\"servers\":[]}")
            << u"user.json: unknown field 'server' (known: schemaVersion, servers, languageColors, colorsWhy)"_s;
        QTest::addRow("duplicate") << catalogJson(
            { minimalEntry(u"a"_s, u"/bin/true"_s), minimalEntry(u"a"_s, u"/bin/true"_s) })
                                   << u"entry 2 (a): field 'id' repeats an earlier entry"_s;
    }

    void validationErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        QString error;
        const auto entries = ServerCatalog::parseCatalog(json, u"user.json"_s, {}, &error);
        QVERIFY(!entries);
        QVERIFY2(error.startsWith(u"user.json"_s), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void placeholdersAndLaunch()
    {
        QString error;
        const auto entries
            = ServerCatalog::parseCatalog(catalogJson({ minimalEntry(u"a"_s, u"{serversDir}/go/a"_s) }),
                u"c.json"_s, { { u"serversDir"_s, u"/srv"_s } }, &error);
        QVERIFY2(entries, qPrintable(error));
        const ServerEntry &entry = entries->constFirst();
        QCOMPARE(entry.program, u"/srv/go/a"_s);
        QCOMPARE(entry.arguments.at(1), u"/srv/x"_s);
        const auto command = entry.launchCommand(u"127.0.0.1"_s, 4567, 3);
        QCOMPARE(command.arguments.at(0), u"--port=4567"_s);
        QCOMPARE(command.environment.value(u"GOMAXPROCS"_s), u"3"_s);
        QCOMPARE(command.environment.value(u"HOST"_s), u"127.0.0.1"_s);
        QCOMPARE(command.environment.value(u"PORT"_s), u"4567"_s);
        QCOMPARE(command.environment.value(u"WORKERS"_s), u"3"_s);
    }

    void availabilityFromManifest()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QDir().mkpath(dir.filePath(u"servers/go"_s));
        writeFile(dir.filePath(u"servers/go/built"_s), "#!/bin/sh\n", true);
        // "notready" exists but the manifest says why it cannot run; "gone" is ready
        // per the manifest but its binary is missing; "unlisted" is not in it.
        writeFile(dir.filePath(u"servers/go/notready"_s), "#!/bin/sh\n", true);
        writeFile(dir.filePath(u"catalog.json"_s),
            catalogJson({ minimalEntry(u"built"_s, u"{serversDir}/go/built"_s),
                minimalEntry(u"notready"_s, u"{serversDir}/go/notready"_s),
                minimalEntry(u"gone"_s, u"{serversDir}/go/gone"_s),
                minimalEntry(u"unlisted"_s, u"{serversDir}/go/built"_s) }));
        const QJsonObject manifest { { u"schemaVersion"_s, 1 }, { u"builtAt"_s, u"2026-11-27T01:00:00Z"_s },
            { u"servers"_s,
                QJsonObject { { u"built"_s,
                                  QJsonObject { { u"ready"_s, true }, { u"frameworkVersion"_s, u"v1.2.3"_s },
                                      { u"runtimeVersion"_s, u"go1.26"_s }, { u"footprintBytes"_s, 1234567 },
                                      { u"footprintWhat"_s, u"static binary"_s } } },
                    { u"notready"_s,
                        QJsonObject {
                            { u"ready"_s, false }, { u"reason"_s, u"go not found: install Go"_s } } },
                    { u"gone"_s, QJsonObject { { u"ready"_s, true } } } } } };
        writeFile(dir.filePath(u"servers/manifest.json"_s), QJsonDocument(manifest).toJson());

        ServerCatalog catalog;
        QString error;
        QVERIFY2(
            catalog.load(
                sourcesOf(dir.filePath(u"catalog.json"_s), QString(), dir.filePath(u"servers"_s)), &error),
            qPrintable(error));
        QVERIFY(catalog.hasManifest());
        QCOMPARE(catalog.availableIds(), QStringList { u"built"_s });
        const ServerEntry *built = catalog.find(u"built"_s);
        QVERIFY(built);
        QCOMPARE(built->frameworkVersion, u"v1.2.3"_s);
        QCOMPARE(built->deployableBytes, 1234567);
        QCOMPARE(built->deployableWhat, u"static binary"_s);
        QCOMPARE(catalog.find(u"notready"_s)->unavailableReason, u"go not found: install Go"_s);
        QCOMPARE(catalog.find(u"notready"_s)->fix, u"run make servers"_s);
        QVERIFY2(catalog.find(u"gone"_s)->unavailableReason.startsWith(u"Go binary not built"_s),
            qPrintable(catalog.find(u"gone"_s)->unavailableReason));
        QVERIFY(catalog.find(u"unlisted"_s)->unavailableReason.contains(u"not in the build manifest"_s));
        QVERIFY(!catalog.find(u"nothing"_s));
    }

    void noManifest()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(u"catalog.json"_s), catalogJson({ minimalEntry(u"a"_s, u"/bin/true"_s) }));
        ServerCatalog catalog;
        QString error;
        QVERIFY(catalog.load(
            sourcesOf(dir.filePath(u"catalog.json"_s), QString(), dir.filePath(u"nowhere"_s)), &error));
        QVERIFY(!catalog.hasManifest());
        QVERIFY(!catalog.find(u"a"_s)->available);
        QVERIFY(catalog.find(u"a"_s)->unavailableReason.contains(u"have not been built"_s));
        QVERIFY(!catalog.warnings().isEmpty());
    }

    void userCatalog()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(u"catalog.json"_s), catalogJson({ minimalEntry(u"a"_s, u"/bin/true"_s) }));
        writeFile(dir.filePath(u"mine.py"_s), "print()\n", true);
        QJsonObject mine = minimalEntry(u"mine"_s, u"{catalogDir}/mine.py"_s);
        QJsonObject missing = minimalEntry(u"missing"_s, u"no-such-program-anywhere"_s);
        writeFile(dir.filePath(u"user.json"_s), catalogJson({ mine, missing }));
        ServerCatalog catalog;
        QString error;
        QVERIFY2(
            catalog.load(
                sourcesOf(dir.filePath(u"catalog.json"_s), dir.filePath(u"user.json"_s), dir.path()), &error),
            qPrintable(error));
        QCOMPARE(catalog.ids(), (QStringList { u"a"_s, u"mine"_s, u"missing"_s }));
        QVERIFY(catalog.find(u"mine"_s)->userDefined);
        // A user entry does not need the manifest: its program is enough.
        QVERIFY2(catalog.find(u"mine"_s)->available, qPrintable(catalog.find(u"mine"_s)->unavailableReason));
        QVERIFY(!catalog.find(u"missing"_s)->available);
        QVERIFY(catalog.find(u"missing"_s)->unavailableReason.contains(u"not found"_s));
        QVERIFY(catalog.find(u"missing"_s)->fix.contains(dir.filePath(u"user.json"_s)));

        // An id the main catalog already has is refused, naming both files.
        writeFile(dir.filePath(u"clash.json"_s), catalogJson({ minimalEntry(u"a"_s, u"/bin/true"_s) }));
        QVERIFY(!catalog.load(
            sourcesOf(dir.filePath(u"catalog.json"_s), dir.filePath(u"clash.json"_s), dir.path()), &error));
        QVERIFY2(error.contains(u"already defined"_s) && error.contains(u"clash.json"_s), qPrintable(error));
        QVERIFY(catalog.servers().isEmpty());

        QVERIFY(!catalog.load(
            sourcesOf(dir.filePath(u"catalog.json"_s), dir.filePath(u"absent.json"_s), dir.path()), &error));
        QVERIFY2(error.contains(u"absent.json"_s), qPrintable(error));
    }

    void realCatalog()
    {
        // The shipped catalog parses and has the eight fixed ids.
        ServerCatalog catalog;
        QString error;
        ServerCatalog::Sources sources = ServerCatalog::defaultSources();
        sources.userCatalogFile.clear();
        QVERIFY2(catalog.load(sources, &error), qPrintable(error));
        for (const char *id : { "go-gin", "go-fiber", "go-echo", "go-nethttp", "python-fastapi",
                 "python-django", "python-flask", "node-express" }) {
            const ServerEntry *entry = catalog.find(QLatin1String(id));
            QVERIFY2(entry, id);
            QVERIFY(entry->available || !entry->unavailableReason.isEmpty());
        }
        QVERIFY(catalog.find(u"go-gin"_s)->articleClaim.has_value());
        QCOMPARE(catalog.find(u"go-gin"_s)->articleClaim->requestsPerSec, 95000.0);
    }
};

QTEST_GUILESS_MAIN(TestCatalog)
#include "tst_catalog.moc"
