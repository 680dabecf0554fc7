#include "question.h"

#include <QJsonArray>
#include <QLocale>

#include <cmath>

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

bool Question::offersUnsure() const
{
    switch (type) {
    case Type::Number:
        return !unsureLabel.isEmpty();
    case Type::Choice:
        return option(QString(kUnsure)) != nullptr;
    case Type::Multi:
        return false; // ticking nothing is already "none of these"
    }
    return false;
}

QJsonValue Question::unsureValue() const
{
    return offersUnsure() ? QJsonValue(QString(kUnsure)) : QJsonValue(QJsonValue::Undefined);
}

QString Question::answerText(const QJsonValue &value) const
{
    switch (type) {
    case Type::Number: {
        if (value.isString() && value.toString() == kUnsure)
            return unsureLabel;
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

std::optional<qint64> parseWholeNumber(QStringView text)
{
    QString digits = text.trimmed().toString();
    if (digits.isEmpty())
        return std::nullopt;
    double scale = 1;
    const QChar suffix = digits.back().toLower();
    if (suffix == u'k' || suffix == u'm') {
        scale = suffix == u'k' ? 1e3 : 1e6;
        digits.chop(1);
        digits = digits.trimmed();
    }
    // Group separators: comma, underscore, space and the no-break spaces some locales print.
    static const QString separators = u",_ \u00A0\u202F"_s;
    QStringList groups;
    QString group;
    for (const QChar c : std::as_const(digits)) {
        if (separators.contains(c)) {
            groups << group;
            group.clear();
        } else {
            group += c;
        }
    }
    groups << group;
    for (qsizetype i = 1; i < groups.size(); ++i) {
        if (groups.at(i).size() != 3 || (i == groups.size() - 1 && groups.at(i).contains(u'.')))
            return std::nullopt;
    }
    if (groups.constFirst().isEmpty() || groups.constFirst().size() > (groups.size() > 1 ? 3 : 30))
        return std::nullopt;
    const QString joined = groups.join(QString());
    // A fraction only with a suffix: "2.5k" is 2,500, "2.5" is not a whole number.
    bool ok = false;
    const double value = scale > 1 ? joined.toDouble(&ok) : double(joined.toLongLong(&ok));
    if (!ok || value < 0 || !std::isfinite(value) || value * scale > 9e15)
        return std::nullopt;
    for (const QChar c : joined) {
        if (!c.isDigit() && c != u'.')
            return std::nullopt;
    }
    const double scaled = value * scale;
    if (scaled != std::floor(scaled))
        return std::nullopt;
    return qint64(scaled);
}

} // namespace sa::advisor
