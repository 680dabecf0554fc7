#include "capacitycharts.h"

#include "charts.h"

#include "bench/format.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QHorizontalBarSeries>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace sa::ui::charts {

using sa::bench::CapacityPlan;
using sa::bench::CapacityStep;
using sa::bench::SweepReading;

namespace {

// Which part of the latency-load chart a series is, and which cell it draws.
constexpr char kRoleProperty[] = "saCapacityRole";
constexpr char kKeyProperty[] = "saCapacityKey";
const QString kLine = QStringLiteral("line");
const QString kKnee = QStringLiteral("knee");
const QString kTarget = QStringLiteral("target");
const QString kLegend = QStringLiteral("legend");

const QColor kTargetColour(0xC0, 0x39, 0x2B);

QLogValueAxis *logAxis(const QString &title)
{
    auto *axis = new QLogValueAxis;
    axis->setBase(10);
    axis->setTitleText(title);
    axis->setLabelFormat(QStringLiteral("%g"));
    axis->setMinorTickCount(8);
    return axis;
}

QLogValueAxis *axisOf(QChart *chart, Qt::Orientation orientation)
{
    const QList<QAbstractAxis *> axes = chart->axes(orientation);
    for (QAbstractAxis *axis : axes) {
        if (auto *log = qobject_cast<QLogValueAxis *>(axis))
            return log;
    }
    return nullptr;
}

QXYSeries *findSeries(QChart *chart, const QString &role, const QString &key = {})
{
    const QList<QAbstractSeries *> all = chart->series();
    for (QAbstractSeries *series : all) {
        if (series->property(kRoleProperty).toString() == role
            && (key.isEmpty() || series->property(kKeyProperty).toString() == key))
            return qobject_cast<QXYSeries *>(series);
    }
    return nullptr;
}

void attach(QChart *chart, QAbstractSeries *series, bool inLegend)
{
    chart->addSeries(series);
    for (QAbstractAxis *axis : chart->axes())
        series->attachAxis(axis);
    if (!inLegend) {
        const QList<QLegendMarker *> markers = chart->legend()->markers(series);
        for (QLegendMarker *marker : markers)
            marker->setVisible(false);
    }
}

// Whole decades around every point and the target, so the log axes label them.
void rescale(QChart *chart, double targetMs)
{
    double minX = HUGE_VAL, maxX = 0, minY = targetMs, maxY = targetMs;
    const QList<QAbstractSeries *> all = chart->series();
    for (QAbstractSeries *series : all) {
        const QString role = series->property(kRoleProperty).toString();
        if (role != kLine)
            continue;
        const QList<QPointF> points = static_cast<QXYSeries *>(series)->points();
        for (const QPointF &p : points) {
            minX = std::min(minX, p.x());
            maxX = std::max(maxX, p.x());
            minY = std::min(minY, p.y());
            maxY = std::max(maxY, p.y());
        }
    }
    if (maxX <= 0) { // nothing measured yet
        minX = 10;
        maxX = 10000;
    }
    const auto decadeBelow = [](double v) { return std::pow(10.0, std::floor(std::log10(v) + 1e-9)); };
    const auto decadeAbove = [](double v) { return std::pow(10.0, std::ceil(std::log10(v) - 1e-9)); };
    double x0 = decadeBelow(minX), x1 = decadeAbove(maxX);
    if (x1 <= x0)
        x1 = x0 * 10;
    double y0 = decadeBelow(std::max(0.01, minY)), y1 = decadeAbove(std::max(maxY, y0 * 10));
    if (y1 <= y0)
        y1 = y0 * 10;
    if (QLogValueAxis *x = axisOf(chart, Qt::Horizontal))
        x->setRange(x0, x1);
    if (QLogValueAxis *y = axisOf(chart, Qt::Vertical))
        y->setRange(y0, y1);
    if (QXYSeries *target = findSeries(chart, kTarget))
        target->replace({ QPointF(x0, targetMs), QPointF(x1, targetMs) });
}

QString targetName(double ms)
{
    return QObject::tr("p99 target, %1 ms").arg(fmt::number(ms, ms < 10 ? 1 : 0));
}

} // namespace

QList<QPointF> latencyLoadPoints(const QList<CapacityStep> &steps, const SweepReading &reading)
{
    QList<QPointF> points;
    for (int i : reading.byRate) {
        const CapacityStep &s = steps.at(i);
        if (s.requests > 0 && s.latency.p99Us > 0)
            points << QPointF(s.offeredRate, s.latency.p99Us / 1000.0);
    }
    return points;
}

QChart *buildLatencyLoadChart(const sa::bench::RunAnalysis &analysis)
{
    auto *chart = new QChart;
    chart->setTitle(QObject::tr("p99 latency against offered load"));
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->addAxis(logAxis(QObject::tr("offered load, req/s (log scale)")), Qt::AlignBottom);
    chart->addAxis(logAxis(QObject::tr("p99 latency, ms (log scale)")), Qt::AlignLeft);

    const CapacityPlan &plan = analysis.run().plan.capacity;
    auto *target = new QLineSeries;
    target->setObjectName(QStringLiteral("latency-target"));
    target->setProperty(kRoleProperty, kTarget);
    target->setProperty(kOwnColoursProperty, true);
    target->setName(targetName(plan.latencyTargetMs));
    QPen pen(kTargetColour);
    pen.setStyle(Qt::DashLine);
    pen.setWidthF(1.5);
    target->setPen(pen);
    attach(chart, target, true);

    // One legend entry for every cell's knee marker.
    auto *knee = new QScatterSeries;
    knee->setProperty(kRoleProperty, kLegend);
    knee->setProperty(kOwnColoursProperty, true);
    knee->setName(QObject::tr("knee: the highest sustained step"));
    knee->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    knee->setMarkerSize(10);
    knee->setBrush(QColor(0x60, 0x60, 0x60));
    knee->setPen(QPen(Qt::white, 1.5));
    attach(chart, knee, true);

    for (const sa::bench::CellAnalysis *cell : sa::bench::sweptCells(analysis)) {
        const sa::bench::TargetResult &t = analysis.result(*cell);
        updateLatencyLoadChart(
            chart, QString::number(cell->index), t.targetId, cell->name, t.capacity->steps, plan);
    }
    rescale(chart, plan.latencyTargetMs);
    return chart;
}

