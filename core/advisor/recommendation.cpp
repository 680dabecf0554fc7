#include "recommendation.h"

#include <QJsonArray>

#include <cmath>

using namespace Qt::StringLiterals;

namespace sa::advisor {

QString stackName(Stack stack)
{
    return stack == Stack::Go ? u"Go"_s : u"Python"_s;
}

QString stackId(Stack stack)
{
    return stack == Stack::Go ? u"go"_s : u"python"_s;
}

double roundedPoints(double points)
{
    return std::round(points * 10) / 10;
}

QString formatPoints(double points)
{
    const double rounded = roundedPoints(points);
    return QString::number(rounded == 0 ? 0.0 : rounded, 'f', 1); // never "-0.0"
}

QString verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Go:
        return u"Go"_s;
    case Verdict::Python:
        return u"Python"_s;
    case Verdict::Hybrid:
        return u"Hybrid"_s;
    }
    return {};
}

std::optional<Verdict> verdictFromName(const QString &name)
{
    for (Verdict verdict : { Verdict::Go, Verdict::Python, Verdict::Hybrid }) {
        if (verdictName(verdict) == name)
            return verdict;
    }
    return std::nullopt;
}

QString confidenceName(Confidence confidence)
{
    switch (confidence) {
    case Confidence::Low:
        return u"low"_s;
    case Confidence::Medium:
        return u"medium"_s;
    case Confidence::High:
        return u"high"_s;
    }
    return {};
}

QJsonObject Sensitivity::toJson() const
{
    return QJsonObject {
        { u"multiplier"_s, shownMultiplier },
        { u"direction"_s, orMore ? u"or more"_s : u"or less"_s },
        { u"verdict"_s, verdictName(verdict) },
        { u"sentence"_s, sentence },
    };
}

QString Contribution::reason() const
{
    QStringList parts;
    for (const QString &text : reasons)
        parts << text;
    for (const QString &quote : quotes)
        parts << u"“"_s + quote + u"”"_s;
    return parts.join(u' ');
}

QJsonObject Contribution::toJson() const
{
    return QJsonObject {
        { u"criterion"_s, criterionId },
        { u"title"_s, title },
        { u"decisionRow"_s, decisionRow.isEmpty() ? QJsonValue() : QJsonValue(decisionRow) },
        { u"go"_s, roundedPoints(go) },
        { u"python"_s, roundedPoints(python) },
        { u"weight"_s, roundedPoints(weight) },
        { u"questions"_s, QJsonArray::fromStringList(questionIds) },
        { u"reasons"_s, QJsonArray::fromStringList(reasons) },
        { u"articleQuotes"_s, QJsonArray::fromStringList(quotes) },
        { u"sensitivity"_s, sensitivity ? QJsonValue(sensitivity->toJson()) : QJsonValue() },
    };
}

QJsonObject Flip::toJson() const
{
    return QJsonObject {
        { u"question"_s, questionId },
        { u"questionTitle"_s, questionTitle },
        { u"from"_s, fromValue },
        { u"to"_s, toValue },
        { u"fromText"_s, fromText },
        { u"toText"_s, toText },
        { u"verdict"_s, verdictName(verdict) },
        { u"goScore"_s, roundedPoints(goScore) },
        { u"pythonScore"_s, roundedPoints(pythonScore) },
        { u"size"_s, roundedPoints(size) },
        { u"sentence"_s, sentence },
    };
}

QJsonObject LatencyTarget::toJson() const
{
    return QJsonObject { { u"milliseconds"_s, milliseconds }, { u"fromAnswer"_s, fromAnswer },
        { u"source"_s, source } };
}

const Contribution *Recommendation::contribution(const QString &criterionId) const
{
    for (const Contribution &candidate : contributions) {
        if (candidate.criterionId == criterionId)
            return &candidate;
    }
    return nullptr;
}

QString Recommendation::verdictLine() const
{
    if (confidence == Confidence::Low)
        return u"Too close to call — leaning %1"_s.arg(verdictName(verdict));
    return u"Verdict: "_s + verdictName(verdict);
}

