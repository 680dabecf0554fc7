#include "scorer.h"

#include "runcapacityevidence.h"

#include "platform/paths.h"

#include <QJsonArray>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace sa::advisor {

namespace {

// Points are tenths; a lead smaller than this is a tie, whatever the rounding of sums.
constexpr double kTie = 1e-6;

Stack other(Stack stack)
{
    return stack == Stack::Go ? Stack::Python : Stack::Go;
}

Verdict verdictOf(Stack stack)
{
    return stack == Stack::Go ? Verdict::Go : Verdict::Python;
}

double pointsFor(const StackPoints &points, Stack stack)
{
    return stack == Stack::Go ? points.go : points.python;
}

double sizeOf(const Scorer::Evaluation &a, const Scorer::Evaluation &b)
{
    double size = 0;
    for (qsizetype i = 0; i < a.perCriterion.size(); ++i) {
        size += std::abs(a.perCriterion.at(i).go - b.perCriterion.at(i).go)
            + std::abs(a.perCriterion.at(i).python - b.perCriterion.at(i).python);
    }
    return roundedPoints(size);
}

std::optional<double> peakOf(const QJsonValue &value)
{
    return value.isDouble() ? std::optional<double>(value.toDouble()) : std::nullopt;
}

QString joinAnd(const QStringList &items)
{
    if (items.size() <= 1)
        return items.join(QString());
    return items.mid(0, items.size() - 1).join(u", "_s) + u" and "_s + items.constLast();
}

QString pointWord(double points)
{
    return roundedPoints(points) == 1 ? u"point"_s : u"points"_s;
}

} // namespace

Scorer::Scorer(Questionnaire questionnaire, DecisionTable table, CapacityModel capacity)
    : m_questionnaire(std::move(questionnaire)), m_table(std::move(table)), m_capacity(std::move(capacity))
{
    for (qsizetype i = 0; i < m_questionnaire.criteria().size(); ++i)
        m_criterionIndex.insert(m_questionnaire.criteria().at(i).id, int(i));
    const Question *peak = m_questionnaire.capacityQuestion();
    const double line = peak ? peak->capacity.halfAtRequestsPerSecond : 0;
    m_referenceExtraCores = line * std::abs(perRequest(m_capacity.published()));
}

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
    std::optional<CapacityModel> capacity = CapacityModel::fromResources(error);
    if (!capacity)
        return std::nullopt;
    return Scorer(std::move(*questionnaire), std::move(*table), std::move(*capacity));
}

CapacityEvidence Scorer::evidenceFor(const bench::RunAnalysis *run) const
{
    return run ? capacityEvidenceFromRun(*run, m_capacity) : m_capacity.published();
}

double Scorer::perRequest(const CapacityEvidence &evidence) const
{
    const CapacityEvidence &use = evidence.isComplete() ? evidence : m_capacity.published();
    return 1 / use.stack(u"Python")->requestsPerCore - 1 / use.stack(u"Go")->requestsPerCore;
}

StackPoints Scorer::capacityPoints(std::optional<double> peak, double perRequest) const
{
    const Question *question = m_questionnaire.capacityQuestion();
    if (!question || !peak || m_referenceExtraCores <= 0)
        return {};
    const double extra = *peak * perRequest;
    const double x = std::abs(extra);
    // Smooth and saturating: half the points at the reference, never a step.
    const double points = roundedPoints(question->capacity.maxPoints * x / (x + m_referenceExtraCores));
    return extra > 0 ? StackPoints { points, 0 } : StackPoints { 0, points };
}

bool Scorer::needActive(const Need &need, const Answers &answers) const
{
    const auto holds = [&](const QString &questionId, const QStringList &options) {
        const QJsonValue value = answers.value(questionId);
        if (value.isArray()) {
            const QJsonArray ticked = value.toArray();
            return std::any_of(ticked.begin(), ticked.end(),
                [&](const QJsonValue &id) { return options.contains(id.toString()); });
        }
        return options.contains(value.toString());
    };
    for (auto it = need.when.constBegin(); it != need.when.constEnd(); ++it) {
        if (!holds(it.key(), it.value()))
            return false;
    }
    for (auto it = need.unless.constBegin(); it != need.unless.constEnd(); ++it) {
        if (holds(it.key(), it.value()))
            return false;
    }
    return true;
}

