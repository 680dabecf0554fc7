#include "loadgen/options.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sched.h>
#include <strings.h>

namespace sa::loadgen {

namespace {

constexpr int kMaxConnections = 100'000;
// One thread per core is what helps; far beyond the largest machines, threads only
// cost memory (about 1.5 MB each with their histograms) and the kernel's limits.
constexpr int kMaxThreads = 1024;
constexpr int64_t kMaxDurationNs = int64_t { 24 } * 3600 * 1'000'000'000;

std::optional<double> parseNumber(std::string_view text)
{
    if (text.empty())
        return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::optional<int> parseInt(std::string_view text)
{
    if (text.empty())
        return std::nullopt;
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < -2'000'000'000
        || value > 2'000'000'000)
        return std::nullopt;
    return static_cast<int>(value);
}

bool isLoopback(const sockaddr *address)
{
    if (address->sa_family == AF_INET) {
        const auto *in = reinterpret_cast<const sockaddr_in *>(address);
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (address->sa_family == AF_INET6) {
        const auto *in6 = reinterpret_cast<const sockaddr_in6 *>(address);
        if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
            return true;
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
            return in6->sin6_addr.s6_addr[12] == 127;
    }
    return false;
}

bool isTokenChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u))
        return true;
    return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

} // namespace

std::optional<int64_t> parseDurationNs(std::string_view text)
{
    std::size_t unitStart = 0;
    while (unitStart < text.size()
        && (std::isdigit(static_cast<unsigned char>(text[unitStart])) || text[unitStart] == '.'))
        ++unitStart;
    const std::optional<double> number = parseNumber(text.substr(0, unitStart));
    if (!number || *number < 0)
        return std::nullopt;
    const std::string_view unit = text.substr(unitStart);
    double scale = 0;
    if (unit.empty() || unit == "s")
        scale = 1e9;
    else if (unit == "ms")
        scale = 1e6;
    else if (unit == "us")
        scale = 1e3;
    else if (unit == "m")
        scale = 60e9;
    else if (unit == "h")
        scale = 3600e9;
    else
        return std::nullopt;
    const double ns = *number * scale;
    if (ns > static_cast<double>(kMaxDurationNs))
        return std::nullopt;
    return static_cast<int64_t>(std::llround(ns));
}

std::optional<std::vector<int>> parseCpuList(std::string_view text)
{
    std::vector<int> cpus;
    if (text.empty())
        return std::nullopt;
    while (true) {
        const std::size_t comma = text.find(',');
        const std::string_view part = text.substr(0, comma);
        const std::size_t dash = part.find('-');
        const std::optional<int> first = parseInt(part.substr(0, dash));
        const std::optional<int> last
            = dash == std::string_view::npos ? first : parseInt(part.substr(dash + 1));
        if (!first || !last || *first < 0 || *last < *first || *last >= CPU_SETSIZE)
            return std::nullopt;
        for (int cpu = *first; cpu <= *last; ++cpu) {
            if (std::find(cpus.begin(), cpus.end(), cpu) == cpus.end())
                cpus.push_back(cpu);
        }
        if (comma == std::string_view::npos)
            break;
        text.remove_prefix(comma + 1);
    }
    return cpus;
}

std::string parseTarget(std::string_view url, bool allowRemote, Target &target)
{
    target = Target {};
    target.url = std::string(url);
    const std::size_t schemeEnd = url.find("://");
    if (schemeEnd == std::string_view::npos)
        return "URL '" + std::string(url) + "' has no scheme: write it as http://127.0.0.1:8080/path";
    const std::string_view scheme = url.substr(0, schemeEnd);
    if (scheme == "https")
        return "https:// is not supported yet: run the server over plain http:// on loopback";
    if (scheme != "http")
        return "URL scheme '" + std::string(scheme) + "' is not supported: use http://";
    std::string_view rest = url.substr(schemeEnd + 3);
    const std::size_t pathStart = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, pathStart);
    std::string_view path
        = pathStart == std::string_view::npos ? std::string_view("/") : rest.substr(pathStart);
    if (const std::size_t hash = path.find('#'); hash != std::string_view::npos)
        path = path.substr(0, hash);
    if (path.empty() || path.front() == '?')
        target.path = "/" + std::string(path);
    else
        target.path = std::string(path);
    for (const char c : target.path) {
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
            return "URL path contains a space or a control character: percent-encode it";
    }
    if (authority.find('@') != std::string_view::npos)
        return "URL with user information is not supported: remove the 'user@' part";

