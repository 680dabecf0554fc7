#pragma once

// Paints a ReportDocument: as a PDF (QPdfWriter — vector charts, selectable text,
// header and footer with "page N of M") or as one self-contained HTML file
// (charts inline as SVG). Both come from the same document and the same chart
// functions as the screen (ui/charts).

#include "reportdocument.h"

#include <QByteArray>
#include <QString>

#include <optional>

QT_BEGIN_NAMESPACE
class QIODevice;
QT_END_NAMESPACE

namespace sa::ui::report {

enum class PageSize { A4, Letter };
QString pageSizeId(PageSize size); // "a4", "letter"
std::optional<PageSize> pageSizeFromId(QStringView id); // case-insensitive

class ReportWriter final
{
public:
    explicit ReportWriter(ReportDocument document);

    void setPageSize(PageSize size) { m_pageSize = size; }
    PageSize pageSize() const { return m_pageSize; }
    const ReportDocument &document() const { return m_document; }

    // The PDF into any device (a buffer for the preview). Needs a QGuiApplication
    // (fonts) — a QApplication when it has charts (they are graphics widgets).
    bool writePdf(QIODevice *device, QString *error) const;
    // The PDF into a file, whole or not at all (QSaveFile): an unwritable folder or
    // a full disk leaves no partial file, and *error says what to do.
    bool writePdfFile(const QString &path, QString *error) const;
    // Pages of the last PDF written.
    int pageCount() const { return m_pageCount; }

    QString html() const;
    bool writeHtmlFile(const QString &path, QString *error) const;

private:
    ReportDocument m_document;
    PageSize m_pageSize = PageSize::A4;
    mutable int m_pageCount = 0;
};

} // namespace sa::ui::report
