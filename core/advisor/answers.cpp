#include "answers.h"

#include "platform/atomicfile.h"

#include "jsonfile.h"
#include "questionnaire.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <cmath>

using namespace Qt::StringLiterals;

namespace sa::advisor {

namespace {

const QString kFormat = u"stackadvisor-answers"_s;
constexpr int kVersion = 1;

} // namespace

std::optional<Answers> Answers::load(const QString &path, const Questionnaire &questionnaire, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"%1: cannot read the answers file: %2"_s.arg(path, file.errorString());
        return std::nullopt;
    }
    return fromJson(file.readAll(), path, questionnaire, error);
}

std::optional<Answers> Answers::fromJson(
    const QByteArray &text, const QString &source, const Questionnaire &questionnaire, QString *error)
{
    const std::optional<QJsonObject> root = json::parseObject(text, source, error);
    if (!root)
        return std::nullopt;
    return fromObject(*root, source, questionnaire, error);
}

std::optional<Answers> Answers::fromObject(
    const QJsonObject &root, const QString &source, const Questionnaire &questionnaire, QString *error)
{
    QString message;
    const auto fail = [&] {
        *error = source + u": "_s + message;
        return std::nullopt;
    };
    QString format;
    double version = 0;
    if (!json::readString(root, u"format"_s, u"format"_s, &format, &message))
        return fail();
    if (format != kFormat) {
        message = u"format: expected \"%1\", found \"%2\""_s.arg(kFormat, format);
        return fail();
    }
    if (!json::readNumber(root, u"version"_s, u"version"_s, &version, &message))
        return fail();
    if (version != kVersion) {
        message = u"version: %1 is not supported (this build reads version %2)"_s.arg(version).arg(kVersion);
        return fail();
    }
    QJsonObject values;
    if (!json::readObject(root, u"answers"_s, u"answers"_s, &values, &message))
        return fail();

    Answers answers;
    for (auto it = values.constBegin(); it != values.constEnd(); ++it)
        answers.m_values.insert(it.key(), it.value());
    if (!answers.validate(questionnaire, &message))
        return fail();
    return answers;
}

Answers Answers::defaults(const Questionnaire &questionnaire)
{
    Answers answers;
    for (const Question &question : questionnaire.questions()) {
        switch (question.type) {
        case Question::Type::Number:
            answers.setValue(question.id, double(question.defaultValue));
            break;
        case Question::Type::Choice:
            answers.setValue(question.id, question.options.constFirst().id);
            break;
        case Question::Type::Multi:
            answers.setValue(question.id, QJsonArray());
            break;
        }
    }
    return answers;
}

bool Answers::validateValue(const Question &question, const QJsonValue &value, QString *error)
{
    const QString field = u"answers.%1"_s.arg(question.id);
    const QString offered = question.optionIds().join(u", "_s);
    switch (question.type) {
    case Question::Type::Number: {
        if (!value.isDouble()) {
            *error
                = u"%1: expected a number (%2), found %3"_s.arg(field, question.unit, json::typeName(value));
            return false;
        }
        const double number = value.toDouble();
        if (number != std::floor(number)) {
            *error = u"%1: %2 is not a whole number"_s.arg(field).arg(number);
            return false;
        }
        if (number < double(question.min) || number > double(question.max)) {
            *error = u"%1: %2 is out of range; enter a value from %3 to %4 %5"_s.arg(field)
                         .arg(number, 0, 'f', 0)
                         .arg(question.min)
                         .arg(question.max)
                         .arg(question.unit);
            return false;
        }
        return true;
    }
    case Question::Type::Choice:
        if (!value.isString()) {
            *error = u"%1: expected one option id as a string (one of: %2), found %3"_s.arg(
                field, offered, json::typeName(value));
            return false;
        }
        if (!question.option(value.toString())) {
            *error = u"%1: \"%2\" is not an option of this question; choose one of: %3"_s.arg(
                field, value.toString(), offered);
            return false;
        }
        return true;
    case Question::Type::Multi: {
        if (!value.isArray()) {
            *error = u"%1: expected an array of option ids (any of: %2), found %3"_s.arg(
                field, offered, json::typeName(value));
            return false;
        }
        QSet<QString> seen;
        const QJsonArray ids = value.toArray();
        for (qsizetype i = 0; i < ids.size(); ++i) {
            const QString id = ids.at(i).toString();
            if (!ids.at(i).isString() || !question.option(id)) {
                *error
                    = u"%1[%2]: %3 is not an option of this question; choose any of: %4"_s.arg(field)
                          .arg(i)
                          .arg(ids.at(i).isString() ? u'"' + id + u'"' : json::typeName(ids.at(i)), offered);
                return false;
            }
            if (seen.contains(id)) {
                *error = u"%1[%2]: \"%3\" is listed twice"_s.arg(field).arg(i).arg(id);
                return false;
            }
            seen.insert(id);
        }
        return true;
    }
    }
    return false;
}

bool Answers::validate(const Questionnaire &questionnaire, QString *error) const
{
    for (auto it = m_values.constBegin(); it != m_values.constEnd(); ++it) {
        if (!questionnaire.question(it.key())) {
            QStringList known;
            for (const Question &question : questionnaire.questions())
                known << question.id;
            *error = u"answers.%1: unknown question id; the questions are: %2"_s.arg(
                it.key(), known.join(u", "_s));
            return false;
        }
    }
    for (const Question &question : questionnaire.questions()) {
        if (!m_values.contains(question.id)) {
            *error = u"answers.%1: missing answer to \"%2\" (required)"_s.arg(question.id, question.title);
            return false;
        }
        if (!validateValue(question, m_values.value(question.id), error))
            return false;
    }
    return true;
}

QJsonObject Answers::toJson() const
{
    QJsonObject values;
    for (auto it = m_values.constBegin(); it != m_values.constEnd(); ++it)
        values.insert(it.key(), it.value());
    return QJsonObject { { u"format"_s, kFormat }, { u"version"_s, kVersion }, { u"answers"_s, values } };
}

QByteArray Answers::toJsonText() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Indented);
}

bool Answers::save(const QString &path, QString *error) const
{
    QString reason;
    if (!sa::platform::writeFileAtomically(path, toJsonText(), &reason)) {
        *error = u"cannot save the answers: "_s + reason;
        return false;
    }
    return true;
}

} // namespace sa::advisor
