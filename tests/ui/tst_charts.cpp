#include "chartlabels.h"
#include "charts/chartoverlay.h"
#include "charts/charts.h"
#include "sampleresults.h"

#include "bench/format.h"

#include <QAbstractBarSeries>
#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QImage>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPalette>
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>
#include <QValueAxis>

#include <memory>

using namespace sa::ui::charts;
using sa::bench::TargetResult;

class TestCharts final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void targetColorsAreStableAndDistinct();
    void timelineHasOneSeriesPerTarget_data();
    void timelineHasOneSeriesPerTarget();
    void updateTimelineAddsAndRescales();
    void barChartSkipsFailedTargets_data();
    void barChartSkipsFailedTargets();
    void latencyBarsGroupPercentiles();
    void barLabelsAreRounded_data();
    void barLabelsAreRounded();
    void errorBarsSpanTheRounds();
    void tooltipsGiveTheExactFigure();
    void legendHidesASeries();
    void runComparisonPairsSameTargets();
    void darkPaletteKeepsTargetColours();
    void saveChart_data();
    void saveChart();
    void saveChartRejectsBadPaths();

private:
    static QList<TargetResult> sample()
    {
        return { sa::test::makeTarget(
                     QStringLiteral("go-nethttp"), QStringLiteral("Go · net/http"), 40000, 30, 12),
            sa::test::makeTarget(
                QStringLiteral("python-fastapi"), QStringLiteral("Python · FastAPI"), 5000, 300, 80),
            sa::test::makeFailed(QStringLiteral("python-django"), QStringLiteral("Python · Django"),
                QStringLiteral("exited with code 1 before it was ready")) };
    }
};

void TestCharts::targetColorsAreStableAndDistinct()
{
    const QStringList ids { QStringLiteral("go-gin"), QStringLiteral("go-fiber"), QStringLiteral("go-echo"),
        QStringLiteral("go-nethttp"), QStringLiteral("python-fastapi"), QStringLiteral("python-django"),
        QStringLiteral("python-flask"), QStringLiteral("node-express") };
    QSet<QRgb> seen;
    for (const QString &id : ids) {
        const QColor colour = targetColor(id);
        QVERIFY(colour.isValid());
        QCOMPARE(targetColor(id), colour);
        seen.insert(colour.rgb());
    }
    QCOMPARE(seen.size(), ids.size());
    const QColor custom = targetColor(QStringLiteral("my-own-server"));
    QVERIFY(custom.isValid());
    QCOMPARE(targetColor(QStringLiteral("my-own-server")), custom);
}

void TestCharts::timelineHasOneSeriesPerTarget_data()
{
    QTest::addColumn<int>("metric");
    QTest::addColumn<double>("firstValue"); // go-nethttp's first point
    QTest::addRow("requests/s") << int(TimelineMetric::RequestsPerSecond) << 40000 * 0.92;
    QTest::addRow("p99 ms") << int(TimelineMetric::P99Latency) << 30.0;
    QTest::addRow("memory MB") << int(TimelineMetric::MemoryPss) << 12.0;
    QTest::addRow("cpu percent") << int(TimelineMetric::CpuPercent) << 150.0;
}

