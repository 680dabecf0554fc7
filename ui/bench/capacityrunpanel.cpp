#include "capacityrunpanel.h"

#include "capacitystepsmodel.h"
#include "capacitytablemodel.h"
#include "charts/capacitycharts.h"
#include "charts/chartview.h"

#include "bench/format.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace sa::ui {

namespace {

QTableView *tableView(QAbstractItemModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setSortingEnabled(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setStretchLastSection(true);
    view->setWordWrap(false);
    // Qt's default indicator is descending; rows read in their model's order until clicked.
    view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    return view;
}

} // namespace

CapacityRunPanel::CapacityRunPanel(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("capacityRunPanel"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("capacitySummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setAccessibleName(tr("What the capacity run found"));

    // The reading: changing any of these reads the same steps again.
    const sa::bench::CapacityPlan defaults;
    m_latencyTarget = new QDoubleSpinBox(this);
    m_latencyTarget->setObjectName(QStringLiteral("latencyTarget"));
    m_latencyTarget->setRange(0.1, 60000);
    m_latencyTarget->setDecimals(1);
    m_latencyTarget->setSuffix(tr(" ms"));
    m_latencyTarget->setValue(defaults.latencyTargetMs);
    m_latencyTarget->setAccessibleName(tr("p99 latency target in milliseconds"));
    m_latencyTarget->setToolTip(
        tr("A step is sustained when its p99 is at most this (the search uses it; after the "
           "run, the steps are read again with a new value)"));
    m_peak = new QDoubleSpinBox(this);
    m_peak->setObjectName(QStringLiteral("peak"));
    m_peak->setRange(1, 1e9);
    m_peak->setDecimals(0);
    m_peak->setGroupSeparatorShown(true);
    m_peak->setSuffix(tr(" req/s"));
    m_peak->setValue(defaults.peakRequestsPerSecond);
    m_peak->setAccessibleName(tr("Peak traffic to size for, requests per second"));
    m_headroom = new QSpinBox(this);
    m_headroom->setObjectName(QStringLiteral("headroom"));
    m_headroom->setRange(0, 90);
    m_headroom->setSuffix(tr(" %"));
    m_headroom->setValue(int(std::lround(defaults.headroom * 100)));
    m_headroom->setAccessibleName(tr("Headroom: share of sustainable throughput kept free"));
    m_coresPerServer = new QSpinBox(this);
    m_coresPerServer->setObjectName(QStringLiteral("coresPerServer"));
    m_coresPerServer->setRange(1, 1024);
    m_coresPerServer->setValue(defaults.coresPerServer);
    m_coresPerServer->setAccessibleName(tr("Cores per server"));
    auto *reading = new QHBoxLayout;
    const auto field = [&](const QString &label, QWidget *widget) {
        auto *l = new QLabel(label, this);
        l->setBuddy(widget);
        reading->addWidget(l);
        reading->addWidget(widget);
    };
    field(tr("p99 &target:"), m_latencyTarget);
    field(tr("P&eak:"), m_peak);
    field(tr("&Headroom:"), m_headroom);
    field(tr("Cores per ser&ver:"), m_coresPerServer);
    m_advice = new QLabel(this);
    m_advice->setObjectName(QStringLiteral("capacityAdvice"));
    m_advice->setEnabled(false); // secondary text
    m_advice->setVisible(false);
    reading->addWidget(m_advice);
    reading->addStretch(1);
    for (QDoubleSpinBox *box : { m_latencyTarget, m_peak })
        connect(box, &QDoubleSpinBox::valueChanged, this, [this] { reread(); });
    for (QSpinBox *box : { m_headroom, m_coresPerServer })
        connect(box, &QSpinBox::valueChanged, this, [this] { reread(); });

    // The page scrolls: the charts, both tables and the notes each keep a readable size.
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *content = new QWidget(scroll);
    scroll->setWidget(content);

    m_latencyView = new ChartView(charts::buildLatencyLoadChart({}), content);
    m_latencyView->setObjectName(QStringLiteral("latencyLoadChart"));
    m_latencyView->setMinimumHeight(340);
    m_cpuView = new ChartView(charts::buildCpuPerRequestChart({}), content);
    m_cpuView->setObjectName(QStringLiteral("cpuPerRequestChart"));
    auto *charts = new QSplitter(Qt::Horizontal, content);
    charts->addWidget(m_latencyView);
    charts->addWidget(m_cpuView);
    charts->setStretchFactor(0, 3);
    charts->setStretchFactor(1, 2);

    m_tableModel = new CapacityTableModel(this);
    m_tableProxy = new QSortFilterProxyModel(this);
    m_tableProxy->setSourceModel(m_tableModel);
    m_tableProxy->setSortRole(CapacityTableModel::SortRole);
    m_table = tableView(m_tableProxy, content);
    m_table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setObjectName(QStringLiteral("capacityTable"));
    m_table->setAccessibleName(
        tr("Sustainable throughput, CPU per request and cores at the peak per target"));
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            if (current.isValid() && !m_updating)
                showSteps(current.data(CapacityTableModel::CellIndexRole).toInt());
        });

    m_stepsTitle = new QLabel(content);
    m_stepsTitle->setWordWrap(true);
    m_stepsTitle->setObjectName(QStringLiteral("capacityStepsTitle"));
    m_stepsModel = new CapacityStepsModel(this);
    auto *stepsProxy = new QSortFilterProxyModel(this);
    stepsProxy->setSourceModel(m_stepsModel);
    stepsProxy->setSortRole(CapacityStepsModel::SortRole);
    stepsProxy->sort(1, Qt::AscendingOrder);
    m_steps = tableView(stepsProxy, content);
    m_steps->horizontalHeader()->setSortIndicator(1, Qt::AscendingOrder);
    m_steps->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_steps->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_steps->setObjectName(QStringLiteral("capacitySteps"));
    m_steps->setAccessibleName(tr("The steps behind the selected target's figures"));

    m_notes = new QLabel(content);
    m_notes->setObjectName(QStringLiteral("capacityNotes"));
    m_notes->setWordWrap(true);
    m_notes->setTextFormat(Qt::PlainText);
    m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notes->setEnabled(false); // secondary text

    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addWidget(charts);
    contentLayout->addWidget(m_table);
    contentLayout->addWidget(m_stepsTitle);
    contentLayout->addWidget(m_steps);
    contentLayout->addWidget(m_notes);
    contentLayout->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addWidget(m_summary);
    layout->addLayout(reading);
    layout->addWidget(scroll, 1);
    clear();
}

void CapacityRunPanel::clear()
{
    m_run.reset();
    m_analysis = {};
    m_liveSteps.clear();
    m_liveNames.clear();
    m_shownCell = -1;
    m_summary->setText(
        tr("Choose “Find capacity” in the setting and run: each server gets its closed-loop maximum, "
           "then steps of open-loop load from 10 % to 120 % of it. Its p99 against the offered load "
           "appears here step by step, with the latency target and the knee."));
    render();
}

void CapacityRunPanel::startRun(const sa::bench::BenchmarkPlan &plan)
{
    clear();
    m_livePlan = plan.capacity;
    setReading(plan.capacity);
    // The bars' legend names this run's common rate before its first cell ends.
    sa::bench::RunResult planned;
    planned.plan = plan;
    m_cpuView->replaceChart(
        charts::buildCpuPerRequestChart(sa::bench::RunAnalysis::analyse(planned, nullptr)));
    m_summary->setText(
        tr("Finding the capacity of %n target(s) within p99 ≤ %1 ms…", nullptr, int(plan.targetIds.size()))
            .arg(fmt::number(plan.capacity.latencyTargetMs, 1)));
}

void CapacityRunPanel::addStep(
    int cellIndex, const QString &targetId, const QString &name, const sa::bench::CapacityStep &step)
{
    QList<sa::bench::CapacityStep> &steps = m_liveSteps[cellIndex];
    steps << step;
    m_liveNames.insert(cellIndex, { targetId, name });
    charts::updateLatencyLoadChart(
        latencyLoadChart(), QString::number(cellIndex), targetId, name, steps, m_livePlan);
    if (m_shownCell < 0 || m_shownCell == cellIndex || !m_liveSteps.contains(m_shownCell)) {
        m_shownCell = cellIndex;
        m_stepsModel->setSteps(steps, m_livePlan);
        m_stepsTitle->setText(tr("Steps of %1 so far (lowest offered rate first):").arg(name));
    }
}

void CapacityRunPanel::setAnalysis(const sa::bench::RunAnalysis &analysis)
{
    m_run = analysis.run();
    // The cells that finished are in the run; a cell still running keeps its live steps.
    for (const sa::bench::CellAnalysis &cell : analysis.cells())
        m_liveSteps.remove(cell.index);
    reread();
}

void CapacityRunPanel::writeReading(sa::bench::CapacityPlan *plan) const
{
    plan->latencyTargetMs = m_latencyTarget->value();
    plan->peakRequestsPerSecond = m_peak->value();
    plan->headroom = m_headroom->value() / 100.0;
    plan->coresPerServer = m_coresPerServer->value();
}

void CapacityRunPanel::setReading(const sa::bench::CapacityPlan &plan)
{
    m_updating = true;
    m_latencyTarget->setValue(plan.latencyTargetMs);
    m_peak->setValue(plan.peakRequestsPerSecond);
    m_headroom->setValue(int(std::lround(plan.headroom * 100)));
    m_coresPerServer->setValue(plan.coresPerServer);
    m_updating = false;
    reread();
}

void CapacityRunPanel::adoptAdvice(
    double latencyTargetMs, const QString &source, double peakRequestsPerSecond)
{
    m_updating = true;
    m_latencyTarget->setValue(latencyTargetMs);
    if (peakRequestsPerSecond > 0)
        m_peak->setValue(peakRequestsPerSecond);
    m_updating = false;
    const QString peak = peakRequestsPerSecond > 0
        ? tr("; peak %1 req/s, as stated there").arg(fmt::number(peakRequestsPerSecond))
        : QString();
    m_advice->setText(tr("From the Advisor: p99 ≤ %1 ms, %2%3")
                          .arg(fmt::number(latencyTargetMs, latencyTargetMs < 10 ? 1 : 0), source, peak));
    m_advice->setToolTip(m_advice->text());
    m_advice->setVisible(true);
    reread();
}

QString CapacityRunPanel::adviceText() const
{
    return m_advice->isVisible() ? m_advice->text() : QString();
}

void CapacityRunPanel::reread()
{
    if (m_updating)
        return;
    if (m_run) {
        sa::bench::RunResult run = *m_run;
        writeReading(&run.plan.capacity);
        m_analysis = sa::bench::RunAnalysis::analyse(run, nullptr);
    }
    render();
    Q_EMIT readingChanged();
}

void CapacityRunPanel::render()
{
    m_updating = true;
    m_latencyView->replaceChart(charts::buildLatencyLoadChart(m_analysis));
    m_cpuView->replaceChart(charts::buildCpuPerRequestChart(m_analysis));
    m_tableModel->setAnalysis(m_analysis);
    m_updating = false;
    // A cell still running keeps drawing its line.
    for (auto it = m_liveSteps.cbegin(); it != m_liveSteps.cend(); ++it) {
        const QList<sa::bench::CapacityStep> &steps = it.value();
        const auto [targetId, name] = m_liveNames.value(it.key());
        if (!steps.isEmpty())
            charts::updateLatencyLoadChart(
                latencyLoadChart(), QString::number(it.key()), targetId, name, steps, m_livePlan);
    }

    const sa::bench::CapacitySummary &summary = m_analysis.capacitySummary();
    if (summary.isCapacityRun) {
        QStringList lines;
        for (const sa::bench::CellAnalysis *cell : sa::bench::sweptCells(m_analysis))
            lines << tr("%1 %2.").arg(cell->name, m_analysis.capacity(*cell).summary);
        m_summary->setText(lines.join(QLatin1Char('\n')));
        m_notes->setText(summary.commonNote + QLatin1Char(' ') + summary.scalingNote + QLatin1Char(' ')
            + summary.peakNote + QLatin1Char('\n') + summary.method);
    } else if (!m_run) {
        m_notes->clear();
    }
    if (m_liveSteps.contains(m_shownCell))
        return; // the live cell's steps stay shown
    const QList<const sa::bench::CellAnalysis *> swept = sa::bench::sweptCells(m_analysis);
    const bool known = std::any_of(swept.cbegin(), swept.cend(),
        [this](const sa::bench::CellAnalysis *c) { return c->index == m_shownCell; });
    if (!known)
        m_shownCell = swept.isEmpty() ? -1 : swept.constFirst()->index;
    showSteps(m_shownCell);
}

void CapacityRunPanel::showSteps(int cellIndex)
{
    m_shownCell = cellIndex;
    if (cellIndex < 0 || cellIndex >= m_analysis.cells().size()
        || !m_analysis.result(m_analysis.cells().at(cellIndex)).capacity) {
        m_stepsModel->clear();
        m_stepsTitle->setText(tr("Steps: none yet."));
        return;
    }
    const sa::bench::CellAnalysis &cell = m_analysis.cells().at(cellIndex);
    const sa::bench::TargetResult &t = m_analysis.result(cell);
    m_stepsModel->setSteps(t.capacity->steps, m_analysis.run().plan.capacity);
    m_stepsTitle->setText(
        tr("Steps of %1 (lowest offered rate first; %2):").arg(cell.name, t.capacity->stopReason));
}

QChart *CapacityRunPanel::latencyLoadChart() const
{
    return m_latencyView->chart();
}

QChart *CapacityRunPanel::cpuChart() const
{
    return m_cpuView->chart();
}

QString CapacityRunPanel::summaryText() const
{
    return m_summary->text();
}

QString CapacityRunPanel::stepsTitle() const
{
    return m_stepsTitle->text();
}

} // namespace sa::ui
