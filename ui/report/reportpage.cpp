#include "reportpage.h"

#include "store/resultstore.h"

#include <QAction>
#include <QBuffer>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPdfDocument>
#include <QPdfView>
#include <QPushButton>
#include <QSettings>
#include <QTimer>
#include <QVBoxLayout>

namespace sa::ui {

namespace {

const QString kProjectKey = QStringLiteral("report/project");
const QString kPageSizeKey = QStringLiteral("report/pageSize");
constexpr qint64 kNoRun = -2;
constexpr qint64 kUnsavedRun = -1;

} // namespace

ReportPage::ReportPage(sa::store::ResultStore *store, QWidget *parent) : QWidget(parent), m_store(store)
{
    auto *layout = new QVBoxLayout(this);

    auto *form = new QFormLayout;
    m_project = new QLineEdit;
    m_project->setPlaceholderText(tr("Optional: the project the report is for"));
    m_project->setText(QSettings().value(kProjectKey).toString());
    form->addRow(tr("&Project name:"), m_project);
    m_runs = new QComboBox;
    m_runs->setAccessibleName(tr("Benchmark run in the report"));
    form->addRow(tr("Benchmark &run:"), m_runs);
    m_pageSize = new QComboBox;
    m_pageSize->addItem(tr("A4"), QVariant::fromValue(int(report::PageSize::A4)));
    m_pageSize->addItem(tr("Letter"), QVariant::fromValue(int(report::PageSize::Letter)));
    m_pageSize->setCurrentIndex(
        QSettings().value(kPageSizeKey).toString() == QLatin1String("letter") ? 1 : 0);
    form->addRow(tr("Page &size:"), m_pageSize);
    layout->addLayout(form);

    auto *buttons = new QHBoxLayout;
    m_exportPdf = new QPushButton(tr("Export PDF…"));
    m_exportPdf->setToolTip(tr("Save the report as a PDF (Ctrl+E)"));
    m_exportHtml = new QPushButton(tr("Export HTML…"));
    m_status = new QLabel;
    m_status->setWordWrap(true);
    buttons->addWidget(m_exportPdf);
    buttons->addWidget(m_exportHtml);
    buttons->addWidget(m_status, 1);
    layout->addLayout(buttons);

    m_pdf = new QPdfDocument(this);
    m_view = new QPdfView;
    m_view->setDocument(m_pdf);
    m_view->setPageMode(QPdfView::PageMode::MultiPage);
    // Whole pages, as they will print.
    m_view->setZoomMode(QPdfView::ZoomMode::FitInView);
    m_view->setPageSpacing(12);
    m_view->setAccessibleName(tr("Preview of the report's pages"));
    layout->addWidget(m_view, 1);

    // The shortcut works anywhere in the window, but only while this page is shown.
    m_exportAction = new QAction(tr("Export PDF…"), this);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAction->setShortcutContext(Qt::WindowShortcut);
    m_exportAction->setEnabled(false);
    addAction(m_exportAction);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);

    connect(m_debounce, &QTimer::timeout, this, &ReportPage::updatePreviewNow);
    connect(m_project, &QLineEdit::textChanged, this, [this](const QString &text) {
        QSettings().setValue(kProjectKey, text);
        schedulePreview();
    });
    connect(m_pageSize, &QComboBox::currentIndexChanged, this, [this] {
        QSettings().setValue(
            kPageSizeKey, report::pageSizeId(report::PageSize(m_pageSize->currentData().toInt())));
        schedulePreview();
    });
    connect(m_runs, &QComboBox::activated, this, &ReportPage::runChosen);
    connect(m_exportPdf, &QPushButton::clicked, this, &ReportPage::chooseAndExportPdf);
    connect(m_exportHtml, &QPushButton::clicked, this, &ReportPage::chooseAndExportHtml);
    connect(m_exportAction, &QAction::triggered, this, &ReportPage::chooseAndExportPdf);

    refreshRuns();
    if (m_runs->count() > 1)
        runChosen(1); // the newest run
    schedulePreview();
}

ReportPage::~ReportPage()
{
    // The document reads from the buffer: close it before the buffer goes.
    m_pdf->close();
}

void ReportPage::setRecommendation(const sa::advisor::Recommendation &recommendation)
{
    m_recommendation = recommendation;
    schedulePreview();
}

void ReportPage::setRun(const sa::bench::RunResult &run)
{
    m_run = sa::bench::RunAnalysis::analyse(run);
    if (run.id < 0)
        m_unsavedRun = run;
    refreshRuns();
    const int index = m_runs->findData(QVariant::fromValue(run.id < 0 ? kUnsavedRun : run.id));
    m_runs->setCurrentIndex(index >= 0 ? index : 0);
    schedulePreview();
}

void ReportPage::setProjectName(const QString &name)
{
    m_project->setText(name);
}

void ReportPage::setPageSize(report::PageSize size)
{
    m_pageSize->setCurrentIndex(size == report::PageSize::Letter ? 1 : 0);
}