QJsonObject Recommendation::toJson() const
{
    QJsonArray contributionArray;
    for (const Contribution &contribution : contributions)
        contributionArray.append(contribution.toJson());
    QJsonArray flipArray;
    for (const Flip &flip : flips)
        flipArray.append(flip.toJson());
    QJsonArray decidingArray;
    for (const Flip &flip : decidingFlips)
        decidingArray.append(flip.toJson());
    QJsonArray needArray;
    for (const ActiveNeed &need : needs) {
        needArray.append(QJsonObject { { u"id"_s, need.id }, { u"stack"_s, stackName(need.side) },
            { u"part"_s, need.part }, { u"why"_s, need.why }, { u"criterion"_s, need.criterionId } });
    }
    QJsonArray answerArray;
    for (const AnsweredQuestion &answer : answers) {
        answerArray.append(QJsonObject { { u"question"_s, answer.questionId }, { u"title"_s, answer.title },
            { u"value"_s, answer.value }, { u"text"_s, answer.text } });
    }
    QJsonArray rows;
    for (const DecisionRow &row : decisionTable) {
        QJsonObject object = row.toJson();
        object.insert(u"relevant"_s, isRowRelevant(row.id));
        rows.append(object);
    }
    QJsonObject parts;
    if (verdict == Verdict::Hybrid) {
        parts.insert(u"go"_s, QJsonArray::fromStringList(goParts));
        parts.insert(u"python"_s, QJsonArray::fromStringList(pythonParts));
    }
    return QJsonObject {
        { u"format"_s, u"stackadvisor-recommendation"_s },
        { u"version"_s, 2 },
        { u"verdict"_s, verdictName(verdict) },
        { u"verdictLine"_s, verdictLine() },
        { u"headline"_s, headline },
        { u"explanation"_s, explanation },
        { u"confidence"_s,
            QJsonObject { { u"level"_s, confidenceName(confidence) }, { u"text"_s, confidenceText },
                { u"deciding"_s, decidingArray } } },
        { u"scores"_s,
            QJsonObject { { u"go"_s, roundedPoints(goScore) }, { u"python"_s, roundedPoints(pythonScore) },
                { u"unit"_s, u"points"_s },
                { u"maximum"_s,
                    QJsonObject { { u"go"_s, roundedPoints(maximumGo) },
                        { u"python"_s, roundedPoints(maximumPython) } } } } },
        { u"leader"_s, stackName(leader) },
        { u"margin"_s, roundedPoints(margin) },
        { u"decidingCriteria"_s, QJsonArray::fromStringList(decidingCriteria) },
        { u"needs"_s, needArray },
        { u"parts"_s, verdict == Verdict::Hybrid ? QJsonValue(parts) : QJsonValue() },
        { u"contributions"_s, contributionArray },
        { u"capacity"_s, capacity.toJson() },
        { u"latencyTarget"_s, latencyTarget.toJson() },
        { u"flips"_s, flipArray },
        { u"closest"_s, closest ? QJsonValue(closest->toJson()) : QJsonValue() },
        { u"answers"_s, answerArray },
        { u"decisionTable"_s, rows },
        { u"scoring"_s, QJsonArray::fromStringList(scoringRules) },
    };
}

