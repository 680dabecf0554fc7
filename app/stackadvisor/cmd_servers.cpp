// stackadvisor servers: the server catalog with each server's availability, and
// the reason and the fix when one cannot run.

#include "cli.h"
#include "commands.h"

#include "bench/servercatalog.h"
#include "platform/printable.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace sa::cli {

namespace {

const QString kCommand = u"servers"_s;

QString helpText()
{
    return u"Usage: stackadvisor servers [--catalog FILE] [--json]\n"
           "       stackadvisor servers setup [--only python|node]   (see its --help)\n"
           "\n"
           "Lists the servers `stackadvisor bench` can run: the sample servers of\n"
           "resources/servers.json and your own from a user catalog, each with its\n"
           "framework version, deployable size and whether it is ready to run. For one\n"
           "that is not, the reason and what to do about it.\n"
           "\n"
           "Options:\n"
           "  --catalog FILE  Also read this user catalog (same format as servers.json;\n"
           "                  default: $STACKADVISOR_USER_CATALOG or\n"
           "                  ~/.config/StackAdvisor/stackadvisor/servers.json if present)\n"
           "  --json          Print the catalog as JSON\n"
           "  -h, --help      Show this help\n"
           "\n"
           "Exit codes: 0 success (even if some servers are unavailable), 2 bad catalog\n"
           "(the message names the file, the entry and the field).\n"_s;
}

QString megabytes(qint64 bytes)
{
    return bytes > 0 ? QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1) + u" MB"_s : u"—"_s;
}

} // namespace

int runServers(const QStringList &arguments)
{
    if (!arguments.isEmpty() && arguments.constFirst() == u"setup"_s)
        return runServersSetup(arguments.mid(1));
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption catalogOption(u"catalog"_s, u"User catalog"_s, u"FILE"_s);
    const QCommandLineOption jsonOption(u"json"_s, u"JSON"_s);
    const QCommandLineOption helpOption({ u"h"_s, u"help"_s }, u"Help"_s);
    parser.addOptions({ catalogOption, jsonOption, helpOption });
    if (!parser.parse(QStringList { u"stackadvisor servers"_s } + arguments)) {
        printError(kCommand, parser.errorText() + u" (see stackadvisor servers --help)"_s);
        return ExitBadInput;
    }
    if (parser.isSet(helpOption)) {
        printOut(helpText());
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        printError(kCommand,
            u"unexpected argument '%1' (see stackadvisor servers --help)"_s.arg(
                parser.positionalArguments().constFirst()));
        return ExitBadInput;
    }

    bench::ServerCatalog::Sources sources = bench::ServerCatalog::defaultSources();
    if (parser.isSet(catalogOption))
        sources.userCatalogFile = parser.value(catalogOption);
    bench::ServerCatalog catalog;
    QString error;
    if (!catalog.load(sources, &error)) {
        printError(kCommand, error);
        return ExitBadInput;
    }

    if (parser.isSet(jsonOption)) {
        QJsonArray servers;
        for (const bench::ServerEntry &entry : catalog.servers()) {
            servers.append(QJsonObject { { u"id"_s, entry.id }, { u"name"_s, entry.name },
                { u"language"_s, entry.language }, { u"runtime"_s, entry.runtime },
                { u"framework"_s, entry.framework }, { u"frameworkVersion"_s, entry.frameworkVersion },
                { u"runtimeVersion"_s, entry.runtimeVersion },
                { u"deployableBytes"_s, entry.deployableBytes },
                { u"deployableWhat"_s, entry.deployableWhat }, { u"userDefined"_s, entry.userDefined },
                { u"available"_s, entry.available }, { u"unavailableReason"_s, entry.unavailableReason },
                { u"fix"_s, entry.fix } });
        }
        const QJsonObject root { { u"serversDir"_s, sources.serversDir },
            { u"catalog"_s, sources.catalogFile }, { u"userCatalog"_s, sources.userCatalogFile },
            { u"warnings"_s, QJsonArray::fromStringList(catalog.warnings()) }, { u"servers"_s, servers } };
        printOut(QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented)));
        return ExitOk;
    }

    // A user catalog's names and the reasons built from its fields are shown, never
    // obeyed: an escape sequence in a name must not reach the terminal.
    const auto shown = [](const QString &text) { return platform::printableText(text); };
    int idWidth = 2, nameWidth = 4, versionWidth = 7;
    for (const bench::ServerEntry &entry : catalog.servers()) {
        idWidth = qMax(idWidth, int(entry.id.size()));
        nameWidth = qMax(nameWidth, int(shown(entry.name).size()));
        versionWidth = qMax(versionWidth, int(shown(entry.frameworkVersion).size()));
    }
    QString text = u"%1  %2  %3  %4  %5\n"_s.arg(u"Id"_s, -idWidth)
                       .arg(u"Name"_s, -nameWidth)
                       .arg(u"Version"_s, -versionWidth)
                       .arg(u"Deployable"_s, -10)
                       .arg(u"Status"_s);
    for (const bench::ServerEntry &entry : catalog.servers()) {
        text += u"%1  %2  %3  %4  %5\n"_s.arg(entry.id, -idWidth)
                    .arg(shown(entry.name), -nameWidth)
                    .arg(entry.frameworkVersion.isEmpty() ? u"—"_s : shown(entry.frameworkVersion),
                        -versionWidth)
                    .arg(megabytes(entry.deployableBytes), -10)
                    .arg(entry.available ? u"ready"_s : u"unavailable: "_s + shown(entry.unavailableReason));
        if (!entry.available)
            text += QString(idWidth + 2, u' ') + u"fix: "_s + shown(entry.fix) + u'\n';
    }
    for (const QString &warning : catalog.warnings())
        text += u"note: "_s + shown(warning) + u'\n';
    text += u"%1 of %2 servers ready. Servers folder: %3\n"_s.arg(catalog.availableIds().size())
                .arg(catalog.servers().size())
                .arg(sources.serversDir);
    printOut(text);
    return ExitOk;
}

} // namespace sa::cli
