#include "postgrescluster.h"

#include "platform/processcontrol.h"
#include "platform/procfs.h"
#include "serverprocess.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTimer>
#include <QVersionNumber>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

namespace sa::bench {

namespace {

constexpr int kPollIntervalMs = 50;
constexpr int kWatchIntervalMs = 1000;
constexpr int kPortAttempts = 3;
// sun_path holds 108 bytes with its NUL; PostgreSQL adds "/.s.PGSQL.<port>".
constexpr int kMaxSocketPath = 107;
const char kSocketName[] = "/.s.PGSQL.65535";

// Written at creation: the folder is a cluster this app made and may rewrite.
const QString kMarkerFile = QStringLiteral("STACKADVISOR_CLUSTER");
// Rewritten at every start, included from postgresql.conf.
const QString kConfigFile = QStringLiteral("stackadvisor.conf");
const QString kSuperuser = QStringLiteral("postgres");
const QString kDatabase = QStringLiteral("hello_world");
const QString kDatabaseUser = QStringLiteral("benchmarkdbuser");

struct Setting
{
    const char *name;
    const char *value;
    const char *why;
};

// The benchmark box's settings, beside the addresses and port of each start.
// TechEmpower's are from its toolset/databases/postgres/postgresql.conf.
const Setting kBenchmarkSettings[] = {
    { "cluster_name", "stackadvisor", "shows in ps as postgres: stackadvisor: <process>" },
    { "max_connections", "2000",
        "TechEmpower's value: room for any server's pools (up to WORKERS x pool size) on a large machine" },
    { "shared_buffers", "128MB", "PostgreSQL's default; the whole data set (under 2 MB) fits in it" },
    { "synchronous_commit", "off", "TechEmpower's value; the scenarios only read" },
    { "jit", "off", "compiling these one-row queries would only add latency" },
    { "shared_preload_libraries", "pg_stat_statements",
        "counts the statements each scenario ran, as TechEmpower's verification does" },
    { "pg_stat_statements.track", "all", "TechEmpower's value" },
    { "logging_collector", "off", "the log goes to stderr, into Stack Advisor's log file" },
    { "log_min_messages", "warning", "only what needs attention" },
    { "log_line_prefix", "%m [%p] ", "time and pid on every line" },
};

// Access as the class comment says: the superuser only on the socket in the
// 0700 data folder, the servers' read-only user on 127.0.0.1. Trusting the
// superuser on TCP would let any local user run programs as the cluster's
// owner (COPY ... TO PROGRAM).
const char kHbaConf[] = "# Written by Stack Advisor (core/bench/postgrescluster.h): the superuser only\n"
                        "# on the Unix socket in this folder (mode 0700), the servers' read-only user\n"
                        "# on 127.0.0.1. Nothing else may connect.\n"
                        "# TYPE  DATABASE     USER             ADDRESS       METHOD\n"
                        "local   all          postgres                       trust\n"
                        "host    hello_world  benchmarkdbuser  127.0.0.1/32  trust\n";

// Run by psql at every start: prints the server's version, then loads
// TechEmpower's schema and rows (toolset/databases/postgres/create-postgres.sql,
// lower-case names only) unless a complete earlier seed is there. The comment
// on the database, set last, is what marks the seed complete, so a seed cut
// short is redone from scratch.
const char kSeedScript[] = R"sql(SET client_min_messages = warning;
SELECT current_setting('server_version');
SELECT NOT EXISTS (SELECT 1 FROM pg_database
                   WHERE datname = 'hello_world'
                     AND shobj_description(oid, 'pg_database') = 'stackadvisor seed 1') AS need_seed \gset
\if :need_seed
DROP DATABASE IF EXISTS hello_world;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'benchmarkdbuser') THEN
    CREATE ROLE benchmarkdbuser LOGIN;
  END IF;
END $$;
CREATE DATABASE hello_world TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C';
\connect hello_world
BEGIN;
CREATE EXTENSION pg_stat_statements;
CREATE TABLE world (
  id integer NOT NULL PRIMARY KEY,
  randomnumber integer NOT NULL DEFAULT 0
);
INSERT INTO world (id, randomnumber)
SELECT x, least(floor(random() * 10000 + 1), 10000) FROM generate_series(1, 10000) AS x;
CREATE TABLE fortune (
  id integer NOT NULL PRIMARY KEY,
  message varchar(2048) NOT NULL
);
INSERT INTO fortune (id, message) VALUES
  (1, 'fortune: No such file or directory'),
  (2, 'A computer scientist is someone who fixes things that aren''t broken.'),
  (3, 'After enough decimal places, nobody gives a damn.'),
  (4, 'A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1'),
  (5, 'A computer program does what you tell it to do, not what you want it to do.'),
  (6, 'Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen'),
  (7, 'Any program that runs right is obsolete.'),
  (8, 'A list is only as strong as its weakest link. — Donald Knuth'),
  (9, 'Feature: A bug with seniority.'),
  (10, 'Computers make very fast, very accurate mistakes.'),
  (11, '<script>alert("This should not be displayed in a browser alert box.");</script>'),
  (12, 'フレームワークのベンチマーク');
GRANT SELECT ON world, fortune TO benchmarkdbuser;
COMMIT;
VACUUM ANALYZE world, fortune;
\connect postgres
COMMENT ON DATABASE hello_world IS 'stackadvisor seed 1';
\echo seeded
\endif
)sql";

QString quoted(const QString &value)
{
    return QLatin1Char('\'') + QString(value).replace(QLatin1Char('\''), QLatin1String("''"))
        + QLatin1Char('\'');
}

