#include "resultstore.h"

#include "bench/format.h"
#include "bench/machineinfo.h"

#include <QAtomicInt>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUrl>
#include <QVariant>

#include "platform/procfs.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sa::store {

using sa::bench::RunResult;
using sa::bench::RunStatus;
using sa::bench::TargetResult;
using sa::bench::TargetStatus;

namespace {

QAtomicInt s_connectionCounter;

QString isoTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

// Runs each statement; on failure *error names the statement's first words.
bool exec(QSqlDatabase &db, const QStringList &statements, QString *error)
{
    for (const QString &statement : statements) {
        QSqlQuery query(db);
        if (!query.exec(statement)) {
            *error = QStringLiteral("SQLite: %1 (in \"%2…\")")
                         .arg(query.lastError().text(), statement.left(60).simplified());
            return false;
        }
    }
    return true;
}

const QStringList &cellsTableStatements()
{
    static const QStringList statements {
        QStringLiteral("CREATE TABLE cells ("
                       " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
                       " position INTEGER NOT NULL,"
                       " target_id TEXT NOT NULL,"
                       " scenario TEXT NOT NULL,"
                       " connections INTEGER NOT NULL,"
                       " status TEXT NOT NULL,"
                       " requests_per_sec REAL NOT NULL DEFAULT 0,"
                       " p99_us REAL NOT NULL DEFAULT 0,"
                       " peak_pss_bytes INTEGER NOT NULL DEFAULT 0,"
                       " PRIMARY KEY (run_id, position))"),
        QStringLiteral("CREATE INDEX cells_target ON cells(target_id)"),
    };
    return statements;
}

// Schema 3: every round of every cell (a run from before rounds has one per cell).
const QStringList &cellRoundsTableStatements()
{
    static const QStringList statements {
        QStringLiteral("CREATE TABLE cell_rounds ("
                       " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
                       " position INTEGER NOT NULL,"
                       " round INTEGER NOT NULL,"
                       " run_position INTEGER NOT NULL,"
                       " status TEXT NOT NULL,"
                       " requests_per_sec REAL NOT NULL DEFAULT 0,"
                       " p99_us REAL NOT NULL DEFAULT 0,"
                       " peak_pss_bytes INTEGER NOT NULL DEFAULT 0,"
                       " PRIMARY KEY (run_id, position, round))"),
    };
    return statements;
}

// The rounds of the cells already in the history: one each, the cell itself.
const QStringList &cellRoundsBackfillStatements()
{
    static const QStringList statements {
        QStringLiteral("INSERT INTO cell_rounds (run_id, position, round, run_position, status,"
                       " requests_per_sec, p99_us, peak_pss_bytes)"
                       " SELECT run_id, position, 1, position, status, requests_per_sec, p99_us,"
                       " peak_pss_bytes FROM cells"),
    };
    return statements;
}

bool insertCellRounds(QSqlDatabase &db, qint64 runId, const RunResult &run, QString *error)
{
    QSqlQuery query(db);
    query.prepare(
        QStringLiteral("INSERT INTO cell_rounds (run_id, position, round, run_position, status,"
                       " requests_per_sec, p99_us, peak_pss_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    for (qsizetype i = 0; i < run.targets.size(); ++i) {
        const TargetResult &cell = run.targets.at(i);
        const auto insert = [&](const TargetResult &round, int number, qint64 runPosition) {
            query.addBindValue(runId);
            query.addBindValue(qint64(i));
            query.addBindValue(number);
            query.addBindValue(runPosition);
            query.addBindValue(sa::bench::targetStatusId(round.status));
            query.addBindValue(round.requestsPerSecond);
            query.addBindValue(round.latency.p99Us);
            query.addBindValue(round.memory.peakPssBytes);
            if (query.exec())
                return true;
            *error = QStringLiteral("SQLite: %1 (saving the rounds of run %2)")
                         .arg(query.lastError().text())
                         .arg(runId);
            return false;
        };
        if (cell.rounds.empty()) {
            if (!insert(cell, 1, i))
                return false;
            continue;
        }
        for (const TargetResult &round : cell.rounds) {
            if (!insert(round, round.round, round.runPosition))
                return false;
        }
    }
    return true;
}

bool insertCells(QSqlDatabase &db, qint64 runId, const RunResult &run, QString *error)
{
    QSqlQuery query(db);
    query.prepare(
        QStringLiteral("INSERT INTO cells (run_id, position, target_id, scenario, connections, status,"
                       " requests_per_sec, p99_us, peak_pss_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (qsizetype i = 0; i < run.targets.size(); ++i) {
        const TargetResult &t = run.targets.at(i);
        query.addBindValue(runId);
        query.addBindValue(qint64(i));
        query.addBindValue(t.targetId);
        query.addBindValue(sa::bench::scenarioId(t.scenario));
        query.addBindValue(t.connections);
        query.addBindValue(sa::bench::targetStatusId(t.status));
        query.addBindValue(t.requestsPerSecond);
        query.addBindValue(t.latency.p99Us);
        query.addBindValue(t.memory.peakPssBytes);
        if (!query.exec()) {
            *error = QStringLiteral("SQLite: %1 (saving the cells of run %2)")
                         .arg(query.lastError().text())
                         .arg(runId);
            return false;
        }
    }
    return true;
}

double changePercent(double a, double b)
{
    return a > 0 ? (b - a) / a * 100.0 : 0.0;
}

// SQLite's primary result codes (sqlite3.h), as QSqlError::nativeErrorCode() gives them.
constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;
constexpr int kSqliteReadOnly = 8;
constexpr int kSqliteIoError = 10;
constexpr int kSqliteCorrupt = 11;
constexpr int kSqliteFull = 13;
constexpr int kSqliteCantOpen = 14;
constexpr int kSqliteNotADatabase = 26;
constexpr int kBusyTimeoutMs = 5000;

QString errnoText(int code)
{
    return QString::fromLocal8Bit(std::strerror(code));
}

// Free bytes for an unprivileged writer on the file system holding path; -1 unknown.
qint64 freeBytes(const QString &path)
{
    struct statvfs info
    {
    };
    if (::statvfs(QFile::encodeName(path).constData(), &info) != 0)
        return -1;
    return qint64(info.f_bavail) * qint64(info.f_frsize);
}

int readableError(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    ::close(fd);
    return 0;
}

// Why SQLite will not be able to write the file or make its -wal and -shm beside
// it; "" when nothing stands in the way.
QString writeBlocker(const QString &path, const QString &folder)
{
    const auto reason = [](const QString &what, int code) {
        return code == EROFS ? QStringLiteral("%1 is on a read-only file system").arg(what)
                             : QStringLiteral("%1 is read-only (%2)").arg(what, errnoText(code));
    };
    if (QFileInfo::exists(path) && ::access(QFile::encodeName(path).constData(), W_OK) != 0)
        return reason(QStringLiteral("the file"), errno);
    if (::access(QFile::encodeName(folder).constData(), W_OK) != 0)
        return reason(QStringLiteral("its folder %1").arg(folder), errno);
    return {};
}

QString cannotCreateReason(const QString &folder)
{
    QString existing = folder;
    while (!existing.isEmpty() && !QFileInfo::exists(existing))
        existing
            = QFileInfo(existing).absolutePath() == existing ? QString() : QFileInfo(existing).absolutePath();
    if (existing.isEmpty())
        return QStringLiteral("no parent folder exists");
    if (!QFileInfo(existing).isDir())
        return QStringLiteral("%1 is a file").arg(existing);
    if (::access(QFile::encodeName(existing).constData(), W_OK) != 0)
        return QStringLiteral("%1: %2").arg(existing, errnoText(errno));
    return QStringLiteral("unknown reason");
}

// rename(2) that never replaces: *taken when the new name exists already.
bool renameNoReplace(const QString &from, const QString &to, bool *taken, QString *error)
{
    const QByteArray source = QFile::encodeName(from), target = QFile::encodeName(to);
    if (::renameat2(AT_FDCWD, source.constData(), AT_FDCWD, target.constData(), RENAME_NOREPLACE) == 0)
        return true;
    if (errno == EINVAL || errno == ENOSYS) {
        // A file system without RENAME_NOREPLACE: link() refuses an existing name too.
        if (::link(source.constData(), target.constData()) == 0) {
            ::unlink(source.constData());
            return true;
        }
    }
    *taken = errno == EEXIST;
    *error = errnoText(errno);
    return false;
}

QString newerMessage(const QString &path, int version)
{
    return QStringLiteral(
        "the run history %1 was written by a newer Stack Advisor (schema %2; this one reads up "
        "to %3); use --db to choose another file or update the app")
        .arg(path)
        .arg(version)
        .arg(ResultStore::kSchemaVersion);
}

} // namespace

ResultStore::ResultStore(const QString &path)
    : m_path(path.isEmpty() ? defaultPath() : path)
    , m_connectionName(QStringLiteral("sa-resultstore-%1").arg(s_connectionCounter.fetchAndAddRelaxed(1)))
{ }

ResultStore::~ResultStore()
{
    closeConnection();
    if (QSqlDatabase::contains(m_connectionName))
        QSqlDatabase::removeDatabase(m_connectionName);
}

QString ResultStore::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + QLatin1String("/history.sqlite");
}

bool ResultStore::isOpen() const
{
    return QSqlDatabase::contains(m_connectionName)
        && QSqlDatabase::database(m_connectionName, false).isOpen();
}

void ResultStore::closeConnection()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (db.isValid())
        db.close();
}

