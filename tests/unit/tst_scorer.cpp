// The decision model against the properties it states (questionnaire.json
// "scoring", README "Advisor"), over the whole answer space where that is cheap
// (every combination of choice answers at several peaks) and over a seeded
// sample of answer sets where each set needs many evaluations (every single
// change, every flip, every sensitivity figure applied) — and against team
// profiles with the verdict an architect would give (tests/data/profiles.json).

#include "advisor/comparison.h"
#include "advisor/scorer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <functional>

using namespace Qt::StringLiterals;
using sa::advisor::Answers;
using sa::advisor::Confidence;
using sa::advisor::Question;
using sa::advisor::Recommendation;
using sa::advisor::Scorer;
using sa::advisor::Stack;
using sa::advisor::Verdict;

Q_DECLARE_METATYPE(sa::advisor::Verdict)

namespace {

QString dataPath(const QString &name)
{
    return QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/data/") + name;
}

const QStringList kClassicProfiles { u"high-traffic-go-team"_s, u"ai-mvp-python-team"_s,
    u"high-traffic-with-ml"_s, u"low-traffic-crud-new-team"_s };

// Peaks the enumeration visits: none, zero, around the article's line, far beyond.
const QList<QJsonValue> kPeaks { QJsonValue(u"unsure"_s), 0.0, 999.0, 9999.0, 10000.0, 10001.0, 25000.0,
    200000.0 };

// Every answer one question can take, for a choice question; every subset for a multi one.
QList<QJsonValue> allValues(const Question &question)
{
    QList<QJsonValue> values;
    if (question.type == Question::Type::Choice) {
        for (const auto &option : question.options)
            values << option.id;
    } else if (question.type == Question::Type::Multi) {
        for (int mask = 0; mask < (1 << question.options.size()); ++mask) {
            QJsonArray ids;
            for (int i = 0; i < question.options.size(); ++i) {
                if (mask & (1 << i))
                    ids.append(question.options.at(i).id);
            }
            values << ids;
        }
    }
    return values;
}

// The verdict's position in the order a reason for Go may only raise.
int rank(Verdict verdict)
{
    return int(verdict); // Python < Hybrid < Go
}

// 1 when `after` gives Go at least as much and Python at most as much on every
// criterion (and differs), -1 for the mirror, 0 when equal, 2 when mixed. A
// change of the peak is a reason for the stack that needs fewer cores, even
// where its points round to the same tenth.
int direction(
    const Scorer::Evaluation &before, const Scorer::Evaluation &after, const Answers &from, const Answers &to)
{
    const QJsonValue peakFrom = from.value(u"peak-rps"_s), peakTo = to.value(u"peak-rps"_s);
    if (peakFrom != peakTo) {
        const double a = peakFrom.isDouble() ? peakFrom.toDouble() : 0,
                     b = peakTo.isDouble() ? peakTo.toDouble() : 0;
        const int cheaper = after.extraCores + before.extraCores >= 0 ? 1 : -1; // Go when Python needs more
        return a == b ? 0 : (b > a ? cheaper : -cheaper);
    }
    bool goUp = false, goDown = false, equal = true;
    for (qsizetype i = 0; i < before.perCriterion.size(); ++i) {
        const double dg = after.perCriterion[i].go - before.perCriterion[i].go;
        const double dp = after.perCriterion[i].python - before.perCriterion[i].python;
        if (std::abs(dg) > 1e-9 || std::abs(dp) > 1e-9)
            equal = false;
        goUp = goUp || dg > 1e-9 || dp < -1e-9;
        goDown = goDown || dg < -1e-9 || dp > 1e-9;
    }
    if (equal)
        return 0;
    if (goUp && goDown)
        return 2;
    return goUp ? 1 : -1;
}

double parseShown(const QString &text)
{
    return text.toDouble();
}

} // namespace

class TestScorer final : public QObject
{
    Q_OBJECT

private:
    std::optional<Scorer> m_scorer;
    sa::advisor::CapacityEvidence m_published;
    QList<Answers> m_sample; // seeded: the same sets on every run
    // 1 visits every answer set and the whole sample; the sanitizer build (a Debug
    // build, about 30 times slower) visits every n-th of each, set by
    // STACKADVISOR_TEST_STRIDE in its test preset: the model's logic is proven
    // over the whole space by the ordinary build, the sanitizers check the code
    // paths on a spread of it.
    qint64 m_stride = 1;

    qint64 atLeast(qint64 count) const { return count / m_stride; }

    Answers load(const QString &file)
    {
        QString error;
        const std::optional<Answers> answers
            = Answers::load(dataPath(file), m_scorer->questionnaire(), &error);
        if (!answers)
            qFatal("%s", qPrintable(error));
        return *answers;
    }