// The owner marker in a process's environment ("" when it has none). The
// postmaster keeps its environment intact; its children overwrite it with
// their process titles, which is why leftovers are found by their postmaster.
QString ownerMarkerOf(int pid)
{
    const QByteArray prefix = platform::ownerVariableName().toLatin1() + '=';
    const QList<QByteArray> entries = platform::readEnviron(pid).split('\0');
    for (const QByteArray &entry : entries) {
        if (entry.startsWith(prefix))
            return QString::fromLatin1(entry.mid(prefix.size()));
    }
    return {};
}

bool ownerIsRunning(const QString &marker)
{
    const int pid = marker.section(QLatin1Char(':'), 0, 0).toInt();
    const auto stat = platform::readStat(pid);
    return platform::isAlive(pid) && stat
        && QString::number(stat->startTimeTicks) == marker.section(QLatin1Char(':'), 1);
}

// Whether pid is a PostgreSQL process whose working directory is folder (the
// postmaster and all its children chdir to the data folder).
bool runsOn(int pid, const QString &folder)
{
    QFile comm(QStringLiteral("/proc/%1/comm").arg(pid));
    if (!comm.open(QIODevice::ReadOnly) || !comm.readAll().startsWith("postgres"))
        return false;
    const QString cwd = QFileInfo(QStringLiteral("/proc/%1/cwd").arg(pid)).symLinkTarget();
    return !cwd.isEmpty() && cwd == QFileInfo(folder).canonicalFilePath();
}

// The lines of postmaster.pid: pid, data folder, start time, port, socket
// folder, listen address, shared memory key, status ("ready" once it accepts
// connections).
QStringList lockFileLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLocal8Bit(file.readAll()).split(QLatin1Char('\n'));
}

bool isEmptyFolder(const QString &path)
{
    return QDir(path).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
}

// Creates the missing folders of path with mode 0755 whatever the umask, so
// that the service user can pass through what the app creates for it.
bool makeSearchablePath(const QString &path, QString *reason)
{
    QString current;
    const QStringList parts = QDir::cleanPath(path).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        current += QLatin1Char('/') + part;
        const QByteArray native = QFile::encodeName(current);
        if (::mkdir(native.constData(), 0755) == 0) {
            ::chmod(native.constData(), 0755);
        } else if (errno != EEXIST) {
            *reason = QStringLiteral("cannot create the folder %1: %2")
                          .arg(current, QString::fromLocal8Bit(strerror(errno)));
            return false;
        }
    }
    return true;
}

QString lastLines(const QString &path, int count)
{
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly))
        return QStringLiteral("(no log)");
    if (file.size() > 16384)
        file.seek(file.size() - 16384);
    QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    while (!lines.isEmpty() && lines.constLast().trimmed().isEmpty())
        lines.removeLast();
    if (lines.isEmpty())
        return QStringLiteral("(the log is empty)");
    return lines.mid(qMax<qsizetype>(0, lines.size() - count)).join(QLatin1Char('\n'));
}

} // namespace

PostgresCluster::PostgresCluster(QObject *parent)
    : QObject(parent)
    , m_pollTimer(new QTimer(this))
    , m_deadline(new QTimer(this))
    , m_killTimer(new QTimer(this))
    , m_watchTimer(new QTimer(this))
{
    m_pollTimer->setInterval(kPollIntervalMs);
    connect(m_pollTimer, &QTimer::timeout, this, &PostgresCluster::pollReady);
    m_deadline->setSingleShot(true);
    connect(m_deadline, &QTimer::timeout, this, [this] {
        const QString what = m_phase == Phase::Creating ? QStringLiteral("initdb did not finish")
            : m_phase == Phase::Seeding                 ? QStringLiteral("psql did not finish seeding")
                                        : QStringLiteral("PostgreSQL did not accept connections");
        fail(m_phase == Phase::Seeding ? Failure::SeedFailed : Failure::StartFailed,
            QStringLiteral("%1 within %2 s. Last lines of its log (%3):\n%4")
                .arg(what)
                .arg(m_settings.readyTimeoutMs / 1000.0)
                .arg(m_settings.logPath, lastLogLines()));
    });
    m_killTimer->setSingleShot(true);
    connect(m_killTimer, &QTimer::timeout, this, [this] {
        appendLog(QStringLiteral("fast shutdown took longer than %1 s: killing every process")
                      .arg(m_settings.stopGraceMs / 1000.0));
        endCluster([this] {
            m_phase = Phase::Idle;
            Q_EMIT stopped();
        });
    });
    m_watchTimer->setInterval(kWatchIntervalMs);
    connect(m_watchTimer, &QTimer::timeout, this, &PostgresCluster::watch);
}

PostgresCluster::~PostgresCluster()
{
    stopTimers();
    if (m_helper) {
        m_helper->disconnect(this);
        platform::signalGroup(pid_t(m_helper->processId()), SIGKILL);
        m_helper->waitForFinished(2000);
    }
    if (m_postgres) {
        m_postgres->disconnect(this);
        const int postmaster = int(m_postgres->processId());
        if (postmaster > 0) // kill(0, …) would signal this very process group
            ::kill(postmaster, SIGSTOP); // no new child between the snapshot and the kill
        const QList<Member> tree = m_tree + snapshot(postmaster);
        for (const Member &member : tree) {
            const auto stat = platform::readStat(member.pid);
            if (stat && stat->startTimeTicks == member.startTicks)
                ::kill(member.pid, SIGKILL);
        }
        m_postgres->waitForFinished(2000);
    }
}

