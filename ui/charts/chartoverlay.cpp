#include "chartoverlay.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QChart>
#include <QCursor>
#include <QFontMetricsF>
#include <QGraphicsPathItem>
#include <QGraphicsSimpleTextItem>
#include <QLocale>
#include <QPainterPath>
#include <QPen>
#include <QPointer>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace sa::ui::charts {

namespace {

// Above the series, the grid and the plot's background.
constexpr qreal kOverlayZ = 1000;
constexpr qreal kLabelGap = 4; // between a bar (or its error bar) and its figure

struct Decoration
{
    QPointer<QAbstractBarSeries> series;
    QList<BarMark> marks;
    bool stacked = false;
};

struct FittedAxis
{
    QPointer<QValueAxis> axis;
    double dataMax = 0;
};

QString axisNumber(double value, int decimals)
{
    return QLocale(QLocale::English).toString(value, 'f', decimals);
}

// As many decimals as the step has: 0.25 is "0.25", not "0.3".
int decimalsFor(double step)
{
    for (int decimals = 0; decimals < 6; ++decimals) {
        const double scaled = step * std::pow(10.0, decimals);
        if (std::abs(scaled - std::round(scaled)) < 1e-6 * scaled)
            return decimals;
    }
    return 6;
}

class ChartOverlay final : public QObject
{
public:
    explicit ChartOverlay(QChart *chart) : QObject(chart), m_chart(chart)
    {
        setObjectName(QStringLiteral("sa-chart-overlay"));
        // Qt emits this in the middle of laying the chart out, where a change of
        // an axis is not laid out again: the fitting waits until the layout is
        // done. (The PDF calls layoutOverlay() itself, right after sizing.)
        connect(chart, &QChart::plotAreaChanged, this, [this] {
            if (m_busy || m_queued)
                return;
            m_queued = true;
            QMetaObject::invokeMethod(
                this,
                [this] {
                    m_queued = false;
                    relayout();
                },
                Qt::QueuedConnection);
        });
    }

    static ChartOverlay *of(QChart *chart)
    {
        if (auto *existing = chart->findChild<ChartOverlay *>(
                QStringLiteral("sa-chart-overlay"), Qt::FindDirectChildrenOnly))
            return existing;
        return new ChartOverlay(chart);
    }

    void addDecoration(QAbstractBarSeries *series, const QList<BarMark> &marks, bool stacked)
    {
        m_decorations.append({ series, marks, stacked });
        for (const BarMark &mark : marks) {
            QBarSet *set = mark.set;
            if (!set || m_hooked.contains(set))
                continue;
            m_hooked << set;
            // The exact figure on hover, for every bar whatever its label shows.
            connect(set, &QBarSet::hovered, this, [this, set](bool status, int index) {
                if (!status) {
                    QToolTip::hideText();
                    return;
                }
                for (const Decoration &d : std::as_const(m_decorations)) {
                    for (const BarMark &m : d.marks) {
                        if (m.set == set && m.index == index && !m.toolTip.isEmpty()) {
                            QToolTip::showText(QCursor::pos(), m.toolTip);
                            return;
                        }
                    }
                }
            });
        }
    }

    void fitAxis(QValueAxis *axis, double dataMax)
    {
        for (FittedAxis &fitted : m_axes) {
            if (fitted.axis == axis) {
                fitted.dataMax = dataMax;
                return;
            }
        }
        m_axes.append({ axis, dataMax });
    }

    void relayout()
    {
        if (m_busy)
            return;
        m_busy = true;
        // Fitting an axis can change the plot area (wider tick labels): fit again
        // until it stands still (twice is the most it has needed).
        for (int pass = 0; pass < 3; ++pass) {
            const QRectF before = m_chart->plotArea();
            fitAxes();
            if (m_chart->plotArea() == before)
                break;
        }
        placeMarks();
        m_busy = false;
    }

private:
    bool isHorizontal(QValueAxis *axis) const { return m_chart->axes(Qt::Horizontal).contains(axis); }

