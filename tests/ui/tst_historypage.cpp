// The History page over a real SQLite ResultStore in a temporary folder, filled
// with runs built in the test (the page test covers runs made by real servers).

#include "bench/comparisoncharts.h"
#include "bench/resultspanel.h"
#include "bench/resultstablemodel.h"
#include "history/historymodel.h"
#include "history/historypage.h"
#include "history/runcomparisonmodel.h"
#include "pagetest.h"
#include "sampleresults.h"
#include "store/resultstore.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using sa::bench::RunResult;
using sa::test::saveScreenshot;
using sa::ui::HistoryModel;
using sa::ui::HistoryPage;
using sa::ui::RunComparisonModel;

namespace {

RunResult makeRun(int day, double goRps, double pythonRps)
{
    RunResult run;
    run.startedAt = QDateTime(QDate(2026, 11, day), QTime(10, 0), Qt::UTC);
    run.finishedAt = run.startedAt.addSecs(40);
    run.plan.targetIds = { QStringLiteral("go-nethttp"), QStringLiteral("python-fastapi") };
    run.machine.cpuModel = QStringLiteral("Test CPU");
    run.machine.logicalCores = 2;
    run.machine.memoryBytes = qint64(24) << 30;
    run.targets = { sa::test::makeTarget(
                        QStringLiteral("go-nethttp"), QStringLiteral("Go · net/http"), goRps, 20, 12),
        sa::test::makeTarget(
            QStringLiteral("python-fastapi"), QStringLiteral("Python · FastAPI"), pythonRps, 200, 80) };
    return run;
}

// Answers the next message box with the given button, as a person would.
void answerNextMessageBox(QMessageBox::StandardButton button)
{
    QTimer::singleShot(0, qApp, [button] {
        const auto boxes = qApp->topLevelWidgets();
        for (QWidget *widget : boxes) {
            if (auto *box = qobject_cast<QMessageBox *>(widget); box && box->isVisible()) {
                box->button(button)->click();
                return;
            }
        }
        answerNextMessageBox(button); // not shown yet: try again on the next turn
    });
}

} // namespace

class TestHistoryPage final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void listsRunsNewestFirst();
    void opensARunIntoTheComparisonViews();
    void comparesTwoRuns();
    void deleteAsksFirst_data();
    void deleteAsksFirst();
    void withoutStoreSaysSo();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<sa::store::ResultStore> m_store;
    QList<qint64> m_ids;
};

void TestHistoryPage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("StackAdvisorTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_historypage"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
}

void TestHistoryPage::init()
{
    // A fresh history file per test: tests do not depend on each other's deletions.
    m_store.reset();
    QFile::remove(m_dir.filePath(QStringLiteral("history.sqlite")));
    m_store = std::make_unique<sa::store::ResultStore>(m_dir.filePath(QStringLiteral("history.sqlite")));
    QString error;
    QVERIFY2(m_store->open(&error), qPrintable(error));
    m_ids.clear();
    for (RunResult run : { makeRun(20, 40000, 5000), makeRun(21, 44000, 4500), makeRun(22, 42000, 6000) }) {
        const std::optional<qint64> id = m_store->save(run, &error);
        QVERIFY2(id, qPrintable(error));
        m_ids << *id;
    }
}

void TestHistoryPage::listsRunsNewestFirst()
{
    HistoryPage page(m_store.get());
    QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(page.model()->rowCount(), 3);
    const QModelIndex best = page.model()->index(page.model()->rowOf(m_ids.at(1)), HistoryModel::Best);
    QVERIFY2(
        best.data().toString().contains(QLatin1String("go-nethttp")), qPrintable(best.data().toString()));
    QVERIFY(best.data().toString().contains(QLocale().toString(44000.0, 'f', 0)));
    QVERIFY(
        page.model()->index(0, HistoryModel::Machine).data().toString().contains(QLatin1String("Test CPU")));
    QVERIFY(page.model()
                ->index(0, HistoryModel::Targets)
                .data()
                .toString()
                .contains(QLatin1String("python-fastapi")));
    // The list the person sees is sorted newest first.
    auto *list = page.findChild<QTableView *>(QStringLiteral("historyList"));
    QCOMPARE(list->model()->index(0, 0).data(HistoryModel::RunIdRole).toLongLong(), m_ids.at(2));
}

