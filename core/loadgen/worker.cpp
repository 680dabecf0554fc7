#include "loadgen/worker.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

namespace sa::loadgen {

namespace {

constexpr std::size_t kReadBufferBytes = 64 * 1024;
// Events taken per wait: all of a thread's connections (up to a bound), so one
// wake-up handles every response that is ready, as wrk does.
constexpr std::size_t kMaxEvents = 16384;
// Closed loop: the next requests go out after every this many events, not only
// after the whole batch: together, so that the target finds many per wake-up,
// yet at most this many responses late, whatever the number of connections (a
// batch of 1,000 responses made each connection wait for all the others).
constexpr int kFlushEveryEvents = 64;
// How often timeouts and delayed reconnects are checked: bounds the timeout
// precision without a timer per connection.
constexpr int64_t kSweepPeriodNs = 10'000'000;
constexpr int64_t kFirstBackoffNs = 10'000'000;
constexpr int64_t kMaxBackoffNs = 500'000'000;
// Early bytes kept per connection (see consume()); a server that sends more
// than this unasked is broken, not slow.
constexpr std::size_t kMaxEarlyBytes = 64 * 1024;
// Open loop: the thread wakes before an intended send by how late its timed
// waits return (the wake-up from idle, tens of µs), and polls from there; not
// when they return later than this (the machine is loaded: a thread preempted
// is not helped by polling, which makes the scheduler favour it less), and at
// most a quarter of its send period early.
constexpr int64_t kMaxSpinNs = 200'000;
constexpr int64_t kSpinSlackNs = 5'000;
// How long the thread polls for the next response before it goes to sleep
// (both loops; in the open loop, at most until the next send is due). A
// sleeping thread is woken by the target's CPU, in the target's time: an
// inter-processor interrupt per wake-up, the more costly in a virtual machine
// (measured here: the target's CPU per request up 10-20 % from the
// generator's wake-ups, its req/s down as much; open loop at 15,000 req/s, 8 %). The next response of a
// server-limited run comes within microseconds; a slow server's 50 µs of
// polling before each sleep is on the generator's own core.
constexpr int64_t kPollBeforeSleepNs = 50'000;
// Polling is only for a thread that has its CPU to itself: confined to one CPU
// (--cpus or taskset) and not kept waiting on it by others for more than a
// tenth of a sweep period (the kernel's network work for it, in ksoftirqd, takes
// some); else it sleeps as wrk does, and leaves them the CPU.
constexpr int64_t kContendedWaitNs = kSweepPeriodNs / 10;

uint64_t eventKey(uint32_t index, uint32_t generation)
{
    return (static_cast<uint64_t>(generation) << 32) | index;
}

// Nanoseconds this thread waited on a run queue, or -1 (no schedstat).
int64_t runQueueWaitNs()
{
    FILE *file = std::fopen("/proc/thread-self/schedstat", "r");
    if (!file)
        return -1;
    unsigned long long running = 0;
    unsigned long long waiting = 0;
    const int fields = std::fscanf(file, "%llu %llu", &running, &waiting);
    std::fclose(file);
    return fields == 2 ? static_cast<int64_t>(waiting) : -1;
}

double seconds(const timeval &tv)
{
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

} // namespace

int64_t monotonicNs() noexcept
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

Worker::Worker(const RunPlan &plan, IntervalBoard &board, int index, int connections, int cpu)
    : m_plan(plan)
    , m_board(board)
    , m_cpu(cpu)
    , m_connections(static_cast<std::size_t>(connections))
    , m_buffer(kReadBufferBytes)
{
    const LoadOptions &o = *plan.options;
    m_timeoutNs = o.timeoutNs;
    m_idle.reserve(m_connections.size());
    m_closed.reserve(m_connections.size());
    if (o.rate) {
        m_openLoop = true;
        // Each thread sends rate/threads requests per second, offset so the
        // threads interleave instead of firing together.
        m_periodNs = 1e9 * o.threads / *o.rate;
        m_phaseNs = plan.startNs + static_cast<int64_t>(m_periodNs * index / o.threads);
    }
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll < 0)
        m_setupError = std::string("epoll_create1 failed: ") + std::strerror(errno);
}

Worker::~Worker()
{
    for (Connection &c : m_connections)
        closeConnection(c);
    if (m_epoll >= 0)
        ::close(m_epoll);
}

int64_t Worker::intendedTime(uint64_t k) const
{
    return m_phaseNs + static_cast<int64_t>(m_periodNs * static_cast<double>(k));
}

uint64_t Worker::dueCount(int64_t now) const
{
    if (now < m_phaseNs)
        return 0;
    return static_cast<uint64_t>(std::floor(static_cast<double>(now - m_phaseNs) / m_periodNs)) + 1;
}

void Worker::countError(ErrorKind kind)
{
    auto bump = [kind](ErrorCounts &e) {
        switch (kind) {
        case ErrorKind::Connect:
            ++e.connect;
            break;
        case ErrorKind::Read:
            ++e.read;
            break;
        case ErrorKind::Timeout:
            ++e.timeout;
            break;
        case ErrorKind::Status:
            ++e.status;
            break;
        case ErrorKind::Parse:
            ++e.parse;
            break;
        }
    };
    bump(m_interval.errors);
    if (m_measuring)
        bump(m_total.errors);
}

void Worker::takeCpuSample(bool atEnd)
{
    rusage usage {};
    getrusage(RUSAGE_THREAD, &usage);
    const int64_t now = monotonicNs();
    if (!atEnd) {
        m_cpuStartS[0] = seconds(usage.ru_utime);
        m_cpuStartS[1] = seconds(usage.ru_stime);
        m_sleepsStart = usage.ru_nvcsw;
        m_measureWallStartNs = now;
        m_waitStartNs = runQueueWaitNs();
        return;
    }
    const int64_t waitNs = runQueueWaitNs();
    if (m_waitStartNs >= 0 && waitNs >= m_waitStartNs)
        m_cpuWaitS = static_cast<double>(waitNs - m_waitStartNs) / 1e9;
    m_cpuUserS = seconds(usage.ru_utime) - m_cpuStartS[0];
    m_cpuSystemS = seconds(usage.ru_stime) - m_cpuStartS[1];
    m_sleeps = usage.ru_nvcsw - m_sleepsStart;
    m_measuredWallS = static_cast<double>(now - m_measureWallStartNs) / 1e9;
}

void Worker::run()
{
    if (m_cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(m_cpu, &set);
        pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
    }
    // Open loop: wake at each intended send time, not up to 50 µs later (the
    // default timer slack), or the generator's own lateness shows as latency.
    if (m_openLoop)
        prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    checkCoreOwned();
    const std::size_t tickCount = m_plan.tickEndsNs.size();
    std::size_t tick = 0;
    m_measuring = m_plan.warmupTicks == 0;
    if (m_measuring)
        takeCpuSample(false);

    int64_t now = monotonicNs();
    // Closed loop: every connection at once, each sending as soon as it is
    // open. Open loop: a connection is opened when a due request finds none
    // idle, and the request goes out as soon as it is open. A connection opened
    // long before anything is sent on it is one a server with a worker per
    // connection (gunicorn's sync workers) accepts and then blocks on, while
    // the requests sent on the others wait in its backlog.
    if (m_openLoop) {
        for (auto it = m_connections.rbegin(); it != m_connections.rend(); ++it)
            park(*it);
    } else {
        for (Connection &c : m_connections)
            openConnection(c, now);
    }
    int64_t nextSweepNs = now + kSweepPeriodNs;
    std::vector<epoll_event> events(std::clamp<std::size_t>(m_connections.size(), 64, kMaxEvents));
    const int maxEvents = static_cast<int>(events.size());

    while (true) {
        now = monotonicNs();
        // Intervals first, so that what completes from now on counts in the next.
        const int64_t stopAt = m_plan.stopAtNs.load(std::memory_order_relaxed);
        bool finished = false;
        while (tick < tickCount) {
            const int64_t tickEnd = std::min(m_plan.tickEndsNs[tick], stopAt);
            if (now < tickEnd)
                break;
            const bool final = tick + 1 == tickCount || stopAt <= m_plan.tickEndsNs[tick];
            if (final && m_measuring)
                takeCpuSample(true);
            publishTick(tick, tickEnd, final);
            if (final) {
                finished = true;
                break;
            }
            ++tick;
            if (!m_measuring && tick >= m_plan.warmupTicks) {
                m_measuring = true;
                takeCpuSample(false);
            }
        }
        if (finished)
            break;

        if (now >= nextSweepNs) {
            sweep(now);
            checkCoreOwned();
            nextSweepNs = now + kSweepPeriodNs;
        }
        drainReady(now);

        int64_t wakeNs = std::min({ m_plan.tickEndsNs[tick], stopAt, nextSweepNs });
        bool sendNext = false;
        if (m_openLoop) {
            // The next send on an idle connection; or, with none idle, the first
            // request that no connection being opened will carry, if a closed
            // one can be opened for it (one in back-off waits for the sweep).
            int64_t sendAt = std::numeric_limits<int64_t>::max();
            if (!m_idle.empty()) {
                sendAt = intendedTime(m_sent);
            } else if (!m_closed.empty()) {
                const int64_t openAt = intendedTime(m_sent + m_connecting);
                if (m_connections[m_closed.back()].reconnectAtNs <= openAt)
                    sendAt = openAt;
            }
            if (sendAt < wakeNs) {
                wakeNs = sendAt;
                sendNext = true;
            }
        }
        const int64_t beforeWaitNs = monotonicNs();
        int64_t waitNs = std::max<int64_t>(0, wakeNs - beforeWaitNs);
        bool spinning = false;
        if (sendNext) {
            // A timed wait returns late (the wake-up from idle): wake early by
            // that much and poll the rest of the way to the intended send time.
            const int64_t early
                = std::min<int64_t>({ m_wakeEarlyNs, kMaxSpinNs, static_cast<int64_t>(m_periodNs / 4) });
            spinning = waitNs <= early;
            waitNs = spinning ? 0 : waitNs - early;
        }
        const int n = waitForEvents(events.data(), maxEvents, beforeWaitNs, waitNs);
        if (m_openLoop) {
            const int64_t afterWaitNs = monotonicNs();
            if (spinning && m_measuring)
                m_spinNs += afterWaitNs - beforeWaitNs;
            if (n == 0 && waitNs > 0) {
                m_wakeLate[m_wakeLateCount++ % m_wakeLate.size()] = afterWaitNs - beforeWaitNs - waitNs;
                std::array<int64_t, 32> sorted = m_wakeLate;
                const std::size_t known = std::min(m_wakeLateCount, sorted.size());
                const std::size_t p90 = known * 9 / 10;
                std::nth_element(sorted.begin(), sorted.begin() + p90, sorted.begin() + known);
                // Waits returning far later than a wake-up from idle are other
                // processes holding the CPU: polling would not win it back (the
                // scheduler favours a thread that sleeps), so the thread sleeps.
                m_wakeEarlyNs
                    = !m_plan.options->noPoll && sorted[p90] <= kMaxSpinNs ? sorted[p90] + kSpinSlackNs : 0;
            }
        }
        for (int i = 0; i < n; ++i) {
            const uint64_t key = events[i].data.u64;
            const auto index = static_cast<uint32_t>(key & 0xffffffffu);
            Connection &c = m_connections[index];
            // An event for a socket closed earlier in this batch is stale.
            if (c.fd < 0 || c.generation != static_cast<uint32_t>(key >> 32))
                continue;
            onEvent(c, events[i].events);
            if ((i + 1) % kFlushEveryEvents == 0)
                flushQueued();
        }
    }

    for (Connection &c : m_connections) {
        if (c.state == State::Busy && c.wait == Wait::Answer)
            ++m_inFlight;
        closeConnection(c);
    }
}

void Worker::checkCoreOwned()
{
    if (m_plan.options->noPoll)
        return;
    const int64_t waitedNs = runQueueWaitNs();
    cpu_set_t set;
    CPU_ZERO(&set);
    const bool oneCpu = sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) == 1;
    // Without schedstat a shared CPU cannot be told: no polling.
    m_pollBeforeSleep = oneCpu && waitedNs >= 0 && m_ownedCheckWaitNs >= 0
        && waitedNs - m_ownedCheckWaitNs <= kContendedWaitNs;
    m_ownedCheckWaitNs = waitedNs;
}

