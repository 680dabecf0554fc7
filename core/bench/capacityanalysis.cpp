#include "capacityanalysis.h"

#include "format.h"
#include "runanalysis.h"

#include "platform/processcontrol.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QMap>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace sa::bench {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sa::bench::CapacityAnalysis", text);
}

int serverCoresOf(const TargetResult &t)
{
    if (const auto cpus = platform::parseCpuList(t.serverCpus); cpus && !cpus->isEmpty())
        return int(cpus->size());
    return std::max(1, t.workers);
}

QString latencyTarget(double ms)
{
    return fmt::number(ms, ms < 10 ? 1 : 0) + u" ms"_s;
}

QString rate(double requestsPerSecond)
{
    return fmt::number(requestsPerSecond) + u" req/s"_s;
}

QString coresText(double cores)
{
    if (cores > 0 && cores < 0.005)
        return u"< 0.01"_s;
    return fmt::number(cores, cores < 10 ? 2 : 1);
}

CellCapacity readCell(const TargetResult &t, const CapacityPlan &plan)
{
    CellCapacity c;
    c.closedLoopRate = t.requestsPerSecond;
    c.serverCores = serverCoresOf(t);
    c.workers = std::max(1, t.workers);
    if (!t.capacity)
        return c;
    c.swept = true;
    const QList<CapacityStep> &steps = t.capacity->steps;
    c.reading = readSweep(steps, plan);
    if (c.reading.sustainable >= 0) {
        const CapacityStep &s = steps.at(c.reading.sustainable);
        c.sustainableRate = s.offeredRate;
        c.requestsPerCore = s.offeredRate / c.serverCores;
        c.cpuUsPerRequestSustainable = cpuMicrosecondsPerRequest(s);
        c.memoryPerWorkerBytes = s.meanPssBytes > 0 ? s.meanPssBytes / c.workers : 0;
    }
    c.sustainableIsLowerBound = c.reading.sustainable >= 0 && c.reading.knee < 0;
    if (c.reading.knee >= 0)
        c.kneeRate = steps.at(c.reading.knee).offeredRate;
    // The common-rate step: the last one run at that rate (a repeat counts).
    for (int i : std::as_const(c.reading.byRate)) {
        if (plan.commonRate >= 1 && std::abs(steps.at(i).offeredRate - std::round(plan.commonRate)) < 0.5) {
            c.commonStep = i;
            c.commonSustained = c.reading.verdicts.at(i).sustained;
            c.cpuUsPerRequestCommon = cpuMicrosecondsPerRequest(steps.at(i));
        }
    }

    if (steps.isEmpty()) {
        c.summary = tr("ran no capacity step: %1").arg(t.capacity->stopReason);
    } else if (c.reading.sustainable < 0) {
        const CapacityStep &low = steps.at(c.reading.byRate.constFirst());
        c.summary
            = tr("sustained no step: at %1, the lowest offered, %2")
                  .arg(rate(low.offeredRate), c.reading.verdicts.at(c.reading.byRate.constFirst()).text);
    } else {
        const CapacityStep &s = steps.at(c.reading.sustainable);
        c.summary = tr("sustains %1 with p99 %2 ms (target %3)")
                        .arg(rate(s.offeredRate), fmt::milliseconds(s.latency.p99Us),
                            latencyTarget(plan.latencyTargetMs));
        if (c.reading.knee >= 0) {
            c.summary += tr("; at %1: %2").arg(rate(c.kneeRate), c.reading.verdicts.at(c.reading.knee).text);
        } else {
            c.summary += tr("; every step was sustained, so its capacity is at least that");
        }
    }
    return c;
}

} // namespace

std::optional<double> cpuMicrosecondsPerRequest(const CapacityStep &step)
{
    if (step.achievedRate <= 0 || step.cpuPercentMean <= 0)
        return std::nullopt;
    return step.cpuPercentMean / 100.0 * 1e6 / step.achievedRate;
}

const CapacityStep *CellCapacity::sustainableStep(const TargetResult &t) const
{
    return t.capacity && reading.sustainable >= 0 ? &t.capacity->steps.at(reading.sustainable) : nullptr;
}

const CapacityStep *CellCapacity::kneeStep(const TargetResult &t) const
{
    return t.capacity && reading.knee >= 0 ? &t.capacity->steps.at(reading.knee) : nullptr;
}

