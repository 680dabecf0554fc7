#pragma once

#include "capacity.h"
#include "criterion.h"
#include "decisionrow.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace sa::advisor {

// In the order the verdicts are monotonic in: a reason for Go never moves the
// verdict down this list (Python < Hybrid < Go), a reason for Python never up.
enum class Verdict { Python, Hybrid, Go };

QString verdictName(Verdict verdict); // "Go", "Python", "Hybrid"
std::optional<Verdict> verdictFromName(const QString &name);

enum class Confidence { Low, Medium, High };
QString confidenceName(Confidence confidence); // "low", "medium", "high"

// Points are counted in tenths: every figure shown with one decimal adds up.
double roundedPoints(double points);
// "12.0": the one format of points, shared by the CLI, the GUI and the PDF.
QString formatPoints(double points);

// How much one criterion's weight would have to change for the verdict to change.
struct Sensitivity
{
    // The factor on the criterion's points (and its weight) at which the verdict
    // changes: at `multiplier` or beyond it, in the direction away from 1.
    double multiplier = 1;
    // The figure to show, rounded (two decimals) towards the side where the verdict
    // has changed, so that applying the shown figure changes it.
    double shownMultiplier = 1;
    bool orMore = true; // the verdict changes at shownMultiplier or more (else or less)
    Verdict verdict = Verdict::Python; // the verdict then
    QString sentence; // "The verdict would be Python if Team experience weighed 0.41× as much (or less)."

    QJsonObject toJson() const;
};

// How one criterion moved the two scores, in points.
struct Contribution
{
    QString criterionId;
    QString title;
    QString decisionRow; // decision-table row id, or empty
    double go = 0; // points, to one decimal
    double python = 0;
    double weight = 0; // the most points this criterion can give a stack
    QStringList questionIds; // the questions that feed it
    QStringList reasons; // one per answer
    QStringList quotes; // the article sentences behind them (non-empty ones)
    std::optional<Sensitivity> sensitivity; // nullopt: no change of this weight changes the verdict

    double lead() const { return go - python; } // > 0 favours Go
    QString reason() const; // reasons and quotes as one sentence for tables
    QJsonObject toJson() const;
};

// A change of one answer and the verdict it gives.
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
    double size = 0; // the points the change moves, over all criteria: Σ |Δgo| + |Δpython|
    QString sentence; // "If your peak were 10,001 req/s or more, the verdict would be Hybrid (Go 4.0,
                      // Python 12.0)."

    QJsonObject toJson() const;
};

// A strong need of one stack that the answers state (questionnaire.json verdict.needs).
struct ActiveNeed
{
    QString id;
    Stack side = Stack::Go;
    QString part; // what that stack would build in a Hybrid
    QString why;
    QString criterionId; // the criterion it belongs to
    bool capacity = false; // the capacity need: its why depends on the peak
};

// The p99 latency target the answers imply, for capacity figures held to one.
struct LatencyTarget
{
    double milliseconds = 100;
    bool fromAnswer = false; // else the default
    QString source; // "your answer “Critical: …”" or "the default (no latency answer)"

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
    Stack leader = Stack::Python; // the stack with more points (a tie: the tie rule's)
    double goScore = 0; // points
    double pythonScore = 0;
    double margin = 0; // |goScore - pythonScore|
    double maximumGo = 0; // the most points any answers can give each stack: the bars' scale
    double maximumPython = 0;
    QString headline; // "Go", "Python", or "Hybrid: Python for …; Go for …"
    QString explanation; // why: the deciding criteria, the needs, the article's sentence
    QStringList decidingCriteria; // criterion ids, most points first
    QList<ActiveNeed> needs; // the strong needs the answers state, both stacks
    QStringList goParts; // Hybrid: what each stack builds
    QStringList pythonParts;

    Confidence confidence = Confidence::Low;
    QString confidenceText; // one sentence: why this confidence, and what would decide it
    QList<Flip> decidingFlips; // the one or two smallest flips, for "Too close to call"

    QList<Contribution> contributions; // every criterion, in questionnaire order
    QList<Flip> flips; // per question and other verdict, the smallest change; smallest first
    // When no single change flips the verdict: the change that narrows the lead the most.
    std::optional<Flip> closest;
    CapacityEstimate capacity; // at the stated peak, with the evidence's labels
    LatencyTarget latencyTarget;
    QList<AnsweredQuestion> answers;
    QList<DecisionRow> decisionTable; // the whole article table
    QStringList relevantRows; // ids of the rows your answers touch, in table order
    QStringList scoringRules; // how scores and verdict are computed, in words

    bool isRowRelevant(const QString &rowId) const { return relevantRows.contains(rowId); }
    const Contribution *contribution(const QString &criterionId) const;
    // "Verdict: Go", or "Too close to call — leaning Python" when confidence is low.
    QString verdictLine() const;
    // Documented schema: see README.md, section "Advisor".
    QJsonObject toJson() const;
    // The human text of `stackadvisor advise`.
    QString toText() const;
};

} // namespace sa::advisor