QList<PostgresCluster::Member> PostgresCluster::snapshot(int postmaster)
{
    QList<Member> members;
    const QList<int> tree = platform::processTree(postmaster);
    for (int pid : tree) {
        if (const auto stat = platform::readStat(pid))
            members.append({ pid, stat->startTimeTicks });
    }
    return members;
}

QString PostgresCluster::superuser()
{
    return kSuperuser;
}

QString PostgresCluster::databaseName()
{
    return kDatabase;
}

QString PostgresCluster::databaseUser()
{
    return kDatabaseUser;
}

QString PostgresCluster::defaultDataFolder()
{
    if (geteuid() == 0)
        return QStringLiteral("/var/lib/stackadvisor/postgresql");
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)
        + QLatin1String("/postgresql");
}

bool PostgresCluster::isRunning() const
{
    return m_postgres && m_postgres->state() != QProcess::NotRunning;
}

bool PostgresCluster::isReady() const
{
    return m_phase == Phase::Ready;
}

qint64 PostgresCluster::pid() const
{
    return m_postgres ? m_postgres->processId() : 0;
}

QString PostgresCluster::databaseUrl() const
{
    return QStringLiteral("postgres://%1@127.0.0.1:%2/%3?sslmode=disable")
        .arg(kDatabaseUser)
        .arg(m_port)
        .arg(kDatabase);
}

QString PostgresCluster::lastLogLines(int count) const
{
    return lastLines(m_settings.logPath, count);
}

void PostgresCluster::appendLog(const QString &line) const
{
    QFile file(m_settings.logPath);
    if (!m_settings.logPath.isEmpty() && file.open(QIODevice::WriteOnly | QIODevice::Append))
        file.write(QStringLiteral("stackadvisor: %1\n").arg(line).toUtf8());
}

void PostgresCluster::stopTimers()
{
    m_pollTimer->stop();
    m_deadline->stop();
    m_killTimer->stop();
    m_watchTimer->stop();
}

void PostgresCluster::start(const Settings &settings)
{
    if (m_phase != Phase::Idle) {
        QTimer::singleShot(0, this, [this] {
            Q_EMIT failed(Failure::AlreadyRunning,
                QStringLiteral("this cluster (%1) is already started; stop() it first")
                    .arg(m_settings.dataFolder));
        });
        return;
    }
    m_settings = settings;
    m_settings.dataFolder = settings.dataFolder.isEmpty()
        ? QString()
        : QDir::cleanPath(QFileInfo(settings.dataFolder).absoluteFilePath());
    if (m_settings.logPath.isEmpty() && !m_settings.dataFolder.isEmpty())
        m_settings.logPath = m_settings.dataFolder + QLatin1String(".log");
    m_phase = Phase::Preparing;
    ++m_run;
    m_created = false;
    m_seeded = false;
    m_attempt = 0;
    m_port = 0;
    m_version.clear();
    m_configuration.clear();
    m_tree.clear();
    // Failures are reported from the event loop, never from inside start().
    QTimer::singleShot(0, this, [this, run = m_run] {
        if (run == m_run)
            prepare();
    });
}

void PostgresCluster::prepare()
{
    const QString folder = m_settings.dataFolder;
    if (folder.isEmpty()) {
        fail(Failure::DataFolderUnusable, QStringLiteral("no data folder given for the PostgreSQL cluster"));
        return;
    }
    if (!m_settings.logPath.isEmpty()) {
        QString reason;
        if (!makeSearchablePath(QFileInfo(m_settings.logPath).absolutePath(), &reason)) {
            fail(Failure::DataFolderUnusable, reason);
            return;
        }
        QFile log(m_settings.logPath);
        if (log.open(QIODevice::WriteOnly | QIODevice::Truncate))
            log.write(QStringLiteral("stackadvisor: starting the cluster in %1 at %2\n")
                          .arg(folder, QDateTime::currentDateTime().toString(Qt::ISODate))
                          .toUtf8());
    }
    QString reason;
    if (!findBinaries(&reason)) {
        fail(Failure::NotInstalled, reason);
        return;
    }
    if (!resolveIdentity(&reason)) {
        fail(Failure::NotInstalled, reason);
        return;
    }
    if (QFile::encodeName(folder).size() + int(sizeof(kSocketName)) - 1 > kMaxSocketPath) {
        fail(Failure::DataFolderUnusable,
            QStringLiteral(
                "the data folder %1 is too long a path for PostgreSQL's Unix socket in it (a socket path "
                "holds at most %2 bytes): choose a data folder of at most %3 bytes")
                .arg(folder)
                .arg(kMaxSocketPath)
                .arg(kMaxSocketPath - int(sizeof(kSocketName)) + 1));
        return;
    }
    const QString unreachable = unreachableReason(QFileInfo(folder).absolutePath());
    if (!unreachable.isEmpty()) {
        fail(Failure::DataFolderUnusable, unreachable);
        return;
    }

    const QFileInfo info(folder);
    if (info.exists() && !info.isDir()) {
        fail(Failure::DataFolderUnusable,
            QStringLiteral(
                "the data folder %1 is a file, not a folder: remove it or choose another data folder")
                .arg(folder));
        return;
    }
    if (info.exists() && (!info.isReadable() || !info.isExecutable())) {
        fail(Failure::DataFolderUnusable,
            QStringLiteral(
                "the data folder %1 belongs to the user '%2' and this user cannot open it: choose a data "
                "folder of your own")
                .arg(folder, info.owner()));
        return;
    }
    const bool hasVersion = QFileInfo::exists(folder + QLatin1String("/PG_VERSION"));
    const bool ours = QFileInfo::exists(folder + QLatin1Char('/') + kMarkerFile);
    if (!info.exists() || isEmptyFolder(folder)) {
        create();
    } else if (ours && hasVersion && info.ownerId() != m_runAs.uid) {
        fail(Failure::DataFolderUnusable,
            QStringLiteral(
                "the cluster in %1 belongs to the user '%2', but PostgreSQL runs as '%3' here: choose a "
                "data folder of your own")
                .arg(folder, info.owner(), m_runAs.name));
    } else if (ours && hasVersion) {
        recoverLeftover();
    } else if (ours) {
        fail(Failure::DataFolderDamaged,
            QStringLiteral(
                "the cluster in %1 is damaged (its PG_VERSION file is missing): delete the folder %1 and "
                "start again; a new cluster is created and seeded (it holds only generated benchmark data)")
                .arg(folder));
    } else if (hasVersion) {
        fail(Failure::DataFolderUnusable,
            QStringLiteral(
                "%1 holds a PostgreSQL cluster that Stack Advisor did not create, and it leaves it "
                "alone: choose another data folder")
                .arg(folder));
    } else {
        fail(Failure::DataFolderUnusable,
            QStringLiteral(
                "the data folder %1 is not empty and holds no PostgreSQL cluster: choose an empty or new "
                "folder")
                .arg(folder));
    }
}

