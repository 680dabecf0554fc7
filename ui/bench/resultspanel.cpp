#include "resultspanel.h"

#include "resultstablemodel.h"

#include "bench/runcompletion.h"
#include "widgets/frozentableview.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace sa::ui {

ResultsPanel::ResultsPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new ResultsTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new FrozenColumnTableView(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ResultsTableModel::SortRole);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);

    m_view->setObjectName(QStringLiteral("resultsTable"));
    m_view->setAccessibleName(tr("Results: every figure of every target"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder); // run order until the user sorts
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);

    auto *copy = new QPushButton(tr("Copy table"), this);
    copy->setObjectName(QStringLiteral("copyTable"));
    copy->setToolTip(tr("Copy the table as aligned text (Ctrl+Shift+C)"));
    connect(copy, &QPushButton::clicked, this, &ResultsPanel::copyToClipboard);
    auto *exportButton = new QPushButton(tr("Export JSON or CSV…"), this);
    exportButton->setObjectName(QStringLiteral("exportResults"));
    exportButton->setToolTip(tr("Save the whole run as JSON (the documented schema) or CSV (Ctrl+E)"));
    connect(exportButton, &QPushButton::clicked, this, &ResultsPanel::exportWithDialog);
    m_copy = copy;
    m_export = exportButton;

    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(copy);
    buttons->addWidget(exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    updateButtons();
}

void ResultsPanel::setAnalysis(const sa::bench::RunAnalysis &analysis, bool complete)
{
    m_complete = complete;
    m_model->setAnalysis(analysis);
    updateButtons();
}

void ResultsPanel::clear()
{
    m_complete = false;
    m_model->clear();
    updateButtons();
}

void ResultsPanel::updateButtons()
{
    m_copy->setEnabled(m_model->rowCount() > 0);
    // Export writes the whole run (plan, machine, versions): only once it is known.
    m_export->setEnabled(m_complete);
}

QString ResultsPanel::text() const
{
    return tableAsText(*m_proxy);
}

void ResultsPanel::copyToClipboard() const
{
    if (m_model->rowCount() > 0)
        QApplication::clipboard()->setText(text());
}

bool ResultsPanel::exportTo(const QString &filePath, QString *error) const
{
    const QString suffix = QFileInfo(filePath).suffix().toLower();
    sa::bench::RunExports exports;
    if (suffix == QLatin1String("json"))
        exports.jsonPath = filePath;
    else if (suffix == QLatin1String("csv"))
        exports.csvPath = filePath;
    else {
        *error = tr("Cannot export to '%1': choose a file name ending in .json or .csv.").arg(filePath);
        return false;
    }
    const QStringList errors = sa::bench::exportRun(m_model->analysis(), exports);
    if (!errors.isEmpty()) {
        *error = errors.join(u' ') + u' ' + tr("Choose a folder you can write to.");
        return false;
    }
    return true;
}

void ResultsPanel::exportWithDialog()
{
    if (!m_complete)
        return;
    QSettings settings;
    const QString folder = settings.value(QStringLiteral("export/folder"), QDir::homePath()).toString();
    const QString name
        = QStringLiteral("stackadvisor-run-%1.json")
              .arg(m_model->analysis().run().startedAt.toString(QStringLiteral("yyyyMMdd-HHmmss")));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export results"), QDir(folder).filePath(name),
        tr("JSON (*.json);;CSV for spreadsheets (*.csv)"));
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("export/folder"), QFileInfo(path).absolutePath());
    QString error;
    if (!exportTo(path, &error))
        QMessageBox::warning(this, tr("Export results"), error);
}

} // namespace sa::ui
