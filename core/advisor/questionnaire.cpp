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

constexpr double kMaxWeight = 10;

// Reads the parts of the format that need the criteria and the table to check.
class Reader
{
public:
    Reader(const DecisionTable &table, QString *error) : m_table(table), m_error(error) { }

    bool fail(const QString &message)
    {
        *m_error = message;
        return false;
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

    bool readCriteria(const QJsonObject &root, QList<Criterion> *criteria)
    {
        QJsonArray array;
        if (!json::readArray(root, u"criteria"_s, u"criteria"_s, &array, m_error))
            return false;
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString field = u"criteria[%1]"_s.arg(i);
            const QJsonObject object = array.at(i).toObject();
            Criterion criterion;
            if (!json::readString(object, u"id"_s, field + u".id"_s, &criterion.id, m_error)
                || !json::readString(object, u"title"_s, field + u".title"_s, &criterion.title, m_error)
                || !json::readString(object, u"decisionRow"_s, field + u".decisionRow"_s,
                    &criterion.decisionRow, m_error, false))
                return false;
            if (criterion.id.isEmpty() || m_criteria.contains(criterion.id))
                return fail(u"%1.id: \"%2\" is empty or used twice"_s.arg(field, criterion.id));
            if (!criterion.decisionRow.isEmpty() && !m_table.row(criterion.decisionRow))
                return fail(u"%1.decisionRow: \"%2\" is not a row of the decision table"_s.arg(
                    field, criterion.decisionRow));
            m_criteria.insert(criterion.id);
            criteria->append(criterion);
        }
        if (criteria->isEmpty())
            return fail(u"criteria: no criteria defined"_s);
        return true;
    }

    bool readEffect(const QJsonObject &object, const QString &field, AnswerEffect *effect)
    {
        QJsonObject weights;
        if (!json::readObject(object, u"weights"_s, field + u".weights"_s, &weights, m_error))
            return false;
        for (auto it = weights.constBegin(); it != weights.constEnd(); ++it) {
            const QString weightField = field + u".weights."_s + it.key();
            if (!m_criteria.contains(it.key()))
                return fail(u"%1: unknown criterion \"%2\" (known: %3)"_s.arg(
                    weightField, it.key(), QStringList(m_criteria.values()).join(u", "_s)));
            if (!it.value().isObject())
                return fail(u"%1: expected an object {\"go\": n, \"python\": n}, found %2"_s.arg(
                    weightField, json::typeName(it.value())));
            const QJsonObject pair = it.value().toObject();
            StackPoints points;
            if (!json::readNumber(pair, u"go"_s, weightField + u".go"_s, &points.go, m_error)
                || !json::readNumber(pair, u"python"_s, weightField + u".python"_s, &points.python, m_error))
                return false;
            for (const auto &[name, value] :
                { std::pair { "go", points.go }, std::pair { "python", points.python } }) {
                if (value < 0 || value > kMaxWeight)
                    return fail(u"%1.%2: %3 is out of range; weights go from 0 to %4"_s
                                    .arg(weightField, QLatin1String(name))
                                    .arg(value)
                                    .arg(kMaxWeight));
            }
            effect->weights.insert(it.key(), points);
        }
        if (!readStrings(object, u"rows"_s, field + u".rows"_s, &effect->rows, false))
            return false;
        for (const QString &row : std::as_const(effect->rows)) {
            if (!m_table.row(row))
                return fail(u"%1.rows: \"%2\" is not a row of the decision table"_s.arg(field, row));
        }
        return json::readString(object, u"reason"_s, field + u".reason"_s, &effect->reason, m_error)
            && json::readString(object, u"quote"_s, field + u".quote"_s, &effect->quote, m_error);
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
            || !json::readString(object, u"title"_s, field + u".title"_s, &question->title, m_error)
            || !json::readString(object, u"help"_s, field + u".help"_s, &question->help, m_error))
            return false;
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

