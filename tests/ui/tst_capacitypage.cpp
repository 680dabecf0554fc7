// The Benchmark page's "Find capacity" mode, driven as a person would, against two
// real servers of known capacity (tests/fixtures/capacityfixture.cpp): the
// latency-against-load chart grows step by step during the run and ends with one
// line per target through its steps, the latency target drawn and the knee
// marked; the CPU-per-request bars, the capacity table and the steps table
// (checked with QAbstractItemModelTester) show core's figures; editing the p99
// target reads the same steps again. Screenshots go to test-artifacts/capacity/.

#include "advisor/recommendation.h"
#include "bench/benchmarkpage.h"
#include "bench/capacityanalysis.h"
#include "bench/capacityrunpanel.h"
#include "bench/capacitystepsmodel.h"
#include "bench/capacitysweep.h"
#include "bench/capacitytablemodel.h"
#include "bench/format.h"
#include "charts/capacitycharts.h"
#include "charts/palette.h"
#include "pagetest.h"
#include "report/reportdocument.h"
#include "report/reportwriter.h"
#include "store/resultstore.h"

#include <QAbstractItemModelTester>
#include <QAbstractSeries>
#include <QApplication>
#include <QBarSet>
#include <QChart>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QHorizontalBarSeries>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QScatterSeries>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using sa::ui::BenchmarkPage;
using sa::ui::CapacityRunPanel;

namespace {

const QString &kFixture = sa::test::kCapacityFixture;

QList<QAbstractSeries *> seriesWithRole(QChart *chart, const QString &role)
{
    QList<QAbstractSeries *> list;
    const QList<QAbstractSeries *> all = chart->series();
    for (QAbstractSeries *series : all) {
        if (series->property("saCapacityRole").toString() == role)
            list << series;
    }
    return list;
}

} // namespace

