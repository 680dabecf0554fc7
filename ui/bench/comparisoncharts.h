#pragma once

#include "bench/runanalysis.h"

#include <QWidget>

namespace sa::ui {

class ChartView;

// The side-by-side bar charts of a run's finished targets: req/s; latency
// p50/p90/p99; peak memory; CPU. Used by the benchmark page and the history page.
class ComparisonCharts final : public QWidget
{
    Q_OBJECT

public:
    explicit ComparisonCharts(QWidget *parent = nullptr);

    void setAnalysis(const sa::bench::RunAnalysis &analysis);
    QList<ChartView *> views() const { return m_views; }

private:
    QList<ChartView *> m_views;
};

} // namespace sa::ui