    // How far the bar figures reach past their bars, for the value axis's headroom.
    double headroomFor(QValueAxis *axis, double span) const
    {
        double needed = 0;
        for (const Decoration &d : m_decorations) {
            if (!d.series || !d.series->isVisible() || !d.series->attachedAxes().contains(axis))
                continue;
            for (const BarMark &mark : d.marks) {
                if (mark.label.isEmpty() || !mark.set)
                    continue;
                const double end = std::max(mark.value, mark.hasError() ? mark.errorMax : 0.0);
                const double width
                    = QFontMetricsF(mark.set->labelFont()).horizontalAdvance(mark.label) + 2 * kLabelGap;
                if (span > width * 1.5)
                    needed = std::max(needed, end * span / (span - width));
            }
        }
        return needed;
    }

    void fitAxes()
    {
        const QRectF plot = m_chart->plotArea();
        for (const FittedAxis &fitted : std::as_const(m_axes)) {
            QValueAxis *axis = fitted.axis;
            if (!axis || plot.isEmpty())
                continue;
            const bool horizontal = isHorizontal(axis);
            const double span = horizontal ? plot.width() : plot.height();
            const QFontMetricsF metrics(axis->labelsFont());
            const double target
                = std::max({ fitted.dataMax, horizontal ? headroomFor(axis, span) : 0.0, 1e-9 });
            // The widest label is about the largest figure's; a gap of two digits
            // keeps neighbours apart.
            int intervals = 8;
            for (; intervals > 1; --intervals) {
                const double step = niceStep(target, intervals);
                const double extent = horizontal ? metrics.horizontalAdvance(axisNumber(
                                                       std::ceil(target / step) * step, decimalsFor(step)))
                        + metrics.horizontalAdvance(QStringLiteral("00"))
                                                 : metrics.height() * 1.8;
                if (extent * intervals <= span)
                    break;
            }
            const double step = niceStep(target, intervals);
            const int count = std::max(1, int(std::ceil(target / step - 1e-9)));
            const double max = count * step;
            const QString format = QStringLiteral("%.%1f").arg(decimalsFor(step));
            if (horizontal) {
                // The last tick's label is centred on the plot's right edge: the
                // chart's margin must hold its right half, or Qt elides it.
                const double half = metrics.horizontalAdvance(axisNumber(max, decimalsFor(step))) / 2 + 2;
                QMargins margins = m_chart->margins();
                if (margins.right() < half) {
                    margins.setRight(int(std::ceil(half)));
                    m_chart->setMargins(margins);
                }
            }
            if (axis->min() != 0 || std::abs(axis->max() - max) > 1e-12)
                axis->setRange(0, max);
            if (axis->tickCount() != count + 1)
                axis->setTickCount(count + 1);
            if (axis->labelFormat() != format)
                axis->setLabelFormat(format);
        }
    }

    QGraphicsSimpleTextItem *labelItem(int i)
    {
        while (m_labels.size() <= i) {
            auto *item = new QGraphicsSimpleTextItem(m_chart);
            item->setZValue(kOverlayZ + 1);
            item->setAcceptHoverEvents(false);
            m_labels.append(item);
        }
        return m_labels.at(i);
    }