void updateLatencyLoadChart(QChart *chart, const QString &key, const QString &targetId, const QString &name,
    const QList<CapacityStep> &steps, const CapacityPlan &plan)
{
    const SweepReading reading = sa::bench::readSweep(steps, plan);
    const QColor colour = targetColor(targetId);
    auto *line = static_cast<QLineSeries *>(findSeries(chart, kLine, key));
    if (!line) {
        line = new QLineSeries;
        line->setObjectName(targetId); // the palette colours a line by its target
        line->setProperty(kRoleProperty, kLine);
        line->setProperty(kKeyProperty, key);
        line->setName(name);
        QPen pen(colour);
        pen.setWidthF(2.0);
        line->setPen(pen);
        line->setPointsVisible(true);
        attach(chart, line, true);
    }
    line->replace(latencyLoadPoints(steps, reading));

    auto *knee = static_cast<QScatterSeries *>(findSeries(chart, kKnee, key));
    if (!knee) {
        knee = new QScatterSeries;
        knee->setProperty(kRoleProperty, kKnee);
        knee->setProperty(kKeyProperty, key);
        knee->setProperty(kOwnColoursProperty, true);
        knee->setName(QObject::tr("%1: knee").arg(name));
        knee->setMarkerShape(QScatterSeries::MarkerShapeCircle);
        knee->setMarkerSize(11);
        knee->setBrush(colour);
        knee->setPen(QPen(Qt::white, 1.5));
        attach(chart, knee, false);
    }
    QList<QPointF> kneePoint;
    if (reading.sustainable >= 0) {
        const CapacityStep &s = steps.at(reading.sustainable);
        if (s.latency.p99Us > 0)
            kneePoint << QPointF(s.offeredRate, s.latency.p99Us / 1000.0);
    }
    knee->replace(kneePoint);
    if (QXYSeries *target = findSeries(chart, kTarget))
        target->setName(targetName(plan.latencyTargetMs));
    rescale(chart, plan.latencyTargetMs);
}

QChart *buildCpuPerRequestChart(const sa::bench::RunAnalysis &analysis)
{
    auto *chart = new QChart;
    chart->setTitle(QObject::tr("Server CPU per request (lower is better)"));
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    const double common = analysis.run().plan.capacity.commonRate;
    auto *atCommon = new QBarSet(common >= 1 ? QObject::tr("at %1 req/s (common)").arg(fmt::number(common))
                                             : QObject::tr("at the common rate (none)"));
    auto *atSustainable = new QBarSet(QObject::tr("at sustainable"));
    atCommon->setColor(QColor(0x9B, 0xC4, 0xE8));
    atCommon->setBorderColor(atCommon->color());
    atSustainable->setColor(QColor(0x1A, 0x4F, 0x8F));
    atSustainable->setBorderColor(atSustainable->color());
    auto *categories = new QBarCategoryAxis;
    const QList<const sa::bench::CellAnalysis *> cells = sa::bench::sweptCells(analysis);
    double maxX = 0;
    const auto rounded = [](const std::optional<double> &us) {
        return us ? std::round(*us * (*us < 100 ? 10.0 : 1.0)) / (*us < 100 ? 10.0 : 1.0) : 0.0;
    };
    // Bottom-up in a horizontal chart: reversed, so the run order reads top-down.
    for (auto it = cells.crbegin(); it != cells.crend(); ++it) {
        const sa::bench::CellCapacity &c = analysis.capacity(**it);
        categories->append((*it)->name);
        atCommon->append(rounded(c.cpuUsPerRequestCommon));
        atSustainable->append(rounded(c.cpuUsPerRequestSustainable));
        maxX = std::max({ maxX, rounded(c.cpuUsPerRequestCommon), rounded(c.cpuUsPerRequestSustainable) });
    }
    auto *series = new QHorizontalBarSeries;
    // Added second first: bottom-up, the common-rate bar is then the upper one.
    series->append(atSustainable);
    series->append(atCommon);
    series->setLabelsVisible(cells.size() <= 8);
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    series->setLabelsPrecision(9);
    series->setLabelsFormat(QStringLiteral("@value"));
    series->setBarWidth(0.8);
    chart->addSeries(series);
    chart->addAxis(categories, Qt::AlignLeft);
    series->attachAxis(categories);
    auto *x = new QValueAxis;
    x->setTitleText(QObject::tr("µs of server CPU per completed request"));
    x->setLabelFormat(QStringLiteral("%.0f"));
    // Room for the label at the end of the longest bar.
    const double top = maxX > 0 ? maxX * 1.2 : 100.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(top)));
    x->setRange(0, std::ceil(top / magnitude) * magnitude);
    x->setTickCount(int(std::ceil(top / magnitude)) + 1);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    return chart;
}

} // namespace sa::ui::charts