const CapacityTarget *CapacitySummary::target(const QString &targetId) const
{
    for (const CapacityTarget &t : targets) {
        if (t.targetId == targetId)
            return &t;
    }
    return nullptr;
}

void analyseCapacity(const RunResult &run, const QList<CellAnalysis> &cells,
    QList<CellCapacity> *cellCapacity, CapacitySummary *summary)
{
    const CapacityPlan &plan = run.plan.capacity;
    cellCapacity->clear();
    *summary = CapacitySummary {};
    for (const TargetResult &t : run.targets)
        *cellCapacity << readCell(t, plan);
    summary->isCapacityRun = plan.enabled
        || std::any_of(run.targets.cbegin(), run.targets.cend(),
            [](const TargetResult &t) { return t.capacity.has_value(); });
    if (!summary->isCapacityRun)
        return;
    summary->latencyTargetMs = plan.latencyTargetMs;
    summary->peakRequestsPerSecond = plan.peakRequestsPerSecond;
    summary->headroom = plan.headroom;
    summary->coresPerServer = std::max(1, plan.coresPerServer);
    summary->commonRate = plan.commonRate;

    // Group the completed swept cells by target, scenario and connections; each
    // group's cells differ only in their server cores.
    QMap<QString, QList<int>> groups;
    QStringList order;
    for (const CellAnalysis &cell : cells) {
        const TargetResult &t = run.targets.at(cell.index);
        const CellCapacity &c = cellCapacity->at(cell.index);
        if (!c.swept || t.status != TargetStatus::Completed)
            continue;
        const QString key
            = t.targetId + u'\x1f' + scenarioId(t.scenario) + u'\x1f' + QString::number(t.connections);
        if (!groups.contains(key))
            order << key;
        groups[key] << cell.index;
    }
    bool allCommon = !order.isEmpty() && plan.commonRate >= 1;
    QStringList missedCommon;
    for (const QString &key : std::as_const(order)) {
        QList<int> indices = groups.value(key);
        std::sort(indices.begin(), indices.end(),
            [&](int a, int b) { return cellCapacity->at(a).serverCores < cellCapacity->at(b).serverCores; });
        const TargetResult &first = run.targets.at(indices.constFirst());
        CapacityTarget target;
        target.targetId = first.targetId;
        target.name = first.displayName.isEmpty() ? first.targetId : first.displayName;
        target.language = first.language;
        target.scenario = first.scenario;
        target.connections = first.connections;
        for (int index : std::as_const(indices)) {
            const CellCapacity &c = cellCapacity->at(index);
            if (!c.commonSustained) {
                allCommon = false;
                missedCommon << cells.at(index).name;
            }
            if (c.sustainableRate <= 0)
                continue;
            ScalingPoint point;
            point.serverCores = c.serverCores;
            point.sustainableRate = c.sustainableRate;
            point.cellIndex = index;
            target.scaling << point;
        }
        if (target.scaling.isEmpty())
            continue;
        const double basePerCore
            = target.scaling.constFirst().sustainableRate / target.scaling.constFirst().serverCores;
        for (ScalingPoint &point : target.scaling)
            point.efficiency = point.sustainableRate / (point.serverCores * basePerCore);
        const ScalingPoint &top = target.scaling.constLast();
        target.cellIndex = top.cellIndex;
        target.serverCores = top.serverCores;
        target.sustainableRate = top.sustainableRate;
        target.requestsPerCore = top.sustainableRate / top.serverCores;
        const double usable = target.requestsPerCore * (1.0 - plan.headroom);
        target.coresAtPeak = usable > 0 ? plan.peakRequestsPerSecond / usable : 0;
        target.serversAtPeak
            = std::max(1, int(std::ceil(target.coresAtPeak / summary->coresPerServer - 1e-9)));
        const CellCapacity &c = cellCapacity->at(top.cellIndex);
        const CapacityStep *step = c.sustainableStep(run.targets.at(top.cellIndex));
        target.source
            = tr("%1 sustained %2 on %3 with p99 %4 ms ≤ %5 (%6, %7 connections, open loop)%8")
                  .arg(target.name, rate(top.sustainableRate),
                      top.serverCores == 1 ? tr("one server core")
                                           : tr("%1 server cores").arg(top.serverCores))
                  .arg(step ? fmt::milliseconds(step->latency.p99Us) : fmt::none(),
                      latencyTarget(plan.latencyTargetMs), scenarioTitle(target.scenario),
                      fmt::number(target.connections),
                      c.sustainableIsLowerBound ? tr("; every step was sustained, so it is a lower bound")
                                                : QString());
        if (target.scaling.size() > 1)
            summary->scalingMeasured = true;
        summary->targets << target;
    }
    std::stable_sort(summary->targets.begin(), summary->targets.end(),
        [](const CapacityTarget &a, const CapacityTarget &b) { return a.coresAtPeak < b.coresAtPeak; });
    summary->commonRateSustainedByAll = allCommon;

    const QString sustained = tr(
        "a step is sustained when its p99 is at most %1, it achieved at least %2 % of the "
        "offered rate (less two requests for the window's edges), fewer than %3 % of its requests failed and "
        "the load generator kept up")
                                  .arg(latencyTarget(plan.latencyTargetMs),
                                      fmt::percent(plan.minAchievedShare, 0),
                                      fmt::percent(plan.maxErrorShare, 1));
    summary->method = tr(
        "Per target: the closed-loop maximum (%1 connections, %2 warm-up, %3 window), then open-loop steps "
        "of "
        "offered load from %4 % to %5 % of it in %6 even steps, each with %7 warm-up and at least %8 "
        "measured "
        "(longer at low rates, for %9 requests), then bisection between the highest sustained and the lowest "
        "unsustained rate (at most %10 times, until within %11 %). Latency is measured from each request's "
        "intended send time (coordinated omission corrected); %12. Sustainable throughput is the highest "
        "sustained offered rate below the lowest one that was not.")
                          .arg(run.plan.connectionLevels.isEmpty()
                                  ? fmt::none()
                                  : fmt::number(run.plan.connectionLevels.constFirst()),
                              fmt::seconds(run.plan.warmupSeconds), fmt::seconds(run.plan.durationSeconds),
                              fmt::percent(plan.lowFraction, 0), fmt::percent(plan.highFraction, 0))
                          .arg(plan.coarseSteps)
                          .arg(fmt::seconds(plan.stepWarmupSeconds), fmt::seconds(plan.stepSeconds),
                              fmt::number(plan.minStepRequests))
                          .arg(plan.maxBisections)
                          .arg(fmt::percent(plan.bisectionResolution, 0), sustained);

    // Scaling: measured when a target ran at more than one core count.
    QList<int> coreCounts;
    for (const CellCapacity &c : std::as_const(*cellCapacity)) {
        if (c.swept && !coreCounts.contains(c.serverCores))
            coreCounts << c.serverCores;
    }
    std::sort(coreCounts.begin(), coreCounts.end());
    const int cores = coreCounts.isEmpty() ? 1 : coreCounts.constLast();
    if (summary->scalingMeasured) {
        QStringList counts;
        for (int count : std::as_const(coreCounts))
            counts << QString::number(count);
        summary->scalingNote
            = tr("Scaling was measured at %1 server cores (WORKERS / GOMAXPROCS and the CPU set together). "
                 "Cores at "
                 "the peak use each target's figure per core at the most cores measured (%2); beyond that, "
                 "throughput is assumed to grow linearly with cores.")
                  .arg(counts.join(u", "_s))
                  .arg(cores);
    } else {
        summary->scalingNote
            = tr("Scaling over server cores was not measured: this machine has %1 logical cores and the load "
                 "generator needs its own, so every server ran on %2. Cores at the peak assume that "
                 "throughput grows linearly with cores from the %3-core figure, which multi-process and Go "
                 "servers "
                 "approach but seldom reach: treat the cores as a lower bound. On a machine with more cores, "
                 "--scaling 1,2,4 measures it.")
                  .arg(run.machine.logicalCores)
                  .arg(cores == 1 ? tr("one core") : tr("%1 cores").arg(cores))
                  .arg(cores);
    }
    summary->peakNote = tr(
        "At a peak of %1 with p99 ≤ %2, keeping %3 % of each server core's sustainable throughput free as "
        "headroom (cores = peak ÷ (sustainable req/s per core × %4)), on servers of %5 cores. The peak, the "
        "headroom and the server size are assumed; --peak, --headroom and --cores-per-server (or the "
        "Benchmark page) change them.")
                            .arg(rate(plan.peakRequestsPerSecond), latencyTarget(plan.latencyTargetMs),
                                fmt::percent(plan.headroom, 0), fmt::number(1.0 - plan.headroom, 2))
                            .arg(summary->coresPerServer);
    if (plan.commonRate < 1) {
        summary->commonNote = tr("No common rate was set, so CPU per request is compared at each target's "
                                 "sustainable rate only.");
    } else if (allCommon) {
        summary->commonNote
            = tr("Every target sustained the common rate of %1, so their CPU per request there "
                 "compares like with like.")
                  .arg(rate(plan.commonRate));
    } else {
        summary->commonNote
            = tr("Not every target sustained the common rate of %1 (%2): their CPU per request "
                 "there is that of an overloaded server, or missing.")
                  .arg(rate(plan.commonRate), missedCommon.join(u", "_s));
    }
}

