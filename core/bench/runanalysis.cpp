#include "runanalysis.h"

#include "format.h"

#include "platform/processcontrol.h"

#include <QCoreApplication>
#include <QMap>
#include <QSet>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace sa::bench {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sa::bench::RunAnalysis", text);
}

QString displayName(const TargetResult &t)
{
    return t.displayName.isEmpty() ? t.targetId : t.displayName;
}

QList<CellWarning> cellWarnings(const TargetResult &t, bool hasFigures)
{
    QList<CellWarning> list;
    if (t.status == TargetStatus::Failed) {
        list << CellWarning { CellFlag::Failed, false,
            tr("Failed: %1").arg(t.failureReason.isEmpty() ? tr("no reason given") : t.failureReason),
            tr("failed") };
    }
    if (t.status == TargetStatus::Cancelled) {
        list << CellWarning { CellFlag::Cancelled, false,
            hasFigures ? tr("Cancelled before the window ended: the figures are partial.")
                       : tr("Cancelled before the window ended: no figures."),
            tr("cancelled") };
    }
    if (t.generatorSaturated) {
        list << CellWarning { CellFlag::GeneratorSaturated, true,
            tr("The load generator was saturated%1: the server may be faster than measured.")
                .arg(t.saturationReason.isEmpty() ? QString() : u" ("_s + t.saturationReason + u')'),
            tr("load generator saturated") };
    }
    // About the server itself (it listened on every interface, left processes
    // behind): worth knowing, not a doubt about its figures.
    for (const QString &warning : t.warnings)
        list << CellWarning { CellFlag::Server, true, warning, tr("server") };
    if (hasFigures && t.status != TargetStatus::Failed && t.errorRate() > TrustPolicy::kMaxErrorShare) {
        list << CellWarning { CellFlag::Errors, false,
            tr("%1 % of requests failed (above %2 %): the latency and throughput are not comparable.")
                .arg(fmt::percent(t.errorRate(), 1), fmt::percent(TrustPolicy::kMaxErrorShare, 0)),
            tr("%1 % errors").arg(fmt::percent(t.errorRate(), 1)) };
    }
    return list;
}

// The doubts that come from the rounds: too few of them, or too far apart.
QList<CellWarning> roundWarnings(const CellAnalysis &cell, const TargetResult &t, bool runCancelled)
{
    QList<CellWarning> list;
    if (!cell.hasFigures)
        return list;
    const FigureSpread &rps = cell.spread(RoundFigure::RequestsPerSecond);
    if (rps.hasSpread() && rps.cv > TrustPolicy::kMaxSpreadCv) {
        list << CellWarning { CellFlag::WideSpread, false,
            tr("Its rounds disagree: req/s from %1 to %2, a coefficient of variation of %3 % (above %4 %); "
               "the median is not comparable. Run it again on a quieter machine, or with more rounds.")
                .arg(fmt::number(rps.min), fmt::number(rps.max), fmt::percent(rps.cv, 1),
                    fmt::percent(TrustPolicy::kMaxSpreadCv, 0)),
            tr("rounds spread %1 %").arg(fmt::percent(rps.cv, 0)) };
    }
    const int ran = int(t.rounds.size());
    if (!t.rounds.empty() && ran < cell.plannedRounds && t.status == TargetStatus::Completed) {
        list << CellWarning { CellFlag::FewerRounds, true,
            runCancelled ? tr("Measured in %1 of %2 rounds (the run was cancelled): the median stands on "
                              "fewer rounds.")
                               .arg(ran)
                               .arg(cell.plannedRounds)
                         : tr("Measured in %1 of %2 rounds: the median stands on fewer rounds.")
                               .arg(ran)
                               .arg(cell.plannedRounds),
            tr("%1 of %2 rounds").arg(ran).arg(cell.plannedRounds) };
    }
    return list;
}

// The largest 1, 2 or 5 × 10^n at most `value` (at least 1).
int roundDown(double value)
{
    if (value < 1)
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (const double step : { 5.0, 2.0, 1.0 }) {
        if (step * magnitude <= value)
            return int(step * magnitude);
    }
    return int(magnitude);
}

// A cell whose requests timed out: fewer connections queue less at the server,
// more workers serve more at once, a longer timeout waits for the slow answers.
QList<Remedy> remediesOf(const CellAnalysis &cell, const TargetResult &t, const BenchmarkPlan &plan)
{
    QList<Remedy> list;
    const bool flagged = cell.hasFlag(CellFlag::Errors) || (cell.hasFlag(CellFlag::Failed) && t.requests > 0);
    if (!flagged || t.errors.timeout == 0 || 2 * t.errors.timeout < t.errors.total())
        return list;
    if (t.connections > 1) {
        const int fewer = roundDown(t.connections / 2.0);
        list << Remedy { Remedy::Kind::FewerConnections, double(fewer),
            tr("fewer connections (%1)").arg(fmt::number(fewer)), u"--connections %1"_s.arg(fewer) };
    }
    if (t.workers > 0) {
        const int more = t.workers * 2;
        list << Remedy { Remedy::Kind::MoreWorkers, double(more),
            tr("more workers (%1; every target gets them)").arg(more), u"--workers %1"_s.arg(more) };
    }
    const double timeout = (plan.timeoutSeconds > 0 ? plan.timeoutSeconds : 5.0) * 2;
    list << Remedy { Remedy::Kind::LongerTimeout, timeout,
        tr("a longer timeout (%1)").arg(fmt::seconds(timeout)),
        u"--timeout %1s"_s.arg(fmt::number(timeout)) };
    return list;
}

