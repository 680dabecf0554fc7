#include "historypage.h"

#include "bench/claimspanel.h"
#include "bench/comparisoncharts.h"
#include "bench/resultspanel.h"
#include "charts/charts.h"
#include "charts/chartview.h"
#include "historymodel.h"
#include "runcomparisonmodel.h"
#include "store/resultstore.h"

#include "bench/format.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace sa::ui {

HistoryPage::HistoryPage(sa::store::ResultStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_model(new HistoryModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_comparisonModel(new RunComparisonModel(this))
{
    setObjectName(QStringLiteral("historyPage"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(HistoryModel::SortRole);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("historySplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(buildRunList());
    m_splitter->addWidget(buildDetails());
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 4);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_splitter);

    restoreSettings();
    refresh();
}

// The list of past runs with Open, Compare, Delete and Refresh.
QWidget *HistoryPage::buildRunList()
{
    m_list = new QTableView(this);
    m_list->setObjectName(QStringLiteral("historyList"));
    m_list->setAccessibleName(tr("Past runs"));
    m_list->setModel(m_proxy);
    m_list->setSortingEnabled(true);
    m_list->sortByColumn(HistoryModel::Date, Qt::DescendingOrder);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setAlternatingRowColors(true);
    m_list->verticalHeader()->hide();
    m_list->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->horizontalHeader()->setStretchLastSection(true);
    connect(
        m_list->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HistoryPage::updateButtons);
    connect(m_list, &QTableView::activated, this,
        [this](const QModelIndex &index) { openRun(index.data(HistoryModel::RunIdRole).toLongLong()); });

    m_open = new QPushButton(tr("Open"), this);
    m_open->setObjectName(QStringLiteral("openRun"));
    m_open->setToolTip(tr("Show the selected run's comparison, table and claims (Enter)"));
    m_compare = new QPushButton(tr("Compare two runs"), this);
    m_compare->setObjectName(QStringLiteral("compareRuns"));
    m_compare->setToolTip(tr("Select two runs: each target's change from the older to the newer, in %"));
    m_delete = new QPushButton(tr("Delete…"), this);
    m_delete->setObjectName(QStringLiteral("deleteRun"));
    m_delete->setToolTip(tr("Delete the selected run from the history (Del)"));
    auto *refreshButton = new QPushButton(tr("Refresh"), this);
    connect(m_open, &QPushButton::clicked, this, [this] {
        if (const QList<qint64> ids = selectedIds(); ids.size() == 1)
            openRun(ids.first());
    });
    connect(m_compare, &QPushButton::clicked, this, [this] {
        QList<qint64> ids = selectedIds();
        if (ids.size() == 2) {
            std::sort(ids.begin(), ids.end()); // older (smaller id) first
            compareRuns(ids.at(0), ids.at(1));
        }
    });
    connect(m_delete, &QPushButton::clicked, this, [this] {
        if (const QList<qint64> ids = selectedIds(); ids.size() == 1)
            deleteRun(ids.first());
    });
    connect(refreshButton, &QPushButton::clicked, this, &HistoryPage::refresh);
    auto *deleteAction = new QAction(tr("Delete run"), this);
    deleteAction->setShortcut(QKeySequence::Delete);
    deleteAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(deleteAction, &QAction::triggered, m_delete, &QPushButton::click);
    m_list->addAction(deleteAction);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("historyStatus"));
    m_status->setWordWrap(true);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_open);
    buttons->addWidget(m_compare);
    buttons->addWidget(m_delete);
    buttons->addStretch(1);
    buttons->addWidget(m_status, 2);
    buttons->addWidget(refreshButton);

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_list, 1);
    topLayout->addLayout(buttons);

    return top;
}

// The opened run: its comparison, table and claims, and the change between two runs.
QWidget *HistoryPage::buildDetails()
{
    auto *details = new QWidget(this);
    auto *detailsLayout = new QVBoxLayout(details);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    m_heading = new QLabel(tr("Open a run to see its comparison."), details);
    m_heading->setObjectName(QStringLiteral("openedRun"));
    m_heading->setWordWrap(true);
    QFont headingFont = m_heading->font();
    headingFont.setBold(true);
    m_heading->setFont(headingFont);
    // The opened run's trust warnings, as the Benchmark page showed them.
    m_warnings = new QLabel(details);
    m_warnings->setObjectName(QStringLiteral("historyWarnings"));
    m_warnings->setAccessibleName(tr("Figures of the opened run that cannot be trusted"));
    m_warnings->setWordWrap(true);
    m_warnings->setTextFormat(Qt::PlainText);
    m_warnings->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warnings->setFrameShape(QFrame::StyledPanel);
    m_warnings->setMargin(6);
    m_warnings->setVisible(false);
    m_tabs = new QTabWidget(details);
    m_tabs->setAccessibleName(tr("The opened run"));
    m_charts = new ComparisonCharts(m_tabs);
    m_charts->setEmptyText(tr("Open a run (double-click it in the list) to see its comparison."));
    m_results = new ResultsPanel(m_tabs);
    m_claims = new ClaimsPanel(m_tabs);
    m_tabs->addTab(m_charts, tr("Comparison"));
    m_tabs->addTab(m_results, tr("Table"));
    m_tabs->addTab(m_claims, tr("Claims vs. measured"));

    m_tabs->addTab(buildChangeTab(), tr("Change between two runs"));
    detailsLayout->addWidget(m_heading);
    detailsLayout->addWidget(m_warnings);
    detailsLayout->addWidget(m_tabs, 1);
    return details;
}