class TestCapacityPage final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<sa::store::ResultStore> m_store;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"StackAdvisorTest"_s);
        QCoreApplication::setApplicationName(u"tst_capacitypage"_s);
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        QVERIFY2(QFile::exists(kFixture), qPrintable(kFixture));
        using sa::test::fixtureServer;
        QVERIFY(sa::test::useUserCatalog(m_dir.filePath(u"user.json"_s),
            { fixtureServer(u"fx-sleep"_s, u"Sleep 2 ms"_s, u"#1f77b4"_s, { u"--service-us"_s, u"2000"_s }),
                fixtureServer(u"fx-cpu"_s, u"CPU 1 ms"_s, u"#d62728"_s, { u"--cpu-us"_s, u"1000"_s }) }));
        m_store = std::make_unique<sa::store::ResultStore>(m_dir.filePath(u"history.sqlite"_s));
        QString error;
        QVERIFY2(m_store->open(&error), qPrintable(error));
    }

    void findCapacityModeAndItsChart()
    {
        BenchmarkPage page(m_store.get());
        page.resize(1400, 900);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto *mode = page.findChild<QComboBox *>(u"mode"_s);
        auto *run = page.findChild<QPushButton *>(u"runComparison"_s);
        auto *duration = page.findChild<QDoubleSpinBox *>(u"duration"_s);
        auto *warmup = page.findChild<QDoubleSpinBox *>(u"warmup"_s);
        auto *step = page.findChild<QDoubleSpinBox *>(u"stepSeconds"_s);
        auto *tabs = page.findChild<QTabWidget *>(u"benchmarkTabs"_s);
        QVERIFY(mode && run && duration && warmup && step && tabs);

        // The mode: the button says what it does, the window becomes the capacity one.
        QCOMPARE(run->text(), u"Run comparison"_s);
        QCOMPARE(duration->value(), sa::bench::BenchmarkPlan {}.durationSeconds);
        mode->setCurrentIndex(mode->findData(u"capacity"_s));
        QVERIFY(page.capacityMode());
        QCOMPARE(run->text(), u"Find capacity"_s);
        QCOMPARE(duration->value(), 5.0);
        QCOMPARE(warmup->value(), 2.0);
        QVERIFY(page.findChild<QWidget *>(u"commonRate"_s)->isVisibleTo(&page));

        // Short windows: the fixtures are steady.
        duration->setValue(3);
        warmup->setValue(1);
        step->setValue(2);
        page.findChild<QDoubleSpinBox *>(u"commonRate"_s)->setValue(200);
        page.setSelectedTargets({ u"fx-sleep"_s, u"fx-cpu"_s });
        const sa::bench::BenchmarkPlan plan = page.plan();
        QVERIFY(plan.capacity.enabled);
        QCOMPARE(plan.capacity.stepSeconds, 2.0);
        QCOMPARE(plan.capacity.commonRate, 200.0);
        QCOMPARE(plan.capacity.latencyTargetMs, 100.0);

        auto &runner = const_cast<sa::bench::BenchmarkRunner &>(page.runner());
        QSignalSpy steps(&runner, &sa::bench::BenchmarkRunner::capacityStepFinished);
        QSignalSpy finished(&page, &BenchmarkPage::runFinished);
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY(page.isRunning());
        CapacityRunPanel *panel = page.capacityPanel();
        QCOMPARE(tabs->currentWidget(), panel);

        // Live: after three steps the first target's line has three points.
        QTRY_VERIFY_WITH_TIMEOUT(steps.size() >= 3, 90000);
        QTest::qWait(300);
        {
            const QList<QAbstractSeries *> lines = seriesWithRole(panel->latencyLoadChart(), u"line"_s);
            QCOMPARE(lines.size(), 1);
            QVERIFY(static_cast<QLineSeries *>(lines.constFirst())->count() >= 3);
            QCOMPARE(lines.constFirst()->objectName(), u"fx-sleep"_s);
            QVERIFY(panel->stepsModel()->rowCount() >= 3);
            // The CPU bars' legend already names this run's common rate.
            auto *liveBars = qobject_cast<QHorizontalBarSeries *>(panel->cpuChart()->series().constFirst());
            QVERIFY(liveBars && liveBars->barSets().size() == 2);
            QVERIFY2(liveBars->barSets().at(1)->label().contains(u"200 req/s"_s),
                qPrintable(liveBars->barSets().at(1)->label()));
        }
        sa::test::saveScreenshot(&page, u"capacity-live.png"_s, u"capacity"_s);

        QVERIFY(finished.wait(300000));
        QVERIFY(!page.isRunning());
        const sa::bench::RunResult result = finished.at(0).at(0).value<sa::bench::RunResult>();
        QCOMPARE(result.status, sa::bench::RunStatus::Completed);
        QCOMPARE(tabs->currentWidget(), panel);
        const sa::bench::RunAnalysis &analysis = panel->analysis();
        QVERIFY(analysis.capacitySummary().isCapacityRun);
        const QList<const sa::bench::CellAnalysis *> swept = sa::bench::sweptCells(analysis);
        QCOMPARE(swept.size(), 2);

        // The chart: one line per target through the steps that count, its knee
        // marked at the sustainable step, the target drawn at 100 ms, log axes.
        QChart *chart = panel->latencyLoadChart();
        const QList<QAbstractSeries *> lines = seriesWithRole(chart, u"line"_s);
        QCOMPARE(lines.size(), 2);
        for (const sa::bench::CellAnalysis *cell : swept) {
            const sa::bench::TargetResult &t = analysis.result(*cell);
            const sa::bench::CellCapacity &c = analysis.capacity(*cell);
            QLineSeries *line = nullptr;
            for (QAbstractSeries *s : lines) {
                if (s->property("saCapacityKey").toString() == QString::number(cell->index))
                    line = static_cast<QLineSeries *>(s);
            }
            QVERIFY(line);
            QCOMPARE(line->name(), cell->name);
            QCOMPARE(line->points(), sa::ui::charts::latencyLoadPoints(t.capacity->steps, c.reading));
            QCOMPARE(line->pen().color(), sa::ui::charts::targetColor(t.targetId));
            QScatterSeries *knee = nullptr;
            for (QAbstractSeries *s : seriesWithRole(chart, u"knee"_s)) {
                if (s->property("saCapacityKey").toString() == QString::number(cell->index))
                    knee = static_cast<QScatterSeries *>(s);
            }
            QVERIFY(knee);
            QCOMPARE(knee->count(), 1);
            const sa::bench::CapacityStep *sustainable = c.sustainableStep(t);
            QVERIFY(sustainable);
            QCOMPARE(knee->at(0), QPointF(sustainable->offeredRate, sustainable->latency.p99Us / 1000.0));
            QCOMPARE(
                knee->brush().color(), sa::ui::charts::targetColor(t.targetId)); // kept through the theme
        }
        const QList<QAbstractSeries *> targets = seriesWithRole(chart, u"target"_s);
        QCOMPARE(targets.size(), 1);
        auto *targetLine = static_cast<QLineSeries *>(targets.constFirst());
        QCOMPARE(targetLine->at(0).y(), 100.0);
        QCOMPARE(targetLine->pen().style(), Qt::DashLine);
        QVERIFY(targetLine->name().contains(u"100 ms"_s));
        QVERIFY(qobject_cast<QLogValueAxis *>(chart->axes(Qt::Horizontal).constFirst()));
        QVERIFY(qobject_cast<QLogValueAxis *>(chart->axes(Qt::Vertical).constFirst()));

        // CPU per request: two bars per target, core's figures.
        QChart *cpu = panel->cpuChart();
        auto *bars = qobject_cast<QHorizontalBarSeries *>(cpu->series().constFirst());
        QVERIFY(bars);
        QCOMPARE(bars->barSets().size(), 2);
        QBarSet *atSustainable = bars->barSets().at(0);
        QBarSet *atCommon = bars->barSets().at(1);
        QVERIFY(atCommon->label().contains(u"200 req/s"_s));
        // Bottom-up: the last target is the first bar.
        const sa::bench::CellCapacity &cpuCell = analysis.capacity(*swept.constLast());
        QVERIFY(cpuCell.cpuUsPerRequestCommon && cpuCell.cpuUsPerRequestSustainable);
        QCOMPARE(std::round(atCommon->at(0)), std::round(*cpuCell.cpuUsPerRequestCommon));
        QCOMPARE(std::round(atSustainable->at(0)), std::round(*cpuCell.cpuUsPerRequestSustainable));
        // The fixture's 1 ms busy loop per request and its own work around it (the
        // check of the figure itself is tst_capacity's): a bar of the right size.
        QVERIFY2(
            atCommon->at(0) >= 950 && atCommon->at(0) < 1400, qPrintable(QString::number(atCommon->at(0))));

        // The tables: core's columns, tested as models.
        sa::ui::CapacityTableModel *table = panel->tableModel();
        QAbstractItemModelTester tableTester(table, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(table->rowCount(), 2);
        const int sustainableColumn = table->column(u"sustainable_rps"_s);
        QVERIFY(sustainableColumn >= 0);
        for (int row = 0; row < 2; ++row) {
            const int cellIndex
                = table->index(row, 0).data(sa::ui::CapacityTableModel::CellIndexRole).toInt();
            const sa::bench::CellCapacity &c = analysis.capacity(analysis.cells().at(cellIndex));
            QCOMPARE(
                table->index(row, sustainableColumn).data().toString(), sa::fmt::number(c.sustainableRate));
            QCOMPARE(
                table->index(row, sustainableColumn).data(sa::ui::CapacityTableModel::SortRole).toDouble(),
                c.sustainableRate);
        }
        sa::ui::CapacityStepsModel *stepsModel = panel->stepsModel();
        QAbstractItemModelTester stepsTester(
            stepsModel, QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel->showSteps(swept.constFirst()->index);
        const sa::bench::CellCapacity &first = analysis.capacity(*swept.constFirst());
        QCOMPARE(stepsModel->rowCount(), int(first.reading.byRate.size()));
        int marked = 0;
        for (int row = 0; row < stepsModel->rowCount(); ++row) {
            if (stepsModel->index(row, 0).data().toString() == u"sustainable"_s) {
                ++marked;
                QVERIFY(stepsModel->index(row, 0).data(sa::ui::CapacityStepsModel::SustainedRole).toBool());
                QCOMPARE(stepsModel->index(row, 0).data(sa::ui::CapacityStepsModel::StepIndexRole).toInt(),
                    first.reading.sustainable);
            }
        }
        QCOMPARE(marked, 1);
        QVERIFY(panel->summaryText().contains(u"Sleep 2 ms sustains "_s));
        QVERIFY(panel->stepsTitle().startsWith(u"Steps of Sleep 2 ms"_s));
        sa::test::saveScreenshot(&page, u"capacity-finished.png"_s, u"capacity"_s);

        // The PDF, read back: the section, its figures, both charts' titles.
        {
            sa::ui::report::ReportInputs inputs;
            inputs.analysis = analysis;
            inputs.completeFromEnvironment();
            const sa::ui::report::ReportWriter writer(sa::ui::report::ReportDocument::build(inputs));
            const QString pdf = m_dir.filePath(u"capacity.pdf"_s);
            QString error;
            QVERIFY2(writer.writePdfFile(pdf, &error), qPrintable(error));
            QVERIFY2(!QStandardPaths::findExecutable(u"pdftotext"_s).isEmpty(),
                "pdftotext: run installer/deps.sh");
            QProcess text;
            text.start(u"pdftotext"_s, { u"-enc"_s, u"UTF-8"_s, pdf, u"-"_s });
            QVERIFY(text.waitForFinished(30000));
            static const QRegularExpression space(u"\\s+"_s);
            const QString read = QString::fromUtf8(text.readAllStandardOutput()).replace(space, u" "_s);
            for (const QString &phrase :
                { u"Capacity within the latency target"_s, u"Latency against offered load"_s,
                    u"p99 latency against offered load"_s, u"Server CPU per request"_s,
                    u"Capacity at the stated peak"_s, u"The steps behind the figures"_s })
                QVERIFY2(read.contains(phrase), qPrintable(phrase));
            for (const sa::bench::CellAnalysis *cell : swept) {
                const QString finding = cell->name + u" "_s + analysis.capacity(*cell).summary;
                QVERIFY2(
                    read.contains(QString(finding).replace(space, u" "_s).left(60)), qPrintable(finding));
                QVERIFY2(read.contains(sa::fmt::number(analysis.capacity(*cell).sustainableRate)),
                    qPrintable(cell->name));
            }
        }

        // A stricter target: the same steps read again.
        auto *target = panel->findChild<QDoubleSpinBox *>(u"latencyTarget"_s);
        QVERIFY(target);
        QSignalSpy reread(panel, &CapacityRunPanel::readingChanged);
        target->setValue(2.5);
        QCOMPARE(reread.size(), 1);
        QCOMPARE(panel->analysis().capacitySummary().latencyTargetMs, 2.5);
        const double strict = panel->analysis()
                                  .capacity(*sa::bench::sweptCells(panel->analysis()).constFirst())
                                  .sustainableRate;
        QVERIFY2(strict <= first.sustainableRate,
            qPrintable(u"%1 vs %2"_s.arg(strict).arg(first.sustainableRate)));
        const auto *strictTarget
            = static_cast<QLineSeries *>(seriesWithRole(panel->latencyLoadChart(), u"target"_s).constFirst());
        QCOMPARE(strictTarget->at(0).y(), 2.5);
        // The plan of the next run takes it.
        QCOMPARE(page.plan().capacity.latencyTargetMs, 2.5);
        // The Advisor's latency answer sets the target (and its stated peak the peak);
        // without an answer the target set here stays.
        sa::advisor::Recommendation advice;
        advice.latencyTarget.milliseconds = 250;
        advice.latencyTarget.fromAnswer = false;
        page.setRecommendation(advice);
        QCOMPARE(page.plan().capacity.latencyTargetMs, 2.5);
        advice.latencyTarget.fromAnswer = true;
        advice.latencyTarget.source = u"assumed for your answer “Relaxed”"_s;
        page.setRecommendation(advice);
        QCOMPARE(page.plan().capacity.latencyTargetMs, 250.0);
        QCOMPARE(panel->analysis().capacitySummary().latencyTargetMs, 250.0);
        QVERIFY2(panel->adviceText().contains(u"From the Advisor: p99 ≤ 250 ms"_s),
            qPrintable(panel->adviceText()));
        target->setValue(2.5);
        sa::test::saveScreenshot(panel, u"capacity-strict-target.png"_s, u"capacity"_s);
    }
};

QTEST_MAIN(TestCapacityPage)
#include "tst_capacitypage.moc"
