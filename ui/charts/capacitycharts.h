#pragma once

// The charts of a capacity run, one building function per kind, used by the
// Benchmark page (live and after the run) and by the PDF report.

#include "bench/runanalysis.h"

#include <QList>
#include <QString>

QT_BEGIN_NAMESPACE
class QChart;
QT_END_NAMESPACE

namespace sa::ui::charts {

// p99 latency against offered load, both on log scales: one line per swept cell
// (the steps that count, lowest rate first) in its target's colour, the latency
// target as a dashed line, and each cell's sustainable step marked as the knee.
QChart *buildLatencyLoadChart(const sa::bench::RunAnalysis &analysis);

// Live update of a chart made by buildLatencyLoadChart(): replaces the line of
// one cell (`key`, created on first use) with `steps` read by `plan`, moves its
// knee marker and the target line, and rescales the axes.
void updateLatencyLoadChart(QChart *chart, const QString &key, const QString &targetId, const QString &name,
    const QList<sa::bench::CapacityStep> &steps, const sa::bench::CapacityPlan &plan);

// The points a cell's line is drawn through: (offered req/s, p99 ms) of the
// steps that count, lowest rate first (steps with no completed request have no
// latency to draw).
QList<QPointF> latencyLoadPoints(
    const QList<sa::bench::CapacityStep> &steps, const sa::bench::SweepReading &reading);

// Server CPU per completed request, µs: two bars per swept cell, at the common
// rate and at its sustainable rate.
QChart *buildCpuPerRequestChart(const sa::bench::RunAnalysis &analysis);

} // namespace sa::ui::charts
