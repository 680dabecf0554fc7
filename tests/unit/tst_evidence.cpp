// The evidence the capacity criterion reads: the article's table as published
// figures (with the cores assumed behind them), a benchmark run's cells as
// measured figures, the fallback when a run lacks a stack, and the cores,
// servers and cost at the stated peak that follow from them.

#include "advisor/capacity.h"
#include "advisor/evidence.h"
#include "advisor/runcapacityevidence.h"
#include "advisor/scorer.h"

#include "bench/runanalysis.h"

#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using sa::advisor::Answers;
using sa::advisor::CapacityEvidence;
using sa::advisor::Provenance;
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
    t.framework = id.section(u'-', 1);
    t.scenario = scenario;
    t.connections = connections;
    t.status = status;
    t.requestsPerSecond = rps;
    t.durationSeconds = 1;
    t.requests = qint64(rps);
    t.workers = 1;
    t.serverCpus = u"1"_s;
    return t;
}

RunResult run7(const QList<TargetResult> &targets)
{
    RunResult run;
    run.id = 7;
    run.startedAt = QDateTime(QDate(2026, 11, 27), QTime(2, 0), Qt::UTC);
    run.targets = targets;
    return run;
}

} // namespace

class TestEvidence : public QObject
{
    Q_OBJECT

private:
    std::optional<Scorer> m_scorer;

    Answers load(const QString &profile)
    {
        QString error;
        const std::optional<Answers> answers
            = Answers::load(QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/data/") + profile + u".json"_s,
                m_scorer->questionnaire(), &error);
        if (!answers)
            qFatal("answers: %s", qPrintable(error));
        return *answers;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_scorer = Scorer::fromResources(&error);
        QVERIFY2(m_scorer, qPrintable(error));
    }

    void statedPeakComesFromTheAnswers()
    {
        const Recommendation r = m_scorer->recommend(load(u"high-traffic-go-team"_s));
        QVERIFY(sa::advisor::statedPeak(r) > 10000);
        QCOMPARE(sa::advisor::statedPeak(Recommendation {}), 0.0);
        const Recommendation unsure = m_scorer->recommend(Answers::unsure(m_scorer->questionnaire()));
        QCOMPARE(sa::advisor::statedPeak(unsure), 0.0);
        QVERIFY(!unsure.capacity.peak);
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
        const sa::bench::RunAnalysis analysis = sa::bench::RunAnalysis::analyse(run7(targets), nullptr);
        const QList<const sa::bench::CellAnalysis *> fastest = analysis.fastestPerLanguage();
        QCOMPARE(fastest.size(), 2);
        QCOMPARE(analysis.result(*fastest[0]).targetId, u"go-fiber"_s);
        QCOMPARE(analysis.result(*fastest[1]).targetId, u"python-fastapi"_s);
        QVERIFY(sa::bench::RunAnalysis::analyse(run7({}), nullptr).fastestPerLanguage().isEmpty());
    }

    // Without a run: the article's table, labelled published, its hardware assumed.
    void publishedEvidenceIsTheArticlesTable()
    {
        const CapacityEvidence &published = m_scorer->capacityModel().published();
        QCOMPARE(published.provenance, Provenance::Published);
        QCOMPARE(published.label, u"published, not measured here"_s);
        QVERIFY(published.isComplete());
        const auto *go = published.stack(u"Go");
        const auto *python = published.stack(u"Python");
        QVERIFY(go && python && published.stack(u"JavaScript"));
        QCOMPARE(go->server, u"Go (Gin)"_s);
        QCOMPARE(go->requestsPerSecond, 95000.0);
        QCOMPARE(python->requestsPerSecond, 12000.0);
        QCOMPARE(go->serverCores, 4.0);
        QCOMPARE(go->coresProvenance, Provenance::Assumed);
        QCOMPARE(go->requestsPerCore, 95000.0 / 4);
        QCOMPARE(go->throughput, sa::advisor::Throughput::Saturated);
        QVERIFY2(go->source.contains(u"hardware not stated"_s), qPrintable(go->source));
        QVERIFY(published.note.contains(u"4 server cores is assumed"_s));
        // The recommendation carries it when no run is given.
        const Recommendation r = m_scorer->recommend(load(u"high-traffic-go-team"_s));
        QCOMPARE(r.capacity.evidence.label, published.label);
        QCOMPARE(r.capacity.cost.priceLabel, u"illustrative"_s);
        QVERIFY(!r.capacity.cost.priceSource.isEmpty());
        QCOMPARE(r.capacity.cost.coresPerServerLabel, u"assumed"_s);
    }