// Whether the server's and the load generator's CPU sets overlap.
bool sharesCpu(const QString &serverCpus, const QString &loadCpus)
{
    const auto server = platform::parseCpuList(serverCpus);
    const auto load = platform::parseCpuList(loadCpus);
    if (!server || !load)
        return false;
    for (int cpu : *server) {
        if (load->contains(cpu))
            return true;
    }
    return false;
}

// "pgx 5.7.5, pgxpool: 4 connections × 1 pool"; "" when not a database cell.
QString databaseClientText(const TargetResult &t)
{
    if (!t.database)
        return {};
    if (!t.database->client)
        return t.database->clientError;
    const DatabaseClientInfo &c = *t.database->client;
    return tr("%1 %2, %3: %4 connections × %5 pool(s)")
        .arg(c.driver, c.driverVersion, c.pool)
        .arg(c.poolSize)
        .arg(c.pools);
}

// ---- the columns ----------------------------------------------------------

using Raw = std::function<QVariant(const RunAnalysis &, const CellAnalysis &)>;
using Text = std::function<QString(const RunAnalysis &, const CellAnalysis &)>;

constexpr int kCli = int(ResultView::Cli);
constexpr int kGui = int(ResultView::Gui);
constexpr int kPdf = int(ResultView::Pdf);
constexpr int kCsv = int(ResultView::Csv);

// A column of text about the cell (always present).
ResultColumn textColumn(const char *key, const QString &title, int views,
    std::function<QString(const RunAnalysis &, const CellAnalysis &)> read, const QString &toolTip = {})
{
    ResultColumn c;
    c.key = QLatin1String(key);
    c.title = title;
    c.views = views;
    c.toolTip = toolTip;
    c.raw = [read](const RunAnalysis &a, const CellAnalysis &cell) { return QVariant(read(a, cell)); };
    c.text = read;
    return c;
}

// A figure of the load window: absent when the cell has no figures.
ResultColumn figureColumn(const char *key, const QString &title, const QString &unit, int views,
    std::function<QVariant(const TargetResult &)> value, std::function<QString(const TargetResult &)> format,
    const QString &toolTip = {})
{
    ResultColumn c;
    c.key = QLatin1String(key);
    c.title = title;
    c.unit = unit;
    c.views = views;
    c.numeric = true;
    c.toolTip = toolTip;
    c.raw = [value](const RunAnalysis &a, const CellAnalysis &cell) {
        return cell.hasFigures ? value(a.result(cell)) : QVariant();
    };
    c.text = [format](const RunAnalysis &a, const CellAnalysis &cell) {
        return cell.hasFigures ? format(a.result(cell)) : fmt::none();
    };
    return c;
}

// Whether the server's resources were sampled at all (not for a run read back
// from another engine, nor a remote server without a sampler): its tree always
// has some resident memory when it was.
bool sampled(const TargetResult &t)
{
    return t.memory.peakRssBytes > 0 || t.memory.peakPssBytes > 0 || t.memory.idleRssBytes > 0
        || t.memory.idlePssBytes > 0;
}

// A byte count that is known independently of the load (idle memory, the build's footprint).
ResultColumn bytesColumn(const char *key, const QString &title, int views,
    qint64 (*bytes)(const TargetResult &), const QString &toolTip = {})
{
    ResultColumn c;
    c.key = QLatin1String(key);
    c.title = title;
    c.unit = fmt::unitMebibytes();
    c.views = views;
    c.numeric = true;
    c.toolTip = toolTip;
    c.raw = [bytes](const RunAnalysis &a, const CellAnalysis &cell) {
        const qint64 b = bytes(a.result(cell));
        return b > 0 ? QVariant(b) : QVariant();
    };
    c.text = [bytes](const RunAnalysis &a, const CellAnalysis &cell) {
        return fmt::mebibytes(bytes(a.result(cell)));
    };
    return c;
}

// A whole number recorded with the cell (counts, settings).
ResultColumn countColumn(const char *key, const QString &title, int views,
    qint64 (*count)(const TargetResult &), bool needsFigures = true)
{
    ResultColumn c;
    c.key = QLatin1String(key);
    c.title = title;
    c.views = views;
    c.numeric = true;
    c.raw = [count, needsFigures](const RunAnalysis &a, const CellAnalysis &cell) {
        return needsFigures && !cell.hasFigures ? QVariant() : QVariant(count(a.result(cell)));
    };
    c.text = [count, needsFigures](const RunAnalysis &a, const CellAnalysis &cell) {
        return needsFigures && !cell.hasFigures ? fmt::none() : fmt::number(double(count(a.result(cell))));
    };
    return c;
}