int Worker::waitForEvents(epoll_event *events, int maxEvents, int64_t startNs, int64_t waitNs)
{
    int64_t sleepNs = waitNs;
    if (m_pollBeforeSleep && waitNs > 0) {
        const int64_t pollUntilNs = startNs + std::min(waitNs, kPollBeforeSleepNs);
        int64_t emptySinceNs = startNs;
        int64_t now = startNs;
        do {
            emptySinceNs = now;
            const int n = epoll_wait(m_epoll, events, maxEvents, 0);
            now = monotonicNs();
            if (n != 0) {
                if (m_measuring)
                    m_spinNs += emptySinceNs - startNs;
                return n;
            }
        } while (now < pollUntilNs);
        if (m_measuring)
            m_spinNs += now - startNs;
        sleepNs = std::max<int64_t>(0, startNs + waitNs - now);
    }
    const timespec timeout { static_cast<time_t>(sleepNs / 1'000'000'000),
        static_cast<long>(sleepNs % 1'000'000'000) };
    return epoll_pwait2(m_epoll, events, maxEvents, &timeout, nullptr);
}

void Worker::drainReady(int64_t now)
{
    // Sending can replay early bytes, which can complete responses and make
    // connections ready again: until nothing is left to do.
    do {
        if (m_openLoop)
            dispatchOpenLoop(now, false);
        flushQueued();
    } while (replayEarly(now));
}

void Worker::publishTick(std::size_t tick, int64_t endNs, bool final)
{
    m_board.publish(tick, endNs, final, m_interval, m_intervalLatency, m_intervalSendLag);
    m_interval = Counters {};
    m_intervalLatency.reset();
    m_intervalSendLag.reset();
}

void Worker::openConnection(Connection &c, int64_t now)
{
    const Target &t = m_plan.options->target;
    c.parser.reset();
    c.early.clear();
    c.written = 0;
    c.wantWrite = false;
    c.stateSinceNs = now;
    if (c.opened) {
        ++m_interval.reconnects;
        if (m_measuring)
            ++m_total.reconnects;
        c.opened = false;
    }
    c.fd = ::socket(t.address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0) {
        countError(ErrorKind::Connect);
        reconnectLater(c, now);
        return;
    }
    const int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    ++c.generation;
    const auto index = static_cast<uint32_t>(&c - m_connections.data());
    epoll_event ev {};
    ev.data.u64 = eventKey(index, c.generation);
    const int rc = ::connect(c.fd, reinterpret_cast<const sockaddr *>(&t.address), t.addressLength);
    if (rc == 0) {
        // Edge-triggered: level-triggered epoll polls every socket it reported
        // once more in the next wait, a cost per response; every read here
        // drains the socket, so an edge is all it needs.
        ev.events = EPOLLIN | EPOLLET;
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, c.fd, &ev);
        onConnected(c, now);
        return;
    }
    if (errno != EINPROGRESS) {
        countError(ErrorKind::Connect);
        closeConnection(c);
        reconnectLater(c, now);
        return;
    }
    ev.events = EPOLLOUT;
    c.wantWrite = true;
    c.state = State::Connecting;
    ++m_connecting;
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, c.fd, &ev);
}

void Worker::park(Connection &c)
{
    if (c.parked)
        return;
    c.parked = true;
    m_closed.push_back(static_cast<uint32_t>(&c - m_connections.data()));
}

void Worker::closeConnection(Connection &c)
{
    if (c.fd >= 0) {
        ::close(c.fd); // also removes it from the epoll set
        c.fd = -1;
        ++c.generation;
    }
    if (c.state == State::Idle) {
        const auto index = static_cast<uint32_t>(&c - m_connections.data());
        const auto it = std::find(m_idle.begin(), m_idle.end(), index);
        if (it != m_idle.end()) {
            *it = m_idle.back();
            m_idle.pop_back();
        }
    } else if (c.state == State::Connecting) {
        --m_connecting;
    }
    c.state = State::Closed;
    if (m_openLoop)
        park(c);
}

void Worker::reconnectNow(Connection &c, int64_t now)
{
    closeConnection(c);
    // Open loop: opened again when a request needs it (see dispatchOpenLoop()).
    if (!m_openLoop)
        openConnection(c, now);
}

void Worker::reconnectLater(Connection &c, int64_t now)
{
    // A refused port must not turn into a busy loop of connect() calls.
    c.backoffNs = c.backoffNs == 0 ? kFirstBackoffNs : std::min(c.backoffNs * 2, kMaxBackoffNs);
    c.reconnectAtNs = now + c.backoffNs;
    c.state = State::Closed;
    if (m_openLoop)
        park(c);
}

void Worker::setWantWrite(Connection &c, bool want)
{
    if (c.wantWrite == want)
        return;
    c.wantWrite = want;
    epoll_event ev {};
    ev.events = (want ? (EPOLLIN | EPOLLOUT) : EPOLLIN) | EPOLLET;
    ev.data.u64 = eventKey(static_cast<uint32_t>(&c - m_connections.data()), c.generation);
    epoll_ctl(m_epoll, EPOLL_CTL_MOD, c.fd, &ev);
}

void Worker::onConnected(Connection &c, int64_t now)
{
    if (c.state == State::Connecting)
        --m_connecting;
    c.backoffNs = 0;
    c.opened = true;
    becomeReady(c, now);
}

void Worker::becomeReady(Connection &c, int64_t now)
{
    if (!m_openLoop) {
        c.state = State::Queued;
        m_queued.push_back(static_cast<uint32_t>(&c - m_connections.data()));
        return;
    }
    c.state = State::Idle;
    m_idle.push_back(static_cast<uint32_t>(&c - m_connections.data()));
    if (m_sent < dueCount(now))
        dispatchOpenLoop(now, true);
}

void Worker::flushQueued()
{
    // Requests go out together, after a batch of up to kFlushEveryEvents
    // responses: the target then finds many per wake-up instead of one at a time.
    if (m_queued.empty())
        return;
    const int64_t now = monotonicNs();
    for (const uint32_t index : m_queued) {
        Connection &c = m_connections[index];
        if (c.state == State::Queued)
            sendRequest(c, now, now);
    }
    m_queued.clear();
}

void Worker::dispatchOpenLoop(int64_t now, bool connectionJustFreed)
{
    // A connection opened here that connects at once comes back through
    // becomeReady(): it is idle, and this loop sends on it.
    if (m_dispatching)
        return;
    m_dispatching = true;
    const uint64_t due = dueCount(now);
    if (m_measuring && m_sent < due) {
        // The oldest request not sent yet is late. If a connection was free all
        // along, the generator itself is behind (CPU, wake-up); if none was, every
        // connection was busy waiting for the target.
        const int64_t lag = now - intendedTime(m_sent);
        if (m_idle.empty() || connectionJustFreed)
            m_maxLagBusyNs = std::max(m_maxLagBusyNs, lag);
        else
            m_maxLagIdleNs = std::max(m_maxLagIdleNs, lag);
    }
    while (m_sent < due) {
        if (m_idle.empty()) {
            if (!openForBacklog(now, due))
                break;
            continue;
        }
        const uint32_t index = m_idle.back();
        m_idle.pop_back();
        // The actual send time of each, not the loop's start: the send lag is reported.
        sendRequest(m_connections[index], monotonicNs(), intendedTime(m_sent));
        ++m_sent;
    }
    m_dispatching = false;
}

bool Worker::openForBacklog(int64_t now, uint64_t due)
{
    // One connection for each due request that neither an idle connection nor
    // one being opened will carry; closed ones in back-off (after a failed
    // connect) are passed over until it ends.
    if (due - m_sent <= m_connecting)
        return false;
    for (std::size_t i = m_closed.size(); i-- > 0;) {
        Connection &c = m_connections[m_closed[i]];
        if (c.reconnectAtNs > now)
            continue;
        m_closed[i] = m_closed.back();
        m_closed.pop_back();
        c.parked = false;
        openConnection(c, now);
        // A connect that failed at once is in back-off now: try another from
        // the next sweep, not every closed connection in this pass.
        return c.state != State::Closed;
    }
    return false;
}

void Worker::sendRequest(Connection &c, int64_t now, int64_t intendedNs)
{
    c.state = State::Busy;
    c.wait = Wait::Answer;
    c.sendNs = now;
    c.intendedNs = intendedNs;
    c.stateSinceNs = now;
    c.written = 0;
    if (m_openLoop) {
        m_intervalSendLag.record(now - intendedNs);
        if (m_measuring)
            m_sendLag.record(now - intendedNs);
    }
    continueWrite(c);
    if (c.fd >= 0 && !c.early.empty())
        m_replay.push_back(static_cast<uint32_t>(&c - m_connections.data()));
}

bool Worker::replayEarly(int64_t now)
{
    if (m_replay.empty())
        return false;
    m_replaying.swap(m_replay);
    for (const uint32_t index : m_replaying) {
        Connection &c = m_connections[index];
        if (c.state != State::Busy || c.early.empty())
            continue;
        std::string bytes;
        bytes.swap(c.early);
        consume(c, bytes.data(), bytes.size(), now);
    }
    m_replaying.clear();
    return true;
}

void Worker::continueWrite(Connection &c)
{
    const std::string &request = m_plan.request;
    while (c.written < request.size()) {
        const ssize_t n = ::send(c.fd, request.data() + c.written, request.size() - c.written, MSG_NOSIGNAL);
        if (n > 0) {
            c.written += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            setWantWrite(c, true);
            return;
        }
        // Reset before the request went out. Reconnect from the next sweep, not
        // from here: a server that resets at once must not recurse through
        // connect and send.
        countError(ErrorKind::Read);
        closeConnection(c);
        c.reconnectAtNs = monotonicNs();
        return;
    }
    setWantWrite(c, false);
}

void Worker::onEvent(Connection &c, uint32_t events)
{
    if (c.state == State::Connecting) {
        int error = 0;
        socklen_t length = sizeof(error);
        getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &length);
        const int64_t now = monotonicNs();
        if (error != 0 || (events & (EPOLLERR | EPOLLHUP))) {
            countError(ErrorKind::Connect);
            closeConnection(c);
            reconnectLater(c, now);
            return;
        }
        setWantWrite(c, false);
        onConnected(c, now);
        return;
    }
    if ((events & EPOLLOUT) && c.state == State::Busy && c.written < m_plan.request.size()) {
        continueWrite(c);
        if (c.fd < 0)
            return;
    }
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
        onReadable(c);
}

