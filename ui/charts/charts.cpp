#include "charts.h"

#include "platform/atomicfile.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QBuffer>
#include <QChart>
#include <QFileInfo>
#include <QGraphicsScene>
#include <QHash>
#include <QHorizontalBarSeries>
#include <QHorizontalStackedBarSeries>
#include <QImage>
#include <QLegend>
#include <QLineSeries>
#include <QPainter>
#include <QPalette>
#include <QSvgGenerator>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace sa::ui::charts {

using sa::bench::IntervalSample;
using sa::bench::LatencySummary;
using sa::bench::TargetResult;
using sa::bench::TargetStatus;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

QValueAxis *valueAxis(const QString &title, const QString &format)
{
    auto *axis = new QValueAxis;
    axis->setTitleText(title);
    axis->setLabelFormat(format);
    axis->setMin(0);
    axis->setTickCount(6);
    return axis;
}

QChart *newChart(const QString &title)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    return chart;
}

QValueAxis *axisOf(QChart *chart, Qt::Orientation orientation)
{
    const QList<QAbstractAxis *> axes = chart->axes(orientation);
    for (QAbstractAxis *axis : axes) {
        if (auto *value = qobject_cast<QValueAxis *>(axis))
            return value;
    }
    return nullptr;
}

// A bar: the cell's result and its name as the analysis gives it.
struct Bar
{
    const TargetResult *result;
    QString name;
};

// The cells a bar chart draws: those the analysis calls comparable.
QList<Bar> barsOf(const sa::bench::RunAnalysis &analysis)
{
    QList<Bar> bars;
    for (const sa::bench::CellAnalysis *cell : analysis.comparableCells())
        bars << Bar { &analysis.result(*cell), cell->name };
    return bars;
}

double barValue(BarMetric metric, const TargetResult &target)
{
    switch (metric) {
    case BarMetric::RequestsPerSecond:
        return target.requestsPerSecond;
    case BarMetric::LatencyPercentiles:
        return target.latency.p99Us / 1000.0;
    case BarMetric::PeakMemory:
        return double(target.memory.peakPssBytes) / kMiB;
    case BarMetric::CpuPercent:
        return target.cpuPercentMean;
    }
    return 0;
}

QString barUnit(BarMetric metric)
{
    switch (metric) {
    case BarMetric::RequestsPerSecond:
        return QObject::tr("requests/s");
    case BarMetric::LatencyPercentiles:
        return QObject::tr("ms");
    case BarMetric::PeakMemory:
        return QObject::tr("MB (PSS)");
    case BarMetric::CpuPercent:
        return QObject::tr("% of one core");
    }
    return {};
}

// Bars carry their figure as a label: a reader should not have to estimate it
// from the axis. Values are rounded beforehand (roundForLabel) because
// labelsPrecision counts significant digits and turns 51,577 into "5.16e+04".
void showBarLabels(QAbstractBarSeries *series)
{
    series->setLabelsVisible(true);
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    series->setLabelsPrecision(9);
    series->setLabelsFormat(QStringLiteral("@value"));
}

// As many decimals as a person needs: req/s and CPU as integers, small
// latencies with two decimals, memory with one.
double roundForLabel(BarMetric metric, double value)
{
    const auto round = [](double v, int decimals) {
        const double scale = std::pow(10.0, decimals);
        return std::round(v * scale) / scale;
    };
    switch (metric) {
    case BarMetric::RequestsPerSecond:
    case BarMetric::CpuPercent:
        return std::round(value);
    case BarMetric::LatencyPercentiles:
        return round(value, value < 10 ? 2 : value < 100 ? 1 : 0);
    case BarMetric::PeakMemory:
        return round(value, value < 100 ? 1 : 0);
    }
    return value;
}