bool ResultStore::open(QString *error, OpenMode mode)
{
    QString ignored;
    if (!error)
        error = &ignored;
    closeConnection();
    m_recoveryMessage.clear();
    m_readOnlyReason.clear();
    m_missing = false;
    const QFileInfo info(m_path);
    const QString folder = info.absolutePath();
    if (info.exists() && !info.isFile()) {
        *error = QStringLiteral("%1 is not a file; choose another path for the run history").arg(m_path);
        return false;
    }
    if (!info.exists()) {
        if (mode == OpenMode::ReadOnly) {
            m_missing = true; // nothing saved yet: an empty history, and nothing created
            return true;
        }
        if (!QDir().mkpath(folder)) {
            *error = QStringLiteral("cannot create the folder %1 for the run history (%2)")
                         .arg(folder, cannotCreateReason(folder));
            return false;
        }
    } else if (const int code = readableError(m_path); code != 0) {
        *error = QStringLiteral("cannot read the run history %1: %2; it was left as it is")
                     .arg(m_path, errnoText(code));
        return false;
    }

    QString readOnlyReason = mode == OpenMode::ReadOnly ? QStringLiteral("it was opened for reading only")
                                                        : writeBlocker(m_path, folder);
    if (readOnlyReason.isEmpty()) {
        QString failure;
        switch (openAt(Access::ReadWrite, &failure)) {
        case Problem::None:
            return true;
        case Problem::Corrupt: {
            closeConnection();
            QString aside;
            if (!moveAside(&aside, error)) {
                *error = QStringLiteral("the run history %1 is damaged (%2) and could not be moved aside: %3")
                             .arg(m_path, failure, *error);
                return false;
            }
            m_recoveryMessage
                = QStringLiteral("The run history %1 was damaged (%2). It was moved to %3 and a new, "
                                 "empty history was started.")
                      .arg(m_path, failure, aside);
            QString second;
            if (openAt(Access::ReadWrite, &second) != Problem::None) {
                *error = QStringLiteral("cannot create a new run history at %1: %2").arg(m_path, second);
                return false;
            }
            return true;
        }
        case Problem::Full:
        case Problem::ReadOnly:
            readOnlyReason = failure; // it may still be read
            break;
        case Problem::Newer:
        case Problem::Locked:
        case Problem::Other:
            closeConnection();
            *error = failure;
            return false;
        }
    }

    closeConnection();
    if (!QFileInfo::exists(m_path)) {
        *error = QStringLiteral("cannot create the run history %1: %2").arg(m_path, readOnlyReason);
        return false;
    }
    QString failure;
    Problem problem = openAt(Access::ReadOnly, &failure);
    // A WAL database needs its -shm to be read, which a read-only folder or a full
    // disk cannot give it. With nothing in the WAL, the file alone is the whole
    // history and SQLite may read it as immutable.
    // Never past a lock: another program may be writing it right now.
    if (problem != Problem::None && problem != Problem::Newer && problem != Problem::Corrupt
        && problem != Problem::Locked && QFileInfo(m_path + QLatin1String("-wal")).size() == 0) {
        closeConnection();
        problem = openAt(Access::Immutable, &failure);
    }
    switch (problem) {
    case Problem::None:
        m_readOnlyReason = readOnlyReason;
        return true;
    case Problem::Corrupt:
        *error = QStringLiteral("the run history %1 is damaged (%2) and cannot be moved aside because %3; "
                                "move it away yourself to start a new one")
                     .arg(m_path, failure, readOnlyReason);
        break;
    default:
        *error = failure;
        break;
    }
    closeConnection();
    return false;
}

