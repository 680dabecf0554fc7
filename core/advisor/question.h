#pragma once

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace sa::advisor {

// Points an answer gives each stack on its question's criterion. Either one of
// them or neither: an answer leans one way or favours neither stack.
struct StackPoints
{
    double go = 0;
    double python = 0;

    bool isNeutral() const { return go == 0 && python == 0; }
    bool operator==(const StackPoints &) const = default;
};

// What choosing an answer does, and why (our sentence and the article's).
struct AnswerEffect
{
    StackPoints points;
    QStringList rows; // decision-table row ids it makes relevant
    QString reason;
    QString quote; // article sentence; may be empty when the answer is neutral
};

// One option of a choice or multi-choice question.
struct AnswerOption
{
    QString id;
    QString label;
    AnswerEffect effect;
    std::optional<double> latencyTargetMs; // for the latency-target question
};

// How a number question scores: the capacity and cost of serving the peak
// (see capacity.h). The article's line is where it gives half its points.
struct CapacityScoring
{
    double maxPoints = 8;
    double halfAtRequestsPerSecond = 10000; // the article's line
    QStringList rows;
    QString quoteAbove; // the article sentence when the peak is above the line
    QString quoteBelow; // …and when below
};

struct Question
{
    enum class Type { Number, Choice, Multi };

    // The answer that favours neither stack: an option id of every choice
    // question, and a value a number question takes instead of a number.
    static constexpr QLatin1StringView kUnsure { "unsure" };

    QString id;
    Type type = Type::Choice;
    QString criterion; // the criterion id this question feeds
    QString title;
    QString help; // from the article
    // Flip sentences: "if " + template with %1 = the new answer.
    QString flipTemplate; // number and choice
    QString flipAddTemplate; // multi: ticking an option
    QString flipRemoveTemplate; // multi: unticking an option
    QString noneReason; // multi: why ticking nothing favours neither stack

    // Number questions.
    QString unit;
    qint64 min = 0;
    qint64 max = 0;
    qint64 suggested = 0; // the value an editor starts from when the answer stops being "unsure"
    QString unsureLabel; // "Not sure yet"
    QString unsureReason;
    CapacityScoring capacity;

    // Choice and multi-choice questions.
    QList<AnswerOption> options;

    const AnswerOption *option(const QString &optionId) const;
    bool offersUnsure() const;
    // An answer value as people read it: "25,000 req/s", "Go", "CLI tools; Real-time…", "Not sure yet".
    QString answerText(const QJsonValue &value) const;
    QStringList optionIds() const;
    static QString typeName(Type type);
    // The unsure value of this question, or an undefined value when it offers none.
    QJsonValue unsureValue() const;
};

// A whole number as a person types it: "25000", "25,000", "25 000", "25_000",
// "25k", "2.5k", "1M". Groups after the first must have three digits; nullopt
// for anything else (including negative numbers and fractions).
std::optional<qint64> parseWholeNumber(QStringView text);

} // namespace sa::advisor
