#include "evidence.h"

#include "bench/runanalysis.h"

#include <QLocale>
#include <QMap>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace sa::advisor {

namespace {

bool measured(const bench::TargetResult &t)
{
    return t.status == bench::TargetStatus::Completed && t.requests > 0 && t.requestsPerSecond > 0;
}

} // namespace

double statedPeak(const Recommendation &recommendation)
{
    for (const AnsweredQuestion &answer : recommendation.answers) {
        if (answer.questionId == u"peak-rps"_s)
            return answer.value.toDouble();
    }
    return 0;
}

QList<bench::TargetResult> fastestPerLanguage(const QList<bench::TargetResult> &targets)
{
    const auto first = std::find_if(targets.begin(), targets.end(), measured);
    if (first == targets.end())
        return {};
    QMap<QString, bench::TargetResult> fastest;
    for (const bench::TargetResult &t : targets) {
        if (!measured(t) || t.scenario != first->scenario || t.connections != first->connections)
            continue;
        const auto it = fastest.constFind(t.language);
        if (it == fastest.constEnd() || it->requestsPerSecond < t.requestsPerSecond)
            fastest.insert(t.language, t);
    }
    QList<bench::TargetResult> list = fastest.values();
    std::sort(list.begin(), list.end(), [](const bench::TargetResult &a, const bench::TargetResult &b) {
        return a.requestsPerSecond > b.requestsPerSecond;
    });
    return list;
}

void citeMeasurements(Recommendation &recommendation, const bench::RunResult &run)
{
    const QList<bench::TargetResult> fastest = fastestPerLanguage(run.targets);
    const auto of = [&](QStringView language) {
        return std::find_if(fastest.begin(), fastest.end(),
            [&](const bench::TargetResult &t) { return t.language == language; });
    };
    const auto go = of(u"Go");
    const auto python = of(u"Python");
    if (go == fastest.end() || python == fastest.end())
        return;
    const auto traffic
        = std::find_if(recommendation.contributions.begin(), recommendation.contributions.end(),
            [](const Contribution &c) { return c.decisionRow == u"high-traffic-api"_s; });
    if (traffic == recommendation.contributions.end())
        return;

    const QLocale english(QLocale::English);
    const double ratio = go->requestsPerSecond / python->requestsPerSecond;
    const QString within
        = ratio >= 8.0 && ratio <= 10.0 ? u"within"_s : (ratio > 10.0 ? u"above"_s : u"below"_s);
    const QString when = run.startedAt.isValid() ? run.startedAt.toString(u"yyyy-MM-dd"_s) : QString();
    const QString which
        = run.id >= 0 ? u"run %1 of %2"_s.arg(run.id).arg(when) : u"the run of %1"_s.arg(when);
    traffic->reasons
        << u"Measured on this machine (%1, %2 at %3 connections): %4 served %5 req/s and %6 %7 req/s, "
           "%8× — %9 the article's “8–10x”."_s.arg(which, bench::scenarioTitle(go->scenario),
               english.toString(go->connections), go->displayName,
               english.toString(go->requestsPerSecond, 'f', 0), python->displayName,
               english.toString(python->requestsPerSecond, 'f', 0), english.toString(ratio, 'f', 1), within);
    // The database scenarios of the same run, when it has them (core's figure).
    if (const QString gap = bench::RunAnalysis::analyse(run).databaseGap().summary(); !gap.isEmpty())
        traffic->reasons << u"Measured on this machine (%1): %2"_s.arg(which, gap);
}

} // namespace sa::advisor
