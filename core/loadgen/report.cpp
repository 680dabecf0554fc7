#include "loadgen/report.h"

#include <cstdio>

namespace sa::loadgen {

namespace {

// Shortest decimal form with at most three decimals: 12, 0.5, 123.457.
std::string number(double value)
{
    char text[64];
    std::snprintf(text, sizeof(text), "%.3f", value);
    std::string s(text);
    while (!s.empty() && s.back() == '0')
        s.pop_back();
    if (!s.empty() && s.back() == '.')
        s.pop_back();
    if (s == "-0")
        s = "0";
    return s;
}

std::string number(uint64_t value)
{
    return std::to_string(value);
}

std::string micros(int64_t ns)
{
    return number(static_cast<double>(ns) / 1000.0);
}

std::string quoted(const std::string &text)
{
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof(escaped), "\\u%04x",
                    static_cast<unsigned>(static_cast<unsigned char>(c)));
                out += escaped;
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

std::string errorsJson(const ErrorCounts &e)
{
    return "{\"connect\":" + number(e.connect) + ",\"read\":" + number(e.read) + ",\"timeout\":"
        + number(e.timeout) + ",\"status\":" + number(e.status) + ",\"parse\":" + number(e.parse) + "}";
}

std::string latencyJson(const Histogram &h)
{
    return "{\"min\":" + micros(h.min()) + ",\"mean\":" + number(h.mean() / 1000.0)
        + ",\"stdev\":" + number(h.stdev() / 1000.0) + ",\"p50\":" + micros(h.valueAtPercentile(50))
        + ",\"p75\":" + micros(h.valueAtPercentile(75)) + ",\"p90\":" + micros(h.valueAtPercentile(90))
        + ",\"p99\":" + micros(h.valueAtPercentile(99)) + ",\"p99_9\":" + micros(h.valueAtPercentile(99.9))
        + ",\"p99_99\":" + micros(h.valueAtPercentile(99.99)) + ",\"max\":" + micros(h.max()) + "}";
}

std::string sendLagJson(const Histogram &h)
{
    return "{\"p50\":" + micros(h.valueAtPercentile(50)) + ",\"p90\":" + micros(h.valueAtPercentile(90))
        + ",\"p99\":" + micros(h.valueAtPercentile(99)) + ",\"p99_9\":" + micros(h.valueAtPercentile(99.9))
        + ",\"max\":" + micros(h.max()) + ",\"mean\":" + number(h.mean() / 1000.0) + "}";
}

std::string seconds(int64_t ns)
{
    return number(static_cast<double>(ns) / 1e9);
}

template<typename... Args> void appendLine(std::string &out, const char *format, Args... args)
{
    const int length = std::snprintf(nullptr, 0, format, args...);
    if (length <= 0)
        return;
    const std::size_t at = out.size();
    out.resize(at + static_cast<std::size_t>(length) + 1);
    std::snprintf(out.data() + at, static_cast<std::size_t>(length) + 1, format, args...);
    out.resize(at + static_cast<std::size_t>(length));
}

std::string formatBytes(double bytes)
{
    const char *units[] = { "B", "KB", "MB", "GB", "TB" };
    int unit = 0;
    while (bytes >= 1024 && unit < 4) {
        bytes /= 1024;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof(text), "%.2f%s", bytes, units[unit]);
    return text;
}

} // namespace

std::string formatDuration(int64_t ns)
{
    char text[32];
    const double v = static_cast<double>(ns);
    if (ns < 1'000'000)
        std::snprintf(text, sizeof(text), "%.2fus", v / 1e3);
    else if (ns < 1'000'000'000)
        std::snprintf(text, sizeof(text), "%.2fms", v / 1e6);
    else
        std::snprintf(text, sizeof(text), "%.2fs", v / 1e9);
    return text;
}

std::string startJson(const LoadOptions &o, const std::string &version)
{
    return "{\"type\":\"start\",\"version\":" + quoted(version) + ",\"url\":" + quoted(o.target.url)
        + ",\"threads\":" + std::to_string(o.threads) + ",\"connections\":" + std::to_string(o.connections)
        + ",\"warmup_s\":" + seconds(o.warmupNs) + ",\"duration_s\":" + seconds(o.durationNs) + ",\"mode\":"
        + (o.openLoop() ? "\"open\"" : "\"closed\"") + ",\"rate\":" + (o.rate ? number(*o.rate) : "null")
        + ",\"timeout_s\":" + seconds(o.timeoutNs) + ",\"cpus\":"
        + (o.cpus.empty() ? "null" : quoted(o.cpusText)) + ",\"interval_s\":" + seconds(o.intervalNs) + "}";
}

std::string intervalJson(const IntervalReport &r)
{
    return "{\"type\":\"interval\",\"phase\":" + std::string(r.warmup ? "\"warmup\"" : "\"measure\"")
        + ",\"t_s\":" + number(r.elapsedS) + ",\"interval_s\":" + number(r.intervalS)
        + ",\"requests\":" + number(r.requests) + ",\"rps\":" + number(r.rps)
        + ",\"errors\":" + errorsJson(r.errors) + ",\"latency_us\":{\"p50\":" + micros(r.p50Ns)
        + ",\"p90\":" + micros(r.p90Ns) + ",\"p99\":" + micros(r.p99Ns) + ",\"max\":" + micros(r.maxNs) + "}"
        + (r.openLoop ? ",\"send_lag_us\":{\"p50\":" + micros(r.sendLagP50Ns)
                    + ",\"p99\":" + micros(r.sendLagP99Ns) + ",\"max\":" + micros(r.sendLagMaxNs) + "}"
                      : std::string())
        + "}";
}

std::string summaryJson(const RunResult &r)
{
    std::string buckets;
    for (const Histogram::Bucket &b : r.latency.nonEmptyBuckets()) {
        if (!buckets.empty())
            buckets += ',';
        buckets += "[" + micros(b.valueNs) + "," + number(b.count) + "]";
    }
    const StatusCounts &s = r.status;
    return "{\"type\":\"summary\",\"duration_s\":" + number(r.durationS) + ",\"requests\":"
        + number(r.requests) + ",\"rps\":" + number(r.rps) + ",\"bytes_read\":" + number(r.bytesRead)
        + ",\"errors\":" + errorsJson(r.errors) + ",\"status\":{\"1xx\":" + number(s.byClass[0]) + ",\"2xx\":"
        + number(s.byClass[1]) + ",\"3xx\":" + number(s.byClass[2]) + ",\"4xx\":" + number(s.byClass[3])
        + ",\"5xx\":" + number(s.byClass[4]) + "},\"reconnects\":" + number(r.reconnects)
        + ",\"in_flight\":" + number(r.inFlight) + ",\"interrupted\":" + (r.interrupted ? "true" : "false")
        + ",\"latency_us\":" + latencyJson(r.latency) + ",\"uncorrected_latency_us\":"
        + (r.uncorrectedLatency ? latencyJson(*r.uncorrectedLatency) : "null")
        + ",\"send_lag_us\":" + (r.sendLag ? sendLagJson(*r.sendLag) : "null")
        + ",\"histogram\":{\"unit\":\"us\",\"significant_digits\":"
        + std::to_string(Histogram::kSignificantDigits) + ",\"buckets\":[" + buckets + "]}"
        + ",\"saturation\":{\"saturated\":" + (r.saturation.saturated ? "true" : "false") + ",\"reason\":"
        + quoted(r.saturation.reason) + ",\"generator_cpu_pct\":" + number(r.saturation.generatorCpuPct)
        + ",\"schedule_lag_ms\":" + number(r.saturation.scheduleLagMs) + ",\"connections_exhausted\":"
        + (r.saturation.connectionsExhausted ? "true" : "false") + ",\"connections_note\":"
        + quoted(r.saturation.connectionsNote) + "}" + ",\"generator_cpu_s\":{\"user\":" + number(r.cpuUserS)
        + ",\"system\":" + number(r.cpuSystemS) + ",\"polling\":" + number(r.cpuPollingS) + "}"
        + ",\"generator_sleeps\":" + std::to_string(r.sleeps) + "}";
}

std::string humanSummary(const LoadOptions &o, const RunResult &r)
{
    std::string out;
    appendLine(out, "Running %s test @ %s%s\n", formatDuration(o.durationNs).c_str(), o.target.url.c_str(),
        o.warmupNs > 0 ? (" (after a " + formatDuration(o.warmupNs) + " warm-up)").c_str() : "");
    if (o.rate)
        appendLine(out, "  %d threads and %d connections, open loop at %s requests/sec\n", o.threads,
            o.connections, number(*o.rate).c_str());
    else
        appendLine(out, "  %d threads and %d connections, closed loop\n", o.threads, o.connections);
    const Histogram &h = r.latency;
    appendLine(out, "  Latency%s   mean %s   stdev %s   min %s   max %s\n", o.rate ? " (corrected)" : "",
        formatDuration(static_cast<int64_t>(h.mean())).c_str(),
        formatDuration(static_cast<int64_t>(h.stdev())).c_str(), formatDuration(h.min()).c_str(),
        formatDuration(h.max()).c_str());
    out += "  Latency Distribution\n";
    const double percentiles[] = { 50, 75, 90, 99, 99.9, 99.99 };
    for (const double p : percentiles) {
        if (r.uncorrectedLatency)
            appendLine(out, "   %6.2f%%  %10s   (uncorrected %s)\n", p,
                formatDuration(h.valueAtPercentile(p)).c_str(),
                formatDuration(r.uncorrectedLatency->valueAtPercentile(p)).c_str());
        else
            appendLine(out, "   %6.2f%%  %10s\n", p, formatDuration(h.valueAtPercentile(p)).c_str());
    }
    appendLine(out, "  %llu requests in %.2fs, %s read\n", static_cast<unsigned long long>(r.requests),
        r.durationS, formatBytes(static_cast<double>(r.bytesRead)).c_str());
    const ErrorCounts &e = r.errors;
    appendLine(out, "  Errors: connect %llu, read %llu, timeout %llu, status %llu, parse %llu\n",
        static_cast<unsigned long long>(e.connect), static_cast<unsigned long long>(e.read),
        static_cast<unsigned long long>(e.timeout), static_cast<unsigned long long>(e.status),
        static_cast<unsigned long long>(e.parse));
    const StatusCounts &s = r.status;
    appendLine(out, "  Status: 1xx %llu, 2xx %llu, 3xx %llu, 4xx %llu, 5xx %llu; reconnects %llu\n",
        static_cast<unsigned long long>(s.byClass[0]), static_cast<unsigned long long>(s.byClass[1]),
        static_cast<unsigned long long>(s.byClass[2]), static_cast<unsigned long long>(s.byClass[3]),
        static_cast<unsigned long long>(s.byClass[4]), static_cast<unsigned long long>(r.reconnects));
    appendLine(out, "Requests/sec: %10.2f\n", r.rps);
    appendLine(out, "Transfer/sec: %10s\n",
        formatBytes(r.durationS > 0 ? static_cast<double>(r.bytesRead) / r.durationS : 0).c_str());
    appendLine(out,
        "Generator CPU: user %.2fs, system %.2fs (polling %.2fs); busiest thread %.1f%% of a core; "
        "slept %.2f times per request\n",
        r.cpuUserS, r.cpuSystemS, r.cpuPollingS, r.saturation.generatorCpuPct,
        r.requests > 0 ? static_cast<double>(r.sleeps) / static_cast<double>(r.requests) : 0.0);
    if (o.rate)
        appendLine(out, "Open-loop schedule: worst lag %.2f ms behind the intended send times\n",
            r.saturation.scheduleLagMs);
    if (r.sendLag && r.sendLag->totalCount() > 0)
        appendLine(out, "Send lag (actual - intended send time): p50 %s, p99 %s, max %s\n",
            formatDuration(r.sendLag->valueAtPercentile(50)).c_str(),
            formatDuration(r.sendLag->valueAtPercentile(99)).c_str(),
            formatDuration(r.sendLag->max()).c_str());
    if (r.saturation.saturated)
        appendLine(out, "WARNING: generator saturated: %s\n", r.saturation.reason.c_str());
    if (r.saturation.connectionsExhausted)
        appendLine(out, "NOTE: %s\n", r.saturation.connectionsNote.c_str());
    if (r.interruptedInWarmup)
        out += "INTERRUPTED during the warm-up: nothing was measured\n";
    else if (r.interrupted)
        appendLine(out, "INTERRUPTED after %.2fs of the %s window: the figures cover that time only\n",
            r.durationS, formatDuration(o.durationNs).c_str());
    else if (r.targetFailed())
        out += "FAILED: the target did not answer any request successfully\n";
    return out;
}

} // namespace sa::loadgen
