#include "loadgen/intervalboard.h"

#include <chrono>

namespace sa::loadgen {

void IntervalBoard::publish(std::size_t tick, int64_t endNs, bool final, const Counters &counters,
    const Histogram &latency, const Histogram &sendLag)
{
    bool complete = false;
    {
        const std::lock_guard lock(m_mutex);
        Entry &entry = m_entries[tick];
        entry.counters += counters;
        entry.latency.merge(latency);
        if (sendLag.totalCount() > 0)
            entry.sendLag.merge(sendLag);
        entry.final = entry.final || final;
        entry.endNs = std::max(entry.endNs, endNs);
        complete = ++entry.reporters == m_workers;
    }
    if (complete)
        m_ready.notify_all();
}

bool IntervalBoard::take(std::size_t tick, int timeoutMs, Entry &out)
{
    std::unique_lock lock(m_mutex);
    const bool ready = m_ready.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] {
        const auto it = m_entries.find(tick);
        return it != m_entries.end() && it->second.reporters == m_workers;
    });
    if (!ready)
        return false;
    auto node = m_entries.extract(tick);
    out = std::move(node.mapped());
    return true;
}

} // namespace sa::loadgen
