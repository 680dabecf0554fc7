#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <sys/epoll.h>

#include "loadgen/histogram.h"
#include "loadgen/intervalboard.h"
#include "loadgen/options.h"
#include "loadgen/responseparser.h"

namespace sa::loadgen {

// The schedule every worker follows, fixed before the threads start.
struct RunPlan
{
    const LoadOptions *options = nullptr;
    std::string request; // built once, sent as is
    int64_t startNs = 0; // CLOCK_MONOTONIC
    std::vector<int64_t> tickEndsNs; // absolute end of each interval
    std::size_t warmupTicks = 0; // the first ticks are warm-up
    int64_t measureStartNs = 0;
    int64_t endNs = 0;
    // Set by the reporting thread when the run is stopped early.
    std::atomic<int64_t> stopAtNs { std::numeric_limits<int64_t>::max() };
};

// One thread of the generator: its own epoll loop and its share of the
// connections. Everything it touches per request is its own, so no locks and
// no allocation happen between the start and the end of the run.
class Worker final
{
public:
    Worker(const RunPlan &plan, IntervalBoard &board, int index, int connections, int cpu);
    ~Worker();
    Worker(const Worker &) = delete;
    Worker &operator=(const Worker &) = delete;

    void run();

    // Read after run() returned.
    const Counters &totals() const { return m_total; }
    const Histogram &latency() const { return m_latency; }
    const Histogram &uncorrectedLatency() const { return m_uncorrected; }
    // Open loop: actual minus intended send time of each request sent in the window.
    const Histogram &sendLag() const { return m_sendLag; }
    // Requests sent and neither answered nor given up on when the run ended.
    uint64_t inFlight() const { return m_inFlight; }
    // Time spent polling with nothing to do, instead of sleeping: just before
    // an intended send (open loop), or for the next response (closed loop).
    double spinS() const { return static_cast<double>(m_spinNs) / 1e9; }
    double cpuUserS() const { return m_cpuUserS; }
    double cpuSystemS() const { return m_cpuSystemS; }
    double measuredWallS() const { return m_measuredWallS; }
    // Time spent runnable but waiting for a CPU (other processes had it), or -1
    // when the kernel does not say (/proc/thread-self/schedstat).
    double cpuWaitS() const { return m_cpuWaitS; }
    // Voluntary context switches in the measured window: how often it slept.
    int64_t sleeps() const { return m_sleeps; }
    double lagBehindWithIdleMs() const { return static_cast<double>(m_maxLagIdleNs) / 1e6; }
    double lagAllBusyMs() const { return static_cast<double>(m_maxLagBusyNs) / 1e6; }
    const std::string &setupError() const { return m_setupError; }

private:
    // Queued: closed loop, its next request goes out with the others after the
    // current batch of events (see flushQueued()).
    enum class State : uint8_t { Closed, Connecting, Idle, Queued, Busy };
    // A request of a Busy connection: waiting for its response, or counted as a
    // timeout already and waiting for the late response to drop it.
    enum class Wait : uint8_t { Answer, Late };
    struct Connection
    {
        int fd = -1;
        uint32_t generation = 0;
        State state = State::Closed;
        Wait wait = Wait::Answer;
        bool opened = false; // was connected: opening it again is a reconnect
        bool wantWrite = false; // EPOLLOUT registered
        bool parked = false; // open loop: listed in m_closed
        std::size_t written = 0;
        int64_t sendNs = 0;
        int64_t intendedNs = 0;
        int64_t stateSinceNs = 0; // connect start / request start
        int64_t reconnectAtNs = 0;
        int64_t backoffNs = 0;
        ResponseParser parser;
        // Bytes received beyond the response in flight, or with no request in
        // flight: the start of the answer to the next request (see consume()).
        std::string early;
    };
    enum class ErrorKind { Connect, Read, Timeout, Status, Parse };

