#include "benchmarkpage.h"

#include "capacityrunpanel.h"
#include "charts/chartgrid.h"
#include "charts/chartview.h"
#include "charts/targetlegend.h"
#include "claimspanel.h"
#include "comparisoncharts.h"
#include "resultspanel.h"
#include "resultstablemodel.h"
#include "serversetuppanel.h"
#include "widgets/wheelguard.h"

#include "bench/format.h"
#include "bench/postgrescluster.h"
#include "bench/runcompletion.h"
#include "store/resultstore.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace sa::ui {

using sa::bench::BenchmarkPlan;
using sa::bench::BenchmarkRunner;
using sa::bench::IntervalSample;
using sa::bench::RunResult;
using sa::bench::Scenario;
using sa::bench::ServerEntry;
using sa::bench::TargetResult;

namespace {

enum TargetColumn { NameColumn, LanguageColumn, FrameworkColumn, VersionColumn, AvailabilityColumn };
constexpr int kIdRole = Qt::UserRole;
// The scenario choice that compares the in-process JSON API with the database.
const QString kJsonAndDatabase = QStringLiteral("json,db,queries,fortunes");

QList<Scenario> scenariosOf(const QString &ids)
{
    QList<Scenario> list;
    for (const QString &id : ids.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (const auto scenario = sa::bench::scenarioFromId(id))
            list << *scenario;
    }
    return list.isEmpty() ? QList<Scenario> { Scenario::Json } : list;
}

QString idsOf(const QList<Scenario> &scenarios)
{
    QStringList ids;
    for (const Scenario scenario : scenarios)
        ids << sa::bench::scenarioId(scenario);
    return ids.join(QLatin1Char(','));
}

// The live charts ask the load generator for two samples a second.
constexpr double kLiveIntervalSeconds = 0.5;

constexpr charts::TimelineMetric kLiveMetrics[]
    = { charts::TimelineMetric::RequestsPerSecond, charts::TimelineMetric::P99Latency,
          charts::TimelineMetric::MemoryPss, charts::TimelineMetric::CpuPercent };

QString phaseText(BenchmarkRunner::Phase phase)
{
    switch (phase) {
    case BenchmarkRunner::Phase::Starting:
        return BenchmarkPage::tr("starting the server");
    case BenchmarkRunner::Phase::Idle:
        return BenchmarkPage::tr("measuring idle memory");
    case BenchmarkRunner::Phase::WarmingUp:
        return BenchmarkPage::tr("warming up");
    case BenchmarkRunner::Phase::Measuring:
        return BenchmarkPage::tr("measuring");
    case BenchmarkRunner::Phase::Stopping:
        return BenchmarkPage::tr("stopping");
    case BenchmarkRunner::Phase::Stepping:
        return BenchmarkPage::tr("finding capacity: open-loop steps");
    }
    return {};
}

QString durationText(double seconds)
{
    const int s = int(std::ceil(std::max(0.0, seconds)));
    if (s < 60)
        return BenchmarkPage::tr("%n s left", nullptr, s);
    return BenchmarkPage::tr("%1 min %2 s left").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QPixmap swatch(const QColor &colour)
{
    QPixmap pixmap(12, 12);
    pixmap.fill(colour);
    return pixmap;
}

} // namespace

BenchmarkPage::BenchmarkPage(sa::store::ResultStore *store, QWidget *parent)
    : QWidget(parent)
    , m_runner(std::make_unique<BenchmarkRunner>(m_catalog))
    , m_store(store)
    , m_tick(new QTimer(this))
{
    setObjectName(QStringLiteral("benchmarkPage"));
    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("benchmarkSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(buildSetupPanel());
    m_splitter->addWidget(buildResultsArea());
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({ 440, 840 });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_splitter);

    createActions();

    connect(m_runner.get(), &BenchmarkRunner::cellStarted, this, &BenchmarkPage::onCellStarted);
    connect(m_runner.get(), &BenchmarkRunner::phaseChanged, this, &BenchmarkPage::onPhaseChanged);
    connect(m_runner.get(), &BenchmarkRunner::progress, this, &BenchmarkPage::onProgress);
    connect(m_runner.get(), &BenchmarkRunner::sampleReady, this, &BenchmarkPage::onSample);
    connect(m_runner.get(), &BenchmarkRunner::cellFinished, this, &BenchmarkPage::onCellFinished);
    connect(m_runner.get(), &BenchmarkRunner::runFailed, this, &BenchmarkPage::onRunFailed);
    connect(m_runner.get(), &BenchmarkRunner::warning, this, &BenchmarkPage::onWarning);
    connect(m_runner.get(), &BenchmarkRunner::finished, this, &BenchmarkPage::onFinished);
    connect(m_runner.get(), &BenchmarkRunner::capacityStepFinished, this, &BenchmarkPage::onCapacityStep);

    // Four times a second: the countdown moves smoothly and new samples reach
    // the charts within a quarter second, however many arrive at once.
    m_tick->setInterval(250);
    connect(m_tick, &QTimer::timeout, this, &BenchmarkPage::tick);

    connect(m_runner.get(), &BenchmarkRunner::roundStarted, this,
        [this](const QString &targetId, int round, int rounds) {
            m_round = { round, rounds };
            // The live lines show the round being run; each round starts a fresh server.
            if (round > 1) {
                m_live.remove(targetId);
                m_dirty.insert(targetId);
            }
        });

    reloadCatalog();
    restoreSettings();
    setRunning(false);
    // The wheel scrolls this page, not the spin box under the pointer.
    installWheelGuard();
    guardWheelIn(this);
}

BenchmarkPage::~BenchmarkPage()
{
    saveSettings();
    // The runner stops its children when it is destroyed; do it while the
    // catalog it refers to is still alive.
    if (m_runner->isRunning())
        m_runner->cancel();
    m_runner.reset();
}

// The server list with availability, reason and fix, and the selection buttons.
QWidget *BenchmarkPage::buildTargetsBox(QWidget *parent)
{
    auto *targetsBox = new QGroupBox(tr("Targets"), parent);
    auto *targetsLayout = new QVBoxLayout(targetsBox);
    m_targets = new QTreeWidget(targetsBox);
    m_targets->setObjectName(QStringLiteral("targetList"));
    m_targets->setAccessibleName(tr("Servers to compare"));
    m_targets->setRootIsDecorated(false);
    m_targets->setHeaderLabels(
        { tr("Target"), tr("Language"), tr("Framework"), tr("Version"), tr("Availability") });
    m_targets->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // The availability column takes what is left and wraps: an unavailable
    // target's reason and fix must be readable, not elided.
    m_targets->header()->setSectionResizeMode(AvailabilityColumn, QHeaderView::Stretch);
    m_targets->setWordWrap(true);
    m_targets->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_targets->setMinimumHeight(150);
    targetsLayout->addWidget(m_targets);
    m_unavailable = new QLabel(targetsBox);
    m_unavailable->setObjectName(QStringLiteral("unavailableTargets"));
    m_unavailable->setAccessibleName(tr("Targets that cannot run, why, and the fix"));
    m_unavailable->setWordWrap(true);
    m_unavailable->setTextFormat(Qt::PlainText);
    m_unavailable->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_unavailable->setVisible(false);
    targetsLayout->addWidget(m_unavailable);
    // The installed app prepares the Python and Node servers on first use: the
    // button sits under the reasons it answers.
    m_serverSetup = new ServerSetupPanel(targetsBox);
    m_serverSetup->setObjectName(QStringLiteral("serverSetup"));
    connect(m_serverSetup, &ServerSetupPanel::setupFinished, this, &BenchmarkPage::reloadCatalog);
    targetsLayout->addWidget(m_serverSetup);
    auto *selectRow = new QHBoxLayout;
    auto *all = new QPushButton(tr("All available"), targetsBox);
    auto *none = new QPushButton(tr("None"), targetsBox);
    auto *reload = new QPushButton(tr("Reload"), targetsBox);
    reload->setToolTip(tr("Read the server catalog again, e.g. after `make servers`"));
    connect(all, &QPushButton::clicked, this, [this] { setSelectedTargets(m_catalog.availableIds()); });
    connect(none, &QPushButton::clicked, this, [this] { setSelectedTargets({}); });
    connect(reload, &QPushButton::clicked, this, &BenchmarkPage::reloadCatalog);
    selectRow->addWidget(all);
    selectRow->addWidget(none);
    selectRow->addStretch(1);
    selectRow->addWidget(reload);
    targetsLayout->addLayout(selectRow);
    return targetsBox;
}

// The setting: the article's defaults, and the advanced section folded away.
QWidget *BenchmarkPage::buildSettingsBox(QWidget *parent)
{
    auto *settingsBox = new QGroupBox(tr("Setting"), parent);
    auto *form = new QFormLayout(settingsBox);
    m_scenario = new QComboBox(settingsBox);
    m_scenario->setObjectName(QStringLiteral("scenario"));
    // An item's data is the scenario ids it runs, comma-separated.
    for (const Scenario scenario : sa::bench::allScenarios()) {
        m_scenario->addItem(sa::bench::isDatabaseScenario(scenario)
                ? tr("%1 (PostgreSQL)").arg(sa::bench::scenarioTitle(scenario))
                : sa::bench::scenarioTitle(scenario),
            sa::bench::scenarioId(scenario));
    }
    m_scenario->addItem(tr("JSON and the three database scenarios"), kJsonAndDatabase);
    m_scenario->setItemData(m_scenario->count() - 1,
        tr("Runs json, db, queries and fortunes for every target: the comparison then shows how much of the "
           "Go/Python gap of the JSON API remains with the database in the loop"),
        Qt::ToolTipRole);
    m_scenario->setAccessibleName(tr("Scenario"));
    m_connections = new QSpinBox(settingsBox);
    m_connections->setObjectName(QStringLiteral("connections"));
    m_connections->setRange(1, 50000);
    m_connections->setGroupSeparatorShown(true);
    m_connections->setAccessibleName(tr("Concurrent connections"));
    m_duration = new QDoubleSpinBox(settingsBox);
    m_duration->setObjectName(QStringLiteral("duration"));
    m_duration->setRange(1, 3600);
    m_duration->setDecimals(0);
    m_duration->setSuffix(tr(" s"));
    m_duration->setAccessibleName(tr("Measured window in seconds"));
    m_warmup = new QDoubleSpinBox(settingsBox);
    m_warmup->setObjectName(QStringLiteral("warmup"));
    m_warmup->setRange(0, 600);
    m_warmup->setDecimals(0);
    m_warmup->setSuffix(tr(" s"));
    m_warmup->setAccessibleName(tr("Warm-up in seconds"));
    m_rounds = new QSpinBox(settingsBox);
    m_rounds->setObjectName(QStringLiteral("rounds"));
    m_rounds->setRange(1, 20);
    m_rounds->setAccessibleName(tr("Rounds per target"));
    m_rounds->setToolTip(
        tr("Each target runs this many times, each on a fresh server, alternating the order "
           "(round 1 as listed, round 2 reversed…); its figures are the median, and a target "
           "whose rounds disagree by more than %1 % is flagged")
            .arg(sa::fmt::percent(sa::bench::TrustPolicy::kMaxSpreadCv, 0)));
    form->addRow(tr("&Scenario:"), m_scenario);
    form->addRow(tr("&Connections:"), m_connections);
    form->addRow(tr("&Measure for:"), m_duration);
    form->addRow(tr("&Warm-up:"), m_warmup);
    form->addRow(tr("R&ounds:"), m_rounds);
    auto *article = new QLabel(tr("JSON with 1,000 connections is the article's setting."), settingsBox);
    article->setWordWrap(true);
    article->setEnabled(false); // secondary text, in the palette's disabled colour
    form->addRow(article);
    m_databaseNote = new QLabel(settingsBox);
    m_databaseNote->setObjectName(QStringLiteral("databaseNote"));
    m_databaseNote->setWordWrap(true);
    m_databaseNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_databaseNote->setText(tr(
        "The database scenarios run on Stack Advisor's own PostgreSQL, started for the run and stopped after "
        "it. It lives in %1 (created and seeded on first use; delete the folder to remove it).")
                                .arg(sa::bench::PostgresCluster::defaultDataFolder()));
    form->addRow(m_databaseNote);
    connect(m_scenario, &QComboBox::currentIndexChanged, this, [this] {
        const QList<Scenario> chosen = scenariosOf(m_scenario->currentData().toString());
        m_databaseNote->setVisible(
            std::any_of(chosen.cbegin(), chosen.cend(), sa::bench::isDatabaseScenario));
    });
    m_databaseNote->setVisible(false);
    m_estimate = new QLabel(settingsBox);
    m_estimate->setObjectName(QStringLiteral("runEstimate"));
    m_estimate->setWordWrap(true);
    m_estimate->setEnabled(false);
    form->addRow(m_estimate);
    for (QDoubleSpinBox *box : { m_duration, m_warmup })
        connect(box, &QDoubleSpinBox::valueChanged, this, &BenchmarkPage::updateEstimate);
    connect(m_rounds, &QSpinBox::valueChanged, this, &BenchmarkPage::updateEstimate);

    buildCapacitySettings(settingsBox, form);
    buildAdvancedSection(settingsBox, form);
    return settingsBox;
}

void BenchmarkPage::buildAdvancedSection(QWidget *settingsBox, QFormLayout *form)
{
    m_advancedToggle = new QToolButton(settingsBox);
    m_advancedToggle->setObjectName(QStringLiteral("advancedToggle"));
    m_advancedToggle->setText(tr("Advanced"));
    m_advancedToggle->setCheckable(true);
    m_advancedToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_advancedToggle->setArrowType(Qt::RightArrow);
    m_advancedToggle->setAutoRaise(true);
    m_advanced = new QWidget(settingsBox);
    auto *advancedForm = new QFormLayout(m_advanced);
    advancedForm->setContentsMargins(12, 0, 0, 0);
    m_serverCpus = new QLineEdit(m_advanced);
    m_serverCpus->setObjectName(QStringLiteral("serverCpus"));
    m_serverCpus->setPlaceholderText(tr("automatic"));
    m_serverCpus->setToolTip(tr("CPU list such as 1-3 or 0,2; automatic = the cores not given to the load"));
    m_serverCpus->setAccessibleName(tr("Server CPU set"));
    m_loadCpus = new QLineEdit(m_advanced);
    m_loadCpus->setObjectName(QStringLiteral("loadCpus"));
    m_loadCpus->setPlaceholderText(tr("automatic"));
    m_loadCpus->setToolTip(tr("CPU list such as 0; automatic = a quarter of the cores, at least one"));
    m_loadCpus->setAccessibleName(tr("Load generator CPU set"));
    m_workers = new QSpinBox(m_advanced);
    m_workers->setObjectName(QStringLiteral("workers"));
    m_workers->setRange(0, 256);
    m_workers->setSpecialValueText(tr("automatic"));
    m_workers->setToolTip(tr("Server processes or GOMAXPROCS for every scenario; automatic = one per server "
                             "core, and for the database and I/O scenarios the rule below"));
    m_workers->setAccessibleName(tr("Server workers"));
    m_ioWorkers = new QComboBox(m_advanced);
    m_ioWorkers->setObjectName(QStringLiteral("ioWorkers"));
    m_ioWorkers->addItem(tr("each server's recommendation"), true);
    m_ioWorkers->addItem(tr("one per core"), false);
    m_ioWorkers->setToolTip(
        tr("Workers in the database and I/O scenarios when Workers is automatic: what each "
           "server's documentation recommends for I/O-bound work (gunicorn: 2 × cores + 1; "
           "uvicorn, Node and Go: one per core), or one per core as in the other scenarios"));
    m_ioWorkers->setAccessibleName(tr("Workers for I/O-bound scenarios"));
    m_queriesN = new QSpinBox(m_advanced);
    m_queriesN->setObjectName(QStringLiteral("queriesN"));
    m_queriesN->setRange(1, 500);
    m_queriesN->setToolTip(tr("Queries per request in the multiple queries scenario (GET /queries?n=N)"));
    m_queriesN->setAccessibleName(tr("Queries per request"));
    m_rate = new QDoubleSpinBox(m_advanced);
    m_rate->setObjectName(QStringLiteral("openLoopRate"));
    m_rate->setRange(0, 10000000);
    m_rate->setDecimals(0);
    m_rate->setGroupSeparatorShown(true);
    m_rate->setSuffix(tr(" req/s"));
    m_rate->setSpecialValueText(tr("closed loop"));
    m_rate->setToolTip(tr("Requests per second to send whatever the answers (open loop); "
                          "closed loop = as fast as the server answers, as wrk does"));
    m_rate->setAccessibleName(tr("Open-loop request rate"));
    m_timeout = new QDoubleSpinBox(m_advanced);
    m_timeout->setObjectName(QStringLiteral("timeout"));
    m_timeout->setRange(0.1, 600);
    m_timeout->setDecimals(1);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setToolTip(tr("A request not answered within this time counts as a timeout error"));
    m_timeout->setAccessibleName(tr("Request timeout in seconds"));
    advancedForm->addRow(tr("Server CPUs:"), m_serverCpus);
    advancedForm->addRow(tr("Load CPUs:"), m_loadCpus);
    advancedForm->addRow(tr("Workers:"), m_workers);
    advancedForm->addRow(tr("I/O workers:"), m_ioWorkers);
    advancedForm->addRow(tr("Queries per request:"), m_queriesN);
    advancedForm->addRow(tr("Open-loop rate:"), m_rate);
    advancedForm->addRow(tr("Request timeout:"), m_timeout);
    connect(m_advancedToggle, &QToolButton::toggled, this, [this](bool shown) {
        m_advanced->setVisible(shown);
        m_advancedToggle->setArrowType(shown ? Qt::DownArrow : Qt::RightArrow);
    });
    m_advanced->setVisible(false);
    form->addRow(m_advancedToggle);
    form->addRow(m_advanced);
}

// Run and Cancel, the two progress bars, the phase, the time left and the status.
QWidget *BenchmarkPage::buildRunBox(QWidget *parent)
{
    auto *runBox = new QWidget(parent);
    auto *runLayout = new QGridLayout(runBox);
    runLayout->setContentsMargins(0, 0, 0, 0);
    m_run = new QPushButton(tr("Run comparison"), runBox);
    m_run->setObjectName(QStringLiteral("runComparison"));
    m_run->setDefault(true);
    m_run->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_run->setToolTip(tr("Run every selected target in turn (Ctrl+R)"));
    m_cancel = new QPushButton(tr("Cancel"), runBox);
    m_cancel->setObjectName(QStringLiteral("cancelRun"));
    m_cancel->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    m_cancel->setToolTip(tr("Stop the run now; finished targets are kept (Esc)"));
    connect(m_run, &QPushButton::clicked, this, &BenchmarkPage::runComparison);
    connect(m_cancel, &QPushButton::clicked, this, &BenchmarkPage::cancel);

    m_runProgress = new QProgressBar(runBox);
    m_runProgress->setObjectName(QStringLiteral("runProgress"));
    m_runProgress->setRange(0, 1000);
    m_runProgress->setAccessibleName(tr("Progress of the whole run"));
    m_runProgress->setFormat(tr("Whole run: %p%"));
    m_cellProgress = new QProgressBar(runBox);
    m_cellProgress->setObjectName(QStringLiteral("cellProgress"));
    m_cellProgress->setRange(0, 1000);
    m_cellProgress->setAccessibleName(tr("Progress of the current target"));
    m_cellProgress->setFormat(tr("Current target: %p%"));
    m_phase = new QLabel(runBox);
    m_phase->setObjectName(QStringLiteral("phase"));
    m_phase->setAccessibleName(tr("Current phase"));
    m_timeLeft = new QLabel(runBox);
    m_timeLeft->setObjectName(QStringLiteral("timeLeft"));
    m_timeLeft->setAccessibleName(tr("Time left"));
    m_timeLeft->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_status = new QLabel(runBox);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setAccessibleName(tr("Status"));

    runLayout->addWidget(m_run, 0, 0);
    runLayout->addWidget(m_cancel, 0, 1);
    runLayout->addWidget(m_runProgress, 1, 0, 1, 2);
    runLayout->addWidget(m_cellProgress, 2, 0, 1, 2);
    runLayout->addWidget(m_phase, 3, 0);
    runLayout->addWidget(m_timeLeft, 3, 1);
    runLayout->addWidget(m_status, 4, 0, 1, 2);
    return runBox;
}

QWidget *BenchmarkPage::buildSetupPanel()
{
    auto *panel = new QWidget;
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 6, 0);
    layout->addWidget(buildTargetsBox(panel), 1);
    layout->addWidget(buildSettingsBox(panel));

