#pragma once

#include "answers.h"
#include "capacitymodel.h"
#include "decisiontable.h"
#include "questionnaire.h"
#include "recommendation.h"

#include <QHash>
#include <QMap>

namespace sa::bench {
class RunAnalysis;
}

namespace sa::advisor {

// Turns answers (and the capacity evidence) into a Recommendation. The rules, in
// words, are questionnaire.json's "scoring" list and the README's "Advisor"
// section: each answer gives its points to one stack or neither; the peak gives
// capacity points from the cores each stack needs; the leader on points is the
// verdict unless the other stack has a strong need, which makes it Hybrid.
class Scorer final
{
public:
    Scorer(Questionnaire questionnaire, DecisionTable table, CapacityModel capacity);

    // Loads the bundled files (sa::Paths::resourceFile("advisor/…") and the
    // article's claims); nullopt and *error naming the file and field when one is invalid.
    static std::optional<Scorer> fromResources(QString *error);

    // The capacity evidence of a run (see runcapacityevidence.h), or the
    // article's published figures when there is no run.
    CapacityEvidence evidenceFor(const bench::RunAnalysis *run) const;

    // `answers` must be valid for the questionnaire (Answers::validate). Without
    // evidence: the article's figures and the data's default costs.
    Recommendation recommend(const Answers &answers) const;
    Recommendation recommend(
        const Answers &answers, const CapacityEvidence &evidence, const CostAssumptions &cost) const;

    // The points and verdict of some answers, each criterion's points multiplied
    // by multipliers[criterion id] (default 1): what the sensitivity figures are
    // checked against.
    struct Evaluation
    {
        QList<StackPoints> perCriterion; // in questionnaire.criteria() order
        double go = 0;
        double python = 0;
        Verdict verdict = Verdict::Python;
        Stack leader = Stack::Python;
        QList<ActiveNeed> needs;
        double extraCores = 0; // Python's over Go's at the peak
        bool peakStated = false;
    };
    Evaluation evaluate(const Answers &answers, const CapacityEvidence &evidence,
        const QMap<QString, double> &multipliers = {}) const;

    // The extra cores Python needs over Go at the article's line, on the article's
    // own figures: where capacity gives half its points.
    double referenceExtraCores() const { return m_referenceExtraCores; }

    const Questionnaire &questionnaire() const { return m_questionnaire; }
    const DecisionTable &decisionTable() const { return m_table; }
    const CapacityModel &capacityModel() const { return m_capacity; }

private:
    struct Change
    {
        const Question *question = nullptr;
        QJsonValue toValue;
        QString phrase; // what the flip sentence says after "if "
        Evaluation outcome;
        double size = 0;
    };

    double perRequest(const CapacityEvidence &evidence) const;
    Evaluation evaluateWith(
        const Answers &answers, double perRequest, const QMap<QString, double> *multipliers) const;
    StackPoints capacityPoints(std::optional<double> peak, double perRequest) const;
    bool needActive(const Need &need, const Answers &answers) const;
    Verdict decide(double lead, const QList<ActiveNeed> &needs, Stack *leader) const;
    QList<Change> changes(const Answers &answers, const Evaluation &current, double perRequest) const;
    void explain(Recommendation &r, const Evaluation &current) const;
    void assess(Recommendation &r, const QList<Change> &changes, const Answers &answers,
        const CapacityEvidence &evidence) const;

    Questionnaire m_questionnaire;
    DecisionTable m_table;
    CapacityModel m_capacity;
    QHash<QString, int> m_criterionIndex;
    double m_referenceExtraCores = 0;
};

} // namespace sa::advisor
