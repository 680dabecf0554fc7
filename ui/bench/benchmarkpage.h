#pragma once

#include "bench/benchmarkrunner.h"
#include "bench/runanalysis.h"
#include "bench/servercatalog.h"
#include "charts/charts.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QWidget>

#include <functional>
#include <memory>

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QSplitter;
class QTabWidget;
class QTimer;
class QToolButton;
class QTreeWidget;

namespace sa::store {
class ResultStore;
}

namespace sa::advisor {
struct Recommendation;
}

namespace sa::ui {

class ChartGrid;
class CapacityRunPanel;
class ChartView;
class ClaimsPanel;
class ComparisonCharts;
class ResultsPanel;
class ServerSetupPanel;
class TargetLegend;

// The benchmark: pick targets and a setting, "Run comparison", watch live charts,
// read the comparison, the table and the article's claims beside this machine's
// figures. Every run is saved to the ResultStore (the History page).
class BenchmarkPage final : public QWidget
{
    Q_OBJECT

public:
    // store may be null (no history); it must outlive the page.
    explicit BenchmarkPage(sa::store::ResultStore *store, QWidget *parent = nullptr);
    ~BenchmarkPage() override;

    // Reads the server catalog and the build manifest again (e.g. after
    // `make servers`); keeps the selection of targets that are still available.
    void reloadCatalog();
    const sa::bench::ServerCatalog &catalog() const { return m_catalog; }

    QStringList selectedTargets() const;
    void setSelectedTargets(const QStringList &ids);
    // The plan the controls describe, and the other way round.
    sa::bench::BenchmarkPlan plan() const;
    void setPlan(const sa::bench::BenchmarkPlan &plan);

    bool isRunning() const;
    const sa::bench::BenchmarkRunner &runner() const { return *m_runner; }
    QChart *liveChart(charts::TimelineMetric metric) const;
    ResultsPanel *resultsPanel() const { return m_results; }
    ClaimsPanel *claimsPanel() const { return m_claims; }
    ComparisonCharts *comparisonCharts() const { return m_comparison; }
    CapacityRunPanel *capacityPanel() const { return m_capacityPanel; }
    // A capacity run takes its p99 target (and the peak, when stated) from the
    // Advisor's answers, when they give one (benchmarkpage_capacity.cpp).
    void setRecommendation(const sa::advisor::Recommendation &recommendation);
    // "Find capacity" rather than a comparison (the setting's mode).
    bool capacityMode() const;
    void setCapacityMode(bool capacity);
    QString statusText() const;
    QStringList trustWarnings() const { return m_warnings; }
    // The reading of the run shown: the run so far while it runs, then the saved run.
    const sa::bench::RunAnalysis &analysis() const { return m_analysis; }
    ChartGrid *liveGrid() const { return m_liveGrid; }
    TargetLegend *liveLegend() const { return m_liveLegend; }

    // Before the window closes: true when nothing runs. While a run goes on, asks
    // whether to stop it; on "stop", cancels it, saves the partial run (marked
    // cancelled, as the CLI does on Ctrl-C) and then calls closeWhenSaved;
    // returns false so the window stays open until then.
    bool confirmClose(const std::function<void()> &closeWhenSaved);

public Q_SLOTS:
    // Runs the plan of the controls; refuses (with a message) when nothing is selected.
    void runComparison();
    void cancel();

Q_SIGNALS:
    // The run ended (completed or cancelled) and was saved when a store is set
    // (run.id is then its history id).
    void runFinished(const sa::bench::RunResult &run);

private:
    QWidget *buildSetupPanel();
    QWidget *buildTargetsBox(QWidget *parent);
    QWidget *buildSettingsBox(QWidget *parent);
    void buildAdvancedSection(QWidget *settingsBox, QFormLayout *form);
    // The capacity run's part of the page (benchmarkpage_capacity.cpp).
    void buildCapacitySettings(QWidget *settingsBox, QFormLayout *form);
    void writeCapacityPlan(sa::bench::BenchmarkPlan *plan) const;
    void readCapacityPlan(const sa::bench::BenchmarkPlan &plan);
    void startCapacityRun(const sa::bench::BenchmarkPlan &plan);
    void showCapacity(bool finished);
    void onCapacityStep(const QString &targetId, int stepIndex, const sa::bench::CapacityStep &step);
    void restoreCapacitySettings();
    void saveCapacitySettings() const;
    QWidget *buildRunBox(QWidget *parent);
    QWidget *buildResultsArea();
    void createActions();
    void fillTargets();
    void setRunning(bool running);
    void setStatus(const QString &text);
    void refreshWarnings();
    void tick();
    void restoreSettings();
    void saveSettings() const;
    void refreshRemedies();
    void applyRemedy(sa::bench::Remedy::Kind kind);
    void updateEstimate();