ResultStore::Problem ResultStore::classify(int sqliteCode, const QString &text, QString *error) const
{
    const QString folder = QFileInfo(m_path).absolutePath();
    switch (sqliteCode & 0xff) {
    case kSqliteCorrupt:
    case kSqliteNotADatabase:
        *error = text;
        return Problem::Corrupt;
    case kSqliteBusy:
    case kSqliteLocked:
        *error = lockedMessage();
        return Problem::Locked;
    case kSqliteFull:
        *error = QStringLiteral("the disk holding it is full");
        return Problem::Full;
    case kSqliteReadOnly:
        *error = QStringLiteral("it cannot be written (%1)").arg(text);
        return Problem::ReadOnly;
    case kSqliteIoError:
    case kSqliteCantOpen:
        // On a full disk SQLite cannot even make its -shm: an I/O error, not "full".
        if (freeBytes(folder) < kMinFreeBytes) {
            *error = QStringLiteral("the disk holding it is full");
            return Problem::Full;
        }
        break;
    default:
        break;
    }
    *error = QStringLiteral("cannot open the run history %1: %2 (SQLite error %3); it was left as it is")
                 .arg(m_path, text)
                 .arg(sqliteCode);
    return Problem::Other;
}

QString ResultStore::lockedMessage() const
{
    const QList<int> holders = sa::platform::fileLockHolders(
        { m_path, m_path + QLatin1String("-shm"), m_path + QLatin1String("-wal") });
    return QStringLiteral("the run history %1 is locked by another program%2 and did not come free within "
                          "%3 s; try again once it has finished. Nothing was changed")
        .arg(m_path,
            holders.isEmpty()
                ? QString()
                : QLatin1String(" (") + sa::platform::describeProcesses(holders) + QLatin1Char(')'))
        .arg(kBusyTimeoutMs / 1000);
}

QString ResultStore::cannotWrite() const
{
    return QStringLiteral("the run history %1 can be read but not written: %2").arg(m_path, m_readOnlyReason);
}

