#include "questionnaire.h"

#include "decisiontable.h"
#include "jsonfile.h"

#include <QFile>
#include <QSet>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace sa::advisor {

namespace {

constexpr double kMaxPoints = 100;

std::optional<Stack> stackFromId(const QString &id)
{
    if (id == u"go"_s)
        return Stack::Go;
    if (id == u"python"_s)
        return Stack::Python;
    return std::nullopt;
}

// Reads the parts of the format that need the criteria, the questions and the table to check.
class Reader
{
public:
    Reader(const DecisionTable &table, QString *error) : m_table(table), m_error(error) { }

    bool fail(const QString &message)
    {
        *m_error = message;
        return false;
    }

    bool known(const QJsonObject &object, const QString &field, const QStringList &keys)
    {
        const QStringList unknown = json::unknownKeys(object, field, keys);
        return unknown.isEmpty() || fail(unknown.constFirst());
    }

    bool readStrings(
        const QJsonObject &object, const QString &key, const QString &field, QStringList *out, bool required)
    {
        QJsonArray array;
        if (!json::readArray(object, key, field, &array, m_error, required))
            return false;
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (!array.at(i).isString())
                return fail(u"%1[%2]: expected a string, found %3"_s.arg(field).arg(i).arg(
                    json::typeName(array.at(i))));
            out->append(array.at(i).toString());
        }
        return true;
    }

    bool readRows(const QJsonObject &object, const QString &field, QStringList *rows)
    {
        if (!readStrings(object, u"rows"_s, field + u".rows"_s, rows, false))
            return false;
        for (const QString &row : std::as_const(*rows)) {
            if (!m_table.row(row))
                return fail(u"%1.rows: \"%2\" is not a row of the decision table"_s.arg(field, row));
        }
        return true;
    }

