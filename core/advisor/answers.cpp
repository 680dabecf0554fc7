#include "answers.h"

#include "platform/atomicfile.h"

#include "jsonfile.h"
#include "questionnaire.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <cmath>

using namespace Qt::StringLiterals;

namespace sa::advisor {

namespace {

const QString kFormat = u"stackadvisor-answers"_s;

// "<source>: <problem>", one line per problem, so that every one of them names the file.
QString report(const QString &source, const QStringList &problems)
{
    QStringList lines;
    for (const QString &problem : problems)
        lines << source + u": "_s + problem;
    return lines.join(u'\n');
}

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
    QStringList problems = json::duplicateKeys(text);
    problems << json::unknownKeys(
        *root, QString(), { u"format"_s, u"version"_s, u"description"_s, u"answers"_s });

    QString message;
    QString format;
    if (!json::readString(*root, u"format"_s, u"format"_s, &format, &message))
        problems << message;
    else if (format != kFormat)
        problems << u"format: expected \"%1\", found \"%2\""_s.arg(kFormat, format);
    double version = 0;
    if (!json::readNumber(*root, u"version"_s, u"version"_s, &version, &message))
        problems << message;
    else if (version != 1 && version != kVersion)
        problems << u"version: %1 is not supported (this build reads versions 1 and %2)"_s.arg(version).arg(
            kVersion);
    Answers answers;
    if (!json::readString(*root, u"description"_s, u"description"_s, &answers.m_description, &message, false))
        problems << message;
    QJsonObject values;
    if (!json::readObject(*root, u"answers"_s, u"answers"_s, &values, &message)) {
        problems << message;
    } else {
        for (auto it = values.constBegin(); it != values.constEnd(); ++it)
            answers.m_values.insert(it.key(), it.value());
        problems << answers.problems(questionnaire);
    }
    if (!problems.isEmpty()) {
        *error = report(source, problems);
        return std::nullopt;
    }
    return answers;
}

Answers Answers::unsure(const Questionnaire &questionnaire)
{
    Answers answers;
    for (const Question &question : questionnaire.questions()) {
        if (question.offersUnsure())
            answers.setValue(question.id, question.unsureValue());
        else if (question.type == Question::Type::Multi)
            answers.setValue(question.id, QJsonArray());
        else
            answers.setValue(question.id, double(question.suggested));
    }
    return answers;
}

bool Answers::validateValue(const Question &question, const QJsonValue &value, QString *error)
{
    const QString field = u"answers.%1"_s.arg(question.id);
    const QString offered = question.optionIds().join(u", "_s);
    switch (question.type) {
    case Question::Type::Number: {
        if (question.offersUnsure() && value.isString() && value.toString() == Question::kUnsure)
            return true;
        if (!value.isDouble()) {
            *error = u"%1: expected a number (%2)%3, found %4"_s.arg(field, question.unit,
                question.offersUnsure() ? u" or \"unsure\""_s : QString(), json::typeName(value));
            if (value.isString())
                *error += u" \"%1\""_s.arg(value.toString());
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
        QStringList problems;
        QSet<QString> seen;
        const QJsonArray ids = value.toArray();
        for (qsizetype i = 0; i < ids.size(); ++i) {
            const QString id = ids.at(i).toString();
            if (!ids.at(i).isString() || !question.option(id)) {
                problems << u"%1[%2]: %3 is not an option of this question; choose any of: %4"_s.arg(field)
                                .arg(i)
                                .arg(ids.at(i).isString() ? u'"' + id + u'"' : json::typeName(ids.at(i)),
                                    offered);
            } else if (seen.contains(id)) {
                problems << u"%1[%2]: \"%3\" is listed twice"_s.arg(field).arg(i).arg(id);
            }
            seen.insert(id);
        }
        if (!problems.isEmpty()) {
            // One call, one answer: its problems come back as lines of one message.
            *error = problems.join(u'\n');
            return false;
        }
        return true;
    }
    }
    return false;
}

QStringList Answers::problems(const Questionnaire &questionnaire) const
{
    QStringList problems;
    QStringList known;
    for (const Question &question : questionnaire.questions())
        known << question.id;
    for (auto it = m_values.constBegin(); it != m_values.constEnd(); ++it) {
        if (!questionnaire.question(it.key()))
            problems << u"answers.%1: unknown question id; the questions are: %2"_s.arg(
                it.key(), known.join(u", "_s));
    }
    for (const Question &question : questionnaire.questions()) {
        if (!m_values.contains(question.id)) {
            problems << u"answers.%1: missing answer to \"%2\" (required%3)"_s.arg(question.id,
                question.title, question.offersUnsure() ? u"; \"unsure\" if you do not know"_s : QString());
            continue;
        }
        QString error;
        if (!validateValue(question, m_values.value(question.id), &error))
            problems << error.split(u'\n');
    }
    return problems;
}

bool Answers::validate(const Questionnaire &questionnaire, QString *error) const
{
    const QStringList found = problems(questionnaire);
    if (found.isEmpty())
        return true;
    *error = found.join(u'\n');
    return false;
}

QJsonObject Answers::toJson() const
{
    QJsonObject values;
    for (auto it = m_values.constBegin(); it != m_values.constEnd(); ++it)
        values.insert(it.key(), it.value());
    QJsonObject object { { u"format"_s, kFormat }, { u"version"_s, kVersion }, { u"answers"_s, values } };
    if (!m_description.isEmpty())
        object.insert(u"description"_s, m_description);
    return object;
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

bool Answers::checkSavePath(const QString &path, QString *error)
{
    const QFileInfo info(path);
    const QFileInfo folder(info.absolutePath());
    if (path.isEmpty())
        *error = u"\"\": no file name; give the file to save the answers to"_s;
    else if (info.isDir())
        *error = u"%1: is a folder; give a file name to save the answers to"_s.arg(path);
    else if (!folder.isDir())
        *error
            = u"%1: the folder %2 does not exist; create it or save elsewhere"_s.arg(path, folder.filePath());
    else if (!folder.isWritable())
        *error = u"%1: the folder %2 is not writable; save elsewhere"_s.arg(path, folder.filePath());
    else if (info.exists() && !info.isWritable())
        *error = u"%1: the file exists and is not writable"_s.arg(path);
    else
        return true;
    return false;
}

} // namespace sa::advisor