// The spread of a figure over the cell's rounds: "min–max", or its coefficient
// of variation in % (none with fewer than two rounds).
enum class SpreadPart { Min, Max, Range, Cv };
ResultColumn spreadColumn(const char *key, const QString &title, int views, RoundFigure figure,
    SpreadPart part, std::function<QString(double)> format, const QString &toolTip = {})
{
    ResultColumn c;
    c.key = QLatin1String(key);
    c.title = title;
    c.unit = part == SpreadPart::Cv ? fmt::unitPercent() : QString();
    c.views = views;
    c.numeric = true;
    c.toolTip = toolTip;
    c.raw = [figure, part](const RunAnalysis &, const CellAnalysis &cell) -> QVariant {
        const FigureSpread &s = cell.spread(figure);
        if (!cell.hasFigures || !s.hasSpread())
            return {};
        switch (part) {
        case SpreadPart::Min:
            return s.min;
        case SpreadPart::Max:
            return s.max;
        case SpreadPart::Range:
            return s.max - s.min;
        case SpreadPart::Cv:
            return s.cv * 100.0;
        }
        return {};
    };
    c.text = [figure, part, format](const RunAnalysis &, const CellAnalysis &cell) -> QString {
        const FigureSpread &s = cell.spread(figure);
        if (!cell.hasFigures || !s.hasSpread())
            return fmt::none();
        switch (part) {
        case SpreadPart::Min:
            return format(s.min);
        case SpreadPart::Max:
            return format(s.max);
        case SpreadPart::Range:
            return format(s.min) + u"–"_s + format(s.max);
        case SpreadPart::Cv:
            return fmt::percent(s.cv, 1);
        }
        return fmt::none();
    };
    return c;
}

ResultColumn latencyColumn(const char *key, const QString &title, int views, double LatencySummary::*field,
    const QString &toolTip = {})
{
    return figureColumn(
        key, title, fmt::unitMilliseconds(), views,
        [field](const TargetResult &t) { return QVariant(t.latency.*field); },
        [field](const TargetResult &t) { return fmt::milliseconds(t.latency.*field); }, toolTip);
}

// PostgreSQL's figures beside the server's: a database cell with figures has them.
ResultColumn databaseColumn(const char *key, const QString &title, const QString &unit, int views,
    std::function<QVariant(const DatabaseCellStats &)> value,
    std::function<QString(const DatabaseCellStats &)> format, const QString &toolTip)
{
    ResultColumn c;
    c.key = QLatin1String(key);
    c.title = title;
    c.unit = unit;
    c.views = views;
    c.numeric = true;
    c.whenPresent = true;
    c.toolTip = toolTip;
    c.raw = [value](const RunAnalysis &a, const CellAnalysis &cell) {
        const TargetResult &t = a.result(cell);
        return cell.hasFigures && t.database ? value(*t.database) : QVariant();
    };
    c.text = [format](const RunAnalysis &a, const CellAnalysis &cell) {
        const TargetResult &t = a.result(cell);
        return cell.hasFigures && t.database ? format(*t.database) : fmt::none();
    };
    return c;
}

QList<ResultColumn> databaseColumns()
{
    const QString tree = tr("PostgreSQL's whole process tree (the postmaster and every backend serving the "
                            "server's pool), sampled from /proc like the server's");
    QList<ResultColumn> columns;
    columns << databaseColumn(
        "database_cpu_percent_mean", tr("DB CPU %"), fmt::unitPercent(), kCli | kGui | kPdf | kCsv,
        [](const DatabaseCellStats &d) { return QVariant(d.cpuPercentMean); },
        [](const DatabaseCellStats &d) { return fmt::number(d.cpuPercentMean); },
        tr("CPU of %1, over the measured window; 100 % = one core busy").arg(tree));
    columns << databaseColumn(
        "database_cpu_percent_peak", tr("DB CPU peak %"), fmt::unitPercent(), kGui | kCsv,
        [](const DatabaseCellStats &d) { return QVariant(d.cpuPercentPeak); },
        [](const DatabaseCellStats &d) { return fmt::number(d.cpuPercentPeak); },
        tr("CPU of %1, at its peak").arg(tree));
    columns << databaseColumn(
        "database_peak_pss_bytes", tr("DB peak PSS %1").arg(fmt::unitMebibytes()), fmt::unitMebibytes(),
        kCli | kGui | kPdf | kCsv,
        [](const DatabaseCellStats &d) { return d.peakPssBytes > 0 ? QVariant(d.peakPssBytes) : QVariant(); },
        [](const DatabaseCellStats &d) { return fmt::mebibytes(d.peakPssBytes); },
        tr("Proportional set size of %1, in MiB, at its peak under load").arg(tree));
    columns << databaseColumn(
        "database_mean_pss_bytes", tr("DB mean PSS %1").arg(fmt::unitMebibytes()), fmt::unitMebibytes(), kCsv,
        [](const DatabaseCellStats &d) { return d.meanPssBytes > 0 ? QVariant(d.meanPssBytes) : QVariant(); },
        [](const DatabaseCellStats &d) { return fmt::mebibytes(d.meanPssBytes); },
        tr("Proportional set size of %1, in MiB, over the measured window").arg(tree));
    {
        ResultColumn c = textColumn(
            "database_client", tr("DB client"), kGui | kCsv,
            [](const RunAnalysis &a, const CellAnalysis &cell) { return databaseClientText(a.result(cell)); },
            tr("The server's database driver and pool, as its /info reported them"));
        c.whenPresent = true;
        c.raw = [](const RunAnalysis &a, const CellAnalysis &cell) {
            const QString text = databaseClientText(a.result(cell));
            return text.isEmpty() ? QVariant() : QVariant(text);
        };
        columns << c;
    }
    return columns;
}