    Answers randomAnswers(QRandomGenerator &random) const
    {
        Answers answers;
        for (const Question &question : m_scorer->questionnaire().questions()) {
            if (question.type == Question::Type::Number) {
                const int pick = random.bounded(10);
                if (pick < 3)
                    answers.setValue(question.id, question.unsureValue());
                else if (pick < 5)
                    answers.setValue(question.id, kPeaks.at(random.bounded(kPeaks.size())));
                else // log-uniform over 1 .. 10,000,000
                    answers.setValue(question.id, std::floor(std::pow(10.0, random.bounded(7.0))));
            } else {
                const QList<QJsonValue> values = allValues(question);
                answers.setValue(question.id, values.at(random.bounded(int(values.size()))));
            }
        }
        return answers;
    }

    // Every answers set that differs from `answers` in one answer (peaks: a spread of values).
    QList<Answers> neighbours(const Answers &answers) const
    {
        QList<Answers> result;
        for (const Question &question : m_scorer->questionnaire().questions()) {
            QList<QJsonValue> values = allValues(question);
            if (question.type == Question::Type::Number)
                values = kPeaks + QList<QJsonValue> { 1.0, 5000.0, 12000.0, 74211.0, 10000000.0 };
            for (const QJsonValue &value : values) {
                if (value == answers.value(question.id))
                    continue;
                Answers changed = answers;
                changed.setValue(question.id, value);
                result << changed;
            }
        }
        return result;
    }

