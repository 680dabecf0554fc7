// stackadvisor bench: runs the side-by-side comparison of the sample servers on
// this machine (progress on stderr; the comparison table and the claim check on
// stdout), saves it to the history, and exports JSON/CSV. Also lists, shows,
// compares and deletes past runs.

#include "bench_capacity.h"
#include "cli.h"
#include "commands.h"

#include "bench/benchmarkrunner.h"
#include "bench/cpuassignment.h"
#include "bench/format.h"
#include "bench/locust.h"
#include "bench/machineinfo.h"
#include "bench/planlimits.h"
#include "bench/runcompletion.h"
#include "bench/servercatalog.h"
#include "platform/processcontrol.h"
#include "platform/terminationsignals.h"
#include "store/resultstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QHostAddress>
#include <QRegularExpression>
#include <QUrl>

#include <memory>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace sa::cli {

namespace {

const QString kCommand = u"bench"_s;

QString helpText()
{
    return u"Usage: stackadvisor bench [OPTIONS]\n"
           "       stackadvisor bench --history | --show ID|latest | --compare A,B | --delete ID\n"
           "       stackadvisor bench --export-locust DIR [plan options] | --import-locust DIR|FILE\n"
           "\n"
           "Runs every chosen server on this machine in turn, under the same load, and prints\n"
           "the comparison and how the article's figures hold up. The defaults reproduce the\n"
           "article's setting: the JSON scenario at 1,000 concurrent connections, every\n"
           "available server; each server runs three rounds of 2 s warm-up and a 5 s\n"
           "measured window (round 1 in the order given, round 2 reversed, and so on) and\n"
           "its figures are the median of its rounds. Each server is pinned to its own\n"
           "CPUs, away from the load generator; every setting is recorded.\n"
           "Progress goes to stderr; the table to stdout. Ctrl-C stops cleanly and saves the\n"
           "partial run marked cancelled. One benchmark runs at a time: while another runs,\n"
           "this one says so and waits for it.\n"
           "\n"
           "What to run:\n"
           "  --targets a,b         Server ids (see `stackadvisor servers`); default: all available\n"
           "  --scenario s[,s]      json, plaintext, io, cpu, db, queries, fortunes (default json);\n"
           "                        db, queries and fortunes run on a private PostgreSQL\n"
           "  --connections n[,n]   Concurrent connections (default 1000)\n"
           "  --rounds N            Rounds per server, each on a fresh server (default 3, 1 to 20)\n"
           "  --duration T          Measured window of a round, e.g. 5s, 500ms, 1m (default 5s)\n"
           "  --warmup T            Warm-up before it, not counted (default 2s)\n"
           "  --timeout T           Per-request timeout (default 5s)\n"
           "  --rate R              Open loop at R requests/s (default: closed loop, as wrk)\n"
           "  --io-ms N             GET /io?ms=N for the io scenario (default 50)\n"
           "  --cpu-n N             GET /cpu?n=N for the cpu scenario (default 10000)\n"
           "  --queries-n N         GET /queries?n=N for the queries scenario, 1-500 (default 20)\n"
           "  --workers N           Server processes / GOMAXPROCS for every scenario (default:\n"
           "                        server cores; db, queries, fortunes and io: see --io-workers)\n"
           "  --io-workers RULE     recommended: each server's own recommendation for I/O work,\n"
           "                        e.g. gunicorn's 2 x cores + 1 (default); cores: one per core\n"
           "  --threads N           Load-generator threads (default: load cores)\n"
           "  --server-cpus LIST    e.g. 0 or 0-2 (default: all but max(1, cores/4))\n"
           "  --load-cpus LIST      e.g. 1 or 3 (default: the last max(1, cores/4) cores)\n"
           "  --database-cpus LIST  PostgreSQL's CPUs (default: the load's below 4 cores, else\n"
           "                        max(1, cores/4) of its own)\n"
           "  --database-dir DIR    PostgreSQL's data folder (default: the app's data folder)\n"
           "  --database-port N     PostgreSQL's port on 127.0.0.1 (default: a free one)\n"
           "  --catalog FILE        Also read this user catalog (your own server)\n"
           "  --readiness-timeout T How long a server may take to answer /healthz (default 30s)\n"
           "  --url NAME=URL        Also load a server the app did not start, e.g. one that\n"
           "                        `stackadvisor servers serve` runs on another host (repeatable;\n"
           "                        with --url, only the servers asked for run)\n"
           "  --sampler NAME=URL    Its memory and CPU from servers serve's sampler\n"
           "  --allow-remote        Let --url and --sampler be beyond loopback\n"
           "\n"
           "Where results go:\n"
           "  --json FILE           Write the run as JSON (schema: README, \"Results JSON\")\n"
           "  --csv FILE            Write one row per target as CSV\n"
           "  --pdf OUT             Write the report of the run as a PDF (answers: stackadvisor report)\n"
           "  --db FILE             History database (default: the app's data folder)\n"
           "  --no-save             Do not add the run to the history\n"
           "\n"
           "Beyond one machine (Locust, README \"Beyond one machine\"):\n"
           "  --export-locust DIR   Write the plan as a Locust folder (locustfile, pinned requirements,\n"
           "                        README with the commands for one host and for master + workers)\n"
           "  --import-locust PATH  Read Locust's results back as a run: an export folder, or Locust's\n"
           "                        --json-file JSON or --csv *_stats.csv (saved, exported like a run)\n"
           "\n"
           "History:\n"
           "  --history             List past runs, newest first\n"
           "  --show ID|latest      Print a past run's table and claim check (with --json/--csv: export it)\n"
           "  --compare A,B         Change of each target from run A to run B\n"
           "  --delete ID           Delete a past run\n"
           "\n"
           "Exit codes: 0 every target completed; 1 a target failed (its reason is printed\n"
           "and recorded), the run could not start, the history cannot be opened or take the\n"
           "run (checked first), or an export failed; 2 bad input, nothing was run;\n"
           "130 interrupted (the partial run was saved, marked cancelled).\n"_s;
}

// "10s", "500ms", "1m", "2.5s", "10" (seconds).
std::optional<double> parseSeconds(const QString &text)
{
    struct Unit
    {
        const char *suffix;
        double factor;
    };
    static constexpr Unit kUnits[] = { { "ms", 0.001 }, { "s", 1.0 }, { "m", 60.0 } };
    QString number = text.trimmed();
    double factor = 1.0;
    for (const Unit &unit : kUnits) {
        if (number.endsWith(QLatin1String(unit.suffix))) {
            number.chop(qsizetype(qstrlen(unit.suffix)));
            factor = unit.factor;
            break;
        }
    }
    bool ok = false;
    const double value = number.toDouble(&ok);
    if (!ok || value < 0)
        return std::nullopt;
    return value * factor;
}

std::optional<QList<int>> parseIntList(const QString &text)
{
    QList<int> values;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const int value = part.trimmed().toInt(&ok);
        if (!ok)
            return std::nullopt;
        values << value;
    }
    if (values.isEmpty())
        return std::nullopt;
    return values;
}