// How many rounds each figure is over, and how far apart they were.
QList<ResultColumn> spreadColumns()
{
    const auto rps = [](double v) { return fmt::number(v); };
    const auto ms = [](double us) { return fmt::milliseconds(us); };
    QList<ResultColumn> columns;
    {
        ResultColumn c;
        c.key = u"rounds"_s;
        c.title = tr("Rounds");
        c.views = kCli | kGui | kCsv;
        c.numeric = true;
        c.toolTip = tr("Rounds the figures are over (each on a fresh server); the figures are their medians");
        c.raw = [](const RunAnalysis &, const CellAnalysis &cell) {
            return cell.hasFigures ? QVariant(cell.rounds()) : QVariant();
        };
        c.text = [](const RunAnalysis &, const CellAnalysis &cell) {
            if (!cell.hasFigures)
                return fmt::none();
            return cell.rounds() < cell.plannedRounds
                ? tr("%1 of %2").arg(cell.rounds()).arg(cell.plannedRounds)
                : QString::number(cell.rounds());
        };
        columns << c;
    }
    const QString rangeTip = tr("The slowest and the fastest round");
    const QString cvTip
        = tr("Coefficient of variation over the rounds: standard deviation ÷ mean; above %1 % "
             "the cell is not comparable")
              .arg(fmt::percent(TrustPolicy::kMaxSpreadCv, 0));
    columns << spreadColumn("requests_per_sec_range", tr("Req/s range"), kCli | kGui | kPdf,
        RoundFigure::RequestsPerSecond, SpreadPart::Range, rps, rangeTip);
    columns << spreadColumn("requests_per_sec_cv_percent", tr("Req/s CV %"), kCli | kGui | kPdf | kCsv,
        RoundFigure::RequestsPerSecond, SpreadPart::Cv, rps, cvTip);
    columns << spreadColumn(
        "requests_per_sec_min", tr("Req/s min"), kCsv, RoundFigure::RequestsPerSecond, SpreadPart::Min, rps);
    columns << spreadColumn(
        "requests_per_sec_max", tr("Req/s max"), kCsv, RoundFigure::RequestsPerSecond, SpreadPart::Max, rps);
    columns << spreadColumn("latency_p99_range", tr("p99 range ms"), kGui, RoundFigure::LatencyP99,
        SpreadPart::Range, ms, rangeTip);
    columns << spreadColumn("latency_p99_cv_percent", tr("p99 CV %"), kGui | kCsv, RoundFigure::LatencyP99,
        SpreadPart::Cv, ms, tr("Coefficient of variation of the p99 latency over the rounds"));
    columns << spreadColumn(
        "latency_p99_min_us", tr("p99 min"), kCsv, RoundFigure::LatencyP99, SpreadPart::Min, ms);
    columns << spreadColumn(
        "latency_p99_max_us", tr("p99 max"), kCsv, RoundFigure::LatencyP99, SpreadPart::Max, ms);
    return columns;
}

