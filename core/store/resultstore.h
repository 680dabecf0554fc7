#pragma once

// The history of benchmark runs: one SQLite file (Qt SQL, embedded). Schema
// versioned with PRAGMA user_version and migrated forward on open (1: runs with
// their JSON; 2: the per-cell table; 3: the per-round table cell_rounds). Each
// run is saved in one transaction, so a crash never leaves half a run.
//
// Only a failed integrity check is corruption: such a file is moved aside (under
// a name that is never reused) and a fresh history started. A full disk, a lock
// held by another program, a read-only file, folder or mount, a missing file are
// each reported as what they are and never move or hide the file; a history that
// can be read but not written is opened for reading (list, load, compare work;
// save and remove say why they cannot).

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
    // What was not measured alike, for a person ("Measured window: 5 s → 10 s",
    // "stackadvisor-load: 2.0.0 → 2.1.0"); empty when machine, versions and
    // settings match. A change across such a difference is not the server's alone.
    QStringList differences;
};

// The differences of RunComparison, one line each: the machine, the recorded
// versions, the plan's settings, and the cells' own settings (CPUs, workers,
// what the load generator did with nothing to do) where both runs have the cell.
QStringList runDifferences(const sa::bench::RunResult &a, const sa::bench::RunResult &b);

class ResultStore final
{
public:
    static constexpr int kSchemaVersion = 3;
    // checkWritable() asks for this much free space on the history's disk: a run
    // with its timelines takes up to a few hundred KiB, and the WAL as much again.
    static constexpr qint64 kMinFreeBytes = 1024 * 1024;

    enum class OpenMode {
        ReadWrite, // creates the file when missing; falls back to reading when it cannot be written
        ReadOnly, // never writes, never creates: a missing file is an empty history
    };
    // Why load() found nothing.
    enum class LoadFailure { None, NoSuchRun, Damaged, Unavailable };

    // path "" = defaultPath(). Nothing is opened until open().
    explicit ResultStore(const QString &path = QString());
    ~ResultStore();
    ResultStore(const ResultStore &) = delete;
    ResultStore &operator=(const ResultStore &) = delete;

    // <AppDataLocation>/history.sqlite
    static QString defaultPath();

    // Opens (ReadWrite: creating folder and file if needed) and migrates. A file
    // that fails SQLite's integrity check is moved aside to
    // "<path>.corrupt-<UTC time>[-N]" with its -wal and -shm, a fresh one created,
    // and recoveryMessage() says so; that is not a failure. A history that can
    // only be read opens read-only: isReadOnly(), readOnlyReason(). False, with
    // the path and the reason in *error, when it cannot be opened at all (locked by
    // another program, unreadable, from a newer app, …); nothing is moved then.
    bool open(QString *error, OpenMode mode = OpenMode::ReadWrite);
    bool isOpen() const;
    QString path() const { return m_path; }
    QString recoveryMessage() const { return m_recoveryMessage; }
    bool isReadOnly() const { return !m_readOnlyReason.isEmpty(); }
    // "it is on a read-only file system", "the disk holding it is full", …
    QString readOnlyReason() const { return m_readOnlyReason; }
    // Whether a run can be saved now, checked before one starts: open, writable,
    // not locked by another writer, kMinFreeBytes free. *error says why not.
    bool checkWritable(QString *error) const;

    // Saves the run in one transaction and sets run.id. Returns the id.
    std::optional<qint64> save(sa::bench::RunResult &run, QString *error);
    // Newest first.
    QList<RunSummary> list(QString *error = nullptr) const;
    // *failure (optional) tells "no such run" from "damaged in the history".
    std::optional<sa::bench::RunResult> load(qint64 id, QString *error, LoadFailure *failure = nullptr) const;
    std::optional<qint64> latestId() const;
    bool remove(qint64 id, QString *error);
    std::optional<RunComparison> compare(qint64 a, qint64 b, QString *error) const;

    // The summary line of a run as list() gives it (also for unsaved runs).
    static RunSummary summarize(const sa::bench::RunResult &run);

private:
    enum class Access { ReadWrite, ReadOnly, Immutable };
    enum class Problem { None, Corrupt, Newer, Locked, Full, ReadOnly, Other };
    Problem openAt(Access access, QString *error);
    Problem migrate(QString *error);
    Problem classify(int sqliteCode, const QString &text, QString *error) const;
    bool moveAside(QString *aside, QString *error);
    void closeConnection();
    QString lockedMessage() const;
    QString cannotWrite() const;

    QString m_path;
    QString m_connectionName;
    QString m_recoveryMessage;
    QString m_readOnlyReason;
    bool m_missing = false; // ReadOnly and no file: an empty history
};

} // namespace sa::store
