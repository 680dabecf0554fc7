#include "loadgen/loadgenerator.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <new>
#include <stdexcept>
#include <system_error>
#include <thread>

#include <sys/resource.h>

#include "loadgen/intervalboard.h"
#include "loadgen/worker.h"

namespace sa::loadgen {

namespace {

// Above this share of one core a generator thread is the bottleneck, not the target.
constexpr double kSaturatedCpuPct = 90.0;
// Open loop: further behind its schedule than this, the rate asked for was not offered.
constexpr double kSaturatedLagMs = 50.0;
constexpr int64_t kStopMarginNs = 20'000'000;
// Waiting this share of the window for a CPU, a generator thread was starved by
// other processes: the figures then measure the machine's load, not the target.
constexpr double kStarvedWaitPct = 25.0;

// Ends of the intervals: every interval_s during warm-up (the last one cut at its
// end), then every interval_s of the measured window, so no interval straddles
// the two phases.
void planTicks(RunPlan &plan, const LoadOptions &o)
{
    for (int64_t t = o.intervalNs; t < o.warmupNs; t += o.intervalNs)
        plan.tickEndsNs.push_back(plan.startNs + t);
    if (o.warmupNs > 0)
        plan.tickEndsNs.push_back(plan.startNs + o.warmupNs);
    plan.warmupTicks = plan.tickEndsNs.size();
    for (int64_t t = o.intervalNs; t < o.durationNs; t += o.intervalNs)
        plan.tickEndsNs.push_back(plan.measureStartNs + t);
    plan.tickEndsNs.push_back(plan.endNs);
}

std::string formatMs(double ms)
{
    char text[32];
    std::snprintf(text, sizeof(text), "%.1f", ms);
    return text;
}

} // namespace

LoadGenerator::LoadGenerator(LoadOptions options) : m_options(std::move(options)) { }

std::string LoadGenerator::prepare()
{
    // Each connection is a file descriptor; leave room for stdio, epoll and the rest.
    const auto needed
        = static_cast<rlim_t>(m_options.connections) + static_cast<rlim_t>(m_options.threads) + 64;
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return {};
    if (limit.rlim_cur >= needed)
        return {};
    const rlim_t hardLimit = limit.rlim_max;
    limit.rlim_cur = needed;
    // Raising the hard limit too works only with CAP_SYS_RESOURCE (root).
    if (hardLimit != RLIM_INFINITY && hardLimit < needed)
        limit.rlim_max = needed;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return "-c " + std::to_string(m_options.connections) + " needs " + std::to_string(needed)
            + " open files but the limit is " + std::to_string(hardLimit)
            + ": lower -c or raise the hard limit (ulimit -Hn)";
    }
    return {};
}

