#include "runcapacityevidence.h"

#include "capacitymodel.h"
#include "evidence.h"

#include "platform/processcontrol.h"

#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace sa::advisor {

CapacityEvidence capacityEvidenceFromRun(const bench::RunAnalysis &analysis, const CapacityModel &model)
{
    const bench::RunResult &run = analysis.run();
    QList<bench::TargetResult> fastest;
    for (const bench::CellAnalysis *cell : analysis.fastestPerLanguage())
        fastest << analysis.result(*cell);
    const auto has = [&](QStringView language) {
        return std::any_of(fastest.begin(), fastest.end(),
            [&](const bench::TargetResult &t) { return t.language == language; });
    };
    const QString which = run.id >= 0
        ? u"run %1 of %2"_s.arg(run.id).arg(run.startedAt.toUTC().toString(u"yyyy-MM-dd"_s))
        : u"the run of %1"_s.arg(run.startedAt.toUTC().toString(u"yyyy-MM-dd"_s));
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
    evidence.note = model.measuredNote();
    for (const bench::TargetResult &t : fastest) {
        StackEvidence entry;
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
    return evidence;
}

} // namespace sa::advisor
