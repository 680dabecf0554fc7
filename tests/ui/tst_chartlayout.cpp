// The charts stay readable at the widths people use: the app's window at 1058
// (its narrowest with the navigation), 1280 and 1920 pixels wide, with eight
// targets of three rounds each. Every piece of text on every chart - tick
// labels, names, bar figures, titles, legends - is checked against every other
// for overlap, and none may be elided to "…". Screenshots go to
// test-artifacts/chartlayout/ (open them: the checks say where text is, not
// whether the page looks right).

#include "bench/benchmarkpage.h"
#include "bench/comparisoncharts.h"
#include "chartlabels.h"
#include "charts/chartgrid.h"
#include "charts/chartoverlay.h"
#include "charts/charts.h"
#include "charts/chartview.h"
#include "history/historypage.h"
#include "mainwindow.h"
#include "sampleresults.h"
#include "store/resultstore.h"

#include <QApplication>
#include <QChart>
#include <QDir>
#include <QGraphicsScene>
#include <QImage>
#include <QPainter>
#include <QScrollArea>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>

#include <memory>

using namespace Qt::StringLiterals;
using sa::ui::ChartView;

namespace {

QString artifacts()
{
    const QString dir
        = qEnvironmentVariable("STACKADVISOR_ARTIFACTS_DIR", QStringLiteral(STACKADVISOR_ARTIFACTS_DIR))
        + u"/chartlayout"_s;
    QDir().mkpath(dir);
    return dir;
}

// Every chart of the views: no text over other text, none elided.
void checkViews(const QList<ChartView *> &views, const QString &where)
{
    for (ChartView *view : views) {
        QChart *chart = view->chart();
        const QList<sa::test::ChartLabel> labels = sa::test::chartLabels(chart);
        const QString context
            = u"%1, %2 (%3×%4)"_s.arg(where, chart->title()).arg(view->width()).arg(view->height());
        QVERIFY2(labels.size() > 3, qPrintable(context));
        const QString overlap = sa::test::firstOverlap(labels);
        QVERIFY2(overlap.isEmpty(), qPrintable(context + u": "_s + overlap));
        const QString elided = sa::test::firstElided(labels);
        QVERIFY2(elided.isEmpty(), qPrintable(context + u": elided \""_s + elided + u'"'));
    }
}

sa::advisor::Contribution contribution(const QString &title, double go, double python)
{
    sa::advisor::Contribution c;
    c.title = title;
    c.go = go;
    c.python = python;
    return c;
}

} // namespace

