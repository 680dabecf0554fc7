#pragma once

#include "decisionrow.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace sa::advisor {

enum class Verdict { Go, Python, Hybrid };

QString verdictName(Verdict verdict); // "Go", "Python", "Hybrid"
std::optional<Verdict> verdictFromName(const QString &name);

// How one criterion moved the two scores. go/python are score points (0..100
// scale); the contributions of all criteria add up to the scores.
struct Contribution
{
    QString criterionId;
    QString title;
    QString decisionRow; // decision-table row id, or empty
    double go = 0;
    double python = 0;
    double weight = 0; // share of all points your answers awarded, in percent
    QStringList questionIds; // the questions whose answers gave these points
    QStringList reasons; // one per contributing answer
    QStringList quotes; // the article sentences behind them (non-empty ones)

    QString reason() const; // reasons and quotes as one sentence for tables
    QJsonObject toJson() const;
};

// The smallest change to one answer that changes the verdict.
struct Flip
{
    QString questionId;
    QString questionTitle;
    QJsonValue fromValue; // answers-file values, so the change can be applied
    QJsonValue toValue;
    QString fromText;
    QString toText;
    Verdict verdict = Verdict::Python; // the verdict after the change
    double goScore = 0;
    double pythonScore = 0;
    double size = 0; // how far the scores move: |Δgo| + |Δpython|
    QString sentence; // "If your peak were above 10,000 req/s, the verdict would be Go (Go 61, Python 30)."

    QJsonObject toJson() const;
};

// One answer as people read it.
struct AnsweredQuestion
{
    QString questionId;
    QString title;
    QJsonValue value;
    QString text;
};

// Everything the advisor concluded, self-describing so that the GUI, the CLI and
// the PDF report can show it without the questionnaire at hand.
struct Recommendation
{
    Verdict verdict = Verdict::Python;
    double goScore = 0; // 0..100
    double pythonScore = 0; // 0..100
    double margin = 0; // |goScore - pythonScore|
    QString headline; // "Go", "Python", or "Hybrid: Python for the product, Go for the hot paths"
    QString explanation; // why this verdict, naming the rule applied
    QList<Contribution> contributions; // in questionnaire order of criteria
    QList<Flip> flips; // per question and other verdict, the smallest change; smallest first
    // When no single change flips the verdict: the change that narrows the lead the most
    // (its verdict is the current one).
    std::optional<Flip> closest;
    QList<AnsweredQuestion> answers;
    QList<DecisionRow> decisionTable; // the whole article table
    QStringList relevantRows; // ids of the rows your answers touch, in table order
    QStringList scoringRules; // how scores and verdict are computed, in words

    bool isRowRelevant(const QString &rowId) const { return relevantRows.contains(rowId); }
    // Documented schema: see README.md, section "Advisor".
    QJsonObject toJson() const;
    // The human text of `stackadvisor advise`.
    QString toText() const;
};

} // namespace sa::advisor
