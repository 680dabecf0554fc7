#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "loadgen/options.h"
#include "loadgen/runresult.h"

namespace sa::loadgen {

// Runs one load in-process: starts one thread per options.threads, each with its
// own epoll loop and its share of the connections, and blocks until the end of
// warm-up + duration (or requestStop()). The stackadvisor-load executable is a
// thin front end over this class; tests and core code may use it directly.
class LoadGenerator final
{
public:
    using IntervalCallback = std::function<void(const IntervalReport &)>;

    explicit LoadGenerator(LoadOptions options);

    // Checks what the command line cannot: the open-file limit for -c (raised
    // when the hard limit allows). Returns an error message or "".
    std::string prepare();

    // Runs the load; onInterval is called on the calling thread once per
    // interval, warm-up included, in order. Throws std::runtime_error only when
    // the threads cannot be set up (no epoll instance: out of file descriptors).
    RunResult run(const IntervalCallback &onInterval = {});

    // Ends the run early (async-signal-safe: only sets a flag). The summary then
    // covers the measured time so far.
    void requestStop() noexcept { m_stop.store(true, std::memory_order_relaxed); }

private:
    LoadOptions m_options;
    std::atomic<bool> m_stop { false };
};

} // namespace sa::loadgen