void TestCharts::timelineHasOneSeriesPerTarget()
{
    QFETCH(int, metric);
    QFETCH(double, firstValue);
    std::unique_ptr<QChart> chart(buildTimeline(TimelineMetric(metric), sample()));
    QCOMPARE(chart->animationOptions(), QChart::NoAnimation);
    // First the shaded warm-up band, up to the end of the last warm-up interval…
    auto *band = qobject_cast<QAreaSeries *>(chart->series().at(0));
    QVERIFY(band);
    QCOMPARE(band->objectName(), QStringLiteral("sa-warmup"));
    QCOMPARE(band->upperSeries()->at(1).x(), 1.0);
    QVERIFY(band->isVisible());
    // …then one line per target; latency on a log scale.
    QCOMPARE(qobject_cast<QLogValueAxis *>(chart->axes(Qt::Vertical).at(0)) != nullptr,
        TimelineMetric(metric) == TimelineMetric::P99Latency);
    const auto series = chart->series().mid(1);
    QCOMPARE(series.size(), 3); // the failed target has an empty line: still in the legend
    auto *go = qobject_cast<QLineSeries *>(series.at(0));
    QVERIFY(go);
    QCOMPARE(go->objectName(), QStringLiteral("go-nethttp"));
    QCOMPARE(go->name(), QStringLiteral("Go · net/http"));
    QCOMPARE(go->count(), 8);
    QCOMPARE(go->at(0).x(), 0.5);
    QVERIFY(qFuzzyCompare(go->at(0).y(), firstValue));
    QCOMPARE(go->pen().color(), targetColor(QStringLiteral("go-nethttp")));
    QCOMPARE(qobject_cast<QLineSeries *>(series.at(2))->count(), 0);
}

void TestCharts::updateTimelineAddsAndRescales()
{
    QGraphicsScene scene; // before the chart: a failed check must not delete it twice
    std::unique_ptr<QChart> chart(buildThroughputTimeline({}));
    QCOMPARE(chart->series().size(), 1); // the warm-up band, hidden until there is a warm-up
    QVERIFY(!chart->series().at(0)->isVisible());
    TargetResult go
        = sa::test::makeTarget(QStringLiteral("go-gin"), QStringLiteral("Go · Gin"), 1000, 5, 10, 20);
    updateTimeline(
        chart.get(), TimelineMetric::RequestsPerSecond, go.targetId, go.displayName, go.timeline.mid(0, 3));
    QCOMPARE(chart->series().size(), 2);
    auto *line = qobject_cast<QLineSeries *>(chart->series().at(1));
    QCOMPARE(line->count(), 3);
    updateTimeline(chart.get(), TimelineMetric::RequestsPerSecond, go.targetId, go.displayName, go.timeline);
    QCOMPARE(chart->series().size(), 2);
    QCOMPARE(line->count(), 40);
    // Laid out, the axes fit the data: time ends at the last interval (20 s), not later.
    scene.addItem(chart.get());
    chart->setGeometry(0, 0, 600, 300);
    layoutOverlay(chart.get());
    auto *x = qobject_cast<QValueAxis *>(chart->axes(Qt::Horizontal).at(0));
    auto *y = qobject_cast<QValueAxis *>(chart->axes(Qt::Vertical).at(0));
    QVERIFY2(x->max() >= 20.0 && x->max() <= 25.0, qPrintable(QString::number(x->max())));
    scene.removeItem(chart.get());
    double maxY = 0;
    for (const QPointF &p : line->points())
        maxY = std::max(maxY, p.y());
    QVERIFY2(y->max() >= maxY && y->max() <= maxY * 2, qPrintable(QString::number(y->max())));
}

void TestCharts::barChartSkipsFailedTargets_data()
{
    QTest::addColumn<int>("metric");
    QTest::addColumn<double>("goValue");
    QTest::addColumn<double>("pythonValue");
    QTest::addRow("req/s") << int(BarMetric::RequestsPerSecond) << 40000.0 << 5000.0;
    QTest::addRow("memory") << int(BarMetric::PeakMemory) << 12.0 << 80.0;
    QTest::addRow("cpu") << int(BarMetric::CpuPercent) << 150.0 << 150.0;
}