bool ResultStore::moveAside(QString *aside, QString *error)
{
    // Never over an earlier set-aside file: each recovery gets a name of its own.
    const QString stem = m_path + QLatin1String(".corrupt-")
        + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    for (int n = 1; n < 1000; ++n) {
        const QString candidate = n == 1 ? stem : stem + QLatin1Char('-') + QString::number(n);
        bool taken = false;
        if (!renameNoReplace(m_path, candidate, &taken, error)) {
            if (taken)
                continue;
            return false;
        }
        for (const char *suffix : { "-wal", "-shm" }) {
            const QString companion = m_path + QLatin1String(suffix);
            bool companionTaken = false;
            QString ignored;
            if (QFileInfo::exists(companion))
                renameNoReplace(companion, candidate + QLatin1String(suffix), &companionTaken, &ignored);
        }
        *aside = candidate;
        return true;
    }
    *error = QStringLiteral("every name %1-N is taken").arg(stem);
    return false;
}

ResultStore::Problem ResultStore::openAt(Access access, QString *error)
{
    QSqlDatabase db = QSqlDatabase::contains(m_connectionName)
        ? QSqlDatabase::database(m_connectionName, false)
        : QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    if (!db.isValid()) {
        *error = QStringLiteral("the Qt SQLite driver (QSQLITE) is missing: install libqt6sql6-sqlite");
        return Problem::Other;
    }
    // Readers wait for a writer instead of failing at once.
    QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs);
    if (access == Access::Immutable) {
        options += QLatin1String(";QSQLITE_OPEN_READONLY;QSQLITE_OPEN_URI");
        db.setDatabaseName(
            QUrl::fromLocalFile(m_path).toString(QUrl::FullyEncoded) + QLatin1String("?immutable=1"));
    } else {
        if (access == Access::ReadOnly)
            options += QLatin1String(";QSQLITE_OPEN_READONLY");
        db.setDatabaseName(m_path);
    }
    db.setConnectOptions(options);
    if (!db.open())
        return classify(db.lastError().nativeErrorCode().toInt(), db.lastError().text(), error);
    const auto failed = [&](const QSqlQuery &query) {
        const QSqlError e = query.lastError();
        return classify(e.nativeErrorCode().toInt(),
            e.text().isEmpty() ? QStringLiteral("not an SQLite database") : e.text(), error);
    };
    {
        QSqlQuery check(db);
        if (!check.exec(QStringLiteral("PRAGMA quick_check")) || !check.next())
            return failed(check);
        if (check.value(0).toString() != QLatin1String("ok")) {
            *error = QStringLiteral("integrity check failed: ") + check.value(0).toString();
            return Problem::Corrupt;
        }
    }
    if (access != Access::ReadWrite) {
        QSqlQuery version(db);
        if (!version.exec(QStringLiteral("PRAGMA user_version")) || !version.next())
            return failed(version);
        const int found = version.value(0).toInt();
        if (found > kSchemaVersion) {
            *error = newerMessage(m_path, found);
            return Problem::Newer;
        }
        if (found != kSchemaVersion && QFileInfo(m_path).size() > 0 && found != 0) {
            *error = QStringLiteral(
                "the run history %1 is in an older format (schema %2) and cannot be upgraded "
                "while it is read-only; make it writable once to upgrade it")
                         .arg(m_path)
                         .arg(found);
            return Problem::Other;
        }
        return Problem::None;
    }
    for (const QString &statement :
        { QStringLiteral("PRAGMA journal_mode=WAL"), QStringLiteral("PRAGMA foreign_keys=ON") }) {
        QSqlQuery query(db);
        if (!query.exec(statement))
            return failed(query);
    }
    return migrate(error);
}

