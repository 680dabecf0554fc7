#pragma once

#include "bench/runanalysis.h"

#include <QWidget>

namespace sa::ui {

class ChartView;
class DatabaseGapPanel;

// The side-by-side bar charts of a run's finished targets: req/s; latency
// p50/p90/p99; peak memory; CPU; above them, for a run with database
// scenarios, the JSON vs database panel. Used by the benchmark page and the
// history page.
class ComparisonCharts final : public QWidget
{
    Q_OBJECT

public:
    explicit ComparisonCharts(QWidget *parent = nullptr);

    void setAnalysis(const sa::bench::RunAnalysis &analysis);
    QList<ChartView *> views() const { return m_views; }
    DatabaseGapPanel *databaseGap() const { return m_databaseGap; }

private:
    QList<ChartView *> m_views;
    DatabaseGapPanel *m_databaseGap = nullptr;
};

} // namespace sa::ui
