#include "recommendation.h"

#include <QJsonArray>

#include <cmath>

using namespace Qt::StringLiterals;

namespace sa::advisor {

namespace {

// Scores are shown and exported with one decimal: more would be false precision.
double rounded(double value)
{
    return std::round(value * 10) / 10;
}

QString points(double value)
{
    return QString::number(rounded(value), 'f', 1);
}

} // namespace

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
        { u"go"_s, rounded(go) },
        { u"python"_s, rounded(python) },
        { u"weightPercent"_s, rounded(weight) },
        { u"questions"_s, QJsonArray::fromStringList(questionIds) },
        { u"reasons"_s, QJsonArray::fromStringList(reasons) },
        { u"articleQuotes"_s, QJsonArray::fromStringList(quotes) },
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
        { u"goScore"_s, rounded(goScore) },
        { u"pythonScore"_s, rounded(pythonScore) },
        { u"sentence"_s, sentence },
    };
}

QJsonObject Recommendation::toJson() const
{
    QJsonArray contributionArray;
    for (const Contribution &contribution : contributions)
        contributionArray.append(contribution.toJson());
    QJsonArray flipArray;
    for (const Flip &flip : flips)
        flipArray.append(flip.toJson());
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
    return QJsonObject {
        { u"format"_s, u"stackadvisor-recommendation"_s },
        { u"version"_s, 1 },
        { u"verdict"_s, verdictName(verdict) },
        { u"headline"_s, headline },
        { u"explanation"_s, explanation },
        { u"scores"_s, QJsonObject { { u"go"_s, rounded(goScore) }, { u"python"_s, rounded(pythonScore) } } },
        { u"margin"_s, rounded(margin) },
        { u"contributions"_s, contributionArray },
        { u"flips"_s, flipArray },
        { u"closest"_s, closest ? QJsonValue(closest->toJson()) : QJsonValue() },
        { u"answers"_s, answerArray },
        { u"decisionTable"_s, rows },
        { u"scoring"_s, QJsonArray::fromStringList(scoringRules) },
    };
}

QString Recommendation::toText() const
{
    QString text;
    text += u"Verdict: "_s + headline + u"\n"_s;
    text += u"Scores:  Go "_s + points(goScore) + u" / 100, Python "_s + points(pythonScore)
        + u" / 100 (margin "_s + points(margin) + u")\n"_s;
    text += explanation + u"\n\nWhy, criterion by criterion (score points):\n"_s;
    for (const Contribution &contribution : contributions) {
        text += u"  %1  Go %2  Python %3  (weight %4%)\n"_s.arg(contribution.title, -40)
                    .arg(points(contribution.go), 5)
                    .arg(points(contribution.python), 5)
                    .arg(points(contribution.weight));
        for (const QString &reason : contribution.reasons)
            text += u"      "_s + reason + u"\n"_s;
        for (const QString &quote : contribution.quotes)
            text += u"      Article: “"_s + quote + u"”\n"_s;
    }
    text += u"\nWhat would change the verdict:\n"_s;
    if (flips.isEmpty())
        text += u"  No single change of answer changes the verdict.\n"_s;
    if (closest)
        text += u"  The closest: "_s + closest->sentence + u"\n"_s;
    for (const Flip &flip : flips)
        text += u"  "_s + flip.sentence + u"\n"_s;
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