class TestChartLayout final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"StackAdvisorTest"_s);
        QCoreApplication::setApplicationName(u"tst_chartlayout"_s);
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        m_store = std::make_unique<sa::store::ResultStore>(m_dir.filePath(u"history.sqlite"_s));
        QString error;
        QVERIFY2(m_store->open(&error), qPrintable(error));
        m_run = sa::test::eightTargetRun();
        QVERIFY2(m_store->save(m_run, &error), qPrintable(error));
    }

    void widths_data()
    {
        QTest::addColumn<int>("width");
        QTest::addRow("1058") << 1058;
        QTest::addRow("1280") << 1280;
        QTest::addRow("1920") << 1920;
    }

    // The comparison of a run from the history: bars with error bars and figures,
    // latency on a log scale, the latency histogram.
    void comparisonAtEveryWidth_data() { widths_data(); }
    void comparisonAtEveryWidth()
    {
        QFETCH(int, width);
        sa::ui::MainWindow window;
        auto *history = new sa::ui::HistoryPage(m_store.get());
        window.addPage(u"History"_s, u"Past runs"_s, history);
        window.resize(width, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        history->selectRun(m_run.id);
        QCOMPARE(history->openedRunId(), m_run.id);
        QCoreApplication::processEvents();
        sa::ui::ComparisonCharts *charts = history->comparisonCharts();
        QVERIFY(!charts->showsHint());
        // Narrow: one column that scrolls; wide: side by side.
        const auto *grid = charts->findChild<sa::ui::ChartGrid *>();
        QVERIFY(grid);
        QCOMPARE(grid->columns(), std::clamp(grid->width() / sa::ui::ChartGrid::kMinimumColumnWidth, 1, 2));
        QVERIFY(window.grab().save(QDir(artifacts()).filePath(u"history-%1.png"_s.arg(width))));
        checkViews(charts->views(), u"history at %1"_s.arg(width));
    }

    // The live charts of the Benchmark page with eight targets' time lines and
    // the histogram, as a run fills them.
    void liveChartsAtEveryWidth_data() { widths_data(); }
    void liveChartsAtEveryWidth()
    {
        QFETCH(int, width);
        sa::ui::MainWindow window;
        auto *page = new sa::ui::BenchmarkPage(nullptr);
        window.addPage(u"Benchmark"_s, u"Run"_s, page);
        window.resize(width, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QList<std::pair<QString, QString>> legend;
        for (const sa::bench::TargetResult &t : std::as_const(m_run.targets)) {
            legend.append({ t.targetId, t.displayName });
            for (const auto metric : { sa::ui::charts::TimelineMetric::RequestsPerSecond,
                     sa::ui::charts::TimelineMetric::P99Latency, sa::ui::charts::TimelineMetric::MemoryPss,
                     sa::ui::charts::TimelineMetric::CpuPercent })
                sa::ui::charts::updateTimeline(
                    page->liveChart(metric), metric, t.targetId, t.displayName, t.timeline);
        }
        QList<ChartView *> views = page->liveGrid()->views();
        views.last()->replaceChart(
            sa::ui::charts::buildLatencyHistogram(sa::test::analysisOf(m_run.targets)));
        QCoreApplication::processEvents();
        QVERIFY(window.grab().save(QDir(artifacts()).filePath(u"live-%1.png"_s.arg(width))));
        checkViews(views, u"live at %1"_s.arg(width));
        // The time axis ends where the data does (4 s), not at a fixed 10 s.
        QChart *rps = page->liveChart(sa::ui::charts::TimelineMetric::RequestsPerSecond);
        const auto *x = qobject_cast<QValueAxis *>(rps->axes(Qt::Horizontal).first());
        QVERIFY2(x->max() >= 4 && x->max() <= 5, qPrintable(QString::number(x->max())));
    }

    // The PDF's chart sizes: a chart per row at the report's full width for
    // eight targets, and the score chart with every criterion.
    void reportSizes()
    {
        const sa::bench::RunAnalysis analysis = sa::test::analysisOf(m_run.targets);
        QList<QChart *> built;
        for (const auto metric :
            { sa::ui::charts::BarMetric::RequestsPerSecond, sa::ui::charts::BarMetric::LatencyPercentiles,
                sa::ui::charts::BarMetric::PeakMemory, sa::ui::charts::BarMetric::CpuPercent })
            built << sa::ui::charts::buildBarChart(metric, analysis);
        built << sa::ui::charts::buildCriterionScoreChart({ contribution(u"High-traffic API"_s, 7.69, 6.9),
            contribution(u"AI/ML integration"_s, 0, 3.85), contribution(u"Fast MVP build"_s, 2.5, 7.7),
            contribution(u"Microservices"_s, 5.1, 2.4), contribution(u"Cloud-native deployment"_s, 6.2, 3.1),
            contribution(u"Team learning curve"_s, 1.1, 6.4) });
        int i = 0;
        for (QChart *chart : std::as_const(built)) {
            QGraphicsScene scene; // before the chart: a failed check must not delete it twice
            std::unique_ptr<QChart> owned(chart);
            const bool latency = i == 1;
            const bool scores = i == 4;
            const QSizeF size(700, scores ? 90 + 46 * 6 : 90 + (latency ? 50 : 24) * 8);
            QImage image(size.toSize(), QImage::Format_ARGB32_Premultiplied);
            image.fill(Qt::white);
            scene.addItem(chart);
            QPainter painter(&image);
            sa::ui::charts::renderChart(chart, &painter, QRectF(QPointF(0, 0), size));
            painter.end();
            QVERIFY(image.save(QDir(artifacts()).filePath(u"report-chart-%1.png"_s.arg(i))));
            // renderChart() gives a chart of a scene its own size back: lay it out
            // again as it was painted.
            chart->setGeometry(QRectF(QPointF(0, 0), size));
            sa::ui::charts::layoutOverlay(chart);
            const QList<sa::test::ChartLabel> labels = sa::test::chartLabels(chart);
            QVERIFY2(sa::test::firstOverlap(labels).isEmpty(),
                qPrintable(chart->title() + u": "_s + sa::test::firstOverlap(labels)));
            QVERIFY2(sa::test::firstElided(labels).isEmpty(), qPrintable(sa::test::firstElided(labels)));
            // Every bar's figure is there at this size (the score chart's zero bars have none).
            int figures = 0;
            for (const sa::test::ChartLabel &label : labels) {
                if (label.rect.intersects(chart->plotArea()))
                    ++figures;
            }
            QVERIFY2(figures >= (scores ? 11
                             : latency  ? 24
                                        : 8),
                qPrintable(chart->title() + u": "_s + QString::number(figures)));
            scene.removeItem(chart);
            owned.release();
            delete chart;
            ++i;
        }
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<sa::store::ResultStore> m_store;
    sa::bench::RunResult m_run;
};

QTEST_MAIN(TestChartLayout)
#include "tst_chartlayout.moc"