    void openConnection(Connection &c, int64_t now);
    void closeConnection(Connection &c);
    void reconnectNow(Connection &c, int64_t now);
    void reconnectLater(Connection &c, int64_t now);
    void onConnected(Connection &c, int64_t now);
    void onEvent(Connection &c, uint32_t events);
    void onReadable(Connection &c);
    bool consume(Connection &c, const char *data, std::size_t length, int64_t now);
    bool replayEarly(int64_t now);
    void drainReady(int64_t now);
    void countTimeout(Connection &c);
    void onComplete(Connection &c, int64_t now);
    void becomeReady(Connection &c, int64_t now);
    void sendRequest(Connection &c, int64_t now, int64_t intendedNs);
    void flushQueued();
    void continueWrite(Connection &c);
    void setWantWrite(Connection &c, bool want);
    void sweep(int64_t now);
    void dispatchOpenLoop(int64_t now, bool connectionJustFreed);
    bool openForBacklog(int64_t now, uint64_t due);
    void park(Connection &c);
    void countError(ErrorKind kind);
    void publishTick(std::size_t tick, int64_t endNs, bool final);
    void takeCpuSample(bool atEnd);
    void checkCoreOwned();
    int waitForEvents(epoll_event *events, int maxEvents, int64_t startNs, int64_t waitNs);
    int64_t intendedTime(uint64_t k) const;
    uint64_t dueCount(int64_t now) const;

    const RunPlan &m_plan;
    IntervalBoard &m_board;
    const int m_cpu;
    int m_epoll = -1;
    std::vector<Connection> m_connections;
    std::vector<uint32_t> m_queued; // closed loop: connections whose next request is due
    std::vector<uint32_t> m_idle; // open loop: connections ready for the next request
    // Open loop: closed connections, opened only when a due request finds no
    // idle one (see dispatchOpenLoop()), and how many are being opened for one.
    std::vector<uint32_t> m_closed;
    std::size_t m_connecting = 0;
    bool m_dispatching = false;
    std::vector<uint32_t> m_replay; // sent a request while holding early bytes
    std::vector<uint32_t> m_replaying;
    std::vector<char> m_buffer; // one read buffer per thread: the parser keeps no bytes
    bool m_measuring = false;
    int64_t m_timeoutNs = 0;

    // Open loop: this thread's share of the rate, as a schedule of intended
    // send times phase + k * period; requests due but not sent are a backlog.
    bool m_openLoop = false;
    double m_periodNs = 0;
    int64_t m_phaseNs = 0;
    uint64_t m_sent = 0;
    int64_t m_maxLagIdleNs = 0;
    int64_t m_maxLagBusyNs = 0;
    Histogram m_sendLag;
    Histogram m_intervalSendLag;
    // How late the last timed waits returned: the thread wakes by about their
    // 90th percentile before an intended send and polls the rest of the way.
    std::array<int64_t, 32> m_wakeLate {};
    std::size_t m_wakeLateCount = 0;
    int64_t m_wakeEarlyNs = 0;
    int64_t m_spinNs = 0;
    // Closed loop: the thread polls for the next response before it sleeps
    // while it has a CPU to itself (see checkCoreOwned()).
    bool m_pollBeforeSleep = false;
    int64_t m_ownedCheckWaitNs = -1;
    uint64_t m_inFlight = 0;

    Counters m_interval;
    Histogram m_intervalLatency;
    Counters m_total;
    Histogram m_latency;
    Histogram m_uncorrected;

    double m_cpuStartS[2] = { 0, 0 };
    int64_t m_sleepsStart = 0;
    int64_t m_sleeps = 0;
    double m_cpuUserS = 0;
    double m_cpuSystemS = 0;
    int64_t m_measureWallStartNs = 0;
    double m_measuredWallS = 0;
    int64_t m_waitStartNs = -1;
    double m_cpuWaitS = -1;
    std::string m_setupError;
};

int64_t monotonicNs() noexcept;

} // namespace sa::loadgen