    bool readCriteria(const QJsonObject &root, QList<Criterion> *criteria)
    {
        QJsonArray array;
        if (!json::readArray(root, u"criteria"_s, u"criteria"_s, &array, m_error))
            return false;
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString field = u"criteria[%1]"_s.arg(i);
            const QJsonObject object = array.at(i).toObject();
            Criterion criterion;
            QJsonObject quotes;
            if (!known(object, field, { u"id"_s, u"title"_s, u"decisionRow"_s, u"verdictQuote"_s })
                || !json::readString(object, u"id"_s, field + u".id"_s, &criterion.id, m_error)
                || !json::readString(object, u"title"_s, field + u".title"_s, &criterion.title, m_error)
                || !json::readString(object, u"decisionRow"_s, field + u".decisionRow"_s,
                    &criterion.decisionRow, m_error, false)
                || !json::readObject(
                    object, u"verdictQuote"_s, field + u".verdictQuote"_s, &quotes, m_error, false))
                return false;
            if (criterion.id.isEmpty() || m_criteria.contains(criterion.id))
                return fail(u"%1.id: \"%2\" is empty or used twice"_s.arg(field, criterion.id));
            if (!criterion.decisionRow.isEmpty() && !m_table.row(criterion.decisionRow))
                return fail(u"%1.decisionRow: \"%2\" is not a row of the decision table"_s.arg(
                    field, criterion.decisionRow));
            for (auto it = quotes.constBegin(); it != quotes.constEnd(); ++it) {
                const std::optional<Stack> stack = stackFromId(it.key());
                if (!stack || !it.value().isString())
                    return fail(u"%1.verdictQuote.%2: expected \"go\" or \"python\" with a sentence"_s.arg(
                        field, it.key()));
                criterion.verdictQuote.insert(*stack, it.value().toString());
            }
            m_criteria.insert(criterion.id);
            criteria->append(criterion);
        }
        if (criteria->isEmpty())
            return fail(u"criteria: no criteria defined"_s);
        return true;
    }

    bool readPoints(const QJsonObject &object, const QString &field, StackPoints *points)
    {
        QJsonObject pair;
        if (!json::readObject(object, u"points"_s, field + u".points"_s, &pair, m_error)
            || !known(pair, field + u".points"_s, { u"go"_s, u"python"_s })
            || !json::readNumber(pair, u"go"_s, field + u".points.go"_s, &points->go, m_error)
            || !json::readNumber(pair, u"python"_s, field + u".points.python"_s, &points->python, m_error))
            return false;
        for (const auto &[name, value] :
            { std::pair { "go", points->go }, std::pair { "python", points->python } }) {
            if (value < 0 || value > kMaxPoints || value * 10 != std::round(value * 10))
                return fail(u"%1.points.%2: %3 is out of range; points go from 0 to %4, in steps of 0.1"_s
                                .arg(field, QLatin1String(name))
                                .arg(value)
                                .arg(kMaxPoints));
        }
        // One lean per answer: that is what makes "a reason for Go" well defined.
        if (points->go > 0 && points->python > 0)
            return fail(
                u"%1.points: gives points to both stacks; an option favours one stack or neither"_s.arg(
                    field));
        return true;
    }

    bool readOption(
        const QJsonObject &object, const QString &field, const Question &question, AnswerOption *option)
    {
        if (!known(object, field,
                { u"id"_s, u"label"_s, u"points"_s, u"rows"_s, u"reason"_s, u"quote"_s,
                    u"latencyTargetMs"_s })
            || !json::readString(object, u"id"_s, field + u".id"_s, &option->id, m_error)
            || !json::readString(object, u"label"_s, field + u".label"_s, &option->label, m_error)
            || !readPoints(object, field, &option->effect.points)
            || !readRows(object, field, &option->effect.rows)
            || !json::readString(object, u"reason"_s, field + u".reason"_s, &option->effect.reason, m_error)
            || !json::readString(object, u"quote"_s, field + u".quote"_s, &option->effect.quote, m_error))
            return false;
        if (object.contains(u"latencyTargetMs"_s)) {
            double ms = 0;
            if (!json::readNumber(object, u"latencyTargetMs"_s, field + u".latencyTargetMs"_s, &ms, m_error))
                return false;
            if (ms <= 0)
                return fail(u"%1.latencyTargetMs: %2 must be above 0"_s.arg(field).arg(ms));
            option->latencyTargetMs = ms;
        }
        if (option->id.isEmpty() || question.option(option->id))
            return fail(u"%1.id: \"%2\" is empty or used twice in this question"_s.arg(field, option->id));
        if (option->id == Question::kUnsure) {
            if (question.type == Question::Type::Multi)
                return fail(
                    u"%1.id: a multi-choice question has no \"unsure\" (ticking nothing says none)"_s.arg(
                        field));
            if (!option->effect.points.isNeutral())
                return fail(
                    u"%1.points: \"unsure\" favours neither stack by definition; give it no points"_s.arg(
                        field));
        }
        // A cited row vouches for the lean: an option leaning against it would misquote the table.
        for (const QString &rowId : std::as_const(option->effect.rows)) {
            const DecisionRow *row = m_table.row(rowId);
            const bool against
                = row->favours == u"go"_s ? option->effect.points.python > 0 : option->effect.points.go > 0;
            if (against)
                return fail(
                    u"%1.rows: \"%2\" favours %3, but this option gives points to the other stack"_s.arg(
                        field, rowId, row->favours));
        }
        return true;
    }

    // JSON numbers are doubles; the number questions take whole values.
    bool readInteger(const QJsonObject &object, const QString &key, const QString &field, qint64 *out,
        bool required = true)
    {
        double value = double(*out);
        if (!json::readNumber(object, key, field, &value, m_error, required))
            return false;
        if (value != std::floor(value) || std::abs(value) > 1e15)
            return fail(u"%1: %2 is not a whole number"_s.arg(field).arg(value));
        *out = qint64(value);
        return true;
    }

    bool readQuestion(const QJsonObject &object, const QString &field, Question *question)
    {
        QString type;
        if (!json::readString(object, u"id"_s, field + u".id"_s, &question->id, m_error)
            || !json::readString(object, u"type"_s, field + u".type"_s, &type, m_error)
            || !json::readString(
                object, u"criterion"_s, field + u".criterion"_s, &question->criterion, m_error)
            || !json::readString(object, u"title"_s, field + u".title"_s, &question->title, m_error)
            || !json::readString(object, u"help"_s, field + u".help"_s, &question->help, m_error))
            return false;
        if (!m_criteria.contains(question->criterion))
            return fail(u"%1.criterion: unknown criterion \"%2\" (known: %3)"_s.arg(
                field, question->criterion, QStringList(m_criteria.values()).join(u", "_s)));
        if (type == u"number"_s)
            question->type = Question::Type::Number;
        else if (type == u"choice"_s)
            question->type = Question::Type::Choice;
        else if (type == u"multi"_s)
            question->type = Question::Type::Multi;
        else
            return fail(u"%1.type: \"%2\" is not a question type (number, choice, multi)"_s.arg(field, type));

        if (question->type == Question::Type::Number)
            return readNumberQuestion(object, field, question);

        const QStringList common { u"id"_s, u"type"_s, u"criterion"_s, u"title"_s, u"help"_s, u"options"_s };
        if (question->type == Question::Type::Multi) {
            if (!known(object, field,
                    common + QStringList { u"flipAddTemplate"_s, u"flipRemoveTemplate"_s, u"noneReason"_s })
                || !json::readString(object, u"flipAddTemplate"_s, field + u".flipAddTemplate"_s,
                    &question->flipAddTemplate, m_error)
                || !json::readString(object, u"flipRemoveTemplate"_s, field + u".flipRemoveTemplate"_s,
                    &question->flipRemoveTemplate, m_error)
                || !json::readString(
                    object, u"noneReason"_s, field + u".noneReason"_s, &question->noneReason, m_error))
                return false;
        } else if (!known(object, field, common + QStringList { u"flipTemplate"_s })
            || !json::readString(
                object, u"flipTemplate"_s, field + u".flipTemplate"_s, &question->flipTemplate, m_error)) {
            return false;
        }
        QJsonArray options;
        if (!json::readArray(object, u"options"_s, field + u".options"_s, &options, m_error))
            return false;
        if (options.size() < 2)
            return fail(u"%1.options: a question needs at least two options"_s.arg(field));
        for (qsizetype i = 0; i < options.size(); ++i) {
            AnswerOption option;
            if (!readOption(
                    options.at(i).toObject(), u"%1.options[%2]"_s.arg(field).arg(i), *question, &option))
                return false;
            question->options.append(option);
        }
        if (question->type == Question::Type::Choice && !question->offersUnsure())
            return fail(
                u"%1.options: no \"unsure\" option; every single-choice question offers “Not sure / no "
                "preference”"_s.arg(field));
        return true;
    }

    bool readNumberQuestion(const QJsonObject &object, const QString &field, Question *question)
    {
        QJsonObject unsure;
        QJsonObject scoring;
        QString kind;
        if (!known(object, field,
                { u"id"_s, u"type"_s, u"criterion"_s, u"title"_s, u"help"_s, u"unit"_s, u"min"_s, u"max"_s,
                    u"suggested"_s, u"flipTemplate"_s, u"unsure"_s, u"scoring"_s })
            || !json::readString(
                object, u"flipTemplate"_s, field + u".flipTemplate"_s, &question->flipTemplate, m_error)
            || !json::readString(object, u"unit"_s, field + u".unit"_s, &question->unit, m_error, false)
            || !readInteger(object, u"min"_s, field + u".min"_s, &question->min)
            || !readInteger(object, u"max"_s, field + u".max"_s, &question->max)
            || !readInteger(object, u"suggested"_s, field + u".suggested"_s, &question->suggested)
            || !json::readObject(object, u"unsure"_s, field + u".unsure"_s, &unsure, m_error, false)
            || !json::readObject(object, u"scoring"_s, field + u".scoring"_s, &scoring, m_error))
            return false;
        if (question->min > question->max)
            return fail(u"%1.min: %2 is above max %3"_s.arg(field).arg(question->min).arg(question->max));
        if (question->suggested < question->min || question->suggested > question->max)
            return fail(u"%1.suggested: %2 is outside %3..%4"_s.arg(field)
                            .arg(question->suggested)
                            .arg(question->min)
                            .arg(question->max));
        if (!unsure.isEmpty()
            && (!json::readString(
                    unsure, u"label"_s, field + u".unsure.label"_s, &question->unsureLabel, m_error)
                || !json::readString(
                    unsure, u"reason"_s, field + u".unsure.reason"_s, &question->unsureReason, m_error)))
            return false;
        const QString scoringField = field + u".scoring"_s;
        CapacityScoring &capacity = question->capacity;
        if (!known(scoring, scoringField,
                { u"kind"_s, u"maxPoints"_s, u"halfAtRequestsPerSecond"_s, u"rows"_s, u"quoteAbove"_s,
                    u"quoteBelow"_s })
            || !json::readString(scoring, u"kind"_s, scoringField + u".kind"_s, &kind, m_error))
            return false;
        if (kind != u"capacity"_s)
            return fail(
                u"%1.kind: \"%2\" is not a scoring of number questions (capacity)"_s.arg(scoringField, kind));
        if (!json::readNumber(
                scoring, u"maxPoints"_s, scoringField + u".maxPoints"_s, &capacity.maxPoints, m_error)
            || !json::readNumber(scoring, u"halfAtRequestsPerSecond"_s,
                scoringField + u".halfAtRequestsPerSecond"_s, &capacity.halfAtRequestsPerSecond, m_error)
            || !readRows(scoring, scoringField, &capacity.rows)
            || !json::readString(
                scoring, u"quoteAbove"_s, scoringField + u".quoteAbove"_s, &capacity.quoteAbove, m_error)
            || !json::readString(
                scoring, u"quoteBelow"_s, scoringField + u".quoteBelow"_s, &capacity.quoteBelow, m_error))
            return false;
        if (capacity.maxPoints <= 0 || capacity.maxPoints > kMaxPoints)
            return fail(u"%1.maxPoints: %2 is out of range 0..%3"_s.arg(scoringField)
                            .arg(capacity.maxPoints)
                            .arg(kMaxPoints));
        if (capacity.halfAtRequestsPerSecond <= 0)
            return fail(u"%1.halfAtRequestsPerSecond: %2 must be above 0"_s.arg(scoringField)
                            .arg(capacity.halfAtRequestsPerSecond));
        return true;
    }

    // A need names questions and options that exist.
    bool readConditions(const QJsonObject &need, const QString &key, const QString &field,
        const QList<Question> &questions, QMap<QString, QStringList> *out)
    {
        QJsonObject conditions;
        if (!json::readObject(need, key, field, &conditions, m_error, false))
            return false;
        for (auto it = conditions.constBegin(); it != conditions.constEnd(); ++it) {
            const auto question = std::find_if(
                questions.begin(), questions.end(), [&](const Question &q) { return q.id == it.key(); });
            if (question == questions.end() || question->type == Question::Type::Number)
                return fail(u"%1.%2: not a choice question of this questionnaire"_s.arg(field, it.key()));
            QStringList options;
            if (!readStrings(conditions, it.key(), field + u'.' + it.key(), &options, true))
                return false;
            for (const QString &option : std::as_const(options)) {
                if (!question->option(option))
                    return fail(u"%1.%2: \"%3\" is not an option of that question; its options are: %4"_s.arg(
                        field, it.key(), option, question->optionIds().join(u", "_s)));
            }
            out->insert(it.key(), options);
        }
        return true;
    }

    bool readVerdict(const QJsonObject &root, const QList<Question> &questions, VerdictRules *rules)
    {
        QJsonObject verdict, tie, confidence;
        QJsonArray needs;
        QString goesTo;
        if (!json::readObject(root, u"verdict"_s, u"verdict"_s, &verdict, m_error)
            || !known(verdict, u"verdict"_s, { u"tie"_s, u"confidence"_s, u"hybridQuote"_s, u"needs"_s })
            || !json::readObject(verdict, u"tie"_s, u"verdict.tie"_s, &tie, m_error)
            || !json::readString(tie, u"goesTo"_s, u"verdict.tie.goesTo"_s, &goesTo, m_error)
            || !json::readString(tie, u"quote"_s, u"verdict.tie.quote"_s, &rules->tieQuote, m_error)
            || !json::readObject(verdict, u"confidence"_s, u"verdict.confidence"_s, &confidence, m_error)
            || !json::readNumber(
                confidence, u"lowBelow"_s, u"verdict.confidence.lowBelow"_s, &rules->lowBelow, m_error)
            || !json::readNumber(
                confidence, u"highFrom"_s, u"verdict.confidence.highFrom"_s, &rules->highFrom, m_error)
            || !json::readString(
                verdict, u"hybridQuote"_s, u"verdict.hybridQuote"_s, &rules->hybridQuote, m_error)
            || !json::readArray(verdict, u"needs"_s, u"verdict.needs"_s, &needs, m_error))
            return false;
        const std::optional<Stack> tieStack = stackFromId(goesTo);
        if (!tieStack)
            return fail(u"verdict.tie.goesTo: \"%1\" is neither \"go\" nor \"python\""_s.arg(goesTo));
        rules->tieGoesTo = *tieStack;
        if (rules->lowBelow <= 0 || rules->highFrom < rules->lowBelow)
            return fail(u"verdict.confidence: need 0 < lowBelow (%1) ≤ highFrom (%2)"_s.arg(rules->lowBelow)
                            .arg(rules->highFrom));
        QSet<QString> ids;
        for (qsizetype i = 0; i < needs.size(); ++i) {
            const QString field = u"verdict.needs[%1]"_s.arg(i);
            const QJsonObject object = needs.at(i).toObject();
            Need need;
            QString side;
            if (!known(object, field,
                    { u"id"_s, u"side"_s, u"capacity"_s, u"when"_s, u"unless"_s, u"part"_s, u"why"_s })
                || !json::readString(object, u"id"_s, field + u".id"_s, &need.id, m_error)
                || !json::readString(object, u"side"_s, field + u".side"_s, &side, m_error)
                || !json::readString(object, u"part"_s, field + u".part"_s, &need.part, m_error)
                || !json::readString(object, u"why"_s, field + u".why"_s, &need.why, m_error)
                || !readConditions(object, u"when"_s, field + u".when"_s, questions, &need.when)
                || !readConditions(object, u"unless"_s, field + u".unless"_s, questions, &need.unless))
                return false;
            const std::optional<Stack> stack = stackFromId(side);
            if (!stack)
                return fail(u"%1.side: \"%2\" is neither \"go\" nor \"python\""_s.arg(field, side));
            need.side = *stack;
            need.capacity = object.value(u"capacity"_s).toBool();
            if (need.id.isEmpty() || ids.contains(need.id))
                return fail(u"%1.id: \"%2\" is empty or used twice"_s.arg(field, need.id));
            if (need.capacity == !need.when.isEmpty())
                return fail(
                    u"%1: a need is either \"capacity\": true or has \"when\" conditions"_s.arg(field));
            ids.insert(need.id);
            rules->needs.append(need);
        }
        return true;
    }

    bool readLatency(const QJsonObject &root, const QList<Question> &questions, LatencyTargetRule *rule)
    {
        QJsonObject object;
        if (!json::readObject(root, u"latencyTarget"_s, u"latencyTarget"_s, &object, m_error)
            || !json::readString(
                object, u"question"_s, u"latencyTarget.question"_s, &rule->questionId, m_error)
            || !json::readNumber(
                object, u"defaultMs"_s, u"latencyTarget.defaultMs"_s, &rule->defaultMs, m_error)
            || !json::readString(object, u"about"_s, u"latencyTarget.about"_s, &rule->about, m_error))
            return false;
        const bool exists = std::any_of(questions.begin(), questions.end(),
            [&](const Question &q) { return q.id == rule->questionId && q.type == Question::Type::Choice; });
        if (!exists)
            return fail(u"latencyTarget.question: \"%1\" is not a choice question"_s.arg(rule->questionId));
        if (rule->defaultMs <= 0)
            return fail(u"latencyTarget.defaultMs: %1 must be above 0"_s.arg(rule->defaultMs));
        return true;
    }

    bool readCoverage(const QJsonObject &root, QStringList *go, QStringList *python)
    {
        QJsonObject coverage;
        return json::readObject(root, u"coverage"_s, u"coverage"_s, &coverage, m_error)
            && readStrings(coverage, u"chooseGoWhen"_s, u"coverage.chooseGoWhen"_s, go, true)
            && readStrings(coverage, u"choosePythonWhen"_s, u"coverage.choosePythonWhen"_s, python, true);
    }