// The database scenarios' settings: who got how many workers and why, where
// PostgreSQL ran, its version and pools. Empty for a run without them.
QString databaseSettingsText(const bench::RunResult &run)
{
    QString text;
    QStringList workers;
    for (const bench::TargetResult &t : run.targets) {
        if (t.workerRule == bench::workerRuleId(bench::WorkerRule::Cores) || t.workerRule.isEmpty())
            continue;
        const QString line = u"%1 %2: %3 (%4)"_s.arg(t.targetId, bench::scenarioId(t.scenario))
                                 .arg(t.workers)
                                 .arg(t.workerRuleSource);
        if (!workers.contains(line))
            workers << line;
    }
    if (!workers.isEmpty())
        text += u"Workers other than one per server core:\n"_s + u"- "_s + workers.join(u"\n- "_s) + u'\n';
    if (!run.database)
        return text;
    const bench::DatabaseRecord &db = *run.database;
    text += u"Database: PostgreSQL %1 on 127.0.0.1:%2, %3; data folder %4%5; log %6.\n"_s.arg(
        db.version.isEmpty() ? u"(did not start)"_s : db.version, QString::number(db.port), db.placementText,
        db.dataFolder, db.created ? u" (created by this run)"_s : QString(), db.logPath);
    QStringList pools;
    for (const bench::TargetResult &t : run.targets) {
        if (!t.database || !t.database->client)
            continue;
        const bench::DatabaseClientInfo &c = *t.database->client;
        const QString line = u"%1: %2 %3, %4, %5 connection(s) per pool × %6 (%7)"_s.arg(t.targetId, c.driver,
            c.driverVersion, c.pool, QString::number(c.poolSize), QString::number(c.pools), c.poolSizeSource);
        if (!pools.contains(line))
            pools << line;
    }
    if (!pools.isEmpty())
        text += u"Database clients:\n- "_s + pools.join(u"\n- "_s) + u'\n';
    if (!db.failure.isEmpty())
        text += u"Database problem: "_s + db.failure + u'\n';
    return text;
}

// What the run's analysis says, for a terminal: the table, why cells failed,
// every doubt, the settings, the machine, and the article's claims.
QString runText(const bench::RunAnalysis &analysis)
{
    const bench::RunResult &run = analysis.run();
    QString text = analysis.tableText(bench::ResultView::Cli);
    // Cells by id, as the table names them.
    QStringList warnings = analysis.runWarnings();
    for (const bench::CellAnalysis &cell : analysis.cells()) {
        const bench::TargetResult &t = analysis.result(cell);
        const QString name = analysis.hasManyCellsPerTarget()
            ? u"%1 %2 c%3"_s.arg(t.targetId, bench::scenarioId(t.scenario)).arg(t.connections)
            : t.targetId;
        for (const bench::CellWarning &warning : cell.warnings)
            warnings << name + u": "_s + warning.text;
        // What would help, as the options to pass.
        if (!cell.remedies.isEmpty()) {
            QStringList options;
            for (const bench::Remedy &remedy : cell.remedies)
                options << remedy.option;
            warnings << name + u": to try: "_s + options.join(u" | "_s);
        }
    }
    if (const QString gap = analysis.databaseGap().toText(); !gap.isEmpty())
        text += u"\nJSON vs database (each target's req/s with PostgreSQL in the loop, and its share of its "
                "JSON req/s):\n"_s
            + gap;
    if (!warnings.isEmpty()) {
        text += u"\nWarnings:\n"_s;
        for (const QString &warning : std::as_const(warnings))
            text += u"- "_s + warning + u'\n';
    }
    const bench::BenchmarkPlan &plan = run.plan;
    const QString loop = plan.openLoopRate > 0
        ? u"open loop at %1 req/s"_s.arg(fmt::number(plan.openLoopRate))
        : u"closed loop"_s;
    if (!run.engine.isOwn()) {
        // Read back from another engine: only what it ran under is known.
        text += u"\nSettings (Locust): warm-up %1, window %2, %3, timeout %4, %5.\n"_s.arg(
            fmt::seconds(plan.warmupSeconds), fmt::seconds(plan.durationSeconds), loop,
            fmt::seconds(plan.timeoutSeconds),
            run.engine.workers > 0 ? u"a master and %1 worker processes"_s.arg(run.engine.workers)
                                   : u"one process"_s);
        text += u"Master host: %1.\n"_s.arg(bench::machineSummary(run.machine));
        if (analysis.claimsChecked())
            text += u"\nThe article's claims on this machine:\n"_s
                + bench::ClaimCheck::toText(analysis.claims());
        return text;
    }
    text += u"\nSettings: server CPUs %1, load CPUs %2, workers/GOMAXPROCS %3, load threads %4, %5 round(s) "
            "of warm-up %6 and window %7 (figures: medians over the rounds), %8, timeout %9.\n"_s
                .arg(plan.serverCpus, plan.loadCpus)
                .arg(plan.workers)
                .arg(plan.loadThreads)
                .arg(plan.rounds)
                .arg(fmt::seconds(plan.warmupSeconds), fmt::seconds(plan.durationSeconds), loop,
                    fmt::seconds(plan.timeoutSeconds));
    if (!plan.containment.isEmpty())
        text += u"Each server ran in %1. PSS and RSS are summed over its processes from /proc; \"cgroup\" is "
                "the memory its cgroup was charged, page cache not in use excluded (what a container limit "
                "counts).\n"_s.arg(plan.containmentDetail);
    text += databaseSettingsText(run);
    text += u"Machine: %1; %2.\n"_s.arg(bench::machineSummary(run.machine), run.machine.kernel);
    if (analysis.claimsChecked())
        text += u"\nThe article's claims on this machine:\n"_s
            + bench::ClaimCheck::toText(analysis.claims(), analysis.claimNotes());
    else
        text += u"\nThe claim check is unavailable: "_s + analysis.claimsError() + u'\n';
    return text + capacityText(analysis);
}