    // At 1280×800 with the advanced section open the panel is taller than the
    // window: it scrolls rather than squeezing the controls. Run, Cancel and the
    // progress stay below it, always in view.
    auto *scroll = new QScrollArea;
    scroll->setObjectName(QStringLiteral("setupScroll"));
    scroll->setWidget(panel);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *column = new QWidget;
    auto *columnLayout = new QVBoxLayout(column);
    columnLayout->setContentsMargins(0, 0, 6, 0);
    columnLayout->addWidget(scroll, 1);
    columnLayout->addWidget(buildRunBox(column));
    column->setMinimumWidth(380);
    return column;
}

QWidget *BenchmarkPage::buildResultsArea()
{
    auto *area = new QWidget;
    auto *layout = new QVBoxLayout(area);
    layout->setContentsMargins(6, 0, 0, 0);

    m_warningBox = new QLabel(area);
    m_warningBox->setObjectName(QStringLiteral("trustWarnings"));
    m_warningBox->setAccessibleName(tr("Figures that cannot be trusted"));
    m_warningBox->setWordWrap(true);
    m_warningBox->setTextFormat(Qt::PlainText);
    m_warningBox->setFrameShape(QFrame::StyledPanel);
    m_warningBox->setMargin(6);
    m_warningBox->setVisible(false);
    layout->addWidget(m_warningBox);
    // What would help a target that timed out, each a button that sets the control.
    m_remedies = new QWidget(area);
    m_remedies->setObjectName(QStringLiteral("remedies"));
    auto *remedies = new QHBoxLayout(m_remedies);
    remedies->setContentsMargins(0, 0, 0, 0);
    m_remedyText = new QLabel(m_remedies);
    m_remedyText->setWordWrap(true);
    remedies->addWidget(m_remedyText, 1);
    for (const auto &[kind, name] :
        { std::pair { sa::bench::Remedy::Kind::FewerConnections, "remedyConnections" },
            std::pair { sa::bench::Remedy::Kind::MoreWorkers, "remedyWorkers" },
            std::pair { sa::bench::Remedy::Kind::LongerTimeout, "remedyTimeout" } }) {
        auto *button = new QPushButton(m_remedies);
        button->setObjectName(QLatin1String(name));
        button->setVisible(false);
        connect(button, &QPushButton::clicked, this, [this, kind = kind] { applyRemedy(kind); });
        remedies->addWidget(button);
        m_remedyButtons.insert(int(kind), button);
    }
    m_remedies->setVisible(false);
    layout->addWidget(m_remedies);

    m_tabs = new QTabWidget(area);
    m_tabs->setObjectName(QStringLiteral("benchmarkTabs"));
    m_tabs->setAccessibleName(tr("Benchmark results"));

    auto *live = new QWidget(m_tabs);
    auto *liveLayout = new QVBoxLayout(live);
    liveLayout->setContentsMargins(4, 4, 4, 0);
    m_liveLegend = new TargetLegend(live);
    m_liveLegend->setObjectName(QStringLiteral("liveLegend"));
    // Before the first run the legend line says what will appear.
    m_liveLegend->setText(tr("Press “Run comparison”: each server's requests per second, p99 latency, memory "
                             "and CPU appear here while it runs, two points a second, and its latency "
                             "histogram when a round ends."));
    m_liveLegend->setBandNote(tr("warm-up (not counted)"));
    connect(m_liveLegend, &TargetLegend::targetToggled, this, [this](const QString &id, bool visible) {
        for (ChartView *view : m_liveGrid->views())
            charts::setTargetVisible(view->chart(), id, visible);
    });
    liveLayout->addWidget(m_liveLegend);
    m_liveGrid = new ChartGrid;
    liveLayout->addWidget(scrollingChartGrid(m_liveGrid, live), 1);
    int i = 0;
    for (const charts::TimelineMetric metric : kLiveMetrics) {
        auto *view = new ChartView(charts::buildTimeline(metric, {}));
        view->setObjectName(QStringLiteral("liveChart%1").arg(i));
        view->setChartLegendVisible(false); // the shared legend above names the lines
        m_liveGrid->addView(view);
        m_liveViews.insert(int(metric), view);
        ++i;
    }
    m_liveHistogram = new ChartView(charts::buildLatencyHistogram({}));
    m_liveHistogram->setObjectName(QStringLiteral("liveHistogram"));
    m_liveHistogram->setChartLegendVisible(false);
    m_liveGrid->addView(m_liveHistogram);
    m_tabs->addTab(live, tr("&Live"));

    m_comparison = new ComparisonCharts(m_tabs);
    m_comparison->setObjectName(QStringLiteral("comparisonCharts"));
    m_tabs->addTab(m_comparison, tr("C&omparison"));
    m_results = new ResultsPanel(m_tabs);
    m_tabs->addTab(m_results, tr("&Table"));
    m_claims = new ClaimsPanel(m_tabs);
    m_claims->setObjectName(QStringLiteral("claimsPanel"));
    m_tabs->addTab(m_claims, tr("Claims vs. &measured"));
    m_capacityPanel = new CapacityRunPanel(m_tabs);
    m_tabs->addTab(m_capacityPanel, tr("Ca&pacity"));
    layout->addWidget(m_tabs, 1);
    return area;
}