Verdict Scorer::decide(double lead, const QList<ActiveNeed> &needs, Stack *leader) const
{
    *leader = lead > kTie ? Stack::Go
        : lead < -kTie    ? Stack::Python
                          : m_questionnaire.verdictRules().tieGoesTo;
    const Stack loser = other(*leader);
    const bool loserNeeds
        = std::any_of(needs.begin(), needs.end(), [&](const ActiveNeed &need) { return need.side == loser; });
    return loserNeeds ? Verdict::Hybrid : verdictOf(*leader);
}

Scorer::Evaluation Scorer::evaluateWith(
    const Answers &answers, double perRequest, const QMap<QString, double> *multipliers) const
{
    const QList<Criterion> &criteria = m_questionnaire.criteria();
    Evaluation e;
    e.perCriterion.resize(criteria.size());
    for (const Question &question : m_questionnaire.questions()) {
        const QJsonValue value = answers.value(question.id);
        StackPoints points;
        switch (question.type) {
        case Question::Type::Number: {
            const std::optional<double> peak = peakOf(value);
            points = capacityPoints(peak, perRequest);
            e.peakStated = peak.has_value();
            e.extraCores = peak.value_or(0) * perRequest;
            break;
        }
        case Question::Type::Choice:
            if (const AnswerOption *option = question.option(value.toString()))
                points = option->effect.points;
            break;
        case Question::Type::Multi: {
            const QJsonArray ticked = value.toArray();
            for (const AnswerOption &option : question.options) {
                if (ticked.contains(QJsonValue(option.id))) {
                    points.go += option.effect.points.go;
                    points.python += option.effect.points.python;
                }
            }
            break;
        }
        }
        StackPoints &slot = e.perCriterion[m_criterionIndex.value(question.criterion)];
        slot.go += points.go;
        slot.python += points.python;
    }
    for (qsizetype i = 0; i < criteria.size(); ++i) {
        StackPoints &slot = e.perCriterion[i];
        if (multipliers) {
            const double factor = multipliers->value(criteria.at(i).id, 1.0);
            slot.go *= factor;
            slot.python *= factor;
        }
        e.go += slot.go;
        e.python += slot.python;
    }
    const Question *peak = m_questionnaire.capacityQuestion();
    for (const Need &need : m_questionnaire.verdictRules().needs) {
        ActiveNeed active;
        active.id = need.id;
        active.side = need.side;
        active.part = need.part;
        active.why = need.why;
        active.capacity = need.capacity;
        if (need.capacity) {
            // The capacity need belongs to the stack that needs fewer cores, beyond the reference.
            if (!e.peakStated || std::abs(e.extraCores) <= m_referenceExtraCores)
                continue;
            active.side = e.extraCores > 0 ? Stack::Go : Stack::Python;
            active.criterionId = peak->criterion;
        } else {
            if (!needActive(need, answers))
                continue;
            active.criterionId = m_questionnaire.question(need.when.firstKey())->criterion;
        }
        e.needs << active;
    }
    e.verdict = decide(e.go - e.python, e.needs, &e.leader);
    return e;
}

Scorer::Evaluation Scorer::evaluate(
    const Answers &answers, const CapacityEvidence &evidence, const QMap<QString, double> &multipliers) const
{
    return evaluateWith(answers, perRequest(evidence), multipliers.isEmpty() ? nullptr : &multipliers);
}

