#pragma once

#include "bench/runanalysis.h"

#include <QWidget>

class QLabel;
class QStackedWidget;

namespace sa::ui {

class ChartGrid;
class ChartView;
class DatabaseGapPanel;

// The side-by-side bar charts of a run's finished targets: req/s; latency
// p50/p90/p99; peak memory; CPU; and the latency histogram; above them, for a
// run with database scenarios, the JSON vs database panel. Used by the
// benchmark page and the history page. Without a comparable target it shows a
// hint instead of empty axes.
class ComparisonCharts final : public QWidget
{
    Q_OBJECT

public:
    explicit ComparisonCharts(QWidget *parent = nullptr);

    void setAnalysis(const sa::bench::RunAnalysis &analysis);
    // What the hint says before any run is shown.
    void setEmptyText(const QString &text);
    QList<ChartView *> views() const;
    // Whether the hint is shown (no comparable target), and what it says.
    bool showsHint() const;
    QString hintText() const;
    DatabaseGapPanel *databaseGap() const { return m_databaseGap; }

private:
    DatabaseGapPanel *m_databaseGap = nullptr;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_hint = nullptr;
    ChartGrid *m_grid = nullptr;
    QString m_emptyText;
};

} // namespace sa::ui