    std::string_view host;
    std::string_view port;
    if (!authority.empty() && authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos)
            return "URL '" + std::string(url)
                + "' has an unterminated IPv6 address: write http://[::1]:8080/";
        host = authority.substr(1, close - 1);
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty() && after.front() != ':')
            return "URL '" + std::string(url) + "' has junk after the IPv6 address";
        port = after.empty() ? std::string_view() : after.substr(1);
    } else {
        const std::size_t colon = authority.rfind(':');
        host = authority.substr(0, colon);
        port = colon == std::string_view::npos ? std::string_view() : authority.substr(colon + 1);
    }
    if (host.empty())
        return "URL '" + std::string(url) + "' has no host: write it as http://127.0.0.1:8080/path";
    if (port.empty())
        return "URL '" + std::string(url) + "' has no port: write it as http://" + std::string(host)
            + ":8080/path";
    const std::optional<int> portNumber = parseInt(port);
    if (!portNumber || *portNumber < 1 || *portNumber > 65535)
        return "URL port '" + std::string(port) + "' is not a number from 1 to 65535";
    target.host = std::string(host);
    target.port = static_cast<uint16_t>(*portNumber);

    addrinfo hints = {};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *results = nullptr;
    const std::string portText = std::to_string(target.port);
    const int rc = getaddrinfo(target.host.c_str(), portText.c_str(), &hints, &results);
    if (rc != 0 || !results)
        return "cannot resolve host '" + target.host + "': " + gai_strerror(rc);
    // Prefer IPv4: servers in this project listen on 127.0.0.1.
    const addrinfo *chosen = results;
    for (const addrinfo *ai = results; ai; ai = ai->ai_next) {
        if (ai->ai_family == AF_INET) {
            chosen = ai;
            break;
        }
    }
    const bool loopback = isLoopback(chosen->ai_addr);
    std::memcpy(&target.address, chosen->ai_addr, chosen->ai_addrlen);
    target.addressLength = chosen->ai_addrlen;
    freeaddrinfo(results);
    if (!loopback && !allowRemote)
        return "host '" + target.host
            + "' is not a loopback address: load tests go to 127.0.0.1; pass --allow-remote to load another "
              "machine";
    return {};
}

std::string buildRequest(const LoadOptions &options)
{
    const Target &t = options.target;
    const bool ipv6 = t.host.find(':') != std::string::npos;
    std::string host = ipv6 ? "[" + t.host + "]" : t.host;
    if (t.port != 80)
        host += ":" + std::to_string(t.port);
    bool customHost = false;
    for (const std::string &header : options.headers) {
        if (header.size() >= 5 && strncasecmp(header.c_str(), "host:", 5) == 0)
            customHost = true;
    }
    std::string request = "GET " + t.path + " HTTP/1.1\r\n";
    if (!customHost)
        request += "Host: " + host + "\r\n";
    for (const std::string &header : options.headers)
        request += header + "\r\n";
    request += "\r\n";
    return request;
}

std::string usageText()
{
    return "Usage: stackadvisor-load [options] URL\n"
           "HTTP/1.1 load generator (closed loop like wrk, or open loop at a constant rate like wrk2).\n"
           "\n"
           "  -c, --connections N   connections, 1..100000 (default 10)\n"
           "  -t, --threads N       threads, each with its share of connections, 1..1024 (default 1,\n"
           "                        at most -c)\n"
           "  -d, --duration T      measured duration, e.g. 10s, 500ms, 2m (default 10s)\n"
           "      --warmup T        warm-up before measuring, excluded from the results (default 0s)\n"
           "      --rate R          open loop: R requests/s in total; latency from each request's\n"
           "                        intended send time (coordinated omission corrected); up to -c\n"
           "                        connections, each opened when a due request needs it\n"
           "      --timeout T       per-request timeout (default 5s)\n"
           "      --cpus LIST       pin the threads: 1, 2-3 or 0,2\n"
           "      --json            one JSON object per line (see the README for the schema)\n"
           "      --interval T      reporting interval (default 1s)\n"
           "  -H, --header H        extra request header \"Name: value\" (repeatable)\n"
           "      --allow-remote    allow a target that is not a loopback address\n"
           "      --no-poll         sleep as soon as nothing is ready, as wrk does (by default a\n"
           "                        thread alone on its CPU polls for the next response first, so\n"
           "                        the target does not spend its CPU waking the generator)\n"
           "      --version         print the version\n"
           "  -h, --help            this help\n"
           "\n"
           "Exit status: 0 success, 1 the target failed (no response at all), 2 bad input.\n";
}

