#include "commands.h"

#include <array>

namespace sa::cli {

namespace {

constexpr std::array kCommands {
    Command { "advise", "Answer the questionnaire and get Go, Python or Hybrid, explained", &runAdvise },
    Command { "bench", "Run the side-by-side benchmark of the servers on this machine; history of runs",
        &runBench, &benchPaints },
    Command { "servers", "List the servers the benchmark can run, with availability and fixes", &runServers },
    Command { "report", "Write the PDF (or HTML) report from answers and a benchmark run", &runReport,
        &reportPaints },
};

} // namespace

std::span<const Command> commands()
{
    return kCommands;
}

const Command *findCommand(QStringView name)
{
    for (const Command &command : kCommands) {
        if (name == QLatin1String(command.name))
            return &command;
    }
    return nullptr;
}

} // namespace sa::cli
