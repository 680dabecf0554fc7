// The evidence a benchmark run adds to a recommendation: the stated peak, the
// fastest comparable cell per language, and the high-traffic criterion citing
// the measured figures (without changing the scores).

#include "advisor/evidence.h"
#include "advisor/scorer.h"

#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using sa::advisor::Answers;
using sa::advisor::Contribution;
using sa::advisor::Recommendation;
using sa::advisor::Scorer;
using sa::bench::RunResult;
using sa::bench::Scenario;
using sa::bench::TargetResult;
using sa::bench::TargetStatus;

namespace {

TargetResult cell(const QString &id, const QString &language, double rps, Scenario scenario = Scenario::Json,
    int connections = 1000, TargetStatus status = TargetStatus::Completed)
{
    TargetResult t;
    t.targetId = id;
    t.displayName = language + u" · "_s + id;
    t.language = language;
    t.scenario = scenario;
    t.connections = connections;
    t.status = status;
    t.requestsPerSecond = rps;
    t.durationSeconds = 1;
    t.requests = qint64(rps);
    return t;
}

Recommendation recommendFor(const QString &profile)
{
    QString error;
    const std::optional<Scorer> scorer = Scorer::fromResources(&error);
    if (!scorer)
        qFatal("questionnaire: %s", qPrintable(error));
    const std::optional<Answers> answers
        = Answers::load(QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/data/") + profile + u".json"_s,
            scorer->questionnaire(), &error);
    if (!answers)
        qFatal("answers: %s", qPrintable(error));
    return scorer->recommend(*answers);
}

const Contribution &traffic(const Recommendation &r)
{
    const auto it = std::find_if(r.contributions.begin(), r.contributions.end(),
        [](const Contribution &c) { return c.decisionRow == u"high-traffic-api"_s; });
    if (it == r.contributions.end())
        qFatal("no high-traffic criterion");
    return *it;
}

} // namespace

class TestEvidence : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void statedPeakComesFromTheAnswers()
    {
        const Recommendation r = recommendFor(u"high-traffic-go-team"_s);
        QVERIFY(sa::advisor::statedPeak(r) > 10000);
        QCOMPARE(sa::advisor::statedPeak(Recommendation {}), 0.0);
    }

    void fastestPerLanguageComparesLikeWithLike()
    {
        const QList<TargetResult> targets {
            cell(u"go-gin"_s, u"Go"_s, 30000),
            cell(u"go-fiber"_s, u"Go"_s, 50000),
            cell(u"go-echo"_s, u"Go"_s, 90000, Scenario::Plaintext), // another scenario: not comparable
            cell(u"python-fastapi"_s, u"Python"_s, 5000),
            cell(u"python-django"_s, u"Python"_s, 9000, Scenario::Json, 100), // another connection count
            cell(u"python-flask"_s, u"Python"_s, 99000, Scenario::Json, 1000, TargetStatus::Failed),
        };
        const QList<TargetResult> fastest = sa::advisor::fastestPerLanguage(targets);
        QCOMPARE(fastest.size(), 2);
        QCOMPARE(fastest[0].targetId, u"go-fiber"_s);
        QCOMPARE(fastest[1].targetId, u"python-fastapi"_s);
        QVERIFY(sa::advisor::fastestPerLanguage({}).isEmpty());
    }

    void trafficCriterionCitesTheRun()
    {
        Recommendation r = recommendFor(u"high-traffic-with-ml"_s);
        const Recommendation before = r;
        RunResult run;
        run.id = 7;
        run.startedAt = QDateTime(QDate(2026, 11, 27), QTime(2, 0), Qt::UTC);
        run.targets = { cell(u"go-fiber"_s, u"Go"_s, 52000), cell(u"python-fastapi"_s, u"Python"_s, 5200) };
        sa::advisor::citeMeasurements(r, run);

        const Contribution &cited = traffic(r);
        QCOMPARE(cited.reasons.size(), traffic(before).reasons.size() + 1);
        const QString sentence = cited.reasons.last();
        QVERIFY2(sentence.contains(u"run 7 of 2026-11-27"_s), qPrintable(sentence));
        QVERIFY2(sentence.contains(u"52,000 req/s"_s) && sentence.contains(u"5,200 req/s"_s),
            qPrintable(sentence));
        QVERIFY2(sentence.contains(u"10.0×"_s) && sentence.contains(u"within the article"_s),
            qPrintable(sentence));
        QVERIFY(cited.reason().contains(u"Measured on this machine"_s));
        // Cited, not scored.
        QCOMPARE(r.goScore, before.goScore);
        QCOMPARE(r.pythonScore, before.pythonScore);
        QCOMPARE(r.verdict, before.verdict);
    }

    void nothingToCiteWithoutBothLanguages()
    {
        Recommendation r = recommendFor(u"high-traffic-go-team"_s);
        const QStringList reasons = traffic(r).reasons;
        RunResult run;
        run.targets = { cell(u"go-fiber"_s, u"Go"_s, 52000),
            cell(u"python-fastapi"_s, u"Python"_s, 5200, Scenario::Json, 1000, TargetStatus::Failed) };
        sa::advisor::citeMeasurements(r, run);
        QCOMPARE(traffic(r).reasons, reasons);
    }
};

QTEST_APPLESS_MAIN(TestEvidence)
#include "tst_evidence.moc"