void BenchmarkPage::createActions()
{
    auto *run = new QAction(tr("Run comparison"), this);
    run->setShortcuts({ QKeySequence(Qt::CTRL | Qt::Key_R), QKeySequence(Qt::Key_F5) });
    connect(run, &QAction::triggered, this, [this] {
        if (!isRunning())
            runComparison();
    });
    auto *cancelAction = new QAction(tr("Cancel"), this);
    cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(cancelAction, &QAction::triggered, this, &BenchmarkPage::cancel);
    auto *exportAction = new QAction(tr("Export results"), this);
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(exportAction, &QAction::triggered, m_results, &ResultsPanel::exportWithDialog);
    auto *copy = new QAction(tr("Copy table"), this);
    copy->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    connect(copy, &QAction::triggered, m_results, &ResultsPanel::copyToClipboard);
    addActions({ run, cancelAction, exportAction, copy });
}

void BenchmarkPage::reloadCatalog()
{
    if (isRunning())
        return;
    const QStringList selected = selectedTargets();
    m_catalogError.clear();
    if (!m_catalog.load(sa::bench::ServerCatalog::defaultSources(), &m_catalogError))
        setStatus(tr("The server catalog could not be read: %1").arg(m_catalogError));
    else if (!m_catalog.warnings().isEmpty())
        setStatus(m_catalog.warnings().join(QLatin1Char('\n')));
    charts::rememberColors(m_catalog);
    fillTargets();
    setSelectedTargets(selected.isEmpty() ? m_catalog.availableIds() : selected);
    m_serverSetup->refresh();
    updateEstimate();
}