QWidget *HistoryPage::buildChangeTab()
{
    m_changeTab = new QWidget(m_tabs);
    auto *changeLayout = new QVBoxLayout(m_changeTab);
    m_changeHeading = new QLabel(tr("Select two runs and press “Compare two runs”."), m_changeTab);
    m_changeHeading->setWordWrap(true);
    m_changeDifferences = new QLabel(m_changeTab);
    m_changeDifferences->setObjectName(QStringLiteral("changeDifferences"));
    m_changeDifferences->setWordWrap(true);
    m_changeDifferences->setTextFormat(Qt::PlainText);
    m_changeDifferences->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_changeDifferences->hide();
    m_changeTable = new QTableView(m_changeTab);
    m_changeTable->setObjectName(QStringLiteral("changeTable"));
    m_changeTable->setAccessibleName(tr("Change between two runs"));
    auto *changeProxy = new QSortFilterProxyModel(this);
    changeProxy->setSourceModel(m_comparisonModel);
    changeProxy->setSortRole(RunComparisonModel::SortRole);
    m_changeTable->setModel(changeProxy);
    m_changeTable->setSortingEnabled(true);
    m_changeTable->sortByColumn(-1, Qt::AscendingOrder);
    m_changeTable->verticalHeader()->hide();
    m_changeTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_changeChart = new ChartView(charts::buildRunComparisonChart(charts::BarMetric::RequestsPerSecond, {},
                                      sa::bench::RunAnalysis {}, {}, sa::bench::RunAnalysis {}),
        m_changeTab);
    auto *changeSplit = new QSplitter(Qt::Horizontal, m_changeTab);
    changeSplit->addWidget(m_changeTable);
    changeSplit->addWidget(m_changeChart);
    changeSplit->setStretchFactor(0, 3);
    changeSplit->setStretchFactor(1, 2);
    changeLayout->addWidget(m_changeHeading);
    changeLayout->addWidget(m_changeDifferences);
    changeLayout->addWidget(changeSplit, 1);

    return m_changeTab;
}

HistoryPage::~HistoryPage()
{
    saveSettings();
}

QString HistoryPage::statusText() const
{
    return m_status->text();
}

void HistoryPage::setStatus(const QString &text)
{
    m_status->setText(text);
}