bench::RunExports exportsOf(const QCommandLineParser &parser, const QCommandLineOption &json,
    const QCommandLineOption &csv, const QCommandLineOption &pdf, const QCommandLineOption &stepsCsv)
{
    bench::RunExports exports;
    exports.jsonPath = parser.value(json);
    exports.csvPath = parser.value(csv);
    exports.pdfPath = parser.value(pdf);
    exports.stepsCsvPath = parser.value(stepsCsv);
    exports.writePdf = [](const bench::RunAnalysis &analysis, const QString &path, QString *error) {
        return writeRunReport(analysis, path, error);
    };
    return exports;
}

bool printExportErrors(const QStringList &errors)
{
    for (const QString &error : errors)
        printError(kCommand, error);
    return errors.isEmpty();
}

std::optional<qint64> parseRunId(const QString &text, const store::ResultStore &store)
{
    if (text == u"latest"_s)
        return store.latestId();
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    return ok && id > 0 ? std::optional<qint64>(id) : std::nullopt;
}

// ---- history --------------------------------------------------------------

int listHistory(store::ResultStore &store)
{
    QString error;
    const QList<store::RunSummary> runs = store.list(&error);
    if (!error.isEmpty()) {
        printError(kCommand, error);
        return ExitFailure;
    }
    if (runs.isEmpty()) {
        printOut(u"No runs in %1 yet: run `stackadvisor bench`.\n"_s.arg(store.path()));
        return ExitOk;
    }
    QString text = u"%1  %2  %3  %4  %5\n"_s.arg(u"Id"_s, 5)
                       .arg(u"Started (UTC)"_s, -19)
                       .arg(u"Status"_s, -9)
                       .arg(u"Best"_s, -28)
                       .arg(u"Targets"_s);
    for (const store::RunSummary &run : runs) {
        const QString best = run.bestTargetId.isEmpty()
            ? fmt::none()
            : run.bestTargetId + u" "_s + fmt::number(run.bestRequestsPerSecond) + u" req/s"_s;
        QString targets = run.targetIds.join(u',');
        if (run.failedCount > 0)
            targets += u" (%1 failed)"_s.arg(run.failedCount);
        text += u"%1  %2  %3  %4  %5\n"_s.arg(run.id, 5)
                    .arg(run.startedAt.toUTC().toString(u"yyyy-MM-dd HH:mm:ss"_s), -19)
                    .arg(bench::runStatusId(run.status), -9)
                    .arg(best, -28)
                    .arg(targets);
    }
    printOut(text);
    return ExitOk;
}

int showOrDeleteRun(
    const QString &value, bool remove, store::ResultStore &store, const bench::RunExports &exports)
{
    const auto id = parseRunId(value, store);
    if (!id) {
        printError(kCommand, u"'%1' is not a run id (see stackadvisor bench --history)"_s.arg(value));
        return ExitBadInput;
    }
    QString error;
    if (remove) {
        if (!store.remove(*id, &error)) {
            printError(kCommand, error);
            return ExitBadInput;
        }
        printOut(u"Deleted run %1.\n"_s.arg(*id));
        return ExitOk;
    }
    store::ResultStore::LoadFailure failure;
    const auto run = store.load(*id, &error, &failure);
    if (!run) {
        // An id the history does not have is bad input; a damaged row is a failure.
        printError(kCommand, error);
        return failure == store::ResultStore::LoadFailure::NoSuchRun ? ExitBadInput : ExitFailure;
    }
    const bench::RunAnalysis analysis = bench::RunAnalysis::analyse(*run);
    printOut(u"Run %1, started %2 UTC, %3.\n\n"_s.arg(run->id).arg(
                 run->startedAt.toUTC().toString(u"yyyy-MM-dd HH:mm:ss"_s), bench::runStatusId(run->status))
        + runText(analysis));
    return printExportErrors(bench::exportRun(analysis, exports)) ? ExitOk : ExitFailure;
}

