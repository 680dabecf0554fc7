#include "runanalysis.h"

#include "format.h"

#include "platform/processcontrol.h"

#include <QCoreApplication>
#include <QMap>
#include <QSet>

#include <algorithm>

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

ResultColumn latencyColumn(const char *key, const QString &title, int views, double LatencySummary::*field,
    const QString &toolTip = {})
{
    return figureColumn(
        key, title, fmt::unitMilliseconds(), views,
        [field](const TargetResult &t) { return QVariant(t.latency.*field); },
        [field](const TargetResult &t) { return fmt::milliseconds(t.latency.*field); }, toolTip);
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
        tr("Completed requests per second over the measured window"));
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
        [](const TargetResult &t) { return QVariant(t.cpuPercentMean); },
        [](const TargetResult &t) { return fmt::number(t.cpuPercentMean); },
        tr("Server CPU over the measured window; 100 % = one core busy"));
    columns << figureColumn(
        "cpu_percent_peak", tr("CPU peak %"), fmt::unitPercent(), kGui | kCsv,
        [](const TargetResult &t) { return QVariant(t.cpuPercentPeak); },
        [](const TargetResult &t) { return fmt::number(t.cpuPercentPeak); });
    columns << bytesColumn(
        "deployable_bytes", tr("Deploy %1").arg(mib), kCli | kGui | kCsv,
        [](const TargetResult &t) { return t.deployableBytes; },
        tr("What you would ship: binary, or virtualenv and interpreter, or node_modules and runtime"));
    columns << countColumn(
        "workers", tr("Workers"), kCsv, [](const TargetResult &t) { return qint64(t.workers); }, false);
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
        u"generator_saturated"_s, u"errors_total"_s, u"error_percent"_s, u"comparable"_s, u"warnings"_s };
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

RunAnalysis RunAnalysis::analyse(const RunResult &run)
{
    QString error;
    const ClaimCheck *claims = ClaimCheck::standard(&error);
    return analyse(run, claims, error);
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
        cell.warnings = cellWarnings(t, cell.hasFigures);
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

    if (claims) {
        a.m_claims = claims->check(run, a.m_cells);
        a.m_claimsChecked = true;
        a.m_ratioTolerance = claims->ratioTolerance();
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

const ClaimRow *RunAnalysis::goVsPython() const
{
    for (const ClaimRow &row : m_claims) {
        if (row.numeratorLanguage == u"Go"_s && row.denominatorLanguage == u"Python"_s)
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
    const QList<ResultColumn> columns = resultColumns(view);
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
