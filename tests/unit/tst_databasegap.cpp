// The JSON vs database figure (DatabaseGap, read by RunAnalysis) and the
// "the bottleneck is usually the database" claim row, from constructed runs:
// each target's database req/s beside its JSON req/s, the Go/Python ratio per
// scenario beside the JSON one at the same connections, what remains of Go's
// lead, the verdict in words, the database columns of the table, and the
// Advisor's traffic criterion citing the figure.

#include "advisor/scorer.h"
#include "bench/claimcheck.h"
#include "bench/format.h"
#include "bench/runanalysis.h"

#include <QFile>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace sa::bench;

namespace {

TargetResult cell(
    const QString &id, const QString &language, Scenario scenario, double rps, int connections = 256)
{
    TargetResult t;
    t.targetId = id;
    t.displayName = language + u" · "_s + id;
    t.language = language;
    t.status = TargetStatus::Completed;
    t.scenario = scenario;
    t.connections = connections;
    t.durationSeconds = 5;
    t.requestsPerSecond = rps;
    t.requests = qint64(rps * 5);
    t.latency.p99Us = 12000;
    t.memory.peakPssBytes = 30LL << 20;
    t.cpuPercentMean = 98;
    t.serverCpus = u"0"_s;
    t.loadCpus = u"1"_s;
    if (isDatabaseScenario(scenario)) {
        DatabaseCellStats database;
        database.cpuPercentMean = 61.5;
        database.peakPssBytes = 48LL << 20;
        database.client = DatabaseClientInfo { u"pgx"_s, u"v5.7.5"_s, u"pgxpool"_s, 4, 1, u"default"_s };
        t.database = database;
    }
    return t;
}

// Two Go and two Python servers; rps per scenario: json, db, queries, fortunes.
RunResult sampleRun(double goDb, double pyDb, double goFortunes, double pyFortunes)
{
    struct Server
    {
        const char *id;
        const char *language;
        double json, db, queries, fortunes;
    };
    const Server servers[] = {
        { "go-a", "Go", 40000, goDb, 2000, goFortunes },
        { "go-b", "Go", 40000, goDb, 2000, goFortunes },
        { "py-a", "Python", 8000, pyDb, 1000, pyFortunes },
        { "py-b", "Python", 8000, pyDb, 1000, pyFortunes },
    };
    RunResult run;
    run.plan.scenarios = { Scenario::Json, Scenario::Db, Scenario::Queries, Scenario::Fortunes };
    run.plan.connectionLevels = { 256 };
    run.plan.queriesN = 20;
    for (const Server &s : servers) {
        const QString id = QLatin1String(s.id);
        const QString language = QLatin1String(s.language);
        run.targets << cell(id, language, Scenario::Json, s.json) << cell(id, language, Scenario::Db, s.db)
                    << cell(id, language, Scenario::Queries, s.queries)
                    << cell(id, language, Scenario::Fortunes, s.fortunes);
    }
    return run;
}

const ClaimRow *claimRow(const RunAnalysis &analysis, const QString &id)
{
    for (const ClaimRow &row : analysis.claims()) {
        if (row.id == id)
            return &row;
    }
    return nullptr;
}

std::optional<ClaimCheck> articleClaims()
{
    QString error;
    auto check = ClaimCheck::load(
        QStringLiteral(STACKADVISOR_SOURCE_DIR "/resources/claims/article-2026.json"), &error);
    if (!check)
        qWarning("%s", qPrintable(error));
    return check;
}

} // namespace

