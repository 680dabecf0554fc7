#pragma once

#include "advisor/recommendation.h"
#include "bench/results.h"
#include "reportwriter.h"

#include <QByteArray>
#include <QWidget>

#include <optional>

class QAction;
class QBuffer;
class QComboBox;
class QLabel;
class QLineEdit;
class QPdfDocument;
class QPdfView;
class QPushButton;
class QTimer;

namespace sa::store {
class ResultStore;
}

namespace sa::ui {

// The Report area: what goes in the report (project name, which run, page size),
// a preview of the real PDF pages, and "Export PDF…" (Ctrl+E) / "Export HTML…".
// The recommendation comes from the Advisor page, the run from the Benchmark and
// History pages (or is picked here from the history).
class ReportPage final : public QWidget
{
    Q_OBJECT

public:
    // store may be null (no run list); it must outlive the page.
    explicit ReportPage(sa::store::ResultStore *store, QWidget *parent = nullptr);
    ~ReportPage() override;

    void setRecommendation(const sa::advisor::Recommendation &recommendation);
    // Shows this run (adds it to the run list when it is not saved there).
    void setRun(const sa::bench::RunResult &run);
    void setProjectName(const QString &name);
    void setPageSize(report::PageSize size);
    // Reads the history's run list again.
    void refreshRuns();

    // The report as it stands (also what the preview shows).
    report::ReportInputs inputs() const;
    // Writes the PDF or HTML now; false and *error on failure (nothing written).
    bool exportPdf(const QString &path, QString *error);
    bool exportHtml(const QString &path, QString *error);

    // For tests: the preview's page count once it is up to date, and its state.
    int previewPageCount() const;
    QPdfDocument *previewDocument() const { return m_pdf; }
    QString statusText() const;
    QAction *exportAction() const { return m_exportAction; }
    // Regenerates the preview now (normally done shortly after a change, while
    // the page is shown, or when it is shown again).
    void updatePreviewNow();

Q_SIGNALS:
    void previewUpdated(int pageCount);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void schedulePreview();
    void chooseAndExportPdf();
    void chooseAndExportHtml();
    void runChosen(int index);
    void setStatus(const QString &text);

    sa::store::ResultStore *m_store = nullptr;
    std::optional<sa::advisor::Recommendation> m_recommendation;
    std::optional<sa::bench::RunAnalysis> m_run; // the run the report shows, read once
    std::optional<sa::bench::RunResult> m_unsavedRun; // a run handed over before it was saved

    QLineEdit *m_project = nullptr;
    QComboBox *m_runs = nullptr;
    QComboBox *m_pageSize = nullptr;
    QPushButton *m_exportPdf = nullptr;
    QPushButton *m_exportHtml = nullptr;
    QAction *m_exportAction = nullptr;
    QLabel *m_status = nullptr;
    QPdfDocument *m_pdf = nullptr;
    QPdfView *m_view = nullptr;
    QBuffer *m_buffer = nullptr;
    QByteArray m_bytes;
    QTimer *m_debounce = nullptr;
    bool m_previewStale = true;
};

} // namespace sa::ui