void TestCharts::barChartSkipsFailedTargets()
{
    QFETCH(int, metric);
    QFETCH(double, goValue);
    QFETCH(double, pythonValue);
    std::unique_ptr<QChart> chart(buildBarChart(BarMetric(metric), sa::test::analysisOf(sample())));
    QCOMPARE(chart->series().size(), 1);
    auto *bars = qobject_cast<QAbstractBarSeries *>(chart->series().at(0));
    QVERIFY(bars);
    // The figures are the overlay's (placed clear of each other), not Qt's.
    QVERIFY(!bars->isLabelsVisible());
    // One row per completed target, named on the axis, first target on top
    // (rows are bottom-up); the failed Django run is left out.
    auto *rows = qobject_cast<QBarCategoryAxis *>(chart->axes(Qt::Vertical).at(0));
    QCOMPARE(rows->categories(),
        (QStringList { QStringLiteral("Python · FastAPI"), QStringLiteral("Go · net/http") }));
    QCOMPARE(bars->count(), 2);
    QBarSet *python = bars->barSets().at(0);
    QBarSet *go = bars->barSets().at(1);
    QCOMPARE(go->label(), QStringLiteral("Go · net/http"));
    QCOMPARE(go->color(), targetColor(QStringLiteral("go-nethttp")));
    QCOMPARE(python->color(), targetColor(QStringLiteral("python-fastapi")));
    // Each target's value sits in its own row only.
    QCOMPARE(go->at(1), goValue);
    QCOMPARE(go->at(0), 0.0);
    QCOMPARE(python->at(0), pythonValue);
    QCOMPARE(python->at(1), 0.0);
    auto *x = qobject_cast<QValueAxis *>(chart->axes(Qt::Horizontal).at(0));
    QVERIFY(x->max() >= std::max(goValue, pythonValue));
}

void TestCharts::latencyBarsGroupPercentiles()
{
    std::unique_ptr<QChart> chart(
        buildBarChart(BarMetric::LatencyPercentiles, sa::test::analysisOf(sample())));
    auto *bars = qobject_cast<QAbstractBarSeries *>(chart->series().at(0));
    QVERIFY(bars);
    QCOMPARE(bars->count(), 3);
    QStringList names;
    for (QBarSet *set : bars->barSets())
        names << set->label();
    QCOMPARE(names, (QStringList { QStringLiteral("p99"), QStringLiteral("p90"), QStringLiteral("p50") }));
    // go-nethttp (row 1, on top): p50 = 7.5 ms, p99 = 30 ms; FastAPI p99 = 300 ms.
    QCOMPARE(bars->barSets().at(2)->at(1), 7.5);
    QCOMPARE(bars->barSets().at(0)->at(1), 30.0);
    QCOMPARE(bars->barSets().at(0)->at(0), 300.0);
    QVERIFY(chart->legend()->isVisible());
}

void TestCharts::barLabelsAreRounded_data()
{
    QTest::addColumn<int>("metric");
    QTest::addColumn<double>("rps");
    QTest::addColumn<double>("expected");
    QTest::addColumn<QString>("label");
    QTest::addRow("req/s to integers")
        << int(BarMetric::RequestsPerSecond) << 51577.24 << 51577.24 << u"51,577"_qs;
    QTest::addRow("small p99 to 2 decimals")
        << int(BarMetric::LatencyPercentiles) << 1.0 << 1.23456 << u"1.23"_qs;
}

void TestCharts::barLabelsAreRounded()
{
    QFETCH(int, metric);
    QFETCH(double, rps);
    QFETCH(double, expected);
    QFETCH(QString, label);
    TargetResult go
        = sa::test::makeTarget(QStringLiteral("go-gin"), QStringLiteral("Go · Gin"), rps, 1.23456, 10);
    QGraphicsScene scene; // before the chart: a failed check must not delete it twice
    std::unique_ptr<QChart> chart(buildBarChart(BarMetric(metric), sa::test::analysisOf({ go })));
    auto *bars = qobject_cast<QAbstractBarSeries *>(chart->series().at(0));
    // The bar has the exact figure; its label reads as the table does.
    QCOMPARE(bars->barSets().at(0)->at(0), expected);
    scene.addItem(chart.get());
    chart->setGeometry(0, 0, 600, 300);
    layoutOverlay(chart.get());
    QStringList texts;
    for (const sa::test::ChartLabel &l : sa::test::chartLabels(chart.get()))
        texts << l.text;
    QVERIFY2(texts.contains(label), qPrintable(texts.join(u" | "_qs)));
    scene.removeItem(chart.get());
}