int compareRuns(const QString &value, store::ResultStore &store)
{
    const QStringList ids = value.split(u',');
    const auto a = ids.size() == 2 ? parseRunId(ids.at(0), store) : std::nullopt;
    const auto b = ids.size() == 2 ? parseRunId(ids.at(1), store) : std::nullopt;
    if (!a || !b) {
        printError(kCommand,
            u"--compare takes two run ids, e.g. --compare 3,7 (see stackadvisor bench --history)"_s);
        return ExitBadInput;
    }
    QString error;
    const auto comparison = store.compare(*a, *b, &error);
    if (!comparison) {
        printError(kCommand, error);
        return ExitBadInput;
    }
    QString text = u"From run %1 to run %2:\n"_s.arg(*a).arg(*b);
    if (!comparison->differences.isEmpty()) {
        text += u"  Not measured alike, so a change is not the servers' alone:\n    - "_s
            + comparison->differences.join(u"\n    - "_s) + u'\n';
    }
    for (const store::CellComparison &cell : comparison->cells) {
        const QString what
            = u"%1 %2 c%3"_s.arg(cell.targetId, bench::scenarioId(cell.scenario)).arg(cell.connections);
        if (!cell.inA || !cell.inB) {
            text += u"  %1: only in run %2\n"_s.arg(what, -32).arg(cell.inA ? *a : *b);
            continue;
        }
        text += u"  %1: %2 → %3 req/s (%4%5%), p99 %6 → %7 ms, peak PSS %8 → %9 MiB\n"_s.arg(what, -32)
                    .arg(fmt::number(cell.requestsPerSecondA), fmt::number(cell.requestsPerSecondB),
                        cell.requestsPerSecondChangePercent >= 0 ? u"+"_s : QString(),
                        fmt::number(cell.requestsPerSecondChangePercent, 1))
                    .arg(fmt::milliseconds(cell.p99UsA), fmt::milliseconds(cell.p99UsB),
                        fmt::mebibytes(cell.peakPssBytesA), fmt::mebibytes(cell.peakPssBytesB));
    }
    printOut(text);
    return ExitOk;
}

// ---- the plan -------------------------------------------------------------

struct PlanOptions
{
    QCommandLineOption targets { u"targets"_s, QString(), u"IDS"_s };
    QCommandLineOption scenario { u"scenario"_s, QString(), u"S"_s };
    QCommandLineOption connections { u"connections"_s, QString(), u"N"_s };
    QCommandLineOption duration { u"duration"_s, QString(), u"T"_s };
    QCommandLineOption warmup { u"warmup"_s, QString(), u"T"_s };
    QCommandLineOption rounds { u"rounds"_s, QString(), u"N"_s };
    QCommandLineOption timeout { u"timeout"_s, QString(), u"T"_s };
    QCommandLineOption rate { u"rate"_s, QString(), u"R"_s };
    QCommandLineOption ioMs { u"io-ms"_s, QString(), u"N"_s };
    QCommandLineOption cpuN { u"cpu-n"_s, QString(), u"N"_s };
    QCommandLineOption queriesN { u"queries-n"_s, QString(), u"N"_s };
    QCommandLineOption ioWorkers { u"io-workers"_s, QString(), u"RULE"_s };
    QCommandLineOption databaseCpus { u"database-cpus"_s, QString(), u"LIST"_s };
    QCommandLineOption databaseDir { u"database-dir"_s, QString(), u"DIR"_s };
    QCommandLineOption databasePort { u"database-port"_s, QString(), u"N"_s };
    QCommandLineOption workers { u"workers"_s, QString(), u"N"_s };
    QCommandLineOption threads { u"threads"_s, QString(), u"N"_s };
    QCommandLineOption serverCpus { u"server-cpus"_s, QString(), u"LIST"_s };
    QCommandLineOption loadCpus { u"load-cpus"_s, QString(), u"LIST"_s };
    QCommandLineOption catalogFile { u"catalog"_s, QString(), u"FILE"_s };
    QCommandLineOption readiness { u"readiness-timeout"_s, QString(), u"T"_s };
    QCommandLineOption url { u"url"_s, QString(), u"NAME=URL"_s };
    QCommandLineOption sampler { u"sampler"_s, QString(), u"NAME=URL"_s };
    QCommandLineOption allowRemote { u"allow-remote"_s };

    QList<QCommandLineOption> all() const
    {
        return { targets, scenario, connections, duration, warmup, rounds, timeout, rate, ioMs, cpuN,
            queriesN, ioWorkers, workers, threads, serverCpus, loadCpus, databaseCpus, databaseDir,
            databasePort, catalogFile, readiness, url, sampler, allowRemote };
    }
};

int badInput(const QString &message)
{
    printError(kCommand, message + u" (see stackadvisor bench --help)"_s);
    return ExitBadInput;
}

