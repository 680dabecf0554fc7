#include "databasegappanel.h"

#include "databasegapmodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace sa::ui {

DatabaseGapPanel::DatabaseGapPanel(QWidget *parent) : QWidget(parent), m_model(new DatabaseGapModel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *title = new QLabel(tr("<b>JSON vs database</b> — each target's requests per second with PostgreSQL "
                                "in the loop, beside its in-process JSON figure"),
        this);
    title->setWordWrap(true);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("databaseGapSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_model);
    proxy->setSortRole(DatabaseGapModel::SortRole);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("databaseGapTable"));
    m_table->setAccessibleName(tr("Requests per second with and without the database, per target"));
    m_table->setModel(proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // run order until the user sorts
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(title);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);
    setVisible(false);
}

void DatabaseGapPanel::setAnalysis(const sa::bench::RunAnalysis &analysis)
{
    const sa::bench::DatabaseGap &gap = analysis.databaseGap();
    m_model->setGap(gap);
    // The target's name takes the spare width, not the last share column.
    if (m_model->columnCount() > 0)
        m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    const QString summary = gap.summary();
    m_summary->setText(summary.isEmpty()
            ? tr("Measure at least one Go and one Python server in the JSON scenario and a database scenario "
                 "of the same run to see their ratio with the database in the loop.")
            : summary);
    // A few rows and the sentence: the charts below keep most of the height.
    m_table->setMaximumHeight(m_table->horizontalHeader()->sizeHint().height()
        + m_table->verticalHeader()->defaultSectionSize() * qMin(int(gap.targets().size()), 9) + 4);
    setVisible(!gap.isEmpty());
}

QString DatabaseGapPanel::summaryText() const
{
    return m_summary->text();
}

} // namespace sa::ui
