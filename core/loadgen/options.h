#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/socket.h>

namespace sa::loadgen {

// Where the load goes: parsed from the URL, resolved once before the run.
struct Target
{
    std::string url; // as given
    std::string host; // without brackets for IPv6
    uint16_t port = 0;
    std::string path = "/"; // path and query, as sent in the request line
    sockaddr_storage address = {};
    socklen_t addressLength = 0;
};

// Everything a run needs. Durations are in nanoseconds of CLOCK_MONOTONIC.
struct LoadOptions
{
    Target target;
    int connections = 10;
    int threads = 1;
    int64_t durationNs = 10'000'000'000;
    int64_t warmupNs = 0;
    int64_t timeoutNs = 5'000'000'000;
    int64_t intervalNs = 1'000'000'000;
    std::optional<double> rate; // requests per second, all threads together: open loop
    std::vector<int> cpus; // empty: no pinning
    std::string cpusText; // as given, for the report
    bool json = false;
    bool allowRemote = false;
    // Sleep as soon as nothing is ready, as wrk does: no polling for the next
    // response (closed loop) or up to an intended send (open loop).
    bool noPoll = false;
    std::vector<std::string> headers; // "Name: value", validated

    bool openLoop() const { return rate.has_value(); }
};

struct CommandLine
{
    enum class Action { Run, Help, Version, Error };
    Action action = Action::Error;
    LoadOptions options;
    std::string error; // one line, says what is wrong and how to fix it
};

// Parses the wrk-like command line, validates every value and resolves the
// target address (loopback only unless --allow-remote).
CommandLine parseCommandLine(const std::vector<std::string> &arguments);

std::string usageText();

// "10s", "250ms", "2m", "1.5s" or a bare number of seconds; nullopt when invalid.
std::optional<int64_t> parseDurationNs(std::string_view text);
// "1", "2-3", "0,2" → the CPU numbers; nullopt when invalid.
std::optional<std::vector<int>> parseCpuList(std::string_view text);
// Parses and resolves an http:// URL into target; returns an error message or "".
std::string parseTarget(std::string_view url, bool allowRemote, Target &target);
// Builds the request once: GET, Host and the extra headers only, as wrk sends,
// so that the servers parse the same bytes whichever tool loads them.
std::string buildRequest(const LoadOptions &options);

} // namespace sa::loadgen
