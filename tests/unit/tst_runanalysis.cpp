// RunAnalysis: the one reading of a run. Which cells have figures and which can
// be compared, the warnings under one threshold policy, the run's own warnings,
// the fastest cell per language, the column schema every view uses, the CLI's
// text table and the CSV.

#include "bench/format.h"
#include "bench/runanalysis.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace sa::bench;

namespace {

TargetResult cell(
    const QString &id, const QString &language, double rps, TargetStatus status = TargetStatus::Completed)
{
    TargetResult t;
    t.targetId = id;
    t.displayName = language + u" · "_s + id;
    t.language = language;
    t.status = status;
    t.connections = 1000;
    t.durationSeconds = 10;
    t.requestsPerSecond = rps;
    t.requests = qint64(rps * 10);
    t.latency.p50Us = 1234;
    t.latency.p99Us = 25678;
    t.memory.peakPssBytes = 25LL << 20;
    t.memory.idlePssBytes = 12LL << 20;
    t.cpuPercentMean = 99.6;
    t.serverCpus = u"0"_s;
    t.loadCpus = u"1"_s;
    return t;
}

RunResult runOf(const QList<TargetResult> &targets)
{
    RunResult run;
    run.targets = targets;
    return run;
}

const ResultColumn &column(const QString &key)
{
    for (const ResultColumn &c : resultColumns()) {
        if (c.key == key)
            return c;
    }
    qFatal("no column %s", qPrintable(key));
}

} // namespace