ResultStore::Problem ResultStore::migrate(QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery versionQuery(db);
    if (!versionQuery.exec(QStringLiteral("PRAGMA user_version")) || !versionQuery.next())
        return classify(
            versionQuery.lastError().nativeErrorCode().toInt(), versionQuery.lastError().text(), error);
    int version = versionQuery.value(0).toInt();
    versionQuery.finish();
    if (version > kSchemaVersion) {
        *error = newerMessage(m_path, version);
        return Problem::Newer;
    }
    if (version == kSchemaVersion)
        return Problem::None;

    if (!db.transaction())
        return classify(db.lastError().nativeErrorCode().toInt(), db.lastError().text(), error);
    bool ok = true;
    if (version == 0) {
        // A new file: create the current schema directly.
        QStringList statements { QStringLiteral("CREATE TABLE runs ("
                                                " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                                                " started_at TEXT NOT NULL,"
                                                " finished_at TEXT,"
                                                " status TEXT NOT NULL,"
                                                " machine TEXT,"
                                                " result_json TEXT NOT NULL)") };
        statements += cellsTableStatements();
        statements += cellRoundsTableStatements();
        ok = exec(db, statements, error);
        version = kSchemaVersion;
    }
    if (ok && version == 1) {
        // Schema 1 kept only the JSON; 2 adds the columns and the per-cell table
        // that list() and compare() read without parsing every run.
        QStringList statements { QStringLiteral("ALTER TABLE runs ADD COLUMN finished_at TEXT"),
            QStringLiteral("ALTER TABLE runs ADD COLUMN machine TEXT") };
        statements += cellsTableStatements();
        ok = exec(db, statements, error);
        QList<QPair<qint64, QString>> rows;
        if (ok) {
            QSqlQuery select(db);
            ok = select.exec(QStringLiteral("SELECT id, result_json FROM runs"));
            while (ok && select.next())
                rows.append({ select.value(0).toLongLong(), select.value(1).toString() });
            if (!ok)
                *error = select.lastError().text();
        }
        for (const auto &[id, json] : std::as_const(rows)) {
            if (!ok)
                break;
            QString parseError;
            const auto run
                = RunResult::fromJson(QJsonDocument::fromJson(json.toUtf8()).object(), &parseError);
            if (!run)
                continue; // an unreadable old run stays listed by its date but without cells
            QSqlQuery update(db);
            update.prepare(QStringLiteral("UPDATE runs SET finished_at = ?, machine = ? WHERE id = ?"));
            update.addBindValue(isoTime(run->finishedAt));
            update.addBindValue(sa::bench::machineSummary(run->machine));
            update.addBindValue(id);
            ok = update.exec() && insertCells(db, id, *run, error);
            if (!ok && error->isEmpty())
                *error = update.lastError().text();
        }
        version = 2;
    }
    if (ok && version == 2) {
        // Schema 3 adds the rounds of each cell (BenchmarkPlan::rounds).
        ok = exec(db, cellRoundsTableStatements() + cellRoundsBackfillStatements(), error);
        version = 3;
    }
    if (ok && version != kSchemaVersion) {
        *error = QStringLiteral("unknown schema version %1").arg(version);
        ok = false;
    }
    ok = ok && exec(db, { QStringLiteral("PRAGMA user_version = %1").arg(kSchemaVersion) }, error);
    if (!ok) {
        db.rollback();
        return Problem::Other;
    }
    if (!db.commit())
        return classify(db.lastError().nativeErrorCode().toInt(), db.lastError().text(), error);
    return Problem::None;
}

bool ResultStore::checkWritable(QString *error) const
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (!isOpen()) {
        *error = QStringLiteral("the run history %1 is not open").arg(m_path);
        return false;
    }
    if (isReadOnly()) {
        *error = cannotWrite();
        return false;
    }
    const qint64 free = freeBytes(QFileInfo(m_path).absolutePath());
    if (free >= 0 && free < kMinFreeBytes) {
        *error = QStringLiteral("the disk holding the run history %1 is %2: %3 KiB free, and saving a run "
                                "needs about %4 KiB; free some space")
                     .arg(m_path, free < 64 * 1024 ? QStringLiteral("full") : QStringLiteral("nearly full"))
                     .arg(free / 1024)
                     .arg(kMinFreeBytes / 1024);
        return false;
    }
    // Takes the write lock and gives it back at once: another writer, or a file
    // that became read-only since open(), shows here.
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery begin(db);
    if (!begin.exec(QStringLiteral("BEGIN IMMEDIATE"))) {
        QString problem;
        classify(begin.lastError().nativeErrorCode().toInt(), begin.lastError().text(), &problem);
        *error = problem.startsWith(QLatin1String("the run history"))
            ? problem
            : QStringLiteral("the run history %1 cannot be written: %2").arg(m_path, problem);
        return false;
    }
    QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
    return true;
}

std::optional<qint64> ResultStore::save(RunResult &run, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (isReadOnly()) {
        *error = cannotWrite();
        return std::nullopt;
    }
    if (!isOpen()) {
        *error = QStringLiteral("the run history is not open");
        return std::nullopt;
    }
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.transaction()) {
        QString problem;
        classify(db.lastError().nativeErrorCode().toInt(), db.lastError().text(), &problem);
        *error = QStringLiteral("cannot save the run to %1: %2").arg(m_path, problem);
        return std::nullopt;
    }
    const auto fail = [&](const QString &message) -> std::optional<qint64> {
        // A full disk is the likely reason: say it as such.
        const QString folder = QFileInfo(m_path).absolutePath();
        *error = freeBytes(folder) >= 0 && freeBytes(folder) < kMinFreeBytes
            ? QStringLiteral("cannot save the run to %1: the disk holding it is full (%2); the history is "
                             "unchanged")
                  .arg(m_path, message)
            : message;
        db.rollback();
        return std::nullopt;
    };
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT INTO runs (started_at, finished_at, status, machine, result_json)"
                                  " VALUES (?, ?, ?, ?, '')"));
    insert.addBindValue(isoTime(run.startedAt));
    insert.addBindValue(isoTime(run.finishedAt));
    insert.addBindValue(sa::bench::runStatusId(run.status));
    insert.addBindValue(sa::bench::machineSummary(run.machine));
    if (!insert.exec())
        return fail(QStringLiteral("SQLite: %1 (saving the run)").arg(insert.lastError().text()));
    const qint64 id = insert.lastInsertId().toLongLong();
    RunResult saved = run;
    saved.id = id;
    QSqlQuery update(db);
    update.prepare(QStringLiteral("UPDATE runs SET result_json = ? WHERE id = ?"));
    update.addBindValue(QString::fromUtf8(QJsonDocument(saved.toJson()).toJson(QJsonDocument::Compact)));
    update.addBindValue(id);
    if (!update.exec())
        return fail(QStringLiteral("SQLite: %1 (saving the run)").arg(update.lastError().text()));
    QString cellError;
    if (!insertCells(db, id, saved, &cellError) || !insertCellRounds(db, id, saved, &cellError))
        return fail(cellError);
    if (!db.commit())
        return fail(QStringLiteral("SQLite: cannot commit: ") + db.lastError().text());
    run.id = id;
    return id;
}

