#include "charts.h"

#include "chartoverlay.h"

#include "bench/format.h"
#include "bench/latencyhistogram.h"
#include "bench/rounds.h"

#include "platform/atomicfile.h"
#include <QAreaSeries>

#include <QBarCategoryAxis>
#include <QBarLegendMarker>
#include <QBarSeries>
#include <QBarSet>
#include <QBuffer>
#include <QChart>
#include <QCoreApplication>
#include <QCursor>
#include <QFileInfo>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QHash>
#include <QHorizontalBarSeries>
#include <QHorizontalStackedBarSeries>
#include <QImage>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPainter>
#include <QPalette>
#include <QSvgGenerator>
#include <QToolTip>
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
    // "25,000", as every figure of the app reads (format.h), whatever the locale.
    chart->setLocale(QLocale(QLocale::English));
    chart->setLocalizeNumbers(true);
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
    const sa::bench::CellAnalysis *cell;
};

// The cells a bar chart draws: those the analysis calls comparable.
QList<Bar> barsOf(const sa::bench::RunAnalysis &analysis)
{
    QList<Bar> bars;
    // A name with a doubt carries a ⚠ on the axis (the tooltip and the table say which).
    for (const sa::bench::CellAnalysis *cell : analysis.comparableCells())
        bars << Bar { &analysis.result(*cell),
            cell->caveat().isEmpty() ? cell->name : cell->name + QStringLiteral(" ⚠"), cell };
    return bars;
}

sa::bench::RoundFigure roundFigureOf(BarMetric metric)
{
    switch (metric) {
    case BarMetric::RequestsPerSecond:
        return sa::bench::RoundFigure::RequestsPerSecond;
    case BarMetric::LatencyPercentiles:
        return sa::bench::RoundFigure::LatencyP99;
    case BarMetric::PeakMemory:
        return sa::bench::RoundFigure::PeakPss;
    case BarMetric::CpuPercent:
        return sa::bench::RoundFigure::CpuMean;
    }
    return sa::bench::RoundFigure::RequestsPerSecond;
}

// A figure of a bar chart as the chart's unit has it (round figures are in µs
// and bytes).
double inChartUnit(BarMetric metric, double roundValue)
{
    switch (metric) {
    case BarMetric::LatencyPercentiles:
        return roundValue / 1000.0;
    case BarMetric::PeakMemory:
        return roundValue / kMiB;
    case BarMetric::RequestsPerSecond:
    case BarMetric::CpuPercent:
        return roundValue;
    }
    return roundValue;
}

QString figureText(BarMetric metric, double value)
{
    switch (metric) {
    case BarMetric::RequestsPerSecond:
        return sa::fmt::number(value);
    case BarMetric::LatencyPercentiles:
        return sa::fmt::milliseconds(value * 1000.0);
    case BarMetric::PeakMemory:
        return sa::fmt::number(value, 1);
    case BarMetric::CpuPercent:
        return sa::fmt::number(value);
    }
    return {};
}

// What a bar's tooltip says: the exact median, over how many rounds, their
// range and spread, and the cell's doubts.
QString barToolTip(const QString &name, const QString &figure, const QString &unit,
    const sa::bench::FigureSpread &spread, const QString &range, const QString &caveat)
{
    QString text = QObject::tr("%1: %2 %3").arg(name, figure, unit);
    if (spread.hasSpread())
        text += QLatin1Char('\n')
            + QObject::tr("median of %1 rounds; from %2 (CV %3 %)")
                  .arg(spread.rounds)
                  .arg(range, sa::fmt::percent(spread.cv, 1));
    if (!caveat.isEmpty())
        text += QLatin1Char('\n') + QStringLiteral("⚠ ") + caveat;
    return text;
}

void fitLogAxis(QLogValueAxis *axis, double minValue, double maxValue);

// A log axis over whole decades around the data, its labels as plain figures.
QLogValueAxis *logAxis(const QString &title, double minValue, double maxValue)
{
    auto *axis = new QLogValueAxis;
    axis->setTitleText(title);
    axis->setBase(10);
    axis->setMinorTickCount(-1);
    fitLogAxis(axis, minValue, maxValue);
    return axis;
}

