#pragma once

#include <QString>

// Shared conventions of every subcommand: exit codes and how errors are printed.
namespace sa::cli {

enum ExitCode : int {
    ExitOk = 0,
    ExitFailure = 1, // the job ran and failed (a target refused connections, a write failed…)
    ExitBadInput = 2, // bad arguments or input files: nothing was done
    ExitInterrupted = 130, // stopped by SIGINT/SIGTERM; partial results were saved where documented
};

// "stackadvisor <command>: <message>" on stderr, newline-terminated.
void printError(const QString &command, const QString &message);
void printOut(const QString &text);
void printErr(const QString &text);

} // namespace sa::cli