RunResult LoadGenerator::run(const IntervalCallback &onInterval)
{
    const LoadOptions &o = m_options;
    RunPlan plan;
    plan.options = &m_options;
    plan.request = buildRequest(o);
    plan.startNs = monotonicNs();
    plan.measureStartNs = plan.startNs + o.warmupNs;
    plan.endNs = plan.measureStartNs + o.durationNs;
    planTicks(plan, o);

    IntervalBoard board(o.threads);
    std::vector<std::unique_ptr<Worker>> workers;
    for (int i = 0; i < o.threads; ++i) {
        // Connections spread as evenly as possible: the first threads take the remainder.
        const int share = o.connections / o.threads + (i < o.connections % o.threads ? 1 : 0);
        const int cpu = o.cpus.empty() ? -1 : o.cpus[static_cast<std::size_t>(i) % o.cpus.size()];
        try {
            workers.push_back(std::make_unique<Worker>(plan, board, i, share, cpu));
        } catch (const std::bad_alloc &) {
            throw std::runtime_error("not enough memory for thread " + std::to_string(i + 1) + " of "
                + std::to_string(o.threads) + " (each needs about 1.5 MB): lower -t");
        }
        if (!workers.back()->setupError().empty())
            throw std::runtime_error(workers.back()->setupError());
    }
    std::vector<std::thread> threads;
    threads.reserve(workers.size());
    for (auto &worker : workers) {
        try {
            threads.emplace_back([&worker] { worker->run(); });
        } catch (const std::system_error &e) {
            // Out of threads (ulimit -u, memory): end the ones started, cleanly.
            plan.stopAtNs.store(std::numeric_limits<int64_t>::min());
            for (std::thread &t : threads)
                t.join();
            throw std::runtime_error("cannot start thread " + std::to_string(threads.size() + 1) + " of "
                + std::to_string(workers.size()) + " (" + e.what() + "): lower -t");
        }
    }

    // Report the intervals as the workers hand them in, in order.
    int64_t lastEndNs = plan.startNs;
    for (std::size_t tick = 0;; ++tick) {
        IntervalBoard::Entry entry;
        while (!board.take(tick, 50, entry)) {
            if (m_stop.load(std::memory_order_relaxed)) {
                // A little ahead, so that no worker has already handed in the
                // interval the stop falls into: all of them end on the same one.
                int64_t unset = std::numeric_limits<int64_t>::max();
                plan.stopAtNs.compare_exchange_strong(unset, monotonicNs() + kStopMarginNs);
            }
        }
        if (onInterval) {
            IntervalReport report;
            report.warmup = tick < plan.warmupTicks;
            report.elapsedS = static_cast<double>(entry.endNs - plan.startNs) / 1e9;
            report.intervalS = static_cast<double>(entry.endNs - lastEndNs) / 1e9;
            report.requests = entry.counters.requests;
            report.rps = report.intervalS > 0 ? static_cast<double>(report.requests) / report.intervalS : 0;
            report.errors = entry.counters.errors;
            report.p50Ns = entry.latency.valueAtPercentile(50);
            report.p90Ns = entry.latency.valueAtPercentile(90);
            report.p99Ns = entry.latency.valueAtPercentile(99);
            report.maxNs = entry.latency.max();
            report.openLoop = o.openLoop();
            report.sendLagP50Ns = entry.sendLag.valueAtPercentile(50);
            report.sendLagP99Ns = entry.sendLag.valueAtPercentile(99);
            report.sendLagMaxNs = entry.sendLag.max();
            onInterval(report);
        }
        lastEndNs = entry.endNs;
        if (entry.final)
            break;
    }
    for (std::thread &t : threads)
        t.join();

    RunResult result;
    const int64_t endNs = std::min(plan.endNs, plan.stopAtNs.load());
    result.interrupted = endNs < plan.endNs;
    result.interruptedInWarmup = endNs <= plan.measureStartNs;
    result.durationS = std::max<double>(0, static_cast<double>(endNs - plan.measureStartNs) / 1e9);
    if (o.openLoop()) {
        result.uncorrectedLatency.emplace();
        result.sendLag.emplace();
    }
    Counters totals;
    double busiestCpuPct = 0;
    double lagIdleMs = 0;
    double lagBusyMs = 0;
    double starvedPct = 0;
    for (const auto &worker : workers) {
        totals += worker->totals();
        result.latency.merge(worker->latency());
        if (result.uncorrectedLatency)
            result.uncorrectedLatency->merge(worker->uncorrectedLatency());
        if (result.sendLag)
            result.sendLag->merge(worker->sendLag());
        result.inFlight += worker->inFlight();
        result.cpuUserS += worker->cpuUserS();
        result.cpuSystemS += worker->cpuSystemS();
        result.cpuPollingS += worker->spinS();
        result.sleeps += worker->sleeps();
        if (worker->measuredWallS() > 0) {
            // Polling is time the thread had nothing to do: it is in the CPU it
            // used, not in how busy it was.
            const double busyS = worker->cpuUserS() + worker->cpuSystemS() - worker->spinS();
            busiestCpuPct = std::max(busiestCpuPct, 100.0 * busyS / worker->measuredWallS());
        }
        lagIdleMs = std::max(lagIdleMs, worker->lagBehindWithIdleMs());
        lagBusyMs = std::max(lagBusyMs, worker->lagAllBusyMs());
        if (worker->measuredWallS() > 0 && worker->cpuWaitS() >= 0)
            starvedPct = std::max(starvedPct, 100.0 * worker->cpuWaitS() / worker->measuredWallS());
    }
    result.requests = totals.requests;
    result.bytesRead = totals.bytesRead;
    result.errors = totals.errors;
    result.status = totals.status;
    result.reconnects = totals.reconnects;
    result.rps = result.durationS > 0 ? static_cast<double>(result.requests) / result.durationS : 0;

    Saturation &s = result.saturation;
    s.generatorCpuPct = std::min(100.0, busiestCpuPct);
    s.scheduleLagMs = std::max(lagIdleMs, lagBusyMs);
    std::vector<std::string> reasons;
    if (busiestCpuPct >= kSaturatedCpuPct)
        reasons.push_back("a generator thread used " + formatMs(s.generatorCpuPct)
            + "% of a core: the figures may be limited by the generator (add -t or CPUs)");
    if (starvedPct >= kStarvedWaitPct)
        reasons.push_back("a generator thread waited " + formatMs(starvedPct)
            + "% of the time for a CPU that other processes were using: the figures are limited by the "
              "machine's load");
    if (o.openLoop() && lagIdleMs >= kSaturatedLagMs)
        reasons.push_back("the open-loop schedule fell " + formatMs(lagIdleMs)
            + " ms behind with connections free: the generator cannot offer --rate");
    if (o.openLoop() && lagBusyMs >= kSaturatedLagMs) {
        s.connectionsExhausted = true;
        s.connectionsNote = "the open-loop schedule fell " + formatMs(lagBusyMs)
            + " ms behind with no connection free (all " + std::to_string(o.connections)
            + " busy or being opened): the wait is in the latency; raise -c to offer --rate on time";
    }
    s.saturated = !reasons.empty();
    for (const std::string &reason : reasons)
        s.reason += (s.reason.empty() ? "" : "; ") + reason;
    return result;
}

} // namespace sa::loadgen