QJsonObject CapacitySummary::toJson(const RunAnalysis &analysis) const
{
    const auto optional
        = [](const std::optional<double> &value) { return value ? QJsonValue(*value) : QJsonValue(); };
    QJsonArray cellArray;
    for (const CellAnalysis &cell : analysis.cells()) {
        const CellCapacity &c = analysis.capacity(cell);
        if (!c.swept)
            continue;
        const TargetResult &t = analysis.result(cell);
        QJsonArray steps;
        for (qsizetype i = 0; i < c.reading.verdicts.size(); ++i) {
            steps.append(QJsonObject { { u"index"_s, int(i) },
                { u"offeredRate"_s, t.capacity->steps.at(i).offeredRate },
                { u"sustained"_s, c.reading.verdicts.at(i).sustained },
                { u"counted"_s, !c.reading.superseded.at(i) },
                { u"verdict"_s, c.reading.verdicts.at(i).text },
                { u"cpuUsPerRequest"_s, optional(cpuMicrosecondsPerRequest(t.capacity->steps.at(i))) } });
        }
        const CapacityStep *sustainable = c.sustainableStep(t);
        cellArray.append(QJsonObject {
            { u"cell"_s, cell.index },
            { u"targetId"_s, t.targetId },
            { u"name"_s, cell.name },
            { u"scenario"_s, scenarioId(t.scenario) },
            { u"connections"_s, t.connections },
            { u"serverCores"_s, c.serverCores },
            { u"workers"_s, c.workers },
            { u"closedLoopRate"_s, c.closedLoopRate },
            { u"sustainableRate"_s, c.sustainableRate > 0 ? QJsonValue(c.sustainableRate) : QJsonValue() },
            { u"sustainableIsLowerBound"_s, c.sustainableIsLowerBound },
            { u"sustainableP99Us"_s, sustainable ? QJsonValue(sustainable->latency.p99Us) : QJsonValue() },
            { u"kneeRate"_s, c.kneeRate > 0 ? QJsonValue(c.kneeRate) : QJsonValue() },
            { u"sustainableStep"_s, c.reading.sustainable },
            { u"kneeStep"_s, c.reading.knee },
            { u"requestsPerCore"_s, c.requestsPerCore > 0 ? QJsonValue(c.requestsPerCore) : QJsonValue() },
            { u"cpuUsPerRequestCommon"_s, optional(c.cpuUsPerRequestCommon) },
            { u"commonSustained"_s, c.commonSustained },
            { u"cpuUsPerRequestSustainable"_s, optional(c.cpuUsPerRequestSustainable) },
            { u"memoryPerWorkerBytes"_s,
                c.memoryPerWorkerBytes > 0 ? QJsonValue(c.memoryPerWorkerBytes) : QJsonValue() },
            { u"summary"_s, c.summary },
            { u"stopReason"_s, t.capacity->stopReason },
            { u"steps"_s, steps },
        });
    }
    QJsonArray targetArray;
    for (const CapacityTarget &target : targets) {
        QJsonArray scaling;
        for (const ScalingPoint &point : target.scaling) {
            scaling.append(QJsonObject { { u"serverCores"_s, point.serverCores },
                { u"sustainableRate"_s, point.sustainableRate }, { u"efficiency"_s, point.efficiency },
                { u"cell"_s, point.cellIndex } });
        }
        targetArray.append(QJsonObject { { u"targetId"_s, target.targetId }, { u"name"_s, target.name },
            { u"language"_s, target.language }, { u"scenario"_s, scenarioId(target.scenario) },
            { u"connections"_s, target.connections }, { u"cell"_s, target.cellIndex },
            { u"serverCores"_s, target.serverCores }, { u"sustainableRate"_s, target.sustainableRate },
            { u"requestsPerCore"_s, target.requestsPerCore }, { u"coresAtPeak"_s, target.coresAtPeak },
            { u"serversAtPeak"_s, target.serversAtPeak }, { u"scaling"_s, scaling },
            { u"source"_s, target.source } });
    }
    return { { u"latencyTargetMs"_s, latencyTargetMs }, { u"peakRequestsPerSecond"_s, peakRequestsPerSecond },
        { u"headroom"_s, headroom }, { u"coresPerServer"_s, coresPerServer }, { u"commonRate"_s, commonRate },
        { u"commonRateSustainedByAll"_s, commonRateSustainedByAll },
        { u"scalingMeasured"_s, scalingMeasured }, { u"method"_s, method }, { u"scalingNote"_s, scalingNote },
        { u"peakNote"_s, peakNote }, { u"commonNote"_s, commonNote }, { u"cells"_s, cellArray },
        { u"targets"_s, targetArray } };
}