// Whole decades around the data, starting an eighth of a decade below the
// lowest: its label then stands clear of the vertical axis's lowest one (and Qt
// leaves out the label of a minimum that is exactly a power of ten). Fixed-point
// labels ("%g" gives empty ones once numbers are localized), with a decimal only
// when a decade below one is shown.
void fitLogAxis(QLogValueAxis *axis, double minValue, double maxValue)
{
    minValue = minValue > 0 ? minValue : 0.1;
    maxValue = std::max(maxValue, minValue * 10);
    const double low = std::pow(10.0, std::floor(std::log10(minValue)));
    axis->setRange(low * std::pow(10.0, -0.125), std::pow(10.0, std::ceil(std::log10(maxValue))));
    axis->setLabelFormat(low < 0.1 ? QStringLiteral("%.2f")
            : low < 1              ? QStringLiteral("%.1f")
                                   : QStringLiteral("%.0f"));
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
        return QObject::tr("MiB (PSS)");
    case BarMetric::CpuPercent:
        return QObject::tr("% of one core");
    }
    return {};
}

// Keeps a bar chart's rows readable: a smaller font beyond five rows (Qt elides
// a row's name when the row is lower than the text), and the height the rows
// need, for the views to give it (minimumChartHeight()).
void fitCategoryAxis(QChart *chart, QBarCategoryAxis *categories, qsizetype rows, double rowsPerTarget = 1)
{
    if (rows > 5) {
        QFont font = categories->labelsFont();
        font.setPointSizeF(font.pointSizeF() * 0.85);
        categories->setLabelsFont(font);
    }
    const QFontMetricsF metrics(categories->labelsFont());
    chart->setProperty(
        "sa_minimumHeight", int(std::ceil(double(rows) * metrics.height() * 1.5 * rowsPerTarget + 130)));
}

} // namespace

