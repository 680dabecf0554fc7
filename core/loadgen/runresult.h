#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "loadgen/histogram.h"

namespace sa::loadgen {

// Errors by class, as the issue and the --json schema name them.
struct ErrorCounts
{
    uint64_t connect = 0; // connect() failed or timed out
    uint64_t read = 0; // reset, or closed before a complete response
    uint64_t timeout = 0; // no complete response within --timeout
    uint64_t status = 0; // a complete response outside 2xx/3xx
    uint64_t parse = 0; // malformed response

    uint64_t total() const { return connect + read + timeout + status + parse; }
    ErrorCounts &operator+=(const ErrorCounts &o)
    {
        connect += o.connect;
        read += o.read;
        timeout += o.timeout;
        status += o.status;
        parse += o.parse;
        return *this;
    }
};

struct StatusCounts
{
    uint64_t byClass[5] = {}; // 1xx .. 5xx

    void count(int statusCode)
    {
        const int index = statusCode / 100 - 1;
        if (index >= 0 && index < 5)
            ++byClass[index];
    }
    StatusCounts &operator+=(const StatusCounts &o)
    {
        for (int i = 0; i < 5; ++i)
            byClass[i] += o.byClass[i];
        return *this;
    }
};

// One --interval of the run (warm-up included), all threads merged.
struct IntervalReport
{
    bool warmup = false;
    double elapsedS = 0; // end of the interval, seconds since the start
    double intervalS = 0; // its length (the last of a phase can be shorter)
    uint64_t requests = 0;
    double rps = 0;
    ErrorCounts errors;
    // Latency of the requests completed in the interval (corrected in open loop).
    int64_t p50Ns = 0;
    int64_t p90Ns = 0;
    int64_t p99Ns = 0;
    int64_t maxNs = 0;
    // Open loop: actual minus intended send time of the requests sent in the
    // interval (all 0 when none was sent, or in closed loop).
    bool openLoop = false;
    int64_t sendLagP50Ns = 0;
    int64_t sendLagP99Ns = 0;
    int64_t sendLagMaxNs = 0;
};

struct Saturation
{
    // The generator was the limit: its CPU, the machine's load, or an open-loop
    // schedule it fell behind with connections free.
    bool saturated = false;
    std::string reason; // empty when not saturated
    // Open loop: the schedule fell behind because every one of the -c
    // connections was busy (the target was slow, or -c too small). Not the
    // generator's limit: the wait is in the latency, measured from each
    // request's intended send time.
    bool connectionsExhausted = false;
    std::string connectionsNote; // empty when not exhausted
    double generatorCpuPct = 0; // busiest generator thread, % of one core
    double scheduleLagMs = 0; // open loop: worst delay behind the schedule
};

// The measured window (warm-up excluded), all threads merged.
struct RunResult
{
    double durationS = 0;
    uint64_t requests = 0;
    double rps = 0;
    uint64_t bytesRead = 0;
    ErrorCounts errors;
    StatusCounts status;
    uint64_t reconnects = 0;
    Histogram latency; // from the intended send time in open loop
    std::optional<Histogram> uncorrectedLatency; // open loop only: from the actual send
    // Open loop only: actual minus intended send time of each request sent in
    // the window (the generator's own lateness, plus waits for a free connection).
    std::optional<Histogram> sendLag;
    // Requests sent and neither answered nor counted as errors when the run ended.
    uint64_t inFlight = 0;
    // Ended early by requestStop() (SIGINT/SIGTERM); in warm-up: nothing was measured.
    bool interrupted = false;
    bool interruptedInWarmup = false;
    Saturation saturation;
    double cpuUserS = 0;
    double cpuSystemS = 0;
    // Of that CPU, the time the threads polled with nothing to do instead of
    // sleeping (not counted as busy in the saturation check).
    double cpuPollingS = 0;
    // How often the threads slept in the measured window (voluntary context
    // switches): a sleeping generator is woken by the target's CPU.
    int64_t sleeps = 0;

    // The run happened but the target never answered well: every connection
    // refused, stalled, garbage, or only 4xx/5xx responses.
    bool targetFailed() const { return requests == errors.status; }
};

} // namespace sa::loadgen