void Worker::onReadable(Connection &c)
{
    while (true) {
        const ssize_t n = ::recv(c.fd, m_buffer.data(), m_buffer.size(), 0);
        const int64_t now = monotonicNs();
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            if (!(c.state == State::Busy && c.wait == Wait::Late))
                countError(ErrorKind::Read); // (a timed-out request is counted already)
            reconnectNow(c, now);
            return;
        }
        if (n == 0) {
            // The server closed: a complete response if its body ran to the end,
            // a read error if a response was expected, a plain reconnect if not.
            const ResponseParser::Status status = c.parser.finishAtEof();
            if (c.state == State::Busy && status == ResponseParser::Status::Complete) {
                onComplete(c, now); // reconnects: the response was not keep-alive
            } else if (c.state == State::Busy && c.wait == Wait::Answer) {
                countError(ErrorKind::Read);
                reconnectNow(c, now);
            } else {
                reconnectNow(c, now); // nothing asked, or counted as a timeout already
            }
            return;
        }
        if (m_measuring)
            m_total.bytesRead += static_cast<uint64_t>(n);
        if (!consume(c, m_buffer.data(), static_cast<std::size_t>(n), now))
            return;
        if (static_cast<std::size_t>(n) < m_buffer.size())
            return; // drained: the next bytes raise another event
    }
}

