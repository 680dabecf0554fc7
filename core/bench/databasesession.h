#pragma once

#include "postgrescluster.h"
#include "results.h"

#include <QObject>
#include <QString>

namespace sa::bench {

// The private PostgreSQL within one run (BenchmarkRunner): started when the
// first database cell asks for it, kept for the cells after, stopped after the
// last and killed on cancel. A start that fails is remembered for the run, so
// every later database cell fails with the same reason and fix at once; a
// cluster lost while in use (it exited, or its data folder was deleted) is
// started again for the next database cell. Never blocks.
class DatabaseSession final : public QObject
{
    Q_OBJECT

public:
    struct Settings
    {
        QString dataFolder; // "" = PostgresCluster::defaultDataFolder()
        QString binDir; // "" = the newest installed PostgreSQL
        int port = 0; // 0 = a free one at each start
        QList<int> cpus;
        QString logPath; // "" = <dataFolder>.log
        int readyTimeoutMs = 60000;
        QString placement; // recorded: databasePlacementId()
        QString placementText;
    };

    explicit DatabaseSession(const Settings &settings, QObject *parent = nullptr);
    // The cluster's destructor kills whatever still runs.
    ~DatabaseSession() override;

    // Makes sure the cluster is up: ready() when it is (from the event loop, also
    // when it already was), or failed() with the reason and what to do about it.
    void require();
    // Fast shutdown (kill(): SIGKILL now) of whatever runs; stopped() once nothing
    // of it is left, also when nothing ran.
    void stop();
    void kill();

    bool isReady() const { return m_state == State::Ready; }
    // Started, or starting: stop() has something to do.
    bool isActive() const { return m_state == State::Starting || m_state == State::Ready; }
    qint64 pid() const { return m_cluster->pid(); }
    QString databaseUrl() const { return m_cluster->databaseUrl(); }
    // What the run records of it: version, settings, where, placement, failure.
    const DatabaseRecord &record() const { return m_record; }

Q_SIGNALS:
    void ready();
    void failed(const QString &reason);
    // It exited while in use; nothing of it is left. The next require() starts it again.
    void lost(const QString &reason);
    void stopped();

private:
    enum class State { Idle, Starting, Ready, Stopping };

    void onReady();
    void onFailed(PostgresCluster::Failure failure, const QString &reason);

    PostgresCluster *m_cluster = nullptr;
    Settings m_settings;
    State m_state = State::Idle;
    QString m_startFailure; // a start that failed: the run's later database cells fail with it
    DatabaseRecord m_record;
};

} // namespace sa::bench