bool PostgresCluster::findBinaries(QString *reason)
{
    const auto complete = [](const QString &dir) {
        for (const char *name : { "initdb", "postgres", "psql" }) {
            if (!QFileInfo(dir + QLatin1Char('/') + QLatin1String(name)).isExecutable())
                return false;
        }
        return true;
    };
    m_binDir.clear();
    if (!m_settings.binDir.isEmpty()) {
        if (complete(m_settings.binDir)) {
            m_binDir = m_settings.binDir;
            return true;
        }
        *reason = QStringLiteral(
            "PostgreSQL is not installed in %1: no initdb, postgres and psql there. Point the "
            "PostgreSQL folder at its bin/, or leave it empty to use Debian's postgresql-15 "
            "(installer/deps.sh installs it; or apt-get install postgresql-15)")
                      .arg(m_settings.binDir);
        return false;
    }
    // Debian keeps each major version's server programs off PATH.
    QList<QPair<QVersionNumber, QString>> versions;
    const QStringList majors
        = QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &major : majors)
        versions.append(
            { QVersionNumber::fromString(major), QStringLiteral("/usr/lib/postgresql/%1/bin").arg(major) });
    std::sort(
        versions.begin(), versions.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    for (const auto &[version, dir] : std::as_const(versions)) {
        if (complete(dir)) {
            m_binDir = dir;
            return true;
        }
    }
    const QString initdb = QStandardPaths::findExecutable(QStringLiteral("initdb"));
    if (!initdb.isEmpty()) {
        const QString dir = QFileInfo(QFileInfo(initdb).canonicalFilePath()).absolutePath();
        if (complete(dir)) {
            m_binDir = dir;
            return true;
        }
    }
    *reason = QStringLiteral(
        "PostgreSQL is not installed: no initdb in /usr/lib/postgresql/<version>/bin nor on PATH. "
        "Install Debian's postgresql-15: run installer/deps.sh (or apt-get install postgresql-15)");
    return false;
}

bool PostgresCluster::resolveIdentity(QString *reason)
{
    m_runAs = {};
    m_runAs.uid = geteuid();
    m_runAs.gid = getegid();
    if (m_runAs.uid != 0) {
        const passwd *self = getpwuid(m_runAs.uid);
        m_runAs.name = self ? QString::fromLocal8Bit(self->pw_name) : QString::number(m_runAs.uid);
        return true;
    }
    const QByteArray user = m_settings.serviceUser.toLocal8Bit();
    const passwd *service = getpwnam(user.constData());
    if (!service || service->pw_uid == 0) {
        *reason = QStringLiteral(
            "PostgreSQL refuses to run as root, and there is no user '%1' to run it as: install "
            "postgresql-15 (its postgresql-common creates the 'postgres' system user; run "
            "installer/deps.sh), or run Stack Advisor as a normal user")
                      .arg(m_settings.serviceUser);
        return false;
    }
    m_runAs.drop = true;
    m_runAs.uid = service->pw_uid;
    m_runAs.gid = service->pw_gid;
    m_runAs.name = m_settings.serviceUser;
    int count = 32;
    std::vector<gid_t> groups(static_cast<size_t>(count));
    if (getgrouplist(user.constData(), service->pw_gid, groups.data(), &count) < 0) {
        groups.resize(size_t(count));
        getgrouplist(user.constData(), service->pw_gid, groups.data(), &count);
    }
    groups.resize(size_t(qMax(count, 0)));
    m_runAs.groups = groups;
    return true;
}