void HistoryPage::refresh()
{
    const QList<qint64> selected = selectedIds();
    if (!m_store) {
        setStatus(tr("No history: the result store is not available."));
        updateButtons();
        return;
    }
    QString error;
    if (!m_store->isOpen() && !m_store->open(&error)) {
        setStatus(tr("The history could not be opened: %1").arg(error));
        updateButtons();
        return;
    }
    const QList<sa::store::RunSummary> runs = m_store->list(&error);
    m_model->setRuns(runs);
    if (!error.isEmpty())
        setStatus(tr("The history could not be read: %1").arg(error));
    else if (!m_store->recoveryMessage().isEmpty())
        setStatus(m_store->recoveryMessage());
    else
        setStatus(runs.isEmpty() ? tr("No runs yet: run a comparison on the Benchmark page.")
                                 : tr("%n run(s).", nullptr, int(runs.size())));
    for (const qint64 id : selected) {
        const int row = m_model->rowOf(id);
        if (row >= 0)
            m_list->selectionModel()->select(m_proxy->mapFromSource(m_model->index(row, 0)),
                QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
    updateButtons();
}

QList<qint64> HistoryPage::selectedIds() const
{
    QList<qint64> ids;
    const QModelIndexList rows = m_list->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        ids << index.data(HistoryModel::RunIdRole).toLongLong();
    return ids;
}

void HistoryPage::updateButtons()
{
    const qsizetype count = m_list->selectionModel()->selectedRows().size();
    m_open->setEnabled(count == 1);
    m_delete->setEnabled(count == 1);
    m_compare->setEnabled(count == 2);
}

void HistoryPage::selectRun(qint64 id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return;
    m_list->selectionModel()->select(m_proxy->mapFromSource(m_model->index(row, 0)),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    openRun(id);
}

bool HistoryPage::openRun(qint64 id)
{
    if (!m_store)
        return false;
    QString error;
    std::optional<sa::bench::RunResult> run = m_store->load(id, &error);
    if (!run) {
        setStatus(tr("Run %1 could not be opened: %2").arg(id).arg(error));
        return false;
    }
    m_opened = *run;
    const sa::store::RunSummary summary = sa::store::ResultStore::summarize(m_opened);
    m_heading->setText(tr("Run %1 · %2 · %3 · %4")
                           .arg(id)
                           .arg(QLocale().toString(m_opened.startedAt.toLocalTime(), QLocale::LongFormat),
                               summary.machine, sa::bench::runStatusId(m_opened.status)));
    const sa::bench::RunAnalysis analysis = sa::bench::RunAnalysis::analyse(m_opened);
    showWarnings(analysis);
    m_charts->setAnalysis(analysis);
    m_results->setAnalysis(analysis, true);
    m_claims->setAnalysis(analysis);
    if (m_tabs->currentWidget() == m_changeTab)
        m_tabs->setCurrentWidget(m_charts);
    return true;
}

bool HistoryPage::compareRuns(qint64 a, qint64 b)
{
    if (!m_store)
        return false;
    QString error;
    const std::optional<sa::store::RunComparison> comparison = m_store->compare(a, b, &error);
    if (!comparison) {
        setStatus(tr("Runs %1 and %2 could not be compared: %3").arg(a).arg(b).arg(error));
        return false;
    }
    m_comparisonModel->setComparison(*comparison);
    const QLocale locale;
    m_changeHeading->setText(tr(
        "Run %1 (%2) → run %3 (%4). Change = (second − first) ÷ first; for req/s up is better, for p99 and "
        "memory down is better: green is better, red worse, uncoloured within %5 % (run-to-run noise).")
                                 .arg(a)
                                 .arg(locale.toString(
                                     comparison->a.startedAt.toLocalTime(), QLocale::ShortFormat))
                                 .arg(b)
                                 .arg(locale.toString(
                                     comparison->b.startedAt.toLocalTime(), QLocale::ShortFormat))
                                 .arg(sa::fmt::percent(sa::bench::TrustPolicy::kNoiseChange, 0)));
    m_changeDifferences->setText(comparison->differences.isEmpty()
            ? QString()
            : tr("Not measured alike, so a change is not the servers' alone:") + QStringLiteral("\n• ")
                + comparison->differences.join(QStringLiteral("\n• ")));
    m_changeDifferences->setVisible(!comparison->differences.isEmpty());
    const std::optional<sa::bench::RunResult> runA = m_store->load(a, &error);
    const std::optional<sa::bench::RunResult> runB = m_store->load(b, &error);
    if (runA && runB) {
        charts::rememberColors(*runA);
        charts::rememberColors(*runB);
        m_changeChart->replaceChart(charts::buildRunComparisonChart(charts::BarMetric::RequestsPerSecond,
            tr("Run %1").arg(a), sa::bench::RunAnalysis::analyse(*runA), tr("Run %1").arg(b),
            sa::bench::RunAnalysis::analyse(*runB)));
    }
    m_tabs->setCurrentWidget(m_changeTab);
    return true;
}

bool HistoryPage::deleteRun(qint64 id)
{
    if (!m_store)
        return false;
    const QMessageBox::StandardButton answer = QMessageBox::question(this, tr("Delete run"),
        tr("Delete run %1 from the history? Its figures cannot be recovered.").arg(id),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return false;
    QString error;
    if (!m_store->remove(id, &error)) {
        setStatus(tr("Run %1 could not be deleted: %2").arg(id).arg(error));
        return false;
    }
    if (m_opened.id == id) {
        m_opened = {};
        m_heading->setText(tr("Open a run to see its comparison."));
        showWarnings({});
        m_charts->setAnalysis({});
        m_results->clear();
        m_claims->clear();
    }
    refresh();
    setStatus(tr("Run %1 deleted.").arg(id));
    return true;
}

void HistoryPage::showWarnings(const sa::bench::RunAnalysis &analysis)
{
    QStringList lines = analysis.allWarnings();
    m_warnings->setText(
        lines.isEmpty() ? QString() : QStringLiteral("⚠ ") + lines.join(QStringLiteral("\n⚠ ")));
    m_warnings->setVisible(!lines.isEmpty());
}

QString HistoryPage::warningsText() const
{
    return m_warnings->isVisibleTo(this) ? m_warnings->text() : QString();
}

void HistoryPage::restoreSettings()
{
    QSettings settings;
    if (const QByteArray state = settings.value(QStringLiteral("history/splitter")).toByteArray();
        !state.isEmpty())
        m_splitter->restoreState(state);
    else
        m_splitter->setSizes({ 160, 640 });
}

void HistoryPage::saveSettings() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("history/splitter"), m_splitter->saveState());
}

} // namespace sa::ui