void TestHistoryPage::opensARunIntoTheComparisonViews()
{
    HistoryPage page(m_store.get());
    page.resize(1280, 800);
    page.show();
    page.selectRun(m_ids.at(0));
    QCOMPARE(page.openedRunId(), m_ids.at(0));
    QAbstractItemModelTester tester(
        page.resultsPanel()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(page.resultsPanel()->model()->rowCount(), 2);
    const sa::bench::RunAnalysis &analysis = page.resultsPanel()->model()->analysis();
    QCOMPARE(analysis.result(analysis.cells().at(0)).requestsPerSecond, 40000.0);
    QVERIFY(page.findChild<QPushButton *>(QStringLiteral("openRun"))->isEnabled());
    QVERIFY(!page.findChild<QPushButton *>(QStringLiteral("compareRuns"))->isEnabled());
    saveScreenshot(&page, QStringLiteral("history.png"));
    QVERIFY(!page.openRun(987654));
    QVERIFY2(page.statusText().contains(QLatin1String("987654")), qPrintable(page.statusText()));
}

void TestHistoryPage::comparesTwoRuns()
{
    HistoryPage page(m_store.get());
    page.resize(1280, 800);
    page.show();
    QVERIFY(page.compareRuns(m_ids.at(0), m_ids.at(2)));
    RunComparisonModel *model = page.comparisonModel();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model->rowCount(), 2);
    // 40,000 → 42,000 req/s is +5.0 %; 5,000 → 6,000 is +20.0 %.
    QCOMPARE(model->index(0, RunComparisonModel::RpsChange).data().toString(),
        QStringLiteral("+%1 %").arg(QLocale().toString(5.0, 'f', 1)));
    QCOMPARE(model->index(1, RunComparisonModel::RpsChange).data().toString(),
        QStringLiteral("+%1 %").arg(QLocale().toString(20.0, 'f', 1)));
    QCOMPARE(
        model->index(0, RunComparisonModel::RpsChange).data(RunComparisonModel::SortRole).toDouble(), 5.0);
    auto *differences = page.findChild<QLabel *>(QStringLiteral("changeDifferences"));
    QVERIFY(differences);
    QVERIFY(differences->isHidden()); // measured alike
    saveScreenshot(&page, QStringLiteral("history-compare.png"));

    // A run measured otherwise: the page says how, above the change.
    RunResult other = makeRun(23, 50000, 6500);
    other.plan.durationSeconds = 10;
    for (sa::bench::TargetResult &t : other.targets)
        t.loadIdle = QStringLiteral("poll-if-alone");
    QString error;
    const std::optional<qint64> otherId = m_store->save(other, &error);
    QVERIFY2(otherId, qPrintable(error));
    QVERIFY(page.compareRuns(m_ids.at(0), *otherId));
    QVERIFY(!differences->isHidden());
    QVERIFY2(differences->text().contains(QStringLiteral("Measured window: 5 s → 10 s")),
        qPrintable(differences->text()));
    QVERIFY2(differences->text().contains(QStringLiteral("polled while its CPU was its own (2 cells)")),
        qPrintable(differences->text()));
    saveScreenshot(&page, QStringLiteral("history-compare-not-alike.png"));
}

void TestHistoryPage::deleteAsksFirst_data()
{
    QTest::addColumn<int>("answer");
    QTest::addColumn<bool>("deleted");
    QTest::addRow("confirmed") << int(QMessageBox::Yes) << true;
    QTest::addRow("cancelled") << int(QMessageBox::Cancel) << false;
}

void TestHistoryPage::deleteAsksFirst()
{
    QFETCH(int, answer);
    QFETCH(bool, deleted);
    HistoryPage page(m_store.get());
    page.show();
    page.selectRun(m_ids.at(1));
    answerNextMessageBox(QMessageBox::StandardButton(answer));
    QTest::mouseClick(page.findChild<QPushButton *>(QStringLiteral("deleteRun")), Qt::LeftButton);
    QCOMPARE(page.model()->rowOf(m_ids.at(1)) < 0, deleted);
    QCOMPARE(page.model()->rowCount(), deleted ? 2 : 3);
    QCOMPARE(m_store->list().size(), deleted ? 2 : 3);
    if (deleted) {
        QCOMPARE(page.openedRunId(), qint64(-1));
        QCOMPARE(page.resultsPanel()->model()->rowCount(), 0);
    }
}

void TestHistoryPage::withoutStoreSaysSo()
{
    HistoryPage page(nullptr);
    QCOMPARE(page.model()->rowCount(), 0);
    QVERIFY(page.statusText().contains(QLatin1String("not available")));
    QVERIFY(!page.openRun(1));
}

QTEST_MAIN(TestHistoryPage)
#include "tst_historypage.moc"
