#pragma once

#include "serverentry.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QProcess;
class QTimer;

namespace sa::platform {
class ChildContainment;
}

namespace sa::bench {

// Owns one server process: starts it from its catalog entry with HOST, a free
// PORT and WORKERS, in its own cgroup where the machine allows it (else its own
// process group; platform::ChildContainment), with a parent-death signal, pinned
// to a CPU set; polls the readiness path (never following a redirect); stops it
// with SIGTERM to its group and, after a grace period, SIGKILL to everything it
// started. Never blocks: everything is signals and timers.
class ServerProcess final : public QObject
{
    Q_OBJECT

public:
    struct Settings
    {
        QString host = QStringLiteral("127.0.0.1");
        int workers = 1;
        QList<int> cpus; // empty = not pinned
        QString logPath; // the server's stdout and stderr, merged
        int readinessTimeoutMs = 30000;
        int stopGraceMs = 5000;
        int portAttempts = 3; // a port taken between our check and the bind: try another
        bool useCgroup = true; // false: its process group only
        // Above this the log keeps its first kLogHeadBytes and a line saying how
        // much was dropped; what follows is appended again.
        qint64 logCapBytes = kDefaultLogCapBytes;
    };
    static constexpr qint64 kDefaultLogCapBytes = 8LL * 1024 * 1024;
    static constexpr qint64 kLogHeadBytes = 64 * 1024;

    explicit ServerProcess(const ServerEntry &entry, QObject *parent = nullptr);
    // Kills everything it started at once if it still runs.
    ~ServerProcess() override;

    void start(const Settings &settings);
    // SIGTERM to the group; whatever is still running after the grace period
    // (the server itself, or processes it left behind) is a warning and gets
    // SIGKILL; stopped() when nothing is left.
    void stop();
    // SIGKILL to everything now (cancel, destructor); stopped() follows.
    void kill();

    bool isRunning() const;
    bool isReady() const { return m_ready; }
    qint64 pid() const;
    int port() const { return m_port; }
    QString baseUrl() const;
    QString logPath() const { return m_settings.logPath; }
    // The last lines of the server's log, for error messages (control characters escaped).
    QString lastLogLines(int count = 15) const;
    // The server's tree: its cgroup or process group (null before start()).
    const platform::ChildContainment *containment() const { return m_containment.get(); }
    // What was worth a warning so far (also emitted as warning()).
    QStringList warnings() const { return m_warnings; }

    // A TCP port on 127.0.0.1 nobody listens on right now; 0 if none was found.
    static int findFreePort();
    // Removes all but the newest `keep` run folders (named yyyyMMdd-HHmmss-zzz) of
    // a logs folder; returns how many went.
    static int pruneLogFolders(const QString &logsRoot, int keep);

Q_SIGNALS:
    void ready();
    // It could not start or did not become ready; the process is gone when emitted.
    void failed(const QString &reason);
    // It exited by itself after it was ready.
    void exitedUnexpectedly(const QString &reason);
    void stopped();
    // Something about the server a person should know: it listens on every
    // interface, it left processes behind, it could not get a cgroup.
    void warning(const QString &message);

private:
    void launch();
    void pollReadiness();
    void onStarted();
    void checkListeningSockets();
    void onFinished(int exitCode, int exitStatus);
    void onGraceOver();
    // Deletes the QProcess, waits until nothing of the server is left (gentle: let
    // the grace period run out first), then calls then().
    void finishStop(const std::function<void()> &then, bool gentle);
    void capLog();
    void addWarning(const QString &message);
    QString describeExit(int exitCode, int exitStatus) const;

    ServerEntry m_entry;
    Settings m_settings;
    QPointer<QProcess> m_process;
    std::unique_ptr<platform::ChildContainment> m_containment;
    QNetworkAccessManager *m_network = nullptr;
    QTimer *m_pollTimer = nullptr;
    QTimer *m_readinessDeadline = nullptr;
    QTimer *m_killTimer = nullptr;
    QTimer *m_logTimer = nullptr;
    qint64 m_pgid = 0;
    int m_port = 0;
    int m_attempt = 0;
    bool m_ready = false;
    bool m_stopping = false;
    bool m_pollInFlight = false;
    QString m_pendingFailure;
    QString m_lastAnswer; // the readiness path's last answer, for the timeout message
    QStringList m_warnings;
};

} // namespace sa::bench