CommandLine parseCommandLine(const std::vector<std::string> &arguments)
{
    CommandLine result;
    LoadOptions &o = result.options;
    std::string url;
    auto error = [&result](std::string message) {
        result.action = CommandLine::Action::Error;
        result.error = std::move(message);
        return result;
    };

    for (std::size_t i = 0; i < arguments.size(); ++i) {
        std::string argument = arguments[i];
        std::optional<std::string> inlineValue;
        if (argument.rfind("--", 0) == 0) {
            if (const std::size_t eq = argument.find('='); eq != std::string::npos) {
                inlineValue = argument.substr(eq + 1);
                argument.resize(eq);
            }
        }
        auto needValue = [&]() -> std::optional<std::string> {
            if (inlineValue)
                return inlineValue;
            if (i + 1 >= arguments.size())
                return std::nullopt;
            return arguments[++i];
        };
        auto durationOption = [&](const char *name, int64_t &target, bool allowZero) -> std::string {
            const std::optional<std::string> value = needValue();
            if (!value)
                return std::string(name) + " needs a value, e.g. " + name + " 10s";
            const std::optional<int64_t> ns = parseDurationNs(*value);
            if (!ns)
                return std::string(name) + " '" + *value
                    + "' is not a duration: use a number with ms, s, m or h, e.g. 10s (at most 24h)";
            if (*ns == 0 && !allowZero)
                return std::string(name) + " must be greater than zero";
            target = *ns;
            return {};
        };

        if (argument == "-h" || argument == "--help") {
            result.action = CommandLine::Action::Help;
            return result;
        }
        if (argument == "--version") {
            result.action = CommandLine::Action::Version;
            return result;
        }
        if (argument == "-c" || argument == "--connections" || argument == "-t" || argument == "--threads") {
            const bool connections = argument == "-c" || argument == "--connections";
            const std::optional<std::string> value = needValue();
            if (!value)
                return error(argument + " needs a number");
            const std::optional<int> n = parseInt(*value);
            if (!n)
                return error(argument + " '" + *value + "' is not a whole number");
            (connections ? o.connections : o.threads) = *n;
        } else if (argument == "-d" || argument == "--duration") {
            if (std::string e = durationOption("--duration", o.durationNs, false); !e.empty())
                return error(e);
        } else if (argument == "--warmup") {
            if (std::string e = durationOption("--warmup", o.warmupNs, true); !e.empty())
                return error(e);
        } else if (argument == "--timeout") {
            if (std::string e = durationOption("--timeout", o.timeoutNs, false); !e.empty())
                return error(e);
        } else if (argument == "--interval") {
            if (std::string e = durationOption("--interval", o.intervalNs, false); !e.empty())
                return error(e);
            if (o.intervalNs < 10'000'000)
                return error("--interval must be at least 10ms");
        } else if (argument == "--rate") {
            const std::optional<std::string> value = needValue();
            if (!value)
                return error("--rate needs a number of requests per second");
            const std::optional<double> rate = parseNumber(*value);
            if (!rate)
                return error("--rate '" + *value + "' is not a number of requests per second");
            if (*rate <= 0)
                return error("--rate must be greater than zero (omit it for a closed-loop run)");
            if (*rate > 1e8)
                return error("--rate '" + *value + "' is beyond 100,000,000 requests per second");
            o.rate = *rate;
        } else if (argument == "--cpus") {
            const std::optional<std::string> value = needValue();
            if (!value)
                return error("--cpus needs a CPU list, e.g. --cpus 1 or --cpus 2-3");
            const std::optional<std::vector<int>> cpus = parseCpuList(*value);
            if (!cpus)
                return error("--cpus '" + *value + "' is not a CPU list: write 1, 2-3 or 0,2");
            cpu_set_t allowed;
            CPU_ZERO(&allowed);
            if (sched_getaffinity(0, sizeof(allowed), &allowed) == 0) {
                for (const int cpu : *cpus) {
                    if (!CPU_ISSET(cpu, &allowed))
                        return error("--cpus: CPU " + std::to_string(cpu)
                            + " is not available to this process (see nproc)");
                }
            }
            o.cpus = *cpus;
            o.cpusText = *value;
        } else if (argument == "--json") {
            o.json = true;
        } else if (argument == "--allow-remote") {
            o.allowRemote = true;
        } else if (argument == "--no-poll") {
            o.noPoll = true;
        } else if (argument == "-H" || argument == "--header") {
            const std::optional<std::string> value = needValue();
            if (!value)
                return error("--header needs a value \"Name: value\"");
            const std::size_t colon = value->find(':');
            if (colon == std::string::npos || colon == 0
                || !std::all_of(
                    value->begin(), value->begin() + static_cast<std::ptrdiff_t>(colon), isTokenChar))
                return error("--header '" + *value + "' is not \"Name: value\"");
            if (value->find_first_of("\r\n") != std::string::npos)
                return error("--header '" + *value + "' contains a line break");
            o.headers.push_back(*value);
        } else if (!argument.empty() && argument.front() == '-' && argument != "-") {
            return error("unknown option '" + argument + "' (see --help)");
        } else {
            if (!url.empty())
                return error("more than one URL given ('" + url + "' and '" + argument + "')");
            url = argument;
        }
    }

    if (url.empty())
        return error("no URL given: stackadvisor-load [options] http://127.0.0.1:8080/path");
    if (o.connections < 1 || o.connections > kMaxConnections)
        return error("-c " + std::to_string(o.connections) + " is out of range: use 1 to 100000 connections");
    if (o.threads < 1 || o.threads > kMaxThreads)
        return error("-t " + std::to_string(o.threads)
            + " is out of range: use at least 1 thread and at most " + std::to_string(kMaxThreads)
            + " (one per core is what helps)");
    if (o.threads > o.connections)
        return error("-t " + std::to_string(o.threads) + " is more than -c " + std::to_string(o.connections)
            + ": each thread needs at least one connection");
    if (std::string e = parseTarget(url, o.allowRemote, o.target); !e.empty())
        return error(e);
    result.action = CommandLine::Action::Run;
    return result;
}

} // namespace sa::loadgen