// Zero to a round figure above maxValue, with ticks on round figures, and as
// many decimals on the labels as the range needs.
void fitValueAxis(QValueAxis *axis, double maxValue)
{
    // The smallest step of 1, 2, 2.5 or 5 × 10^n that covers the value in at
    // most five intervals; the axis ends on the last tick.
    const double value = maxValue > 0 ? maxValue : 1.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value / 5.0)));
    double step = 10.0 * magnitude;
    for (const double candidate : { 1.0, 2.0, 2.5, 5.0 }) {
        if (value / (candidate * magnitude) <= 5.0) {
            step = candidate * magnitude;
            break;
        }
    }
    const int intervals = std::max(1, int(std::ceil(value / step - 1e-9)));
    axis->setRange(0, intervals * step);
    axis->setTickCount(intervals + 1);
    axis->setLabelFormat(step >= 1 ? QStringLiteral("%.0f")
            : step >= 0.1          ? QStringLiteral("%.1f")
                                   : QStringLiteral("%.2f"));
}

} // namespace

QString timelineTitle(TimelineMetric metric)
{
    switch (metric) {
    case TimelineMetric::RequestsPerSecond:
        return QObject::tr("Requests per second");
    case TimelineMetric::P99Latency:
        return QObject::tr("p99 latency");
    case TimelineMetric::MemoryPss:
        return QObject::tr("Memory (PSS, whole process tree)");
    case TimelineMetric::CpuPercent:
        return QObject::tr("Server CPU");
    }
    return {};
}

QString timelineUnit(TimelineMetric metric)
{
    switch (metric) {
    case TimelineMetric::RequestsPerSecond:
        return QObject::tr("requests/s");
    case TimelineMetric::P99Latency:
        return QObject::tr("ms");
    case TimelineMetric::MemoryPss:
        return QObject::tr("MB");
    case TimelineMetric::CpuPercent:
        return QObject::tr("% of one core");
    }
    return {};
}

double timelineValue(TimelineMetric metric, const IntervalSample &sample)
{
    switch (metric) {
    case TimelineMetric::RequestsPerSecond:
        return sample.requestsPerSecond;
    case TimelineMetric::P99Latency:
        return sample.p99Us / 1000.0;
    case TimelineMetric::MemoryPss:
        return double(sample.pssBytes) / kMiB;
    case TimelineMetric::CpuPercent:
        return sample.cpuPercent;
    }
    return 0;
}

