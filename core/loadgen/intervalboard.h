#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>

#include "loadgen/histogram.h"
#include "loadgen/runresult.h"

namespace sa::loadgen {

// Counts of one thread for one interval or for the whole measured window.
struct Counters
{
    uint64_t requests = 0;
    uint64_t bytesRead = 0;
    uint64_t reconnects = 0;
    ErrorCounts errors;
    StatusCounts status;

    Counters &operator+=(const Counters &o)
    {
        requests += o.requests;
        bytesRead += o.bytesRead;
        reconnects += o.reconnects;
        errors += o.errors;
        status += o.status;
        return *this;
    }
};

// Where the worker threads hand in their interval figures and the reporting
// thread collects them, once per interval: the only place they synchronise, so
// recording a request never takes a lock.
class IntervalBoard final
{
public:
    struct Entry
    {
        Counters counters;
        Histogram latency;
        Histogram sendLag; // open loop
        int reporters = 0;
        bool final = false; // the run ends with this interval
        int64_t endNs = 0; // absolute end of the interval (earlier if stopped)
    };

    explicit IntervalBoard(int workers) : m_workers(workers) { }

    void publish(std::size_t tick, int64_t endNs, bool final, const Counters &counters,
        const Histogram &latency, const Histogram &sendLag);

    // Waits until every worker has published `tick`; false on timeout.
    bool take(std::size_t tick, int timeoutMs, Entry &out);

private:
    const int m_workers;
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::map<std::size_t, Entry> m_entries;
};

} // namespace sa::loadgen
