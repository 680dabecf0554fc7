#pragma once

#include "serverentry.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

class QNetworkAccessManager;
class QProcess;
class QTimer;

namespace sa::bench {

// Owns one server process: starts it from its catalog entry with HOST, a free
// PORT and WORKERS, in its own process group with a parent-death signal, pinned
// to a CPU set; polls the readiness path; stops it with SIGTERM to the group and
// SIGKILL after a grace period. Never blocks: everything is signals and timers.
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
        // Set after the entry's own (DATABASE_URL for the database scenarios); an
        // empty value removes the variable.
        QMap<QString, QString> environment;
    };

    explicit ServerProcess(const ServerEntry &entry, QObject *parent = nullptr);
    // Kills the whole group at once if it still runs.
    ~ServerProcess() override;

    void start(const Settings &settings);
    // SIGTERM to the group, SIGKILL after the grace period; stopped() when gone.
    void stop();
    // SIGKILL to the group now (cancel, destructor); stopped() follows.
    void kill();

    bool isRunning() const;
    bool isReady() const { return m_ready; }
    qint64 pid() const;
    int port() const { return m_port; }
    QString baseUrl() const;
    QString logPath() const { return m_settings.logPath; }
    // The last lines of the server's log, for error messages.
    QString lastLogLines(int count = 15) const;

    // A TCP port on 127.0.0.1 nobody listens on right now; 0 if none was found.
    static int findFreePort();

Q_SIGNALS:
    void ready();
    // It could not start or did not become ready; the process is gone when emitted.
    void failed(const QString &reason);
    // It exited by itself after it was ready.
    void exitedUnexpectedly(const QString &reason);
    void stopped();

private:
    void launch();
    void pollReadiness();
    void onFinished(int exitCode, int exitStatus);
    // Deletes the QProcess, waits until the process group is empty, then calls then().
    void finishStop(const std::function<void()> &then);
    QString describeExit(int exitCode, int exitStatus) const;

    ServerEntry m_entry;
    Settings m_settings;
    QPointer<QProcess> m_process;
    QNetworkAccessManager *m_network = nullptr;
    QTimer *m_pollTimer = nullptr;
    QTimer *m_readinessDeadline = nullptr;
    QTimer *m_killTimer = nullptr;
    qint64 m_pgid = 0;
    int m_port = 0;
    int m_attempt = 0;
    bool m_ready = false;
    bool m_stopping = false;
    bool m_pollInFlight = false;
    QString m_pendingFailure;
};

} // namespace sa::bench