QChart *buildTimeline(TimelineMetric metric, const QList<TargetResult> &targets)
{
    QChart *chart = newChart(timelineTitle(metric));
    auto *x = valueAxis(QObject::tr("seconds since the load started"), QStringLiteral("%.0f"));
    x->setMax(10);
    auto *y = valueAxis(timelineUnit(metric),
        metric == TimelineMetric::RequestsPerSecond ? QStringLiteral("%.0f") : QStringLiteral("%.1f"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (const TargetResult &target : targets)
        updateTimeline(chart, metric, target.targetId, target.displayName, target.timeline);
    return chart;
}

QChart *buildThroughputTimeline(const QList<TargetResult> &targets)
{
    return buildTimeline(TimelineMetric::RequestsPerSecond, targets);
}

QChart *buildLatencyTimeline(const QList<TargetResult> &targets)
{
    return buildTimeline(TimelineMetric::P99Latency, targets);
}

QChart *buildMemoryTimeline(const QList<TargetResult> &targets)
{
    return buildTimeline(TimelineMetric::MemoryPss, targets);
}

void updateTimeline(QChart *chart, TimelineMetric metric, const QString &targetId, const QString &displayName,
    const QList<IntervalSample> &samples)
{
    QLineSeries *series = nullptr;
    const QList<QAbstractSeries *> all = chart->series();
    for (QAbstractSeries *candidate : all) {
        if (candidate->objectName() == targetId) {
            series = qobject_cast<QLineSeries *>(candidate);
            break;
        }
    }
    if (!series) {
        series = new QLineSeries;
        series->setObjectName(targetId);
        series->setName(displayName.isEmpty() ? targetId : displayName);
        QPen pen(targetColor(targetId));
        pen.setWidthF(2.0);
        series->setPen(pen);
        chart->addSeries(series);
        for (QAbstractAxis *axis : chart->axes())
            series->attachAxis(axis);
    }

    QList<QPointF> points;
    points.reserve(samples.size());
    for (const IntervalSample &sample : samples)
        points.append(QPointF(sample.tSeconds, timelineValue(metric, sample)));
    series->replace(points);

    // The axes cover every series, so a slow target's line is not cut off by a
    // fast one's range (or the other way round).
    double maxX = 0, maxY = 0;
    for (QAbstractSeries *candidate : chart->series()) {
        if (auto *line = qobject_cast<QLineSeries *>(candidate)) {
            const QList<QPointF> linePoints = line->points();
            for (const QPointF &point : linePoints) {
                maxX = std::max(maxX, point.x());
                maxY = std::max(maxY, point.y());
            }
        }
    }
    if (QValueAxis *x = axisOf(chart, Qt::Horizontal))
        x->setRange(0, std::max(10.0, std::ceil(maxX)));
    if (QValueAxis *y = axisOf(chart, Qt::Vertical))
        fitValueAxis(y, maxY * 1.05);
}

QString barTitle(BarMetric metric)
{
    switch (metric) {
    case BarMetric::RequestsPerSecond:
        return QObject::tr("Requests per second (higher is better)");
    case BarMetric::LatencyPercentiles:
        return QObject::tr("Latency p50 / p90 / p99 (lower is better)");
    case BarMetric::PeakMemory:
        return QObject::tr("Peak memory, PSS (lower is better)");
    case BarMetric::CpuPercent:
        return QObject::tr("Server CPU, mean over the window");
    }
    return {};
}

QChart *buildBarChart(BarMetric metric, const sa::bench::RunAnalysis &analysis)
{
    QChart *chart = newChart(barTitle(metric));
    const QList<Bar> shown = barsOf(analysis);
    // Horizontal bars, one row per target named on the axis: readable with all
    // eight targets, where a legend of colour swatches would not be. Rows are
    // added bottom-up, so the list is reversed to keep the run order top-down.
    auto *categories = new QBarCategoryAxis;
    for (auto it = shown.crbegin(); it != shown.crend(); ++it)
        categories->append(it->name);
    const qsizetype rows = shown.size();
    double maxX = 0;
    QAbstractBarSeries *series = nullptr;

    if (metric == BarMetric::LatencyPercentiles) {
        // Three bars per target; the percentiles are told apart by shade, the
        // targets by the axis.
        auto *grouped = new QHorizontalBarSeries;
        const struct
        {
            const char *name;
            QColor colour;
            double LatencySummary::*field;
        } percentiles[] = {
            { "p50", QColor(0x9B, 0xC4, 0xE8), &LatencySummary::p50Us },
            { "p90", QColor(0x4A, 0x8F, 0xD0), &LatencySummary::p90Us },
            { "p99", QColor(0x1A, 0x4F, 0x8F), &LatencySummary::p99Us },
        };
        // Added p99 first so that, bottom-up, p50 is the top bar of each group.
        for (auto p = std::crbegin(percentiles); p != std::crend(percentiles); ++p) {
            auto *set = new QBarSet(QLatin1String(p->name));
            set->setColor(p->colour);
            set->setBorderColor(p->colour);
            for (auto it = shown.crbegin(); it != shown.crend(); ++it) {
                const double value = roundForLabel(
                    BarMetric::LatencyPercentiles, (it->result->latency.*(p->field)) / 1000.0);
                set->append(value);
                maxX = std::max(maxX, value);
            }
            grouped->append(set);
        }
        series = grouped;
        // On the side: the rows need the height more than the chart needs the width.
        chart->legend()->setAlignment(Qt::AlignRight);
    } else {
        // One set per target with its value in its own row only (zero elsewhere),
        // stacked: each row shows one bar in the target's colour.
        auto *stacked = new QHorizontalStackedBarSeries;
        for (qsizetype i = 0; i < rows; ++i) {
            const TargetResult &target = *shown.at(rows - 1 - i).result;
            auto *set = new QBarSet(shown.at(rows - 1 - i).name);
            set->setObjectName(target.targetId);
            set->setColor(targetColor(target.targetId));
            set->setBorderColor(targetColor(target.targetId));
            const double value = roundForLabel(metric, barValue(metric, target));
            for (qsizetype row = 0; row < rows; ++row)
                set->append(row == i ? value : 0.0);
            maxX = std::max(maxX, value);
            stacked->append(set);
        }
        series = stacked;
        chart->legend()->setVisible(false); // the axis names the targets
    }
    // Qt elides a row's name when the row is lower than the text: with many
    // targets in a small chart, a smaller font keeps the names readable.
    if (rows > 5) {
        QFont font = categories->labelsFont();
        font.setPointSizeF(font.pointSizeF() * 0.85);
        categories->setLabelsFont(font);
    }
    showBarLabels(series);
    // Three labels per target overlap beyond a few targets; the axis and the
    // results table carry the figures then.
    if (metric == BarMetric::LatencyPercentiles && rows > 4)
        series->setLabelsVisible(false);
    series->setBarWidth(metric == BarMetric::LatencyPercentiles ? 0.8 : 0.6);
    chart->addSeries(series);
    chart->addAxis(categories, Qt::AlignLeft);
    series->attachAxis(categories);
    auto *x = valueAxis(barUnit(metric), QStringLiteral("%.0f"));
    // Room on the right for the label at the end of the longest bar.
    fitValueAxis(x, maxX * 1.15);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    return chart;
}

QChart *buildRunComparisonChart(BarMetric metric, const QString &firstLabel,
    const sa::bench::RunAnalysis &first, const QString &secondLabel, const sa::bench::RunAnalysis &second)
{
    QChart *chart = newChart(barTitle(metric));
    auto *series = new QHorizontalBarSeries;
    auto *categories = new QBarCategoryAxis;
    auto *firstSet = new QBarSet(firstLabel);
    auto *secondSet = new QBarSet(secondLabel);
    firstSet->setColor(QColor(0x86, 0x8E, 0x96));
    secondSet->setColor(QColor(0x1C, 0x7E, 0xD6));
    double maxX = 0;
    QList<std::pair<const TargetResult *, const TargetResult *>> pairs;
    for (const Bar &barA : barsOf(first)) {
        const TargetResult &a = *barA.result;
        for (const Bar &barB : barsOf(second)) {
            const TargetResult &b = *barB.result;
            if (a.targetId == b.targetId && a.scenario == b.scenario && a.connections == b.connections) {
                pairs.append(std::make_pair(&a, &b));
                break;
            }
        }
    }
    // Bottom-up: reversed so the first run's order reads top-down.
    for (auto it = pairs.crbegin(); it != pairs.crend(); ++it) {
        categories->append(it->first->displayName);
        const double a = roundForLabel(metric, barValue(metric, *it->first));
        const double b = roundForLabel(metric, barValue(metric, *it->second));
        firstSet->append(a);
        secondSet->append(b);
        maxX = std::max({ maxX, a, b });
    }
    // Added second first: bottom-up, the first run's bar is then the upper one.
    series->append(secondSet);
    series->append(firstSet);
    showBarLabels(series);
    chart->addSeries(series);
    chart->addAxis(categories, Qt::AlignLeft);
    series->attachAxis(categories);
    const QString unit = metric == BarMetric::LatencyPercentiles ? QObject::tr("p99, ms") : barUnit(metric);
    auto *x = valueAxis(unit, QStringLiteral("%.0f"));
    fitValueAxis(x, maxX * 1.15);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    return chart;
}

void applyPalette(QChart *chart, const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    // setTheme() recolours every series: remember the colours (they mean
    // targets) and give them back.
    QList<QPair<QBarSet *, QColor>> barColours;
    for (QAbstractSeries *series : chart->series()) {
        if (auto *bars = qobject_cast<QAbstractBarSeries *>(series)) {
            const QList<QBarSet *> sets = bars->barSets();
            for (QBarSet *set : sets)
                barColours.append({ set, set->color() });
        }
    }
    // …and those of series that carry their own colours.
    QList<std::tuple<QXYSeries *, QPen, QBrush>> ownColours;
    for (QAbstractSeries *series : chart->series()) {
        if (auto *xy = qobject_cast<QXYSeries *>(series); xy && xy->property(kOwnColoursProperty).toBool())
            ownColours.append({ xy, xy->pen(), xy->brush() });
    }
    // …and the axes' fonts (a smaller one where many rows need it).
    QList<QPair<QAbstractAxis *, QFont>> axisFonts;
    for (QAbstractAxis *axis : chart->axes())
        axisFonts.append({ axis, axis->labelsFont() });
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    for (const auto &[axis, font] : std::as_const(axisFonts))
        axis->setLabelsFont(font);
    for (QAbstractSeries *series : chart->series()) {
        if (series->property(kOwnColoursProperty).toBool())
            continue;
        if (auto *line = qobject_cast<QLineSeries *>(series)) {
            QPen pen(targetColor(line->objectName()));
            pen.setWidthF(2.0);
            line->setPen(pen);
        } else if (auto *bars = qobject_cast<QAbstractBarSeries *>(series)) {
            bars->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
        }
    }
    for (const auto &[series, pen, brush] : std::as_const(ownColours)) {
        series->setPen(pen);
        series->setBrush(brush);
    }
    for (const auto &[set, colour] : std::as_const(barColours)) {
        set->setColor(colour);
        set->setBorderColor(colour);
        set->setLabelColor(palette.color(QPalette::Text));
    }
    chart->setBackgroundBrush(palette.color(QPalette::Base));
    chart->setTitleBrush(palette.color(QPalette::Text));
    chart->legend()->setLabelColor(palette.color(QPalette::Text));
    for (QAbstractAxis *axis : chart->axes()) {
        axis->setLabelsColor(palette.color(QPalette::Text));
        axis->setTitleBrush(palette.color(QPalette::Text));
    }
}

void renderChart(QChart *chart, QPainter *painter, const QRectF &target)
{
    // A chart draws only inside a scene; a chart that is not shown gets a
    // temporary one, and is taken back out so the scene does not delete it.
    QGraphicsScene *ownScene = nullptr;
    if (!chart->scene()) {
        ownScene = new QGraphicsScene;
        ownScene->addItem(chart);
    }
    const QRectF before = chart->geometry();
    chart->setGeometry(QRectF(QPointF(0, 0), target.size()));
    chart->scene()->render(painter, target, chart->sceneBoundingRect());
    if (ownScene) {
        ownScene->removeItem(chart);
        delete ownScene;
    } else {
        chart->setGeometry(before);
    }
}

bool saveChart(QChart *chart, const QString &filePath, const QSizeF &size, QString *error)
{
    const QString suffix = QFileInfo(filePath).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("svg")) {
        *error = QObject::tr("Cannot save a chart as '%1': choose a file name ending in .png or .svg.")
                     .arg(filePath);
        return false;
    }
    QByteArray bytes;
    if (suffix == QLatin1String("png")) {
        // Twice the logical size: sharp on high-density screens and in documents.
        QImage image((size * 2).toSize(), QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(2.0);
        image.fill(Qt::white);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        renderChart(chart, &painter, QRectF(QPointF(0, 0), size));
        painter.end();
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "PNG");
    } else {
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(size.toSize());
        svg.setViewBox(QRectF(QPointF(0, 0), size));
        svg.setTitle(chart->title());
        QPainter painter(&svg);
        renderChart(chart, &painter, QRectF(QPointF(0, 0), size));
        painter.end();
    }
    QString reason;
    if (!sa::platform::writeFileAtomically(filePath, bytes, &reason)) {
        *error = QObject::tr("Could not save the chart: %1.").arg(reason);
        return false;
    }
    return true;
}

QChart *buildCriterionScoreChart(const QList<sa::advisor::Contribution> &contributions)
{
    QChart *chart = newChart(QObject::tr("Score points per criterion"));
    auto *series = new QHorizontalBarSeries;
    auto *go = new QBarSet(QObject::tr("Go"));
    auto *python = new QBarSet(QObject::tr("Python"));
    go->setColor(languageColor(QStringLiteral("Go")));
    python->setColor(languageColor(QStringLiteral("Python")));
    auto *categories = new QBarCategoryAxis;
    double maxX = 0;
    // Bottom-up in a horizontal chart: reversed, so the first criterion is on top.
    for (auto it = contributions.crbegin(); it != contributions.crend(); ++it) {
        categories->append(it->title);
        go->append(it->go);
        python->append(it->python);
        maxX = std::max({ maxX, it->go, it->python });
    }
    series->append(go);
    series->append(python);
    series->setLabelsVisible(true);
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    series->setLabelsPrecision(3);
    series->setLabelsFormat(QStringLiteral("@value"));
    chart->addSeries(series);
    chart->addAxis(categories, Qt::AlignLeft);
    series->attachAxis(categories);
    auto *x = valueAxis(QObject::tr("score points"), QStringLiteral("%.0f"));
    fitValueAxis(x, maxX);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    return chart;
}

} // namespace sa::ui::charts
