#pragma once

// What keeps a chart readable at any size, on screen and on paper. Qt Charts
// draws the axes and the series; this adds, for every layout of the chart:
//  - value axes whose tick count follows the space (a label needs its width on a
//    horizontal axis, a line and a half on a vertical one), with room at the end
//    for the labels of the longest bars;
//  - the figure of each bar, placed after the bar or its error bar, and left out
//    when it would touch another label or leave the plot (its tooltip and the
//    table still have it): nothing is drawn over anything else;
//  - error bars (the min–max of the rounds) over the bars;
//  - tooltips with the exact figure on every bar and line point.
// The chart-building functions (charts.h) describe the bars; layoutOverlay()
// places everything for the chart's current geometry, and runs by itself on
// every change of the plot area.

#include <QList>
#include <QString>

QT_BEGIN_NAMESPACE
class QAbstractBarSeries;
class QBarSet;
class QChart;
class QValueAxis;
QT_END_NAMESPACE

namespace sa::ui::charts {

// One bar of a horizontal bar series, as the overlay decorates it.
struct BarMark
{
    QBarSet *set = nullptr;
    int index = 0; // the bar's category index in the set
    double value = 0;
    double errorMin = 0; // the range drawn as an error bar; none when errorMin >= errorMax
    double errorMax = 0;
    QString label; // the figure drawn after the bar ("" = none)
    QString toolTip; // the exact figure, shown on hover
    bool hasError() const { return errorMax > errorMin; }
};

// The bars of `series` (a horizontal bar series of the chart): their labels,
// error bars and tooltips. `stackedOnePerRow`: every set has one non-zero bar in
// its own row (the one-colour-per-target charts); else sets are grouped per row.
void decorateBars(
    QChart *chart, QAbstractBarSeries *series, const QList<BarMark> &marks, bool stackedOnePerRow);

// A value axis whose range starts at zero and ends on a round figure above
// `dataMax`, with as many ticks as its length allows (and, for the value axis of
// decorated bars, room for their labels).
void fitAxisToSpace(QChart *chart, QValueAxis *axis, double dataMax);

// Places the labels and error bars, and fits the axes, for the chart's present
// geometry. Runs on every plot-area change; the PDF calls it after sizing.
void layoutOverlay(QChart *chart);

// The step of 1, 2, 2.5 or 5 × 10^n that covers `value` in at most `intervals`
// intervals (the value axes' ticks, and the timelines' seconds).
double niceStep(double value, int intervals);

} // namespace sa::ui::charts