class TestDatabaseGap : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void perTargetAndPerScenario()
    {
        // JSON: Go 5×. db: 12,000 vs 6,000 = 2×; fortunes 9,000 vs 4,500 = 2×; queries 2×.
        const RunAnalysis a = RunAnalysis::analyse(sampleRun(12000, 6000, 9000, 4500), nullptr);
        const DatabaseGap &gap = a.databaseGap();
        QVERIFY(!gap.isEmpty());
        QCOMPARE(gap.targets().size(), 4);
        const TargetDatabaseFigures &goA = gap.targets().at(0);
        QCOMPARE(goA.targetId, u"go-a"_s);
        QCOMPARE(goA.connections, 256);
        QCOMPARE(goA.jsonCell, 0);
        QCOMPARE(goA.jsonRequestsPerSecond, 40000.0);
        QCOMPARE(goA.database.size(), 3);
        QCOMPARE(goA.database.at(0).scenario, Scenario::Db);
        QCOMPARE(goA.database.at(1).scenario, Scenario::Queries);
        QCOMPARE(goA.database.at(2).scenario, Scenario::Fortunes);
        QCOMPARE(goA.entry(Scenario::Db)->cell, 1);
        QCOMPARE(goA.entry(Scenario::Db)->shareOfJson, 0.3);
        QCOMPARE(gap.targets().at(2).entry(Scenario::Fortunes)->shareOfJson, 4500.0 / 8000.0);

        QCOMPARE(gap.scenarios().size(), 3);
        const ScenarioGap *db = gap.scenario(Scenario::Db);
        QVERIFY(db);
        QCOMPARE(db->json.ratio, 5.0);
        QCOMPARE(db->database.ratio, 2.0);
        QCOMPARE(db->database.connections, 256);
        QCOMPARE(db->database.numeratorCells, (QList<int> { 1, 5 }));
        QCOMPARE(db->database.denominatorCells, (QList<int> { 9, 13 }));
        QCOMPARE(db->remainingLead(), 0.25); // (2 − 1) / (5 − 1)
        QCOMPARE(gap.measuredScenarios().size(), 3);

        const QString summary = gap.summary();
        QVERIFY2(
            summary.contains(u"With PostgreSQL in the loop, Go served 2.00× with one query per request"_s),
            qPrintable(summary));
        QVERIFY2(summary.contains(u"2.00× with 20 queries per request"_s), qPrintable(summary));
        QVERIFY2(summary.contains(u"5.00×"_s) && summary.contains(u"256 connections"_s), qPrintable(summary));
        QVERIFY2(summary.contains(u"25 % of it remains with one query per request"_s), qPrintable(summary));

        // The table every view renders, and the CLI's text of it.
        const DatabaseGapTable table = gap.table();
        QCOMPARE(table.header.size(), 3 + 2 * 3);
        QCOMPARE(table.header.at(3), u"Single query req/s"_s);
        QCOMPARE(table.rows.at(0).at(0), u"Go · go-a"_s);
        QCOMPARE(table.rows.at(0).at(2), u"40,000"_s);
        QCOMPARE(table.rows.at(0).at(3), u"12,000"_s);
        QCOMPARE(table.rows.at(0).at(4), u"30 %"_s);
        QCOMPARE(table.raw.at(0).at(4).toDouble(), 0.3);
        QCOMPARE(gap.table(true).rows.at(0).at(0), u"go-a"_s);
        const QString text = gap.toText();
        QVERIFY2(text.contains(u"go-a"_s) && text.contains(u"12,000"_s) && text.contains(summary),
            qPrintable(text));
    }

    void onlyComparableCellsCount()
    {
        RunResult run = sampleRun(12000, 6000, 9000, 4500);
        // A Python db cell that failed and one without a JSON baseline.
        run.targets[9].status = TargetStatus::Failed;
        run.targets[9].failureReason = u"answered 503"_s;
        run.targets[12].status = TargetStatus::Failed; // py-b json
        run.targets[12].failureReason = u"crashed"_s;
        const RunAnalysis a = RunAnalysis::analyse(run, nullptr);
        const DatabaseGap &gap = a.databaseGap();
        const ScenarioGap *db = gap.scenario(Scenario::Db);
        QCOMPARE(db->database.denominatorCells, QList<int> { 13 });
        QCOMPARE(db->json.denominatorCells, QList<int> { 8 });
        const TargetDatabaseFigures &pyB = gap.targets().at(3);
        QCOMPARE(pyB.targetId, u"py-b"_s);
        QCOMPARE(pyB.jsonCell, -1);
        QCOMPARE(pyB.entry(Scenario::Db)->shareOfJson, 0.0);
        QCOMPARE(gap.table().rows.at(3).at(2), sa::fmt::none());
    }

    void noDatabaseCellsNoGap()
    {
        RunResult run = sampleRun(12000, 6000, 9000, 4500);
        QList<TargetResult> json;
        for (const TargetResult &t : run.targets) {
            if (t.scenario == Scenario::Json)
                json << t;
        }
        run.targets = json;
        const RunAnalysis a = RunAnalysis::analyse(run, nullptr);
        QVERIFY(a.databaseGap().isEmpty());
        QVERIFY(a.databaseGap().summary().isEmpty());
        QVERIFY(a.databaseGap().toText().isEmpty());
        // Nor database columns in the CLI's and the PDF's tables.
        for (const ResultColumn &c : resultColumns(ResultView::Cli, a))
            QVERIFY2(!c.key.startsWith(u"database_"_s), qPrintable(c.key));
        QVERIFY(!a.tableText().contains(u"DB CPU"_s));
    }

    void databaseColumns()
    {
        const RunAnalysis a = RunAnalysis::analyse(sampleRun(12000, 6000, 9000, 4500), nullptr);
        QStringList keys;
        for (const ResultColumn &c : resultColumns(ResultView::Cli, a))
            keys << c.key;
        QVERIFY(keys.contains(u"database_cpu_percent_mean"_s));
        QVERIFY(keys.contains(u"database_peak_pss_bytes"_s));
        QVERIFY(keys.contains(u"workers"_s));
        const QString text = a.tableText();
        QVERIFY2(text.contains(u"DB CPU %"_s) && text.contains(u"DB peak PSS MiB"_s), qPrintable(text));
        QVERIFY2(text.contains(u"  62  "_s) && text.contains(u"48.0"_s), qPrintable(text));
        // The labels say whose process tree each figure is.
        for (const ResultColumn &c : resultColumns(ResultView::Gui)) {
            if (c.key == u"database_cpu_percent_mean"_s)
                QVERIFY2(c.toolTip.contains(u"PostgreSQL's whole process tree"_s), qPrintable(c.toolTip));
            if (c.key == u"cpu_percent_mean"_s)
                QVERIFY2(c.toolTip.startsWith(u"Server CPU"_s), qPrintable(c.toolTip));
        }
        // A JSON cell has none of them; the CSV has every column.
        const QString csv = a.toCsv();
        QVERIFY(csv.section(u"\r\n"_s, 0, 0).contains(u"database_cpu_percent_mean"_s));
        QVERIFY(csv.section(u"\r\n"_s, 0, 0).contains(u"database_client"_s));
        QVERIFY2(csv.contains(u"pgx v5.7.5, pgxpool: 4 connections × 1 pool(s)"_s), qPrintable(csv));
    }

    void bottleneckClaim_data()
    {
        QTest::addColumn<double>("goDb");
        QTest::addColumn<double>("pyDb");
        QTest::addColumn<double>("goFortunes");
        QTest::addColumn<double>("pyFortunes");
        QTest::addColumn<QString>("verdict");
        QTest::addColumn<QString>("words");
        QTest::addRow("gap narrowed, not closed")
            << 12000.0 << 6000.0 << 9000.0 << 4500.0 << u"does-not-hold"_s
            << u"the database narrowed the gap (25 % of Go's JSON lead remains) but did not close it"_s;
        QTest::addRow("parity: the database sets the pace")
            << 6600.0 << 6000.0 << 4500.0 << 4500.0 << u"holds"_s
            << u"the database, not the language, set the pace"_s;
        QTest::addRow("not narrowed") << 60000.0 << 6000.0 << 45000.0 << 4500.0 << u"does-not-hold"_s
                                      << u"the database did not narrow the gap"_s;
    }

    void bottleneckClaim()
    {
        QFETCH(double, goDb);
        QFETCH(double, pyDb);
        QFETCH(double, goFortunes);
        QFETCH(double, pyFortunes);
        QFETCH(QString, verdict);
        QFETCH(QString, words);
        const auto claims = articleClaims();
        QVERIFY(claims);
        const RunAnalysis a = RunAnalysis::analyse(sampleRun(goDb, pyDb, goFortunes, pyFortunes), &*claims);
        const ClaimRow *row = claimRow(a, u"database.bottleneck"_s);
        QVERIFY(row);
        QCOMPARE(row->kind, ClaimKind::DatabaseGap);
        QCOMPARE(claimVerdictId(row->verdict), verdict);
        QVERIFY2(row->explanation.contains(words), qPrintable(row->explanation));
        QVERIFY2(
            row->explanation.contains(u"against 5.00× for the in-process JSON API in the same run at 256 "
                                      "connections"_s),
            qPrintable(row->explanation));
        QVERIFY(row->quote.contains(u"The bottleneck is usually the database"_s));
        QCOMPARE(row->claimed.text, u"≈ 1× (parity)"_s);
        QVERIFY2(row->measured.text.startsWith(u"db "_s) && row->measured.text.contains(u"fortunes "_s)
                && row->measured.text.contains(u"(json 5.00×)"_s),
            qPrintable(row->measured.text));
        // Built on the db and fortunes cells and the JSON ones, not on queries.
        QVERIFY(row->cellIndices.contains(1) && row->cellIndices.contains(3) && row->cellIndices.contains(0));
        QVERIFY(!row->cellIndices.contains(2));
        // The 8–10× row is still the Go-vs-Python claim.
        QVERIFY(a.goVsPython());
        QCOMPARE(a.goVsPython()->kind, ClaimKind::Ratio);
        // The CLI's claim text explains it.
        QVERIFY(ClaimCheck::toText(a.claims()).contains(row->explanation));
    }

    void bottleneckClaimNeedsBothSides()
    {
        const auto claims = articleClaims();
        QVERIFY(claims);
        RunResult run = sampleRun(12000, 6000, 9000, 4500);
        QList<TargetResult> kept;
        for (const TargetResult &t : run.targets) {
            if (t.scenario != Scenario::Json)
                kept << t;
        }
        run.targets = kept; // database cells only: no JSON baseline
        const RunAnalysis a = RunAnalysis::analyse(run, &*claims);
        const ClaimRow *row = claimRow(a, u"database.bottleneck"_s);
        QVERIFY(row);
        QCOMPARE(row->verdict, ClaimVerdict::NotMeasured);
        QVERIFY2(row->explanation.contains(u"--scenario json,db,fortunes"_s), qPrintable(row->explanation));
    }

    void advisorCitesTheDatabaseRatio()
    {
        QString error;
        const auto scorer = sa::advisor::Scorer::fromResources(&error);
        QVERIFY2(scorer, qPrintable(error));
        const auto answers = sa::advisor::Answers::load(
            QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/data/high-traffic-go-team.json"),
            scorer->questionnaire(), &error);
        QVERIFY2(answers, qPrintable(error));
        const auto reasonsOf = [](const sa::advisor::Recommendation &r) {
            for (const sa::advisor::Contribution &c : r.contributions) {
                if (c.decisionRow == u"high-traffic-api"_s)
                    return c.reasons;
            }
            return QStringList {};
        };
        const auto recommendFor = [&](const RunResult &run) {
            const RunAnalysis analysis = RunAnalysis::analyse(run, nullptr);
            return scorer->recommend(
                *answers, scorer->evidenceFor(&analysis), scorer->capacityModel().defaultCost());
        };
        const RunResult run = sampleRun(12000, 6000, 9000, 4500);
        const QString gap = RunAnalysis::analyse(run, nullptr).databaseGap().summary();
        QVERIFY(!gap.isEmpty());
        const QStringList with = reasonsOf(recommendFor(run));
        QVERIFY2(std::any_of(with.cbegin(), with.cend(), [&](const QString &r) { return r.contains(gap); }),
            qPrintable(with.join(u'\n')));

        // A run without database cells cites none: one reason fewer, the rest the same.
        RunResult jsonOnly = run;
        jsonOnly.targets.clear();
        for (const TargetResult &t : run.targets) {
            if (t.scenario == Scenario::Json)
                jsonOnly.targets << t;
        }
        const QStringList without = reasonsOf(recommendFor(jsonOnly));
        QCOMPARE(without.size(), with.size() - 1);
        QVERIFY(std::none_of(
            without.cbegin(), without.cend(), [](const QString &r) { return r.contains(u"PostgreSQL"_s); }));
    }

    void claimFileErrors_data()
    {
        QTest::addColumn<QByteArray>("claim");
        QTest::addColumn<QString>("expected");
        QTest::addRow("no scenarios")
            << QByteArray(R"({"id":"x","kind":"database-gap","numerator":{"language":"Go"},
            "denominator":{"language":"Python"}})")
            << u"needs 'scenarios'"_s;
        QTest::addRow("not a database scenario")
            << QByteArray(R"({"id":"x","kind":"database-gap","numerator":{"language":"Go"},
            "denominator":{"language":"Python"},"scenarios":["json"]})")
            << u"must be database scenarios"_s;
        QTest::addRow("a server, not a language")
            << QByteArray(R"({"id":"x","kind":"database-gap","numerator":{"serverId":"go-gin"},
            "denominator":{"language":"Python"},"scenarios":["db"]})")
            << u"names a language on each side"_s;
    }

    void claimFileErrors()
    {
        QFETCH(QByteArray, claim);
        QFETCH(QString, expected);
        QFile file(QStringLiteral(STACKADVISOR_SOURCE_DIR "/resources/claims/article-2026.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray json = file.readAll();
        const QByteArray with = QByteArray("\"claims\": [") + claim + ',';
        json.replace(QByteArray("\"claims\": ["), with);
        QString error;
        QVERIFY(!ClaimCheck::fromJson(json, &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestDatabaseGap)
#include "tst_databasegap.moc"