class TestRunAnalysis : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The trust rules, one threshold policy (TrustPolicy).
    void warnings_data()
    {
        QTest::addColumn<bool>("saturated");
        QTest::addColumn<qint64>("errors");
        QTest::addColumn<bool>("failed");
        QTest::addColumn<QString>("expected"); // "" = no warning
        QTest::addColumn<bool>("comparable");
        QTest::addRow("clean") << false << qint64(0) << false << QString() << true;
        QTest::addRow("1 percent errors is still fine") << false << qint64(40) << false << QString() << true;
        QTest::addRow("errors above 1 percent") << false << qint64(400) << false << u"above 1 %"_s << false;
        QTest::addRow("saturated generator")
            << true << qint64(0) << false << u"load generator was saturated"_s << true;
        QTest::addRow("crashed") << false << qint64(0) << true << u"Failed: "_s << false;
    }

    void warnings()
    {
        QFETCH(bool, saturated);
        QFETCH(qint64, errors);
        QFETCH(bool, failed);
        QFETCH(QString, expected);
        QFETCH(bool, comparable);
        TargetResult t = cell(u"go-gin"_s, u"Go"_s, 1000);
        t.requests = 3960; // with 40 errors: 1.0 % exactly
        t.generatorSaturated = saturated;
        t.errors.read = errors;
        if (failed) {
            t.status = TargetStatus::Failed;
            t.failureReason = u"the server exited with signal 11 (crashed)"_s;
        }
        const RunAnalysis analysis = RunAnalysis::analyse(runOf({ t }), nullptr);
        const CellAnalysis &c = analysis.cells().first();
        if (expected.isEmpty()) {
            QVERIFY2(c.warnings.isEmpty(), qPrintable(c.warningTexts().join(u'|')));
        } else {
            QCOMPARE(c.warnings.size(), 1);
            QVERIFY2(c.warnings.first().text.contains(expected), qPrintable(c.warnings.first().text));
        }
        QCOMPARE(c.comparable, comparable);
        QVERIFY(c.hasFigures);
    }

    // One rule for "has figures", whatever the status: the load ran and requests
    // completed. A failed cell keeps the figures it has, flagged.
    void figuresByStatus()
    {
        TargetResult completed = cell(u"a"_s, u"Go"_s, 5000);
        TargetResult failed5xx = cell(u"b"_s, u"Python"_s, 900, TargetStatus::Failed);
        failed5xx.errors.status = 9000;
        failed5xx.failureReason = u"answered 100 % of requests with an error status"_s;
        TargetResult neverStarted = cell(u"c"_s, u"Python"_s, 0, TargetStatus::Failed);
        neverStarted.requests = 0;
        neverStarted.durationSeconds = 0;
        neverStarted.failureReason = u"did not start"_s;
        TargetResult cancelled = cell(u"d"_s, u"Go"_s, 0, TargetStatus::Cancelled);
        cancelled.requests = 0;
        cancelled.durationSeconds = 0;
        const RunAnalysis a
            = RunAnalysis::analyse(runOf({ completed, failed5xx, neverStarted, cancelled }), nullptr);
        QCOMPARE(a.cells().size(), 4);
        QVERIFY(a.cells().at(0).hasFigures && a.cells().at(0).comparable);
        QVERIFY(a.cells().at(1).hasFigures && !a.cells().at(1).comparable);
        QVERIFY(!a.cells().at(2).hasFigures && !a.cells().at(2).comparable);
        QVERIFY(!a.cells().at(3).hasFigures && !a.cells().at(3).comparable);
        QVERIFY(a.cells().at(3).warningTexts().join(u' ').contains(u"no figures"_s));
        QCOMPARE(a.comparableCells().size(), 1);
        QCOMPARE(a.cellsWithFigures().size(), 2);

        // Every view reads the same text for the same figure.
        const ResultColumn &rps = column(u"requests_per_sec"_s);
        QCOMPARE(rps.text(a, a.cells().at(0)), u"5,000"_s);
        QCOMPARE(rps.text(a, a.cells().at(1)), u"900"_s);
        QCOMPARE(rps.text(a, a.cells().at(2)), sa::fmt::none());
        QVERIFY(!rps.raw(a, a.cells().at(2)).isValid());
        QCOMPARE(column(u"latency_p99_us"_s).text(a, a.cells().at(0)), u"25.7"_s);
        QCOMPARE(column(u"latency_p50_us"_s).text(a, a.cells().at(0)), u"1.23"_s);
        QCOMPARE(column(u"peak_pss_bytes"_s).text(a, a.cells().at(0)), u"25.0"_s);
        QCOMPARE(column(u"status"_s).text(a, a.cells().at(3)), u"cancelled"_s);
    }

    void runWarnings()
    {
        TargetResult shared = cell(u"a"_s, u"Go"_s, 5000);
        shared.loadCpus = u"0"_s;
        RunResult run = runOf({ shared });
        run.status = RunStatus::Cancelled;
        const RunAnalysis a = RunAnalysis::analyse(run, nullptr);
        QCOMPARE(a.runWarnings().size(), 2);
        QVERIFY(a.runWarnings().join(u' ').contains(u"cancelled"_s));
        QVERIFY(a.runWarnings().join(u' ').contains(u"shared a CPU"_s));
        QCOMPARE(a.allWarnings().size(), 2);
    }

    void fastestPerLanguage()
    {
        TargetResult saturatedGo = cell(u"go-fast"_s, u"Go"_s, 90000);
        saturatedGo.generatorSaturated = true; // still comparable: a lower bound
        TargetResult erroringGo = cell(u"go-erroring"_s, u"Go"_s, 120000);
        erroringGo.errors.timeout = 100000; // not comparable
        const RunAnalysis a = RunAnalysis::analyse(runOf({ cell(u"py-a"_s, u"Python"_s, 4000), saturatedGo,
                                                       erroringGo, cell(u"py-b"_s, u"Python"_s, 9000) }),
            nullptr);
        const QList<const CellAnalysis *> best = a.fastestPerLanguage();
        QCOMPARE(best.size(), 2);
        QCOMPARE(a.result(*best.at(0)).targetId, u"go-fast"_s);
        QCOMPARE(a.result(*best.at(1)).targetId, u"py-b"_s);
    }

    // Names carry the scenario and connections only when the run has several.
    void cellNames()
    {
        TargetResult json = cell(u"a"_s, u"Go"_s, 5000);
        QCOMPARE(RunAnalysis::analyse(runOf({ json }), nullptr).cells().first().name, u"Go · a"_s);
        TargetResult io = json;
        io.scenario = Scenario::Io;
        const RunAnalysis many = RunAnalysis::analyse(runOf({ json, io }), nullptr);
        QVERIFY(many.hasManyCellsPerTarget());
        QCOMPARE(many.cells().at(1).name, u"Go · a · I/O wait · 1,000 conns"_s);
    }

    // A cell's rounds: median and spread in the columns, and the rule that
    // flags rounds too far apart (TrustPolicy::kMaxSpreadCv).
    void spreadOverRounds_data()
    {
        QTest::addColumn<QList<double>>("rps");
        QTest::addColumn<bool>("flagged");
        QTest::addRow("one round: no spread") << QList<double> { 40000 } << false;
        QTest::addRow("close rounds") << QList<double> { 39000, 40000, 41000 } << false;
        QTest::addRow("just under 10 percent") << QList<double> { 36100, 40000, 43900 } << false;
        QTest::addRow("over 10 percent") << QList<double> { 35000, 40000, 45000 } << true;
        QTest::addRow("one disturbed round") << QList<double> { 20000, 40000, 41000 } << true;
    }

    void spreadOverRounds()
    {
        QFETCH(QList<double>, rps);
        QFETCH(bool, flagged);
        TargetResult t = cell(u"go-a"_s, u"Go"_s, 0);
        for (qsizetype r = 0; r < rps.size(); ++r) {
            TargetResult round = cell(u"go-a"_s, u"Go"_s, rps.at(r));
            round.round = int(r + 1);
            t.rounds.push_back(round);
        }
        combineRounds(t, int(rps.size()));
        RunResult run = runOf({ t });
        run.plan.rounds = int(rps.size());
        const RunAnalysis a = RunAnalysis::analyse(run, nullptr);
        const CellAnalysis &c = a.cells().first();
        const FigureSpread &spread = c.spread(RoundFigure::RequestsPerSecond);
        QCOMPARE(spread.rounds, int(rps.size()));
        QCOMPARE(spread.median, median(rps));
        QCOMPARE(a.result(c).requestsPerSecond, median(rps));
        QCOMPARE(c.hasFlag(CellFlag::WideSpread), flagged);
        QCOMPARE(c.comparable, !flagged);
        const QString range = column(u"requests_per_sec_range"_s).text(a, c);
        const QString cv = column(u"requests_per_sec_cv_percent"_s).text(a, c);
        if (rps.size() == 1) {
            QCOMPARE(range, sa::fmt::none());
            QCOMPARE(cv, sa::fmt::none());
        } else {
            QCOMPARE(range, sa::fmt::number(spread.min) + u"–"_s + sa::fmt::number(spread.max));
            QCOMPARE(cv, sa::fmt::percent(spread.cv, 1));
        }
        if (flagged)
            QVERIFY(c.caveat().startsWith(u"rounds spread"_s));
    }

    // Cancelled after the first round: the cells measured once say so, and stay comparable.
    void fewerRounds()
    {
        TargetResult t = cell(u"go-a"_s, u"Go"_s, 0);
        TargetResult round = cell(u"go-a"_s, u"Go"_s, 40000);
        round.round = 1;
        t.rounds.push_back(round);
        combineRounds(t, 3);
        RunResult run = runOf({ t });
        run.plan.rounds = 3;
        run.status = RunStatus::Cancelled;
        const RunAnalysis a = RunAnalysis::analyse(run, nullptr);
        const CellAnalysis &c = a.cells().first();
        QVERIFY(c.hasFlag(CellFlag::FewerRounds));
        QVERIFY(c.comparable);
        QCOMPARE(column(u"rounds"_s).text(a, c), u"1 of 3"_s);
    }

    // Timeouts above the threshold: what would help, with the values to try.
    void remediesForTimeouts()
    {
        TargetResult t = cell(u"py-a"_s, u"Python"_s, 3000);
        t.workers = 2;
        t.errors.timeout = t.requests / 20; // 4.8 %
        RunResult run = runOf({ t });
        run.plan.timeoutSeconds = 5;
        const RunAnalysis a = RunAnalysis::analyse(run, nullptr);
        const CellAnalysis &c = a.cells().first();
        QVERIFY(c.hasFlag(CellFlag::Errors));
        QCOMPARE(c.remedies.size(), 3);
        QCOMPARE(c.remedies.at(0).kind, Remedy::Kind::FewerConnections);
        QCOMPARE(c.remedies.at(0).value, 500.0);
        QCOMPARE(c.remedies.at(1).value, 4.0);
        QCOMPARE(c.remedies.at(2).value, 10.0);
        QCOMPARE(c.remedies.at(2).option, u"--timeout 10s"_s);
        QCOMPARE(RunAnalysis::remedyText(c),
            u"What would help: fewer connections (500), more workers (4; every target gets them) or a longer "
            "timeout (10 s)."_s);
        QVERIFY(c.warningTexts().join(u' ').contains(u"What would help"_s));
        // Errors that are not timeouts: nothing of the sort to suggest.
        t.errors.timeout = 0;
        t.errors.status = t.requests / 200; // 0.5 %: under the threshold
        QVERIFY(RunAnalysis::analyse(runOf({ t }), nullptr).cells().first().remedies.isEmpty());
    }

    void columnsOfEachView()
    {
        for (ResultView view : { ResultView::Cli, ResultView::Gui, ResultView::Pdf, ResultView::Csv }) {
            const QList<ResultColumn> columns = resultColumns(view);
            QVERIFY(!columns.isEmpty());
            QStringList keys;
            for (const ResultColumn &c : columns) {
                QVERIFY2(!keys.contains(c.key), qPrintable(c.key));
                keys << c.key;
                QVERIFY(c.raw && c.text);
            }
            QVERIFY(keys.contains(u"requests_per_sec"_s));
            QVERIFY(keys.contains(u"latency_p99_us"_s));
            QVERIFY(keys.contains(u"status"_s));
        }
        // The CSV keeps its first version's order, new columns at the end.
        const QList<ResultColumn> csv = resultColumns(ResultView::Csv);
        QCOMPARE(csv.first().key, u"target_id"_s);
        QCOMPARE(csv.at(1).key, u"name"_s);
        QStringList csvKeys;
        for (const ResultColumn &c : csv)
            csvKeys << c.key;
        // generator_saturated was the last of version 1's 37 columns.
        QCOMPARE(csv.at(36).key, u"generator_saturated"_s);
        // After the first "warnings", the later columns in the order they came: the
        // database scenarios', the rounds', then the capacity run's.
        const QStringList later = csvKeys.mid(csvKeys.indexOf(u"warnings"_s) + 1);
        const qsizetype capacity = capacityColumns(ResultView::Csv).size();
        QCOMPARE(later.mid(0, later.size() - capacity),
            (QStringList { u"worker_rule"_s, u"database_cpu_percent_mean"_s, u"database_cpu_percent_peak"_s,
                u"database_mean_pss_bytes"_s, u"database_peak_pss_bytes"_s, u"database_client"_s, u"rounds"_s,
                u"requests_per_sec_min"_s, u"requests_per_sec_max"_s, u"requests_per_sec_cv_percent"_s,
                u"latency_p99_min_us"_s, u"latency_p99_max_us"_s, u"latency_p99_cv_percent"_s }));
        QCOMPARE(csv.last().key, u"capacity_summary"_s);
    }

    void cliTableAndCsv()
    {
        TargetResult failed = cell(u"py-x"_s, u"Python"_s, 0, TargetStatus::Failed);
        failed.requests = 0;
        failed.failureReason = u"exited with code 3, \"boom\""_s;
        const RunAnalysis a
            = RunAnalysis::analyse(runOf({ cell(u"go-a"_s, u"Go"_s, 41230.4), failed }), nullptr);
        const QStringList lines = a.tableText(ResultView::Cli).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines.at(0).startsWith(u"Id"_s));
        QVERIFY(lines.at(1).startsWith(u"go-a"_s));
        QVERIFY(lines.at(1).contains(u"41,230"_s));
        QVERIFY(lines.at(2).contains(sa::fmt::none()));
        // Figures right-aligned under their header.
        const qsizetype header = lines.at(0).indexOf(u"Req/s"_s) + 5;
        QCOMPARE(lines.at(1).indexOf(u"41,230"_s) + 6, header);

        const QString csv = a.toCsv();
        const QStringList rows = csv.split(u"\r\n"_s, Qt::SkipEmptyParts);
        QCOMPARE(rows.size(), 3);
        const QStringList header2 = rows.at(0).split(u',');
        QCOMPARE(rows.at(1).split(u',').at(header2.indexOf(u"requests_per_sec"_s)), u"41230.40"_s);
        QCOMPARE(rows.at(1).split(u',').at(header2.indexOf(u"comparable"_s)), u"true"_s);
        QVERIFY(csv.contains(u"\"exited with code 3, \"\"boom\"\"\""_s));
    }
};

QTEST_APPLESS_MAIN(TestRunAnalysis)
#include "tst_runanalysis.moc"
