// Drives the Benchmark page as a person would, against the real sample servers:
// select targets, run, watch, read the comparison; cancel; find the run in the
// history. Uses a temporary SQLite file and temporary settings.

#include "bench/benchmarkpage.h"
#include "bench/capacitypanel.h"
#include "bench/claimsmodel.h"
#include "bench/claimspanel.h"
#include "bench/postgrescluster.h"
#include "bench/resultspanel.h"
#include "bench/resultstablemodel.h"
#include "history/historymodel.h"
#include "history/historypage.h"
#include "pagetest.h"
#include "store/resultstore.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QChart>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

#include <memory>

using sa::bench::BenchmarkPlan;
using sa::bench::RunResult;
using sa::test::saveScreenshot;
using sa::ui::BenchmarkPage;
using sa::ui::charts::TimelineMetric;

namespace {

// Every process whose parent chain leads to this test: servers, their workers,
// the load generator.
QList<qint64> descendantsOf(qint64 root)
{
    QHash<qint64, qint64> parentOf;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool ok = false;
        const qint64 pid = entry.toLongLong(&ok);
        if (!ok)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        // "pid (comm) state ppid …": comm may contain spaces, so split after ')'.
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1)
            parentOf.insert(pid, fields.at(1).toLongLong());
    }
    QList<qint64> result;
    QList<qint64> frontier { root };
    while (!frontier.isEmpty()) {
        const qint64 parent = frontier.takeFirst();
        for (auto it = parentOf.cbegin(); it != parentOf.cend(); ++it) {
            if (it.value() == parent) {
                result << it.key();
                frontier << it.key();
            }
        }
    }
    return result;
}

bool alive(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    return line.mid(line.lastIndexOf(')') + 2, 1) != "Z";
}

} // namespace

class TestBenchmarkPage final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void defaultsAreTheArticlesSetting();
    void refusesToRunWithoutTargets();
    void scenarioChoiceOffersTheDatabase();
    void runsTwoTargetsEndToEnd();
    void cancelMidRunLeavesNoProcess();
    void restoresLastSettings();
    void cleanup();

private:
    std::unique_ptr<BenchmarkPage> makePage();

    QTemporaryDir m_dir;
    std::unique_ptr<sa::store::ResultStore> m_store;
    QStringList m_targets; // go-nethttp and one Python server
};

void TestBenchmarkPage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("StackAdvisorTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_benchmarkpage"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    m_store = std::make_unique<sa::store::ResultStore>(m_dir.filePath(QStringLiteral("history.sqlite")));
    QString error;
    QVERIFY2(m_store->open(&error), qPrintable(error));

    sa::bench::ServerCatalog catalog;
    QVERIFY2(catalog.load(sa::bench::ServerCatalog::defaultSources(), &error), qPrintable(error));
    const QStringList available = catalog.availableIds();
    if (!available.contains(QStringLiteral("go-nethttp")))
        QSKIP("go-nethttp is not built: run `make servers` (the README's test command does)");
    for (const QString &python : { QStringLiteral("python-fastapi"), QStringLiteral("python-flask"),
             QStringLiteral("python-django") }) {
        if (available.contains(python)) {
            m_targets = { QStringLiteral("go-nethttp"), python };
            break;
        }
    }
    if (m_targets.isEmpty())
        QSKIP("no Python server is built: run `make servers` (the README's test command does)");
}

std::unique_ptr<BenchmarkPage> TestBenchmarkPage::makePage()
{
    auto page = std::make_unique<BenchmarkPage>(m_store.get());
    page->resize(1280, 800);
    page->show();
    return page;
}

void TestBenchmarkPage::cleanup()
{
    // Whatever happened in a test, nothing it started may outlive it.
    QTRY_VERIFY_WITH_TIMEOUT(descendantsOf(QCoreApplication::applicationPid()).isEmpty(), 15000);
}

