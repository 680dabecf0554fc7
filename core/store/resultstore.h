#pragma once

// The history of benchmark runs: one SQLite file (Qt SQL, embedded). Schema
// versioned with PRAGMA user_version and migrated forward on open (1: runs with
// their JSON; 2: the per-cell table; 3: the per-round table cell_rounds). Each
// run is saved in one transaction, so a crash never leaves half a run.

#include "bench/results.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace sa::store {

// One line of the history list.
struct RunSummary
{
    qint64 id = -1;
    QDateTime startedAt;
    QDateTime finishedAt;
    sa::bench::RunStatus status = sa::bench::RunStatus::Completed;
    QString machine; // "AMD EPYC 7B13 · 2 cores · 24 GiB"
    QStringList targetIds; // in run order, unique
    int cellCount = 0;
    int failedCount = 0;
    int rounds = 1; // the most rounds any cell ran
    QString bestTargetId; // highest req/s among completed cells; "" if none
    double bestRequestsPerSecond = 0;
};

// The same cell (target × scenario × connections) in two runs.
struct CellComparison
{
    QString targetId;
    sa::bench::Scenario scenario = sa::bench::Scenario::Json;
    int connections = 0;
    bool inA = false, inB = false;
    double requestsPerSecondA = 0, requestsPerSecondB = 0;
    double p99UsA = 0, p99UsB = 0;
    qint64 peakPssBytesA = 0, peakPssBytesB = 0;
    // (B − A) / A × 100; 0 when either side is missing or A is 0.
    double requestsPerSecondChangePercent = 0;
    double p99ChangePercent = 0;
    double peakPssChangePercent = 0;
};

struct RunComparison
{
    RunSummary a, b;
    QList<CellComparison> cells; // A's order, then cells only in B
};

class ResultStore final
{
public:
    static constexpr int kSchemaVersion = 3;

    // path "" = defaultPath(). Nothing is opened until open().
    explicit ResultStore(const QString &path = QString());
    ~ResultStore();
    ResultStore(const ResultStore &) = delete;
    ResultStore &operator=(const ResultStore &) = delete;

    // <AppDataLocation>/history.sqlite
    static QString defaultPath();

    // Opens (creating folder and file if needed) and migrates. A corrupt or
    // unreadable file is moved aside to "<path>.corrupt-<timestamp>", a fresh one
    // created, and recoveryMessage() says so; that is not a failure.
    bool open(QString *error);
    bool isOpen() const;
    QString path() const { return m_path; }
    QString recoveryMessage() const { return m_recoveryMessage; }

    // Saves the run in one transaction and sets run.id. Returns the id.
    std::optional<qint64> save(sa::bench::RunResult &run, QString *error);
    // Newest first.
    QList<RunSummary> list(QString *error = nullptr) const;
    std::optional<sa::bench::RunResult> load(qint64 id, QString *error) const;
    std::optional<qint64> latestId() const;
    bool remove(qint64 id, QString *error);
    std::optional<RunComparison> compare(qint64 a, qint64 b, QString *error) const;

    // The summary line of a run as list() gives it (also for unsaved runs).
    static RunSummary summarize(const sa::bench::RunResult &run);

private:
    bool openAt(QString *error);
    bool migrate(QString *error);

    QString m_path;
    QString m_connectionName;
    QString m_recoveryMessage;
};

} // namespace sa::store