void BenchmarkPage::fillTargets()
{
    m_targets->clear();
    const QList<ServerEntry> servers = m_catalog.servers();
    for (const ServerEntry &entry : servers) {
        auto *item = new QTreeWidgetItem(m_targets);
        item->setData(NameColumn, kIdRole, entry.id);
        item->setText(NameColumn, entry.name);
        item->setIcon(NameColumn, QIcon(swatch(charts::targetColor(entry.id))));
        item->setText(LanguageColumn, entry.language);
        item->setText(FrameworkColumn, entry.framework);
        item->setText(
            VersionColumn, entry.frameworkVersion.isEmpty() ? QStringLiteral("–") : entry.frameworkVersion);
        if (entry.available) {
            item->setText(AvailabilityColumn, tr("ready"));
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
            item->setCheckState(NameColumn, Qt::Unchecked);
            QString tip = entry.runtimeVersion;
            if (entry.deployableBytes > 0)
                tip += QStringLiteral("\n")
                    + tr("Deployable: %1 (%2)")
                          .arg(QLocale().formattedDataSize(entry.deployableBytes), entry.deployableWhat);
            item->setToolTip(NameColumn, tip.trimmed());
        } else {
            const QString reason
                = entry.unavailableReason.isEmpty() ? tr("not available") : entry.unavailableReason;
            item->setText(AvailabilityColumn, tr("not available"));
            // Shown but not selectable: the reason and the fix are the point.
            item->setFlags(Qt::ItemIsSelectable);
            const QString tip = entry.fix.isEmpty() ? reason : tr("%1 — fix: %2").arg(reason, entry.fix);
            for (int c = 0; c <= AvailabilityColumn; ++c)
                item->setToolTip(c, tip);
        }
    }
    // The reasons in full under the list: the availability column is too narrow
    // for "venv missing — fix: run make servers".
    QStringList unavailable;
    for (const ServerEntry &entry : servers) {
        if (entry.available)
            continue;
        QString line = QStringLiteral("%1: %2").arg(
            entry.name, entry.unavailableReason.isEmpty() ? tr("not available") : entry.unavailableReason);
        if (!entry.fix.isEmpty())
            line += QLatin1String(" ") + tr("Fix: %1").arg(entry.fix);
        unavailable << line;
    }
    m_unavailable->setText(unavailable.join(QLatin1Char('\n')));
    m_unavailable->setVisible(!unavailable.isEmpty());
    if (servers.isEmpty()) {
        auto *item = new QTreeWidgetItem(m_targets);
        item->setText(NameColumn, tr("No servers known"));
        item->setText(AvailabilityColumn,
            m_catalogError.isEmpty() ? tr("resources/servers.json is empty") : m_catalogError);
        item->setFlags(Qt::NoItemFlags);
    }
}