void TestBenchmarkPage::defaultsAreTheArticlesSetting()
{
    QSettings().clear();
    auto page = makePage();
    const BenchmarkPlan plan = page->plan();
    QCOMPARE(plan.scenarios, QList<sa::bench::Scenario> { sa::bench::Scenario::Json });
    QCOMPARE(plan.connectionLevels, QList<int> { 1000 });
    QCOMPARE(plan.intervalSeconds, 0.5); // two samples a second for the live charts
    QCOMPARE(plan.rounds, 3); // a median and its spread
    // Every available target is selected; unavailable ones are listed but not checkable.
    QCOMPARE(plan.targetIds, page->catalog().availableIds());
    auto *targets = page->findChild<QTreeWidget *>(QStringLiteral("targetList"));
    QVERIFY(targets);
    QCOMPARE(targets->topLevelItemCount(), int(page->catalog().servers().size()));
    for (int i = 0; i < targets->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = targets->topLevelItem(i);
        QVERIFY(!item->text(0).isEmpty());
        QVERIFY(!item->text(4).isEmpty()); // availability: "ready" or the reason and the fix
    }
    QVERIFY(!page->findChild<QPushButton *>(QStringLiteral("cancelRun"))->isEnabled());
    QVERIFY(page->findChild<QPushButton *>(QStringLiteral("runComparison"))->isEnabled());

    // The advanced section opens below the setting; the panel scrolls rather
    // than squeezing the controls at 1280×800.
    auto *advanced = page->findChild<QToolButton *>(QStringLiteral("advancedToggle"));
    QVERIFY(advanced);
    QTest::mouseClick(advanced, Qt::LeftButton);
    auto *rate = page->findChild<QDoubleSpinBox *>(QStringLiteral("openLoopRate"));
    QTRY_VERIFY(rate->isVisible());
    QTRY_VERIFY2(rate->height() >= rate->minimumSizeHint().height(),
        qPrintable(QStringLiteral("%1 < %2").arg(rate->height()).arg(rate->minimumSizeHint().height())));
    saveScreenshot(page.get(), QStringLiteral("benchmark-advanced.png"));
    QTest::mouseClick(advanced, Qt::LeftButton);
    QTRY_VERIFY(!rate->isVisible());
}

void TestBenchmarkPage::refusesToRunWithoutTargets()
{
    auto page = makePage();
    page->setSelectedTargets({});
    QTest::mouseClick(page->findChild<QPushButton *>(QStringLiteral("runComparison")), Qt::LeftButton);
    QVERIFY(!page->isRunning());
    QVERIFY2(
        page->statusText().contains(QLatin1String("Select at least one")), qPrintable(page->statusText()));
}

void TestBenchmarkPage::scenarioChoiceOffersTheDatabase()
{
    auto page = makePage();
    auto *scenario = page->findChild<QComboBox *>(QStringLiteral("scenario"));
    QVERIFY(scenario);
    QStringList data;
    for (int i = 0; i < scenario->count(); ++i)
        data << scenario->itemData(i).toString();
    for (const QString &id : { QStringLiteral("db"), QStringLiteral("queries"), QStringLiteral("fortunes"),
             QStringLiteral("json,db,queries,fortunes") })
        QVERIFY2(data.contains(id), qPrintable(data.join(QLatin1Char(' '))));
    auto *note = page->findChild<QLabel *>(QStringLiteral("databaseNote"));
    QVERIFY(note);
    QVERIFY(!note->isVisible());

    // The comparison of JSON with the database: one choice, four scenarios.
    BenchmarkPlan plan = page->plan();
    plan.scenarios = { sa::bench::Scenario::Json, sa::bench::Scenario::Db, sa::bench::Scenario::Queries,
        sa::bench::Scenario::Fortunes };
    plan.queriesN = 5;
    plan.ioWorkersRecommended = false;
    page->setPlan(plan);
    QCOMPARE(scenario->currentData().toString(), QStringLiteral("json,db,queries,fortunes"));
    QTRY_VERIFY(note->isVisible());
    QVERIFY2(
        note->text().contains(sa::bench::PostgresCluster::defaultDataFolder()), qPrintable(note->text()));
    const BenchmarkPlan back = page->plan();
    QCOMPARE(back.scenarios, plan.scenarios);
    QCOMPARE(back.queriesN, 5);
    QCOMPARE(back.ioWorkersRecommended, false);
    saveScreenshot(page.get(), QStringLiteral("benchmark-database-choice.png"));

    plan.scenarios = { sa::bench::Scenario::Fortunes };
    plan.ioWorkersRecommended = true;
    page->setPlan(plan);
    QCOMPARE(page->plan().scenarios, plan.scenarios);
    QCOMPARE(page->plan().ioWorkersRecommended, true);
    plan.scenarios = { sa::bench::Scenario::Json };
    page->setPlan(plan);
    QTRY_VERIFY(!note->isVisible());
}

