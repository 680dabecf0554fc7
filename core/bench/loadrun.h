#pragma once

#include "results.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <optional>

class QProcess;
class QTimer;

namespace sa::bench {

// The summary line of `stackadvisor-load --json` (see its README section).
struct LoadSummary
{
    double durationSeconds = 0;
    qint64 requests = 0;
    double requestsPerSecond = 0;
    qint64 bytesRead = 0;
    ErrorCounts errors;
    qint64 status1xx = 0, status2xx = 0, status3xx = 0, status4xx = 0, status5xx = 0;
    qint64 reconnects = 0;
    LatencySummary latency;
    std::optional<LatencySummary> uncorrectedLatency;
    std::optional<SendLagSummary> sendLag; // open loop
    bool saturated = false; // the generator was the limit
    QString saturationReason;
    // Open loop: every connection was busy while the schedule fell behind (the
    // target, or too few connections; the wait is in the latency).
    bool connectionsExhausted = false;
    QString connectionsNote;
    double scheduleLagMs = 0;
    double generatorCpuPercent = 0;
    double pollingSeconds = 0; // CPU time the generator polled with nothing to do
    QList<LatencyBucket> latencyHistogram; // the summary's histogram, regrouped (latencyhistogram.h)
};

// One line of the generator's output, parsed.
struct LoadLine
{
    enum class Type { Start, Interval, Summary };
    Type type = Type::Start;
    QString version; // start
    IntervalSample interval; // interval (load fields only; resources are joined later)
    LoadSummary summary; // summary
};

// Owns one stackadvisor-load process: started --json, pinned to the load CPU
// set, in its own process group with a parent-death signal; its JSON lines become
// typed signals.
class LoadRun final : public QObject
{
    Q_OBJECT

public:
    struct Settings
    {
        QString program; // stackadvisor-load
        QString url;
        int connections = 10;
        int threads = 1;
        double warmupSeconds = 0;
        double durationSeconds = 10;
        double timeoutSeconds = 5;
        double rate = 0; // 0 = closed loop
        double intervalSeconds = 1;
        QList<int> cpus; // empty = not pinned
        bool allowRemote = false; // a target beyond loopback (bench --url … --allow-remote)
        bool noPoll = false; // --no-poll: the CPUs also run what is measured (CpuAssignment::loadCpusShared)
    };

    explicit LoadRun(QObject *parent = nullptr);
    ~LoadRun() override;

    void start(const Settings &settings);
    // Kills the generator at once; neither finished() nor failed() follows.
    void cancel();
    bool isRunning() const;
    QStringList arguments() const; // as passed, for the record

    // Exposed for tests: one line of --json output; nullopt + *error if malformed.
    static std::optional<LoadLine> parseLine(const QByteArray &line, QString *error);

Q_SIGNALS:
    void started(const QString &generatorVersion);
    void intervalReady(const sa::bench::IntervalSample &sample);
    void finished(const sa::bench::LoadSummary &summary, int exitCode);
    void failed(const QString &reason);

private:
    void readLines();
    void onFinished(int exitCode, int exitStatus);

    Settings m_settings;
    QStringList m_arguments;
    QPointer<QProcess> m_process;
    QTimer *m_watchdog = nullptr;
    QByteArray m_buffer;
    QByteArray m_stderr;
    std::optional<LoadSummary> m_summary;
    QString m_parseError;
    bool m_cancelled = false;
};

} // namespace sa::bench

Q_DECLARE_METATYPE(sa::bench::LoadSummary)