QList<Scorer::Change> Scorer::changes(
    const Answers &answers, const Evaluation &current, double perRequest) const
{
    QList<Change> result;
    const auto consider = [&](const Question &question, const QJsonValue &toValue, const QString &phrase) {
        Answers changed = answers;
        changed.setValue(question.id, toValue);
        Change change { &question, toValue, phrase, evaluateWith(changed, perRequest, nullptr), 0 };
        change.size = sizeOf(change.outcome, current);
        result << change;
    };

    for (const Question &question : m_questionnaire.questions()) {
        const QJsonValue value = answers.value(question.id);
        switch (question.type) {
        case Question::Type::Number: {
            const std::optional<double> peak = peakOf(value);
            if (peak && question.offersUnsure())
                consider(question, question.unsureValue(),
                    question.flipTemplate.arg(u"not stated (“%1”)"_s.arg(question.unsureLabel)));
            // The verdict is monotonic in the peak, so each change of verdict along
            // it is one edge, found by bisection: at most two above, two below.
            const auto verdictAt = [&](qint64 rate) {
                Answers changed = answers;
                changed.setValue(question.id, double(rate));
                return evaluateWith(changed, perRequest, nullptr).verdict;
            };
            const qint64 base = qint64(peak.value_or(double(question.min)));
            const QString unit = question.unit.isEmpty() ? QString() : u' ' + question.unit;
            QList<qint64> up;
            for (qint64 low = base; up.size() < 2;) {
                const Verdict from = verdictAt(low);
                qint64 high = question.max;
                if (verdictAt(high) == from)
                    break;
                while (high - low > 1) {
                    const qint64 middle = low + (high - low) / 2;
                    (verdictAt(middle) == from ? low : high) = middle;
                }
                up << high;
                low = high;
            }
            for (qsizetype i = 0; i < up.size(); ++i) {
                const QString range = i + 1 < up.size()
                    ? u"from %1 to %2%3"_s.arg(
                        formatRequestRate(double(up[i])), formatRequestRate(double(up[i + 1] - 1)), unit)
                    : u"%1%2 or more"_s.arg(formatRequestRate(double(up[i])), unit);
                consider(question, double(up[i]), question.flipTemplate.arg(range));
            }
            QList<qint64> down;
            for (qint64 high = base; down.size() < 2 && high > question.min;) {
                const Verdict from = verdictAt(high);
                qint64 low = question.min;
                if (verdictAt(low) == from)
                    break;
                while (high - low > 1) {
                    const qint64 middle = low + (high - low) / 2;
                    (verdictAt(middle) == from ? high : low) = middle;
                }
                down << low;
                high = low;
            }
            for (qsizetype i = 0; i < down.size(); ++i) {
                const QString range = i + 1 < down.size()
                    ? u"from %1 down to %2%3"_s.arg(
                        formatRequestRate(double(down[i])), formatRequestRate(double(down[i + 1] + 1)), unit)
                    : u"%1%2 or less"_s.arg(formatRequestRate(double(down[i])), unit);
                consider(question, double(down[i]), question.flipTemplate.arg(range));
            }
            break;
        }
        case Question::Type::Choice:
            for (const AnswerOption &option : question.options) {
                if (option.id != value.toString())
                    consider(question, option.id, question.flipTemplate.arg(option.label));
            }
            break;
        case Question::Type::Multi:
            for (const AnswerOption &option : question.options) {
                QJsonArray ids = value.toArray();
                const bool ticked = ids.contains(QJsonValue(option.id));
                if (ticked) {
                    for (qsizetype i = ids.size() - 1; i >= 0; --i) {
                        if (ids.at(i).toString() == option.id)
                            ids.removeAt(i);
                    }
                } else {
                    ids.append(option.id);
                }
                consider(question, ids,
                    (ticked ? question.flipRemoveTemplate : question.flipAddTemplate).arg(option.label));
            }
            break;
        }
    }
    return result;
}

Recommendation Scorer::recommend(const Answers &answers) const
{
    return recommend(answers, m_capacity.published(), m_capacity.defaultCost());
}