RunSummary ResultStore::summarize(const RunResult &run)
{
    RunSummary summary;
    summary.id = run.id;
    summary.startedAt = run.startedAt;
    summary.finishedAt = run.finishedAt;
    summary.status = run.status;
    summary.machine = sa::bench::machineSummary(run.machine);
    summary.cellCount = int(run.targets.size());
    for (const TargetResult &target : run.targets) {
        summary.rounds = std::max(summary.rounds, int(target.rounds.size()));
        if (!summary.targetIds.contains(target.targetId))
            summary.targetIds << target.targetId;
        if (target.status == TargetStatus::Failed)
            ++summary.failedCount;
        if (target.status == TargetStatus::Completed
            && target.requestsPerSecond > summary.bestRequestsPerSecond) {
            summary.bestRequestsPerSecond = target.requestsPerSecond;
            summary.bestTargetId = target.targetId;
        }
    }
    return summary;
}

QList<RunSummary> ResultStore::list(QString *error) const
{
    QList<RunSummary> summaries;
    if (m_missing)
        return summaries;
    if (!isOpen()) {
        if (error)
            *error = QStringLiteral("the run history is not open");
        return summaries;
    }
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery runs(db);
    if (!runs.exec(QStringLiteral(
            "SELECT id, started_at, finished_at, status, machine FROM runs ORDER BY id DESC"))) {
        if (error)
            *error = runs.lastError().text();
        return summaries;
    }
    while (runs.next()) {
        RunSummary summary;
        summary.id = runs.value(0).toLongLong();
        summary.startedAt = QDateTime::fromString(runs.value(1).toString(), Qt::ISODateWithMs);
        summary.finishedAt = QDateTime::fromString(runs.value(2).toString(), Qt::ISODateWithMs);
        const QString status = runs.value(3).toString();
        summary.status = status == QLatin1String("cancelled") ? RunStatus::Cancelled
            : status == QLatin1String("failed")               ? RunStatus::Failed
                                                              : RunStatus::Completed;
        summary.machine = runs.value(4).toString();
        summaries.append(summary);
    }
    QSqlQuery cells(db);
    if (!cells.exec(QStringLiteral("SELECT run_id, target_id, status, requests_per_sec FROM cells"
                                   " ORDER BY run_id DESC, position"))) {
        if (error)
            *error = cells.lastError().text();
        return summaries;
    }
    qsizetype at = 0;
    while (cells.next()) {
        const qint64 runId = cells.value(0).toLongLong();
        while (at < summaries.size() && summaries.at(at).id > runId)
            ++at;
        if (at >= summaries.size() || summaries.at(at).id != runId)
            continue;
        RunSummary &summary = summaries[at];
        const QString target = cells.value(1).toString();
        const QString status = cells.value(2).toString();
        const double rps = cells.value(3).toDouble();
        ++summary.cellCount;
        if (!summary.targetIds.contains(target))
            summary.targetIds << target;
        if (status == QLatin1String("failed"))
            ++summary.failedCount;
        if (status == QLatin1String("completed") && rps > summary.bestRequestsPerSecond) {
            summary.bestRequestsPerSecond = rps;
            summary.bestTargetId = target;
        }
    }
    QSqlQuery rounds(db);
    if (!rounds.exec(QStringLiteral("SELECT run_id, MAX(round) FROM cell_rounds GROUP BY run_id"))) {
        if (error)
            *error = rounds.lastError().text();
        return summaries;
    }
    QHash<qint64, int> roundsOf;
    while (rounds.next())
        roundsOf.insert(rounds.value(0).toLongLong(), rounds.value(1).toInt());
    for (RunSummary &summary : summaries)
        summary.rounds = std::max(1, roundsOf.value(summary.id, 1));
    return summaries;
}