QList<ResultColumn> buildColumns()
{
    const QString ms = fmt::unitMilliseconds();
    const QString mib = fmt::unitMebibytes();
    QList<ResultColumn> columns;
    // Identity: always present, also for a cell that never ran.
    columns << textColumn(
        "target_id", tr("Id"), kCli | kCsv,
        [](const RunAnalysis &a, const CellAnalysis &c) { return a.result(c).targetId; },
        tr("The server's catalog id (stackadvisor bench --targets)"));
    columns << textColumn("target", tr("Target"), kGui | kPdf,
        [](const RunAnalysis &, const CellAnalysis &c) { return c.name; });
    columns << textColumn("name", tr("Name"), kCsv,
        [](const RunAnalysis &a, const CellAnalysis &c) { return a.result(c).displayName; });
    columns << textColumn("language", tr("Language"), kGui | kCsv,
        [](const RunAnalysis &a, const CellAnalysis &c) { return a.result(c).language; });
    columns << textColumn("framework", tr("Framework"), kGui | kCsv,
        [](const RunAnalysis &a, const CellAnalysis &c) { return a.result(c).framework; });
    columns << textColumn("framework_version", tr("Version"), kGui | kCsv,
        [](const RunAnalysis &a, const CellAnalysis &c) { return a.result(c).frameworkVersion; });
    columns << textColumn("scenario", tr("Scenario"), kCli | kGui | kCsv,
        [](const RunAnalysis &a, const CellAnalysis &c) { return scenarioId(a.result(c).scenario); });
    {
        ResultColumn c = countColumn(
            "connections", tr("Conns"), kCli | kGui | kCsv,
            [](const TargetResult &t) { return qint64(t.connections); }, false);
        c.toolTip = tr("Concurrent connections of the load generator");
        columns << c;
    }
    columns << textColumn("failure_reason", tr("Failure reason"), kCsv,
        [](const RunAnalysis &a, const CellAnalysis &c) { return a.result(c).failureReason; });
    columns << figureColumn(
        "duration_s", tr("Window s"), u"s"_s, kCsv,
        [](const TargetResult &t) { return QVariant(t.durationSeconds); },
        [](const TargetResult &t) { return fmt::number(t.durationSeconds, 1); });
    columns << countColumn(
        "requests", tr("Requests"), kGui | kCsv, [](const TargetResult &t) { return t.requests; });
    columns << figureColumn(
        "requests_per_sec", tr("Req/s"), fmt::unitRequestsPerSecond(), kCli | kGui | kPdf | kCsv,
        [](const TargetResult &t) { return QVariant(t.requestsPerSecond); },
        [](const TargetResult &t) { return fmt::number(t.requestsPerSecond); },
        tr("Completed requests per second over the measured window; the median of the rounds"));
    columns << spreadColumns();
    columns << latencyColumn(
        "latency_p50_us", tr("p50 ms"), kCli | kGui | kPdf | kCsv, &LatencySummary::p50Us);
    columns << latencyColumn("latency_p90_us", tr("p90 ms"), kGui | kCsv, &LatencySummary::p90Us);
    columns << latencyColumn("latency_p99_us", tr("p99 ms"), kCli | kGui | kPdf | kCsv,
        &LatencySummary::p99Us, tr("99th percentile latency; coordinated-omission corrected in open loop"));
    columns << latencyColumn("latency_p99_9_us", tr("p99.9 ms"), kGui | kCsv, &LatencySummary::p999Us);
    columns << latencyColumn("latency_max_us", tr("Max ms"), kGui | kCsv, &LatencySummary::maxUs);
    columns << latencyColumn("latency_mean_us", tr("Mean ms"), kGui | kCsv, &LatencySummary::meanUs);
    columns << countColumn(
        "errors_total", tr("Errors"), kGui | kCsv, [](const TargetResult &t) { return t.errors.total(); });
    columns << figureColumn(
        "error_percent", tr("Errors %"), fmt::unitPercent(), kCli | kGui | kPdf | kCsv,
        [](const TargetResult &t) { return QVariant(t.errorRate() * 100.0); },
        [](const TargetResult &t) { return fmt::percent(t.errorRate()); },
        tr("Failed requests (connect, read, timeout, status, parse) over all attempts"));
    columns << countColumn(
        "errors_connect", tr("Connect errors"), kCsv, [](const TargetResult &t) { return t.errors.connect; });
    columns << countColumn(
        "errors_read", tr("Read errors"), kCsv, [](const TargetResult &t) { return t.errors.read; });
    columns << countColumn(
        "errors_timeout", tr("Timeouts"), kCsv, [](const TargetResult &t) { return t.errors.timeout; });
    columns << countColumn(
        "errors_status", tr("Status errors"), kCsv, [](const TargetResult &t) { return t.errors.status; });
    columns << countColumn(
        "errors_parse", tr("Parse errors"), kCsv, [](const TargetResult &t) { return t.errors.parse; });
    const QString pssTip
        = tr("Proportional set size of the server's whole process tree, in MiB (2^20 bytes)");
    columns << bytesColumn(
        "peak_pss_bytes", tr("Peak PSS %1").arg(mib), kCli | kGui | kPdf | kCsv,
        [](const TargetResult &t) { return t.memory.peakPssBytes; }, pssTip + tr(", at its peak under load"));
    columns << bytesColumn(
        "mean_pss_bytes", tr("Mean PSS %1").arg(mib), kGui | kCsv,
        [](const TargetResult &t) { return t.memory.meanPssBytes; },
        pssTip + tr(", over the measured window"));
    columns << bytesColumn(
        "idle_pss_bytes", tr("Idle PSS %1").arg(mib), kCli | kGui | kCsv,
        [](const TargetResult &t) { return t.memory.idlePssBytes; }, pssTip + tr(", before the load"));
    columns << bytesColumn("peak_rss_bytes", tr("Peak RSS %1").arg(mib), kCli | kGui | kCsv,
        [](const TargetResult &t) { return t.memory.peakRssBytes; });
    columns << bytesColumn("mean_rss_bytes", tr("Mean RSS %1").arg(mib), kCsv,
        [](const TargetResult &t) { return t.memory.meanRssBytes; });
    columns << bytesColumn("idle_rss_bytes", tr("Idle RSS %1").arg(mib), kCsv,
        [](const TargetResult &t) { return t.memory.idleRssBytes; });
    columns << figureColumn(
        "cpu_percent_mean", tr("CPU %"), fmt::unitPercent(), kCli | kGui | kPdf | kCsv,
        [](const TargetResult &t) { return sampled(t) ? QVariant(t.cpuPercentMean) : QVariant(); },
        [](const TargetResult &t) { return sampled(t) ? fmt::number(t.cpuPercentMean) : fmt::none(); },
        tr("Server CPU over the measured window; 100 % = one core busy"));
    columns << figureColumn(
        "cpu_percent_peak", tr("CPU peak %"), fmt::unitPercent(), kGui | kCsv,
        [](const TargetResult &t) { return sampled(t) ? QVariant(t.cpuPercentPeak) : QVariant(); },
        [](const TargetResult &t) { return sampled(t) ? fmt::number(t.cpuPercentPeak) : fmt::none(); });
    columns << databaseColumns();
    columns << bytesColumn(
        "deployable_bytes", tr("Deploy %1").arg(mib), kCli | kGui | kCsv,
        [](const TargetResult &t) { return t.deployableBytes; },
        tr("What you would ship: binary, or virtualenv and interpreter, or node_modules and runtime"));
    {
        ResultColumn c = countColumn(
            "workers", tr("Workers"), kCli | kGui | kCsv,
            [](const TargetResult &t) { return qint64(t.workers); }, false);
        c.toolTip = tr("WORKERS (GOMAXPROCS for Go) of the server: one per server core in the in-process "
                       "scenarios, the server's own recommendation for I/O work in the database and io "
                       "scenarios, or --workers");
        columns << c;
    }
    columns << textColumn(
        "worker_rule", tr("Worker rule"), kGui | kCsv,
        [](const RunAnalysis &a, const CellAnalysis &c) { return a.result(c).workerRule; },
        tr("cores: one per server core; io-recommended: the server's recommendation for I/O-bound work; "
           "override: --workers"));
    columns << textColumn("server_cpus", tr("Server CPUs"), kCsv,
        [](const RunAnalysis &a, const CellAnalysis &c) { return a.result(c).serverCpus; });
    columns << textColumn("load_cpus", tr("Load CPUs"), kCsv,
        [](const RunAnalysis &a, const CellAnalysis &c) { return a.result(c).loadCpus; });
    columns << countColumn(
        "load_threads", tr("Load threads"), kCsv, [](const TargetResult &t) { return qint64(t.loadThreads); },
        false);
    {
        ResultColumn c = textColumn("generator_saturated", tr("Generator saturated"), kCsv,
            [](const RunAnalysis &a, const CellAnalysis &cell) {
                return a.result(cell).generatorSaturated ? u"true"_s : u"false"_s;
            });
        c.raw = [](const RunAnalysis &a, const CellAnalysis &cell) {
            return QVariant(a.result(cell).generatorSaturated);
        };
        columns << c;
    }
    {
        ResultColumn c = textColumn(
            "comparable", tr("Comparable"), kCsv, [](const RunAnalysis &, const CellAnalysis &cell) {
                return cell.comparable ? u"true"_s : u"false"_s;
            });
        c.raw = [](const RunAnalysis &, const CellAnalysis &cell) { return QVariant(cell.comparable); };
        columns << c;
    }
    columns << textColumn("status", tr("Status"), kCli | kGui | kPdf | kCsv,
        [](const RunAnalysis &a, const CellAnalysis &c) { return targetStatusId(a.result(c).status); });
    columns << textColumn(
        "warnings", tr("Notes"), kGui | kCsv,
        [](const RunAnalysis &, const CellAnalysis &c) { return c.warningTexts().join(u' '); },
        tr("Why a figure cannot be trusted, or why a target failed"));
    return columns;
}

