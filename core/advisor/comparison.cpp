#include "comparison.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace sa::advisor {

Comparison compare(
    const Recommendation &a, const QString &nameA, const Recommendation &b, const QString &nameB)
{
    Comparison c;
    c.nameA = nameA;
    c.nameB = nameB;
    c.a = a;
    c.b = b;
    for (const AnsweredQuestion &answer : a.answers) {
        const auto other = std::find_if(b.answers.begin(), b.answers.end(),
            [&](const AnsweredQuestion &x) { return x.questionId == answer.questionId; });
        if (other != b.answers.end() && other->value != answer.value)
            c.answers << Comparison::AnswerDifference { answer.questionId, answer.title, answer.text,
                other->text };
    }
    for (const Contribution &x : a.contributions) {
        const Contribution *y = b.contribution(x.criterionId);
        if (!y || (x.go == y->go && x.python == y->python))
            continue;
        c.criteria << Comparison::CriterionDifference { x.criterionId, x.title, x.go, x.python, y->go,
            y->python };
    }
    // The criteria that moved the lead most, named in the summary.
    QList<Comparison::CriterionDifference> moved = c.criteria;
    std::stable_sort(moved.begin(), moved.end(),
        [](const auto &p, const auto &q) { return std::abs(p.leadChange()) > std::abs(q.leadChange()); });
    QStringList names;
    for (const auto &d : moved.mid(0, 3)) {
        names << u"%1 (%2 %3)"_s.arg(d.title, d.leadChange() > 0 ? u"towards Go"_s : u"towards Python"_s,
            formatPoints(std::abs(d.leadChange())));
    }
    const QString verdicts = u"%1: %2 (Go %3, Python %4); %5: %6 (Go %7, Python %8)"_s.arg(nameA,
        a.verdictLine(), formatPoints(a.goScore), formatPoints(a.pythonScore), nameB, b.verdictLine(),
        formatPoints(b.goScore), formatPoints(b.pythonScore));
    if (c.criteria.isEmpty())
        c.summary = verdicts + u". No criterion differs."_s;
    else
        c.summary = verdicts
            + (c.sameVerdict() ? u". Same verdict; what differs most: "_s
                               : u". The verdict changes; what moved it most: "_s)
            + names.join(u", "_s) + u'.';
    return c;
}

QJsonObject Comparison::toJson() const
{
    QJsonArray answerArray;
    for (const AnswerDifference &d : answers) {
        answerArray.append(QJsonObject { { u"question"_s, d.questionId }, { u"title"_s, d.title },
            { u"a"_s, d.textA }, { u"b"_s, d.textB } });
    }
    QJsonArray criterionArray;
    for (const CriterionDifference &d : criteria) {
        criterionArray.append(QJsonObject {
            { u"criterion"_s, d.criterionId },
            { u"title"_s, d.title },
            { u"a"_s,
                QJsonObject {
                    { u"go"_s, roundedPoints(d.goA) }, { u"python"_s, roundedPoints(d.pythonA) } } },
            { u"b"_s,
                QJsonObject {
                    { u"go"_s, roundedPoints(d.goB) }, { u"python"_s, roundedPoints(d.pythonB) } } },
            { u"leadChangeTowardsGo"_s, roundedPoints(d.leadChange()) },
        });
    }
    return QJsonObject {
        { u"format"_s, u"stackadvisor-comparison"_s },
        { u"version"_s, 1 },
        { u"a"_s, QJsonObject { { u"name"_s, nameA }, { u"recommendation"_s, a.toJson() } } },
        { u"b"_s, QJsonObject { { u"name"_s, nameB }, { u"recommendation"_s, b.toJson() } } },
        { u"sameVerdict"_s, sameVerdict() },
        { u"answersThatDiffer"_s, answerArray },
        { u"criteriaThatDiffer"_s, criterionArray },
        { u"summary"_s, summary },
    };
}

QString Comparison::toText() const
{
    QString text;
    text += u"%1  %2\n"_s.arg(u"A"_s).arg(nameA);
    text += u"%1  %2\n\n"_s.arg(u"B"_s).arg(nameB);
    for (const auto &[label, r] : { std::pair { u"A"_s, &a }, std::pair { u"B"_s, &b } }) {
        text += u"%1  %2 — Go %3, Python %4 points, confidence %5\n"_s.arg(label, r->verdictLine(),
            formatPoints(r->goScore), formatPoints(r->pythonScore), confidenceName(r->confidence));
        if (r->headline != verdictName(r->verdict))
            text += u"   "_s + r->headline + u'\n';
    }
    text += u"\n"_s + summary + u"\n"_s;
    text += u"\nAnswers that differ:\n"_s;
    if (answers.isEmpty())
        text += u"  none\n"_s;
    for (const AnswerDifference &d : answers)
        text += u"  %1\n    A: %2\n    B: %3\n"_s.arg(d.title, d.textA, d.textB);
    text += u"\nCriteria whose points differ (points; lead change towards Go):\n"_s;
    if (criteria.isEmpty())
        text += u"  none\n"_s;
    for (const CriterionDifference &d : criteria) {
        text += u"  %1  A: Go %2 Python %3   B: Go %4 Python %5   %6\n"_s.arg(d.title, -32)
                    .arg(formatPoints(d.goA), 5)
                    .arg(formatPoints(d.pythonA), 5)
                    .arg(formatPoints(d.goB), 5)
                    .arg(formatPoints(d.pythonB), 5)
                    .arg((d.leadChange() > 0 ? u"+"_s : QString()) + formatPoints(d.leadChange()));
    }
    return text;
}

} // namespace sa::advisor