// Reads the plan and the readiness timeout from the options; on bad input
// prints why and returns the exit code.
std::optional<int> readPlan(const QCommandLineParser &parser, const PlanOptions &o,
    bench::BenchmarkPlan *plan, double *readinessSeconds)
{
    const auto seconds
        = [&parser](const QCommandLineOption &option, double fallback) -> std::optional<double> {
        return parser.isSet(option) ? parseSeconds(parser.value(option)) : std::optional<double>(fallback);
    };
    const auto durationValue = seconds(o.duration, plan->durationSeconds);
    const auto warmupValue = seconds(o.warmup, plan->warmupSeconds);
    const auto timeoutValue = seconds(o.timeout, plan->timeoutSeconds);
    const auto readinessValue = seconds(o.readiness, 30);
    if (!durationValue || *durationValue <= 0)
        return badInput(u"--duration '%1' is not a positive time such as 10s, 500ms or 1m"_s.arg(
            parser.value(o.duration)));
    if (!warmupValue)
        return badInput(u"--warmup '%1' is not a time such as 3s or 0s"_s.arg(parser.value(o.warmup)));
    if (!timeoutValue || *timeoutValue <= 0)
        return badInput(u"--timeout '%1' is not a positive time such as 5s"_s.arg(parser.value(o.timeout)));
    if (!readinessValue || *readinessValue <= 0)
        return badInput(
            u"--readiness-timeout '%1' is not a positive time such as 30s"_s.arg(parser.value(o.readiness)));
    if (const QString problem = bench::readinessTimeoutProblem(*readinessValue); !problem.isEmpty())
        return badInput(u"--readiness-timeout: "_s + problem);
    plan->durationSeconds = *durationValue;
    plan->warmupSeconds = *warmupValue;
    plan->timeoutSeconds = *timeoutValue;
    *readinessSeconds = *readinessValue;
    if (parser.isSet(o.scenario)) {
        plan->scenarios.clear();
        for (const QString &id : parser.value(o.scenario).split(u',', Qt::SkipEmptyParts)) {
            const auto parsed = bench::scenarioFromId(id.trimmed());
            if (!parsed)
                return badInput(u"--scenario '%1' is not one of %2"_s.arg(id, bench::scenarioIdList()));
            plan->scenarios << *parsed;
        }
    }
    if (parser.isSet(o.connections)) {
        const auto levels = parseIntList(parser.value(o.connections));
        if (!levels)
            return badInput(u"--connections '%1' is not a list of numbers such as 1000 or 100,1000"_s.arg(
                parser.value(o.connections)));
        plan->connectionLevels = *levels;
    }
    const auto intOption
        = [&parser](const QCommandLineOption &option, int fallback, int min) -> std::optional<int> {
        if (!parser.isSet(option))
            return fallback;
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        return ok && value >= min ? std::optional<int>(value) : std::nullopt;
    };
    const auto roundsValue = intOption(o.rounds, plan->rounds, 1);
    if (!roundsValue || *roundsValue > bench::limits::kMaxRounds)
        return badInput(u"--rounds '%1' is not a whole number from 1 to %2"_s.arg(parser.value(o.rounds))
                            .arg(bench::limits::kMaxRounds));
    plan->rounds = *roundsValue;
    const auto workersValue = intOption(o.workers, 0, 1), threadsValue = intOption(o.threads, 0, 1),
               ioValue = intOption(o.ioMs, plan->ioMilliseconds, 0),
               cpuValue = intOption(o.cpuN, plan->cpuN, 1),
               queriesValue = intOption(o.queriesN, plan->queriesN, bench::limits::kMinQueriesN);
    if (!queriesValue || *queriesValue > bench::limits::kMaxQueriesN)
        return badInput(u"--queries-n '%1' is not a whole number from %2 to %3 (the contract's range)"_s
                            .arg(parser.value(o.queriesN))
                            .arg(bench::limits::kMinQueriesN)
                            .arg(bench::limits::kMaxQueriesN));
    plan->queriesN = *queriesValue;
    if (parser.isSet(o.ioWorkers)) {
        const QString rule = parser.value(o.ioWorkers);
        if (rule != u"recommended"_s && rule != u"cores"_s)
            return badInput(u"--io-workers '%1' is neither 'recommended' nor 'cores'"_s.arg(rule));
        plan->ioWorkersRecommended = rule == u"recommended"_s;
    }
    if (!workersValue || !threadsValue || !ioValue || !cpuValue)
        return badInput(
            u"--workers, --threads, --io-ms and --cpu-n take whole numbers (workers and threads at least 1)"_s);
    plan->workers = *workersValue;
    plan->loadThreads = *threadsValue;
    plan->ioMilliseconds = *ioValue;
    plan->cpuN = *cpuValue;
    if (parser.isSet(o.rate)) {
        bool ok = false;
        plan->openLoopRate = parser.value(o.rate).toDouble(&ok);
        if (!ok || plan->openLoopRate <= 0)
            return badInput(
                u"--rate '%1' is not a positive number of requests per second"_s.arg(parser.value(o.rate)));
    }
    plan->serverCpus = parser.value(o.serverCpus);
    plan->loadCpus = parser.value(o.loadCpus);
    plan->databaseCpus = parser.value(o.databaseCpus);
    return std::nullopt;
}

// Where the database scenarios' PostgreSQL lives and listens.
std::optional<int> readDatabaseOptions(
    const QCommandLineParser &parser, const PlanOptions &o, bench::BenchmarkRunner::Options *options)
{
    options->databaseDataFolder = parser.value(o.databaseDir);
    if (parser.isSet(o.databasePort)) {
        bool ok = false;
        options->databasePort = parser.value(o.databasePort).toInt(&ok);
        if (!ok || options->databasePort < 1 || options->databasePort > 65535)
            return badInput(
                u"--database-port '%1' is not a port from 1 to 65535"_s.arg(parser.value(o.databasePort)));
    }
    return std::nullopt;
}

// The targets: those asked for, else every available one (saying which are skipped and why).
// "NAME=http://host:port": a display name and where the server answers.
struct NamedUrl
{
    QString name;
    QUrl url;
};

std::optional<NamedUrl> parseNamedUrl(const QString &text, const QString &option, QString *error)
{
    const qsizetype equals = text.indexOf(u'=');
    const QString name = equals > 0 ? text.left(equals).trimmed() : QString();
    static const QRegularExpression nameRule(u"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$"_s);
    if (!nameRule.match(name).hasMatch()) {
        *error = u"--%1 '%2' needs a name first, e.g. --%1 staging=http://10.0.0.5:8080 (letters, digits, "
                 "space, . _ -; at most 40)"_s.arg(option, text);
        return std::nullopt;
    }
    const QUrl url(text.mid(equals + 1).trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != u"http"_s || url.host().isEmpty() || url.port() < 1
        || (!url.path().isEmpty() && url.path() != u"/"_s) || url.hasQuery()) {
        *error = u"--%1 '%2': the address must be http://HOST:PORT, without a path (the scenario's path is "
                 "added)"_s.arg(option, text);
        return std::nullopt;
    }
    return NamedUrl { name, url.adjusted(QUrl::StripTrailingSlash) };
}