QStringList BenchmarkPage::selectedTargets() const
{
    QStringList ids;
    for (int i = 0; i < m_targets->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = m_targets->topLevelItem(i);
        if ((item->flags() & Qt::ItemIsUserCheckable) && item->checkState(NameColumn) == Qt::Checked)
            ids << item->data(NameColumn, kIdRole).toString();
    }
    return ids;
}

void BenchmarkPage::setSelectedTargets(const QStringList &ids)
{
    for (int i = 0; i < m_targets->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_targets->topLevelItem(i);
        if (item->flags() & Qt::ItemIsUserCheckable)
            item->setCheckState(NameColumn,
                ids.contains(item->data(NameColumn, kIdRole).toString()) ? Qt::Checked : Qt::Unchecked);
    }
}

BenchmarkPlan BenchmarkPage::plan() const
{
    BenchmarkPlan plan;
    plan.targetIds = selectedTargets();
    plan.scenarios = scenariosOf(m_scenario->currentData().toString());
    plan.connectionLevels = { m_connections->value() };
    plan.durationSeconds = m_duration->value();
    plan.warmupSeconds = m_warmup->value();
    plan.rounds = m_rounds->value();
    plan.timeoutSeconds = m_timeout->value();
    plan.intervalSeconds = kLiveIntervalSeconds;
    plan.serverCpus = m_serverCpus->text().trimmed();
    plan.loadCpus = m_loadCpus->text().trimmed();
    plan.workers = m_workers->value();
    plan.ioWorkersRecommended = m_ioWorkers->currentData().toBool();
    plan.queriesN = m_queriesN->value();
    plan.openLoopRate = m_rate->value();
    writeCapacityPlan(&plan);
    return plan;
}

void BenchmarkPage::setPlan(const BenchmarkPlan &plan)
{
    setSelectedTargets(plan.targetIds);
    if (!plan.scenarios.isEmpty()) {
        // A list the combo does not offer shows its first scenario.
        const int index = m_scenario->findData(idsOf(plan.scenarios));
        m_scenario->setCurrentIndex(
            index >= 0 ? index : m_scenario->findData(sa::bench::scenarioId(plan.scenarios.first())));
    }
    if (!plan.connectionLevels.isEmpty())
        m_connections->setValue(plan.connectionLevels.first());
    m_duration->setValue(plan.durationSeconds);
    m_warmup->setValue(plan.warmupSeconds);
    m_rounds->setValue(plan.rounds);
    m_timeout->setValue(plan.timeoutSeconds);
    m_serverCpus->setText(plan.serverCpus);
    m_loadCpus->setText(plan.loadCpus);
    m_workers->setValue(plan.workers);
    m_ioWorkers->setCurrentIndex(plan.ioWorkersRecommended ? 0 : 1);
    m_queriesN->setValue(plan.queriesN);
    m_rate->setValue(plan.openLoopRate);
    readCapacityPlan(plan);
}

bool BenchmarkPage::isRunning() const
{
    return m_runner->isRunning();
}

QChart *BenchmarkPage::liveChart(charts::TimelineMetric metric) const
{
    ChartView *view = m_liveViews.value(int(metric));
    return view ? view->chart() : nullptr;
}

QString BenchmarkPage::statusText() const
{
    return m_status->text();
}