    void placeMarks()
    {
        const QRectF plot = m_chart->plotArea();
        QPainterPath errors;
        QList<QRectF> placed;
        int used = 0;
        QColor ink = Qt::black;
        if (const QList<QAbstractAxis *> axes = m_chart->axes(); !axes.isEmpty())
            ink = axes.first()->labelsColor();
        for (const Decoration &d : std::as_const(m_decorations)) {
            QAbstractBarSeries *series = d.series;
            if (!series || !series->isVisible())
                continue;
            const QList<QBarSet *> sets = series->barSets();
            const double width = series->barWidth();
            for (const BarMark &mark : d.marks) {
                const qsizetype setIndex = sets.indexOf(mark.set);
                if (setIndex < 0)
                    continue;
                // The bar's middle and half its thickness, in the category axis's units.
                const double groups = d.stacked ? 1.0 : double(sets.size());
                const double centre = d.stacked
                    ? double(mark.index)
                    : double(mark.index) - width / 2 + (double(setIndex) + 0.5) * width / groups;
                const double half = width / groups / 2;
                const QPointF middle = m_chart->mapToPosition(QPointF(mark.value, centre), series);
                const QPointF edge = m_chart->mapToPosition(QPointF(mark.value, centre + half), series);
                const double halfPx = std::abs(middle.y() - edge.y());
                // A hidden set (its legend entry clicked) keeps neither.
                const bool shown = mark.set->color().alpha() > 0;
                double endX = middle.x();
                if (shown && mark.hasError()) {
                    const QPointF a = m_chart->mapToPosition(QPointF(mark.errorMin, centre), series);
                    const QPointF b = m_chart->mapToPosition(QPointF(mark.errorMax, centre), series);
                    const double cap = std::clamp(halfPx * 0.6, 2.0, 6.0);
                    errors.moveTo(a.x(), a.y() - cap);
                    errors.lineTo(a.x(), a.y() + cap);
                    errors.moveTo(a.x(), a.y());
                    errors.lineTo(b.x(), b.y());
                    errors.moveTo(b.x(), b.y() - cap);
                    errors.lineTo(b.x(), b.y() + cap);
                    endX = std::max(endX, b.x());
                }
                if (mark.label.isEmpty() || !shown)
                    continue;
                QGraphicsSimpleTextItem *item = labelItem(used++);
                item->setFont(mark.set->labelFont());
                item->setBrush(ink);
                item->setText(mark.label);
                const QRectF box = item->boundingRect();
                const QRectF at(endX + kLabelGap, middle.y() - box.height() / 2, box.width(), box.height());
                // Inside the plot, and clear of every label already placed.
                const bool fits = at.right() <= plot.right() + 1 && at.top() >= plot.top() - 1
                    && at.bottom() <= plot.bottom() + 1
                    && std::none_of(placed.cbegin(), placed.cend(),
                        [&at](const QRectF &other) { return other.intersects(at); });
                item->setPos(at.topLeft());
                item->setVisible(fits);
                if (fits)
                    placed << at;
            }
        }
        for (int i = used; i < m_labels.size(); ++i)
            m_labels.at(i)->setVisible(false);
        if (!m_errorItem) {
            m_errorItem = new QGraphicsPathItem(m_chart);
            m_errorItem->setZValue(kOverlayZ);
        }
        QPen pen(ink);
        pen.setWidthF(1.2);
        m_errorItem->setPen(pen);
        m_errorItem->setPath(errors);
    }

    QChart *m_chart;
    QList<Decoration> m_decorations;
    QList<FittedAxis> m_axes;
    QList<QGraphicsSimpleTextItem *> m_labels;
    QGraphicsPathItem *m_errorItem = nullptr;
    QList<QBarSet *> m_hooked;
    bool m_busy = false;
    bool m_queued = false;
};

} // namespace

double niceStep(double value, int intervals)
{
    value = value > 0 ? value : 1.0;
    intervals = std::max(1, intervals);
    const double magnitude = std::pow(10.0, std::floor(std::log10(value / intervals)));
    for (const double candidate : { 1.0, 2.0, 2.5, 5.0, 10.0 }) {
        if (value / (candidate * magnitude) <= intervals + 1e-9)
            return candidate * magnitude;
    }
    return 10.0 * magnitude;
}

void decorateBars(
    QChart *chart, QAbstractBarSeries *series, const QList<BarMark> &marks, bool stackedOnePerRow)
{
    // Qt's own labels sit at the bar's end, under an error bar and over their
    // neighbours; the overlay's are placed and checked.
    series->setLabelsVisible(false);
    ChartOverlay::of(chart)->addDecoration(series, marks, stackedOnePerRow);
}

void fitAxisToSpace(QChart *chart, QValueAxis *axis, double dataMax)
{
    ChartOverlay *overlay = ChartOverlay::of(chart);
    overlay->fitAxis(axis, dataMax);
    overlay->relayout();
}

void layoutOverlay(QChart *chart)
{
    if (auto *overlay
        = chart->findChild<ChartOverlay *>(QStringLiteral("sa-chart-overlay"), Qt::FindDirectChildrenOnly))
        overlay->relayout();
}

} // namespace sa::ui::charts
