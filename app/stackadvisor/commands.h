#pragma once

#include <QStringList>

#include <span>

// The subcommands of the stackadvisor binary. Each runs inside a
// QCoreApplication (no display needed) and returns the process exit code.
namespace sa::cli {

struct Command
{
    const char *name;
    const char *summary;
    int (*run)(const QStringList &arguments); // arguments after the command name
};

std::span<const Command> commands();
const Command *findCommand(QStringView name);

// One per file: app/stackadvisor/cmd_<name>.cpp.
int runAdvise(const QStringList &arguments);
int runBench(const QStringList &arguments);
int runServers(const QStringList &arguments);

} // namespace sa::cli