// The CSV keeps the order of its first version, new columns at the end.
const QStringList &csvOrder()
{
    static const QStringList order { u"target_id"_s, u"name"_s, u"language"_s, u"framework"_s,
        u"framework_version"_s, u"scenario"_s, u"connections"_s, u"status"_s, u"failure_reason"_s,
        u"duration_s"_s, u"requests"_s, u"requests_per_sec"_s, u"latency_mean_us"_s, u"latency_p50_us"_s,
        u"latency_p90_us"_s, u"latency_p99_us"_s, u"latency_p99_9_us"_s, u"latency_max_us"_s,
        u"errors_connect"_s, u"errors_read"_s, u"errors_timeout"_s, u"errors_status"_s, u"errors_parse"_s,
        u"idle_rss_bytes"_s, u"idle_pss_bytes"_s, u"mean_rss_bytes"_s, u"mean_pss_bytes"_s,
        u"peak_rss_bytes"_s, u"peak_pss_bytes"_s, u"cpu_percent_mean"_s, u"cpu_percent_peak"_s,
        u"deployable_bytes"_s, u"workers"_s, u"server_cpus"_s, u"load_cpus"_s, u"load_threads"_s,
        u"generator_saturated"_s, u"errors_total"_s, u"error_percent"_s, u"comparable"_s, u"warnings"_s,
        u"worker_rule"_s, u"database_cpu_percent_mean"_s, u"database_cpu_percent_peak"_s,
        u"database_mean_pss_bytes"_s, u"database_peak_pss_bytes"_s, u"database_client"_s, u"rounds"_s,
        u"requests_per_sec_min"_s, u"requests_per_sec_max"_s, u"requests_per_sec_cv_percent"_s,
        u"latency_p99_min_us"_s, u"latency_p99_max_us"_s, u"latency_p99_cv_percent"_s };
    return order;
}

} // namespace

QString csvField(const QString &text)
{
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n') && !text.contains(u'\r'))
        return text;
    QString quoted = text;
    quoted.replace(u'"', u"\"\""_s);
    return u'"' + quoted + u'"';
}

QString csvValue(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::UnknownType:
        return {};
    case QMetaType::Double:
        return QString::number(value.toDouble(), 'f', 2);
    case QMetaType::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    default:
        return csvField(value.toString());
    }
}

QString alignedText(const QList<QStringList> &rows, const QList<bool> &numeric)
{
    QList<int> widths(numeric.size(), 0);
    for (const QStringList &row : rows) {
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], int(row.at(i).size()));
    }
    QString text;
    for (const QStringList &row : rows) {
        QString line;
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i) {
            line += numeric.at(i) ? row.at(i).rightJustified(widths[i]) : row.at(i).leftJustified(widths[i]);
            if (i + 1 < row.size())
                line += u"  "_s;
        }
        // Trailing blanks only: a first column may be a blank marker.
        while (line.endsWith(u' '))
            line.chop(1);
        text += line + u'\n';
    }
    return text;
}

QString cellFlagId(CellFlag flag)
{
    switch (flag) {
    case CellFlag::Failed:
        return u"failed"_s;
    case CellFlag::Cancelled:
        return u"cancelled"_s;
    case CellFlag::Errors:
        return u"errors"_s;
    case CellFlag::GeneratorSaturated:
        return u"generator-saturated"_s;
    case CellFlag::SharedCpu:
        return u"shared-cpu"_s;
    case CellFlag::WideSpread:
        return u"wide-spread"_s;
    case CellFlag::FewerRounds:
        return u"fewer-rounds"_s;
    case CellFlag::Server:
        return u"server"_s;
    }
    return {};
}