void BenchmarkPage::runComparison()
{
    if (isRunning())
        return;
    const BenchmarkPlan plan = this->plan();
    if (plan.targetIds.isEmpty()) {
        setStatus(tr("Select at least one available target, then run the comparison."));
        return;
    }
    // A history that cannot take the run is found out now, not after it.
    if (QString error;
        m_store && !((m_store->isOpen() || m_store->open(&error)) && m_store->checkWritable(&error))) {
        setStatus(tr("Cannot run: the run could not be saved. %1").arg(error));
        return;
    }
    saveSettings();
    m_live.clear();
    m_dirty.clear();
    m_analysis = {};
    m_warnings.clear();
    m_runnerWarnings.clear();
    refreshWarnings();
    for (const charts::TimelineMetric metric : kLiveMetrics)
        m_liveViews.value(int(metric))->replaceChart(charts::buildTimeline(metric, {}));
    m_liveHistogram->replaceChart(charts::buildLatencyHistogram({}));
    m_comparison->setAnalysis({});
    m_results->clear();
    m_claims->clear();
    m_round = { 1, plan.rounds };
    m_runProgress->setValue(0);
    m_cellProgress->setValue(0);
    m_secondsLeft = 0;
    QList<std::pair<QString, QString>> legend;
    for (const QString &id : plan.targetIds) {
        const ServerEntry *entry = m_catalog.find(id);
        legend.append({ id, entry ? entry->name : id });
    }
    m_liveLegend->setTargets(legend);
    m_liveTargets = legend;
    m_tabs->setCurrentIndex(0);
    setStatus(tr("Running %n target(s)…", nullptr, int(plan.targetIds.size())));
    if (plan.capacity.enabled)
        startCapacityRun(plan);
    // start() reports a bad plan through runFailed(), which sets the status.
    if (m_runner->start(plan))
        setRunning(true);
}

void BenchmarkPage::cancel()
{
    if (!isRunning())
        return;
    setStatus(tr("Cancelling: stopping the server and the load generator…"));
    m_runner->cancel();
}

void BenchmarkPage::setRunning(bool running)
{
    m_run->setEnabled(!running);
    m_cancel->setEnabled(running);
    m_targets->setEnabled(!running);
    for (QWidget *control : { static_cast<QWidget *>(m_scenario), static_cast<QWidget *>(m_connections),
             static_cast<QWidget *>(m_duration), static_cast<QWidget *>(m_warmup),
             static_cast<QWidget *>(m_rounds), m_advanced, m_remedies, static_cast<QWidget *>(m_mode),
             m_capacitySettings })
        control->setEnabled(!running);
    if (running) {
        m_sinceProgress.start();
        m_tick->start();
    } else {
        m_tick->stop();
        m_phase->clear();
        m_timeLeft->clear();
    }
}

void BenchmarkPage::setStatus(const QString &text)
{
    m_status->setText(text);
}

void BenchmarkPage::onCellStarted(const QString &targetId, int cellIndex, int cellCount)
{
    m_currentTarget = targetId;
    m_cellIndex = cellIndex;
    const ServerEntry *entry = m_catalog.find(targetId);
    const QString name = entry ? entry->name : targetId;
    m_cellProgress->setValue(0);
    m_currentStep = tr("%1, round %2 of %3 (%4 of %5)")
                        .arg(name)
                        .arg(m_round.first)
                        .arg(m_round.second)
                        .arg(cellIndex + 1)
                        .arg(cellCount);
    if (m_round.second <= 1)
        m_currentStep = tr("%1 (%2 of %3)").arg(name).arg(cellIndex + 1).arg(cellCount);
    m_cellProgress->setFormat(m_currentStep + QStringLiteral(": %p%"));
    m_runProgress->setFormat(tr("Whole run: %p%"));
}

void BenchmarkPage::onPhaseChanged(const QString &targetId, BenchmarkRunner::Phase phase)
{
    const ServerEntry *entry = m_catalog.find(targetId);
    m_currentPhase = phaseText(phase);
    m_phase->setText(QStringLiteral("%1: %2").arg(entry ? entry->name : targetId, m_currentPhase));
}

void BenchmarkPage::onProgress(double runFraction, double cellFraction, double secondsLeft)
{
    m_runProgress->setValue(int(std::lround(std::clamp(runFraction, 0.0, 1.0) * 1000)));
    m_cellProgress->setValue(int(std::lround(std::clamp(cellFraction, 0.0, 1.0) * 1000)));
    m_secondsLeft = secondsLeft;
    m_sinceProgress.restart();
    m_timeLeft->setText(durationText(secondsLeft));
}

void BenchmarkPage::onSample(const QString &targetId, const IntervalSample &sample)
{
    m_live[targetId].append(sample);
    m_dirty.insert(targetId);
}

void BenchmarkPage::tick()
{
    // Between two progress reports the countdown keeps moving.
    if (m_secondsLeft > 0)
        m_timeLeft->setText(durationText(m_secondsLeft - m_sinceProgress.elapsed() / 1000.0));
    for (const QString &targetId : std::as_const(m_dirty)) {
        const ServerEntry *entry = m_catalog.find(targetId);
        const QString name = entry ? entry->name : targetId;
        const QList<IntervalSample> &samples = m_live.value(targetId);
        for (const charts::TimelineMetric metric : kLiveMetrics)
            charts::updateTimeline(liveChart(metric), metric, targetId, name, samples);
    }
    m_dirty.clear();
}

void BenchmarkPage::onCellFinished(const TargetResult &result)
{
    tick();
    m_runnerWarnings.remove(result.targetId);
    // The run so far, read as the finished run will be.
    m_analysis = sa::bench::RunAnalysis::analyse(m_runner->result());
    m_results->setAnalysis(m_analysis, false);
    m_comparison->setAnalysis(m_analysis);
    m_liveHistogram->replaceChart(charts::buildLatencyHistogram(m_analysis));
    for (ChartView *view : m_liveGrid->views()) {
        for (const auto &[id, name] : m_liveTargets) {
            if (m_liveLegend->isHidden(id))
                charts::setTargetVisible(view->chart(), id, false);
        }
    }
    showCapacity(false);
    refreshWarnings();
}

