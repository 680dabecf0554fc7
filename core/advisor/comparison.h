#pragma once

#include "recommendation.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace sa::advisor {

// Two answer sets side by side: both verdicts, the answers that differ and the
// criteria whose points differ (what moved the verdict, if it moved).
struct Comparison
{
    struct AnswerDifference
    {
        QString questionId;
        QString title;
        QString textA;
        QString textB;
    };
    struct CriterionDifference
    {
        QString criterionId;
        QString title;
        double goA = 0, pythonA = 0;
        double goB = 0, pythonB = 0;
        // How far B moved the lead towards Go (negative: towards Python), in points.
        double leadChange() const { return (goB - pythonB) - (goA - pythonA); }
    };

    QString nameA; // "a.json", "Your answers"
    QString nameB;
    Recommendation a;
    Recommendation b;
    QList<AnswerDifference> answers; // in questionnaire order
    QList<CriterionDifference> criteria; // in questionnaire order, only those that differ
    QString summary; // one sentence: both verdicts and what moved them

    bool sameVerdict() const { return a.verdict == b.verdict; }
    QJsonObject toJson() const;
    QString toText() const;
};

Comparison compare(
    const Recommendation &a, const QString &nameA, const Recommendation &b, const QString &nameB);

} // namespace sa::advisor
