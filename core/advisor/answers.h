#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace sa::advisor {

class Questionnaire;
struct Question;

// A set of answers to the questionnaire. File format (tests/data/*.json):
//   {"format": "stackadvisor-answers", "version": 1,
//    "answers": {"peak-rps": 25000, "ai-ml": "none", "workload": ["realtime"], …}}
// A number question takes a whole number, a choice question an option id, a
// multi question an array of option ids (possibly empty). Every question needs an answer.
class Answers final
{
public:
    // Loading validates against the questionnaire: malformed JSON (line:column),
    // unknown question id, option not offered, number out of range, missing answer.
    static std::optional<Answers> load(
        const QString &path, const Questionnaire &questionnaire, QString *error);
    static std::optional<Answers> fromJson(
        const QByteArray &text, const QString &source, const Questionnaire &questionnaire, QString *error);
    static std::optional<Answers> fromObject(
        const QJsonObject &root, const QString &source, const Questionnaire &questionnaire, QString *error);
    // The questionnaire's defaults: the default number, the first option, nothing ticked.
    static Answers defaults(const Questionnaire &questionnaire);

    // Checks one value for one question; on failure *error names the field "answers.<id>".
    static bool validateValue(const Question &question, const QJsonValue &value, QString *error);
    // Checks every answer, as loading does.
    bool validate(const Questionnaire &questionnaire, QString *error) const;

    QJsonObject toJson() const;
    QByteArray toJsonText() const;
    // Writes atomically (platform::writeFileAtomically): never a half-written file.
    bool save(const QString &path, QString *error) const;

    QJsonValue value(const QString &questionId) const { return m_values.value(questionId); }
    void setValue(const QString &questionId, const QJsonValue &value) { m_values.insert(questionId, value); }
    bool contains(const QString &questionId) const { return m_values.contains(questionId); }
    QStringList questionIds() const { return m_values.keys(); }

    bool operator==(const Answers &other) const { return m_values == other.m_values; }

private:
    QMap<QString, QJsonValue> m_values;
};

} // namespace sa::advisor