int minimumChartHeight(const QChart *chart)
{
    return chart ? chart->property("sa_minimumHeight").toInt() : 0;
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
        return QObject::tr("ms (log scale)");
    case TimelineMetric::MemoryPss:
        return QObject::tr("MiB");
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

namespace {

// A neutral grey, light enough for the lines over it in either theme.
void styleWarmupBand(QAreaSeries *band)
{
    band->setPen(Qt::NoPen);
    band->setColor(QColor(0x86, 0x8E, 0x96, 48));
}

} // namespace

QChart *buildTimeline(TimelineMetric metric, const QList<TargetResult> &targets)
{
    QChart *chart = newChart(timelineTitle(metric));
    auto *x = valueAxis(QObject::tr("seconds since the load started"), QStringLiteral("%.0f"));
    chart->addAxis(x, Qt::AlignBottom);
    if (metric == TimelineMetric::P99Latency)
        chart->addAxis(logAxis(timelineUnit(metric), 1, 10), Qt::AlignLeft);
    else
        chart->addAxis(valueAxis(timelineUnit(metric), QStringLiteral("%.0f")), Qt::AlignLeft);
    // The warm-up band first, so that the lines are drawn over it.
    auto *band = new QAreaSeries(new QLineSeries, new QLineSeries);
    band->setObjectName(QStringLiteral("sa-warmup"));
    band->setName(QObject::tr("warm-up (not counted)"));
    styleWarmupBand(band);
    chart->addSeries(band);
    for (QAbstractAxis *axis : chart->axes())
        band->attachAxis(axis);
    for (const TargetResult &target : targets)
        updateTimeline(chart, metric, target.targetId, target.displayName, target.timeline);
    if (targets.isEmpty())
        updateTimeline(chart, metric, QString(), QString(), {});
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

namespace {

QLineSeries *lineOf(QChart *chart, const QString &targetId)
{
    const QList<QAbstractSeries *> all = chart->series();
    for (QAbstractSeries *candidate : all) {
        if (candidate->objectName() == targetId)
            return qobject_cast<QLineSeries *>(candidate);
    }
    return nullptr;
}

QString timelineFigure(TimelineMetric metric, double value)
{
    switch (metric) {
    case TimelineMetric::RequestsPerSecond:
        return sa::fmt::number(value) + QStringLiteral(" req/s");
    case TimelineMetric::P99Latency:
        return sa::fmt::milliseconds(value * 1000.0) + QStringLiteral(" ms p99");
    case TimelineMetric::MemoryPss:
        return sa::fmt::number(value, 1) + QStringLiteral(" MiB PSS");
    case TimelineMetric::CpuPercent:
        return sa::fmt::number(value) + QStringLiteral(" % CPU");
    }
    return {};
}

} // namespace

void updateTimeline(QChart *chart, TimelineMetric metric, const QString &targetId, const QString &displayName,
    const QList<IntervalSample> &samples)
{
    const bool log = metric == TimelineMetric::P99Latency;
    QLineSeries *series = targetId.isEmpty() ? nullptr : lineOf(chart, targetId);
    if (!series && !targetId.isEmpty()) {
        series = new QLineSeries;
        series->setObjectName(targetId);
        series->setName(displayName.isEmpty() ? targetId : displayName);
        QPen pen(targetColor(targetId));
        pen.setWidthF(2.0);
        series->setPen(pen);
        chart->addSeries(series);
        for (QAbstractAxis *axis : chart->axes())
            series->attachAxis(axis);
        // The exact figure of the interval nearest the pointer.
        QObject::connect(
            series, &QLineSeries::hovered, series, [series, metric](const QPointF &point, bool state) {
                if (!state || series->count() == 0) {
                    QToolTip::hideText();
                    return;
                }
                QPointF nearest = series->at(0);
                for (const QPointF &p : series->points()) {
                    if (std::abs(p.x() - point.x()) < std::abs(nearest.x() - point.x()))
                        nearest = p;
                }
                QToolTip::showText(QCursor::pos(),
                    QObject::tr("%1 at %2 s: %3")
                        .arg(series->name(), sa::fmt::number(nearest.x(), 1),
                            timelineFigure(metric, nearest.y())));
            });
    }

    if (series) {
        QList<QPointF> points;
        points.reserve(samples.size());
        for (const IntervalSample &sample : samples) {
            const double value = timelineValue(metric, sample);
            // A log scale has no zero: an interval without an answer has no latency.
            if (!log || value > 0)
                points.append(QPointF(sample.tSeconds, value));
        }
        series->replace(points);
    }

    // The axes cover every series, so a slow target's line is not cut off by a
    // fast one's range (or the other way round); time ends where the data does.
    double maxX = 0, maxY = 0, minY = 0, warmupEnd = 0;
    bool any = false;
    for (QAbstractSeries *candidate : chart->series()) {
        auto *line = qobject_cast<QLineSeries *>(candidate);
        if (!line || !line->isVisible())
            continue;
        const QList<QPointF> linePoints = line->points();
        for (const QPointF &point : linePoints) {
            maxX = std::max(maxX, point.x());
            maxY = std::max(maxY, point.y());
            if (point.y() > 0)
                minY = any ? std::min(minY, point.y()) : point.y();
            any = any || point.y() > 0;
        }
    }
    if (!samples.isEmpty()) {
        for (const IntervalSample &sample : samples) {
            if (sample.warmup)
                warmupEnd = std::max(warmupEnd, sample.tSeconds);
        }
        chart->setProperty("sa_warmupEnd", std::max(chart->property("sa_warmupEnd").toDouble(), warmupEnd));
    }
    warmupEnd = chart->property("sa_warmupEnd").toDouble();
    if (QValueAxis *x = axisOf(chart, Qt::Horizontal))
        fitAxisToSpace(chart, x, maxX > 0 ? maxX : 1.0);
    double yMin = 0, yMax = 0;
    if (log) {
        if (auto *y = qobject_cast<QLogValueAxis *>(chart->axes(Qt::Vertical).value(0))) {
            fitLogAxis(y, any ? minY : 1.0, any ? maxY : 10.0);
            yMin = y->min();
            yMax = y->max();
        }
    } else if (QValueAxis *y = axisOf(chart, Qt::Vertical)) {
        fitAxisToSpace(chart, y, maxY > 0 ? maxY * 1.05 : 1.0);
        yMin = 0;
        yMax = y->max();
    }
    for (QAbstractSeries *candidate : chart->series()) {
        auto *band = qobject_cast<QAreaSeries *>(candidate);
        if (!band || band->objectName() != QLatin1String("sa-warmup"))
            continue;
        // Over the whole height: a vertical axis's top is where its fitting put it.
        const double top = log ? yMax : std::max(yMax, maxY * 10);
        band->upperSeries()->replace({ QPointF(0, top), QPointF(warmupEnd, top) });
        band->lowerSeries()->replace({ QPointF(0, yMin), QPointF(warmupEnd, yMin) });
        band->setVisible(warmupEnd > 0);
    }
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
    double maxX = 0, minX = 0;
    QAbstractBarSeries *series = nullptr;
    QList<BarMark> marks;
    const QString unit = barUnit(metric);

    if (metric == BarMetric::LatencyPercentiles) {
        // Three bars per target; the percentiles are told apart by shade, the
        // targets by the axis.
        auto *grouped = new QHorizontalBarSeries;
        const struct
        {
            const char *name;
            QColor colour;
            double LatencySummary::*field;
            sa::bench::RoundFigure figure;
        } percentiles[] = {
            { "p50", QColor(0x9B, 0xC4, 0xE8), &LatencySummary::p50Us, sa::bench::RoundFigure::LatencyP50 },
            { "p90", QColor(0x4A, 0x8F, 0xD0), &LatencySummary::p90Us, sa::bench::RoundFigure::LatencyP90 },
            { "p99", QColor(0x1A, 0x4F, 0x8F), &LatencySummary::p99Us, sa::bench::RoundFigure::LatencyP99 },
        };
        // Added p99 first so that, bottom-up, p50 is the top bar of each group.
        for (auto p = std::crbegin(percentiles); p != std::crend(percentiles); ++p) {
            auto *set = new QBarSet(QLatin1String(p->name));
            set->setColor(p->colour);
            set->setBorderColor(p->colour);
            int index = 0;
            for (auto it = shown.crbegin(); it != shown.crend(); ++it, ++index) {
                const double value = (it->result->latency.*(p->field)) / 1000.0;
                set->append(value);
                const sa::bench::FigureSpread &spread = it->cell->spread(p->figure);
                BarMark mark;
                mark.set = set;
                mark.index = index;
                mark.value = value;
                if (spread.hasSpread()) {
                    mark.errorMin = spread.min / 1000.0;
                    mark.errorMax = spread.max / 1000.0;
                }
                mark.label = figureText(metric, value);
                mark.toolTip = barToolTip(it->name + QStringLiteral(" ") + QLatin1String(p->name), mark.label,
                    unit, spread,
                    sa::fmt::milliseconds(spread.min) + QStringLiteral("–")
                        + sa::fmt::milliseconds(spread.max) + QStringLiteral(" ms"),
                    it->cell->caveat());
                marks << mark;
                maxX = std::max({ maxX, value, mark.errorMax });
                if (value > 0)
                    minX = minX > 0 ? std::min(minX, value) : value;
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
        const sa::bench::RoundFigure figure = roundFigureOf(metric);
        for (qsizetype i = 0; i < rows; ++i) {
            const Bar &bar = shown.at(rows - 1 - i);
            const TargetResult &target = *bar.result;
            auto *set = new QBarSet(bar.name);
            set->setObjectName(target.targetId);
            set->setColor(targetColor(target.targetId));
            set->setBorderColor(targetColor(target.targetId));
            const double value = barValue(metric, target);
            for (qsizetype row = 0; row < rows; ++row)
                set->append(row == i ? value : 0.0);
            const sa::bench::FigureSpread &spread = bar.cell->spread(figure);
            BarMark mark;
            mark.set = set;
            mark.index = int(i);
            mark.value = value;
            if (spread.hasSpread()) {
                mark.errorMin = inChartUnit(metric, spread.min);
                mark.errorMax = inChartUnit(metric, spread.max);
            }
            mark.label = figureText(metric, value);
            mark.toolTip = barToolTip(bar.name, mark.label, unit, spread,
                figureText(metric, mark.errorMin) + QStringLiteral("–") + figureText(metric, mark.errorMax),
                bar.cell->caveat());
            marks << mark;
            maxX = std::max({ maxX, value, mark.errorMax });
            stacked->append(set);
        }
        series = stacked;
        chart->legend()->setVisible(false); // the axis names the targets
    }
    fitCategoryAxis(chart, categories, rows, metric == BarMetric::LatencyPercentiles ? 1.6 : 1.0);
    series->setBarWidth(metric == BarMetric::LatencyPercentiles ? 0.8 : 0.6);
    chart->addSeries(series);
    chart->addAxis(categories, Qt::AlignLeft);
    series->attachAxis(categories);
    if (metric == BarMetric::LatencyPercentiles) {
        // Go and Python are a decade or more apart: a log scale shows both.
        QLogValueAxis *x = logAxis(QObject::tr("ms (log scale)"), minX, maxX * 3);
        chart->addAxis(x, Qt::AlignBottom);
        series->attachAxis(x);
        decorateBars(chart, series, marks, false);
    } else {
        auto *x = valueAxis(unit, QStringLiteral("%.0f"));
        chart->addAxis(x, Qt::AlignBottom);
        series->attachAxis(x);
        decorateBars(chart, series, marks, true);
        fitAxisToSpace(chart, x, maxX);
    }
    return chart;
}

QChart *buildLatencyHistogram(const sa::bench::RunAnalysis &analysis)
{
    QChart *chart = newChart(QObject::tr("Latency distribution (share of requests)"));
    double minUs = 0, maxUs = 0, maxShare = 0;
    QList<QLineSeries *> lines;
    for (const sa::bench::CellAnalysis *cell : analysis.cellsWithFigures()) {
        const TargetResult &t = analysis.result(*cell);
        qint64 total = 0;
        for (const sa::bench::LatencyBucket &bucket : t.latencyHistogram)
            total += bucket.count;
        if (total == 0)
            continue;
        auto *line = new QLineSeries;
        line->setObjectName(t.targetId);
        line->setName(cell->name);
        QPen pen(targetColor(t.targetId));
        pen.setWidthF(2.0);
        line->setPen(pen);
        // Steps: each bucket a flat stretch at its share of the requests.
        QList<QPointF> points;
        for (const sa::bench::LatencyBucket &bucket : t.latencyHistogram) {
            const double low = sa::bench::latencyBucketLowerUs(bucket) / 1000.0;
            const double high = bucket.upperUs / 1000.0;
            const double share = 100.0 * double(bucket.count) / double(total);
            points << QPointF(low, share) << QPointF(high, share);
            minUs = minUs > 0 ? std::min(minUs, low) : low;
            maxUs = std::max(maxUs, high);
            maxShare = std::max(maxShare, share);
        }
        line->replace(points);
        const QString name = cell->name;
        QObject::connect(line, &QLineSeries::hovered, line, [line, name](const QPointF &point, bool state) {
            if (!state) {
                QToolTip::hideText();
                return;
            }
            const QList<QPointF> pts = line->points();
            for (qsizetype i = 0; i + 1 < pts.size(); i += 2) {
                if (point.x() >= pts.at(i).x() && point.x() <= pts.at(i + 1).x()) {
                    QToolTip::showText(QCursor::pos(),
                        QObject::tr("%1: %2 % of requests took %3–%4 ms")
                            .arg(name, sa::fmt::number(pts.at(i).y(), 1),
                                sa::fmt::milliseconds(pts.at(i).x() * 1000.0),
                                sa::fmt::milliseconds(pts.at(i + 1).x() * 1000.0)));
                    return;
                }
            }
        });
        lines << line;
    }
    QLogValueAxis *x
        = logAxis(QObject::tr("latency, ms (log scale)"), minUs > 0 ? minUs : 0.1, maxUs > 0 ? maxUs : 10);
    auto *y = valueAxis(QObject::tr("% of requests"), QStringLiteral("%.0f"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (QLineSeries *line : std::as_const(lines)) {
        chart->addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);
    }
    fitAxisToSpace(chart, y, maxShare > 0 ? maxShare * 1.05 : 1.0);
    // A column of names on the right: a row of eight at the bottom would be elided.
    chart->legend()->setAlignment(Qt::AlignRight);
    QFont font = chart->legend()->font();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    chart->legend()->setFont(font);
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
    QList<std::pair<Bar, Bar>> pairs;
    for (const Bar &barA : barsOf(first)) {
        const TargetResult &a = *barA.result;
        for (const Bar &barB : barsOf(second)) {
            const TargetResult &b = *barB.result;
            if (a.targetId == b.targetId && a.scenario == b.scenario && a.connections == b.connections) {
                pairs.append(std::make_pair(barA, barB));
                break;
            }
        }
    }
    QList<BarMark> marks;
    const sa::bench::RoundFigure figure = roundFigureOf(metric);
    const QString unit = metric == BarMetric::LatencyPercentiles ? QObject::tr("p99, ms") : barUnit(metric);
    // Bottom-up: reversed so the first run's order reads top-down.
    int index = 0;
    for (auto it = pairs.crbegin(); it != pairs.crend(); ++it, ++index) {
        categories->append(it->first.result->displayName);
        for (const auto &[set, bar, label] : { std::tuple { firstSet, it->first, firstLabel },
                 std::tuple { secondSet, it->second, secondLabel } }) {
            const double value = barValue(metric, *bar.result);
            set->append(value);
            const sa::bench::FigureSpread &spread = bar.cell->spread(figure);
            BarMark mark;
            mark.set = set;
            mark.index = index;
            mark.value = value;
            if (spread.hasSpread()) {
                mark.errorMin = inChartUnit(metric, spread.min);
                mark.errorMax = inChartUnit(metric, spread.max);
            }
            mark.label = figureText(metric, value);
            mark.toolTip = barToolTip(bar.result->displayName + QStringLiteral(", ") + label, mark.label,
                unit, spread,
                figureText(metric, mark.errorMin) + QStringLiteral("–") + figureText(metric, mark.errorMax),
                bar.cell->caveat());
            marks << mark;
            maxX = std::max({ maxX, value, mark.errorMax });
        }
    }
    // Added second first: bottom-up, the first run's bar is then the upper one.
    series->append(secondSet);
    series->append(firstSet);
    fitCategoryAxis(chart, categories, pairs.size(), 1.3);
    chart->addSeries(series);
    chart->addAxis(categories, Qt::AlignLeft);
    series->attachAxis(categories);
    auto *x = valueAxis(unit, QStringLiteral("%.0f"));
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    decorateBars(chart, series, marks, false);
    fitAxisToSpace(chart, x, maxX);
    return chart;
}

void makeLegendClickable(QChart *chart)
{
    const QList<QLegendMarker *> markers = chart->legend()->markers();
    for (QLegendMarker *marker : markers) {
        QObject::connect(marker, &QLegendMarker::clicked, marker, [chart, marker] {
            bool hidden = false;
            if (auto *bar = qobject_cast<QBarLegendMarker *>(marker)) {
                // A set cannot be hidden alone: it turns transparent, and the
                // overlay leaves its figures and error bars out.
                QBarSet *set = bar->barset();
                QColor colour = set->color();
                if (colour.alpha() > 0) {
                    set->setProperty("sa_colour", colour);
                    colour.setAlpha(0);
                    hidden = true;
                } else {
                    colour = set->property("sa_colour").value<QColor>();
                }
                set->setColor(colour);
                set->setBorderColor(colour);
            } else if (QAbstractSeries *series = marker->series()) {
                // Transparent rather than hidden: a hidden series takes its legend
                // entry with it, and the entry must stay to be clicked again.
                hidden = series->opacity() > 0;
                series->setOpacity(hidden ? 0.0 : 1.0);
            }
            QFont font = marker->font();
            font.setStrikeOut(hidden);
            marker->setFont(font);
            layoutOverlay(chart);
        });
    }
}

void setTargetVisible(QChart *chart, const QString &targetId, bool visible)
{
    for (QAbstractSeries *series : chart->series()) {
        if (series->objectName() == targetId)
            series->setVisible(visible);
    }
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
        } else if (auto *band = qobject_cast<QAreaSeries *>(series);
                   band && band->objectName() == QLatin1String("sa-warmup")) {
            styleWarmupBand(band);
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
    layoutOverlay(chart); // the figures and error bars take the new text colour
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
    layoutOverlay(chart); // for this size and the fonts the caller may have set
    // A refit axis is laid out on the next event; here, before painting, or the
    // scene paints axis items the layout then replaces.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    if (QGraphicsLayout *layout = chart->layout())
        layout->activate();
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
    QList<BarMark> marks;
    // Bottom-up in a horizontal chart: reversed, so the first criterion is on top.
    int index = 0;
    for (auto it = contributions.crbegin(); it != contributions.crend(); ++it, ++index) {
        categories->append(it->title);
        for (const auto &[set, value] : { std::pair { go, it->go }, std::pair { python, it->python } }) {
            set->append(value);
            BarMark mark;
            mark.set = set;
            mark.index = index;
            mark.value = value;
            mark.label = value > 0 ? sa::fmt::number(value, 1) : QString();
            mark.toolTip = QObject::tr("%1, %2: %3 score points")
                               .arg(it->title, set->label(), sa::fmt::number(value, 1));
            marks << mark;
        }
        maxX = std::max({ maxX, it->go, it->python });
    }
    series->append(go);
    series->append(python);
    series->setBarWidth(0.8);
    fitCategoryAxis(chart, categories, contributions.size(), 1.4);
    chart->addSeries(series);
    chart->addAxis(categories, Qt::AlignLeft);
    series->attachAxis(categories);
    auto *x = valueAxis(QObject::tr("score points"), QStringLiteral("%.0f"));
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    decorateBars(chart, series, marks, false);
    fitAxisToSpace(chart, x, maxX);
    return chart;
}

} // namespace sa::ui::charts