// A connection's bytes are one stream of responses, the n-th answering the n-th
// request, however TCP cuts it: bytes beyond the response in flight (or with
// none in flight) are kept and read as the start of the answer to the next
// request. So a second response answers the next request, and bytes beyond a
// Content-Length that do not start a response are a parse error, whether they
// came in the same segment or later. False when the connection was reopened.
bool Worker::consume(Connection &c, const char *data, std::size_t length, int64_t now)
{
    while (length > 0) {
        if (c.state != State::Busy) {
            if (c.early.size() + length > kMaxEarlyBytes) {
                countError(ErrorKind::Parse); // bytes nobody asked for, and many
                reconnectNow(c, now);
                return false;
            }
            c.early.append(data, length);
            return true;
        }
        const ResponseParser::Result result = c.parser.feed(data, length);
        if (result.status == ResponseParser::Status::Error) {
            if (c.wait == Wait::Answer)
                countError(ErrorKind::Parse); // (a timed-out request is counted already)
            reconnectNow(c, now);
            return false;
        }
        if (result.status == ResponseParser::Status::NeedMore)
            return true;
        data += result.consumed;
        length -= result.consumed;
        const uint32_t generation = c.generation;
        onComplete(c, now);
        if (c.fd < 0 || c.generation != generation)
            return false;
    }
    return true;
}

