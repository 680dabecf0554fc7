// stackadvisor-load: a wrk-like HTTP/1.1 load generator over core/loadgen.
// Human summary by default; --json prints the line protocol the app parses
// (schema in the README). Exit: 0 ok, 1 the target failed (or could not be
// loaded: no threads), 2 bad input, 130 interrupted.
#include <csignal>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "loadgen/loadgenerator.h"
#include "loadgen/options.h"
#include "loadgen/report.h"

namespace {

sa::loadgen::LoadGenerator *g_generator = nullptr;

extern "C" void onStopSignal(int)
{
    if (g_generator)
        g_generator->requestStop();
}

void writeLine(const std::string &line)
{
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    // One line per interval: the reader must see it now, not when a buffer fills.
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    using namespace sa::loadgen;
    const std::vector<std::string> arguments(argv + 1, argv + argc);
    const CommandLine commandLine = parseCommandLine(arguments);
    switch (commandLine.action) {
    case CommandLine::Action::Help:
        std::fputs(usageText().c_str(), stdout);
        return 0;
    case CommandLine::Action::Version:
        std::printf("stackadvisor-load %s\n", STACKADVISOR_LOADGEN_VERSION);
        return 0;
    case CommandLine::Action::Error:
        std::fprintf(stderr, "stackadvisor-load: %s\n", commandLine.error.c_str());
        return 2;
    case CommandLine::Action::Run:
        break;
    }
    const LoadOptions &options = commandLine.options;
    LoadGenerator generator(options);
    if (const std::string error = generator.prepare(); !error.empty()) {
        std::fprintf(stderr, "stackadvisor-load: %s\n", error.c_str());
        return 2;
    }

    g_generator = &generator;
    struct sigaction action = {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    try {
        RunResult result;
        if (options.json) {
            writeLine(startJson(options, STACKADVISOR_LOADGEN_VERSION));
            result = generator.run([](const IntervalReport &interval) { writeLine(intervalJson(interval)); });
            writeLine(summaryJson(result));
        } else {
            result = generator.run();
            std::fputs(humanSummary(options, result).c_str(), stdout);
        }
        g_generator = nullptr;
        if (result.interrupted) {
            std::fprintf(stderr, "stackadvisor-load: interrupted %s\n",
                result.interruptedInWarmup
                    ? "during the warm-up: nothing was measured"
                    : "before the end of the window: the summary covers the time measured");
            return 130;
        }
        return result.targetFailed() ? 1 : 0;
    } catch (const std::exception &e) {
        g_generator = nullptr;
        std::fprintf(stderr, "stackadvisor-load: %s\n", e.what());
        return 1;
    }
}
