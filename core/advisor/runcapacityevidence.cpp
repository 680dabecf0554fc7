#include "runcapacityevidence.h"

#include "capacitymodel.h"
#include "evidence.h"

#include "bench/format.h"
#include "platform/processcontrol.h"

#include <QLocale>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace sa::advisor {

namespace {

// "run 7 of 2026-11-27": how a source names the run.
QString runName(const bench::RunResult &run)
{
    return run.id >= 0 ? u"run %1 of %2"_s.arg(run.id).arg(run.startedAt.toUTC().toString(u"yyyy-MM-dd"_s))
                       : u"the run of %1"_s.arg(run.startedAt.toUTC().toString(u"yyyy-MM-dd"_s));
}

QString milliseconds(double ms)
{
    return fmt::number(ms, ms < 10 ? 1 : 0) + u" ms"_s;
}

// A capacity run read as the criterion wants it: per language, the target whose
// sustainable throughput within the run's p99 target needs the fewest cores at
// the peak (CapacitySummary::targets comes in that order). nullopt, with why,
// when Go or Python has no sustainable rate.
std::optional<CapacityEvidence> sustainableEvidence(
    const bench::RunAnalysis &analysis, const CapacityModel &model, QString *why)
{
    const bench::RunResult &run = analysis.run();
    const bench::CapacitySummary &summary = analysis.capacitySummary();
    const bench::CapacityPlan &plan = run.plan.capacity;
    CapacityEvidence evidence;
    evidence.provenance = Provenance::Measured;
    evidence.label = model.measuredLabel();
    for (const bench::CapacityTarget &target : summary.targets) {
        if (target.sustainableRate <= 0 || target.serverCores <= 0 || target.cellIndex < 0
            || evidence.stack(target.language))
            continue;
        const bench::CellAnalysis &cell = analysis.cells().at(target.cellIndex);
        const bench::TargetResult &t = analysis.result(cell);
        const bench::CellCapacity &c = analysis.capacity(cell);
        StackEvidence entry;
        entry.stack = target.language;
        entry.server = target.name;
        entry.framework = t.framework;
        entry.targetId = target.targetId;
        entry.requestsPerSecond = target.sustainableRate;
        entry.serverCores = target.serverCores;
        entry.coresProvenance = Provenance::Measured;
        entry.requestsPerCore = target.requestsPerCore;
        entry.provenance = Provenance::Measured;
        entry.throughput = Throughput::Sustainable;
        entry.latencyTargetMs = summary.latencyTargetMs;
        entry.cpuUsPerRequest = c.cpuUsPerRequestSustainable.value_or(0);
        entry.source = u"%1: %2; steps of %3 after %4 warm-up"_s.arg(runName(run), target.source,
            fmt::seconds(plan.stepSeconds), fmt::seconds(plan.stepWarmupSeconds));
        if (entry.cpuUsPerRequest > 0)
            entry.source += u"; %1 µs of server CPU per request there"_s.arg(
                fmt::number(entry.cpuUsPerRequest, entry.cpuUsPerRequest < 100 ? 1 : 0));
        evidence.stacks << entry;
    }
    if (!evidence.stack(u"Go") || !evidence.stack(u"Python")) {
        QString named = runName(run);
        named[0] = named[0].toUpper();
        *why = u"%1, a capacity run, found no sustainable rate within p99 ≤ %2 for %3, so its closed-loop "
               u"(saturated) figures are used."_s.arg(named, milliseconds(summary.latencyTargetMs),
                   evidence.stack(u"Go") ? u"Python"_s : u"Go"_s);
        return std::nullopt;
    }
    evidence.note = u"Sustainable throughput, measured here: per server core, the highest offered rate "
                    u"(open loop) at which p99 stayed ≤ %1, at least %2 % of the offered rate was served and "
                    u"fewer than %3 % of requests failed; latency from each request's intended send time. "
                    u"Unlike saturated throughput it already holds the latency target, though the cores "
                    u"below add no headroom of their own. %4"_s.arg(milliseconds(summary.latencyTargetMs),
                        fmt::percent(plan.minAchievedShare, 0), fmt::percent(plan.maxErrorShare, 1),
                        summary.scalingNote);
    return evidence;
}

} // namespace

CapacityEvidence capacityEvidenceFromRun(const bench::RunAnalysis &analysis, const CapacityModel &model)
{
    QString notSustainable;
    if (analysis.capacitySummary().isCapacityRun) {
        if (std::optional<CapacityEvidence> sustainable
            = sustainableEvidence(analysis, model, &notSustainable))
            return *sustainable;
    }
    const bench::RunResult &run = analysis.run();
    QList<bench::TargetResult> fastest;
    QStringList caveats; // of each of `fastest`
    for (const bench::CellAnalysis *cell : analysis.fastestPerLanguage()) {
        fastest << analysis.result(*cell);
        caveats << cell->caveat();
    }
    const auto has = [&](QStringView language) {
        return std::any_of(fastest.begin(), fastest.end(),
            [&](const bench::TargetResult &t) { return t.language == language; });
    };
    const QString which = runName(run);
    if (!has(u"Go") || !has(u"Python")) {
        CapacityEvidence published = model.published();
        published.fallbackReason = u"%1 has no comparable %2 cell, so the article's figures are used"_s.arg(
            which, has(u"Go") ? u"Python"_s : u"Go"_s);
        return published;
    }

    const QLocale english(QLocale::English);
    CapacityEvidence evidence;
    evidence.provenance = Provenance::Measured;
    evidence.label = model.measuredLabel();
    evidence.note
        = notSustainable.isEmpty() ? model.measuredNote() : notSustainable + u" "_s + model.measuredNote();
    for (qsizetype i = 0; i < fastest.size(); ++i) {
        const bench::TargetResult &t = fastest.at(i);
        StackEvidence entry;
        entry.caveat = caveats.at(i);
        entry.stack = t.language;
        entry.server = t.displayName.isEmpty() ? t.targetId : t.displayName;
        entry.framework = t.framework;
        entry.targetId = t.targetId;
        entry.requestsPerSecond = t.requestsPerSecond;
        const auto cpus = platform::parseCpuList(t.serverCpus);
        entry.serverCores = cpus && !cpus->isEmpty() ? double(cpus->size()) : double(std::max(1, t.workers));
        entry.coresProvenance = Provenance::Measured;
        entry.requestsPerCore = entry.requestsPerSecond / entry.serverCores;
        entry.provenance = Provenance::Measured;
        entry.throughput = Throughput::Saturated;
        entry.source = u"%1: %2 req/s on %3 server %4 (%5, %6 connections, %7)"_s.arg(which,
            english.toString(t.requestsPerSecond, 'f', 0), english.toString(entry.serverCores, 'g', 3),
            entry.serverCores == 1 ? u"core"_s : u"cores"_s, bench::scenarioTitle(t.scenario),
            english.toString(t.connections), run.plan.openLoopRate > 0 ? u"open loop"_s : u"closed loop"_s);
        evidence.stacks << entry;
    }
    // Go and Python first: the criterion's two stacks, then any other measured language.
    std::stable_sort(
        evidence.stacks.begin(), evidence.stacks.end(), [](const StackEvidence &a, const StackEvidence &b) {
            const auto rank = [](const StackEvidence &e) {
                return e.stack == u"Go"_s ? 0 : e.stack == u"Python"_s ? 1 : 2;
            };
            return rank(a) < rank(b);
        });
    if (const QString gap = analysis.databaseGap().summary(); !gap.isEmpty())
        evidence.databaseGap = u"Measured on this machine (%1): %2"_s.arg(which, gap);
    return evidence;
}

} // namespace sa::advisor