void Worker::countTimeout(Connection &c)
{
    countError(ErrorKind::Timeout);
    c.wait = Wait::Late;
}

void Worker::onComplete(Connection &c, int64_t now)
{
    // Later than the timeout, it is the timeout counted (now, if the sweep has
    // not yet), never also a request: each request is counted once.
    if (c.wait == Wait::Answer && now - c.sendNs > m_timeoutNs)
        countTimeout(c);
    if (c.wait == Wait::Late) {
        if (!c.parser.keepAlive()) {
            reconnectNow(c, now);
            return;
        }
        c.parser.reset();
        becomeReady(c, now);
        return;
    }
    const int code = c.parser.statusCode();
    const int64_t latency = now - c.intendedNs;
    ++m_interval.requests;
    m_interval.status.count(code);
    m_intervalLatency.record(latency);
    const bool bad = code < 200 || code >= 400;
    if (bad)
        countError(ErrorKind::Status);
    if (m_measuring) {
        ++m_total.requests;
        m_total.status.count(code);
        m_latency.record(latency);
        if (m_openLoop)
            m_uncorrected.record(now - c.sendNs);
    }
    if (!c.parser.keepAlive()) {
        // Connection: close (or a body up to the end): open a fresh one.
        reconnectNow(c, now);
        return;
    }
    c.parser.reset();
    becomeReady(c, now);
}

void Worker::sweep(int64_t now)
{
    for (Connection &c : m_connections) {
        switch (c.state) {
        case State::Busy:
            // Counted once when its timeout passes; the connection is kept for
            // the late answer (reopening would load the server more and start
            // a request that can be starved again), and reopened only when
            // nothing came for another timeout: the server has dropped it.
            if (c.wait == Wait::Answer && now - c.sendNs > m_timeoutNs)
                countTimeout(c);
            else if (c.wait == Wait::Late && now - c.sendNs > 2 * m_timeoutNs)
                reconnectNow(c, now);
            break;
        case State::Connecting:
            if (now - c.stateSinceNs >= m_timeoutNs) {
                countError(ErrorKind::Connect);
                closeConnection(c);
                reconnectLater(c, now);
            }
            break;
        case State::Closed:
            // (Open loop: opened when a request needs it, see dispatchOpenLoop().)
            if (!m_openLoop && now >= c.reconnectAtNs)
                openConnection(c, now);
            break;
        case State::Idle:
        case State::Queued:
            break;
        }
    }
}

} // namespace sa::loadgen
