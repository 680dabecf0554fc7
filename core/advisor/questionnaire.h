#pragma once

#include "criterion.h"
#include "question.h"

#include <optional>

namespace sa::advisor {

class DecisionTable;

// The questions, their options and the points each option gives, the criteria,
// the verdict rules and the needs, read from resources/advisor/questionnaire.json
// (editable without recompiling).
class Questionnaire final
{
public:
    // Validates everything, including that every criterion, question, option and
    // decision-table row named exists and that each option favours one stack or
    // neither; on failure returns nullopt and names the field in *error.
    static std::optional<Questionnaire> load(const QString &path, const DecisionTable &table, QString *error);
    static std::optional<Questionnaire> fromJson(
        const QByteArray &text, const QString &source, const DecisionTable &table, QString *error);

    const QList<Question> &questions() const { return m_questions; }
    const QList<Criterion> &criteria() const { return m_criteria; }
    const VerdictRules &verdictRules() const { return m_verdict; }
    const LatencyTargetRule &latencyTargetRule() const { return m_latency; }
    const Question *question(const QString &id) const;
    const Criterion *criterion(const QString &id) const;
    // The number question scored as capacity and cost (peak req/s), or nullptr.
    const Question *capacityQuestion() const;
    // The article's "Choose Go When" / "Select Python When" bullets this questionnaire covers.
    const QStringList &goBullets() const { return m_goBullets; }
    const QStringList &pythonBullets() const { return m_pythonBullets; }
    // How the scores and the verdict are computed, in words (shown in --help and the UI).
    const QStringList &scoringRules() const { return m_scoring; }

    // The most points any set of answers can give each stack.
    StackPoints maximumPoints() const;

private:
    QList<Question> m_questions;
    QList<Criterion> m_criteria;
    VerdictRules m_verdict;
    LatencyTargetRule m_latency;
    QStringList m_goBullets;
    QStringList m_pythonBullets;
    QStringList m_scoring;
};

} // namespace sa::advisor
