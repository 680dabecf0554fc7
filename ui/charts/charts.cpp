#include "charts.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QBuffer>
#include <QChart>
#include <QFileInfo>
#include <QGraphicsScene>
#include <QHash>
#include <QImage>
#include <QLegend>
#include <QLineSeries>
#include <QPainter>
#include <QPalette>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace sa::ui::charts {

using sa::bench::IntervalSample;
using sa::bench::TargetResult;
using sa::bench::TargetStatus;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

// Rounds an axis maximum up to a readable figure (1, 2, 2.5, 5 × 10^n) with some
// head-room, so live charts do not rescale on every point.
double niceCeiling(double value)
{
    if (value <= 0)
        return 1.0;
    const double padded = value * 1.1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(padded)));
    for (const double step : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (padded <= step * magnitude)
            return step * magnitude;
    }
    return 10.0 * magnitude;
}

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

QList<TargetResult> completed(const QList<TargetResult> &targets)
{
    QList<TargetResult> result;
    for (const TargetResult &target : targets) {
        if (target.status == TargetStatus::Completed)
            result << target;
    }
    return result;
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
// from the axis.
void showBarLabels(QBarSeries *series, int precision)
{
    series->setLabelsVisible(true);
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    series->setLabelsPrecision(precision);
    series->setLabelsFormat(QStringLiteral("@value"));
}

int barPrecision(BarMetric metric)
{
    // labelsPrecision counts significant digits, not decimals.
    return metric == BarMetric::RequestsPerSecond ? 7 : 3;
}

} // namespace

QColor targetColor(const QString &targetId)
{
    // Chosen to stay apart from each other and readable on light and dark
    // backgrounds; the families let a reader tell Go from Python at a glance.
    static const QHash<QString, QColor> known{
        {QStringLiteral("go-gin"), QColor(0x00, 0x96, 0xC7)},
        {QStringLiteral("go-fiber"), QColor(0x2F, 0x6F, 0xDB)},
        {QStringLiteral("go-echo"), QColor(0x12, 0xA5, 0x94)},
        {QStringLiteral("go-nethttp"), QColor(0x74, 0x4F, 0xE0)},
        {QStringLiteral("python-fastapi"), QColor(0xE8, 0x59, 0x0C)},
        {QStringLiteral("python-django"), QColor(0xC2, 0x25, 0x5C)},
        {QStringLiteral("python-flask"), QColor(0xB0, 0x89, 0x00)},
        {QStringLiteral("node-express"), QColor(0x2B, 0x8A, 0x3E)},
    };
    if (const auto it = known.constFind(targetId); it != known.constEnd())
        return *it;
    // An unknown target still gets a stable colour: a hue from its id.
    const int hue = int(qHash(targetId, 0x5A) % 360);
    return QColor::fromHsl(hue, 150, 110);
}

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
    auto *y = valueAxis(timelineUnit(metric), metric == TimelineMetric::RequestsPerSecond
                                                  ? QStringLiteral("%.0f")
                                                  : QStringLiteral("%.1f"));
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

void updateTimeline(QChart *chart, TimelineMetric metric, const QString &targetId,
                    const QString &displayName, const QList<IntervalSample> &samples)
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
        y->setRange(0, niceCeiling(maxY));
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

QChart *buildBarChart(BarMetric metric, const QList<TargetResult> &targets)
{
    QChart *chart = newChart(barTitle(metric));
    const QList<TargetResult> shown = completed(targets);
    auto *series = new QBarSeries;
    auto *categories = new QBarCategoryAxis;
    double maxY = 0;

    if (metric == BarMetric::LatencyPercentiles) {
        categories->append({QStringLiteral("p50"), QStringLiteral("p90"), QStringLiteral("p99")});
        for (const TargetResult &target : shown) {
            auto *set = new QBarSet(target.displayName);
            set->setColor(targetColor(target.targetId));
            const double values[] = {target.latency.p50Us / 1000.0, target.latency.p90Us / 1000.0,
                                     target.latency.p99Us / 1000.0};
            for (const double value : values) {
                set->append(value);
                maxY = std::max(maxY, value);
            }
            series->append(set);
        }
    } else {
        // One set per target in a single category: each bar keeps its target's
        // colour and the legend names it.
        categories->append(barUnit(metric));
        for (const TargetResult &target : shown) {
            auto *set = new QBarSet(target.displayName);
            set->setColor(targetColor(target.targetId));
            const double value = barValue(metric, target);
            set->append(value);
            maxY = std::max(maxY, value);
            series->append(set);
        }
    }
    showBarLabels(series, barPrecision(metric));
    chart->addSeries(series);
    chart->addAxis(categories, Qt::AlignBottom);
    series->attachAxis(categories);
    auto *y = valueAxis(barUnit(metric), metric == BarMetric::RequestsPerSecond ? QStringLiteral("%.0f")
                                                                                : QStringLiteral("%.1f"));
    y->setRange(0, niceCeiling(maxY));
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
    return chart;
}

QChart *buildRunComparisonChart(BarMetric metric, const QString &firstLabel,
                                const QList<TargetResult> &first, const QString &secondLabel,
                                const QList<TargetResult> &second)
{
    QChart *chart = newChart(barTitle(metric));
    auto *series = new QBarSeries;
    auto *categories = new QBarCategoryAxis;
    auto *firstSet = new QBarSet(firstLabel);
    auto *secondSet = new QBarSet(secondLabel);
    firstSet->setColor(QColor(0x86, 0x8E, 0x96));
    secondSet->setColor(QColor(0x1C, 0x7E, 0xD6));
    double maxY = 0;
    for (const TargetResult &a : completed(first)) {
        for (const TargetResult &b : completed(second)) {
            if (a.targetId != b.targetId || a.scenario != b.scenario || a.connections != b.connections)
                continue;
            categories->append(a.displayName);
            firstSet->append(barValue(metric, a));
            secondSet->append(barValue(metric, b));
            maxY = std::max({maxY, barValue(metric, a), barValue(metric, b)});
            break;
        }
    }
    series->append(firstSet);
    series->append(secondSet);
    showBarLabels(series, barPrecision(metric));
    chart->addSeries(series);
    chart->addAxis(categories, Qt::AlignBottom);
    series->attachAxis(categories);
    const QString unit = metric == BarMetric::LatencyPercentiles ? QObject::tr("p99, ms") : barUnit(metric);
    auto *y = valueAxis(unit, QStringLiteral("%.0f"));
    y->setRange(0, niceCeiling(maxY));
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
    return chart;
}

void applyPalette(QChart *chart, const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    // setTheme() recolours every series: remember the colours (they mean
    // targets) and give them back.
    QList<QPair<QBarSet *, QColor>> barColours;
    for (QAbstractSeries *series : chart->series()) {
        if (auto *bars = qobject_cast<QBarSeries *>(series)) {
            const QList<QBarSet *> sets = bars->barSets();
            for (QBarSet *set : sets)
                barColours.append({set, set->color()});
        }
    }
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    for (QAbstractSeries *series : chart->series()) {
        if (auto *line = qobject_cast<QLineSeries *>(series)) {
            QPen pen(targetColor(line->objectName()));
            pen.setWidthF(2.0);
            line->setPen(pen);
        } else if (auto *bars = qobject_cast<QBarSeries *>(series)) {
            bars->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
        }
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
    QSaveFile file(filePath);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = QObject::tr("Cannot write '%1': %2. Choose a folder you can write to.")
                     .arg(filePath, file.errorString());
        return false;
    }
    return true;
}

} // namespace sa::ui::charts