bool isLoopbackHost(const QString &host)
{
    QHostAddress address;
    return host == u"localhost"_s || (address.setAddress(host) && address.isLoopback());
}

// --url and --sampler: the servers the app did not start, as remote targets.
std::optional<int> readRemoteTargets(
    const QCommandLineParser &parser, const PlanOptions &o, bench::BenchmarkPlan *plan)
{
    QString error;
    plan->allowRemote = parser.isSet(o.allowRemote);
    QMap<QString, QString> samplers;
    for (const QString &value : parser.values(o.sampler)) {
        const auto named = parseNamedUrl(value, u"sampler"_s, &error);
        if (!named)
            return badInput(error);
        if (!plan->allowRemote && !isLoopbackHost(named->url.host()))
            return badInput(u"--sampler %1 is not a loopback address: add --allow-remote to read it from "
                            "another host"_s.arg(named->url.host()));
        samplers.insert(named->name, named->url.toString());
    }
    for (const QString &value : parser.values(o.url)) {
        const auto named = parseNamedUrl(value, u"url"_s, &error);
        if (!named)
            return badInput(error);
        if (!plan->allowRemote && !isLoopbackHost(named->url.host()))
            return badInput(u"--url %1 is not a loopback address: load tests go to this machine unless you "
                            "add --allow-remote (and own the server you load)"_s.arg(named->url.host()));
        QString id = u"url-"_s + named->name.toLower();
        id.replace(QRegularExpression(u"[^a-z0-9-]+"_s), u"-"_s);
        if (plan->remoteTarget(id) || plan->targetIds.contains(id))
            return badInput(u"--url names '%1' twice"_s.arg(named->name));
        plan->remoteTargets << bench::RemoteTarget { id, named->name, named->url.toString(),
            samplers.take(named->name) };
        plan->targetIds << id;
    }
    if (!samplers.isEmpty())
        return badInput(u"--sampler %1 names no --url"_s.arg(samplers.firstKey()));
    return std::nullopt;
}

std::optional<int> readTargets(const QCommandLineParser &parser, const PlanOptions &o,
    const bench::ServerCatalog &catalog, bench::BenchmarkPlan *plan)
{
    if (parser.isSet(o.url) || parser.isSet(o.sampler)) {
        // Only the servers asked for: the catalog's as well with --targets.
        QStringList local;
        for (const QString &id : parser.value(o.targets).split(u',', Qt::SkipEmptyParts)) {
            if (!catalog.find(id.trimmed()))
                return badInput(
                    u"unknown target '%1'; the catalog has: %2"_s.arg(id, catalog.ids().join(u", "_s)));
            local << id.trimmed();
        }
        plan->targetIds = local;
        return readRemoteTargets(parser, o, plan);
    }
    if (parser.isSet(o.allowRemote))
        return badInput(u"--allow-remote goes with --url (a server the app did not start)"_s);
    if (parser.isSet(o.targets)) {
        for (const QString &id : parser.value(o.targets).split(u',', Qt::SkipEmptyParts)) {
            if (!catalog.find(id.trimmed()))
                return badInput(
                    u"unknown target '%1'; the catalog has: %2"_s.arg(id, catalog.ids().join(u", "_s)));
            plan->targetIds << id.trimmed();
        }
        if (plan->targetIds.isEmpty())
            return badInput(u"--targets is empty"_s);
        return std::nullopt;
    }
    plan->targetIds = catalog.availableIds();
    for (const bench::ServerEntry &entry : catalog.servers()) {
        if (!entry.available)
            printErr(u"stackadvisor bench: skipping %1: %2 (fix: %3)\n"_s.arg(
                entry.id, entry.unavailableReason, entry.fix));
    }
    if (plan->targetIds.isEmpty()) {
        printError(
            kCommand, u"no server is ready to run; see `stackadvisor servers` for the reasons and fixes"_s);
        return ExitFailure;
    }
    return std::nullopt;
}

// ---- the run --------------------------------------------------------------