Recommendation Scorer::recommend(
    const Answers &answers, const CapacityEvidence &given, const CostAssumptions &cost) const
{
    const CapacityEvidence evidence = given.isComplete() ? given : m_capacity.published();
    const double rate = perRequest(evidence);
    const Evaluation current = evaluateWith(answers, rate, nullptr);
    const Question *peakQuestion = m_questionnaire.capacityQuestion();

    Recommendation r;
    r.verdict = current.verdict;
    r.leader = current.leader;
    r.goScore = roundedPoints(current.go);
    r.pythonScore = roundedPoints(current.python);
    r.margin = roundedPoints(std::abs(current.go - current.python));
    r.maximumGo = m_questionnaire.maximumPoints().go;
    r.maximumPython = m_questionnaire.maximumPoints().python;
    r.needs = current.needs;
    r.scoringRules = m_questionnaire.scoringRules();
    r.decisionTable = m_table.rows();

    const std::optional<double> peak = peakQuestion ? peakOf(answers.value(peakQuestion->id)) : std::nullopt;
    r.capacity = estimateCapacity(peak, evidence, cost, m_referenceExtraCores,
        peakQuestion ? peakQuestion->capacity.halfAtRequestsPerSecond : 0, m_capacity.scaling());

    // Answers, the rows they touch, and each criterion's points with its reasons.
    QSet<QString> relevant;
    for (const Question &question : m_questionnaire.questions()) {
        const QJsonValue value = answers.value(question.id);
        r.answers.append({ question.id, question.title, value, question.answerText(value) });
        if (question.type == Question::Type::Number) {
            if (value.isDouble())
                relevant.unite(QSet<QString>(question.capacity.rows.begin(), question.capacity.rows.end()));
            continue;
        }
        for (const AnswerOption &option : question.options) {
            const bool chosen = question.type == Question::Type::Multi
                ? value.toArray().contains(QJsonValue(option.id))
                : value.toString() == option.id;
            if (chosen)
                relevant.unite(QSet<QString>(option.effect.rows.begin(), option.effect.rows.end()));
        }
    }
    for (const DecisionRow &row : m_table.rows()) {
        if (relevant.contains(row.id))
            r.relevantRows << row.id;
    }

    const QList<Criterion> &criteria = m_questionnaire.criteria();
    for (qsizetype i = 0; i < criteria.size(); ++i) {
        const Criterion &criterion = criteria.at(i);
        Contribution c;
        c.criterionId = criterion.id;
        c.title = criterion.title;
        c.decisionRow = criterion.decisionRow;
        c.go = roundedPoints(current.perCriterion.at(i).go);
        c.python = roundedPoints(current.perCriterion.at(i).python);
        c.weight = criterion.weight();
        for (const Question &question : m_questionnaire.questions()) {
            if (question.criterion != criterion.id)
                continue;
            c.questionIds << question.id;
            const QJsonValue value = answers.value(question.id);
            const auto add = [&](const AnswerEffect &effect) {
                c.reasons << effect.reason;
                if (!effect.quote.isEmpty() && !c.quotes.contains(effect.quote))
                    c.quotes << effect.quote;
            };
            switch (question.type) {
            case Question::Type::Number: {
                if (!value.isDouble()) {
                    c.reasons << question.unsureReason;
                    break;
                }
                const CapacityEstimate &cap = r.capacity;
                const Stack cheaper = cap.extraCores >= 0 ? Stack::Go : Stack::Python;
                const StackCapacity *more = cap.stack(stackName(other(cheaper)));
                const StackCapacity *fewer = cap.stack(stackName(cheaper));
                c.reasons
                    << u"At %1 req/s %2 needs %3 server cores and %4 %5 (figures %6): %7 more, about %8 a "
                       "month more at %9 per vCPU-month (%10)."_s.arg(formatRequestRate(value.toDouble()),
                           stackName(other(cheaper)), formatCores(more ? more->coresNeeded : 0),
                           stackName(cheaper), formatCores(fewer ? fewer->coresNeeded : 0),
                           cap.evidence.label, formatCores(std::abs(cap.extraCores)),
                           formatMoney(std::abs(cap.extraMonthlyCost), cost.currency),
                           formatMoney(cost.pricePerVcpuMonth, cost.currency), cost.priceLabel);
                QString half
                    = u"Capacity gives half its %1 points where that gap reaches %2 cores, its size at the "
                      "article's line of %3 req/s on the article's own figures"_s.arg(
                          formatPoints(question.capacity.maxPoints), formatCores(m_referenceExtraCores),
                          formatRequestRate(question.capacity.halfAtRequestsPerSecond));
                if (cap.evidence.provenance != Provenance::Published)
                    half += u"; on these figures, at %1 req/s"_s.arg(formatRequestRate(cap.needFrom));
                c.reasons << half + u'.';
                for (const StackCapacity &stack : cap.stacks) {
                    if (stack.evidence.provenance == Provenance::Measured
                        && (stack.evidence.stack == u"Go"_s || stack.evidence.stack == u"Python"_s))
                        c.reasons << u"Measured: %1, %2."_s.arg(stack.evidence.server, stack.evidence.source);
                }
                const QString quote = std::abs(cap.extraCores) > m_referenceExtraCores
                    ? question.capacity.quoteAbove
                    : question.capacity.quoteBelow;
                c.quotes << quote;
                break;
            }
            case Question::Type::Choice:
                if (const AnswerOption *option = question.option(value.toString()))
                    add(option->effect);
                break;
            case Question::Type::Multi: {
                bool any = false;
                for (const AnswerOption &option : question.options) {
                    if (value.toArray().contains(QJsonValue(option.id))) {
                        add(option.effect);
                        any = true;
                    }
                }
                if (!any)
                    c.reasons << question.noneReason;
                break;
            }
            }
        }
        r.contributions << c;
    }

    // The latency target the answers imply.
    const LatencyTargetRule &latency = m_questionnaire.latencyTargetRule();
    r.latencyTarget.milliseconds = latency.defaultMs;
    r.latencyTarget.source = u"the default: the latency answer sets none"_s;
    if (const Question *question = m_questionnaire.question(latency.questionId)) {
        const AnswerOption *option = question->option(answers.value(question->id).toString());
        if (option && option->latencyTargetMs) {
            r.latencyTarget.milliseconds = *option->latencyTargetMs;
            r.latencyTarget.fromAnswer = true;
            r.latencyTarget.source = u"assumed for your answer “%1”"_s.arg(option->label);
        }
    }

    explain(r, current);
    assess(r, changes(answers, current, rate), answers, evidence);
    return r;
}

