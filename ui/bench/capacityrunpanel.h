#pragma once

#include "bench/runanalysis.h"

#include <QHash>
#include <QWidget>

#include <optional>

class QChart;
class QDoubleSpinBox;
class QLabel;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;

namespace sa::ui {

class CapacityStepsModel;
class CapacityTableModel;
class ChartView;

// The Benchmark page's Capacity tab: what a capacity run found, live and after.
// The latency-against-load chart (one line per target, the target drawn, the knee
// marked), CPU per request as bars, the capacity table (sustainable throughput,
// CPU per request, memory per worker, cores and servers at the peak) and the
// steps behind the selected row. The latency target, the peak, the headroom and
// the server size are editable: the run is read again with them (core's reading).
class CapacityRunPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit CapacityRunPanel(QWidget *parent = nullptr);

    // A capacity run begins: the chart and the tables empty, the plan's settings shown.
    void startRun(const sa::bench::BenchmarkPlan &plan);
    // Live: a step of the cell at `cellIndex` ended.
    void addStep(
        int cellIndex, const QString &targetId, const QString &name, const sa::bench::CapacityStep &step);
    // The run so far, or the finished run: read again with the panel's settings.
    void setAnalysis(const sa::bench::RunAnalysis &analysis);
    void clear();

    // The reading settings, as a plan records them (latency target, peak,
    // headroom, cores per server); the other fields of `plan` are kept.
    void writeReading(sa::bench::CapacityPlan *plan) const;
    void setReading(const sa::bench::CapacityPlan &plan);
    // The Advisor's answers imply a p99 target (and may state a peak, 0 = none):
    // the next run searches with them and this one is read again. `source` says
    // where the target comes from; the fields stay editable.
    void adoptAdvice(double latencyTargetMs, const QString &source, double peakRequestsPerSecond);
    QString adviceText() const;

    // What the panel shows, for tests and the page.
    const sa::bench::RunAnalysis &analysis() const { return m_analysis; }
    QChart *latencyLoadChart() const;
    QChart *cpuChart() const;
    CapacityTableModel *tableModel() const { return m_tableModel; }
    CapacityStepsModel *stepsModel() const { return m_stepsModel; }
    QString summaryText() const;
    QString stepsTitle() const;
    // Shows the steps of the cell at this index of the run.
    void showSteps(int cellIndex);

Q_SIGNALS:
    // The latency target, the peak, the headroom or the server size changed.
    void readingChanged();

private:
    void reread();
    void render();

    std::optional<sa::bench::RunResult> m_run; // as measured
    sa::bench::RunAnalysis m_analysis; // as read with the panel's settings
    sa::bench::CapacityPlan m_livePlan; // of the run in progress
    QHash<int, QList<sa::bench::CapacityStep>> m_liveSteps; // by cell index
    QHash<int, std::pair<QString, QString>> m_liveNames; // by cell index: target id, name
    int m_shownCell = -1;
    bool m_updating = false;

    QLabel *m_summary = nullptr;
    QLabel *m_advice = nullptr; // where the target and the peak come from, when the Advisor set them
    QDoubleSpinBox *m_latencyTarget = nullptr;
    QDoubleSpinBox *m_peak = nullptr;
    QSpinBox *m_headroom = nullptr;
    QSpinBox *m_coresPerServer = nullptr;
    ChartView *m_latencyView = nullptr;
    ChartView *m_cpuView = nullptr;
    CapacityTableModel *m_tableModel = nullptr;
    QSortFilterProxyModel *m_tableProxy = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_stepsTitle = nullptr;
    CapacityStepsModel *m_stepsModel = nullptr;
    QTableView *m_steps = nullptr;
    QLabel *m_notes = nullptr;
};

} // namespace sa::ui
