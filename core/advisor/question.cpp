#include "question.h"

#include <QJsonArray>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace sa::advisor {

const AnswerOption *Question::option(const QString &optionId) const
{
    for (const AnswerOption &candidate : options) {
        if (candidate.id == optionId)
            return &candidate;
    }
    return nullptr;
}

const NumberBand *Question::band(qint64 value) const
{
    for (const NumberBand &candidate : bands) {
        if (value >= candidate.min && value <= candidate.max)
            return &candidate;
    }
    return nullptr;
}

QString Question::answerText(const QJsonValue &value) const
{
    switch (type) {
    case Type::Number: {
        // Thousands grouped with commas, as the article writes them ("10,000"), whatever the system locale.
        const QString number
            = QLocale(QLocale::English, QLocale::UnitedStates).toString(qint64(value.toDouble()));
        return unit.isEmpty() ? number : number + u' ' + unit;
    }
    case Type::Choice:
        if (const AnswerOption *chosen = option(value.toString()))
            return chosen->label;
        return value.toString();
    case Type::Multi: {
        QStringList labels;
        const QJsonArray ids = value.toArray();
        for (const QJsonValue &id : ids) {
            const AnswerOption *chosen = option(id.toString());
            labels << (chosen ? chosen->label : id.toString());
        }
        return labels.isEmpty() ? u"none"_s : labels.join(u"; "_s);
    }
    }
    return {};
}

QStringList Question::optionIds() const
{
    QStringList ids;
    for (const AnswerOption &candidate : options)
        ids << candidate.id;
    return ids;
}

QString Question::typeName(Type type)
{
    switch (type) {
    case Type::Number:
        return u"number"_s;
    case Type::Choice:
        return u"choice"_s;
    case Type::Multi:
        return u"multi"_s;
    }
    return {};
}

} // namespace sa::advisor