void BenchmarkPage::refreshWarnings()
{
    // The full sentences go to trustWarnings() and the tooltip; the box groups
    // them by kind so that eight targets do not push the charts off the page.
    m_warnings = m_analysis.allWarnings();
    // Before the first cell ends the runner's run-wide remarks stand alone; after
    // it, the analysis says the same of the run.
    QStringList lines = m_analysis.isEmpty() ? m_runnerWarnings.values(QString()) : m_analysis.runWarnings();
    if (m_analysis.isEmpty())
        m_warnings = lines;
    QList<std::pair<sa::bench::CellFlag, QStringList>> groups;
    for (const sa::bench::CellAnalysis &cell : m_analysis.cells()) {
        for (const sa::bench::CellWarning &warning : cell.warnings) {
            auto group = std::find_if(
                groups.begin(), groups.end(), [&](const auto &g) { return g.first == warning.flag; });
            if (group == groups.end()) {
                groups.append({ warning.flag, {} });
                group = std::prev(groups.end());
            }
            group->second << (warning.flag == sa::bench::CellFlag::Failed
                    ? QStringLiteral("%1 (%2)").arg(cell.name, m_analysis.result(cell).failureReason)
                    : warning.flag == sa::bench::CellFlag::Errors
                        || warning.flag == sa::bench::CellFlag::WideSpread
                        || warning.flag == sa::bench::CellFlag::FewerRounds
                    ? QStringLiteral("%1 (%2)").arg(cell.name, warning.brief)
                    : cell.name);
        }
    }
    for (const auto &[flag, names] : std::as_const(groups)) {
        const QString list = names.join(QStringLiteral("; "));
        switch (flag) {
        case sa::bench::CellFlag::Failed:
            lines << tr("Failed: %1.").arg(list);
            break;
        case sa::bench::CellFlag::GeneratorSaturated:
            lines << tr("The load generator was saturated for %1: these servers may be faster than measured "
                        "(the machine ran out of CPU for the load).")
                         .arg(list);
            break;
        case sa::bench::CellFlag::Errors:
            lines << tr(
                "More than %1 % of requests failed for %2: their latency and throughput are not comparable.")
                         .arg(sa::fmt::percent(sa::bench::TrustPolicy::kMaxErrorShare, 0), list);
            break;
        case sa::bench::CellFlag::Cancelled:
            lines << tr("Cancelled before the window ended: %1 (partial figures).").arg(list);
            break;
        case sa::bench::CellFlag::SharedCpu:
            lines << list;
            break;
        case sa::bench::CellFlag::WideSpread:
            lines << tr(
                "The rounds of %1 disagree by more than %2 % (coefficient of variation): their medians are "
                "not comparable.")
                         .arg(list, sa::fmt::percent(sa::bench::TrustPolicy::kMaxSpreadCv, 0));
            break;
        case sa::bench::CellFlag::FewerRounds:
            lines << tr("Measured in fewer rounds than planned: %1.").arg(list);
            break;
        case sa::bench::CellFlag::Server:
            lines << tr("About the servers themselves, not their figures: %1 (see the table's notes).")
                         .arg(list);
            break;
        }
    }
    // The runner's warnings for the target still running.
    for (auto it = m_runnerWarnings.cbegin(); it != m_runnerWarnings.cend(); ++it) {
        if (!it.key().isEmpty()) {
            m_warnings << it.value();
            lines << it.value();
        }
    }
    m_warningBox->setVisible(!lines.isEmpty());
    m_warningBox->setText(QStringLiteral("⚠ ") + lines.join(QStringLiteral("\n⚠ ")));
    m_warningBox->setToolTip(m_warnings.join(QLatin1Char('\n')));
    refreshRemedies();
}

void BenchmarkPage::refreshRemedies()
{
    // One button per kind of remedy, with the most cautious value any timed-out
    // target asks for (the fewest connections, the most workers, the longest timeout).
    QStringList names;
    QHash<int, sa::bench::Remedy> strongest;
    for (const sa::bench::CellAnalysis &cell : m_analysis.cells()) {
        if (cell.remedies.isEmpty())
            continue;
        names << cell.name;
        for (const sa::bench::Remedy &remedy : cell.remedies) {
            const auto it = strongest.constFind(int(remedy.kind));
            const bool better = it == strongest.cend()
                || (remedy.kind == sa::bench::Remedy::Kind::FewerConnections ? remedy.value < it->value
                                                                             : remedy.value > it->value);
            if (better)
                strongest.insert(int(remedy.kind), remedy);
        }
    }
    m_remedyValues.clear();
    for (auto it = m_remedyButtons.cbegin(); it != m_remedyButtons.cend(); ++it) {
        const auto remedy = strongest.constFind(it.key());
        it.value()->setVisible(remedy != strongest.cend());
        if (remedy == strongest.cend())
            continue;
        m_remedyValues.insert(it.key(), remedy->value);
        switch (remedy->kind) {
        case sa::bench::Remedy::Kind::FewerConnections:
            it.value()->setText(tr("Use %1 connections").arg(sa::fmt::number(remedy->value)));
            break;
        case sa::bench::Remedy::Kind::MoreWorkers:
            it.value()->setText(tr("Use %1 workers").arg(remedy->value));
            break;
        case sa::bench::Remedy::Kind::LongerTimeout:
            it.value()->setText(tr("Use a %1 timeout").arg(sa::fmt::seconds(remedy->value)));
            break;
        }
    }
    m_remedyText->setText(
        tr("%1 timed out. What would help, for the next run:").arg(names.join(QStringLiteral(", "))));
    m_remedies->setVisible(!strongest.isEmpty());
}

void BenchmarkPage::applyRemedy(sa::bench::Remedy::Kind kind)
{
    const double value = m_remedyValues.value(int(kind));
    switch (kind) {
    case sa::bench::Remedy::Kind::FewerConnections:
        m_connections->setValue(int(value));
        setStatus(
            tr("Connections set to %1: run the comparison again (Ctrl+R).").arg(sa::fmt::number(value)));
        break;
    case sa::bench::Remedy::Kind::MoreWorkers:
        m_advancedToggle->setChecked(true);
        m_workers->setValue(int(value));
        setStatus(tr("Workers set to %1 for every target: run the comparison again (Ctrl+R).").arg(value));
        break;
    case sa::bench::Remedy::Kind::LongerTimeout:
        m_advancedToggle->setChecked(true);
        m_timeout->setValue(value);
        setStatus(
            tr("Request timeout set to %1: run the comparison again (Ctrl+R).").arg(sa::fmt::seconds(value)));
        break;
    }
}

void BenchmarkPage::updateEstimate()
{
    sa::bench::BenchmarkPlan estimate = plan();
    const double seconds = BenchmarkRunner::estimateSeconds(estimate);
    const int minutes = int(std::lround(seconds / 60.0));
    m_estimate->setText(estimate.targetIds.isEmpty() ? QString()
            : seconds < 90
            ? tr("About %1 for %n target(s).", nullptr, int(estimate.targetIds.size()))
                  .arg(sa::fmt::seconds(std::round(seconds)))
            : tr("About %1 min for %n target(s).", nullptr, int(estimate.targetIds.size())).arg(minutes));
}

