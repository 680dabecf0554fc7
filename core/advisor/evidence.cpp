#include "evidence.h"

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

} // namespace sa::advisor