void Scorer::explain(Recommendation &r, const Evaluation &current) const
{
    const VerdictRules &rules = m_questionnaire.verdictRules();
    const Stack leader = current.leader;
    const Stack loser = other(leader);
    const QString leaderName = stackName(leader);
    const QString loserName = stackName(loser);

    // The deciding criteria: the leader's biggest ones, at least two where there
    // are two, and as many as outweigh all that favours the other stack (at most three).
    QList<const Contribution *> favouring;
    double opposing = 0;
    for (const Contribution &c : std::as_const(r.contributions)) {
        const double forLeader = leader == Stack::Go ? c.lead() : -c.lead();
        if (forLeader > 0)
            favouring << &c;
        else
            opposing -= forLeader;
    }
    std::stable_sort(favouring.begin(), favouring.end(), [&](const Contribution *a, const Contribution *b) {
        return std::abs(a->lead()) > std::abs(b->lead());
    });
    QStringList named;
    double sum = 0;
    for (const Contribution *c : std::as_const(favouring)) {
        // A second criterion is named when it matters: when the first does not
        // outweigh the other side alone, or when it is no small change itself.
        const bool needed = sum <= opposing || (named.size() < 2 && std::abs(c->lead()) >= rules.lowBelow);
        if (named.size() == 3 || !needed)
            break;
        sum += std::abs(c->lead());
        r.decidingCriteria << c->criterionId;
        named << u"%1 (%2 +%3)"_s.arg(c->title, leaderName, formatPoints(std::abs(c->lead())));
    }
    // The article's sentence for the verdict: a deciding criterion's summary of
    // the leader's case, else the sentence behind a deciding answer.
    const auto articleQuote = [&]() -> QString {
        for (const QString &id : std::as_const(r.decidingCriteria)) {
            const QString quote = m_questionnaire.criterion(id)->verdictQuote.value(leader);
            if (!quote.isEmpty())
                return u" The article: “%1”"_s.arg(quote);
        }
        for (const QString &id : std::as_const(r.decidingCriteria)) {
            if (const Contribution *c = r.contribution(id); c && !c->quotes.isEmpty())
                return u" The article: “%1”"_s.arg(c->quotes.constFirst());
        }
        return QString();
    };
    const double lead = std::abs(current.go - current.python);
    // The tie rule's reassurance ("Python's performance is enough") holds only below the capacity line.
    const bool beyondLine
        = r.capacity.peak && r.capacity.needFrom > 0 && *r.capacity.peak > r.capacity.needFrom;
    const QString tieQuote = beyondLine ? QString() : u" The article: “%1”"_s.arg(rules.tieQuote);
    QString standing;
    if (lead < kTie && r.goScore == 0) {
        standing = u"Your answers favour neither stack (Go %1, Python %2 points): a tie goes to %3.%4"_s.arg(
            formatPoints(r.goScore), formatPoints(r.pythonScore), leaderName, tieQuote);
    } else if (lead < kTie) {
        standing = u"Go and Python are level at %1 points each: a tie goes to %2.%3"_s.arg(
            formatPoints(r.goScore), leaderName, tieQuote);
    } else {
        standing = u"%1 leads %2 by %3 %4 (%5 to %6), decided by %7"_s.arg(leaderName, loserName,
            formatPoints(lead), pointWord(lead),
            formatPoints(pointsFor({ r.goScore, r.pythonScore }, leader)),
            formatPoints(pointsFor({ r.goScore, r.pythonScore }, loser)), joinAnd(named));
        if (opposing <= 0)
            standing += u"; nothing favours %1."_s.arg(loserName);
        else if (sum > opposing)
            standing += u", which %1 all that favours %2 (%3 %4)."_s.arg(
                named.size() == 1 ? u"outweighs"_s : u"outweigh"_s, loserName, formatPoints(opposing),
                pointWord(opposing));
        else
            standing += u", and %1 more for %2 — against %3 %4 for %5."_s.arg(
                QString::number(favouring.size() - named.size()), leaderName, formatPoints(opposing),
                pointWord(opposing), loserName);
        standing += articleQuote();
    }

    if (r.verdict != Verdict::Hybrid) {
        r.headline = leaderName;
        r.explanation = standing;
        // At a low peak the article's reassurance applies, and says why capacity did not decide.
        const Question *peak = m_questionnaire.capacityQuestion();
        const Contribution *capacity = peak ? r.contribution(peak->criterion) : nullptr;
        if (leader == Stack::Python && capacity && r.capacity.peak && *r.capacity.peak > 0
            && r.capacity.needFrom > 0 && *r.capacity.peak <= r.capacity.needFrom) {
            r.explanation += u" At %1 req/s capacity separates them by %2 of its %3 points: “%4”"_s.arg(
                formatRequestRate(*r.capacity.peak), formatPoints(std::abs(capacity->lead())),
                formatPoints(capacity->weight), peak->capacity.quoteBelow);
        }
        return;
    }

    // Hybrid: each stack for the parts that need it.
    QStringList goParts, pythonParts, whys;
    QList<Stack> whySides;
    for (const ActiveNeed &need : std::as_const(r.needs)) {
        (need.side == Stack::Go ? goParts : pythonParts) << need.part;
        const Contribution *c = r.contribution(need.criterionId);
        QString why = need.why;
        if (need.capacity && r.capacity.peak)
            why = u"your peak of %1 req/s is beyond %2 req/s, where capacity gives half its points on these figures"_s
                      .arg(formatRequestRate(*r.capacity.peak), formatRequestRate(r.capacity.needFrom));
        whys << u"%1 (%2: %3 +%4)"_s.arg(why, c ? c->title : QString(), stackName(need.side),
            c ? formatPoints(pointsFor({ c->go, c->python }, need.side)) : QString());
        whySides << need.side;
    }
    if ((leader == Stack::Go ? goParts : pythonParts).isEmpty())
        (leader == Stack::Go ? goParts : pythonParts)
            << (leader == Stack::Python ? u"the product"_s : u"the rest of the backend"_s);
    r.goParts = goParts;
    r.pythonParts = pythonParts;
    const QStringList &leaderParts = leader == Stack::Go ? goParts : pythonParts;
    const QStringList &loserParts = leader == Stack::Go ? pythonParts : goParts;
    r.headline = u"Hybrid: %1 for %2; %3 for %4"_s.arg(
        leaderName, joinAnd(leaderParts), loserName, joinAnd(loserParts));
    const bool both = !goParts.isEmpty() && !pythonParts.isEmpty()
        && std::any_of(r.needs.begin(), r.needs.end(), [&](const ActiveNeed &n) { return n.side == leader; });
    // One line per need, so that each part and its reason can be read at a glance.
    QString needs;
    if (both) {
        needs = u"Both stacks have a strong need:"_s;
        for (qsizetype i = 0; i < whys.size(); ++i)
            needs += u"\n• "_s + stackName(whySides.at(i)) + u": "_s + whys.at(i);
    } else {
        needs = loserName + u" has a strong need: "_s + whys.join(u"; "_s) + u'.';
    }
    r.explanation = needs + u"\nOn points: "_s + standing
        + u"\nThe article on using both: “%1”"_s.arg(rules.hybridQuote);
}