QStringList CellAnalysis::warningTexts() const
{
    QStringList list;
    for (const CellWarning &w : warnings)
        list << w.text;
    return list;
}

QString CellAnalysis::caveat() const
{
    QStringList briefs;
    for (const CellWarning &w : warnings)
        briefs << w.brief;
    return briefs.join(u"; "_s);
}

bool CellAnalysis::hasFlag(CellFlag flag) const
{
    return std::any_of(
        warnings.cbegin(), warnings.cend(), [flag](const CellWarning &w) { return w.flag == flag; });
}

const FigureSpread &CellAnalysis::spread(RoundFigure figure) const
{
    static const FigureSpread none;
    const qsizetype i = qsizetype(figure);
    return i >= 0 && i < spreads.size() ? spreads.at(i) : none;
}

const QList<ResultColumn> &resultColumns()
{
    static const QList<ResultColumn> columns = buildColumns();
    return columns;
}

QList<ResultColumn> resultColumns(ResultView view)
{
    QList<ResultColumn> list;
    if (view == ResultView::Csv) {
        for (const QString &key : csvOrder()) {
            for (const ResultColumn &c : resultColumns()) {
                if (c.key == key && c.shownIn(view))
                    list << c;
            }
        }
        // A capacity run's figures, empty for other runs.
        list << capacityColumns(view);
        return list;
    }
    for (const ResultColumn &c : resultColumns()) {
        if (c.shownIn(view))
            list << c;
    }
    return list;
}

QList<ResultColumn> resultColumns(ResultView view, const RunAnalysis &analysis)
{
    QList<ResultColumn> list;
    for (const ResultColumn &c : resultColumns(view)) {
        if (c.whenPresent
            && std::none_of(analysis.cells().cbegin(), analysis.cells().cend(),
                [&](const CellAnalysis &cell) { return c.raw(analysis, cell).isValid(); }))
            continue;
        list << c;
    }
    return list;
}

RunAnalysis RunAnalysis::analyse(const RunResult &run)
{
    QString error;
    const ClaimCheck *claims = ClaimCheck::standard(&error);
    return analyse(run, claims, error);
}

QString RunAnalysis::engineCaveat(const LoadEngine &engine)
{
    const QString who = engine.workers > 0
        ? tr("Measured by Locust %1 with %2 %3, read back from %4.")
              .arg(engine.version)
              .arg(engine.workers)
              .arg(engine.workers == 1 ? tr("worker") : tr("workers"), engine.importedFrom)
        : tr("Measured by Locust %1 in one process, read back from %2.")
              .arg(engine.version, engine.importedFrom);
    return who + u' '
        + tr(
            "Where its figures differ from stackadvisor-load's: Locust keeps response times to 2 significant "
            "digits above 100 ms (1 ms below), so percentiles there are approximate; its open loop paces "
            "each user, so a late answer delays that user's next request and the latencies are not "
            "corrected for coordinated omission; the server's memory and CPU were not measured.");
}

RunAnalysis RunAnalysis::analyse(const RunResult &run, const ClaimCheck *claims, const QString &claimsError)
{
    RunAnalysis a;
    a.m_run = run;
    QSet<QString> scenarioLevels;
    for (const TargetResult &t : run.targets)
        scenarioLevels.insert(scenarioId(t.scenario) + u'/' + QString::number(t.connections));
    a.m_manyCells
        = scenarioLevels.size() > 1 || run.plan.scenarios.size() > 1 || run.plan.connectionLevels.size() > 1;
    // A capacity run's scaling: the same target at several server-core counts.
    const bool manyCores = run.plan.capacity.enabled && run.plan.capacity.scalingCores.size() > 1;

    bool shared = false;
    for (int i = 0; i < run.targets.size(); ++i) {
        const TargetResult &t = run.targets.at(i);
        CellAnalysis cell;
        cell.index = i;
        cell.name = a.m_manyCells
            ? tr("%1 · %2 · %3 conns")
                  .arg(displayName(t), scenarioTitle(t.scenario), fmt::number(t.connections))
            : displayName(t);
        cell.hasFigures = t.requests > 0 && t.durationSeconds > 0;
        cell.plannedRounds = std::max(1, run.plan.rounds);
        for (RoundFigure figure : { RoundFigure::RequestsPerSecond, RoundFigure::LatencyP50,
                 RoundFigure::LatencyP90, RoundFigure::LatencyP99, RoundFigure::LatencyMean,
                 RoundFigure::PeakPss, RoundFigure::CpuMean })
            cell.spreads << (cell.hasFigures ? cellSpread(t, figure) : FigureSpread {});
        cell.warnings = cellWarnings(t, cell.hasFigures);
        cell.warnings += roundWarnings(cell, t, run.status == RunStatus::Cancelled);
        cell.remedies = remediesOf(cell, t, run.plan);
        for (CellWarning &warning : cell.warnings) {
            if (!cell.remedies.isEmpty()
                && (warning.flag == CellFlag::Errors || warning.flag == CellFlag::Failed))
                warning.text += u' ' + remedyText(cell);
        }
        cell.comparable = cell.hasFigures && t.status == TargetStatus::Completed
            && std::all_of(cell.warnings.cbegin(), cell.warnings.cend(),
                [](const CellWarning &w) { return w.comparable; });
        if (manyCores)
            cell.name += t.workers == 1 ? tr(" · 1 core") : tr(" · %1 cores").arg(t.workers);
        shared = shared || sharesCpu(t.serverCpus, t.loadCpus);
        a.m_cells << cell;
    }
    if (run.status == RunStatus::Cancelled)
        a.m_runWarnings << tr("The run was cancelled: its figures may be partial.");
    if (run.status == RunStatus::Failed)
        a.m_runWarnings << tr("The run failed: only the cells that completed have comparable figures.");
    if (shared)
        a.m_runWarnings << tr(
            "The server and the load generator shared a CPU: figures are lower and noisier than on "
            "separate cores.");
    if (!run.engine.isOwn())
        a.m_runWarnings << engineCaveat(run.engine);

    a.m_databaseGap = DatabaseGap::compute(run, a.m_cells, u"Go"_s, u"Python"_s);
    if (claims) {
        a.m_claims = claims->check(run, a.m_cells);
        a.m_claimsChecked = true;
        a.m_ratioTolerance = claims->ratioTolerance();
        a.m_claimNotes = claims->generalNotes();
    } else {
        a.m_claimsError = claimsError;
    }
    analyseCapacity(run, a.m_cells, &a.m_cellCapacity, &a.m_capacity);
    return a;
}