QString PostgresCluster::unreachableReason(const QString &path) const
{
    if (!m_runAs.drop)
        return {};
    const auto searchable = [this](const struct stat &st) {
        if (st.st_uid == m_runAs.uid)
            return (st.st_mode & S_IXUSR) != 0;
        const bool member = st.st_gid == m_runAs.gid
            || std::find(m_runAs.groups.begin(), m_runAs.groups.end(), st.st_gid) != m_runAs.groups.end();
        return (st.st_mode & (member ? S_IXGRP : S_IXOTH)) != 0;
    };
    QString current = QStringLiteral("/");
    const QStringList parts = QDir::cleanPath(path).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (qsizetype i = 0; i <= parts.size(); ++i) {
        struct stat st;
        if (::stat(QFile::encodeName(current).constData(), &st) != 0)
            break; // the rest is created with mode 0755
        if (!searchable(st)) {
            return QStringLiteral(
                "PostgreSQL refuses to run as root, so Stack Advisor runs it as the user '%1', who "
                "cannot reach %2: %3 is not searchable by that user (mode %4). Choose a data folder "
                "outside %3 (as root the default is %5)")
                .arg(m_runAs.name, m_settings.dataFolder, current)
                .arg(QString::number(st.st_mode & 07777, 8).rightJustified(4, QLatin1Char('0')),
                    defaultDataFolder());
        }
        if (i < parts.size())
            current = (current == QLatin1String("/") ? current : current + QLatin1Char('/')) + parts.at(i);
    }
    return {};
}

QProcess *PostgresCluster::newChild(const QString &program, const QStringList &arguments, bool asServiceUser)
{
    auto *process = new QProcess(this);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // The user's PGHOST, PGPORT, PGDATA… must not redirect initdb, postgres or psql.
    const QStringList keys = environment.keys();
    for (const QString &key : keys) {
        if (key.startsWith(QLatin1String("PG")))
            environment.remove(key);
    }
    environment.insert(QStringLiteral("LC_ALL"), QStringLiteral("C")); // messages the log checks can read
    environment.insert(QStringLiteral("PGCLIENTENCODING"), QStringLiteral("UTF8")); // psql: the seed is UTF-8
    environment.insert(platform::ownerVariableName(), platform::ownerMarker());
    process->setProcessEnvironment(environment);
    process->setProgram(program);
    process->setArguments(arguments);
    // The service user may not be able to enter this process's working folder.
    process->setWorkingDirectory(QStringLiteral("/"));
    process->setStandardInputFile(QProcess::nullDevice());

    // The postmaster gets SIGQUIT when the app dies: an immediate shutdown, in
    // which it ends its children itself (SIGKILL after 5 s) and then exits.
    const bool postmaster = program.endsWith(QLatin1String("/postgres"));
    const platform::ChildSetup setup
        = platform::makeChildSetup(m_settings.cpus, postmaster ? SIGQUIT : SIGKILL);
    const Identity identity = asServiceUser ? m_runAs : Identity {};
    process->setChildProcessModifier([setup, identity] {
        // Credentials first: changing them clears the parent-death signal,
        // which applyInChild then sets.
        if (identity.drop
            && (::setgroups(identity.groups.size(), identity.groups.data()) != 0
                || ::setgid(identity.gid) != 0 || ::setuid(identity.uid) != 0))
            _exit(126);
        platform::applyInChild(setup);
    });
    return process;
}

