// stackadvisor servers serve ID: one sample server on this host, for a benchmark
// run from another (bench --url … --sampler …, or Locust), with its memory and
// CPU served beside it (core/bench/remotesampler.h). Loopback only unless asked.

#include "cli.h"
#include "commands.h"

#include "bench/remotesampler.h"
#include "bench/resourcesampler.h"
#include "bench/servercatalog.h"
#include "bench/serverprocess.h"
#include "platform/containment.h"
#include "platform/processcontrol.h"
#include "platform/terminationsignals.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QEventLoop>
#include <QHostAddress>
#include <QStandardPaths>
#include <QTcpServer>

using namespace Qt::StringLiterals;

namespace sa::cli {

namespace {

const QString kCommand = u"servers serve"_s;

QString helpText()
{
    return u"Usage: stackadvisor servers serve ID [--listen HOST:PORT] [--sampler-port PORT]\n"
           "                                     [--allow-remote] [--workers N] [--cpus LIST]\n"
           "                                     [--database-url URL]\n"
           "\n"
           "Starts one sample server (an id of `stackadvisor servers`) on HOST:PORT, for a\n"
           "benchmark run from another host: `stackadvisor bench --url NAME=http://HOST:PORT\n"
           "--sampler http://HOST:SAMPLER-PORT --allow-remote`, or the Locust plan of\n"
           "`bench --export-locust`. Beside it, on SAMPLER-PORT, it serves the server's\n"
           "memory and CPU as the app's own sampler measures them (GET /samples), so that\n"
           "a comparison across hosts still shows them. It prints both addresses, then\n"
           "runs until Ctrl-C or SIGTERM, and stops the server and everything it started.\n"
           "\n"
           "Options:\n"
           "  --listen HOST:PORT   Address to serve on (default 127.0.0.1:8080)\n"
           "  --sampler-port PORT  Port of the memory and CPU figures (default PORT+1)\n"
           "  --allow-remote       Needed to listen beyond loopback (127.0.0.0/8, ::1),\n"
           "                       e.g. --listen 0.0.0.0:8080: both ports are then open to\n"
           "                       the network, without authentication\n"
           "  --workers N          Server processes / GOMAXPROCS (default: the CPUs it may use)\n"
           "  --cpus LIST          Pin the server to these CPUs, e.g. 0-3 (default: not pinned)\n"
           "  --database-url URL   The PostgreSQL the database scenarios use (DATABASE_URL,\n"
           "                       e.g. postgresql://benchmarkdbuser@10.0.0.6:5432/hello_world)\n"
           "  --catalog FILE       Also read this user catalog\n"
           "  -h, --help           Show this help\n"
           "\n"
           "Exit codes: 0 stopped by Ctrl-C or SIGTERM after serving; 1 the server could not\n"
           "start, or exited by itself; 2 bad arguments (nothing was started); 130 stopped\n"
           "before the server was ready.\n"_s;
}

int badInput(const QString &message)
{
    printError(kCommand, message + u" (see stackadvisor servers serve --help)"_s);
    return ExitBadInput;
}

struct Listen
{
    QHostAddress address;
    int port = 0;
};

std::optional<Listen> parseListen(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return std::nullopt;
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const int port = text.mid(colon + 1).toInt(&ok);
    Listen listen;
    if (!ok || port < 1 || port > 65535 || !listen.address.setAddress(host))
        return std::nullopt;
    listen.port = port;
    return listen;
}

bool isLoopback(const QHostAddress &address)
{
    return address.isLoopback();
}

// Said now rather than after the server failed to bind: who holds the port.
QString portProblem(const QHostAddress &address, int port)
{
    QTcpServer probe;
    if (probe.listen(address, quint16(port)))
        return {};
    return u"cannot listen on %1 port %2: %3 (choose another with --listen)"_s.arg(address.toString())
        .arg(port)
        .arg(probe.errorString());
}

} // namespace

int runServersServe(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption listenOption(u"listen"_s, QString(), u"HOST:PORT"_s);
    const QCommandLineOption samplerOption(u"sampler-port"_s, QString(), u"PORT"_s);
    const QCommandLineOption remoteOption(u"allow-remote"_s);
    const QCommandLineOption workersOption(u"workers"_s, QString(), u"N"_s);
    const QCommandLineOption cpusOption(u"cpus"_s, QString(), u"LIST"_s);
    const QCommandLineOption catalogOption(u"catalog"_s, QString(), u"FILE"_s);
    const QCommandLineOption databaseOption(u"database-url"_s, QString(), u"URL"_s);
    const QCommandLineOption helpOption(QStringList { u"h"_s, u"help"_s });
    parser.addOptions({ listenOption, samplerOption, remoteOption, workersOption, cpusOption, catalogOption,
        databaseOption, helpOption });
    if (!parser.parse(QStringList { u"stackadvisor servers serve"_s } + arguments))
        return badInput(parser.errorText());
    if (parser.isSet(helpOption)) {
        printOut(helpText());
        return ExitOk;
    }
    if (parser.positionalArguments().size() != 1)
        return badInput(u"give one server id, e.g. stackadvisor servers serve go-gin"_s);
    const QString id = parser.positionalArguments().constFirst();

    const auto listen = parseListen(
        parser.value(listenOption).isEmpty() ? u"127.0.0.1:8080"_s : parser.value(listenOption));
    if (!listen)
        return badInput(u"--listen '%1' is not HOST:PORT with an IP address, e.g. 127.0.0.1:8080 or "
                        "0.0.0.0:8080"_s.arg(parser.value(listenOption)));
    int samplerPort = listen->port + 1;
    if (parser.isSet(samplerOption)) {
        bool ok = false;
        samplerPort = parser.value(samplerOption).toInt(&ok);
        if (!ok || samplerPort < 1 || samplerPort > 65535 || samplerPort == listen->port)
            return badInput(
                u"--sampler-port '%1' is not a port from 1 to 65535 other than the server's"_s.arg(
                    parser.value(samplerOption)));
    }
    if (samplerPort > 65535)
        return badInput(u"the server's port is 65535, so give the sampler's with --sampler-port"_s);
    if (!isLoopback(listen->address) && !parser.isSet(remoteOption))
        return badInput(u"%1 is not a loopback address: to serve beyond this machine add --allow-remote "
                        "(both ports are then reachable from the network, without authentication)"_s.arg(
                            listen->address.toString()));
    const QList<int> allowed = platform::allowedCpus();
    QList<int> cpus;
    if (parser.isSet(cpusOption)) {
        const auto parsed = platform::parseCpuList(parser.value(cpusOption));
        if (!parsed || parsed->isEmpty())
            return badInput(
                u"--cpus '%1' is not a CPU list such as 0 or 0-3"_s.arg(parser.value(cpusOption)));
        for (const int cpu : *parsed) {
            if (!allowed.contains(cpu))
                return badInput(u"--cpus: CPU %1 is not one this process may use (%2)"_s.arg(cpu).arg(
                    platform::formatCpuList(allowed)));
        }
        cpus = *parsed;
    }
    int workers = int(cpus.isEmpty() ? allowed.size() : cpus.size());
    if (parser.isSet(workersOption)) {
        bool ok = false;
        workers = parser.value(workersOption).toInt(&ok);
        if (!ok || workers < 1 || workers > 1024)
            return badInput(
                u"--workers '%1' is not a whole number from 1 to 1024"_s.arg(parser.value(workersOption)));
    }

    bench::ServerCatalog::Sources sources = bench::ServerCatalog::defaultSources();
    if (parser.isSet(catalogOption))
        sources.userCatalogFile = parser.value(catalogOption);
    bench::ServerCatalog catalog;
    QString error;
    if (!catalog.load(sources, &error))
        return badInput(error);
    const bench::ServerEntry *entry = catalog.find(id);
    if (!entry)
        return badInput(u"unknown server '%1'; the catalog has: %2"_s.arg(id, catalog.ids().join(u", "_s)));
    if (!entry->available) {
        printError(kCommand,
            u"%1 is not ready to run: %2 (fix: %3)"_s.arg(id, entry->unavailableReason, entry->fix));
        return ExitFailure;
    }
    for (const int port : { listen->port, samplerPort }) {
        if (const QString problem = portProblem(listen->address, port); !problem.isEmpty()) {
            printError(kCommand, problem);
            return ExitFailure;
        }
    }

    platform::TerminationSignals termination;
    if (!termination.isValid()) {
        printError(kCommand, termination.error());
        return ExitFailure;
    }
    const QString logPath = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + u"/logs/serve-%1-%2.log"_s.arg(id, QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd-HHmmss"_s));
    bench::ServerProcess server(*entry);
    bench::ResourceSampler sampler;
    bench::SamplerEndpoint endpoint(&sampler, id);
    QEventLoop loop;
    int exitCode = ExitOk;
    bool serving = false, stopping = false;
    QObject::connect(&server, &bench::ServerProcess::warning, &loop, [](const QString &message) {
        printErr(u"stackadvisor servers serve: warning: "_s + message + u'\n');
    });
    QObject::connect(&server, &bench::ServerProcess::failed, &loop, [&](const QString &reason) {
        printError(kCommand, u"%1 did not start: %2"_s.arg(entry->name, reason));
        exitCode = ExitFailure;
        loop.quit();
    });
    QObject::connect(&server, &bench::ServerProcess::exitedUnexpectedly, &loop, [&](const QString &reason) {
        printError(kCommand, reason);
        exitCode = ExitFailure;
        sampler.stop();
        loop.quit();
    });
    QObject::connect(&server, &bench::ServerProcess::stopped, &loop, &QEventLoop::quit);
    QObject::connect(&server, &bench::ServerProcess::ready, &loop, [&] {
        sampler.start(server.pid(), bench::ResourceSampler::kDefaultIntervalMs, server.containment());
        endpoint.setPid(server.pid());
        QString listenError;
        if (!endpoint.listen(listen->address, quint16(samplerPort), &listenError)) {
            printError(kCommand, listenError);
            exitCode = ExitFailure;
            stopping = true;
            server.stop();
            return;
        }
        serving = true;
        const QString host = listen->address.protocol() == QAbstractSocket::IPv6Protocol
            ? u'[' + listen->address.toString() + u']'
            : listen->address.toString();
        const platform::ChildContainment *tree = server.containment();
        printOut(
            u"Serving %1 (%2) on http://%3:%4, pid %5, %6 worker(s)%7.\n"
            "Its memory and CPU: http://%3:%8/samples\n"
            "Log: %9\n"
            "Ctrl-C stops it.\n"_s.arg(id, entry->name, host)
                .arg(listen->port)
                .arg(server.pid())
                .arg(workers)
                .arg(tree ? u", in its "_s + platform::ChildContainment::kindId(tree->kind()) : QString())
                .arg(samplerPort)
                .arg(logPath));
    });
    QObject::connect(&termination, &platform::TerminationSignals::received, &loop, [&] {
        if (stopping)
            return;
        stopping = true;
        printErr(u"stackadvisor servers serve: stopping %1…\n"_s.arg(id));
        sampler.stop();
        server.stop();
    });

    bench::ServerProcess::Settings settings;
    settings.host = listen->address.toString();
    settings.port = listen->port;
    settings.workers = workers;
    settings.cpus = cpus;
    settings.logPath = logPath;
    if (parser.isSet(databaseOption))
        settings.environment.insert(u"DATABASE_URL"_s, parser.value(databaseOption));
    server.start(settings);
    loop.exec();
    if (!serving && exitCode == ExitOk)
        exitCode = stopping ? ExitInterrupted : ExitFailure;
    return exitCode;
}

} // namespace sa::cli