bool RunAnalysis::anyFigures() const
{
    return std::any_of(m_cells.cbegin(), m_cells.cend(), [](const CellAnalysis &c) { return c.hasFigures; });
}

bool RunAnalysis::anyComparable() const
{
    return std::any_of(m_cells.cbegin(), m_cells.cend(), [](const CellAnalysis &c) { return c.comparable; });
}

QList<const CellAnalysis *> RunAnalysis::comparableCells() const
{
    QList<const CellAnalysis *> list;
    for (const CellAnalysis &c : m_cells) {
        if (c.comparable)
            list << &c;
    }
    return list;
}

QList<const CellAnalysis *> RunAnalysis::cellsWithFigures() const
{
    QList<const CellAnalysis *> list;
    for (const CellAnalysis &c : m_cells) {
        if (c.hasFigures)
            list << &c;
    }
    return list;
}

QStringList RunAnalysis::allWarnings() const
{
    QStringList list = m_runWarnings;
    for (const CellAnalysis &c : m_cells) {
        for (const CellWarning &w : c.warnings)
            list << c.name + u": "_s + w.text;
    }
    return list;
}

QString RunAnalysis::remedyText(const CellAnalysis &cell)
{
    if (cell.remedies.isEmpty())
        return {};
    QStringList parts;
    for (const Remedy &remedy : cell.remedies)
        parts << remedy.text;
    const QString last = parts.takeLast();
    return parts.isEmpty() ? tr("What would help: %1.").arg(last)
                           : tr("What would help: %1 or %2.").arg(parts.join(u", "_s), last);
}

const ClaimRow *RunAnalysis::goVsPython() const
{
    for (const ClaimRow &row : m_claims) {
        if (row.kind == ClaimKind::Ratio && row.numeratorLanguage == u"Go"_s
            && row.denominatorLanguage == u"Python"_s)
            return &row;
    }
    return nullptr;
}

QList<const CellAnalysis *> RunAnalysis::fastestPerLanguage() const
{
    // The first scenario and connection level, in run order, that has a comparable cell.
    const CellAnalysis *first = nullptr;
    for (const CellAnalysis &c : m_cells) {
        if (c.comparable) {
            first = &c;
            break;
        }
    }
    QList<const CellAnalysis *> best;
    if (!first)
        return best;
    const TargetResult &reference = result(*first);
    QMap<QString, const CellAnalysis *> byLanguage;
    for (const CellAnalysis &c : m_cells) {
        const TargetResult &t = result(c);
        if (!c.comparable || t.scenario != reference.scenario || t.connections != reference.connections)
            continue;
        const CellAnalysis *&slot = byLanguage[t.language];
        if (!slot || result(*slot).requestsPerSecond < t.requestsPerSecond)
            slot = &c;
    }
    best = byLanguage.values();
    std::sort(best.begin(), best.end(), [this](const CellAnalysis *a, const CellAnalysis *b) {
        return result(*a).requestsPerSecond > result(*b).requestsPerSecond;
    });
    return best;
}

QString RunAnalysis::tableText(ResultView view) const
{
    const QList<ResultColumn> columns = resultColumns(view, *this);
    QList<QStringList> rows;
    QStringList header;
    for (const ResultColumn &c : columns)
        header << c.title;
    rows << header;
    for (const CellAnalysis &cell : m_cells) {
        QStringList row;
        for (const ResultColumn &c : columns)
            row << c.text(*this, cell);
        rows << row;
    }
    QList<bool> numeric;
    for (const ResultColumn &c : columns)
        numeric << c.numeric;
    return alignedText(rows, numeric);
}

QString RunAnalysis::toCsv() const
{
    const QList<ResultColumn> columns = resultColumns(ResultView::Csv);
    QStringList header;
    for (const ResultColumn &c : columns)
        header << c.key;
    QString csv = header.join(u',') + u"\r\n"_s;
    for (const CellAnalysis &cell : m_cells) {
        QStringList row;
        for (const ResultColumn &c : columns)
            row << csvValue(c.raw(*this, cell));
        csv += row.join(u',') + u"\r\n"_s;
    }
    return csv;
}

} // namespace sa::bench
