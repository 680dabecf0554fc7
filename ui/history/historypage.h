#pragma once

#include "bench/results.h"
#include "bench/runanalysis.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QTabWidget;
class QTableView;

namespace sa::store {
class ResultStore;
}

namespace sa::ui {

class ChartView;
class ClaimsPanel;
class ComparisonCharts;
class HistoryModel;
class ResultsPanel;
class RunComparisonModel;

// Past runs from the ResultStore: open one into the comparison views, compare
// two (each target's change in %), delete with confirmation.
class HistoryPage final : public QWidget
{
    Q_OBJECT

public:
    // store may be null (then the page says there is no history); it must outlive the page.
    explicit HistoryPage(sa::store::ResultStore *store, QWidget *parent = nullptr);
    ~HistoryPage() override;

    HistoryModel *model() const { return m_model; }
    RunComparisonModel *comparisonModel() const { return m_comparisonModel; }
    ResultsPanel *resultsPanel() const { return m_results; }
    ClaimsPanel *claimsPanel() const { return m_claims; }
    ComparisonCharts *comparisonCharts() const { return m_charts; }
    QString statusText() const;
    qint64 openedRunId() const { return m_opened.id; }
    // The opened run's trust warnings as shown above its tabs ("" when none).
    QString warningsText() const;

    // Reads the list of runs again; keeps the selection when it can.
    void refresh();
    // Loads a run into the comparison, table and claims tabs.
    bool openRun(qint64 id);
    // Fills the "Change" tab with run b against run a.
    bool compareRuns(qint64 a, qint64 b);
    // Deletes after asking; returns true when deleted.
    bool deleteRun(qint64 id);
    // Selects a run in the list (and opens it).
    void selectRun(qint64 id);
    // A remark about the history for the person (shown under the list).
    void setStatus(const QString &text);

private:
    QWidget *buildRunList();
    QWidget *buildDetails();
    QWidget *buildChangeTab();
    QList<qint64> selectedIds() const;
    void updateButtons();
    void showWarnings(const sa::bench::RunAnalysis &analysis);
    void restoreSettings();
    void saveSettings() const;

    sa::store::ResultStore *m_store = nullptr;
    sa::bench::RunResult m_opened;
    HistoryModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    RunComparisonModel *m_comparisonModel = nullptr;
    QSplitter *m_splitter = nullptr;
    QTableView *m_list = nullptr;
    QPushButton *m_open = nullptr;
    QPushButton *m_compare = nullptr;
    QPushButton *m_delete = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_heading = nullptr;
    QLabel *m_warnings = nullptr;
    QTabWidget *m_tabs = nullptr;
    ComparisonCharts *m_charts = nullptr;
    ResultsPanel *m_results = nullptr;
    ClaimsPanel *m_claims = nullptr;
    QWidget *m_changeTab = nullptr;
    QLabel *m_changeHeading = nullptr;
    QLabel *m_changeDifferences = nullptr; // what the two runs did not measure alike; hidden when nothing
    QTableView *m_changeTable = nullptr;
    ChartView *m_changeChart = nullptr;
};

} // namespace sa::ui