    void onCellStarted(const QString &targetId, int cellIndex, int cellCount);
    void onPhaseChanged(const QString &targetId, sa::bench::BenchmarkRunner::Phase phase);
    void onProgress(double runFraction, double cellFraction, double secondsLeft);
    void onSample(const QString &targetId, const sa::bench::IntervalSample &sample);
    void onCellFinished(const sa::bench::TargetResult &result);
    void onRunFailed(const QString &reason);
    void onWarning(const QString &targetId, const QString &message);
    void onFinished(const sa::bench::RunResult &run);

    sa::bench::ServerCatalog m_catalog;
    QString m_catalogError;
    std::unique_ptr<sa::bench::BenchmarkRunner> m_runner;
    sa::store::ResultStore *m_store = nullptr;

    // Live data: every sample per target; charts are redrawn from it by tick()
    // for the targets marked dirty, so a burst of samples costs one redraw.
    QHash<QString, QList<sa::bench::IntervalSample>> m_live;
    QSet<QString> m_dirty;
    sa::bench::RunAnalysis m_analysis;
    QStringList m_warnings;
    // The runner's own warnings as they happen: run-wide ones (key "") stay; a
    // target's are replaced by those derived from its result when it finishes.
    QMultiHash<QString, QString> m_runnerWarnings;
    QString m_currentTarget;
    QString m_currentPhase;
    QString m_currentStep; // "FastAPI, round 2 of 3 (5 of 24)"
    std::pair<int, int> m_round { 1, 1 }; // the current round, of how many
    QList<std::pair<QString, QString>> m_liveTargets; // (id, name) of the run
    double m_secondsLeft = 0;
    QElapsedTimer m_sinceProgress;
    QTimer *m_tick = nullptr;

    QSplitter *m_splitter = nullptr;
    QTreeWidget *m_targets = nullptr;
    QLabel *m_unavailable = nullptr;
    QComboBox *m_scenario = nullptr;
    QLabel *m_databaseNote = nullptr;
    QSpinBox *m_connections = nullptr;
    QDoubleSpinBox *m_duration = nullptr;
    QDoubleSpinBox *m_warmup = nullptr;
    QSpinBox *m_rounds = nullptr;
    QLabel *m_estimate = nullptr;
    QDoubleSpinBox *m_timeout = nullptr;
    ServerSetupPanel *m_serverSetup = nullptr;
    QWidget *m_remedies = nullptr;
    QLabel *m_remedyText = nullptr;
    QHash<int, QPushButton *> m_remedyButtons; // by Remedy::Kind
    QHash<int, double> m_remedyValues;
    QToolButton *m_advancedToggle = nullptr;
    QWidget *m_advanced = nullptr;
    QLineEdit *m_serverCpus = nullptr;
    QLineEdit *m_loadCpus = nullptr;
    QSpinBox *m_workers = nullptr;
    QComboBox *m_ioWorkers = nullptr;
    QSpinBox *m_queriesN = nullptr;
    QDoubleSpinBox *m_rate = nullptr;
    QComboBox *m_mode = nullptr;
    QWidget *m_capacitySettings = nullptr;
    QDoubleSpinBox *m_stepSeconds = nullptr;
    QDoubleSpinBox *m_commonRate = nullptr;
    int m_cellIndex = -1; // of the cell running
    QPushButton *m_run = nullptr;
    QPushButton *m_cancel = nullptr;
    QProgressBar *m_runProgress = nullptr;
    QProgressBar *m_cellProgress = nullptr;
    QLabel *m_phase = nullptr;
    QLabel *m_timeLeft = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_warningBox = nullptr;
    QTabWidget *m_tabs = nullptr;
    TargetLegend *m_liveLegend = nullptr;
    QHash<int, ChartView *> m_liveViews; // by TimelineMetric
    ChartGrid *m_liveGrid = nullptr;
    ChartView *m_liveHistogram = nullptr;
    ComparisonCharts *m_comparison = nullptr;
    ResultsPanel *m_results = nullptr;
    ClaimsPanel *m_claims = nullptr;
    CapacityRunPanel *m_capacityPanel = nullptr;
};

} // namespace sa::ui