void Scorer::assess(Recommendation &r, const QList<Change> &changes, const Answers &answers,
    const CapacityEvidence &evidence) const
{
    const VerdictRules &rules = m_questionnaire.verdictRules();
    const auto makeFlip = [&](const Change &change) {
        Flip flip;
        flip.questionId = change.question->id;
        flip.questionTitle = change.question->title;
        flip.fromValue = answers.value(change.question->id);
        flip.toValue = change.toValue;
        flip.fromText = change.question->answerText(flip.fromValue);
        flip.toText = change.question->answerText(change.toValue);
        flip.verdict = change.outcome.verdict;
        flip.goScore = roundedPoints(change.outcome.go);
        flip.pythonScore = roundedPoints(change.outcome.python);
        flip.size = change.size;
        return flip;
    };

    // The smallest change per question and resulting verdict, so that "if your peak
    // were 10,001 req/s or more…" is reported even when another question flips it more cheaply.
    QList<Flip> flips;
    for (const Change &change : changes) {
        if (change.outcome.verdict == r.verdict)
            continue;
        const auto same = std::find_if(flips.begin(), flips.end(), [&](const Flip &f) {
            return f.questionId == change.question->id && f.verdict == change.outcome.verdict;
        });
        if (same != flips.end() && same->size <= change.size)
            continue;
        Flip flip = makeFlip(change);
        flip.sentence = u"If %1, the verdict would be %2 (Go %3, Python %4)."_s.arg(change.phrase,
            verdictName(flip.verdict), formatPoints(flip.goScore), formatPoints(flip.pythonScore));
        if (same != flips.end())
            *same = flip;
        else
            flips << flip;
    }
    std::stable_sort(
        flips.begin(), flips.end(), [](const Flip &a, const Flip &b) { return a.size < b.size; });
    r.flips = flips;

    // No flip: the change that narrows the lead the most, its verdict unchanged.
    if (flips.isEmpty() && r.verdict != Verdict::Hybrid) {
        const auto leadFor
            = [&](double go, double python) { return r.leader == Stack::Go ? go - python : python - go; };
        const Change *best = nullptr;
        for (const Change &change : changes) {
            const double lead = leadFor(change.outcome.go, change.outcome.python);
            if (lead < leadFor(r.goScore, r.pythonScore) - kTie
                && (!best || lead < leadFor(best->outcome.go, best->outcome.python)))
                best = &change;
        }
        if (best) {
            Flip flip = makeFlip(*best);
            flip.sentence = u"if %1, the verdict would still be %2, by %3 points (Go %4, Python %5)."_s.arg(
                best->phrase, verdictName(flip.verdict),
                formatPoints(leadFor(flip.goScore, flip.pythonScore)), formatPoints(flip.goScore),
                formatPoints(flip.pythonScore));
            r.closest = flip;
        }
    }

    // Confidence: the lead, and how far one answer must move to change the verdict.
    const double nearest
        = flips.isEmpty() ? std::numeric_limits<double>::infinity() : flips.constFirst().size;
    const bool hybrid = r.verdict == Verdict::Hybrid;
    if ((!hybrid && r.margin < rules.lowBelow) || nearest < rules.lowBelow)
        r.confidence = Confidence::Low;
    else if ((hybrid || r.margin >= rules.highFrom) && nearest >= rules.highFrom)
        r.confidence = Confidence::High;
    else
        r.confidence = Confidence::Medium;
    QSet<QString> seen;
    for (const Flip &flip : std::as_const(flips)) {
        if (r.decidingFlips.size() == 2)
            break;
        if (!seen.contains(flip.questionId))
            r.decidingFlips << flip;
        seen.insert(flip.questionId);
    }
    QStringList deciding;
    for (const Flip &flip : std::as_const(r.decidingFlips))
        deciding << flip.sentence;
    const QString leadText = hybrid ? QString()
        : r.margin < kTie
        ? u"The stacks are level. "_s
        : u"%1 leads by %2 %3. "_s.arg(stackName(r.leader), formatPoints(r.margin), pointWord(r.margin));
    switch (r.confidence) {
    case Confidence::Low:
        r.confidenceText = leadText
            + (deciding.isEmpty() ? u"No single change of answer changes the verdict."_s
                                  : u"What would decide it: "_s + deciding.join(u' '));
        break;
    case Confidence::Medium:
        r.confidenceText = leadText
            + u"The smallest change of one answer that changes the verdict moves %1 %2: %3"_s.arg(
                formatPoints(nearest), pointWord(nearest), deciding.constFirst());
        break;
    case Confidence::High:
        r.confidenceText = leadText
            + (flips.isEmpty()
                    ? u"No single change of answer changes the verdict."_s
                    : u"Every change of one answer that changes the verdict moves at least %1 points."_s.arg(
                        formatPoints(nearest)));
        break;
    }

    // Sensitivity: the factor on one criterion's points at which the lead changes sign.
    const double lead = r.goScore - r.pythonScore;
    for (Contribution &c : r.contributions) {
        const double d = c.lead();
        if (std::abs(d) < kTie)
            continue;
        const double m = 1 - lead / d;
        if (m < 0)
            continue;
        const auto verdictAt = [&](double factor) {
            return evaluate(answers, evidence, { { c.criterionId, factor } }).verdict;
        };
        // Far enough past m for the lead to clear the tie tolerance.
        const double delta = std::max(1e-7 * std::max(1.0, m), 10 * kTie / std::abs(d));
        const bool up = m > 1 || (m == 1 && verdictAt(m + delta) != r.verdict);
        const double far = up ? m + delta : std::max(0.0, m - delta);
        const Verdict changed = verdictAt(far);
        if (changed == r.verdict)
            continue;
        Sensitivity s;
        s.multiplier = m;
        s.orMore = up;
        s.verdict = changed;
        double shown = up ? std::ceil(m * 100 - 1e-9) / 100 : std::floor(m * 100 + 1e-9) / 100;
        for (int step = 0; step < 3 && verdictAt(shown) == r.verdict; ++step)
            shown = up ? shown + 0.01 : std::max(0.0, shown - 0.01);
        s.shownMultiplier = shown;
        s.sentence = u"The verdict would be %1 if %2 weighed %3× as much %4 (weight %5 → %6)."_s.arg(
            verdictName(changed), c.title, QString::number(shown, 'f', 2), up ? u"or more"_s : u"or less"_s,
            formatPoints(c.weight), formatPoints(c.weight * shown));
        c.sensitivity = s;
    }
}

} // namespace sa::advisor