// ---- the tables -------------------------------------------------------------

namespace {

constexpr int kCli = int(ResultView::Cli);
constexpr int kGui = int(ResultView::Gui);
constexpr int kPdf = int(ResultView::Pdf);
constexpr int kCsv = int(ResultView::Csv);

// A capacity figure of a cell: absent (invalid, "—") when the cell has none.
ResultColumn capacityColumn(const char *key, const QString &title, const QString &unit, int views,
    std::function<std::optional<double>(const RunAnalysis &, const CellAnalysis &)> value,
    std::function<QString(double)> format, const QString &toolTip)
{
    ResultColumn c;
    c.key = QLatin1String(key);
    c.title = title;
    c.unit = unit;
    c.views = views;
    c.numeric = true;
    c.toolTip = toolTip;
    c.raw = [value](const RunAnalysis &a, const CellAnalysis &cell) {
        const std::optional<double> v = value(a, cell);
        return v ? QVariant(*v) : QVariant();
    };
    c.text = [value, format](const RunAnalysis &a, const CellAnalysis &cell) {
        const std::optional<double> v = value(a, cell);
        return v ? format(*v) : fmt::none();
    };
    return c;
}

std::optional<double> positive(double value)
{
    return value > 0 ? std::optional<double>(value) : std::nullopt;
}

// The peak figures belong to the cell a target's figure comes from.
const CapacityTarget *peakTarget(const RunAnalysis &a, const CellAnalysis &cell)
{
    const CapacityTarget *t = a.capacitySummary().target(a.result(cell).targetId);
    return t && t->cellIndex == cell.index ? t : nullptr;
}

QList<ResultColumn> buildCapacityColumns()
{
    const auto whole = [](double v) { return fmt::number(v); };
    const auto micro = [](double v) { return fmt::number(v, v < 100 ? 1 : 0); };
    QList<ResultColumn> columns;
    {
        ResultColumn c;
        c.key = u"capacity_target"_s;
        c.title = tr("Target");
        c.views = kCli | kGui | kPdf;
        c.raw = [](const RunAnalysis &, const CellAnalysis &cell) { return QVariant(cell.name); };
        c.text = [](const RunAnalysis &, const CellAnalysis &cell) { return cell.name; };
        columns << c;
    }
    columns << capacityColumn(
        "server_cores", tr("Cores"), QString(), kCli | kGui | kPdf | kCsv,
        [](const RunAnalysis &a, const CellAnalysis &cell) {
            return std::optional<double>(a.capacity(cell).serverCores);
        },
        whole, tr("Server CPUs of the cell (WORKERS / GOMAXPROCS)"));
    columns << capacityColumn(
        "closed_loop_rps", tr("Closed-loop req/s"), fmt::unitRequestsPerSecond(), kCli | kGui | kPdf,
        [](const RunAnalysis &a, const CellAnalysis &cell) {
            return positive(a.capacity(cell).closedLoopRate);
        },
        whole,
        tr("The most the server completed under closed-loop load, whatever its latency: where the steps "
           "start"));
    columns << capacityColumn(
        "sustainable_rps", tr("Sustainable req/s"), fmt::unitRequestsPerSecond(), kCli | kGui | kPdf | kCsv,
        [](const RunAnalysis &a, const CellAnalysis &cell) {
            return positive(a.capacity(cell).sustainableRate);
        },
        whole,
        tr("The highest offered rate sustained within the latency target, below the lowest one that was "
           "not"));
    columns << capacityColumn(
        "sustainable_p99_ms", tr("p99 there ms"), fmt::unitMilliseconds(), kCli | kGui | kPdf | kCsv,
        [](const RunAnalysis &a, const CellAnalysis &cell) -> std::optional<double> {
            const CapacityStep *s = a.capacity(cell).sustainableStep(a.result(cell));
            return s ? std::optional<double>(s->latency.p99Us) : std::nullopt;
        },
        [](double us) { return fmt::milliseconds(us); }, tr("p99 latency at the sustainable step"));
    columns << capacityColumn(
        "knee_rps", tr("Not sustained at"), fmt::unitRequestsPerSecond(), kCli | kGui | kPdf | kCsv,
        [](const RunAnalysis &a, const CellAnalysis &cell) { return positive(a.capacity(cell).kneeRate); },
        whole, tr("The knee: the lowest offered rate above the sustainable one that was not sustained"));
    columns << capacityColumn(
        "cpu_us_per_request_common", tr("CPU µs/req @ common"), u"µs"_s, kCli | kGui | kPdf | kCsv,
        [](const RunAnalysis &a, const CellAnalysis &cell) { return a.capacity(cell).cpuUsPerRequestCommon; },
        micro, tr("Server CPU per completed request at the common rate every target is offered"));
    columns << capacityColumn(
        "cpu_us_per_request_sustainable", tr("CPU µs/req @ sustainable"), u"µs"_s, kCli | kGui | kPdf | kCsv,
        [](const RunAnalysis &a, const CellAnalysis &cell) {
            return a.capacity(cell).cpuUsPerRequestSustainable;
        },
        micro, tr("Server CPU per completed request at the sustainable step"));
    {
        ResultColumn c = capacityColumn(
            "memory_per_worker_bytes", tr("MiB/worker"), fmt::unitMebibytes(), kCli | kGui | kPdf | kCsv,
            [](const RunAnalysis &a, const CellAnalysis &cell) {
                return positive(double(a.capacity(cell).memoryPerWorkerBytes));
            },
            [](double bytes) { return fmt::mebibytes(qint64(bytes)); },
            tr("Mean PSS of the whole process tree at the sustainable step ÷ workers (a master process "
               "included)"));
        c.raw = [](const RunAnalysis &a, const CellAnalysis &cell) {
            const qint64 bytes = a.capacity(cell).memoryPerWorkerBytes;
            return bytes > 0 ? QVariant(bytes) : QVariant();
        };
        columns << c;
    }
    columns << capacityColumn(
        "requests_per_core", tr("Req/s per core"), fmt::unitRequestsPerSecond(), kGui | kPdf | kCsv,
        [](const RunAnalysis &a, const CellAnalysis &cell) {
            return positive(a.capacity(cell).requestsPerCore);
        },
        whole, tr("Sustainable throughput ÷ server cores"));
    columns << capacityColumn(
        "cores_at_peak", tr("Cores at peak"), QString(), kCli | kGui | kPdf | kCsv,
        [](const RunAnalysis &a, const CellAnalysis &cell) -> std::optional<double> {
            const CapacityTarget *t = peakTarget(a, cell);
            return t ? std::optional<double>(t->coresAtPeak) : std::nullopt;
        },
        coresText,
        tr("Server cores the stated peak needs at the sustainable rate per core, with the headroom kept "
           "free"));
    columns << capacityColumn(
        "servers_at_peak", tr("Servers"), QString(), kCli | kGui | kPdf | kCsv,
        [](const RunAnalysis &a, const CellAnalysis &cell) -> std::optional<double> {
            const CapacityTarget *t = peakTarget(a, cell);
            return t ? std::optional<double>(t->serversAtPeak) : std::nullopt;
        },
        whole, tr("Servers of the stated size the peak needs"));
    columns << capacityColumn(
        "capacity_steps", tr("Steps"), QString(), kGui | kCsv,
        [](const RunAnalysis &a, const CellAnalysis &cell) -> std::optional<double> {
            const TargetResult &t = a.result(cell);
            return t.capacity ? std::optional<double>(double(t.capacity->steps.size())) : std::nullopt;
        },
        whole, tr("Open-loop steps the search ran"));
    {
        ResultColumn c;
        c.key = u"capacity_summary"_s;
        c.title = tr("What the steps say");
        c.views = kGui | kCsv;
        c.raw = [](const RunAnalysis &a, const CellAnalysis &cell) {
            return QVariant(a.capacity(cell).summary);
        };
        c.text = [](const RunAnalysis &a, const CellAnalysis &cell) { return a.capacity(cell).summary; };
        columns << c;
    }
    return columns;
}

QList<StepColumn> buildStepColumns()
{
    QList<StepColumn> columns;
    const auto number = [](const char *key, const QString &title, const QString &unit,
                            std::function<std::optional<double>(const CapacityStep &)> value,
                            std::function<QString(double)> format, const QString &toolTip = {}) {
        StepColumn c;
        c.key = QLatin1String(key);
        c.title = title;
        c.unit = unit;
        c.numeric = true;
        c.toolTip = toolTip;
        c.raw = [value](const CapacityStep &s, const StepVerdict &) {
            const auto v = value(s);
            return v ? QVariant(*v) : QVariant();
        };
        c.text = [value, format](const CapacityStep &s, const StepVerdict &) {
            const auto v = value(s);
            return v ? format(*v) : fmt::none();
        };
        return c;
    };
    const auto whole = [](double v) { return fmt::number(v); };
    const auto ms = [](double us) { return fmt::milliseconds(us); };
    const auto of = [](double LatencySummary::*field) {
        return [field](const CapacityStep &s) { return std::optional<double>(s.latency.*field); };
    };
    const QString rps = fmt::unitRequestsPerSecond();
    const QString msUnit = fmt::unitMilliseconds();
    columns << number(
        "offered_rps", tr("Offered req/s"), rps,
        [](const CapacityStep &s) { return std::optional<double>(s.offeredRate); }, whole,
        tr("The rate the load generator was asked to send, on a fixed schedule"));
    columns << number(
        "achieved_rps", tr("Achieved req/s"), rps,
        [](const CapacityStep &s) { return std::optional<double>(s.achievedRate); }, whole,
        tr("Responses completed per second over the step's window"));
    columns << number("p50_ms", tr("p50 ms"), msUnit, of(&LatencySummary::p50Us), ms);
    columns << number("p90_ms", tr("p90 ms"), msUnit, of(&LatencySummary::p90Us), ms);
    columns << number("p99_ms", tr("p99 ms"), msUnit, of(&LatencySummary::p99Us), ms,
        tr("From each request's intended send time: coordinated omission corrected"));
    columns << number("p99_9_ms", tr("p99.9 ms"), msUnit, of(&LatencySummary::p999Us), ms);
    const auto lag = [](double SendLagSummary::*field) {
        return [field](const CapacityStep &s) {
            return s.sendLag ? std::optional<double>((*s.sendLag).*field) : std::nullopt;
        };
    };
    const auto lagMs = [](double us) { return fmt::number(us / 1000.0, 3); };
    columns << number("send_lag_p50_ms", tr("Send lag p50 ms"), msUnit, lag(&SendLagSummary::p50Us), lagMs,
        tr("How late the load generator sent the requests (actual − intended send time), median"));
    columns << number("send_lag_p99_ms", tr("Send lag p99 ms"), msUnit, lag(&SendLagSummary::p99Us), lagMs,
        tr("How late the load generator sent the requests (actual − intended send time), 99th percentile"));
    columns << number(
        "error_percent", tr("Errors %"), fmt::unitPercent(),
        [](const CapacityStep &s) { return std::optional<double>(s.errorRate() * 100.0); },
        [](double v) { return fmt::number(v, 2); });
    columns << number(
        "cpu_percent", tr("CPU %"), fmt::unitPercent(),
        [](const CapacityStep &s) { return std::optional<double>(s.cpuPercentMean); }, whole,
        tr("The server's whole process tree; 100 % = one core busy"));
    columns << number("cpu_us_per_request", tr("CPU µs/req"), u"µs"_s, cpuMicrosecondsPerRequest,
        [](double v) { return fmt::number(v, v < 100 ? 1 : 0); });
    {
        StepColumn c = number(
            "mean_pss_bytes", tr("PSS MiB"), fmt::unitMebibytes(),
            [](const CapacityStep &s) {
                return s.meanPssBytes > 0 ? std::optional<double>(double(s.meanPssBytes)) : std::nullopt;
            },
            [](double bytes) { return fmt::mebibytes(qint64(bytes)); });
        c.raw = [](const CapacityStep &s, const StepVerdict &) {
            return s.meanPssBytes > 0 ? QVariant(s.meanPssBytes) : QVariant();
        };
        columns << c;
    }
    {
        StepColumn c;
        c.key = u"kind"_s;
        c.title = tr("Step");
        c.raw
            = [](const CapacityStep &s, const StepVerdict &) { return QVariant(capacityStepKindId(s.kind)); };
        c.text = [](const CapacityStep &s, const StepVerdict &) { return capacityStepKindId(s.kind); };
        columns << c;
    }
    {
        StepColumn c;
        c.key = u"verdict"_s;
        c.title = tr("Verdict");
        c.toolTip = tr("Sustained, or which criterion the step missed");
        c.raw = [](const CapacityStep &, const StepVerdict &v) { return QVariant(v.text); };
        c.text = [](const CapacityStep &, const StepVerdict &v) { return v.text; };
        columns << c;
    }
    return columns;
}

} // namespace