bool PostgresCluster::writeOwnedFile(const QString &path, const QByteArray &content, QString *reason) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size() || !file.commit()) {
        *reason = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    const QByteArray native = QFile::encodeName(path);
    ::chmod(native.constData(), 0600);
    if (m_runAs.drop && ::chown(native.constData(), m_runAs.uid, m_runAs.gid) != 0) {
        *reason = QStringLiteral("cannot give %1 to the user '%2': %3")
                      .arg(path, m_runAs.name, QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    return true;
}

void PostgresCluster::create()
{
    m_phase = Phase::Creating;
    const QString folder = m_settings.dataFolder;
    // initdb writes into a sibling that is renamed when complete: a creation cut
    // short never looks like a cluster.
    const QString staging = folder + QLatin1String(".creating");
    QDir(staging).removeRecursively();
    QString reason;
    if (!makeSearchablePath(QFileInfo(folder).absolutePath(), &reason)) {
        fail(Failure::DataFolderUnusable, reason + QLatin1String(": choose a data folder you can write to"));
        return;
    }
    const QByteArray native = QFile::encodeName(staging);
    if (::mkdir(native.constData(), 0700) != 0
        || (m_runAs.drop && ::chown(native.constData(), m_runAs.uid, m_runAs.gid) != 0)) {
        fail(Failure::DataFolderUnusable,
            QStringLiteral("cannot create the data folder %1 (%2): choose a data folder you can write to")
                .arg(staging, QString::fromLocal8Bit(strerror(errno))));
        return;
    }
    appendLog(QStringLiteral("creating the cluster with %1/initdb").arg(m_binDir));
    QProcess *initdb = newChild(m_binDir + QLatin1String("/initdb"),
        { QStringLiteral("-D"), staging, QStringLiteral("-U"), kSuperuser, QStringLiteral("--auth=trust"),
            QStringLiteral("--encoding=UTF8"), QStringLiteral("--no-locale") },
        true);
    initdb->setProcessChannelMode(QProcess::MergedChannels);
    initdb->setStandardOutputFile(m_settings.logPath, QIODevice::Append);
    m_helper = initdb;
    connect(initdb, &QProcess::errorOccurred, this, [this, initdb](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart && initdb == m_helper)
            fail(Failure::NotInstalled,
                QStringLiteral("could not start %1: %2").arg(initdb->program(), initdb->errorString()));
    });
    connect(initdb, &QProcess::finished, this, [this, initdb](int exitCode, QProcess::ExitStatus status) {
        if (initdb != m_helper)
            return;
        m_deadline->stop();
        m_helper = nullptr;
        initdb->deleteLater();
        if (status != QProcess::NormalExit || exitCode != 0) {
            fail(Failure::DataFolderUnusable,
                QStringLiteral("initdb could not create the cluster in %1 (exit code %2). Last lines of its "
                               "log (%3):\n%4")
                    .arg(m_settings.dataFolder)
                    .arg(exitCode)
                    .arg(m_settings.logPath, lastLogLines()));
            return;
        }
        onCreated();
    });
    initdb->start();
    m_deadline->start(m_settings.readyTimeoutMs);
}

void PostgresCluster::onCreated()
{
    const QString folder = m_settings.dataFolder;
    const QString staging = folder + QLatin1String(".creating");
    QString reason;
    QFile conf(staging + QLatin1String("/postgresql.conf"));
    QByteArray defaults;
    if (conf.open(QIODevice::ReadOnly))
        defaults = conf.readAll();
    conf.close();
    const QByteArray include
        = "\n# Stack Advisor's settings, rewritten at every start of the cluster\ninclude = '"
        + kConfigFile.toUtf8() + "'\n";
    const QByteArray marker
        = "Created by Stack Advisor for its database scenarios. Everything in this folder is "
          "generated: delete the folder to have a new cluster created and seeded.\n";
    if (defaults.isEmpty() || !writeOwnedFile(conf.fileName(), defaults + include, &reason)
        || !writeOwnedFile(staging + QLatin1String("/pg_hba.conf"), kHbaConf, &reason)
        || !writeOwnedFile(staging + QLatin1Char('/') + kMarkerFile, marker, &reason)) {
        fail(Failure::DataFolderUnusable,
            reason.isEmpty() ? QStringLiteral("initdb wrote no postgresql.conf in %1").arg(staging) : reason);
        return;
    }
    if (QFileInfo::exists(folder))
        QDir().rmdir(folder); // empty: checked before creating
    if (::rename(QFile::encodeName(staging).constData(), QFile::encodeName(folder).constData()) != 0) {
        fail(Failure::DataFolderUnusable,
            QStringLiteral("cannot rename %1 to %2: %3")
                .arg(staging, folder, QString::fromLocal8Bit(strerror(errno))));
        return;
    }
    m_created = true;
    launch();
}

void PostgresCluster::recoverLeftover()
{
    const QString folder = m_settings.dataFolder;
    QStringList locks { folder + QLatin1String("/postmaster.pid") };
    const QStringList socketLocks = QDir(folder).entryList(
        { QStringLiteral(".s.PGSQL.*.lock") }, QDir::Files | QDir::Hidden | QDir::System);
    for (const QString &name : socketLocks)
        locks.append(folder + QLatin1Char('/') + name);
    const auto removeLocks = [locks] {
        for (const QString &lock : locks)
            QFile::remove(lock);
    };

    const int postmaster = lockFileLines(locks.constFirst()).value(0).trimmed().toInt();
    if (postmaster <= 0 || !platform::isAlive(postmaster) || !runsOn(postmaster, folder)) {
        // Gone, or its pid now belongs to another program: the lock is stale.
        if (QFileInfo::exists(locks.constFirst()))
            appendLog(QStringLiteral("removing the stale lock of postmaster pid %1 (no longer running)")
                          .arg(postmaster));
        removeLocks();
        launch();
        return;
    }
    const QString marker = ownerMarkerOf(postmaster);
    if (marker.isEmpty()) {
        fail(Failure::AlreadyRunning,
            QStringLiteral(
                "a PostgreSQL that Stack Advisor did not start (postmaster pid %1) runs on %2: stop it "
                "(%3/pg_ctl -D %2 stop -m fast) or choose another data folder")
                .arg(postmaster)
                .arg(folder, m_binDir));
        return;
    }
    if (ownerIsRunning(marker)) {
        fail(Failure::AlreadyRunning,
            QStringLiteral(
                "the cluster in %1 is already running for another Stack Advisor session (its process %2, "
                "postmaster pid %3); two sessions cannot share a cluster: wait until that run ends, or end "
                "that session")
                .arg(folder, marker.section(QLatin1Char(':'), 0, 0))
                .arg(postmaster));
        return;
    }
    // Our own leftover: its session ended without stopping it.
    appendLog(QStringLiteral("ending the leftover cluster of an ended session (postmaster pid %1)")
                  .arg(postmaster));
    ::kill(postmaster, SIGSTOP);
    const QList<Member> tree = snapshot(postmaster);
    for (const Member &member : tree)
        ::kill(member.pid, SIGKILL);
    whenGone(tree, [this, removeLocks, run = m_run] {
        if (run != m_run)
            return;
        removeLocks();
        launch();
    });
}

bool PostgresCluster::writeConfiguration(QString *reason)
{
    m_configuration.clear();
    m_configuration.insert(QStringLiteral("listen_addresses"), QStringLiteral("127.0.0.1"));
    m_configuration.insert(QStringLiteral("port"), QString::number(m_port));
    m_configuration.insert(QStringLiteral("unix_socket_directories"), m_settings.dataFolder);
    QByteArray text = "# Written by Stack Advisor at every start of its private cluster: loopback only,\n"
                      "# this start's port, the socket in the data folder, and a benchmark box's settings.\n"
                      "listen_addresses = '127.0.0.1'\n";
    text += "port = " + QByteArray::number(m_port) + '\n';
    text += "unix_socket_directories = " + quoted(m_settings.dataFolder).toUtf8() + '\n';
    for (const Setting &setting : kBenchmarkSettings) {
        m_configuration.insert(QLatin1String(setting.name), QString::fromUtf8(setting.value));
        text += QByteArray(setting.name) + " = " + quoted(QString::fromUtf8(setting.value)).toUtf8()
            + "    # " + setting.why + '\n';
    }
    return writeOwnedFile(m_settings.dataFolder + QLatin1Char('/') + kConfigFile, text, reason);
}

void PostgresCluster::launch()
{
    m_phase = Phase::Starting;
    ++m_attempt;
    if (m_settings.port > 0) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, quint16(m_settings.port))) {
            fail(Failure::PortTaken,
                QStringLiteral(
                    "port %1 on 127.0.0.1 is in use by another program: choose another port for the "
                    "database, or 0 to let Stack Advisor pick a free one")
                    .arg(m_settings.port));
            return;
        }
        m_port = m_settings.port;
    } else {
        m_port = ServerProcess::findFreePort();
        if (m_port == 0) {
            fail(Failure::PortTaken, QStringLiteral("no free TCP port on 127.0.0.1 for the database"));
            return;
        }
    }
    QString reason;
    if (!writeConfiguration(&reason)) {
        fail(Failure::DataFolderUnusable, reason);
        return;
    }
    appendLog(QStringLiteral("starting postgres on 127.0.0.1:%1 as '%2'").arg(m_port).arg(m_runAs.name));
    QProcess *postgres = newChild(
        m_binDir + QLatin1String("/postgres"), { QStringLiteral("-D"), m_settings.dataFolder }, true);
    postgres->setProcessChannelMode(QProcess::MergedChannels);
    postgres->setStandardOutputFile(m_settings.logPath, QIODevice::Append);
    m_postgres = postgres;
    connect(postgres, &QProcess::errorOccurred, this, [this, postgres](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart && postgres == m_postgres) {
            m_postgres = nullptr;
            postgres->deleteLater();
            fail(Failure::NotInstalled,
                QStringLiteral("could not start %1: %2").arg(postgres->program(), postgres->errorString()));
        }
    });
    connect(postgres, &QProcess::finished, this, [this, postgres] {
        if (postgres == m_postgres)
            onPostgresFinished();
    });
    postgres->start();
    m_pollTimer->start();
    m_deadline->start(m_settings.readyTimeoutMs);
}