std::optional<RunResult> ResultStore::load(qint64 id, QString *error, LoadFailure *failure) const
{
    QString ignored;
    if (!error)
        error = &ignored;
    LoadFailure ignoredFailure;
    if (!failure)
        failure = &ignoredFailure;
    *failure = LoadFailure::Unavailable;
    if (m_missing) {
        *failure = LoadFailure::NoSuchRun;
        *error
            = QStringLiteral("there is no run %1: the run history %2 does not exist yet (run `stackadvisor "
                             "bench` first)")
                  .arg(id)
                  .arg(m_path);
        return std::nullopt;
    }
    if (!isOpen()) {
        *error = QStringLiteral("the run history is not open");
        return std::nullopt;
    }
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT result_json FROM runs WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec()) {
        classify(query.lastError().nativeErrorCode().toInt(), query.lastError().text(), error);
        return std::nullopt;
    }
    if (!query.next()) {
        *failure = LoadFailure::NoSuchRun;
        *error = QStringLiteral(
            "there is no run %1 in the history %2 (list them with `stackadvisor bench --history`)")
                     .arg(id)
                     .arg(m_path);
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(query.value(0).toString().toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *failure = LoadFailure::Damaged;
        *error
            = QStringLiteral("run %1 is damaged in the history %2 (its JSON does not parse: %3); the other "
                             "runs are not affected, and `stackadvisor bench --delete %1` removes it")
                  .arg(id)
                  .arg(m_path, parseError.errorString());
        return std::nullopt;
    }
    auto run = RunResult::fromJson(document.object(), error);
    if (!run) {
        *failure = LoadFailure::Damaged;
        *error
            = QStringLiteral("run %1 is damaged in the history %2 (%3); the other runs are not affected, and "
                             "`stackadvisor bench --delete %1` removes it")
                  .arg(id)
                  .arg(m_path, *error);
        return std::nullopt;
    }
    *failure = LoadFailure::None;
    run->id = id;
    return run;
}

std::optional<qint64> ResultStore::latestId() const
{
    if (!isOpen())
        return std::nullopt;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (!query.exec(QStringLiteral("SELECT MAX(id) FROM runs")) || !query.next() || query.value(0).isNull())
        return std::nullopt;
    return query.value(0).toLongLong();
}

bool ResultStore::remove(qint64 id, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (isReadOnly()) {
        *error = cannotWrite();
        return false;
    }
    if (!isOpen()) {
        *error = QStringLiteral("the run history is not open");
        return false;
    }
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.transaction()) {
        classify(db.lastError().nativeErrorCode().toInt(), db.lastError().text(), error);
        return false;
    }
    QSqlQuery rounds(db);
    rounds.prepare(QStringLiteral("DELETE FROM cell_rounds WHERE run_id = ?"));
    rounds.addBindValue(id);
    QSqlQuery cells(db);
    cells.prepare(QStringLiteral("DELETE FROM cells WHERE run_id = ?"));
    cells.addBindValue(id);
    QSqlQuery runs(db);
    runs.prepare(QStringLiteral("DELETE FROM runs WHERE id = ?"));
    runs.addBindValue(id);
    if (!rounds.exec() || !cells.exec() || !runs.exec()) {
        *error = rounds.lastError().text() + cells.lastError().text() + runs.lastError().text();
        db.rollback();
        return false;
    }
    if (runs.numRowsAffected() == 0) {
        *error = QStringLiteral(
            "there is no run %1 in the history (list them with `stackadvisor bench --history`)")
                     .arg(id);
        db.rollback();
        return false;
    }
    if (!db.commit()) {
        *error = db.lastError().text();
        return false;
    }
    return true;
}

namespace {

QString recorded(const QString &value)
{
    return value.isEmpty() ? QStringLiteral("not recorded") : value;
}

QString loadIdleText(const QString &id)
{
    if (id == QLatin1String("poll-if-alone"))
        return QStringLiteral("polled while its CPU was its own");
    if (id == QLatin1String("sleep"))
        return QStringLiteral("slept (--no-poll)");
    return recorded(id);
}

QString rateText(double rate)
{
    return rate > 0 ? QStringLiteral("open loop at %1 req/s").arg(sa::fmt::number(rate))
                    : QStringLiteral("closed loop");
}

} // namespace