namespace {

QString capacityText(const CapacityEstimate &capacity)
{
    QString text = u"\nCapacity and cost at your peak (%1"_s.arg(capacity.evidence.label);
    if (!capacity.stacks.isEmpty())
        text += u", "_s + throughputTitle(capacity.stacks.constFirst().evidence.throughput);
    text += u"):\n"_s;
    if (!capacity.evidence.fallbackReason.isEmpty())
        text += u"  Note: "_s + capacity.evidence.fallbackReason + u".\n"_s;
    if (!capacity.peak)
        text += u"  Peak not stated: no cores or cost to show. Per server core:\n"_s;
    else
        text += u"  At %1 req/s:\n"_s.arg(formatRequestRate(*capacity.peak));
    for (const StackCapacity &stack : capacity.stacks) {
        text += u"  %1 %2 req/s per core"_s.arg(stack.evidence.server, -22)
                    .arg(formatRequestRate(stack.evidence.requestsPerCore), 7);
        if (capacity.peak) {
            text += u"  %1 cores  %2 %3  %4/month for the cores, %5 for whole servers"_s
                        .arg(formatCores(stack.coresNeeded), 6)
                        .arg(stack.servers)
                        .arg(stack.servers == 1 ? u"server "_s : u"servers"_s,
                            formatMoney(stack.monthlyCost, capacity.cost.currency),
                            formatMoney(stack.serversMonthlyCost, capacity.cost.currency));
        }
        text += u"\n      %1, %2: %3\n"_s.arg(
            stack.evidence.stack, provenanceTitle(stack.evidence.provenance), stack.evidence.source);
    }
    text += u"  Price: %1 per vCPU-month (%2: %3)\n"_s.arg(
        formatMoney(capacity.cost.pricePerVcpuMonth, capacity.cost.currency), capacity.cost.priceLabel,
        capacity.cost.priceSource);
    text += u"  Server size: %1 cores (%2: %3)\n"_s.arg(capacity.cost.coresPerServer)
                .arg(capacity.cost.coresPerServerLabel, capacity.cost.coresPerServerSource);
    if (capacity.needFrom > 0) {
        text += u"  On these figures the criterion gives half its points, and the capacity need starts, at "
                "%1 req/s (the article's line is %2 req/s on its own figures).\n"_s.arg(
                    formatRequestRate(capacity.needFrom), formatRequestRate(capacity.articleLine));
    }
    text += u"  "_s + capacity.evidence.note + u"\n  "_s + capacity.scaling + u"\n"_s;
    return text;
}

} // namespace

QString Recommendation::toText() const
{
    QString text;
    text += verdictLine() + u"\n"_s;
    if (headline != verdictName(verdict))
        text += headline + u"\n"_s;
    text += u"Confidence: "_s + confidenceName(confidence) + u". "_s + confidenceText + u"\n"_s;
    text += u"Scores:  Go %1, Python %2 points (margin %3)\n"_s.arg(
        formatPoints(goScore), formatPoints(pythonScore), formatPoints(margin));
    text += explanation
        + u"\n\nWhy, criterion by criterion (points; weight = the most points the criterion "
          "can give a stack):\n"_s;
    for (const Contribution &contribution : contributions) {
        text += u"  %1  Go %2  Python %3  (weight %4)\n"_s.arg(contribution.title, -40)
                    .arg(formatPoints(contribution.go), 5)
                    .arg(formatPoints(contribution.python), 5)
                    .arg(formatPoints(contribution.weight));
        for (const QString &reason : contribution.reasons)
            text += u"      "_s + reason + u"\n"_s;
        for (const QString &quote : contribution.quotes)
            text += u"      Article: “"_s + quote + u"”\n"_s;
    }
    text += u"  %1  Go %2  Python %3\n"_s.arg(u"Total"_s, -40)
                .arg(formatPoints(goScore), 5)
                .arg(formatPoints(pythonScore), 5);
    text += capacityText(capacity);
    text += u"  Latency target: p99 ≤ %1 ms (%2)\n"_s.arg(latencyTarget.milliseconds)
                .arg(latencyTarget.source);

    text += u"\nWhat would change the verdict:\n"_s;
    if (flips.isEmpty())
        text += u"  No single change of answer changes the verdict.\n"_s;
    if (closest)
        text += u"  The closest: "_s + closest->sentence + u"\n"_s;
    for (const Flip &flip : flips)
        text += u"  "_s + flip.sentence + u"\n"_s;
    text += u"\nSensitivity (how much a criterion's weight would have to change to change the verdict):\n"_s;
    for (const Contribution &contribution : contributions) {
        if (contribution.sensitivity)
            text += u"  "_s + contribution.sensitivity->sentence + u"\n"_s;
    }
    text += u"  Any other criterion: no change of its weight alone changes the verdict.\n"_s;
    text += u"\nThe article's decision table (* = relevant to your answers):\n"_s;
    for (const DecisionRow &row : decisionTable) {
        text += u"  %1 %2  Go: %3  Python: %4\n"_s.arg(isRowRelevant(row.id) ? u"*"_s : u" "_s)
                    .arg(row.need, -24)
                    .arg(row.go.displayText(), -18)
                    .arg(row.python.displayText());
        for (const QString &note : row.notes())
            text += u"      Note: "_s + note + u"\n"_s;
    }
    return text;
}

} // namespace sa::advisor