// Progress on stderr: one line per phase change and finished cell, and the live
// figures in place on a terminal.
void printProgress(bench::BenchmarkRunner &runner)
{
    const bool live = ::isatty(STDERR_FILENO);
    auto cell = std::make_shared<std::pair<int, int>>(0, 0); // index, count
    auto round = std::make_shared<std::pair<int, int>>(1, 1); // round, rounds
    QObject::connect(&runner, &bench::BenchmarkRunner::roundStarted, &runner,
        [round](const QString &, int number, int count) {
            *round = { number, count };
        });
    QObject::connect(&runner, &bench::BenchmarkRunner::cellStarted, &runner,
        [cell](const QString &, int index, int count) {
            *cell = { index, count };
        });
    const auto prefix = [cell, round](const QString &id) {
        const QString name
            = round->second > 1 ? u"%1 round %2/%3"_s.arg(id).arg(round->first).arg(round->second) : id;
        return u"[%1/%2] %3"_s.arg(cell->first + 1).arg(cell->second).arg(name);
    };
    QObject::connect(&runner, &bench::BenchmarkRunner::phaseChanged, &runner,
        [prefix](const QString &id, bench::BenchmarkRunner::Phase phase) {
            if (phase == bench::BenchmarkRunner::Phase::Starting)
                printErr(prefix(id) + u": starting\n"_s);
        });
    QObject::connect(&runner, &bench::BenchmarkRunner::sampleReady, &runner,
        [prefix, live](const QString &id, const bench::IntervalSample &s) {
            const QString text = u"%1: %2 %3 req/s, p99 %4 ms, PSS %5 MiB, CPU %6 %"_s.arg(prefix(id),
                s.warmup ? u"warm-up"_s : u"measuring"_s, fmt::number(s.requestsPerSecond),
                fmt::milliseconds(s.p99Us), fmt::mebibytes(s.pssBytes), fmt::number(s.cpuPercent));
            printErr(live ? QString(u"\r\x1b[K"_s + text) : QString(text + u'\n'));
        });
    QObject::connect(&runner, &bench::BenchmarkRunner::cellFinished, &runner,
        [prefix, live](const bench::TargetResult &t) {
            QString text = live ? u"\r\x1b[K"_s : QString();
            if (t.status == bench::TargetStatus::Completed) {
                text += u"%1: %2 req/s, p99 %3 ms, peak PSS %4 MiB, CPU %5 %\n"_s.arg(prefix(t.targetId),
                    fmt::number(t.requestsPerSecond), fmt::milliseconds(t.latency.p99Us),
                    fmt::mebibytes(t.memory.peakPssBytes), fmt::number(t.cpuPercentMean));
            } else {
                text += u"%1: %2: %3\n"_s.arg(
                    prefix(t.targetId), bench::targetStatusId(t.status), t.failureReason);
            }
            printErr(text);
        });
    QObject::connect(
        &runner, &bench::BenchmarkRunner::warning, &runner, [](const QString &, const QString &message) {
            printErr(u"stackadvisor bench: warning: "_s + message + u'\n');
        });
}

// A completed run as the terminal shows it: its analysis, where it was saved and
// what could not be exported; ExitFailure when something was not written.
int reportCompleted(const bench::CompletedRun &completed, const store::ResultStore *store)
{
    printOut(runText(completed.analysis));
    int exitCode = ExitOk;
    if (completed.savedId) {
        printOut(u"\nSaved as run %1 in %2 (stackadvisor bench --show %1).\n"_s.arg(*completed.savedId)
                     .arg(store->path()));
    } else if (store) {
        printError(kCommand, u"the run could not be saved to the history: "_s + completed.saveError);
        exitCode = ExitFailure;
    }
    if (!printExportErrors(completed.exportErrors))
        exitCode = ExitFailure;
    return exitCode;
}

int runPlan(const bench::BenchmarkPlan &plan, const bench::ServerCatalog &catalog,
    const bench::BenchmarkRunner::Options &options, store::ResultStore *store,
    const bench::RunExports &exports)
{
    platform::TerminationSignals termination;
    if (!termination.isValid()) {
        printError(kCommand, termination.error());
        return ExitFailure;
    }
    bench::BenchmarkRunner runner(catalog);
    runner.setOptions(options);

    bool interrupted = false;
    QObject::connect(&termination, &platform::TerminationSignals::received, &runner, [&] {
        if (!interrupted)
            printErr(u"\nstackadvisor bench: interrupted, stopping the current server…\n"_s);
        interrupted = true;
        runner.cancel();
    });
    printProgress(runner);
    printCapacityProgress(runner);
    QString runFailure;
    QEventLoop loop;
    QObject::connect(&runner, &bench::BenchmarkRunner::runFailed, &loop, [&](const QString &reason) {
        runFailure = reason;
        loop.quit();
    });
    QObject::connect(&runner, &bench::BenchmarkRunner::finished, &loop, &QEventLoop::quit);
    if (!runner.start(plan)) {
        printError(kCommand, runFailure);
        return ExitBadInput;
    }
    loop.exec();
    if (!runFailure.isEmpty()) {
        printError(kCommand, runFailure);
        return ExitFailure;
    }

    const bench::CompletedRun completed = bench::completeRun(runner.result(), store, exports);
    int exitCode = reportCompleted(completed, store);
    const bench::RunResult &run = completed.analysis.run();
    if (interrupted || run.status == bench::RunStatus::Cancelled)
        return ExitInterrupted;
    for (const bench::TargetResult &t : run.targets) {
        if (t.status != bench::TargetStatus::Completed)
            exitCode = ExitFailure;
    }
    return exitCode;
}

int exportLocust(
    const bench::BenchmarkPlan &plan, const bench::ServerCatalog &catalog, const QString &directory)
{
    if (directory.isEmpty())
        return badInput(u"--export-locust needs a folder, e.g. --export-locust ./locust-plan"_s);
    bench::locust::ExportedPlan exported;
    QString error;
    if (!bench::locust::exportPlan(plan, catalog, directory, &exported, &error)) {
        printError(kCommand, error);
        return ExitBadInput;
    }
    QString text = u"Wrote the plan for Locust to %1: %2.\n%3 cell(s), one Locust run each: %4.\n"_s
                       .arg(exported.directory, exported.files.join(u", "_s))
                       .arg(exported.cellIds.size())
                       .arg(exported.cellIds.join(u", "_s));
    text += u"Its README.md has the commands (one host; a master and workers). Read the results back with\n"
            "stackadvisor bench --import-locust %1\n"_s.arg(exported.directory);
    printOut(text);
    return ExitOk;
}

int importLocust(const QString &path, store::ResultStore *store, const bench::RunExports &exports)
{
    QString error;
    const auto run = bench::locust::importRun(path, &error);
    if (!run) {
        printError(kCommand, error + u" (nothing was saved)"_s);
        return ExitBadInput;
    }
    const bench::CompletedRun completed = bench::completeRun(*run, store, exports);
    return reportCompleted(completed, store);
}

} // namespace