QStringList runDifferences(const RunResult &a, const RunResult &b)
{
    QStringList lines;
    const auto differ = [&lines](const QString &what, const QString &x, const QString &y) {
        if (x != y)
            lines << QStringLiteral("%1: %2 → %3").arg(what, x, y);
    };
    differ(QStringLiteral("Machine"), sa::bench::machineSummary(a.machine),
        sa::bench::machineSummary(b.machine));
    differ(QStringLiteral("Kernel"), recorded(a.machine.kernel), recorded(b.machine.kernel));
    QStringList keys = a.machine.versions.keys() + b.machine.versions.keys();
    keys.removeDuplicates();
    keys.sort();
    for (const QString &key : std::as_const(keys))
        differ(key, recorded(a.machine.versions.value(key)), recorded(b.machine.versions.value(key)));

    const sa::bench::BenchmarkPlan &p = a.plan, &q = b.plan;
    differ(QStringLiteral("Load"), rateText(p.openLoopRate), rateText(q.openLoopRate));
    differ(QStringLiteral("Rounds per cell"), QString::number(p.rounds), QString::number(q.rounds));
    differ(QStringLiteral("Warm-up"), sa::fmt::seconds(p.warmupSeconds), sa::fmt::seconds(q.warmupSeconds));
    differ(QStringLiteral("Measured window"), sa::fmt::seconds(p.durationSeconds),
        sa::fmt::seconds(q.durationSeconds));
    differ(QStringLiteral("Request timeout"), sa::fmt::seconds(p.timeoutSeconds),
        sa::fmt::seconds(q.timeoutSeconds));
    const auto both
        = [&](sa::bench::Scenario s) { return p.scenarios.contains(s) && q.scenarios.contains(s); };
    if (both(sa::bench::Scenario::Io))
        differ(QStringLiteral("io scenario's wait"), QStringLiteral("%1 ms").arg(p.ioMilliseconds),
            QStringLiteral("%1 ms").arg(q.ioMilliseconds));
    if (both(sa::bench::Scenario::Cpu))
        differ(QStringLiteral("cpu scenario's n"), QString::number(p.cpuN), QString::number(q.cpuN));
    if (both(sa::bench::Scenario::Queries))
        differ(
            QStringLiteral("queries scenario's n"), QString::number(p.queriesN), QString::number(q.queriesN));

    // The cells' own settings, grouped: "Load generator with nothing to do: not
    // recorded → polled while its CPU was its own (8 cells)".
    struct Change
    {
        QString what, from, to;
        int cells = 0;
    };
    QList<Change> changes;
    const auto cellDiffer = [&changes](const QString &what, const QString &x, const QString &y) {
        if (x == y)
            return;
        for (Change &c : changes) {
            if (c.what == what && c.from == x && c.to == y) {
                ++c.cells;
                return;
            }
        }
        changes.append({ what, x, y, 1 });
    };
    for (const TargetResult &x : a.targets) {
        const auto y = std::find_if(b.targets.cbegin(), b.targets.cend(), [&x](const TargetResult &t) {
            return t.targetId == x.targetId && t.scenario == x.scenario && t.connections == x.connections;
        });
        if (y == b.targets.cend())
            continue;
        cellDiffer(QStringLiteral("Server CPUs"), recorded(x.serverCpus), recorded(y->serverCpus));
        cellDiffer(QStringLiteral("Workers"), QString::number(x.workers), QString::number(y->workers));
        cellDiffer(QStringLiteral("Load generator CPUs"), recorded(x.loadCpus), recorded(y->loadCpus));
        cellDiffer(QStringLiteral("Load generator threads"), QString::number(x.loadThreads),
            QString::number(y->loadThreads));
        cellDiffer(QStringLiteral("Load generator with nothing to do"), loadIdleText(x.loadIdle),
            loadIdleText(y->loadIdle));
    }
    for (const Change &c : std::as_const(changes))
        lines << QStringLiteral("%1: %2 → %3 (%4)")
                     .arg(c.what, c.from, c.to,
                         c.cells == 1 ? QStringLiteral("1 cell") : QStringLiteral("%1 cells").arg(c.cells));
    return lines;
}

std::optional<RunComparison> ResultStore::compare(qint64 a, qint64 b, QString *error) const
{
    const auto runA = load(a, error);
    if (!runA)
        return std::nullopt;
    const auto runB = load(b, error);
    if (!runB)
        return std::nullopt;
    RunComparison comparison;
    comparison.a = summarize(*runA);
    comparison.b = summarize(*runB);
    const auto sameCell = [](const TargetResult &x, const CellComparison &c) {
        return x.targetId == c.targetId && x.scenario == c.scenario && x.connections == c.connections;
    };
    const auto completed = [](const TargetResult &t) { return t.status == TargetStatus::Completed; };
    for (const TargetResult &t : runA->targets) {
        CellComparison cell;
        cell.targetId = t.targetId;
        cell.scenario = t.scenario;
        cell.connections = t.connections;
        cell.inA = completed(t);
        cell.requestsPerSecondA = t.requestsPerSecond;
        cell.p99UsA = t.latency.p99Us;
        cell.peakPssBytesA = t.memory.peakPssBytes;
        comparison.cells.append(cell);
    }
    for (const TargetResult &t : runB->targets) {
        auto it = std::find_if(comparison.cells.begin(), comparison.cells.end(),
            [&](const CellComparison &c) { return sameCell(t, c); });
        if (it == comparison.cells.end()) {
            CellComparison cell;
            cell.targetId = t.targetId;
            cell.scenario = t.scenario;
            cell.connections = t.connections;
            comparison.cells.append(cell);
            it = comparison.cells.end() - 1;
        }
        it->inB = completed(t);
        it->requestsPerSecondB = t.requestsPerSecond;
        it->p99UsB = t.latency.p99Us;
        it->peakPssBytesB = t.memory.peakPssBytes;
    }
    for (CellComparison &cell : comparison.cells) {
        if (!cell.inA || !cell.inB)
            continue;
        cell.requestsPerSecondChangePercent = changePercent(cell.requestsPerSecondA, cell.requestsPerSecondB);
        cell.p99ChangePercent = changePercent(cell.p99UsA, cell.p99UsB);
        cell.peakPssChangePercent = changePercent(double(cell.peakPssBytesA), double(cell.peakPssBytesB));
    }
    comparison.differences = runDifferences(*runA, *runB);
    return comparison;
}

} // namespace sa::store
