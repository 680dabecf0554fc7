// stackadvisor servers setup: prepares the Python and Node sample servers in the
// user's data folder (an installed app ships only the Go ones built; see
// core/bench/serversetup.h). Progress and the build's own lines on stderr.

#include "cli.h"
#include "commands.h"

#include "bench/serversetup.h"
#include "platform/terminationsignals.h"

#include "platform/paths.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace sa::cli {

namespace {

const QString kCommand = u"servers setup"_s;

QString helpText()
{
    return u"Usage: stackadvisor servers setup [--only python|node] [--dir DIR]\n"
           "       stackadvisor servers setup --locust [--dir DIR]\n"
           "\n"
           "Prepares the Python (FastAPI, Django, Flask) and Node (Express) sample servers on\n"
           "this machine: a venv with the pinned requirements for each Python server, npm ci\n"
           "for Express. They go into your data folder, where `stackadvisor servers` and\n"
           "`stackadvisor bench` find them; the Go servers come ready with the app. Needs\n"
           "python3 with venv and pip, node with npm, and access to PyPI and the npm\n"
           "registry. A server already prepared from the same sources is kept as it is, so\n"
           "running it again is quick.\n"
           "\n"
           "With --locust it prepares Locust instead, pinned in a venv of its own (DIR/locust),\n"
           "for the plans of `stackadvisor bench --export-locust`.\n"
           "\n"
           "Options:\n"
           "  --only FAMILY  Prepare only the python or the node servers\n"
           "  --locust       Prepare Locust (resources/locust/requirements.txt) instead\n"
           "  --dir DIR      Prepare into DIR instead of\n"
           "                 ~/.local/share/StackAdvisor/stackadvisor/servers\n"
           "                 (the catalog reads only the default folder)\n"
           "  -h, --help     Show this help\n"
           "\n"
           "Exit codes: 0 every requested server is ready; 1 some could not be prepared\n"
           "(a missing Python, pip or npm, or no network: the message says what to do);\n"
           "2 bad arguments; 130 interrupted (what was prepared is kept).\n"_s;
}

// servers/locust-setup.sh, its lines on stderr as they come.
int setupLocust(const QString &outputDir)
{
    const QString script = Paths::serversSourceDir() + u"/locust-setup.sh"_s;
    platform::TerminationSignals termination;
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedChannels);
    QEventLoop loop;
    bool interrupted = false;
    QObject::connect(&termination, &platform::TerminationSignals::received, &process, [&] {
        interrupted = true;
        process.terminate();
    });
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&process, &QProcess::errorOccurred, &loop, [&](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            loop.quit();
    });
    process.start(u"bash"_s, { script, outputDir });
    loop.exec();
    if (process.error() == QProcess::FailedToStart) {
        printError(kCommand, u"cannot run %1: %2"_s.arg(script, process.errorString()));
        return ExitFailure;
    }
    if (interrupted)
        return ExitInterrupted;
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        printError(kCommand, u"Locust could not be prepared (its lines above say why)"_s);
        return ExitFailure;
    }
    printOut(u"Locust is ready in %1/locust/venv; see `stackadvisor bench --help` (--export-locust).\n"_s.arg(
        outputDir));
    return ExitOk;
}

} // namespace

int runServersSetup(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption onlyOption(u"only"_s, u"Family"_s, u"FAMILY"_s);
    const QCommandLineOption dirOption(u"dir"_s, u"Folder"_s, u"DIR"_s);
    const QCommandLineOption helpOption({ u"h"_s, u"help"_s }, u"Help"_s);
    const QCommandLineOption locustOption(u"locust"_s, u"Locust"_s);
    parser.addOptions({ onlyOption, dirOption, helpOption, locustOption });
    if (!parser.parse(QStringList { u"stackadvisor servers setup"_s } + arguments)) {
        printError(kCommand, parser.errorText() + u" (see stackadvisor servers setup --help)"_s);
        return ExitBadInput;
    }
    if (parser.isSet(helpOption)) {
        printOut(helpText());
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        printError(kCommand,
            u"unexpected argument '%1' (see stackadvisor servers setup --help)"_s.arg(
                parser.positionalArguments().constFirst()));
        return ExitBadInput;
    }

    bench::ServerSetup::Options options = bench::ServerSetup::defaultOptions();
    if (parser.isSet(onlyOption)) {
        const auto family = bench::ServerSetup::familyFromName(parser.value(onlyOption));
        if (!family) {
            printError(kCommand, u"--only must be python or node (got '%1')"_s.arg(parser.value(onlyOption)));
            return ExitBadInput;
        }
        options.families = { *family };
    }
    if (parser.isSet(dirOption)) {
        if (parser.value(dirOption).isEmpty()) {
            printError(kCommand, u"--dir needs a folder, e.g. --dir /tmp/servers"_s);
            return ExitBadInput;
        }
        options.outputDir = parser.value(dirOption);
    }

    if (parser.isSet(locustOption)) {
        if (parser.isSet(onlyOption)) {
            printError(kCommand, u"--locust prepares Locust only: leave out --only"_s);
            return ExitBadInput;
        }
        return setupLocust(options.outputDir);
    }

    platform::TerminationSignals termination;
    if (!termination.isValid()) {
        printError(kCommand, termination.error());
        return ExitFailure;
    }

    bench::ServerSetup setup;
    QEventLoop loop;
    bench::ServerSetup::Outcome result;
    QObject::connect(&termination, &platform::TerminationSignals::received, &setup, [&] {
        printErr(u"servers setup: stopping…\n"_s);
        setup.cancel();
    });
    QString lastStep;
    QObject::connect(
        &setup, &bench::ServerSetup::progress, &setup, [&](int done, int total, const QString &message) {
            printErr(u"[%1/%2] %3\n"_s.arg(done).arg(total).arg(message));
            lastStep = message;
        });
    // The build's own lines, except the one the step above already said.
    QObject::connect(&setup, &bench::ServerSetup::outputLine, &setup, [&](const QString &line) {
        if (line != u"servers: "_s + lastStep)
            printErr(u"    "_s + line + u'\n');
    });
    QObject::connect(
        &setup, &bench::ServerSetup::finished, &loop, [&](const bench::ServerSetup::Outcome &outcome) {
            result = outcome;
            loop.quit();
        });

    QString error;
    if (!setup.start(options, &error)) {
        printError(kCommand, error);
        return ExitFailure;
    }
    loop.exec();

    QString text;
    if (!result.readyIds.isEmpty())
        text += u"Ready in %1: %2\n"_s.arg(options.outputDir, result.readyIds.join(u", "_s));
    for (const QString &problem : std::as_const(result.problems))
        text += u"problem: "_s + problem + u'\n';
    if (result.ok)
        text += u"Run `stackadvisor servers` to see every server, `stackadvisor bench` to compare them.\n"_s;
    printOut(text);
    if (result.cancelled)
        return ExitInterrupted;
    return result.ok ? ExitOk : ExitFailure;
}

} // namespace sa::cli
