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
//   {"format": "stackadvisor-answers", "version": 2, "description": "optional",
//    "answers": {"peak-rps": 25000, "ai-ml": "none", "workload": ["realtime"], …}}
// A number question takes a whole number (or "unsure" where it offers it), a
// choice question an option id, a multi question an array of option ids
// (possibly empty). Every question needs an answer. Version 1 files (written
// before "unsure" existed) read the same way.
class Answers final
{
public:
    static constexpr int kVersion = 2;

    // Loading validates against the questionnaire and reports every problem at
    // once, one per line, each naming its field: malformed JSON (line:column), a
    // key given twice, an unknown field, an unknown question id, an option not
    // offered, a number out of range, a missing answer.
    static std::optional<Answers> load(
        const QString &path, const Questionnaire &questionnaire, QString *error);
    static std::optional<Answers> fromJson(
        const QByteArray &text, const QString &source, const Questionnaire &questionnaire, QString *error);
    // Every question "Not sure" where it offers that, nothing ticked: no answer favours either stack.
    static Answers unsure(const Questionnaire &questionnaire);

    // Checks one value for one question; on failure *error names the field "answers.<id>".
    static bool validateValue(const Question &question, const QJsonValue &value, QString *error);
    // Checks every answer, as loading does; every problem, in questionnaire order.
    QStringList problems(const Questionnaire &questionnaire) const;
    bool validate(const Questionnaire &questionnaire, QString *error) const;

    QJsonObject toJson() const;
    QByteArray toJsonText() const;
    // Writes atomically (platform::writeFileAtomically): never a half-written file.
    bool save(const QString &path, QString *error) const;
    // Whether save(path) can succeed, checked before any work is done: the folder
    // exists and is writable, the path is not a folder, an existing file is writable.
    static bool checkSavePath(const QString &path, QString *error);

    QJsonValue value(const QString &questionId) const { return m_values.value(questionId); }
    void setValue(const QString &questionId, const QJsonValue &value) { m_values.insert(questionId, value); }
    bool contains(const QString &questionId) const { return m_values.contains(questionId); }
    QStringList questionIds() const { return m_values.keys(); }
    QString description() const { return m_description; }
    void setDescription(const QString &description) { m_description = description; }

    // Equal answers; the description does not count.
    bool operator==(const Answers &other) const { return m_values == other.m_values; }

private:
    QMap<QString, QJsonValue> m_values;
    QString m_description;
};

} // namespace sa::advisor
