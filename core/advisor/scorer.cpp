#include "scorer.h"

#include "platform/paths.h"

#include <QJsonArray>
#include <QSet>

#include <cmath>
#include <utility>

using namespace Qt::StringLiterals;

namespace sa::advisor {

namespace {

QString whole(double value)
{
    return QString::number(value, 'f', 0);
}

} // namespace

Scorer::Scorer(Questionnaire questionnaire, DecisionTable table)
    : m_questionnaire(std::move(questionnaire))
    , m_table(std::move(table))
    , m_maximum(m_questionnaire.maximumPoints())
{ }

std::optional<Scorer> Scorer::fromResources(QString *error)
{
    std::optional<DecisionTable> table
        = DecisionTable::load(Paths::resourceFile(u"advisor/decision-table.json"_s), error);
    if (!table)
        return std::nullopt;
    std::optional<Questionnaire> questionnaire
        = Questionnaire::load(Paths::resourceFile(u"advisor/questionnaire.json"_s), *table, error);
    if (!questionnaire)
        return std::nullopt;
    return Scorer(std::move(*questionnaire), std::move(*table));
}

QList<const AnswerEffect *> Scorer::effects(const Question &question, const QJsonValue &value) const
{
    QList<const AnswerEffect *> result;
    switch (question.type) {
    case Question::Type::Number:
        if (const NumberBand *band = question.band(qint64(value.toDouble())))
            result << &band->effect;
        break;
    case Question::Type::Choice:
        if (const AnswerOption *option = question.option(value.toString()))
            result << &option->effect;
        break;
    case Question::Type::Multi: {
        // In questionnaire order, whatever order the file listed them in.
        const QJsonArray ids = value.toArray();
        for (const AnswerOption &option : question.options) {
            if (ids.contains(QJsonValue(option.id)))
                result << &option.effect;
        }
        break;
    }
    }
    return result;
}

Scorer::Outcome Scorer::evaluate(const Answers &answers) const
{
    Outcome outcome;
    for (const Question &question : m_questionnaire.questions()) {
        for (const AnswerEffect *effect : effects(question, answers.value(question.id))) {
            for (auto it = effect->weights.constBegin(); it != effect->weights.constEnd(); ++it) {
                StackPoints &points = outcome.perCriterion[it.key()];
                points.go += 100 * it.value().go / m_maximum.go;
                points.python += 100 * it.value().python / m_maximum.python;
            }
        }
    }
    for (const StackPoints &points : std::as_const(outcome.perCriterion)) {
        outcome.go += points.go;
        outcome.python += points.python;
    }
    outcome.verdict = decide(outcome.go, outcome.python, outcome.perCriterion);
    return outcome;
}

Verdict Scorer::decide(double go, double python, const QMap<QString, StackPoints> &perCriterion) const
{
    const HybridRule &rule = m_questionnaire.hybridRule();
    const auto strongNeed = [&](const QStringList &criteria, double StackPoints::*stack) {
        for (const QString &id : criteria) {
            if (perCriterion.value(id).*stack >= rule.minNeedPoints)
                return true;
        }
        return false;
    };
    const bool bothHigh = go >= rule.minScore && python >= rule.minScore;
    const bool close = std::abs(go - python) <= rule.maxGap;
    if (bothHigh && close && strongNeed(rule.goNeeds, &StackPoints::go)
        && strongNeed(rule.pythonNeeds, &StackPoints::python))
        return Verdict::Hybrid;
    return go > python ? Verdict::Go : Verdict::Python;
}

QString Scorer::explain(const Outcome &outcome) const
{
    const HybridRule &rule = m_questionnaire.hybridRule();
    const double gap = std::abs(outcome.go - outcome.python);
    switch (outcome.verdict) {
    case Verdict::Hybrid:
        return u"Both stacks score at least %1 and are only %2 points apart, and your answers need both Go's "
               "strength (throughput) and Python's (AI/ML). The article: “They use Python to build the "
               "product. "
               "Then they use Go for parts that handle a lot of traffic.”"_s.arg(
                   whole(rule.minScore), whole(gap));
    case Verdict::Go:
        return u"Go leads by %1 points. The article: “Go is the choice when your app needs to be really "
               u"fast, "
               "support small deployments, and handle a lot of traffic simultaneously.”"_s.arg(whole(gap));
    case Verdict::Python:
        if (gap < 0.05)
            return u"A tie goes to Python. The article: “For most startups and midsize apps, Python’s "
                   u"performance "
                   "is enough.”"_s;
        if (outcome.perCriterion.value(u"ai-ml"_s).python > 0)
            return u"Python leads by %1 points. The article: “Python comes out on top when you need to build "
                   u"an AI "
                   "feature and have access to a wide range of tools.”"_s.arg(whole(gap));
        return u"Python leads by %1 points. The article: “For most startups and midsize apps, Python’s "
               "performance is enough. The bottleneck is usually the database or the API, not the Python "
               "code "
               "itself.”"_s.arg(whole(gap));
    }
    return {};
}

QList<Flip> Scorer::findFlips(
    const Answers &answers, const Outcome &current, std::optional<Flip> *closest) const
{
    // Smallest change per question and resulting verdict, so that "if your peak were
    // above 10,000 req/s…" is reported even when another question flips it more cheaply.
    QMap<std::pair<QString, Verdict>, Flip> smallest;
    // Lead of the current winner after a change; for Hybrid, any change counts by its size.
    const auto lead = [&](double go, double python) {
        return current.verdict == Verdict::Go ? go - python : python - go;
    };
    const auto consider = [&](const Question &question, const QJsonValue &toValue, const QString &change,
                              const QString &toText) {
        Answers changed = answers;
        changed.setValue(question.id, toValue);
        const Outcome outcome = evaluate(changed);
        const double size = std::abs(outcome.go - current.go) + std::abs(outcome.python - current.python);
        const bool flips = outcome.verdict != current.verdict;
        const std::pair key { question.id, outcome.verdict };
        if (flips && smallest.contains(key) && smallest.value(key).size <= size)
            return;
        if (!flips
            && (current.verdict == Verdict::Hybrid
                || lead(outcome.go, outcome.python) >= lead(current.go, current.python)
                || (*closest
                    && lead(outcome.go, outcome.python)
                        >= lead((*closest)->goScore, (*closest)->pythonScore))))
            return;
        Flip flip;
        flip.questionId = question.id;
        flip.questionTitle = question.title;
        flip.fromValue = answers.value(question.id);
        flip.toValue = toValue;
        flip.fromText = question.answerText(flip.fromValue);
        flip.toText = toText;
        flip.verdict = outcome.verdict;
        flip.goScore = outcome.go;
        flip.pythonScore = outcome.python;
        flip.size = size;
        if (flips) {
            flip.sentence = u"If %1, the verdict would be %2 (Go %3, Python %4)."_s.arg(
                change, verdictName(outcome.verdict), whole(outcome.go), whole(outcome.python));
            smallest.insert(key, flip);
        } else {
            flip.sentence = u"if %1, the verdict would still be %2, by %3 points (Go %4, Python %5)."_s.arg(
                change, verdictName(outcome.verdict), whole(lead(outcome.go, outcome.python)),
                whole(outcome.go), whole(outcome.python));
            *closest = flip;
        }
    };

    for (const Question &question : m_questionnaire.questions()) {
        const QJsonValue value = answers.value(question.id);
        switch (question.type) {
        case Question::Type::Number: {
            // The nearest value in each other band is the smallest change into it.
            const qint64 number = qint64(value.toDouble());
            const NumberBand *currentBand = question.band(number);
            for (const NumberBand &band : question.bands) {
                if (&band == currentBand)
                    continue;
                const qint64 nearest = band.min > number ? band.min : band.max;
                consider(question, double(nearest), question.flipTemplate.arg(band.phrase),
                    question.answerText(double(nearest)));
            }
            break;
        }
        case Question::Type::Choice:
            for (const AnswerOption &option : question.options) {
                if (option.id != value.toString())
                    consider(question, option.id, question.flipTemplate.arg(option.label), option.label);
            }
            break;
        case Question::Type::Multi:
            for (const AnswerOption &option : question.options) {
                QJsonArray ids = value.toArray();
                const bool ticked = ids.contains(QJsonValue(option.id));
                QString change;
                if (ticked) {
                    for (qsizetype i = ids.size() - 1; i >= 0; --i) {
                        if (ids.at(i).toString() == option.id)
                            ids.removeAt(i);
                    }
                    change = question.flipRemoveTemplate.arg(option.label);
                } else {
                    ids.append(option.id);
                    change = question.flipAddTemplate.arg(option.label);
                }
                consider(question, ids, change, question.answerText(ids));
            }
            break;
        }
    }
    if (!smallest.isEmpty())
        closest->reset();
    QList<Flip> flips = smallest.values();
    std::stable_sort(
        flips.begin(), flips.end(), [](const Flip &a, const Flip &b) { return a.size < b.size; });
    return flips;
}

Recommendation Scorer::recommend(const Answers &answers) const
{
    const Outcome outcome = evaluate(answers);
    Recommendation recommendation;
    recommendation.verdict = outcome.verdict;
    recommendation.goScore = outcome.go;
    recommendation.pythonScore = outcome.python;
    recommendation.margin = std::abs(outcome.go - outcome.python);
    switch (outcome.verdict) {
    case Verdict::Go:
        recommendation.headline = u"Go"_s;
        break;
    case Verdict::Python:
        recommendation.headline = u"Python"_s;
        break;
    case Verdict::Hybrid:
        recommendation.headline
            = u"Hybrid: Python to build the product, Go for the parts that handle a lot of traffic"_s;
        break;
    }
    recommendation.explanation = explain(outcome);
    recommendation.scoringRules = m_questionnaire.scoringRules();

    // Raw points per criterion give the weights; score points give go/python.
    QMap<QString, double> rawTotals;
    double rawSum = 0;
    QSet<QString> relevant;
    for (const Question &question : m_questionnaire.questions()) {
        const QJsonValue value = answers.value(question.id);
        recommendation.answers.append({ question.id, question.title, value, question.answerText(value) });
        for (const AnswerEffect *effect : effects(question, value)) {
            for (const QString &row : effect->rows)
                relevant.insert(row);
            for (auto it = effect->weights.constBegin(); it != effect->weights.constEnd(); ++it) {
                rawTotals[it.key()] += it.value().go + it.value().python;
                rawSum += it.value().go + it.value().python;
            }
        }
    }
    for (const Criterion &criterion : m_questionnaire.criteria()) {
        Contribution contribution;
        contribution.criterionId = criterion.id;
        contribution.title = criterion.title;
        contribution.decisionRow = criterion.decisionRow;
        contribution.go = outcome.perCriterion.value(criterion.id).go;
        contribution.python = outcome.perCriterion.value(criterion.id).python;
        contribution.weight = rawSum > 0 ? 100 * rawTotals.value(criterion.id) / rawSum : 0;
        for (const Question &question : m_questionnaire.questions()) {
            for (const AnswerEffect *effect : effects(question, answers.value(question.id))) {
                if (!effect->weights.contains(criterion.id))
                    continue;
                if (!contribution.questionIds.contains(question.id))
                    contribution.questionIds << question.id;
                contribution.reasons << effect->reason;
                if (!effect->quote.isEmpty() && !contribution.quotes.contains(effect->quote))
                    contribution.quotes << effect->quote;
            }
        }
        if (!contribution.questionIds.isEmpty())
            recommendation.contributions.append(contribution);
    }
    recommendation.decisionTable = m_table.rows();
    for (const DecisionRow &row : m_table.rows()) {
        if (relevant.contains(row.id))
            recommendation.relevantRows << row.id;
    }
    recommendation.flips = findFlips(answers, outcome, &recommendation.closest);
    return recommendation;
}

} // namespace sa::advisor