QList<ResultColumn> capacityColumns(ResultView view)
{
    static const QList<ResultColumn> all = buildCapacityColumns();
    QList<ResultColumn> list;
    for (const ResultColumn &c : all) {
        if (c.shownIn(view))
            list << c;
    }
    return list;
}

const QList<StepColumn> &capacityStepColumns()
{
    static const QList<StepColumn> columns = buildStepColumns();
    return columns;
}

QList<const CellAnalysis *> sweptCells(const RunAnalysis &analysis)
{
    QList<const CellAnalysis *> list;
    for (const CellAnalysis &cell : analysis.cells()) {
        if (analysis.capacity(cell).swept)
            list << &cell;
    }
    return list;
}

QString capacityTableText(const RunAnalysis &analysis)
{
    const QList<ResultColumn> columns = capacityColumns(ResultView::Cli);
    QList<QStringList> rows;
    QList<bool> numeric;
    QStringList header;
    for (const ResultColumn &c : columns) {
        header << c.title;
        numeric << c.numeric;
    }
    rows << header;
    for (const CellAnalysis *cell : sweptCells(analysis)) {
        QStringList row;
        for (const ResultColumn &c : columns)
            row << c.text(analysis, *cell);
        rows << row;
    }
    return alignedText(rows, numeric);
}

