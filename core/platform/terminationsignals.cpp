#include "terminationsignals.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace sa::platform {

namespace {

constexpr std::array kSignals { SIGINT, SIGTERM, SIGHUP };

int s_pipe[2] = { -1, -1 };
std::atomic<bool> s_taken { false };
struct sigaction s_previous[kSignals.size()];

extern "C" void onTerminationSignal(int signalNumber)
{
    const int saved = errno;
    const unsigned char byte = static_cast<unsigned char>(signalNumber);
    [[maybe_unused]] const ssize_t written = ::write(s_pipe[1], &byte, 1);
    errno = saved;
}

} // namespace

TerminationSignals::TerminationSignals(QObject *parent) : QObject(parent)
{
    if (s_taken.exchange(true)) {
        m_error = QCoreApplication::translate("sa::platform::TerminationSignals",
            "signal handling is already set up by another part of the program");
        return;
    }
    if (::pipe2(s_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        m_error = QCoreApplication::translate(
            "sa::platform::TerminationSignals", "cannot set up signal handling: %1")
                      .arg(QString::fromLocal8Bit(std::strerror(errno)));
        s_taken = false;
        return;
    }
    struct sigaction action = {};
    action.sa_handler = onTerminationSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (std::size_t i = 0; i < kSignals.size(); ++i)
        sigaction(kSignals[i], &action, &s_previous[i]);
    m_notifier = std::make_unique<QSocketNotifier>(s_pipe[0], QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &TerminationSignals::drain);
    m_valid = true;
}

TerminationSignals::~TerminationSignals()
{
    if (!m_valid)
        return;
    for (std::size_t i = 0; i < kSignals.size(); ++i)
        sigaction(kSignals[i], &s_previous[i], nullptr);
    m_notifier.reset();
    ::close(s_pipe[0]);
    ::close(s_pipe[1]);
    s_pipe[0] = s_pipe[1] = -1;
    s_taken = false;
}

void TerminationSignals::drain()
{
    unsigned char buffer[16];
    ssize_t count;
    while ((count = ::read(s_pipe[0], buffer, sizeof buffer)) > 0) {
        for (ssize_t i = 0; i < count; ++i)
            Q_EMIT received(int(buffer[i]));
    }
}

} // namespace sa::platform