// The whisker of a bar goes from the cell's slowest round to its fastest.
void TestCharts::errorBarsSpanTheRounds()
{
    const TargetResult go = sa::test::withRounds(
        sa::test::makeTarget(QStringLiteral("go-gin"), QStringLiteral("Go · Gin"), 40000, 10, 20),
        { 38000, 40000, 43000 });
    QGraphicsScene scene; // before the chart: a failed check must not delete it twice
    std::unique_ptr<QChart> chart(buildBarChart(BarMetric::RequestsPerSecond, sa::test::analysisOf({ go })));
    scene.addItem(chart.get());
    chart->setGeometry(0, 0, 600, 300);
    layoutOverlay(chart.get());
    QAbstractSeries *bars = chart->series().at(0);
    QGraphicsPathItem *whisker = nullptr;
    for (QGraphicsItem *item : scene.items()) {
        if (auto *path = dynamic_cast<QGraphicsPathItem *>(item); path && !path->path().isEmpty())
            whisker = path;
    }
    QVERIFY(whisker);
    const QRectF extent = whisker->mapRectToScene(whisker->path().boundingRect());
    const double left = chart->mapToPosition(QPointF(38000, 0), bars).x();
    const double right = chart->mapToPosition(QPointF(43000, 0), bars).x();
    QVERIFY2(qAbs(extent.left() - left) < 1 && qAbs(extent.right() - right) < 1,
        qPrintable(u"%1–%2 vs %3–%4"_qs.arg(extent.left()).arg(extent.right()).arg(left).arg(right)));
    scene.removeItem(chart.get());
}

void TestCharts::tooltipsGiveTheExactFigure()
{
    const TargetResult go = sa::test::withRounds(
        sa::test::makeTarget(QStringLiteral("go-gin"), QStringLiteral("Go · Gin"), 40000, 10, 20),
        { 38000, 40000, 43000 });
    std::unique_ptr<QChart> chart(buildBarChart(BarMetric::RequestsPerSecond, sa::test::analysisOf({ go })));
    auto *bars = qobject_cast<QAbstractBarSeries *>(chart->series().at(0));
    Q_EMIT bars->barSets().at(0)->hovered(true, 0);
    const QString tip = QToolTip::text();
    QVERIFY2(tip.contains(u"Go · Gin: 40,000 requests/s"_qs), qPrintable(tip));
    QVERIFY2(tip.contains(u"median of 3 rounds; from 38,000–43,000"_qs), qPrintable(tip));
    QVERIFY2(
        tip.contains(u"CV "_qs
            + sa::fmt::percent(sa::bench::cellSpread(go, sa::bench::RoundFigure::RequestsPerSecond).cv, 1)),
        qPrintable(tip));
    QToolTip::hideText();
}

// A click on a legend entry hides its series; another shows it again.
void TestCharts::legendHidesASeries()
{
    std::unique_ptr<QChart> chart(buildLatencyHistogram(sa::test::analysisOf({ sa::test::withRounds(
        sa::test::makeTarget(QStringLiteral("go-gin"), QStringLiteral("Go · Gin"), 40000, 10, 20),
        { 40000 }) })));
    makeLegendClickable(chart.get());
    QAbstractSeries *line = chart->series().at(0);
    QLegendMarker *marker = chart->legend()->markers(line).at(0);
    Q_EMIT marker->clicked();
    QCOMPARE(line->opacity(), 0.0);
    QCOMPARE(chart->legend()->markers(line).size(), 1); // its entry stays, to be clicked again
    QVERIFY(marker->font().strikeOut());
    Q_EMIT marker->clicked();
    QCOMPARE(line->opacity(), 1.0);
    QVERIFY(!marker->font().strikeOut());
}

