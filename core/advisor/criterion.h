#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <algorithm>

namespace sa::advisor {

enum class Stack { Go, Python };

QString stackName(Stack stack); // "Go", "Python"
QString stackId(Stack stack); // "go", "python", as the data files write it

// A criterion the answers put points on, e.g. "team". Each question feeds one
// criterion; most criteria map to one row of the article's decision table.
struct Criterion
{
    QString id;
    QString title;
    QString decisionRow; // decision-table row id, or empty
    QMap<Stack, QString>
        verdictQuote; // the article sentence the verdict quotes when this criterion decides it
    double maxGo = 0; // the most points any answer gives Go on this criterion: its weight for Go
    double maxPython = 0;
    double weight() const { return std::max(maxGo, maxPython); }
};

// An answer the other stack serves badly (questionnaire.json verdict.needs).
// Active when every `when` question has one of its options (for a multi
// question: one of them ticked) and no `unless` question has one of its options;
// or, for the capacity need, when the peak is beyond the capacity criterion's
// half-points line.
struct Need
{
    QString id;
    Stack side = Stack::Go;
    bool capacity = false;
    QMap<QString, QStringList> when; // question id -> option ids
    QMap<QString, QStringList> unless;
    QString part; // "the AI/ML features": what that stack should build in a Hybrid
    QString why; // "AI/ML is part of the product"
};

// How the verdict and its confidence are decided (questionnaire.json "verdict").
struct VerdictRules
{
    Stack tieGoesTo = Stack::Python;
    QString tieQuote;
    double lowBelow = 2; // points: a lead or a flip smaller than this is low confidence
    double highFrom = 5; // points: a lead and every flip at least this is high confidence
    QString hybridQuote;
    QList<Need> needs;
};

// The p99 latency target an answer implies (questionnaire.json "latencyTarget").
struct LatencyTargetRule
{
    QString questionId;
    double defaultMs = 100;
    QString about;
};

} // namespace sa::advisor
