#pragma once

// SIGINT, SIGTERM and SIGHUP delivered to the event loop as a Qt signal. A
// signal handler may only write(): it writes the signal number to a pipe, and a
// QSocketNotifier on the other end emits received() in the event loop. Used by
// every command that runs children and must stop them cleanly when interrupted.

#include <QObject>
#include <QString>

#include <memory>

class QSocketNotifier;

namespace sa::platform {

class TerminationSignals final : public QObject
{
    Q_OBJECT

public:
    // Installs the handlers; the previous ones come back when this is destroyed.
    // One instance at a time per process: a second one is invalid.
    explicit TerminationSignals(QObject *parent = nullptr);
    ~TerminationSignals() override;

    // False when the pipe or the handlers could not be set up; error() says why.
    bool isValid() const { return m_valid; }
    QString error() const { return m_error; }

Q_SIGNALS:
    void received(int signalNumber);

private:
    void drain();

    bool m_valid = false;
    QString m_error;
    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace sa::platform
