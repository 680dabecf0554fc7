#pragma once

#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QString>

#include <sys/types.h>

#include <functional>
#include <vector>

class QProcess;
class QTimer;

namespace sa::bench {

// Owns the app's private PostgreSQL, as ServerProcess owns a server: a cluster
// in its own data folder, created on first use (initdb), started as a child in
// its own session and process group, pinned, with a parent-death signal;
// seeded once with TechEmpower's schema (world: 10,000 rows, fortune: 12);
// stopped with a fast shutdown and SIGKILL of every process after a grace
// period. A crashed session's leftover (its lock files, or its still running
// postmaster) is recovered at the next start. Never blocks: everything is
// signals and timers.
//
// Access: trust, on a Unix socket in the data folder (mode 0700, so only the
// cluster's owner and root reach it) for the superuser "postgres", and on
// 127.0.0.1 for "benchmarkdbuser", who may only read the two tables of
// "hello_world". Nothing listens on another address.
//
// PostgreSQL refuses to run as root. When the app is root (CI, containers),
// initdb and postgres run as Settings::serviceUser ("postgres", the system
// user Debian's postgresql-common creates), the data folder is owned by that
// user, and every folder above it must be searchable by that user: hence
// defaultDataFolder() is under /var/lib for root, not under /root (0700).
class PostgresCluster final : public QObject
{
    Q_OBJECT

public:
    enum class Failure {
        NotInstalled, // no initdb, postgres or psql; or, as root, no user to run them as
        DataFolderUnusable, // cannot be created or used: a file, not ours, not reachable, path too long
        DataFolderDamaged, // ours, but PostgreSQL cannot start on it (files missing, another major version)
        PortTaken, // the port asked for is in use, or no free port could be bound
        AlreadyRunning, // a PostgreSQL of another session (or not ours) runs on the data folder
        StartFailed, // postgres exited or did not become ready for another reason
        SeedFailed, // the schema or the rows could not be loaded
    };
    Q_ENUM(Failure)

    struct Settings
    {
        QString dataFolder; // required; created (with its parents) on first start
        QString logPath; // initdb, postgres and psql output; empty: <dataFolder>.log
        QList<int> cpus; // empty = not pinned
        int port = 0; // 0: a free port on 127.0.0.1, chosen at each start
        QString binDir; // empty: the newest /usr/lib/postgresql/<N>/bin, else initdb's folder on PATH
        QString serviceUser = QStringLiteral("postgres"); // runs PostgreSQL when the app is root
        int readyTimeoutMs = 60000; // for each of initdb, start-up and seeding
        int stopGraceMs = 10000;
    };

    explicit PostgresCluster(QObject *parent = nullptr);
    // Kills every process of the cluster at once if it still runs.
    ~PostgresCluster() override;

    // Creates the cluster if needed, starts it, seeds it if needed; ready() or
    // failed() follows, never both.
    void start(const Settings &settings);
    // Fast shutdown (SIGINT), SIGKILL of every process after the grace period;
    // stopped() once none is left.
    void stop();
    // SIGKILL of every process now; stopped() follows.
    void kill();

    bool isRunning() const;
    bool isReady() const;
    // The postmaster; every other process of the cluster descends from it, so
    // ResourceSampler::start(pid()) samples the whole cluster.
    qint64 pid() const;
    int port() const { return m_port; }
    // What the servers get as DATABASE_URL:
    // postgres://benchmarkdbuser@127.0.0.1:<port>/hello_world?sslmode=disable
    QString databaseUrl() const;
    // Where the superuser connects (psql -h <this> -p <port> -U postgres).
    QString socketDirectory() const { return m_settings.dataFolder; }
    QString binDir() const { return m_binDir; }
    QString dataFolder() const { return m_settings.dataFolder; }
    QString logPath() const { return m_settings.logPath; }
    // The server's version as it reports it, e.g. "15.18 (Debian 15.18-0+deb12u1)".
    QString version() const { return m_version; }
    // The OS user running PostgreSQL (the service user when the app is root).
    QString runAsUser() const { return m_runAs.name; }
    // This start ran initdb / loaded the rows (false when it reused them).
    bool created() const { return m_created; }
    bool seeded() const { return m_seeded; }
    // The settings written into the cluster's config for this start (port,
    // addresses, the benchmark settings), name → value, for the run to record.
    QMap<QString, QString> configuration() const { return m_configuration; }
    // The last lines of the log, for error messages.
    QString lastLogLines(int count = 15) const;

    static QString superuser();
    static QString databaseName();
    static QString databaseUser();
    // <AppLocalDataLocation>/postgresql, or /var/lib/stackadvisor/postgresql as
    // root (see the class comment).
    static QString defaultDataFolder();

Q_SIGNALS:
    void ready();
    // It could not be created, started or seeded; no process of it is left when emitted.
    void failed(sa::bench::PostgresCluster::Failure failure, const QString &reason);
    // It exited, or its data folder vanished, after it was ready; nothing is left.
    void exitedUnexpectedly(const QString &reason);
    void stopped();

private:
    // Who runs initdb and postgres: this process's user, or the service user.
    struct Identity
    {
        bool drop = false;
        uid_t uid = 0;
        gid_t gid = 0;
        std::vector<gid_t> groups;
        QString name;
    };

    enum class Phase { Idle, Preparing, Creating, Starting, Seeding, Ready, Stopping };

    // A process of the cluster; the start time tells it from a later process
    // that reuses its pid.
    struct Member
    {
        int pid = 0;
        quint64 startTicks = 0;
    };

    void prepare();
    bool findBinaries(QString *reason);
    bool resolveIdentity(QString *reason);
    QString unreachableReason(const QString &path) const;
    void recoverLeftover();
    void create();
    void onCreated();
    void launch();
    void pollReady();
    void onPostgresFinished();
    void seed();
    void onSeedFinished(int exitCode, bool crashed);
    void watch();
    void fail(Failure failure, const QString &reason);
    // Ends whatever runs (helper and cluster) and cancels what is pending, then calls then().
    void abort(const std::function<void()> &then);
    void endCluster(const std::function<void()> &then);
    void whenGone(const QList<Member> &members, const std::function<void()> &then);
    static QList<Member> snapshot(int postmaster);
    QProcess *newChild(const QString &program, const QStringList &arguments, bool asServiceUser);
    bool writeOwnedFile(const QString &path, const QByteArray &content, QString *reason) const;
    bool writeConfiguration(QString *reason);
    void appendLog(const QString &line) const;
    void stopTimers();

    Settings m_settings;
    Phase m_phase = Phase::Idle;
    Identity m_runAs;
    QString m_binDir;
    QPointer<QProcess> m_postgres;
    QPointer<QProcess> m_helper; // initdb or psql
    QTimer *m_pollTimer = nullptr;
    QTimer *m_deadline = nullptr;
    QTimer *m_killTimer = nullptr;
    QTimer *m_watchTimer = nullptr;
    QList<Member> m_tree; // the postmaster and its children, refreshed while it runs
    QMap<QString, QString> m_configuration;
    QString m_version;
    int m_port = 0;
    int m_attempt = 0;
    quint64 m_run = 0; // pending callbacks of an earlier start or attempt see a newer value and do nothing
    bool m_created = false;
    bool m_seeded = false;
};

} // namespace sa::bench
