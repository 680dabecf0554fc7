// The scorer against profiles drawn from the article's own advice, and the
// properties that keep the verdict honest: every question matters, contributions
// add up, flips really flip.

#include "advisor/scorer.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using sa::advisor::Answers;
using sa::advisor::Question;
using sa::advisor::Recommendation;
using sa::advisor::Scorer;
using sa::advisor::Verdict;

Q_DECLARE_METATYPE(sa::advisor::Verdict)

namespace {

QString profilePath(const QString &name)
{
    return QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/data/") + name + u".json"_s;
}

const QStringList kProfiles { u"high-traffic-go-team"_s, u"ai-mvp-python-team"_s, u"high-traffic-with-ml"_s,
    u"low-traffic-crud-new-team"_s };

// Every answer one question could take instead of `value`.
QList<QJsonValue> alternatives(const Question &question, const QJsonValue &value)
{
    QList<QJsonValue> result;
    switch (question.type) {
    case Question::Type::Number:
        for (const auto &band : question.bands) {
            if (!(value.toDouble() >= double(band.min) && value.toDouble() <= double(band.max)))
                result << double(band.min);
        }
        break;
    case Question::Type::Choice:
        for (const auto &option : question.options) {
            if (option.id != value.toString())
                result << option.id;
        }
        break;
    case Question::Type::Multi:
        for (const auto &option : question.options) {
            QJsonArray ids = value.toArray();
            if (ids.contains(QJsonValue(option.id)))
                continue;
            ids.append(option.id);
            result << ids;
        }
        result << QJsonArray();
        break;
    }
    return result;
}

} // namespace

class TestScorer final : public QObject
{
    Q_OBJECT

private:
    std::optional<Scorer> m_scorer;

    Answers loadProfile(const QString &name)
    {
        QString error;
        const std::optional<Answers> answers
            = Answers::load(profilePath(name), m_scorer->questionnaire(), &error);
        if (!answers)
            qFatal("%s", qPrintable(error));
        return *answers;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_scorer = Scorer::fromResources(&error);
        QVERIFY2(m_scorer, qPrintable(error));
    }