        if (question->type == Question::Type::Multi) {
            if (!json::readString(object, u"flipAddTemplate"_s, field + u".flipAddTemplate"_s,
                    &question->flipAddTemplate, m_error)
                || !json::readString(object, u"flipRemoveTemplate"_s, field + u".flipRemoveTemplate"_s,
                    &question->flipRemoveTemplate, m_error))
                return false;
        } else if (!json::readString(object, u"flipTemplate"_s, field + u".flipTemplate"_s,
                       &question->flipTemplate, m_error)) {
            return false;
        }
        QJsonArray options;
        if (!json::readArray(object, u"options"_s, field + u".options"_s, &options, m_error))
            return false;
        if (options.size() < 2)
            return fail(u"%1.options: a question needs at least two options"_s.arg(field));
        for (qsizetype i = 0; i < options.size(); ++i) {
            const QString optionField = u"%1.options[%2]"_s.arg(field).arg(i);
            const QJsonObject optionObject = options.at(i).toObject();
            AnswerOption option;
            if (!json::readString(optionObject, u"id"_s, optionField + u".id"_s, &option.id, m_error)
                || !json::readString(
                    optionObject, u"label"_s, optionField + u".label"_s, &option.label, m_error)
                || !readEffect(optionObject, optionField, &option.effect))
                return false;
            if (option.id.isEmpty() || question->option(option.id))
                return fail(
                    u"%1.id: \"%2\" is empty or used twice in this question"_s.arg(optionField, option.id));
            question->options.append(option);
        }
        return true;
    }

    bool readNumberQuestion(const QJsonObject &object, const QString &field, Question *question)
    {
        if (!json::readString(
                object, u"flipTemplate"_s, field + u".flipTemplate"_s, &question->flipTemplate, m_error)
            || !json::readString(object, u"unit"_s, field + u".unit"_s, &question->unit, m_error, false)
            || !readInteger(object, u"min"_s, field + u".min"_s, &question->min)
            || !readInteger(object, u"max"_s, field + u".max"_s, &question->max)
            || !readInteger(object, u"default"_s, field + u".default"_s, &question->defaultValue))
            return false;
        if (question->min > question->max)
            return fail(u"%1.min: %2 is above max %3"_s.arg(field).arg(question->min).arg(question->max));
        if (question->defaultValue < question->min || question->defaultValue > question->max)
            return fail(u"%1.default: %2 is outside %3..%4"_s.arg(field)
                            .arg(question->defaultValue)
                            .arg(question->min)
                            .arg(question->max));
        QJsonArray bands;
        if (!json::readArray(object, u"bands"_s, field + u".bands"_s, &bands, m_error))
            return false;
        // Bands must tile min..max exactly: every allowed answer scores, none twice.
        qint64 next = question->min;
        for (qsizetype i = 0; i < bands.size(); ++i) {
            const QString bandField = u"%1.bands[%2]"_s.arg(field).arg(i);
            const QJsonObject bandObject = bands.at(i).toObject();
            NumberBand band;
            if (!readInteger(bandObject, u"min"_s, bandField + u".min"_s, &band.min)
                || !readInteger(bandObject, u"max"_s, bandField + u".max"_s, &band.max)
                || !json::readString(bandObject, u"phrase"_s, bandField + u".phrase"_s, &band.phrase, m_error)
                || !readEffect(bandObject, bandField, &band.effect))
                return false;
            if (band.min != next || band.max < band.min)
                return fail(
                    u"%1.min: the band starts at %2 but must start at %3 and end at or after it; bands must cover %4..%5 in order without gaps"_s
                        .arg(bandField)
                        .arg(band.min)
                        .arg(next)
                        .arg(question->min)
                        .arg(question->max));
            next = band.max + 1;
            question->bands.append(band);
        }
        if (question->bands.size() < 2 || next != question->max + 1)
            return fail(u"%1.bands: need at least two bands, together covering %2..%3"_s.arg(field)
                            .arg(question->min)
                            .arg(question->max));
        return true;
    }

    bool readHybrid(const QJsonObject &root, HybridRule *rule)
    {
        QJsonObject verdict;
        QJsonObject hybrid;
        if (!json::readObject(root, u"verdict"_s, u"verdict"_s, &verdict, m_error)
            || !json::readObject(verdict, u"hybrid"_s, u"verdict.hybrid"_s, &hybrid, m_error)
            || !json::readNumber(
                hybrid, u"minScore"_s, u"verdict.hybrid.minScore"_s, &rule->minScore, m_error)
            || !json::readNumber(hybrid, u"maxGap"_s, u"verdict.hybrid.maxGap"_s, &rule->maxGap, m_error)
            || !json::readNumber(
                hybrid, u"minNeedPoints"_s, u"verdict.hybrid.minNeedPoints"_s, &rule->minNeedPoints, m_error)
            || !readStrings(hybrid, u"goNeeds"_s, u"verdict.hybrid.goNeeds"_s, &rule->goNeeds, true)
            || !readStrings(
                hybrid, u"pythonNeeds"_s, u"verdict.hybrid.pythonNeeds"_s, &rule->pythonNeeds, true))
            return false;
        for (const auto &[name, value] : { std::pair { "minScore", rule->minScore },
                 std::pair { "maxGap", rule->maxGap }, std::pair { "minNeedPoints", rule->minNeedPoints } }) {
            if (value < 0 || value > 100)
                return fail(
                    u"verdict.hybrid.%1: %2 is out of range 0..100 (score points)"_s.arg(QLatin1String(name))
                        .arg(value));
        }
        for (const QStringList *needs : { &rule->goNeeds, &rule->pythonNeeds }) {
            for (const QString &id : *needs) {
                if (!m_criteria.contains(id))
                    return fail(u"verdict.hybrid.%1: unknown criterion \"%2\""_s.arg(
                        needs == &rule->goNeeds ? u"goNeeds"_s : u"pythonNeeds"_s, id));
            }
        }
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
    QString format;
    if (!json::readString(*root, u"format"_s, u"format"_s, &format, &message))
        return fail();
    if (format != u"stackadvisor-questionnaire"_s) {
        message = u"format: expected \"stackadvisor-questionnaire\", found \"%1\""_s.arg(format);
        return fail();
    }

    Questionnaire questionnaire;
    Reader reader(table, &message);
    QJsonArray scoring;
    if (!reader.readStrings(*root, u"scoring"_s, u"scoring"_s, &questionnaire.m_scoring, false)
        || !reader.readCriteria(*root, &questionnaire.m_criteria)
        || !reader.readHybrid(*root, &questionnaire.m_hybrid)
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
        questionnaire.m_questions.append(question);
    }
    if (questionnaire.m_questions.isEmpty()) {
        message = u"questions: no questions defined"_s;
        return fail();
    }
    if (const StackPoints maximum = questionnaire.maximumPoints(); maximum.go <= 0 || maximum.python <= 0) {
        message = u"questions: no answer gives any points to %1, so its score cannot be computed"_s.arg(
            maximum.go <= 0 ? u"Go"_s : u"Python"_s);
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
    const auto total = [](const AnswerEffect &effect) {
        StackPoints sum;
        for (const StackPoints &points : effect.weights) {
            sum.go += points.go;
            sum.python += points.python;
        }
        return sum;
    };
    StackPoints maximum;
    for (const Question &question : m_questions) {
        StackPoints best;
        const auto consider = [&](const AnswerEffect &effect) {
            const StackPoints points = total(effect);
            if (question.type == Question::Type::Multi) {
                // Every option can be ticked at once.
                best.go += points.go;
                best.python += points.python;
            } else {
                best.go = std::max(best.go, points.go);
                best.python = std::max(best.python, points.python);
            }
        };
        for (const NumberBand &band : question.bands)
            consider(band.effect);
        for (const AnswerOption &option : question.options)
            consider(option.effect);
        maximum.go += best.go;
        maximum.python += best.python;
    }
    return maximum;
}

} // namespace sa::advisor
