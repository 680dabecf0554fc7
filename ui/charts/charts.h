#pragma once

// The app's charts, one building function per chart kind. The live benchmark page,
// the comparison views, the history comparison and the PDF report all build their
// charts here, so a target has the same colour and a figure the same axis
// everywhere. Every function returns a new QChart the caller owns (normally by
// handing it to a QChartView).

#include "palette.h"

#include "advisor/recommendation.h"
#include "bench/results.h"
#include "bench/runanalysis.h"

#include <QColor>
#include <QList>
#include <QString>

QT_BEGIN_NAMESPACE
class QChart;
class QPainter;
class QPalette;
class QRectF;
class QSizeF;
QT_END_NAMESPACE

namespace sa::ui::charts {

// One colour per target id, the same in every chart, table and legend of the app:
// targetColor() and languageColor() in palette.h, from the catalog's data.

// What a timeline plots against the seconds since the target's load started.
enum class TimelineMetric {
    RequestsPerSecond, // req/s of each interval
    P99Latency, // ms
    MemoryPss, // MB, the server's whole process tree
    CpuPercent, // 100 = one core
};
QString timelineTitle(TimelineMetric metric);
QString timelineUnit(TimelineMetric metric);
double timelineValue(TimelineMetric metric, const sa::bench::IntervalSample &sample);

// A timeline of one metric, one line series per target (named by its display
// name, objectName = target id). Warm-up intervals are drawn too, over a shaded
// band (an area series, objectName "sa-warmup"): the measured window starts
// where it ends. The time axis ends where the data does; latency is on a log
// scale (Go and Python are a decade or two apart). Hovering a line shows the
// exact figure. Animation is off: it is live data.
QChart *buildTimeline(TimelineMetric metric, const QList<sa::bench::TargetResult> &targets);
QChart *buildThroughputTimeline(const QList<sa::bench::TargetResult> &targets);
QChart *buildLatencyTimeline(const QList<sa::bench::TargetResult> &targets);
QChart *buildMemoryTimeline(const QList<sa::bench::TargetResult> &targets);

// Live update of a chart made by buildTimeline(): replaces the points of the
// target's series (creating it on first use) and rescales the axes. Cheap enough
// for several calls a second: one QLineSeries::replace(), no re-layout of others.
void updateTimeline(QChart *chart, TimelineMetric metric, const QString &targetId, const QString &displayName,
    const QList<sa::bench::IntervalSample> &samples);

// Side-by-side bars of a final figure, one bar per comparable cell of the
// analysis (RunAnalysis::comparableCells()), named as the analysis names it: the
// median of the cell's rounds, with an error bar from its slowest to its fastest
// round, its figure after the bar when there is room (chartoverlay.h) and in
// full on hover. Latency is on a log scale.
enum class BarMetric {
    RequestsPerSecond,
    LatencyPercentiles, // p50, p90, p99 grouped per target (ms)
    PeakMemory, // peak PSS (MB)
    CpuPercent, // mean CPU over the measured window (100 = one core)
};
QString barTitle(BarMetric metric);
QChart *buildBarChart(BarMetric metric, const sa::bench::RunAnalysis &analysis);

// The latency histogram the load generator records, one line per cell with
// figures (its rounds' requests together): the share of requests in each log
// bucket (latencyhistogram.h) against the latency, on a log scale.
QChart *buildLatencyHistogram(const sa::bench::RunAnalysis &analysis);

// The height a chart needs for its rows' names to stay whole (bar charts grow
// with their targets); 0 when any height will do.
int minimumChartHeight(const QChart *chart);

// On screen: a click on a legend entry hides its series (or bar set), another
// shows it again; hidden entries are drawn dimmed.
void makeLegendClickable(QChart *chart);
// Shows or hides the series of a target (objectName = target id), as a shared
// legend (TargetLegend) asks.
void setTargetVisible(QChart *chart, const QString &targetId, bool visible);

// Two runs of the same targets side by side (history comparison): one bar set
// per run, one category per cell comparable in both.
QChart *buildRunComparisonChart(BarMetric metric, const QString &firstLabel,
    const sa::bench::RunAnalysis &first, const QString &secondLabel, const sa::bench::RunAnalysis &second);

// Light or dark chart theme from the palette's window lightness; series keep
// their target colours. Call again when the palette changes.
void applyPalette(QChart *chart, const QPalette &palette);
// A series whose dynamic property of this name is true keeps its own pen and
// brush through applyPalette() (a threshold line, markers).
inline constexpr char kOwnColoursProperty[] = "saOwnColours";

// Paints a chart into any painter (image, SVG, PDF) at the given rectangle,
// whether or not the chart is shown in a view.
void renderChart(QChart *chart, QPainter *painter, const QRectF &target);

// Saves the chart as PNG (by the file's suffix ".png") or SVG (".svg") at the
// given logical size. The file is written whole or not at all. On failure
// returns false and says why in *error.
bool saveChart(QChart *chart, const QString &filePath, const QSizeF &size, QString *error);

// The advisor's per-criterion scores: one horizontal bar pair (Go, Python) per
// criterion, in score points, in the stacks' colours (the advisor view and the report).
QChart *buildCriterionScoreChart(const QList<sa::advisor::Contribution> &contributions);

} // namespace sa::ui::charts