QString capacityStepsText(const RunAnalysis &analysis, const CellAnalysis &cell)
{
    const CellCapacity &c = analysis.capacity(cell);
    const TargetResult &t = analysis.result(cell);
    if (!c.swept)
        return {};
    const QList<StepColumn> &columns = capacityStepColumns();
    QList<QStringList> rows;
    QList<bool> numeric;
    QStringList header { QString() };
    numeric << false;
    for (const StepColumn &column : columns) {
        header << column.title;
        numeric << column.numeric;
    }
    rows << header;
    for (int i : std::as_const(c.reading.byRate)) {
        const CapacityStep &step = t.capacity->steps.at(i);
        // The mark says which step the figures stand on.
        QStringList row { i == c.reading.sustainable ? u"▶"_s : i == c.reading.knee ? u"×"_s : QString() };
        for (const StepColumn &column : columns)
            row << column.text(step, c.reading.verdicts.at(i));
        rows << row;
    }
    return alignedText(rows, numeric);
}

QString capacityStepsCsv(const RunAnalysis &analysis)
{
    QStringList header { u"target_id"_s, u"scenario"_s, u"connections"_s, u"server_cores"_s, u"step"_s,
        u"counted"_s, u"sustained"_s };
    for (const StepColumn &column : capacityStepColumns())
        header << column.key;
    QString csv = header.join(u',') + u"\r\n"_s;
    for (const CellAnalysis *cell : sweptCells(analysis)) {
        const CellCapacity &c = analysis.capacity(*cell);
        const TargetResult &t = analysis.result(*cell);
        for (qsizetype i = 0; i < t.capacity->steps.size(); ++i) {
            const CapacityStep &step = t.capacity->steps.at(i);
            const StepVerdict &verdict = c.reading.verdicts.at(i);
            QStringList row { csvField(t.targetId), scenarioId(t.scenario), QString::number(t.connections),
                QString::number(c.serverCores), QString::number(i + 1),
                c.reading.superseded.at(i) ? u"false"_s : u"true"_s,
                verdict.sustained ? u"true"_s : u"false"_s };
            for (const StepColumn &column : capacityStepColumns())
                row << csvValue(column.raw(step, verdict));
            csv += row.join(u',') + u"\r\n"_s;
        }
    }
    return csv;
}

} // namespace sa::bench