void TestCharts::runComparisonPairsSameTargets()
{
    QList<TargetResult> before = sample();
    QList<TargetResult> after { sa::test::makeTarget(QStringLiteral("python-fastapi"),
                                    QStringLiteral("Python · FastAPI"), 6000, 250, 82),
        sa::test::makeTarget(QStringLiteral("go-gin"), QStringLiteral("Go · Gin"), 50000, 20, 14) };
    std::unique_ptr<QChart> chart(
        buildRunComparisonChart(BarMetric::RequestsPerSecond, QStringLiteral("Run 1"),
            sa::test::analysisOf(before), QStringLiteral("Run 2"), sa::test::analysisOf(after)));
    auto *bars = qobject_cast<QAbstractBarSeries *>(chart->series().at(0));
    QCOMPARE(bars->count(), 2);
    QBarSet *run1 = nullptr, *run2 = nullptr;
    for (QBarSet *set : bars->barSets())
        (set->label() == QStringLiteral("Run 1") ? run1 : run2) = set;
    QVERIFY(run1 && run2);
    QCOMPARE(run1->count(), 1); // only FastAPI is in both runs
    QCOMPARE(run1->at(0), 5000.0);
    QCOMPARE(run2->at(0), 6000.0);
}

void TestCharts::darkPaletteKeepsTargetColours()
{
    std::unique_ptr<QChart> chart(buildLatencyTimeline(sample()));
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(30, 30, 30));
    dark.setColor(QPalette::Base, QColor(20, 20, 20));
    dark.setColor(QPalette::Text, QColor(230, 230, 230));
    applyPalette(chart.get(), dark);
    QCOMPARE(chart->theme(), QChart::ChartThemeDark);
    auto *go = qobject_cast<QLineSeries *>(chart->series().at(1) /* after the warm-up band */);
    QCOMPARE(go->pen().color(), targetColor(QStringLiteral("go-nethttp")));
    QPalette light;
    light.setColor(QPalette::Window, QColor(240, 240, 240));
    applyPalette(chart.get(), light);
    QCOMPARE(chart->theme(), QChart::ChartThemeLight);
}

void TestCharts::saveChart_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addRow("png") << QStringLiteral("throughput.png");
    QTest::addRow("svg") << QStringLiteral("throughput.svg");
}

void TestCharts::saveChart()
{
    QFETCH(QString, fileName);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::unique_ptr<QChart> chart(buildThroughputTimeline(sample()));
    QString error;
    const QString path = dir.filePath(fileName);
    QVERIFY2(sa::ui::charts::saveChart(chart.get(), path, QSizeF(640, 400), &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    if (fileName.endsWith(QLatin1String(".png"))) {
        QImage image;
        QVERIFY(image.loadFromData(bytes, "PNG"));
        QCOMPARE(image.size(), QSize(1280, 800));
        // Something was drawn: not one flat colour.
        QSet<QRgb> colours;
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, image.height() / 2));
        QVERIFY(colours.size() > 2);
        // And the chart can be saved again: it was not left in a deleted scene.
        QVERIFY2(sa::ui::charts::saveChart(chart.get(), path, QSizeF(320, 200), &error), qPrintable(error));
    } else {
        QVERIFY(bytes.contains("<svg"));
        QVERIFY(bytes.contains("Requests per second"));
    }
}

void TestCharts::saveChartRejectsBadPaths()
{
    std::unique_ptr<QChart> chart(buildMemoryTimeline(sample()));
    QString error;
    QVERIFY(
        !sa::ui::charts::saveChart(chart.get(), QStringLiteral("/tmp/chart.bmp"), QSizeF(100, 100), &error));
    QVERIFY2(error.contains(QLatin1String(".png or .svg")), qPrintable(error));
    error.clear();
    QVERIFY(!sa::ui::charts::saveChart(
        chart.get(), QStringLiteral("/nonexistent-folder/x/chart.png"), QSizeF(100, 100), &error));
    QVERIFY2(error.contains(QLatin1String("/nonexistent-folder/x/chart.png")), qPrintable(error));
}

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