    // With a run: requests per server core of the fastest comparable cell per language.
    void runEvidenceIsMeasured()
    {
        QList<TargetResult> targets { cell(u"go-fiber"_s, u"Go"_s, 52000),
            cell(u"python-fastapi"_s, u"Python"_s, 5200), cell(u"node-express"_s, u"JavaScript"_s, 20000) };
        targets[1].serverCpus = u"0-1"_s; // two cores: per core is half
        const CapacityEvidence e = sa::advisor::capacityEvidenceFromRun(
            sa::bench::RunAnalysis::analyse(run7(targets), nullptr), m_scorer->capacityModel());
        QCOMPARE(e.provenance, Provenance::Measured);
        QCOMPARE(e.label, u"measured here"_s);
        QVERIFY(e.fallbackReason.isEmpty());
        QCOMPARE(e.stacks.size(), 3);
        QCOMPARE(e.stacks.at(0).stack, u"Go"_s); // the verdict's two stacks first
        QCOMPARE(e.stacks.at(1).stack, u"Python"_s);
        QCOMPARE(e.stack(u"Go")->requestsPerCore, 52000.0);
        QCOMPARE(e.stack(u"Python")->serverCores, 2.0);
        QCOMPARE(e.stack(u"Python")->requestsPerCore, 2600.0);
        QCOMPARE(e.stack(u"Go")->targetId, u"go-fiber"_s);
        const QString source = e.stack(u"Go")->source;
        QVERIFY2(source.contains(u"run 7 of 2026-11-27"_s) && source.contains(u"52,000 req/s"_s)
                && source.contains(u"1 server core"_s) && source.contains(u"closed loop"_s),
            qPrintable(source));
    }

    void runWithoutPythonFallsBackToTheArticle()
    {
        const RunResult run = run7({ cell(u"go-fiber"_s, u"Go"_s, 52000),
            cell(u"python-fastapi"_s, u"Python"_s, 5200, Scenario::Json, 1000, TargetStatus::Failed) });
        const CapacityEvidence e = sa::advisor::capacityEvidenceFromRun(
            sa::bench::RunAnalysis::analyse(run, nullptr), m_scorer->capacityModel());
        QCOMPARE(e.provenance, Provenance::Published);
        QVERIFY2(e.fallbackReason.contains(u"no comparable Python cell"_s), qPrintable(e.fallbackReason));
        const Recommendation r = m_scorer->recommend(
            load(u"high-traffic-go-team"_s), e, m_scorer->capacityModel().defaultCost());
        QCOMPARE(r.capacity.evidence.fallbackReason, e.fallbackReason);
        QVERIFY(r.toText().contains(e.fallbackReason));
    }

    // The cores and cost follow from the run's figures, and the criterion scores them.
    void capacityFollowsFromTheRun()
    {
        const Answers answers = load(u"high-traffic-with-ml"_s); // 30,000 req/s
        const RunResult run
            = run7({ cell(u"go-fiber"_s, u"Go"_s, 15000), cell(u"python-fastapi"_s, u"Python"_s, 1500) });
        const sa::bench::RunAnalysis analysis = sa::bench::RunAnalysis::analyse(run, nullptr);
        const CapacityEvidence evidence = m_scorer->evidenceFor(&analysis);
        const Recommendation measured
            = m_scorer->recommend(answers, evidence, m_scorer->capacityModel().defaultCost());
        const Recommendation published = m_scorer->recommend(answers);
        const auto *go = measured.capacity.stack(u"Go");
        const auto *python = measured.capacity.stack(u"Python");
        QVERIFY(go && python);
        QCOMPARE(go->coresNeeded, 30000.0 / 15000);
        QCOMPARE(python->coresNeeded, 30000.0 / 1500);
        QCOMPARE(python->servers, 3); // 20 cores on 8-core servers
        const double price = m_scorer->capacityModel().defaultCost().pricePerVcpuMonth;
        QCOMPARE(python->monthlyCost, 20 * price);
        QCOMPARE(measured.capacity.extraCores, 18.0);
        QCOMPARE(measured.capacity.extraMonthlyCost, 18 * price);
        // Scored, not only cited: 18 extra cores weigh more than the article's 8.7 at this peak.
        QVERIFY(measured.contribution(u"traffic"_s)->go > published.contribution(u"traffic"_s)->go);
        const QString why = measured.contribution(u"traffic"_s)->reason();
        QVERIFY2(
            why.contains(u"Measured: Go · go-fiber, run 7 of 2026-11-27: 15,000 req/s"_s), qPrintable(why));
        QVERIFY(why.contains(u"figures measured here"_s));
        QCOMPARE(measured.capacity.evidence.provenance, Provenance::Measured);
    }