void PostgresCluster::pollReady()
{
    if (!m_postgres || m_phase != Phase::Starting)
        return;
    const QStringList lines = lockFileLines(m_settings.dataFolder + QLatin1String("/postmaster.pid"));
    if (lines.size() < 8 || lines.at(0).trimmed().toLongLong() != m_postgres->processId()
        || lines.at(7).trimmed() != QLatin1String("ready"))
        return;
    m_pollTimer->stop();
    m_deadline->stop();
    m_tree = snapshot(int(m_postgres->processId()));
    seed();
}

void PostgresCluster::onPostgresFinished()
{
    const Phase phase = m_phase;
    if (phase == Phase::Stopping) {
        endCluster([this] {
            m_phase = Phase::Idle;
            Q_EMIT stopped();
        });
        return;
    }
    const QString log = lastLogLines(40);
    if (phase == Phase::Ready) {
        const QString reason
            = QStringLiteral("PostgreSQL exited while it was in use. Last lines of its log (%1):\n%2")
                  .arg(m_settings.logPath, lastLogLines());
        stopTimers();
        endCluster([this, reason] {
            m_phase = Phase::Idle;
            Q_EMIT exitedUnexpectedly(reason);
        });
        return;
    }
    const auto says
        = [&log](const char *text) { return log.contains(QLatin1String(text), Qt::CaseInsensitive); };
    if (says("Address already in use")) {
        if (m_settings.port == 0 && m_attempt < kPortAttempts) {
            // Someone took the port between our check and the bind.
            stopTimers();
            endCluster([this, run = m_run] {
                if (run == m_run)
                    launch();
            });
            return;
        }
        fail(Failure::PortTaken,
            QStringLiteral(
                "PostgreSQL could not listen on 127.0.0.1:%1 (in use by another program): choose another "
                "port, or 0 to let Stack Advisor pick a free one")
                .arg(m_port));
        return;
    }
    const QString tail
        = QStringLiteral("Last lines of its log (%1):\n%2").arg(m_settings.logPath, lastLogLines());
    if (says("lock file") && says("already exists")) {
        fail(Failure::AlreadyRunning,
            QStringLiteral("another PostgreSQL holds the cluster in %1. %2")
                .arg(m_settings.dataFolder, tail));
    } else if (says("incompatible with server") || says("pg_control") || says("checkpoint record")
        || says("could not open file") || says("could not open directory") || says("PANIC")) {
        fail(Failure::DataFolderDamaged,
            QStringLiteral(
                "PostgreSQL cannot start on the cluster in %1: its files are damaged or were made by "
                "another PostgreSQL version. Delete the folder %1 and start again: a new cluster is "
                "created and seeded (it holds only generated benchmark data). %2")
                .arg(m_settings.dataFolder, tail));
    } else {
        fail(Failure::StartFailed,
            QStringLiteral("PostgreSQL exited before it accepted connections. %1").arg(tail));
    }
}

