#pragma once

#include <QStringList>

#include <span>

namespace sa::bench {
class RunAnalysis;
}

// The subcommands of the stackadvisor binary. Each runs inside a
// QCoreApplication (no display needed) and returns the process exit code.
namespace sa::cli {

struct Command
{
    const char *name;
    const char *summary;
    int (*run)(const QStringList &arguments); // arguments after the command name
    // Whether these arguments paint (the PDF report): then the command runs in a
    // QApplication, on the offscreen platform when there is no display.
    bool (*paints)(const QStringList &arguments) = nullptr;
};

std::span<const Command> commands();
const Command *findCommand(QStringView name);

// One per file: app/stackadvisor/cmd_<name>.cpp.
int runAdvise(const QStringList &arguments);
int runBench(const QStringList &arguments);
int runServers(const QStringList &arguments);
int runServersSetup(const QStringList &arguments); // `servers setup`, called by runServers
int runServersServe(const QStringList &arguments); // `servers serve`, called by runServers
int runReport(const QStringList &arguments);
bool reportPaints(const QStringList &arguments);
bool benchPaints(const QStringList &arguments); // `bench --pdf OUT`
// The report of a run (no answers) as a PDF: `stackadvisor bench --pdf OUT`. In cmd_report.cpp.
bool writeRunReport(const sa::bench::RunAnalysis &analysis, const QString &pdfPath, QString *error);

} // namespace sa::cli