private:
    const DecisionTable &m_table;
    QString *m_error;
    QSet<QString> m_criteria;
};

} // namespace

std::optional<Questionnaire> Questionnaire::load(
    const QString &path, const DecisionTable &table, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"%1: cannot read the questionnaire: %2"_s.arg(path, file.errorString());
        return std::nullopt;
    }
    return fromJson(file.readAll(), path, table, error);
}

std::optional<Questionnaire> Questionnaire::fromJson(
    const QByteArray &text, const QString &source, const DecisionTable &table, QString *error)
{
    const std::optional<QJsonObject> root = json::parseObject(text, source, error);
    if (!root)
        return std::nullopt;
    QString message;
    const auto fail = [&] {
        *error = source + u": "_s + message;
        return std::nullopt;
    };
    if (const QStringList duplicates = json::duplicateKeys(text); !duplicates.isEmpty()) {
        message = duplicates.constFirst();
        return fail();
    }
    QString format;
    if (!json::readString(*root, u"format"_s, u"format"_s, &format, &message))
        return fail();
    if (format != u"stackadvisor-questionnaire"_s) {
        message = u"format: expected \"stackadvisor-questionnaire\", found \"%1\""_s.arg(format);
        return fail();
    }
    double version = 0;
    if (!json::readNumber(*root, u"version"_s, u"version"_s, &version, &message))
        return fail();
    if (version != 2) {
        message = u"version: %1 is not supported (this build reads version 2)"_s.arg(version);
        return fail();
    }

    Questionnaire questionnaire;
    Reader reader(table, &message);
    if (!reader.known(*root, QString(),
            { u"format"_s, u"version"_s, u"scoring"_s, u"criteria"_s, u"verdict"_s, u"latencyTarget"_s,
                u"coverage"_s, u"questions"_s })
        || !reader.readStrings(*root, u"scoring"_s, u"scoring"_s, &questionnaire.m_scoring, false)
        || !reader.readCriteria(*root, &questionnaire.m_criteria)
        || !reader.readCoverage(*root, &questionnaire.m_goBullets, &questionnaire.m_pythonBullets))
        return fail();

    QJsonArray questions;
    if (!json::readArray(*root, u"questions"_s, u"questions"_s, &questions, &message))
        return fail();
    for (qsizetype i = 0; i < questions.size(); ++i) {
        const QString field = u"questions[%1]"_s.arg(i);
        if (!questions.at(i).isObject()) {
            message = u"%1: expected an object, found %2"_s.arg(field, json::typeName(questions.at(i)));
            return fail();
        }
        Question question;
        if (!reader.readQuestion(questions.at(i).toObject(), field, &question))
            return fail();
        if (question.id.isEmpty() || questionnaire.question(question.id)) {
            message = u"%1.id: \"%2\" is empty or used twice"_s.arg(field, question.id);
            return fail();
        }
        if (question.type == Question::Type::Number && questionnaire.capacityQuestion()) {
            message = u"%1.type: only one number question (the peak) is scored as capacity"_s.arg(field);
            return fail();
        }
        questionnaire.m_questions.append(question);
    }
    if (questionnaire.m_questions.isEmpty()) {
        message = u"questions: no questions defined"_s;
        return fail();
    }
    if (!reader.readVerdict(*root, questionnaire.m_questions, &questionnaire.m_verdict)
        || !reader.readLatency(*root, questionnaire.m_questions, &questionnaire.m_latency))
        return fail();
    for (const Need &need : std::as_const(questionnaire.m_verdict.needs)) {
        if (need.capacity && !questionnaire.capacityQuestion()) {
            message
                = u"verdict.needs: \"%1\" is a capacity need, but no question asks the peak"_s.arg(need.id);
            return fail();
        }
    }

    // Each criterion's weight: the most points one set of answers can give it.
    for (Criterion &criterion : questionnaire.m_criteria) {
        for (const Question &question : std::as_const(questionnaire.m_questions)) {
            if (question.criterion != criterion.id)
                continue;
            if (question.type == Question::Type::Number) {
                // Capacity goes to whichever stack the evidence says is cheaper.
                criterion.maxGo += question.capacity.maxPoints;
                criterion.maxPython += question.capacity.maxPoints;
                continue;
            }
            StackPoints best;
            for (const AnswerOption &option : question.options) {
                if (question.type == Question::Type::Multi) {
                    best.go += option.effect.points.go; // every box can be ticked at once
                    best.python += option.effect.points.python;
                } else {
                    best.go = std::max(best.go, option.effect.points.go);
                    best.python = std::max(best.python, option.effect.points.python);
                }
            }
            criterion.maxGo += best.go;
            criterion.maxPython += best.python;
        }
    }
    if (const StackPoints maximum = questionnaire.maximumPoints(); maximum.go <= 0 || maximum.python <= 0) {
        message
            = u"questions: no answer gives any points to %1"_s.arg(maximum.go <= 0 ? u"Go"_s : u"Python"_s);
        return fail();
    }
    return questionnaire;
}

const Question *Questionnaire::question(const QString &id) const
{
    for (const Question &candidate : m_questions) {
        if (candidate.id == id)
            return &candidate;
    }
    return nullptr;
}

const Question *Questionnaire::capacityQuestion() const
{
    for (const Question &candidate : m_questions) {
        if (candidate.type == Question::Type::Number)
            return &candidate;
    }
    return nullptr;
}

const Criterion *Questionnaire::criterion(const QString &id) const
{
    for (const Criterion &candidate : m_criteria) {
        if (candidate.id == id)
            return &candidate;
    }
    return nullptr;
}

StackPoints Questionnaire::maximumPoints() const
{
    StackPoints maximum;
    for (const Criterion &criterion : m_criteria) {
        maximum.go += criterion.maxGo;
        maximum.python += criterion.maxPython;
    }
    return maximum;
}

} // namespace sa::advisor