void PostgresCluster::seed()
{
    m_phase = Phase::Seeding;
    QProcess *psql = newChild(m_binDir + QLatin1String("/psql"),
        { QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"), QStringLiteral("-t"),
            QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-h"),
            m_settings.dataFolder, QStringLiteral("-p"), QString::number(m_port), QStringLiteral("-U"),
            kSuperuser, QStringLiteral("-d"), QStringLiteral("postgres"), QStringLiteral("-f"),
            QStringLiteral("-") },
        false);
    psql->setStandardInputFile(QString()); // the script comes on stdin
    psql->setStandardErrorFile(m_settings.logPath, QIODevice::Append);
    m_helper = psql;
    connect(psql, &QProcess::started, psql, [psql] {
        psql->write(kSeedScript);
        psql->closeWriteChannel();
    });
    connect(psql, &QProcess::errorOccurred, this, [this, psql](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart && psql == m_helper)
            fail(Failure::NotInstalled,
                QStringLiteral("could not start %1: %2").arg(psql->program(), psql->errorString()));
    });
    connect(psql, &QProcess::finished, this, [this, psql](int exitCode, QProcess::ExitStatus status) {
        if (psql == m_helper)
            onSeedFinished(exitCode, status != QProcess::NormalExit);
    });
    psql->start();
    m_deadline->start(m_settings.readyTimeoutMs);
}

void PostgresCluster::onSeedFinished(int exitCode, bool crashed)
{
    m_deadline->stop();
    QProcess *psql = m_helper;
    m_helper = nullptr;
    const QStringList output
        = QString::fromUtf8(psql->readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    psql->deleteLater();
    if (crashed || exitCode != 0 || output.isEmpty()) {
        fail(Failure::SeedFailed,
            QStringLiteral(
                "psql could not seed the database %1 (exit code %2). Last lines of the log (%3):\n%4")
                .arg(kDatabase)
                .arg(exitCode)
                .arg(m_settings.logPath, lastLogLines()));
        return;
    }
    m_version = output.constFirst().trimmed();
    m_seeded = output.contains(QLatin1String("seeded"));
    appendLog(QStringLiteral("ready: PostgreSQL %1 on 127.0.0.1:%2%3")
                  .arg(m_version)
                  .arg(m_port)
                  .arg(m_seeded ? QStringLiteral(", seeded") : QString()));
    m_phase = Phase::Ready;
    m_tree = snapshot(int(pid()));
    m_watchTimer->start();
    Q_EMIT ready();
}

void PostgresCluster::watch()
{
    if (m_phase != Phase::Ready || !m_postgres)
        return;
    // PostgreSQL itself notices a deleted data folder only once a minute.
    if (!QFileInfo::exists(m_settings.dataFolder + QLatin1String("/postmaster.pid"))) {
        const QString reason
            = QStringLiteral("the data folder %1 (or its postmaster.pid) was deleted while PostgreSQL "
                             "ran on it; the cluster was ended, and the next start creates a new one")
                  .arg(m_settings.dataFolder);
        stopTimers();
        endCluster([this, reason] {
            m_phase = Phase::Idle;
            Q_EMIT exitedUnexpectedly(reason);
        });
        return;
    }
    m_tree = snapshot(int(pid()));
}

void PostgresCluster::stop()
{
    if (m_phase == Phase::Stopping)
        return;
    if (m_phase != Phase::Ready) {
        kill();
        return;
    }
    m_phase = Phase::Stopping;
    m_watchTimer->stop();
    m_tree = snapshot(int(pid()));
    if (pid() > 0)
        ::kill(pid_t(pid()), SIGINT); // fast shutdown: ends the sessions, writes a checkpoint, exits
    m_killTimer->start(m_settings.stopGraceMs);
}

void PostgresCluster::kill()
{
    abort([this] { Q_EMIT stopped(); });
}

void PostgresCluster::fail(Failure failure, const QString &reason)
{
    appendLog(QStringLiteral("failed: %1").arg(reason));
    abort([this, failure, reason] { Q_EMIT failed(failure, reason); });
}

void PostgresCluster::abort(const std::function<void()> &then)
{
    ++m_run;
    stopTimers();
    if (m_helper) {
        m_helper->disconnect(this);
        platform::signalGroup(pid_t(m_helper->processId()), SIGKILL);
        m_helper->deleteLater();
        m_helper = nullptr;
    }
    m_phase = Phase::Stopping;
    endCluster([this, then] {
        m_phase = Phase::Idle;
        then();
    });
}

void PostgresCluster::endCluster(const std::function<void()> &then)
{
    m_killTimer->stop();
    QList<Member> tree = m_tree;
    QPointer<QProcess> postgres = m_postgres;
    if (postgres) {
        postgres->disconnect(this);
        const int postmaster = int(postgres->processId());
        if (postmaster > 0 && platform::isAlive(postmaster)) {
            ::kill(postmaster, SIGSTOP); // no new child between the snapshot and the kill
            tree += snapshot(postmaster);
        }
        m_postgres = nullptr;
    }
    m_tree.clear();
    whenGone(tree, [postgres, then] {
        if (postgres) {
            postgres->waitForFinished(1000); // killed: only its exit status is left to collect
            postgres->deleteLater();
        }
        then();
    });
}

void PostgresCluster::whenGone(const QList<Member> &members, const std::function<void()> &then)
{
    auto *waiter = new QTimer(this);
    waiter->setInterval(20);
    int rounds = 0;
    const auto killLeft = [members] {
        bool left = false;
        for (const Member &member : members) {
            const auto stat = platform::readStat(member.pid);
            if (stat && stat->startTimeTicks == member.startTicks && stat->state != 'Z'
                && stat->state != 'X') {
                left = true;
                ::kill(member.pid, SIGKILL);
            }
        }
        return left;
    };
    killLeft();
    connect(waiter, &QTimer::timeout, this, [waiter, killLeft, rounds, then]() mutable {
        if (killLeft() && ++rounds < 250)
            return;
        waiter->deleteLater();
        then();
    });
    waiter->start();
}

} // namespace sa::bench
