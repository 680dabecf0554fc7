// stackadvisor bench: runs the side-by-side comparison of the sample servers on
// this machine (progress on stderr; the comparison table and the claim check on
// stdout), saves it to the history, and exports JSON/CSV. Also lists, shows,
// compares and deletes past runs.

#include "cli.h"
#include "commands.h"

#include "bench/benchmarkrunner.h"
#include "bench/claimcheck.h"
#include "bench/cpuassignment.h"
#include "bench/machineinfo.h"
#include "bench/planlimits.h"
#include "bench/servercatalog.h"
#include "platform/atomicfile.h"
#include "platform/processcontrol.h"
#include "store/resultstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonDocument>
#include <QLocale>
#include <QSocketNotifier>

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace sa::cli {

namespace {

const QString kCommand = u"bench"_s;

QString helpText()
{
    return u"Usage: stackadvisor bench [OPTIONS]\n"
           "       stackadvisor bench --history | --show ID|latest | --compare A,B | --delete ID\n"
           "\n"
           "Runs every chosen server on this machine in turn, under the same load, and prints\n"
           "the comparison and how the article's figures hold up. The defaults reproduce the\n"
           "article's setting: the JSON scenario at 1,000 concurrent connections, every\n"
           "available server, 3 s warm-up and a 10 s measured window. Each server is pinned\n"
           "to its own CPUs, away from the load generator; every setting is recorded.\n"
           "Progress goes to stderr; the table to stdout. Ctrl-C stops cleanly and saves the\n"
           "partial run marked cancelled. One benchmark runs at a time: while another runs,\n"
           "this one says so and waits for it.\n"
           "\n"
           "What to run:\n"
           "  --targets a,b         Server ids (see `stackadvisor servers`); default: all available\n"
           "  --scenario s[,s]      json, plaintext, io, cpu (default json)\n"
           "  --connections n[,n]   Concurrent connections (default 1000)\n"
           "  --duration T          Measured window, e.g. 10s, 500ms, 1m (default 10s)\n"
           "  --warmup T            Warm-up before it, not counted (default 3s)\n"
           "  --timeout T           Per-request timeout (default 5s)\n"
           "  --rate R              Open loop at R requests/s (default: closed loop, as wrk)\n"
           "  --io-ms N             GET /io?ms=N for the io scenario (default 50)\n"
           "  --cpu-n N             GET /cpu?n=N for the cpu scenario (default 10000)\n"
           "  --workers N           Server processes / GOMAXPROCS (default: server cores)\n"
           "  --threads N           Load-generator threads (default: load cores)\n"
           "  --server-cpus LIST    e.g. 0 or 0-2 (default: all but max(1, cores/4))\n"
           "  --load-cpus LIST      e.g. 1 or 3 (default: the last max(1, cores/4) cores)\n"
           "  --catalog FILE        Also read this user catalog (your own server)\n"
           "  --readiness-timeout T How long a server may take to answer /healthz (default 30s)\n"
           "\n"
           "Where results go:\n"
           "  --json FILE           Write the run as JSON (schema: README, \"Results JSON\")\n"
           "  --csv FILE            Write one row per target as CSV\n"
           "  --pdf OUT             Write the report of the run as a PDF (answers: stackadvisor report)\n"
           "  --db FILE             History database (default: the app's data folder)\n"
           "  --no-save             Do not add the run to the history\n"
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

QString grouped(double value, int decimals = 0)
{
    return QLocale(QLocale::English).toString(value, 'f', decimals);
}

QString mb(qint64 bytes)
{
    return bytes > 0 ? QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1) : u"—"_s;
}

QString ms(double microseconds)
{
    return QString::number(microseconds / 1000.0, 'f', microseconds < 10000 ? 2 : 1);
}

// The comparison table: one row per cell, then failures with their reasons and
// the settings used.
QString comparisonText(const bench::RunResult &run)
{
    const QStringList header { u"Target"_s, u"Scenario"_s, u"Conns"_s, u"Req/s"_s, u"p50 ms"_s, u"p99 ms"_s,
        u"Errors"_s, u"Idle PSS MB"_s, u"Peak PSS MB"_s, u"Peak RSS MB"_s, u"Peak cgroup MB"_s, u"CPU %"_s,
        u"Deploy MB"_s, u"Status"_s };
    QList<QStringList> rows;
    for (const bench::TargetResult &t : run.targets) {
        const bool measured = t.status == bench::TargetStatus::Completed || t.requests > 0;
        rows << QStringList { t.targetId, bench::scenarioId(t.scenario), QString::number(t.connections),
            measured ? grouped(t.requestsPerSecond) : u"—"_s, measured ? ms(t.latency.p50Us) : u"—"_s,
            measured ? ms(t.latency.p99Us) : u"—"_s,
            measured ? QString::number(t.errorRate() * 100.0, 'f', 2) + u'%' : u"—"_s,
            mb(t.memory.idlePssBytes), mb(t.memory.peakPssBytes), mb(t.memory.peakRssBytes),
            mb(t.memory.peakCgroupBytes), measured ? QString::number(t.cpuPercentMean, 'f', 0) : u"—"_s,
            mb(t.deployableBytes),
            bench::targetStatusId(t.status) + (t.generatorSaturated ? u" (load saturated)"_s : QString()) };
    }
    QList<int> widths;
    for (const QString &title : header)
        widths << int(title.size());
    for (const QStringList &row : std::as_const(rows)) {
        for (qsizetype i = 0; i < row.size(); ++i)
            widths[i] = qMax(widths[i], int(row.at(i).size()));
    }
    const auto line = [&widths](const QStringList &cells) -> QString {
        QString text;
        for (qsizetype i = 0; i < cells.size(); ++i) {
            // Text left, figures right.
            const bool left = i < 2 || i == cells.size() - 1;
            text += cells.at(i).leftJustified(left ? widths[i] : 0).rightJustified(widths[i]);
            if (i + 1 < cells.size())
                text += u"  "_s;
        }
        return text.trimmed() + u'\n';
    };
    QString text = line(header);
    for (const QStringList &row : std::as_const(rows))
        text += line(row);
    for (const bench::TargetResult &t : run.targets) {
        if (t.status != bench::TargetStatus::Completed)
            text += u"\n%1 %2: %3\n"_s.arg(t.targetId, bench::targetStatusId(t.status), t.failureReason);
        for (const QString &warning : t.warnings)
            text += u"\n%1 warning: %2\n"_s.arg(t.targetId, warning);
    }
    const bench::BenchmarkPlan &plan = run.plan;
    text
        += u"\nSettings: server CPUs %1, load CPUs %2, workers/GOMAXPROCS %3, load threads %4, warm-up %5 s, "
           "window %6 s, %7, timeout %8 s.\n"_s.arg(plan.serverCpus, plan.loadCpus)
               .arg(plan.workers)
               .arg(plan.loadThreads)
               .arg(plan.warmupSeconds)
               .arg(plan.durationSeconds)
               .arg(plan.openLoopRate > 0 ? u"open loop at %1 req/s"_s.arg(plan.openLoopRate)
                                          : u"closed loop"_s)
               .arg(plan.timeoutSeconds);
    if (!plan.containment.isEmpty())
        text += u"Each server ran in %1. PSS and RSS are summed over its processes from /proc; \"cgroup\" is "
                "the memory its cgroup was charged, page cache not in use excluded (what a container limit "
                "counts).\n"_s.arg(plan.containmentDetail);
    text += u"Machine: %1; %2.\n"_s.arg(bench::machineSummary(run.machine), run.machine.kernel);
    return text;
}

// Ctrl-C, SIGTERM and SIGHUP reach the event loop through a pipe: a signal
// handler may only write().
int s_signalPipe[2] = { -1, -1 };

extern "C" void onTerminationSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(s_signalPipe[1], &byte, 1);
}

struct Exports
{
    QString jsonPath;
    QString csvPath;
    QString pdfPath; // the report of the run (cmd_report.cpp)
};

bool exportRun(const bench::RunResult &run, const Exports &exports)
{
    QString error;
    bool ok = true;
    if (!exports.jsonPath.isEmpty()) {
        ok = platform::writeFileAtomically(
                 exports.jsonPath, QJsonDocument(run.toJson()).toJson(QJsonDocument::Indented), &error)
            && ok;
        if (!error.isEmpty())
            printError(kCommand, error);
    }
    error.clear();
    if (!exports.csvPath.isEmpty()) {
        ok = platform::writeFileAtomically(exports.csvPath, run.toCsv().toUtf8(), &error) && ok;
        if (!error.isEmpty())
            printError(kCommand, error);
    }
    error.clear();
    if (!exports.pdfPath.isEmpty()) {
        ok = writeRunReport(run, exports.pdfPath, &error) && ok;
        if (!error.isEmpty())
            printError(kCommand, error);
    }
    return ok;
}

void printRun(const bench::RunResult &run)
{
    QString text = comparisonText(run);
    QString error;
    if (const auto claims = bench::ClaimCheck::load(bench::ClaimCheck::defaultClaimsFile(), &error))
        text
            += u"\nThe article's claims on this machine:\n"_s + bench::ClaimCheck::toText(claims->check(run));
    else
        text += u"\nThe claim check is unavailable: "_s + error + u'\n';
    printOut(text);
}

std::optional<qint64> parseRunId(const QString &text, const store::ResultStore &store)
{
    if (text == u"latest"_s)
        return store.latestId();
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    return ok && id > 0 ? std::optional<qint64>(id) : std::nullopt;
}

int historyCommand(const QCommandLineParser &parser, const QCommandLineOption &history,
    const QCommandLineOption &show, const QCommandLineOption &compare, const QCommandLineOption &remove,
    store::ResultStore &store, const Exports &exports)
{
    QString error;
    if (parser.isSet(history)) {
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
                ? u"—"_s
                : run.bestTargetId + u" "_s + grouped(run.bestRequestsPerSecond) + u" req/s"_s;
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
    if (parser.isSet(show) || parser.isSet(remove)) {
        const QString value = parser.value(parser.isSet(show) ? show : remove);
        const auto id = parseRunId(value, store);
        if (!id) {
            printError(kCommand, u"'%1' is not a run id (see stackadvisor bench --history)"_s.arg(value));
            return ExitBadInput;
        }
        if (parser.isSet(remove)) {
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
            printError(kCommand, error);
            return failure == store::ResultStore::LoadFailure::NoSuchRun ? ExitBadInput : ExitFailure;
        }
        printOut(u"Run %1, started %2 UTC, %3.\n\n"_s.arg(run->id).arg(
            run->startedAt.toUTC().toString(u"yyyy-MM-dd HH:mm:ss"_s), bench::runStatusId(run->status)));
        printRun(*run);
        return exportRun(*run, exports) ? ExitOk : ExitFailure;
    }
    // --compare A,B
    const QStringList ids = parser.value(compare).split(u',');
    const auto a = ids.size() == 2 ? parseRunId(ids.at(0), store) : std::nullopt;
    const auto b = ids.size() == 2 ? parseRunId(ids.at(1), store) : std::nullopt;
    if (!a || !b) {
        printError(kCommand,
            u"--compare takes two run ids, e.g. --compare 3,7 (see stackadvisor bench --history)"_s);
        return ExitBadInput;
    }
    const auto comparison = store.compare(*a, *b, &error);
    if (!comparison) {
        printError(kCommand, error);
        return ExitBadInput;
    }
    QString text = u"From run %1 to run %2:\n"_s.arg(*a).arg(*b);
    for (const store::CellComparison &cell : comparison->cells) {
        const QString what
            = u"%1 %2 c%3"_s.arg(cell.targetId, bench::scenarioId(cell.scenario)).arg(cell.connections);
        if (!cell.inA || !cell.inB) {
            text += u"  %1: only in run %2\n"_s.arg(what, -32).arg(cell.inA ? *a : *b);
            continue;
        }
        text += u"  %1: %2 → %3 req/s (%4%5%), p99 %6 → %7 ms, peak PSS %8 → %9 MB\n"_s.arg(what, -32)
                    .arg(grouped(cell.requestsPerSecondA), grouped(cell.requestsPerSecondB),
                        cell.requestsPerSecondChangePercent >= 0 ? u"+"_s : QString())
                    .arg(cell.requestsPerSecondChangePercent, 0, 'f', 1)
                    .arg(ms(cell.p99UsA), ms(cell.p99UsB), mb(cell.peakPssBytesA), mb(cell.peakPssBytesB));
    }
    printOut(text);
    return ExitOk;
}

} // namespace

int runBench(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const auto valued = [](const char *name, const char *value) {
        return QCommandLineOption(QLatin1String(name), QString(), QLatin1String(value));
    };
    const QCommandLineOption targets = valued("targets", "IDS"), scenario = valued("scenario", "S"),
                             connections = valued("connections", "N"), duration = valued("duration", "T"),
                             warmup = valued("warmup", "T"), timeout = valued("timeout", "T"),
                             rate = valued("rate", "R"), ioMs = valued("io-ms", "N"),
                             cpuN = valued("cpu-n", "N"), workers = valued("workers", "N"),
                             threads = valued("threads", "N"), serverCpus = valued("server-cpus", "LIST"),
                             loadCpus = valued("load-cpus", "LIST"), catalogFile = valued("catalog", "FILE"),
                             readiness = valued("readiness-timeout", "T"), jsonFile = valued("json", "FILE"),
                             csvFile = valued("csv", "FILE"), pdfFile = valued("pdf", "OUT"),
                             dbFile = valued("db", "FILE"), show = valued("show", "ID"),
                             compare = valued("compare", "A,B"), remove = valued("delete", "ID");
    const QCommandLineOption noSave(u"no-save"_s), history(u"history"_s),
        help(QStringList { u"h"_s, u"help"_s });
    parser.addOptions({ targets, scenario, connections, duration, warmup, timeout, rate, ioMs, cpuN, workers,
        threads, serverCpus, loadCpus, catalogFile, readiness, jsonFile, csvFile, pdfFile, dbFile, show,
        compare, remove, noSave, history, help });
    if (!parser.parse(QStringList { u"stackadvisor bench"_s } + arguments)) {
        printError(kCommand, parser.errorText() + u" (see stackadvisor bench --help)"_s);
        return ExitBadInput;
    }
    if (parser.isSet(help)) {
        printOut(helpText());
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        printError(kCommand,
            u"unexpected argument '%1' (see stackadvisor bench --help)"_s.arg(
                parser.positionalArguments().constFirst()));
        return ExitBadInput;
    }
    const Exports exports { parser.value(jsonFile), parser.value(csvFile), parser.value(pdfFile) };

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
    if (historyMode) {
        // Reading needs no write access: a read-only or full history still lists and shows.
        if (!openStore(parser.isSet(remove) ? store::ResultStore::OpenMode::ReadWrite
                                            : store::ResultStore::OpenMode::ReadOnly))
            return ExitFailure;
        return historyCommand(parser, history, show, compare, remove, store, exports);
    }

    // The plan.
    bench::BenchmarkPlan plan;
    const auto bad = [](const QString &message) {
        printError(kCommand, message + u" (see stackadvisor bench --help)"_s);
        return ExitBadInput;
    };
    const auto seconds
        = [&parser](const QCommandLineOption &option, double fallback) -> std::optional<double> {
        return parser.isSet(option) ? parseSeconds(parser.value(option)) : std::optional<double>(fallback);
    };
    const auto durationValue = seconds(duration, plan.durationSeconds);
    const auto warmupValue = seconds(warmup, plan.warmupSeconds);
    const auto timeoutValue = seconds(timeout, plan.timeoutSeconds);
    const auto readinessValue = seconds(readiness, 30);
    if (!durationValue || *durationValue <= 0)
        return bad(
            u"--duration '%1' is not a positive time such as 10s, 500ms or 1m"_s.arg(parser.value(duration)));
    if (!warmupValue)
        return bad(u"--warmup '%1' is not a time such as 3s or 0s"_s.arg(parser.value(warmup)));
    if (!timeoutValue || *timeoutValue <= 0)
        return bad(u"--timeout '%1' is not a positive time such as 5s"_s.arg(parser.value(timeout)));
    if (!readinessValue || *readinessValue <= 0)
        return bad(
            u"--readiness-timeout '%1' is not a positive time such as 30s"_s.arg(parser.value(readiness)));
    if (const QString problem = bench::readinessTimeoutProblem(*readinessValue); !problem.isEmpty())
        return bad(u"--readiness-timeout: "_s + problem);
    plan.durationSeconds = *durationValue;
    plan.warmupSeconds = *warmupValue;
    plan.timeoutSeconds = *timeoutValue;
    if (parser.isSet(scenario)) {
        plan.scenarios.clear();
        for (const QString &id : parser.value(scenario).split(u',', Qt::SkipEmptyParts)) {
            const auto parsed = bench::scenarioFromId(id.trimmed());
            if (!parsed)
                return bad(u"--scenario '%1' is not one of json, plaintext, io, cpu"_s.arg(id));
            plan.scenarios << *parsed;
        }
    }
    if (parser.isSet(connections)) {
        const auto levels = parseIntList(parser.value(connections));
        if (!levels)
            return bad(u"--connections '%1' is not a list of numbers such as 1000 or 100,1000"_s.arg(
                parser.value(connections)));
        plan.connectionLevels = *levels;
    }
    const auto intOption
        = [&parser](const QCommandLineOption &option, int fallback, int min) -> std::optional<int> {
        if (!parser.isSet(option))
            return fallback;
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        return ok && value >= min ? std::optional<int>(value) : std::nullopt;
    };
    const auto workersValue = intOption(workers, 0, 1), threadsValue = intOption(threads, 0, 1),
               ioValue = intOption(ioMs, plan.ioMilliseconds, 0), cpuValue = intOption(cpuN, plan.cpuN, 1);
    if (!workersValue || !threadsValue || !ioValue || !cpuValue)
        return bad(
            u"--workers, --threads, --io-ms and --cpu-n take whole numbers (workers and threads at least 1)"_s);
    plan.workers = *workersValue;
    plan.loadThreads = *threadsValue;
    plan.ioMilliseconds = *ioValue;
    plan.cpuN = *cpuValue;
    if (parser.isSet(rate)) {
        bool ok = false;
        plan.openLoopRate = parser.value(rate).toDouble(&ok);
        if (!ok || plan.openLoopRate <= 0)
            return bad(
                u"--rate '%1' is not a positive number of requests per second"_s.arg(parser.value(rate)));
    }
    plan.serverCpus = parser.value(serverCpus);
    plan.loadCpus = parser.value(loadCpus);

    bench::ServerCatalog::Sources sources = bench::ServerCatalog::defaultSources();
    if (parser.isSet(catalogFile))
        sources.userCatalogFile = parser.value(catalogFile);
    bench::ServerCatalog catalog;
    QString error;
    if (!catalog.load(sources, &error)) {
        printError(kCommand, error);
        return ExitBadInput;
    }
    if (parser.isSet(targets)) {
        for (const QString &id : parser.value(targets).split(u',', Qt::SkipEmptyParts)) {
            if (!catalog.find(id.trimmed()))
                return bad(
                    u"unknown target '%1'; the catalog has: %2"_s.arg(id, catalog.ids().join(u", "_s)));
            plan.targetIds << id.trimmed();
        }
        if (plan.targetIds.isEmpty())
            return bad(u"--targets is empty"_s);
    } else {
        plan.targetIds = catalog.availableIds();
        for (const bench::ServerEntry &entry : catalog.servers()) {
            if (!entry.available)
                printErr(u"stackadvisor bench: skipping %1: %2 (fix: %3)\n"_s.arg(
                    entry.id, entry.unavailableReason, entry.fix));
        }
        if (plan.targetIds.isEmpty()) {
            printError(kCommand,
                u"no server is ready to run; see `stackadvisor servers` for the reasons and fixes"_s);
            return ExitFailure;
        }
    }

    // The runner's own limits (planlimits.h) and CPU lists, checked before anything
    // runs or is created.
    if (const QString problem = bench::planProblem(plan); !problem.isEmpty())
        return bad(problem);
    if (!bench::assignCpus(plan, platform::allowedCpus(), &error))
        return bad(error);

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

    // The run.
    if (::pipe2(s_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        printError(kCommand, u"cannot set up signal handling"_s);
        return ExitFailure;
    }
    struct sigaction action
    {
    };
    action.sa_handler = onTerminationSignal;
    sigemptyset(&action.sa_mask);
    for (int signal : { SIGINT, SIGTERM, SIGHUP })
        sigaction(signal, &action, nullptr);

    bench::BenchmarkRunner runner(catalog);
    bench::BenchmarkRunner::Options options;
    options.readinessTimeoutMs = int(*readinessValue * 1000);
    runner.setOptions(options);

    bool interrupted = false;
    QSocketNotifier notifier(s_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &runner, [&] {
        char buffer[16];
        while (::read(s_signalPipe[0], buffer, sizeof buffer) > 0) { }
        if (!interrupted)
            printErr(u"\nstackadvisor bench: interrupted, stopping the current server…\n"_s);
        interrupted = true;
        runner.cancel();
    });

    const bool live = ::isatty(STDERR_FILENO);
    int cellIndex = 0, cellCount = 0;
    QObject::connect(
        &runner, &bench::BenchmarkRunner::cellStarted, &runner, [&](const QString &, int index, int count) {
            cellIndex = index;
            cellCount = count;
        });
    QObject::connect(&runner, &bench::BenchmarkRunner::phaseChanged, &runner,
        [&](const QString &id, bench::BenchmarkRunner::Phase phase) {
            if (phase == bench::BenchmarkRunner::Phase::Starting)
                printErr(u"[%1/%2] %3: starting\n"_s.arg(cellIndex + 1).arg(cellCount).arg(id));
        });
    QObject::connect(&runner, &bench::BenchmarkRunner::sampleReady, &runner,
        [&](const QString &id, const bench::IntervalSample &s) {
            const QString text
                = u"[%1/%2] %3: %4 %5 req/s, p99 %6 ms, PSS %7 MB, CPU %8%"_s.arg(cellIndex + 1)
                      .arg(cellCount)
                      .arg(id, s.warmup ? u"warm-up"_s : u"measuring"_s, grouped(s.requestsPerSecond),
                          ms(s.p99Us), mb(s.pssBytes))
                      .arg(s.cpuPercent, 0, 'f', 0);
            printErr(live ? QString(u"\r\x1b[K"_s + text) : QString(text + u'\n'));
        });
    QObject::connect(
        &runner, &bench::BenchmarkRunner::cellFinished, &runner, [&](const bench::TargetResult &t) {
            QString text = live ? u"\r\x1b[K"_s : QString();
            if (t.status == bench::TargetStatus::Completed) {
                text += u"[%1/%2] %3: %4 req/s, p99 %5 ms, peak PSS %6 MB, CPU %7%\n"_s.arg(cellIndex + 1)
                            .arg(cellCount)
                            .arg(t.targetId, grouped(t.requestsPerSecond), ms(t.latency.p99Us),
                                mb(t.memory.peakPssBytes))
                            .arg(t.cpuPercentMean, 0, 'f', 0);
            } else {
                text += u"[%1/%2] %3: %4: %5\n"_s.arg(cellIndex + 1)
                            .arg(cellCount)
                            .arg(t.targetId, bench::targetStatusId(t.status), t.failureReason);
            }
            printErr(text);
        });
    QObject::connect(
        &runner, &bench::BenchmarkRunner::warning, &runner, [](const QString &, const QString &message) {
            printErr(u"stackadvisor bench: warning: "_s + message + u'\n');
        });
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

    bench::RunResult run = runner.result();
    printRun(run);
    int exitCode = ExitOk;
    // Cancelled while waiting for another benchmark: nothing ran, nothing to keep.
    if (save && !run.targets.isEmpty()) {
        if (const auto id = store.save(run, &error))
            printOut(
                u"\nSaved as run %1 in %2 (stackadvisor bench --show %1).\n"_s.arg(*id).arg(store.path()));
        else {
            printError(kCommand, u"the run could not be saved to the history: "_s + error);
            exitCode = ExitFailure;
        }
    }
    if (!exportRun(run, exports))
        exitCode = ExitFailure;
    if (interrupted || run.status == bench::RunStatus::Cancelled)
        return ExitInterrupted;
    for (const bench::TargetResult &t : run.targets) {
        if (t.status != bench::TargetStatus::Completed)
            exitCode = ExitFailure;
    }
    return exitCode;
}

} // namespace sa::cli