    // Every combination of choice and multi answers, at each of kPeaks.
    void forEachAnswerSet(const std::function<void(const Answers &)> &visit) const
    {
        const QList<Question> &questions = m_scorer->questionnaire().questions();
        QList<QList<QJsonValue>> values;
        for (const Question &question : questions)
            values << (question.type == Question::Type::Number ? kPeaks : allValues(question));
        QList<qsizetype> index(questions.size(), 0);
        Answers answers;
        for (qint64 ordinal = 0;; ++ordinal) {
            if (ordinal % m_stride == 0) {
                for (qsizetype q = 0; q < questions.size(); ++q)
                    answers.setValue(questions.at(q).id, values.at(q).at(index.at(q)));
                visit(answers);
            }
            qsizetype q = 0;
            for (; q < questions.size(); ++q) {
                if (++index[q] < values.at(q).size())
                    break;
                index[q] = 0;
            }
            if (q == questions.size())
                return;
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_scorer = Scorer::fromResources(&error);
        QVERIFY2(m_scorer, qPrintable(error));
        m_published = m_scorer->capacityModel().published();
        bool strideOk = true;
        const qint64 stride = qEnvironmentVariable("STACKADVISOR_TEST_STRIDE", u"1"_s).toLongLong(&strideOk);
        QVERIFY2(strideOk && stride >= 1, "STACKADVISOR_TEST_STRIDE must be a whole number, 1 or more");
        m_stride = stride;
        if (m_stride > 1)
            qInfo("visiting every %lld-th answer set (STACKADVISOR_TEST_STRIDE)", m_stride);
        QRandomGenerator random(20260514);
        for (qint64 i = 0; i < atLeast(20000); ++i)
            m_sample << randomAnswers(random);
        for (const Answers &answers : std::as_const(m_sample))
            QVERIFY2(answers.validate(m_scorer->questionnaire(), &error), qPrintable(error));
    }

    // ---- named profiles ---------------------------------------------------

    void profiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<Verdict>("verdict");
        QTest::addColumn<QString>("confidence");
        QTest::addColumn<QString>("why");
        QFile file(dataPath(u"profiles.json"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonArray profiles
            = QJsonDocument::fromJson(file.readAll()).object().value(u"profiles"_s).toArray();
        QVERIFY(profiles.size() >= 12);
        for (const QJsonValue &value : profiles) {
            const QJsonObject profile = value.toObject();
            const std::optional<Verdict> verdict
                = sa::advisor::verdictFromName(profile.value(u"verdict"_s).toString());
            QVERIFY(verdict);
            QVERIFY(!profile.value(u"why"_s).toString().isEmpty());
            QTest::addRow("%s", qPrintable(profile.value(u"file"_s).toString()))
                << profile.value(u"file"_s).toString() << *verdict
                << profile.value(u"confidence"_s).toString() << profile.value(u"why"_s).toString();
        }
    }

    void profiles()
    {
        QFETCH(QString, file);
        QFETCH(Verdict, verdict);
        QFETCH(QString, confidence);
        QFETCH(QString, why);
        const Recommendation r = m_scorer->recommend(load(file));
        QVERIFY2(r.verdict == verdict,
            qPrintable(u"%1: %2, expected %3 (%4)\n%5"_s.arg(file, sa::advisor::verdictName(r.verdict),
                sa::advisor::verdictName(verdict), why, r.explanation)));
        if (!confidence.isEmpty())
            QCOMPARE(sa::advisor::confidenceName(r.confidence), confidence);
        QCOMPARE(r.answers.size(), m_scorer->questionnaire().questions().size());
        QCOMPARE(r.decisionTable.size(), 6);
        QCOMPARE(r.contributions.size(), m_scorer->questionnaire().criteria().size());
        QVERIFY2(!r.flips.isEmpty() || r.closest, "either a flip or the closest change must be reported");
        if (verdict == Verdict::Hybrid) {
            QVERIFY(!r.goParts.isEmpty() && !r.pythonParts.isEmpty());
            QVERIFY2(r.headline.contains(r.goParts.constFirst())
                    && r.headline.contains(r.pythonParts.constFirst()),
                qPrintable(r.headline));
        } else {
            QCOMPARE(r.headline, sa::advisor::verdictName(verdict));
        }
    }

    // The article's advice, in the words of the verdict sentences.
    void explanationsQuoteTheArticle_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("parts");
        QTest::addRow("high-traffic Go team")
            << u"high-traffic-go-team.json"_s
            << QStringList { u"handle a lot of traffic"_s, u"Team experience"_s };
        QTest::addRow("AI MVP, Python team")
            << u"ai-mvp-python-team.json"_s
            << QStringList { u"Team experience"_s, u"AI, ML and data processing"_s,
                   u"Your developer team already knows Python."_s };
        QTest::addRow("high traffic with ML")
            << u"high-traffic-with-ml.json"_s
            << QStringList { u"Python to build the product"_s, u"AI/ML is part of the product"_s };
        QTest::addRow("low-traffic CRUD, new team")
            << u"low-traffic-crud-new-team.json"_s
            << QStringList { u"Python’s performance is enough"_s, u"Team experience"_s };
        QTest::addRow("nothing known")
            << u"profiles/no-preferences.json"_s
            << QStringList { u"favour neither stack"_s, u"a tie goes to Python"_s };
    }

    void explanationsQuoteTheArticle()
    {
        QFETCH(QString, file);
        QFETCH(QStringList, parts);
        const Recommendation r = m_scorer->recommend(load(file));
        for (const QString &part : parts)
            QVERIFY2(r.explanation.contains(part), qPrintable(u"'%1' not in: %2"_s.arg(part, r.explanation)));
    }

    // Low confidence is shown as "Too close to call — leaning X", with the answers that would decide it.
    void tooCloseToCall()
    {
        const Recommendation none = m_scorer->recommend(load(u"profiles/no-preferences.json"_s));
        QCOMPARE(none.confidence, Confidence::Low);
        QCOMPARE(none.verdictLine(), u"Too close to call — leaning Python"_s);
        QVERIFY(!none.decidingFlips.isEmpty() && none.decidingFlips.size() <= 2);
        for (const auto &flip : none.decidingFlips)
            QVERIFY2(none.confidenceText.contains(flip.sentence), qPrintable(none.confidenceText));
        const Recommendation go = m_scorer->recommend(load(u"high-traffic-go-team.json"_s));
        QCOMPARE(go.confidence, Confidence::High);
        QCOMPARE(go.verdictLine(), u"Verdict: Go"_s);
    }

    // ---- stated properties over the answer space ------------------------

    // Same scale: both stacks in plain points, no per-stack normalisation, so the
    // same reason is worth the same for either stack and contributions add up.
    void sameScale()
    {
        const auto &questionnaire = m_scorer->questionnaire();
        const Question *team = questionnaire.question(u"team"_s);
        QVERIFY(team);
        QCOMPARE(team->option(u"go"_s)->effect.points.go, team->option(u"python"_s)->effect.points.python);
        Answers base = Answers::unsure(questionnaire);
        base.setValue(u"team"_s, u"go"_s);
        const Recommendation go = m_scorer->recommend(base);
        base.setValue(u"team"_s, u"python"_s);
        const Recommendation python = m_scorer->recommend(base);
        QCOMPARE(go.goScore, python.pythonScore);
        QCOMPARE(go.goScore, team->option(u"go"_s)->effect.points.go);
        QCOMPARE(go.verdict, Verdict::Go);
        QCOMPARE(python.verdict, Verdict::Python);

        // Every option's points land in its criterion as they are.
        for (const Question &question : questionnaire.questions()) {
            if (question.type != Question::Type::Choice)
                continue;
            for (const auto &option : question.options) {
                Answers answers = Answers::unsure(questionnaire);
                answers.setValue(question.id, option.id);
                const Recommendation r = m_scorer->recommend(answers);
                const auto *c = r.contribution(question.criterion);
                QVERIFY(c);
                QCOMPARE(c->go, option.effect.points.go);
                QCOMPARE(c->python, option.effect.points.python);
                QCOMPARE(r.goScore, option.effect.points.go);
                QCOMPARE(r.pythonScore, option.effect.points.python);
            }
        }
    }

    // Unsure everywhere and neutral: every single-choice question offers it, it gives
    // no points, and no answer that gives no points ever changes a verdict.
    void unsureIsNeutral()
    {
        const auto &questionnaire = m_scorer->questionnaire();
        for (const Question &question : questionnaire.questions()) {
            if (question.type == Question::Type::Choice) {
                QVERIFY2(question.offersUnsure(), qPrintable(question.id));
                QVERIFY(question.option(u"unsure"_s)->effect.points.isNeutral());
                QCOMPARE(question.option(u"unsure"_s)->label, u"Not sure / no preference"_s);
            }
        }
        const Recommendation none = m_scorer->recommend(Answers::unsure(questionnaire));
        QCOMPARE(none.goScore, 0.0);
        QCOMPARE(none.pythonScore, 0.0);
        QVERIFY(none.needs.isEmpty());

        int checked = 0;
        for (const Answers &answers : std::as_const(m_sample)) {
            const Scorer::Evaluation before = m_scorer->evaluate(answers, m_published);
            for (const Answers &changed : neighbours(answers)) {
                const Scorer::Evaluation after = m_scorer->evaluate(changed, m_published);
                if (direction(before, after, answers, changed) != 0)
                    continue;
                QCOMPARE(after.verdict, before.verdict);
                ++checked;
            }
        }
        QVERIFY(checked > atLeast(10000));
    }

    // A reason for Go never moves the verdict from Go towards Python, and the reverse.
    void monotonicBothWays()
    {
        qint64 towardsGo = 0, towardsPython = 0;
        for (const Answers &answers : std::as_const(m_sample)) {
            const Scorer::Evaluation before = m_scorer->evaluate(answers, m_published);
            for (const Answers &changed : neighbours(answers)) {
                const Scorer::Evaluation after = m_scorer->evaluate(changed, m_published);
                const int d = direction(before, after, answers, changed);
                if (d == 1) {
                    ++towardsGo;
                    if (rank(after.verdict) < rank(before.verdict))
                        QFAIL(qPrintable(u"a reason for Go moved %1 to %2:\n%3\n->\n%4"_s.arg(
                            sa::advisor::verdictName(before.verdict), sa::advisor::verdictName(after.verdict),
                            QString::fromUtf8(answers.toJsonText()),
                            QString::fromUtf8(changed.toJsonText()))));
                } else if (d == -1) {
                    ++towardsPython;
                    if (rank(after.verdict) > rank(before.verdict))
                        QFAIL(qPrintable(u"a reason for Python moved %1 to %2:\n%3\n->\n%4"_s.arg(
                            sa::advisor::verdictName(before.verdict), sa::advisor::verdictName(after.verdict),
                            QString::fromUtf8(answers.toJsonText()),
                            QString::fromUtf8(changed.toJsonText()))));
                }
            }
        }
        qInfo("monotonic: %lld changes towards Go and %lld towards Python checked", towardsGo, towardsPython);
        QVERIFY(towardsGo > atLeast(100000) && towardsPython > atLeast(100000));
    }

    // The whole answer space: Hybrid exactly when the leader's opponent has a strong
    // need, hence whenever both stacks have one; reachable without AI/ML.
    void hybridRuleOverTheWholeSpace()
    {
        qint64 sets = 0, hybrids = 0, hybridsWithoutAi = 0, bothNeed = 0;
        QMap<Verdict, qint64> counts;
        forEachAnswerSet([&](const Answers &answers) {
            const Scorer::Evaluation e = m_scorer->evaluate(answers, m_published);
            ++sets;
            ++counts[e.verdict];
            bool goNeed = false, pythonNeed = false;
            for (const auto &need : e.needs)
                (need.side == Stack::Go ? goNeed : pythonNeed) = true;
            const double lead = e.go - e.python;
            const Stack leader = lead > 1e-6 ? Stack::Go : lead < -1e-6 ? Stack::Python : Stack::Python;
            const bool loserNeeds = leader == Stack::Go ? pythonNeed : goNeed;
            const Verdict expected
                = loserNeeds ? Verdict::Hybrid : (leader == Stack::Go ? Verdict::Go : Verdict::Python);
            if (e.verdict != expected)
                QFAIL(qPrintable(QString::fromUtf8(answers.toJsonText())));
            if (goNeed && pythonNeed) {
                ++bothNeed;
                if (e.verdict != Verdict::Hybrid)
                    QFAIL("both stacks have a strong need, but the verdict is not Hybrid");
            }
            if (e.verdict == Verdict::Hybrid) {
                ++hybrids;
                const QString ai = answers.value(u"ai-ml"_s).toString();
                hybridsWithoutAi += ai == u"none"_s || ai == u"unsure"_s ? 1 : 0;
            }
        });
        qInfo("whole space: %lld answer sets (every choice combination at %lld peaks): Go %lld, Python %lld, "
              "Hybrid %lld "
              "(%lld of them without AI/ML); both stacks in need: %lld",
            sets, qint64(kPeaks.size()), counts.value(Verdict::Go), counts.value(Verdict::Python),
            counts.value(Verdict::Hybrid), hybridsWithoutAi, bothNeed);
        QVERIFY(sets > atLeast(2000000));
        QVERIFY(hybridsWithoutAi > 0);
        QVERIFY(bothNeed > 0);
        // The case: a Python team with a 20k req/s API, no AI.
        QCOMPARE(m_scorer->recommend(load(u"profiles/python-team-20k-api.json"_s)).verdict, Verdict::Hybrid);
    }

    // A team fluent in one stack building an MVP gets that stack unless a strong need says otherwise.
    void teamWeighsLikeAPrimaryCriterion()
    {
        qint64 checked = 0;
        forEachAnswerSet([&](const Answers &answers) {
            const QString team = answers.value(u"team"_s).toString();
            if ((team != u"go"_s && team != u"python"_s) || answers.value(u"stage"_s).toString() != u"mvp"_s)
                return;
            const Scorer::Evaluation e = m_scorer->evaluate(answers, m_published);
            if (!e.needs.isEmpty())
                return;
            ++checked;
            const Verdict expected = team == u"go"_s ? Verdict::Go : Verdict::Python;
            // Without a strong need, the other stack's reasons must outweigh the team to win.
            const Stack theirs = team == u"go"_s ? Stack::Python : Stack::Go;
            const Question *teamQuestion = m_scorer->questionnaire().question(u"team"_s);
            const double teamPoints = teamQuestion->option(team)->effect.points.go
                + teamQuestion->option(team)->effect.points.python;
            const double otherSide = theirs == Stack::Go ? e.go : e.python;
            if (e.verdict != expected && otherSide < teamPoints)
                QFAIL(qPrintable(QString::fromUtf8(answers.toJsonText())));
        });
        QVERIFY(checked > atLeast(1000));
        // Every MVP or CRUD profile of a Go team without an AI/data need gets Go: the 1,726 sets.
        qint64 goTeamMvp = 0, wrong = 0;
        forEachAnswerSet([&](const Answers &answers) {
            const QString stage = answers.value(u"stage"_s).toString();
            const QString ai = answers.value(u"ai-ml"_s).toString();
            if (answers.value(u"team"_s).toString() != u"go"_s || (stage != u"mvp"_s && stage != u"iterate"_s)
                || ai == u"core"_s || ai == u"data"_s)
                return;
            ++goTeamMvp;
            wrong += m_scorer->evaluate(answers, m_published).verdict == Verdict::Go ? 0 : 1;
        });
        qInfo("Go team, MVP or iterating, no AI/data need: %lld sets, %lld not Go", goTeamMvp, wrong);
        QCOMPARE(wrong, 0);
    }

    // Every answer moves something: every option that is not declared neutral moves
    // its criterion's points; every question can move a score; the peak is continuous.
    void everyAnswerMovesSomething()
    {
        const auto &questionnaire = m_scorer->questionnaire();
        for (const Question &question : questionnaire.questions()) {
            bool someMove = question.type == Question::Type::Number;
            for (const auto &option : question.options) {
                if (option.effect.points.isNeutral())
                    QVERIFY2(option.effect.reason.contains(u"favours neither"_s),
                        qPrintable(question.id + u'.' + option.id + u": a neutral option must say so"_s));
                else
                    someMove = true;
            }
            QVERIFY2(someMove, qPrintable(question.id + u": no option moves any score"_s));
        }
        // The peak: every step up gives Go more capacity points, 0 and 999 differ, no step at the line.
        const auto capacityAt = [&](double peak) {
            Answers answers = Answers::unsure(questionnaire);
            answers.setValue(u"peak-rps"_s, peak);
            return m_scorer->recommend(answers).contribution(u"traffic"_s)->go;
        };
        QCOMPARE(capacityAt(0), 0.0);
        QVERIFY(capacityAt(999) > capacityAt(0));
        double previous = -1;
        for (double peak :
            { 0.0, 999.0, 2000.0, 5000.0, 9999.0, 10000.0, 10001.0, 20000.0, 50000.0, 1e6, 1e7 }) {
            QVERIFY2(capacityAt(peak) >= previous, qPrintable(QString::number(peak)));
            previous = capacityAt(peak);
        }
        QCOMPARE(capacityAt(10000), 4.0); // half the 8 points at the article's line
        QVERIFY(std::abs(capacityAt(10001) - capacityAt(9999)) <= 0.1); // no cliff
        QVERIFY(capacityAt(1e7) < 8.0 + 1e-9);
    }

    // Every flip flips when applied (the peak's exactly at its threshold), and
    // every sensitivity figure changes the verdict when applied, not before.
    void flipsAndSensitivityVerifiedByApplying()
    {
        int flips = 0, sensitivities = 0;
        for (qsizetype i = 0; i < m_sample.size(); i += 8) {
            const Answers &answers = m_sample.at(i);
            const Recommendation r = m_scorer->recommend(answers);
            for (qsizetype k = 1; k < r.flips.size(); ++k)
                QVERIFY(r.flips.at(k - 1).size <= r.flips.at(k).size); // smallest first
            for (const auto &flip : r.flips) {
                QCOMPARE(answers.value(flip.questionId), flip.fromValue);
                Answers changed = answers;
                changed.setValue(flip.questionId, flip.toValue);
                QString error;
                QVERIFY2(changed.validate(m_scorer->questionnaire(), &error), qPrintable(error));
                const Scorer::Evaluation after = m_scorer->evaluate(changed, m_published);
                QCOMPARE(after.verdict, flip.verdict);
                QVERIFY(flip.verdict != r.verdict);
                QVERIFY(flip.sentence.contains(sa::advisor::verdictName(flip.verdict)));
                if (flip.toValue.isDouble() && flip.fromValue.isDouble()) {
                    // The threshold is exact: one req/s back towards the answer, the verdict is another.
                    const double back = flip.toValue.toDouble()
                        + (flip.fromValue.toDouble() > flip.toValue.toDouble() ? 1 : -1);
                    changed.setValue(flip.questionId, back);
                    QVERIFY(m_scorer->evaluate(changed, m_published).verdict != flip.verdict);
                }
                ++flips;
            }
            if (r.closest) {
                QVERIFY(r.flips.isEmpty());
                Answers changed = answers;
                changed.setValue(r.closest->questionId, r.closest->toValue);
                QCOMPARE(m_scorer->evaluate(changed, m_published).verdict, r.verdict);
            }
            for (const auto &c : r.contributions) {
                if (!c.sensitivity)
                    continue;
                const auto &s = *c.sensitivity;
                QCOMPARE(m_scorer->evaluate(answers, m_published, { { c.criterionId, s.shownMultiplier } })
                             .verdict,
                    s.verdict);
                // Just short of the figure (by more than the scorer's tie tolerance), the verdict stands.
                const double before = s.orMore ? s.multiplier - 1e-4 : s.multiplier + 1e-4;
                QCOMPARE(m_scorer->evaluate(answers, m_published, { { c.criterionId, before } }).verdict,
                    r.verdict);
                QVERIFY(s.sentence.contains(c.title));
                ++sensitivities;
            }
        }
        qInfo("applied %d flips and %d sensitivity figures", flips, sensitivities);
        QVERIFY(flips > atLeast(5000));
        QVERIFY(sensitivities > atLeast(1000));
    }

    // What is displayed adds up: one decimal everywhere, contributions sum to the
    // scores, the margin is the difference, and the verdict sentence names the
    // criteria that decided it.
    void explanationsAddUpAsDisplayed()
    {
        for (qsizetype i = 0; i < m_sample.size(); i += 4) {
            const Recommendation r = m_scorer->recommend(m_sample.at(i));
            double go = 0, python = 0;
            for (const auto &c : r.contributions) {
                go += parseShown(sa::advisor::formatPoints(c.go));
                python += parseShown(sa::advisor::formatPoints(c.python));
            }
            QCOMPARE(sa::advisor::formatPoints(go), sa::advisor::formatPoints(r.goScore));
            QCOMPARE(sa::advisor::formatPoints(python), sa::advisor::formatPoints(r.pythonScore));
            QCOMPARE(sa::advisor::formatPoints(r.margin),
                sa::advisor::formatPoints(std::abs(parseShown(sa::advisor::formatPoints(r.goScore))
                    - parseShown(sa::advisor::formatPoints(r.pythonScore)))));
            if (r.margin > 0) {
                QVERIFY(!r.decidingCriteria.isEmpty() && r.decidingCriteria.size() <= 3);
                for (const QString &id : r.decidingCriteria) {
                    const auto *c = r.contribution(id);
                    QVERIFY2(r.explanation.contains(c->title), qPrintable(r.explanation));
                    QVERIFY((r.leader == Stack::Go ? c->lead() : -c->lead()) > 0);
                }
            }
            QVERIFY2(!r.explanation.contains(u"performance is enough"_s) || !r.capacity.peak
                    || *r.capacity.peak <= r.capacity.needFrom,
                qPrintable(r.explanation)); // never "Python's performance is enough" beyond the line
        }
    }

    // Confidence as documented, from the lead and the smallest flip.
    void confidenceAsDocumented()
    {
        const auto &rules = m_scorer->questionnaire().verdictRules();
        QMap<Confidence, int> counts;
        for (qsizetype i = 1; i < m_sample.size(); i += 8) {
            const Recommendation r = m_scorer->recommend(m_sample.at(i));
            const double nearest = r.flips.isEmpty() ? 1e9 : r.flips.constFirst().size;
            const bool hybrid = r.verdict == Verdict::Hybrid;
            Confidence expected = Confidence::Medium;
            if ((!hybrid && r.margin < rules.lowBelow) || nearest < rules.lowBelow)
                expected = Confidence::Low;
            else if ((hybrid || r.margin >= rules.highFrom) && nearest >= rules.highFrom)
                expected = Confidence::High;
            QCOMPARE(r.confidence, expected);
            ++counts[r.confidence];
            QVERIFY(r.decidingFlips.size() <= 2);
            if (r.confidence == Confidence::Low) {
                QVERIFY(r.verdictLine().startsWith(
                    u"Too close to call — leaning "_s + sa::advisor::verdictName(r.verdict)));
                if (!r.flips.isEmpty())
                    QVERIFY(!r.decidingFlips.isEmpty());
            }
        }
        qInfo("confidence over the sample: high %d, medium %d, low %d", counts.value(Confidence::High),
            counts.value(Confidence::Medium), counts.value(Confidence::Low));
        QVERIFY(counts.value(Confidence::High) > 0 && counts.value(Confidence::Medium) > 0
            && counts.value(Confidence::Low) > 0);
    }

    // ---- the attributions the issue found wrong --------------------------

    void attributionsSupportTheCells()
    {
        const auto &table = m_scorer->decisionTable();
        // "Moderate" was backed by "as simple to use as Python": now no sentence, and a note says so.
        const auto *learning = table.row(u"team-learning-curve"_s);
        QVERIFY(learning->go.quote.isEmpty());
        QVERIFY(learning->go.note.contains(u"No sentence"_s));
        // "More setup" and "Limited libraries" no longer share one sentence.
        QVERIFY(table.row(u"fast-mvp-build"_s)->go.quote != table.row(u"ai-ml-integration"_s)->go.quote);
        QStringList quotes;
        for (const auto &row : table.rows()) {
            for (const auto *cell : { &row.go, &row.python }) {
                if (!cell->quote.isEmpty()) {
                    QVERIFY2(!quotes.contains(cell->quote), qPrintable(cell->quote));
                    quotes << cell->quote;
                }
            }
        }
        // "established" gives no point on "It's about which one is right for your project now".
        const auto *established = m_scorer->questionnaire().question(u"stage"_s)->option(u"established"_s);
        QVERIFY(established->effect.points.isNeutral());
        QVERIFY(established->effect.quote.isEmpty());
        // A Go team's points quote nothing: the article gives that reason for Python only.
        QVERIFY(m_scorer->questionnaire().question(u"team"_s)->option(u"go"_s)->effect.quote.isEmpty());
        // Every option citing a row leans the way the row does (the loader refuses the rest).
        for (const Question &question : m_scorer->questionnaire().questions()) {
            for (const auto &option : question.options) {
                for (const QString &rowId : option.effect.rows) {
                    const auto *row = table.row(rowId);
                    QVERIFY(row->favours == u"go"_s ? option.effect.points.python == 0
                                                    : option.effect.points.go == 0);
                }
            }
        }
    }

    // ---- evidence --------------------------------------------------------

    // Measured figures replace the published ones in the capacity criterion.
    void measuredEvidenceMovesCapacity()
    {
        const Answers answers = load(u"profiles/python-team-20k-api.json"_s);
        sa::advisor::CapacityEvidence measured = m_published;
        measured.provenance = sa::advisor::Provenance::Measured;
        measured.label = u"measured here"_s;
        for (auto &stack : measured.stacks) {
            stack.provenance = sa::advisor::Provenance::Measured;
            stack.serverCores = 1;
            // A Go only twice as fast per core as Python: the capacity gap narrows.
            stack.requestsPerCore = stack.stack == u"Go"_s ? 6000 : 3000;
            stack.requestsPerSecond = stack.requestsPerCore;
        }
        const Recommendation published = m_scorer->recommend(answers);
        const Recommendation here
            = m_scorer->recommend(answers, measured, m_scorer->capacityModel().defaultCost());
        QVERIFY(here.contribution(u"traffic"_s)->go < published.contribution(u"traffic"_s)->go);
        // 20,000 × (1/3000 − 1/6000) = 3.33 cores beyond Go: just beyond the 2.91 of the article's line.
        QCOMPARE(here.capacity.evidence.provenance, sa::advisor::Provenance::Measured);
        QVERIFY(std::abs(here.capacity.extraCores - 20000.0 / 6000) < 1e-9);
        QVERIFY(std::abs(here.capacity.needFrom - m_scorer->referenceExtraCores() * 6000) < 1e-6);
        QCOMPARE(here.verdict, Verdict::Hybrid);
    }

    void jsonIsSelfDescribing()
    {
        const Recommendation r = m_scorer->recommend(load(u"high-traffic-with-ml.json"_s));
        const QJsonObject json = r.toJson();
        QCOMPARE(json.value(u"format"_s).toString(), u"stackadvisor-recommendation"_s);
        QCOMPARE(json.value(u"version"_s).toInt(), 2);
        QCOMPARE(json.value(u"verdict"_s).toString(), u"Hybrid"_s);
        QCOMPARE(json.value(u"scores"_s).toObject().value(u"unit"_s).toString(), u"points"_s);
        QVERIFY(json.value(u"margin"_s).isDouble());
        const QJsonObject confidence = json.value(u"confidence"_s).toObject();
        QVERIFY(QStringList({ u"high"_s, u"medium"_s, u"low"_s })
                    .contains(confidence.value(u"level"_s).toString()));
        QVERIFY(!confidence.value(u"text"_s).toString().isEmpty());
        QVERIFY(!json.value(u"parts"_s).toObject().value(u"go"_s).toArray().isEmpty());
        const QJsonObject capacity = json.value(u"capacity"_s).toObject();
        QCOMPARE(capacity.value(u"evidence"_s).toObject().value(u"label"_s).toString(),
            u"published, not measured here"_s);
        QCOMPARE(capacity.value(u"pricePerVcpuMonth"_s).toObject().value(u"label"_s).toString(),
            u"illustrative"_s);
        QCOMPARE(capacity.value(u"coresPerServer"_s).toObject().value(u"label"_s).toString(), u"assumed"_s);
        for (const QJsonValue &stack : capacity.value(u"stacks"_s).toArray()) {
            QCOMPARE(stack.toObject().value(u"provenance"_s).toString(), u"published"_s);
            QCOMPARE(stack.toObject().value(u"serverCoresProvenance"_s).toString(), u"assumed"_s);
            QVERIFY(stack.toObject().value(u"source"_s).toString().contains(u"hardware not stated"_s));
        }
        QCOMPARE(json.value(u"latencyTarget"_s).toObject().value(u"milliseconds"_s).toDouble(), 100.0);
        const QJsonArray contributions = json.value(u"contributions"_s).toArray();
        QCOMPARE(contributions.size(), r.contributions.size());
        for (const QJsonValue &contribution : contributions) {
            const QJsonObject object = contribution.toObject();
            QVERIFY(!object.value(u"criterion"_s).toString().isEmpty());
            QVERIFY(!object.value(u"reasons"_s).toArray().isEmpty());
            QVERIFY(object.value(u"weight"_s).toDouble() > 0);
            // Both stacks need a part: no weight alone changes a Hybrid of two needs.
            QVERIFY(object.value(u"sensitivity"_s).isNull());
        }
        bool someSensitivity = false;
        for (const QJsonValue &contribution : m_scorer->recommend(load(u"low-traffic-crud-new-team.json"_s))
                                                  .toJson()
                                                  .value(u"contributions"_s)
                                                  .toArray()) {
            const QJsonObject sensitivity = contribution.toObject().value(u"sensitivity"_s).toObject();
            if (sensitivity.isEmpty())
                continue;
            someSensitivity = true;
            QVERIFY(sensitivity.value(u"multiplier"_s).toDouble() >= 0);
            QVERIFY(!sensitivity.value(u"sentence"_s).toString().isEmpty());
        }
        QVERIFY(someSensitivity);
        const QJsonArray flips = json.value(u"flips"_s).toArray();
        QVERIFY(!flips.isEmpty());
        QVERIFY(flips.at(0).toObject().contains(u"to"_s));
        const QJsonArray rows = json.value(u"decisionTable"_s).toArray();
        QCOMPARE(rows.size(), 6);
        int relevant = 0;
        for (const QJsonValue &row : rows)
            relevant += row.toObject().value(u"relevant"_s).toBool() ? 1 : 0;
        QCOMPARE(relevant, r.relevantRows.size());
        // The copy-error note travels with the row.
        QVERIFY(rows.at(5).toObject().value(u"python"_s).toObject().contains(u"note"_s));
    }

    // The latency target the latency answer implies (the capacity run reads it).
    void latencyTargetFromTheAnswer_data()
    {
        QTest::addColumn<QString>("answer");
        QTest::addColumn<double>("milliseconds");
        QTest::addColumn<bool>("fromAnswer");
        QTest::addRow("critical") << u"critical"_s << 25.0 << true;
        QTest::addRow("important") << u"important"_s << 100.0 << true;
        QTest::addRow("relaxed") << u"relaxed"_s << 250.0 << true;
        QTest::addRow("unsure: the default") << u"unsure"_s << 100.0 << false;
    }

    void latencyTargetFromTheAnswer()
    {
        QFETCH(QString, answer);
        QFETCH(double, milliseconds);
        QFETCH(bool, fromAnswer);
        Answers answers = Answers::unsure(m_scorer->questionnaire());
        answers.setValue(u"performance"_s, answer);
        const Recommendation r = m_scorer->recommend(answers);
        QCOMPARE(r.latencyTarget.milliseconds, milliseconds);
        QCOMPARE(r.latencyTarget.fromAnswer, fromAnswer);
    }

    // Two answer sets side by side.
    void comparison()
    {
        const Recommendation a = m_scorer->recommend(load(u"low-traffic-crud-new-team.json"_s));
        const Recommendation b = m_scorer->recommend(load(u"high-traffic-go-team.json"_s));
        const auto c = sa::advisor::compare(a, u"a.json"_s, b, u"b.json"_s);
        QVERIFY(!c.sameVerdict());
        QVERIFY(c.summary.contains(u"a.json"_s) && c.summary.contains(u"b.json"_s));
        QVERIFY(c.summary.contains(u"Team experience"_s));
        QVERIFY(!c.answers.isEmpty());
        for (const auto &d : c.criteria)
            QVERIFY(d.goA != d.goB || d.pythonA != d.pythonB);
        const auto same = sa::advisor::compare(a, u"a"_s, a, u"a again"_s);
        QVERIFY(same.sameVerdict());
        QVERIFY(same.criteria.isEmpty() && same.answers.isEmpty());
        QCOMPARE(c.toJson().value(u"criteriaThatDiffer"_s).toArray().size(), c.criteria.size());
    }
};

QTEST_APPLESS_MAIN(TestScorer)
#include "tst_scorer.moc"
