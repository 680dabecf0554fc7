#pragma once

#include "criterion.h"
#include "question.h"

#include <optional>

namespace sa::advisor {

class DecisionTable;

// The questions, their options and each option's weights per criterion, read
// from resources/advisor/questionnaire.json (editable without recompiling).
class Questionnaire final
{
public:
    // Validates everything, including that every criterion and decision-table row
    // an option names exists; on failure returns nullopt and names the field in *error.
    static std::optional<Questionnaire> load(const QString &path, const DecisionTable &table, QString *error);
    static std::optional<Questionnaire> fromJson(
        const QByteArray &text, const QString &source, const DecisionTable &table, QString *error);

    const QList<Question> &questions() const { return m_questions; }
    const QList<Criterion> &criteria() const { return m_criteria; }
    const HybridRule &hybridRule() const { return m_hybrid; }
    const Question *question(const QString &id) const;
    const Criterion *criterion(const QString &id) const;
    // The article's "Choose Go When" / "Select Python When" bullets this questionnaire covers.
    const QStringList &goBullets() const { return m_goBullets; }
    const QStringList &pythonBullets() const { return m_pythonBullets; }
    // How the scores and the verdict are computed, in words (shown in --help and the UI).
    const QStringList &scoringRules() const { return m_scoring; }

    // The most points any set of answers can give each stack: the scores' 100.
    StackPoints maximumPoints() const;

private:
    QList<Question> m_questions;
    QList<Criterion> m_criteria;
    HybridRule m_hybrid;
    QStringList m_goBullets;
    QStringList m_pythonBullets;
    QStringList m_scoring;
};

} // namespace sa::advisor