bool BenchmarkPage::confirmClose(const std::function<void()> &closeWhenSaved)
{
    if (!isRunning())
        return true;
    QMessageBox box(QMessageBox::Question, tr("A benchmark is running"),
        tr("%1 is being measured. Stop the run now and save what it measured so far to the history, marked "
           "cancelled?")
            .arg(m_currentStep.isEmpty() ? tr("A target") : m_currentStep),
        QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("closeWhileRunning"));
    QPushButton *stop = box.addButton(tr("Stop, save and close"), QMessageBox::AcceptRole);
    box.addButton(tr("Keep running"), QMessageBox::RejectRole);
    box.setDefaultButton(stop);
    box.exec();
    if (box.clickedButton() != stop)
        return false;
    // The window closes once the partial run is saved: runFinished follows the cancel.
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(this, &BenchmarkPage::runFinished, this, [connection, closeWhenSaved] {
        QObject::disconnect(*connection);
        QTimer::singleShot(0, closeWhenSaved);
    });
    cancel();
    return false;
}

void BenchmarkPage::onWarning(const QString &targetId, const QString &message)
{
    if (!m_runnerWarnings.contains(targetId, message))
        m_runnerWarnings.insert(targetId, message);
    refreshWarnings();
}

void BenchmarkPage::onRunFailed(const QString &reason)
{
    setRunning(false);
    setStatus(tr("The run could not start: %1").arg(reason));
}

void BenchmarkPage::onFinished(const RunResult &finishedRun)
{
    tick();
    setRunning(false);
    m_runProgress->setValue(
        finishedRun.status == sa::bench::RunStatus::Completed ? 1000 : m_runProgress->value());
    // The bar says how the run ended, not the last target's "100 %".
    if (finishedRun.status == sa::bench::RunStatus::Cancelled) {
        m_cellProgress->setFormat(tr("Cancelled during %1").arg(m_currentStep));
    } else {
        m_cellProgress->setValue(1000);
        m_cellProgress->setFormat(
            tr("Every target ran (%n cell(s))", nullptr, int(finishedRun.targets.size())));
    }
    m_runProgress->setFormat(finishedRun.status == sa::bench::RunStatus::Cancelled
            ? tr("Whole run: cancelled at %p%")
            : tr("Whole run: done"));
    const sa::bench::CompletedRun completed = sa::bench::completeRun(finishedRun, m_store);
    m_analysis = completed.analysis;
    m_results->setAnalysis(m_analysis, true);
    m_comparison->setAnalysis(m_analysis);
    m_claims->setAnalysis(m_analysis);
    refreshWarnings();

    QString status = finishedRun.status == sa::bench::RunStatus::Cancelled ? tr("Cancelled.")
        : finishedRun.status == sa::bench::RunStatus::Failed ? tr("Finished: no target completed.")
                                                             : tr("Finished.");
    if (m_store) {
        status += QLatin1Char(' ')
            + (completed.savedId ? tr("Saved to the history as run %1.").arg(*completed.savedId)
                    : finishedRun.targets.isEmpty()
                    ? tr("Nothing ran, so nothing was saved.")
                    : tr("Not saved to the history: %1").arg(completed.saveError));
    }
    setStatus(status);
    if (finishedRun.status == sa::bench::RunStatus::Completed && m_analysis.anyComparable())
        m_tabs->setCurrentWidget(m_comparison);
    showCapacity(true);
    Q_EMIT runFinished(m_analysis.run());
}

void BenchmarkPage::restoreSettings()
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("benchmark"));
    const BenchmarkPlan defaults; // the article's setting
    m_scenario->setCurrentIndex(std::max(0,
        m_scenario->findData(
            settings.value(QStringLiteral("scenario"), sa::bench::scenarioId(defaults.scenarios.first())))));
    m_connections->setValue(
        settings.value(QStringLiteral("connections"), defaults.connectionLevels.first()).toInt());
    m_duration->setValue(settings.value(QStringLiteral("duration"), defaults.durationSeconds).toDouble());
    m_warmup->setValue(settings.value(QStringLiteral("warmup"), defaults.warmupSeconds).toDouble());
    m_rounds->setValue(settings.value(QStringLiteral("rounds"), defaults.rounds).toInt());
    m_timeout->setValue(settings.value(QStringLiteral("timeout"), defaults.timeoutSeconds).toDouble());
    m_serverCpus->setText(settings.value(QStringLiteral("serverCpus")).toString());
    m_loadCpus->setText(settings.value(QStringLiteral("loadCpus")).toString());
    m_workers->setValue(settings.value(QStringLiteral("workers"), 0).toInt());
    m_ioWorkers->setCurrentIndex(
        settings.value(QStringLiteral("ioWorkersRecommended"), defaults.ioWorkersRecommended).toBool() ? 0
                                                                                                       : 1);
    m_queriesN->setValue(settings.value(QStringLiteral("queriesN"), defaults.queriesN).toInt());
    m_rate->setValue(settings.value(QStringLiteral("openLoopRate"), 0.0).toDouble());
    m_advancedToggle->setChecked(settings.value(QStringLiteral("advancedShown"), false).toBool());
    if (settings.contains(QStringLiteral("targets")))
        setSelectedTargets(settings.value(QStringLiteral("targets")).toStringList());
    if (const QByteArray state = settings.value(QStringLiteral("splitter")).toByteArray(); !state.isEmpty())
        m_splitter->restoreState(state);
    m_tabs->setCurrentIndex(settings.value(QStringLiteral("tab"), 0).toInt());
    restoreCapacitySettings();
}

void BenchmarkPage::saveSettings() const
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("benchmark"));
    settings.setValue(QStringLiteral("scenario"), m_scenario->currentData());
    settings.setValue(QStringLiteral("connections"), m_connections->value());
    settings.setValue(QStringLiteral("duration"), m_duration->value());
    settings.setValue(QStringLiteral("warmup"), m_warmup->value());
    settings.setValue(QStringLiteral("rounds"), m_rounds->value());
    settings.setValue(QStringLiteral("timeout"), m_timeout->value());
    settings.setValue(QStringLiteral("serverCpus"), m_serverCpus->text());
    settings.setValue(QStringLiteral("loadCpus"), m_loadCpus->text());
    settings.setValue(QStringLiteral("workers"), m_workers->value());
    settings.setValue(QStringLiteral("ioWorkersRecommended"), m_ioWorkers->currentData().toBool());
    settings.setValue(QStringLiteral("queriesN"), m_queriesN->value());
    settings.setValue(QStringLiteral("openLoopRate"), m_rate->value());
    settings.setValue(QStringLiteral("advancedShown"), m_advancedToggle->isChecked());
    settings.setValue(QStringLiteral("targets"), selectedTargets());
    settings.setValue(QStringLiteral("splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("tab"), m_tabs->currentIndex());
    saveCapacitySettings();
}

} // namespace sa::ui
