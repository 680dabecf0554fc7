// stackadvisor: the desktop app when started without a subcommand, and every job
// of the app as a subcommand for terminals and CI (see `stackadvisor --help`).

#include "cli.h"
#include "commands.h"

#include "platform/paths.h"

#include <QCoreApplication>

#ifdef STACKADVISOR_WITH_GUI
#include "gui.h"

#include <QApplication>
#endif

#include <cstdlib>
#include <cstring>
#include <memory>

namespace {

QString usage()
{
    QString text
        = QStringLiteral("Usage: stackadvisor [COMMAND] [OPTIONS]\n"
                         "\n"
                         "Go or Python for your web backend: a recommendation from your team's needs,\n"
                         "and benchmarks of real Go, Python and Node servers measured on this machine.\n"
                         "Without a command, the desktop app starts.\n"
                         "\n"
                         "Commands:\n");
    for (const sa::cli::Command &command : sa::cli::commands()) {
        text += QStringLiteral("  %1%2\n")
                    .arg(QLatin1String(command.name), -10)
                    .arg(QLatin1String(command.summary));
    }
    text += QStringLiteral(
        "\n"
        "Options:\n"
        "  -h, --help     Show this help; `stackadvisor COMMAND --help` for a command's own\n"
        "  -v, --version  Show the version\n"
        "\n"
        "Exit codes: 0 success, 1 the job failed, 2 bad input (message on stderr),\n"
        "130 interrupted.\n");
    return text;
}

[[maybe_unused]] bool hasDisplay()
{
    const auto set = [](const char *name) { return !qEnvironmentVariableIsEmpty(name); };
    return set("DISPLAY") || set("WAYLAND_DISPLAY") || set("QT_QPA_PLATFORM");
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc > 1 && argv[1][0] != '-') {
        const QString name = QString::fromLocal8Bit(argv[1]);
        const sa::cli::Command *command = sa::cli::findCommand(name);
        if (!command) {
            sa::cli::printErr(QStringLiteral("stackadvisor: unknown command '%1'. Commands: ").arg(name));
            QStringList names;
            for (const sa::cli::Command &known : sa::cli::commands())
                names << QLatin1String(known.name);
            sa::cli::printErr(
                names.join(QLatin1String(", ")) + QLatin1String(" (see stackadvisor --help)\n"));
            return sa::cli::ExitBadInput;
        }
        std::unique_ptr<QCoreApplication> application;
#ifdef STACKADVISOR_WITH_GUI
        QStringList rest;
        for (int i = 2; i < argc; ++i)
            rest << QString::fromLocal8Bit(argv[i]);
        // The report paints charts (graphics widgets): that needs a QApplication,
        // which runs headless on the offscreen platform.
        if (command->paints && command->paints(rest)) {
            if (!hasDisplay())
                qputenv("QT_QPA_PLATFORM", "offscreen");
            application = std::make_unique<QApplication>(argc, argv);
        }
#endif
        if (!application)
            application = std::make_unique<QCoreApplication>(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("stackadvisor"));
        QCoreApplication::setOrganizationName(QStringLiteral("StackAdvisor"));
        QCoreApplication::setApplicationVersion(sa::Paths::appVersion());
        QStringList arguments = QCoreApplication::arguments();
        arguments.remove(0, 2);
        return command->run(arguments);
    }

    if (argc > 1) {
        const char *option = argv[1];
        if (!std::strcmp(option, "-h") || !std::strcmp(option, "--help")) {
            sa::cli::printOut(usage());
            return sa::cli::ExitOk;
        }
        if (!std::strcmp(option, "-v") || !std::strcmp(option, "--version")) {
            sa::cli::printOut(QLatin1String("stackadvisor ") + sa::Paths::appVersion() + QLatin1Char('\n'));
            return sa::cli::ExitOk;
        }
        sa::cli::printErr(QStringLiteral("stackadvisor: unknown option '%1' (see stackadvisor --help)\n")
                              .arg(QString::fromLocal8Bit(option)));
        return sa::cli::ExitBadInput;
    }

#ifdef STACKADVISOR_WITH_GUI
    if (!hasDisplay()) {
        sa::cli::printErr(QStringLiteral(
            "stackadvisor: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
            "  Start it under a virtual display:  xvfb-run -a stackadvisor\n"
            "  or use it headless:                stackadvisor --help (advise, bench, report, servers)\n"));
        return sa::cli::ExitFailure;
    }
    return sa::ui::runGui(argc, argv);
#else
    sa::cli::printErr(
        QStringLiteral("stackadvisor: built without the desktop UI; use a command (see --help)\n"));
    return sa::cli::ExitBadInput;
#endif
}
