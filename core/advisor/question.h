#pragma once

#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace sa::advisor {

// Points an answer gives each stack on one criterion.
struct StackPoints
{
    double go = 0;
    double python = 0;
};

// What choosing an answer does: points per criterion id, the decision-table rows
// it makes relevant, and why (our sentence and the article's).
struct AnswerEffect
{
    QMap<QString, StackPoints> weights; // criterion id -> points
    QStringList rows; // decision-table row ids
    QString reason;
    QString quote; // article sentence; may be empty when the answer is neutral
};

// One option of a choice or multi-choice question.
struct AnswerOption
{
    QString id;
    QString label;
    AnswerEffect effect;
};

// A range of a number question, both ends inclusive.
struct NumberBand
{
    qint64 min = 0;
    qint64 max = 0;
    QString phrase; // "above 10,000 req/s", used in flip sentences
    AnswerEffect effect;
};

struct Question
{
    enum class Type { Number, Choice, Multi };

    QString id;
    Type type = Type::Choice;
    QString title;
    QString help; // from the article
    // Flip sentences: "if " + template with %1 = the new answer.
    QString flipTemplate; // number and choice
    QString flipAddTemplate; // multi: ticking an option
    QString flipRemoveTemplate; // multi: unticking an option

    // Number questions.
    QString unit;
    qint64 min = 0;
    qint64 max = 0;
    qint64 defaultValue = 0;
    QList<NumberBand> bands;

    // Choice and multi-choice questions.
    QList<AnswerOption> options;

    const AnswerOption *option(const QString &optionId) const;
    const NumberBand *band(qint64 value) const;
    // An answer value as people read it: "25,000 req/s", "Go", "CLI tools, Real-time…".
    QString answerText(const QJsonValue &value) const;
    QStringList optionIds() const;
    static QString typeName(Type type);
};

} // namespace sa::advisor