    void profiles_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<Verdict>("verdict");
        QTest::addColumn<QString>("explanationQuote");
        // The article: "Your API needs to handle more than 10,000 requests per second",
        // "microservices", and a team that knows Go.
        QTest::addRow("high-traffic microservice API, Go team")
            << u"high-traffic-go-team"_s << Verdict::Go << u"handle a lot of traffic"_s;
        // "Your app includes AI, machine learning…", "You're building an MVP", "already knows Python".
        QTest::addRow("AI/ML MVP, Python team")
            << u"ai-mvp-python-team"_s << Verdict::Python << u"AI feature"_s;
        // "They use Python to build the product. Then they use Go for parts that handle a lot of traffic."
        QTest::addRow("high traffic that also needs ML")
            << u"high-traffic-with-ml"_s << Verdict::Hybrid << u"Python to build the product"_s;
        // "For most startups and midsize apps, Python's performance is enough"; "New developers pick it up
        // fast."
        QTest::addRow("low-traffic CRUD, team new to both")
            << u"low-traffic-crud-new-team"_s << Verdict::Python << u"Python’s performance is enough"_s;
    }

    void profiles()
    {
        QFETCH(QString, profile);
        QFETCH(Verdict, verdict);
        QFETCH(QString, explanationQuote);
        const Recommendation recommendation = m_scorer->recommend(loadProfile(profile));
        QCOMPARE(recommendation.verdict, verdict);
        QVERIFY2(
            recommendation.explanation.contains(explanationQuote), qPrintable(recommendation.explanation));
        QVERIFY(recommendation.goScore >= 0 && recommendation.goScore <= 100);
        QVERIFY(recommendation.pythonScore >= 0 && recommendation.pythonScore <= 100);
        QCOMPARE(recommendation.margin, std::abs(recommendation.goScore - recommendation.pythonScore));
        QVERIFY(!recommendation.relevantRows.isEmpty());
        QCOMPARE(recommendation.decisionTable.size(), 6);
        QCOMPARE(recommendation.answers.size(), m_scorer->questionnaire().questions().size());
        QVERIFY2(!recommendation.flips.isEmpty() || recommendation.closest,
            "either a flip or the closest change must be reported");
    }

    void lowTrafficNewTeamFavoursPythonOnLearningCurve()
    {
        const Recommendation recommendation
            = m_scorer->recommend(loadProfile(u"low-traffic-crud-new-team"_s));
        bool checked = false;
        for (const auto &contribution : recommendation.contributions) {
            if (contribution.criterionId == u"team"_s) {
                QVERIFY(contribution.python > contribution.go);
                QVERIFY(contribution.quotes.contains(
                    u"Python reads almost like plain English. New developers pick it up fast."_s));
                checked = true;
            }
        }
        QVERIFY(checked);
        QVERIFY(recommendation.isRowRelevant(u"team-learning-curve"_s));
        QVERIFY(!recommendation.isRowRelevant(u"high-traffic-api"_s));
    }

    void contributionsAddUpToScores_data()
    {
        QTest::addColumn<QString>("profile");
        for (const QString &profile : kProfiles)
            QTest::addRow("%s", qPrintable(profile)) << profile;
    }

    void contributionsAddUpToScores()
    {
        QFETCH(QString, profile);
        const Recommendation recommendation = m_scorer->recommend(loadProfile(profile));
        double go = 0;
        double python = 0;
        double weight = 0;
        for (const auto &contribution : recommendation.contributions) {
            go += contribution.go;
            python += contribution.python;
            weight += contribution.weight;
            QVERIFY2(!contribution.reasons.isEmpty() && !contribution.reasons.constFirst().isEmpty(),
                qPrintable(contribution.criterionId));
            QVERIFY(!contribution.questionIds.isEmpty());
        }
        QVERIFY(qAbs(go - recommendation.goScore) < 1e-9);
        QVERIFY(qAbs(python - recommendation.pythonScore) < 1e-9);
        QVERIFY(qAbs(weight - 100) < 1e-6);
    }

    void everyQuestionMovesSomeScore_data()
    {
        QTest::addColumn<QString>("questionId");
        QString error;
        const auto scorer = Scorer::fromResources(&error);
        QVERIFY2(scorer, qPrintable(error));
        for (const Question &question : scorer->questionnaire().questions())
            QTest::addRow("%s", qPrintable(question.id)) << question.id;
    }

    void everyQuestionMovesSomeScore()
    {
        QFETCH(QString, questionId);
        const Question *question = m_scorer->questionnaire().question(questionId);
        QVERIFY(question);
        // From the defaults and from every profile, some other answer must move a score.
        QList<Answers> starts { Answers::defaults(m_scorer->questionnaire()) };
        for (const QString &profile : kProfiles)
            starts << loadProfile(profile);
        for (const Answers &start : starts) {
            const Recommendation before = m_scorer->recommend(start);
            bool moved = false;
            for (const QJsonValue &value : alternatives(*question, start.value(questionId))) {
                Answers changed = start;
                changed.setValue(questionId, value);
                QString error;
                QVERIFY2(changed.validate(m_scorer->questionnaire(), &error), qPrintable(error));
                const Recommendation after = m_scorer->recommend(changed);
                moved = moved || after.goScore != before.goScore || after.pythonScore != before.pythonScore;
            }
            QVERIFY2(moved, qPrintable(u"no answer to %1 moves any score"_s.arg(questionId)));
        }
    }

    void flipsReallyFlip_data()
    {
        QTest::addColumn<QString>("profile");
        for (const QString &profile : kProfiles)
            QTest::addRow("%s", qPrintable(profile)) << profile;
    }

    void flipsReallyFlip()
    {
        QFETCH(QString, profile);
        const Answers answers = loadProfile(profile);
        const Recommendation recommendation = m_scorer->recommend(answers);
        for (qsizetype i = 1; i < recommendation.flips.size(); ++i)
            QVERIFY(recommendation.flips.at(i - 1).size <= recommendation.flips.at(i).size); // smallest first
        for (const auto &flip : recommendation.flips) {
            QCOMPARE(answers.value(flip.questionId), flip.fromValue);
            Answers changed = answers;
            changed.setValue(flip.questionId, flip.toValue);
            QString error;
            QVERIFY2(changed.validate(m_scorer->questionnaire(), &error), qPrintable(error));
            const Recommendation after = m_scorer->recommend(changed);
            QVERIFY(after.verdict != recommendation.verdict);
            QCOMPARE(after.verdict, flip.verdict);
            QVERIFY(flip.sentence.contains(sa::advisor::verdictName(flip.verdict)));
        }
        if (recommendation.closest) {
            QVERIFY(recommendation.flips.isEmpty());
            Answers changed = answers;
            changed.setValue(recommendation.closest->questionId, recommendation.closest->toValue);
            QCOMPARE(m_scorer->recommend(changed).verdict, recommendation.verdict);
        }
    }

    // The article's threshold, as a flip sentence: a mixed profile that only its peak keeps on Python.
    void peakFlipNamesTheThreshold()
    {
        Answers answers = loadProfile(u"low-traffic-crud-new-team"_s);
        answers.setValue(u"peak-rps"_s, 5000.0);
        answers.setValue(u"architecture"_s, u"microservices"_s);
        answers.setValue(u"deployment"_s, u"cloud-native"_s);
        answers.setValue(u"team"_s, u"both"_s);
        answers.setValue(u"workload"_s, QJsonArray());
        const Recommendation recommendation = m_scorer->recommend(answers);
        QCOMPARE(recommendation.verdict, Verdict::Python);
        const auto it = std::find_if(recommendation.flips.cbegin(), recommendation.flips.cend(),
            [](const auto &flip) { return flip.questionId == u"peak-rps"_s; });
        QVERIFY(it != recommendation.flips.cend());
        QCOMPARE(it->verdict, Verdict::Go);
        QCOMPARE(it->toValue.toDouble(), 10001.0); // the smallest change: just above the threshold
        QVERIFY2(it->sentence.startsWith(u"If your peak were above 10,000 req/s, the verdict would be Go"_s),
            qPrintable(it->sentence));
    }

    // Hybrid exactly when the documented rule holds.
    void hybridRuleAsDocumented()
    {
        const auto &rule = m_scorer->questionnaire().hybridRule();
        for (const QString &profile : kProfiles) {
            const Recommendation r = m_scorer->recommend(loadProfile(profile));
            double goNeed = 0;
            double pythonNeed = 0;
            for (const auto &contribution : r.contributions) {
                if (rule.goNeeds.contains(contribution.criterionId))
                    goNeed = std::max(goNeed, contribution.go);
                if (rule.pythonNeeds.contains(contribution.criterionId))
                    pythonNeed = std::max(pythonNeed, contribution.python);
            }
            const bool hybrid = r.goScore >= rule.minScore && r.pythonScore >= rule.minScore
                && r.margin <= rule.maxGap && goNeed >= rule.minNeedPoints
                && pythonNeed >= rule.minNeedPoints;
            QCOMPARE(r.verdict == Verdict::Hybrid, hybrid);
            if (!hybrid)
                QCOMPARE(r.verdict, r.goScore > r.pythonScore ? Verdict::Go : Verdict::Python);
        }
    }

    void jsonIsSelfDescribing()
    {
        const Recommendation recommendation = m_scorer->recommend(loadProfile(u"high-traffic-with-ml"_s));
        const QJsonObject json = recommendation.toJson();
        QCOMPARE(json.value(u"format"_s).toString(), u"stackadvisor-recommendation"_s);
        QCOMPARE(json.value(u"verdict"_s).toString(), u"Hybrid"_s);
        QVERIFY(json.value(u"scores"_s).toObject().contains(u"go"_s));
        QVERIFY(json.value(u"scores"_s).toObject().contains(u"python"_s));
        QVERIFY(json.value(u"margin"_s).isDouble());
        const QJsonArray contributions = json.value(u"contributions"_s).toArray();
        QCOMPARE(contributions.size(), recommendation.contributions.size());
        for (const QJsonValue &contribution : contributions) {
            const QJsonObject object = contribution.toObject();
            QVERIFY(!object.value(u"criterion"_s).toString().isEmpty());
            QVERIFY(!object.value(u"reasons"_s).toArray().isEmpty());
        }
        const QJsonArray flips = json.value(u"flips"_s).toArray();
        QVERIFY(!flips.isEmpty());
        QVERIFY(flips.at(0).toObject().contains(u"to"_s));
        QVERIFY(!flips.at(0).toObject().value(u"sentence"_s).toString().isEmpty());
        const QJsonArray rows = json.value(u"decisionTable"_s).toArray();
        QCOMPARE(rows.size(), 6);
        int relevant = 0;
        for (const QJsonValue &row : rows)
            relevant += row.toObject().value(u"relevant"_s).toBool() ? 1 : 0;
        QCOMPARE(relevant, recommendation.relevantRows.size());
        // The copy-error note travels with the row.
        QVERIFY(rows.at(5).toObject().value(u"python"_s).toObject().contains(u"note"_s));
    }
};

QTEST_APPLESS_MAIN(TestScorer)
#include "tst_scorer.moc"