void TestBenchmarkPage::runsTwoTargetsEndToEnd()
{
    auto page = makePage();
    BenchmarkPlan plan;
    plan.rounds = 1;
    plan.targetIds = m_targets;
    plan.durationSeconds = 1;
    plan.warmupSeconds = 0;
    plan.connectionLevels = { 64 }; // light on a shared 2-core machine; the flow is what is tested
    page->setPlan(plan);
    QCOMPARE(page->selectedTargets(), m_targets);

    QSignalSpy finished(page.get(), &BenchmarkPage::runFinished);
    QSignalSpy samples(&page->runner(), &sa::bench::BenchmarkRunner::sampleReady);
    QSignalSpy cells(&page->runner(), &sa::bench::BenchmarkRunner::cellFinished);
    QTest::mouseClick(page->findChild<QPushButton *>(QStringLiteral("runComparison")), Qt::LeftButton);
    QVERIFY2(page->isRunning(), qPrintable(page->statusText()));
    QVERIFY(page->findChild<QPushButton *>(QStringLiteral("cancelRun"))->isEnabled());
    QVERIFY(!page->findChild<QPushButton *>(QStringLiteral("runComparison"))->isEnabled());

    // Mid-run: the first target's live series has points before the run ends.
    QVERIFY(samples.wait(30000));
    QTRY_VERIFY_WITH_TIMEOUT(page->liveChart(TimelineMetric::RequestsPerSecond)->series().size() > 1, 2000);
    saveScreenshot(page.get(), QStringLiteral("benchmark-live.png"));

    QVERIFY(finished.wait(90000));
    const RunResult run = finished.first().first().value<RunResult>();
    QCOMPARE(run.status, sa::bench::RunStatus::Completed);
    QCOMPARE(run.targets.size(), 2);
    QVERIFY2(run.id >= 0, qPrintable(page->statusText()));
    QVERIFY(page->statusText().contains(QLatin1String("Saved to the history")));
    QCOMPARE(cells.size(), 2);

    // Live series: one per target, each with points at the 0.5 s interval.
    for (const TimelineMetric metric :
        { TimelineMetric::RequestsPerSecond, TimelineMetric::P99Latency, TimelineMetric::MemoryPss }) {
        QChart *chart = page->liveChart(metric);
        QCOMPARE(chart->series().size(), 3); // the shaded warm-up band, then a line per target
        QCOMPARE(chart->series().at(0)->objectName(), QStringLiteral("sa-warmup"));
        for (QAbstractSeries *series : chart->series().mid(1)) {
            auto *line = qobject_cast<QLineSeries *>(series);
            QVERIFY2(line->count() >= 2, qPrintable(line->name()));
            QVERIFY(m_targets.contains(line->objectName()));
        }
    }
    auto *rps
        = qobject_cast<QLineSeries *>(page->liveChart(TimelineMetric::RequestsPerSecond)->series().at(1));
    double maxRps = 0;
    for (const QPointF &point : rps->points())
        maxRps = std::max(maxRps, point.y());
    QVERIFY(maxRps > 0);

    // The table: both rows, real figures, sortable through the proxy.
    sa::ui::ResultsPanel *results = page->resultsPanel();
    QAbstractItemModelTester tester(results->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(
        results->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(results->model()->rowCount(), 2);
    const sa::bench::RunAnalysis &analysis = results->model()->analysis();
    for (int row = 0; row < 2; ++row) {
        const sa::bench::TargetResult &result = analysis.result(analysis.cells().at(row));
        QCOMPARE(result.targetId, m_targets.at(row));
        QCOMPARE(result.status, sa::bench::TargetStatus::Completed);
        QVERIFY(result.requestsPerSecond > 0);
        QVERIFY(result.memory.peakPssBytes > 0);
    }
    const int rpsColumn = results->model()->column(QStringLiteral("requests_per_sec"));
    results->proxy()->sort(rpsColumn, Qt::DescendingOrder);
    QVERIFY(results->proxy()->index(0, rpsColumn).data(sa::ui::ResultsTableModel::SortRole).toDouble()
        >= results->proxy()->index(1, rpsColumn).data(sa::ui::ResultsTableModel::SortRole).toDouble());
    results->copyToClipboard();
    QVERIFY(QApplication::clipboard()->text().contains(run.targets.first().displayName));

    // Exports: JSON reads back as the same run; CSV has a header and two rows.
    QString error;
    const QString json = m_dir.filePath(QStringLiteral("run.json"));
    QVERIFY2(results->exportTo(json, &error), qPrintable(error));
    QFile jsonFile(json);
    QVERIFY(jsonFile.open(QIODevice::ReadOnly));
    const std::optional<RunResult> back
        = RunResult::fromJson(QJsonDocument::fromJson(jsonFile.readAll()).object(), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->targets.size(), 2);
    const QString csv = m_dir.filePath(QStringLiteral("run.csv"));
    QVERIFY2(results->exportTo(csv, &error), qPrintable(error));
    QFile csvFile(csv);
    QVERIFY(csvFile.open(QIODevice::ReadOnly));
    QCOMPARE(csvFile.readAll().trimmed().split('\n').size(), 3);
    QVERIFY(!results->exportTo(m_dir.filePath(QStringLiteral("run.xlsx")), &error));
    QVERIFY2(error.contains(QLatin1String(".json or .csv")), qPrintable(error));

    // Claims vs. measured: the article's table is there, with a summary.
    sa::ui::ClaimsModel *claims = page->claimsPanel()->model();
    QAbstractItemModelTester claimsTester(claims, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(claims->rowCount() > 0);
    QVERIFY(!page->claimsPanel()->summary().isEmpty());
    // The first claim is selected and its meaning spelled out below the table.
    const sa::bench::ClaimRow &firstClaim = claims->rows().first();
    QVERIFY2(page->claimsPanel()->details().contains(firstClaim.title),
        qPrintable(page->claimsPanel()->details()));
    QVERIFY(page->claimsPanel()->details().contains(firstClaim.explanation));
    // Measured claims come first: FastAPI is in the article's table.
    QVERIFY(firstClaim.verdict != sa::bench::ClaimVerdict::NotMeasured);

    // The comparison is what a person sees when the run ends.
    auto *tabs = page->findChild<QTabWidget *>(QStringLiteral("benchmarkTabs"));
    QCOMPARE(tabs->currentWidget()->objectName(), QStringLiteral("comparisonCharts"));
    saveScreenshot(page.get(), QStringLiteral("benchmark.png"));
    tabs->setCurrentIndex(2);
    saveScreenshot(page.get(), QStringLiteral("benchmark-table.png"));
    tabs->setCurrentIndex(3);
    saveScreenshot(page.get(), QStringLiteral("benchmark-claims.png"));
    tabs->setCurrentIndex(0);
    saveScreenshot(page.get(), QStringLiteral("benchmark-live-final.png"));

    // The advisor's evidence: capacity at a stated peak from this run.
    sa::ui::CapacityPanel capacity;
    capacity.setRun(page->analysis());
    QVERIFY2(capacity.summary().contains(QLatin1String("State your peak")), qPrintable(capacity.summary()));
    // Core's Go-vs-Python row of the run, as the claims check has it.
    QVERIFY2(capacity.trafficEvidence().contains(run.targets.at(0).targetId),
        qPrintable(capacity.trafficEvidence()));
    QVERIFY(capacity.trafficEvidence().contains(run.targets.at(1).targetId));
    QVERIFY(capacity.trafficEvidence().contains(QStringLiteral("8–10×")));
    sa::advisor::Recommendation recommendation;
    recommendation.answers.append({ QStringLiteral("peak-rps"), QStringLiteral("Peak requests per second"),
        QJsonValue(20000), QStringLiteral("20,000") });
    capacity.setRecommendation(recommendation);
    QCOMPARE(capacity.table()->rowCount(), 2);
    // Fewest cores first: the faster stack per core.
    const sa::bench::TargetResult &go = run.targets.at(0);
    const sa::bench::TargetResult &python = run.targets.at(1);
    const bool goFirst = go.requestsPerSecond >= python.requestsPerSecond;
    // A figure built on a flagged cell carries its doubt on the row (the machine
    // is shared: a saturated generator or a wide spread can happen here).
    QString caveat;
    for (const sa::bench::CellAnalysis &cell : analysis.cells()) {
        if (analysis.result(cell).targetId == (goFirst ? go : python).targetId)
            caveat = cell.caveat();
    }
    QCOMPARE(capacity.table()->item(0, 0)->text(),
        (goFirst ? go : python).displayName + (caveat.isEmpty() ? QString() : QStringLiteral(" ⚠")));
    if (!caveat.isEmpty())
        QVERIFY2(capacity.table()->item(0, 0)->toolTip().contains(caveat),
            qPrintable(capacity.table()->item(0, 0)->toolTip()));
    const int serverCores = capacity.table()->item(0, 2)->text().toInt();
    QVERIFY(serverCores >= 1);
    const double expectedCores = 20000.0 / ((goFirst ? go : python).requestsPerSecond / serverCores);
    QCOMPARE(capacity.table()->item(0, 4)->text(),
        QLocale().toString(expectedCores, 'f', expectedCores < 1 ? 2 : 1));
    QVERIFY2(
        capacity.summary().contains(QLocale().toString(20000.0, 'f', 0)), qPrintable(capacity.summary()));

    // The history shows the run.
    sa::ui::HistoryPage history(m_store.get());
    history.resize(1280, 800);
    history.show();
    QAbstractItemModelTester historyTester(
        history.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(history.model()->rowOf(run.id) >= 0);
    history.selectRun(run.id);
    QCOMPARE(history.openedRunId(), run.id);
    QCOMPARE(history.resultsPanel()->model()->rowCount(), 2);
    saveScreenshot(&history, QStringLiteral("history-after-run.png"));
}

void TestBenchmarkPage::cancelMidRunLeavesNoProcess()
{
    auto page = makePage();
    BenchmarkPlan plan;
    plan.rounds = 1;
    plan.targetIds = m_targets;
    plan.durationSeconds = 60;
    plan.warmupSeconds = 0;
    plan.connectionLevels = { 64 };
    page->setPlan(plan);

    QSignalSpy samples(&page->runner(), &sa::bench::BenchmarkRunner::sampleReady);
    QSignalSpy finished(page.get(), &BenchmarkPage::runFinished);
    page->runComparison();
    QVERIFY(page->isRunning());
    QVERIFY(samples.wait(30000)); // the server and the load generator are both running now
    const QList<qint64> children = descendantsOf(QCoreApplication::applicationPid());
    QVERIFY2(children.size() >= 2, qPrintable(QString::number(children.size())));

    QTest::keyClick(page.get(), Qt::Key_Escape); // the Cancel shortcut
    QVERIFY(finished.wait(20000));
    const RunResult run = finished.first().first().value<RunResult>();
    QCOMPARE(run.status, sa::bench::RunStatus::Cancelled);
    QVERIFY(!page->isRunning());
    QVERIFY(page->statusText().startsWith(QLatin1String("Cancelled")));
    for (const qint64 pid : children)
        QTRY_VERIFY2_WITH_TIMEOUT(
            !alive(pid), qPrintable(QStringLiteral("process %1 still running").arg(pid)), 10000);
    QVERIFY(page->findChild<QPushButton *>(QStringLiteral("runComparison"))->isEnabled());
}

void TestBenchmarkPage::restoresLastSettings()
{
    {
        auto page = makePage();
        BenchmarkPlan plan;
        plan.rounds = 2;
        plan.targetIds = { m_targets.first() };
        plan.connectionLevels = { 250 };
        plan.durationSeconds = 7;
        plan.warmupSeconds = 2;
        plan.workers = 3;
        plan.scenarios = { sa::bench::Scenario::Plaintext };
        page->setPlan(plan);
    } // destroyed: settings saved
    auto page = makePage();
    const BenchmarkPlan plan = page->plan();
    QCOMPARE(plan.targetIds, QStringList { m_targets.first() });
    QCOMPARE(plan.connectionLevels, QList<int> { 250 });
    QCOMPARE(plan.durationSeconds, 7.0);
    QCOMPARE(plan.warmupSeconds, 2.0);
    QCOMPARE(plan.workers, 3);
    QCOMPARE(plan.rounds, 2);
    QCOMPARE(plan.scenarios, QList<sa::bench::Scenario> { sa::bench::Scenario::Plaintext });
}

QTEST_MAIN(TestBenchmarkPage)
#include "tst_benchmarkpage.moc"