void ReportPage::refreshRuns()
{
    const qint64 current = m_run ? (m_run->run().id < 0 ? kUnsavedRun : m_run->run().id) : kNoRun;
    m_runs->clear();
    m_runs->addItem(tr("No benchmark run"), QVariant::fromValue(kNoRun));
    if (m_unsavedRun)
        m_runs->addItem(tr("The last run (not saved)"), QVariant::fromValue(kUnsavedRun));
    if (m_store) {
        QString error;
        if (!m_store->isOpen())
            m_store->open(&error);
        if (m_store->isOpen()) {
            for (const sa::store::RunSummary &run : m_store->list()) {
                m_runs->addItem(tr("Run %1 · %2 · %3")
                                    .arg(run.id)
                                    .arg(run.startedAt.toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                                        run.targetIds.join(QLatin1String(", "))),
                    QVariant::fromValue(run.id));
            }
        }
    }
    const int index = m_runs->findData(QVariant::fromValue(current));
    m_runs->setCurrentIndex(index >= 0 ? index : 0);
}

void ReportPage::runChosen(int index)
{
    const qint64 id = m_runs->itemData(index).toLongLong();
    m_runs->setCurrentIndex(index);
    if (id == kNoRun) {
        m_run.reset();
    } else if (id == kUnsavedRun) {
        if (m_unsavedRun)
            m_run = sa::bench::RunAnalysis::analyse(*m_unsavedRun);
    } else if (m_store) {
        QString error;
        if (auto run = m_store->load(id, &error)) {
            m_run = sa::bench::RunAnalysis::analyse(*run);
        } else {
            setStatus(tr("Cannot open run %1: %2").arg(id).arg(error));
            return;
        }
    }
    schedulePreview();
}

report::ReportInputs ReportPage::inputs() const
{
    report::ReportInputs inputs;
    inputs.projectName = m_project->text();
    inputs.recommendation = m_recommendation;
    inputs.analysis = m_run;
    inputs.completeFromEnvironment();
    return inputs;
}

void ReportPage::schedulePreview()
{
    // Painting the whole document takes a few hundred milliseconds: only for a
    // page someone looks at; a hidden page catches up when it is shown.
    m_previewStale = true;
    if (isVisible())
        m_debounce->start();
}

void ReportPage::updatePreviewNow()
{
    m_debounce->stop();
    m_previewStale = false;
    report::ReportWriter writer(report::ReportDocument::build(inputs()));
    writer.setPageSize(report::PageSize(m_pageSize->currentData().toInt()));
    QByteArray bytes;
    QBuffer out(&bytes);
    out.open(QIODevice::WriteOnly);
    QString error;
    if (!writer.writePdf(&out, &error)) {
        setStatus(tr("The preview could not be made: %1").arg(error));
        return;
    }
    // QPdfDocument reads from the device while it is shown: swap in a new buffer
    // only after closing the document that used the old one.
    m_pdf->close();
    delete m_buffer;
    m_bytes = bytes;
    m_buffer = new QBuffer(&m_bytes, this);
    m_buffer->open(QIODevice::ReadOnly);
    m_pdf->load(m_buffer);
    QStringList missing;
    if (!m_recommendation)
        missing << tr("no questionnaire answers (Advisor area)");
    if (!m_run)
        missing << tr("no benchmark run (Benchmark area)");
    const QString pages = writer.pageCount() == 1 ? tr("1 page") : tr("%1 pages").arg(writer.pageCount());
    setStatus(missing.isEmpty() ? pages + QLatin1Char('.')
                                : tr("%1; the report has %2.").arg(pages, missing.join(tr(" and "))));
    Q_EMIT previewUpdated(writer.pageCount());
}

int ReportPage::previewPageCount() const
{
    return m_pdf->pageCount();
}

QString ReportPage::statusText() const
{
    return m_status->text();
}

void ReportPage::setStatus(const QString &text)
{
    m_status->setText(text);
}

bool ReportPage::exportPdf(const QString &path, QString *error)
{
    report::ReportWriter writer(report::ReportDocument::build(inputs()));
    writer.setPageSize(report::PageSize(m_pageSize->currentData().toInt()));
    if (!writer.writePdfFile(path, error))
        return false;
    setStatus(tr("Saved %1 (%2 pages).").arg(path).arg(writer.pageCount()));
    return true;
}

bool ReportPage::exportHtml(const QString &path, QString *error)
{
    report::ReportWriter writer(report::ReportDocument::build(inputs()));
    if (!writer.writeHtmlFile(path, error))
        return false;
    setStatus(tr("Saved %1.").arg(path));
    return true;
}

void ReportPage::chooseAndExportPdf()
{
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export PDF"), QStringLiteral("stack-advisor-report.pdf"), tr("PDF documents (*.pdf)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive))
        path += QLatin1String(".pdf");
    QString error;
    if (!exportPdf(path, &error))
        setStatus(tr("Not saved: %1").arg(error));
}

void ReportPage::chooseAndExportHtml()
{
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export HTML"), QStringLiteral("stack-advisor-report.html"), tr("HTML pages (*.html)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(QLatin1String(".html"), Qt::CaseInsensitive))
        path += QLatin1String(".html");
    QString error;
    if (!exportHtml(path, &error))
        setStatus(tr("Not saved: %1").arg(error));
}

void ReportPage::showEvent(QShowEvent *event)
{
    m_exportAction->setEnabled(true);
    if (m_previewStale)
        m_debounce->start();
    QWidget::showEvent(event);
}

void ReportPage::hideEvent(QHideEvent *event)
{
    m_exportAction->setEnabled(false);
    QWidget::hideEvent(event);
}

} // namespace sa::ui
