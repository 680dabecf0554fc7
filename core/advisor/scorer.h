#pragma once

#include "answers.h"
#include "decisiontable.h"
#include "questionnaire.h"
#include "recommendation.h"

namespace sa::advisor {

// Turns answers into a Recommendation. The rules (see questionnaire.json "scoring"):
// each answer adds its option's points per criterion and stack; a stack's score is
// 100 × its points / the most points any answers could give it; the verdict is
// Hybrid under the questionnaire's hybrid rule, else the higher score (a tie goes
// to Python). The flip analysis re-scores every single-answer change.
class Scorer final
{
public:
    Scorer(Questionnaire questionnaire, DecisionTable table);

    // Loads both bundled files (sa::Paths::resourceFile("advisor/…")); nullopt and
    // *error naming the file and field when either is invalid.
    static std::optional<Scorer> fromResources(QString *error);

    // `answers` must be valid for the questionnaire (Answers::validate).
    Recommendation recommend(const Answers &answers) const;

    const Questionnaire &questionnaire() const { return m_questionnaire; }
    const DecisionTable &decisionTable() const { return m_table; }

private:
    struct Outcome
    {
        double go = 0;
        double python = 0;
        Verdict verdict = Verdict::Python;
        QMap<QString, StackPoints> perCriterion; // in score points
    };

    Outcome evaluate(const Answers &answers) const;
    Verdict decide(double go, double python, const QMap<QString, StackPoints> &perCriterion) const;
    QList<const AnswerEffect *> effects(const Question &question, const QJsonValue &value) const;
    QList<Flip> findFlips(const Answers &answers, const Outcome &current, std::optional<Flip> *closest) const;
    QString explain(const Outcome &outcome) const;

    Questionnaire m_questionnaire;
    DecisionTable m_table;
    StackPoints m_maximum;
};

} // namespace sa::advisor