    void estimateArithmetic()
    {
        CapacityEvidence evidence;
        for (const auto &[stack, perCore] :
            { std::pair { u"Go"_s, 10000.0 }, std::pair { u"Python"_s, 2000.0 } }) {
            sa::advisor::StackEvidence e;
            e.stack = stack;
            e.server = stack;
            e.requestsPerSecond = perCore;
            e.serverCores = 1;
            e.requestsPerCore = perCore;
            evidence.stacks << e;
        }
        sa::advisor::CostAssumptions cost;
        cost.pricePerVcpuMonth = 30;
        cost.currency = u"USD"_s;
        cost.coresPerServer = 8;
        const auto estimate
            = sa::advisor::estimateCapacity(20000.0, evidence, cost, 4.0, 10000, u"scaling"_s);
        QCOMPARE(estimate.stacks.size(), 2);
        QCOMPARE(estimate.stacks.at(0).evidence.stack, u"Go"_s); // fewest cores first
        QCOMPARE(estimate.stacks.at(0).coresNeeded, 2.0);
        QCOMPARE(estimate.stacks.at(0).servers, 1);
        QCOMPARE(estimate.stacks.at(0).monthlyCost, 60.0);
        QCOMPARE(estimate.stacks.at(1).coresNeeded, 10.0);
        QCOMPARE(estimate.stacks.at(1).servers, 2);
        QCOMPARE(estimate.stacks.at(1).serversMonthlyCost, 2 * 8 * 30.0);
        QCOMPARE(estimate.extraCores, 8.0);
        QCOMPARE(estimate.extraMonthlyCost, 240.0);
        QCOMPARE(estimate.needFrom, 4.0 / (1 / 2000.0 - 1 / 10000.0)); // 10,000 req/s
        const auto none
            = sa::advisor::estimateCapacity(std::nullopt, evidence, cost, 4.0, 10000, u"scaling"_s);
        QCOMPARE(none.stacks.at(0).coresNeeded, 0.0);
        QVERIFY(!none.peak);
        // A price set by a person is labelled as such; the default keeps its label.
        QCOMPARE(cost.withPrice(45).priceLabel, u"set by you"_s);
        QCOMPARE(cost.withPrice(45).pricePerVcpuMonth, 45.0);
        QCOMPARE(cost.withCoresPerServer(16).coresPerServerLabel, u"set by you"_s);
        QCOMPARE(sa::advisor::formatMoney(1258, u"USD"_s), u"$1,258"_s);
        QCOMPARE(sa::advisor::formatMoney(1258, u"EUR"_s), u"1,258 EUR"_s);
        QCOMPARE(sa::advisor::formatCores(0.001), u"< 0.01"_s);
        QCOMPARE(sa::advisor::formatCores(0.42), u"0.42"_s);
        QCOMPARE(sa::advisor::formatCores(8.33), u"8.3"_s);
    }

    // The price changes the cost shown, not the points.
    void priceChangesCostNotPoints()
    {
        const Answers answers = load(u"high-traffic-go-team"_s);
        const auto &model = m_scorer->capacityModel();
        const Recommendation base = m_scorer->recommend(answers);
        const Recommendation dearer
            = m_scorer->recommend(answers, model.published(), model.defaultCost().withPrice(62));
        QCOMPARE(dearer.goScore, base.goScore);
        QCOMPARE(dearer.verdict, base.verdict);
        QCOMPARE(dearer.capacity.extraMonthlyCost, 2 * base.capacity.extraMonthlyCost);
        QCOMPARE(dearer.capacity.cost.priceLabel, u"set by you"_s);
    }
};

QTEST_APPLESS_MAIN(TestEvidence)
#include "tst_evidence.moc"