int runBench(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const PlanOptions planOptions;
    const CapacityOptions capacityOptions;
    const auto valued = [](const char *name, const char *value) {
        return QCommandLineOption(QLatin1String(name), QString(), QLatin1String(value));
    };
    const QCommandLineOption jsonFile
        = valued("json", "FILE"),
        csvFile = valued("csv", "FILE"), pdfFile = valued("pdf", "OUT"), dbFile = valued("db", "FILE"),
        show = valued("show", "ID"), compare = valued("compare", "A,B"), remove = valued("delete", "ID"),
        exportLocustDir = valued("export-locust", "DIR"), importLocustPath = valued("import-locust", "PATH");
    const QCommandLineOption noSave(u"no-save"_s), history(u"history"_s),
        help(QStringList { u"h"_s, u"help"_s });
    parser.addOptions(planOptions.all());
    parser.addOptions(capacityOptions.all());
    parser.addOptions({ jsonFile, csvFile, pdfFile, dbFile, show, compare, remove, noSave, history, help,
        exportLocustDir, importLocustPath });
    if (!parser.parse(QStringList { u"stackadvisor bench"_s } + arguments)) {
        printError(kCommand, parser.errorText() + u" (see stackadvisor bench --help)"_s);
        return ExitBadInput;
    }
    if (parser.isSet(help)) {
        printOut(helpText() + u'\n' + capacityHelpText());
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty())
        return badInput(u"unexpected argument '%1'"_s.arg(parser.positionalArguments().constFirst()));
    const bench::RunExports exports = exportsOf(parser, jsonFile, csvFile, pdfFile, capacityOptions.stepsCsv);

    store::ResultStore store(parser.value(dbFile));
    const bool historyMode
        = parser.isSet(history) || parser.isSet(show) || parser.isSet(compare) || parser.isSet(remove);
    const bool save = !parser.isSet(noSave);
    // A history that cannot be opened is a failed job (exit 1), with its path and why.
    const auto openStore = [&store](store::ResultStore::OpenMode mode) {
        QString error;
        if (!store.open(&error, mode)) {
            printError(kCommand, error);
            return false;
        }
        if (!store.recoveryMessage().isEmpty())
            printErr(u"stackadvisor bench: note: "_s + store.recoveryMessage() + u'\n');
        return true;
    };
    // Reading needs no write access: a read-only or full history still lists and shows.
    if (historyMode
        && !openStore(parser.isSet(remove) ? store::ResultStore::OpenMode::ReadWrite
                                           : store::ResultStore::OpenMode::ReadOnly))
        return ExitFailure;
    if (parser.isSet(history))
        return listHistory(store);
    if (parser.isSet(show))
        return showOrDeleteRun(parser.value(show), false, store, exports);
    if (parser.isSet(remove))
        return showOrDeleteRun(parser.value(remove), true, store, exports);
    if (parser.isSet(compare))
        return compareRuns(parser.value(compare), store);

    if (parser.isSet(importLocustPath)) {
        if (parser.isSet(exportLocustDir))
            return badInput(u"--import-locust and --export-locust are separate steps: give one of them"_s);
        if (save) {
            QString error;
            if (!openStore(store::ResultStore::OpenMode::ReadWrite))
                return ExitFailure;
            if (!store.checkWritable(&error)) {
                printError(kCommand,
                    error + u" (or save it elsewhere with --db FILE, or not at all with --no-save)"_s);
                return ExitFailure;
            }
        }
        return importLocust(parser.value(importLocustPath), save ? &store : nullptr, exports);
    }

    bench::BenchmarkPlan plan;
    double readinessSeconds = 30;
    if (const auto exitCode = readPlan(parser, planOptions, &plan, &readinessSeconds))
        return *exitCode;
    if (const auto problem = readCapacityPlan(parser, capacityOptions, parser.isSet(planOptions.duration),
            parser.isSet(planOptions.warmup), &plan))
        return badInput(*problem);
    // A capacity run's steps are its repetitions: one round unless asked otherwise
    // (which the runner then refuses, saying why).
    if (plan.capacity.enabled && !parser.isSet(planOptions.rounds))
        plan.rounds = 1;
    bench::ServerCatalog::Sources sources = bench::ServerCatalog::defaultSources();
    if (parser.isSet(planOptions.catalogFile))
        sources.userCatalogFile = parser.value(planOptions.catalogFile);
    bench::ServerCatalog catalog;
    QString error;
    if (!catalog.load(sources, &error)) {
        printError(kCommand, error);
        return ExitBadInput;
    }
    if (const auto exitCode = readTargets(parser, planOptions, catalog, &plan))
        return *exitCode;
    bench::BenchmarkRunner::Options options;
    options.readinessTimeoutMs = int(readinessSeconds * 1000);
    if (const auto exitCode = readDatabaseOptions(parser, planOptions, &options))
        return *exitCode;
    // The runner's own limits (planlimits.h) and CPU lists, checked before anything
    // runs or is created.
    if (const QString problem = bench::planProblem(plan); !problem.isEmpty())
        return badInput(problem);
    if (parser.isSet(exportLocustDir))
        return exportLocust(plan, catalog, parser.value(exportLocustDir));
    if (!bench::assignCpus(plan, platform::allowedCpus(), &error))
        return badInput(error);
    // Found out now, not after the whole benchmark: where the run will be saved.
    if (save) {
        if (!openStore(store::ResultStore::OpenMode::ReadWrite))
            return ExitFailure;
        if (!store.checkWritable(&error)) {
            printError(
                kCommand, error + u" (or save it elsewhere with --db FILE, or not at all with --no-save)"_s);
            return ExitFailure;
        }
    }
    return runPlan(plan, catalog, options, save ? &store : nullptr, exports);
}

} // namespace sa::cli
