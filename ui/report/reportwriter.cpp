#include "reportwriter.h"

#include "charts/capacitycharts.h"
#include "charts/charts.h"
#include "platform/atomicfile.h"

#include <QAbstractAxis>
#include <QAbstractBarSeries>
#include <QBarSet>
#include <QBuffer>
#include <QChart>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFontMetricsF>
#include <QLegend>
#include <QLineSeries>
#include <QPageSize>
#include <QPainter>
#include <QPalette>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace sa::ui::report {

QString pageSizeId(PageSize size)
{
    return size == PageSize::Letter ? u"letter"_s : u"a4"_s;
}

std::optional<PageSize> pageSizeFromId(QStringView id)
{
    if (id.compare(u"a4", Qt::CaseInsensitive) == 0)
        return PageSize::A4;
    if (id.compare(u"letter", Qt::CaseInsensitive) == 0)
        return PageSize::Letter;
    return std::nullopt;
}

namespace {

// The report's palette: the app's target colours for data, one accent, greys for text.
namespace colour {
const QColor ink(0x1F, 0x29, 0x33);
const QColor muted(0x61, 0x6E, 0x7C);
const QColor rule(0xD9, 0xE2, 0xEC);
const QColor headerFill(0xF0, 0xF4, 0xF8);
const QColor zebra(0xF8, 0xFA, 0xFC);
const QColor accent(0x1C, 0x7E, 0xD6);
const QColor noteFill(0xEE, 0xF6, 0xFC);
const QColor warning(0xC9, 0x2A, 0x2A);
const QColor warningFill(0xFF, 0xF5, 0xF5);
const QColor coverBand(0x10, 0x2A, 0x43);
const QColor coverKicker(0x9F, 0xB3, 0xC8);
} // namespace colour

QColor verdictColour(const QString &verdict)
{
    return charts::languageColor(verdict);
}

// One chart of the document, built by the one chart-building function of its kind
// (the PDF painter and the HTML export both draw it from here).
QChart *buildChart(const ReportDocument &doc, const ReportChart &spec)
{
    switch (spec.kind) {
    case ReportChart::Kind::Bar:
        return charts::buildBarChart(spec.bar, doc.analysis);
    case ReportChart::Kind::Timeline:
        return charts::buildTimeline(spec.timeline, doc.timelineTargets());
    case ReportChart::Kind::Scores:
        return charts::buildCriterionScoreChart(doc.contributions);
    case ReportChart::Kind::Histogram:
        return charts::buildLatencyHistogram(doc.analysis);
    case ReportChart::Kind::LatencyLoad:
        return charts::buildLatencyLoadChart(doc.analysis);
    case ReportChart::Kind::CpuPerRequest:
        return charts::buildCpuPerRequestChart(doc.analysis);
    }
    return nullptr;
}

QString fontFamily()
{
    static const QString family = [] {
        for (const QString &candidate : { u"Noto Sans"_s, u"DejaVu Sans"_s }) {
            if (QFontDatabase::hasFamily(candidate))
                return candidate;
        }
        return QFontDatabase::systemFont(QFontDatabase::GeneralFont).family();
    }();
    return family;
}

QFont font(double points, bool bold = false, bool italic = false)
{
    QFont f(fontFamily());
    f.setPointSizeF(points);
    f.setBold(bold);
    f.setItalic(italic);
    // Unhinted: glyph advances as designed, so printed text is evenly spaced.
    f.setHintingPreference(QFont::PreferNoHinting);
    // No ligatures ("ﬁ"): a search for "figures" must find the word, in every
    // viewer and in pdftotext. (Qt 6.4 has no per-feature switch.)
    f.setStyleStrategy(QFont::PreferNoShaping);
    return f;
}

// Sizes in device units at kDpi; 96 dpi is what the charts lay themselves out for.
constexpr int kDpi = 96;
constexpr double kMarginX = 62;
constexpr double kMarginTop = 78;
constexpr double kMarginBottom = 72;
constexpr double kChartHeight = 250;
constexpr double kGap = 14;

// Lays out and paints the document page by page. Run twice: a dry run to count
// pages and find where each section starts (for "page N of M" and the contents
// on the cover), then the painting run. Both take the same decisions.
class Painter final
{
public:
    Painter(const ReportDocument &document, QPdfWriter *writer, QPainter *painter, int pageCount,
        const QList<int> &sectionPages)
        : m_doc(document)
        , m_writer(writer)
        , m_painter(painter)
        , m_pageCount(pageCount)
        , m_knownSectionPages(sectionPages)
    {
        m_width = writer->width();
        m_height = writer->height();
        m_contentWidth = m_width - 2 * kMarginX;
    }

    void run()
    {
        paintCover();
        for (const ReportSection &section : m_doc.sections) {
            newPage();
            m_sectionPages << m_page;
            paintSectionTitle(section.title);
            for (qsizetype i = 0; i < section.blocks.size(); ++i) {
                // A heading stays with what follows it: the next block, and the chart
                // or table after an introductory paragraph.
                if (section.blocks.at(i).kind == ReportBlock::Kind::Heading) {
                    double needed = 0;
                    for (qsizetype j = i + 1; j < section.blocks.size(); ++j) {
                        needed += minimumHeight(section.blocks.at(j));
                        if (section.blocks.at(j).kind != ReportBlock::Kind::Paragraph)
                            break;
                    }
                    paintHeading(section.blocks.at(i).title, needed);
                } else {
                    paintBlock(section.blocks.at(i));
                }
            }
        }
    }

    int pages() const { return m_page; }
    QList<int> sectionPages() const { return m_sectionPages; }

private:
    bool painting() const { return m_painter != nullptr; }
    double bottom() const { return m_height - kMarginBottom; }
    double remaining() const { return bottom() - m_y; }

    double textHeight(const QFont &f, double width, const QString &text) const
    {
        const QFontMetricsF metrics(f, m_writer);
        return metrics.boundingRect(QRectF(0, 0, width, 1e6), Qt::TextWordWrap, text).height();
    }

    void drawText(const QRectF &rect, const QFont &f, const QColor &c, const QString &text,
        int flags = Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap)
    {
        if (!painting())
            return;
        m_painter->setFont(f);
        m_painter->setPen(c);
        m_painter->drawText(rect, flags, text);
    }

    void fill(const QRectF &rect, const QColor &c)
    {
        if (painting())
            m_painter->fillRect(rect, c);
    }

    void hline(double y, const QColor &c, double width = 0.75, double x0 = kMarginX, double x1 = -1)
    {
        if (!painting())
            return;
        m_painter->setPen(QPen(c, width));
        m_painter->drawLine(QPointF(x0, y), QPointF(x1 < 0 ? m_width - kMarginX : x1, y));
    }

    void newPage()
    {
        if (m_page > 0 && painting())
            m_writer->newPage();
        ++m_page;
        m_y = kMarginTop;
        paintHeaderFooter();
    }

    void ensure(double height)
    {
        if (height > remaining())
            newPage();
    }

    void paintHeaderFooter()
    {
        const QFont small = font(7.5);
        const double headerY = 34;
        const double footerY = m_height - 44;
        if (m_page > 1) {
            QString left = m_doc.title;
            if (!m_doc.projectName.isEmpty())
                left += u"  ·  "_s + m_doc.projectName;
            drawText(QRectF(kMarginX, headerY, m_contentWidth, 14), small, colour::muted, left,
                Qt::AlignLeft | Qt::AlignVCenter);
            drawText(QRectF(kMarginX, headerY, m_contentWidth, 14), small, colour::muted, u"Stack Advisor"_s,
                Qt::AlignRight | Qt::AlignVCenter);
            hline(headerY + 18, colour::rule);
        }
        hline(footerY, colour::rule);
        drawText(QRectF(kMarginX, footerY + 6, m_contentWidth, 14), small, colour::muted,
            m_doc.generatedAt.toString(u"d MMMM yyyy, HH:mm"_s), Qt::AlignLeft | Qt::AlignVCenter);
        drawText(QRectF(kMarginX, footerY + 6, m_contentWidth, 14), small, colour::muted,
            u"Page %1 of %2"_s.arg(m_page).arg(m_pageCount > 0 ? m_pageCount : m_page),
            Qt::AlignRight | Qt::AlignVCenter);
    }

    void paintCover()
    {
        newPage();
        const double band = m_height * 0.36;
        fill(QRectF(0, 0, m_width, band), colour::coverBand);
        fill(QRectF(0, band, m_width, 5), colour::accent);
        double y = band * 0.34;
        drawText(QRectF(kMarginX, y, m_contentWidth, 20), font(10, true), colour::coverKicker,
            u"STACK ADVISOR REPORT"_s);
        y += 28;
        const QFont titleFont = font(28, true);
        const double titleHeight = textHeight(titleFont, m_contentWidth, m_doc.title);
        drawText(QRectF(kMarginX, y, m_contentWidth, titleHeight), titleFont, Qt::white, m_doc.title);
        y += titleHeight + 8;
        const QString subtitle
            = m_doc.projectName.isEmpty() ? u"Recommendation and measurements"_s : m_doc.projectName;
        drawText(QRectF(kMarginX, y, m_contentWidth, 24), font(14), colour::rule, subtitle);

        m_y = band + 40;
        const QFont verdictFont = font(16, true);
        const double verdictHeight = textHeight(verdictFont, m_contentWidth, m_doc.coverVerdict);
        drawText(QRectF(kMarginX, m_y, m_contentWidth, verdictHeight), verdictFont, colour::ink,
            m_doc.coverVerdict);
        m_y += verdictHeight + 14;

        const QFont label = font(8, true);
        const QFont value = font(10);
        QList<QPair<QString, QString>> facts { { u"Date"_s,
                                                   m_doc.generatedAt.toString(u"d MMMM yyyy, HH:mm"_s) },
            { u"Machine"_s, m_doc.machineSummary.isEmpty() ? u"—"_s : m_doc.machineSummary } };
        for (const QString &fact : m_doc.coverFacts) {
            const qsizetype colon = fact.indexOf(u": "_s);
            facts << qMakePair(fact.left(colon), fact.mid(colon + 2));
        }
        if (!m_doc.missing.isEmpty())
            facts << qMakePair(
                u"Missing"_s, m_doc.missing.join(u" and "_s) + u": see inside for how to add it"_s);
        for (const auto &[name, text] : std::as_const(facts)) {
            const double h = textHeight(value, m_contentWidth - 110, text);
            drawText(QRectF(kMarginX, m_y + 2, 100, 14), label, colour::muted, name.toUpper());
            drawText(QRectF(kMarginX + 110, m_y, m_contentWidth - 110, h), value,
                name == u"Missing"_s ? colour::warning : colour::ink, text);
            m_y += h + 8;
        }

        m_y += 22;
        drawText(QRectF(kMarginX, m_y, m_contentWidth, 16), font(8, true), colour::muted, u"CONTENTS"_s);
        m_y += 20;
        hline(m_y, colour::rule);
        m_y += 6;
        const QFont entry = font(10);
        for (qsizetype i = 0; i < m_doc.sections.size(); ++i) {
            const QString page
                = i < m_knownSectionPages.size() ? QString::number(m_knownSectionPages.at(i)) : QString();
            drawText(QRectF(kMarginX, m_y, m_contentWidth - 40, 16), entry, colour::ink,
                m_doc.sections.at(i).title);
            drawText(QRectF(kMarginX, m_y, m_contentWidth, 16), entry, colour::muted, page,
                Qt::AlignRight | Qt::AlignTop);
            m_y += 20;
        }
    }

    void paintSectionTitle(const QString &title)
    {
        const QFont f = font(18, true);
        const double h = textHeight(f, m_contentWidth, title);
        drawText(QRectF(kMarginX, m_y, m_contentWidth, h), f, colour::ink, title);
        m_y += h + 6;
        fill(QRectF(kMarginX, m_y, 48, 3), colour::accent);
        m_y += 18;
    }

    void paintBlock(const ReportBlock &block)
    {
        switch (block.kind) {
        case ReportBlock::Kind::Heading:
            paintHeading(block.title, 0);
            break;
        case ReportBlock::Kind::Paragraph:
            paintParagraph(block.text);
            break;
        case ReportBlock::Kind::Note:
            paintNote(block);
            break;
        case ReportBlock::Kind::Verdict:
            paintVerdict(block);
            break;
        case ReportBlock::Kind::KeyFigures:
            paintFigures(block.figures);
            break;
        case ReportBlock::Kind::Table:
            paintTable(block.table);
            break;
        case ReportBlock::Kind::Charts:
            paintCharts(block.charts);
            break;
        case ReportBlock::Kind::Bullets:
            paintBullets(block.items);
            break;
        }
    }

    // The least room a block needs on a page before it may start there.
    double minimumHeight(const ReportBlock &block) const
    {
        switch (block.kind) {
        case ReportBlock::Kind::Paragraph:
            return textHeight(font(9.5), m_contentWidth, block.text) + 10;
        case ReportBlock::Kind::Charts:
            return chartHeight(block.charts) + kGap;
        case ReportBlock::Kind::Bullets:
            return block.items.isEmpty()
                ? 0
                : textHeight(font(9.5), m_contentWidth - 16, block.items.constFirst()) + 6;
        case ReportBlock::Kind::Table:
            return 60; // header and a row or two
        default:
            return 80;
        }
    }

    // More targets than fit beside another chart: each chart gets the full width
    // (bars grow with the targets, time lines list them in a side legend).
    bool crowded() const { return m_doc.analysis.comparableCells().size() > 4; }

    double singleChartHeight(const ReportChart &spec) const
    {
        const double targets = double(m_doc.analysis.comparableCells().size());
        switch (spec.kind) {
        // Rows tall enough for each bar's figure (three for latency, two for scores)
        // to sit beside it without touching its neighbour's.
        case ReportChart::Kind::Scores:
            return std::max(kChartHeight, 90.0 + 46.0 * double(m_doc.contributions.size()));
        case ReportChart::Kind::Bar:
            return std::max(kChartHeight,
                90.0 + (spec.bar == charts::BarMetric::LatencyPercentiles ? 50.0 : 24.0) * targets);
        case ReportChart::Kind::Timeline:
        case ReportChart::Kind::Histogram:
            return crowded() ? std::max(kChartHeight, 80.0 + 20.0 * targets) : kChartHeight;
        case ReportChart::Kind::LatencyLoad:
            return 1.6 * kChartHeight; // a log-log curve needs the height to read
        case ReportChart::Kind::CpuPerRequest:
            return std::max(kChartHeight, 80.0 + 40.0 * double(sa::bench::sweptCells(m_doc.analysis).size()));
        }
        return kChartHeight;
    }

    // The height of a row of charts; a crowded row is painted one chart per row.
    double chartHeight(const QList<ReportChart> &specs) const
    {
        if (specs.isEmpty())
            return 0;
        if (crowded() && specs.size() > 1)
            return singleChartHeight(specs.constFirst());
        double tallest = 0;
        for (const ReportChart &spec : specs)
            tallest = std::max(tallest, singleChartHeight(spec));
        return tallest;
    }

    void paintHeading(const QString &title, double keepWithNext)
    {
        const QFont f = font(12, true);
        const double h = textHeight(f, m_contentWidth, title);
        ensure(h + 14 + std::max(keepWithNext, 40.0));
        m_y += 6;
        drawText(QRectF(kMarginX, m_y, m_contentWidth, h), f, colour::ink, title);
        m_y += h + 8;
    }

    void paintParagraph(const QString &text)
    {
        const QFont f = font(9.5);
        const double h = textHeight(f, m_contentWidth, text);
        ensure(h);
        drawText(QRectF(kMarginX, m_y, m_contentWidth, h), f, colour::ink, text);
        m_y += h + 10;
    }

    void paintBullets(const QStringList &items)
    {
        const QFont f = font(9.5);
        const double indent = 16;
        for (const QString &item : items) {
            const double h = textHeight(f, m_contentWidth - indent, item);
            ensure(h);
            drawText(QRectF(kMarginX + 3, m_y, indent, h), f, colour::accent, u"•"_s);
            drawText(QRectF(kMarginX + indent, m_y, m_contentWidth - indent, h), f, colour::ink, item);
            m_y += h + 6;
        }
        m_y += 6;
    }

    void paintNote(const ReportBlock &block)
    {
        const QFont titleFont = font(9.5, true);
        const QFont textFont = font(9.5);
        const double pad = 12;
        const double width = m_contentWidth - 2 * pad - 4;
        const double th = block.title.isEmpty() ? 0 : textHeight(titleFont, width, block.title) + 4;
        const double bh = textHeight(textFont, width, block.text);
        const double h = th + bh + 2 * pad;
        ensure(h);
        fill(
            QRectF(kMarginX, m_y, m_contentWidth, h), block.warning ? colour::warningFill : colour::noteFill);
        fill(QRectF(kMarginX, m_y, 4, h), block.warning ? colour::warning : colour::accent);
        const double x = kMarginX + 4 + pad;
        drawText(QRectF(x, m_y + pad, width, th), titleFont, block.warning ? colour::warning : colour::ink,
            block.title);
        drawText(QRectF(x, m_y + pad + th, width, bh), textFont, colour::ink, block.text);
        m_y += h + 14;
    }

    void paintVerdict(const ReportBlock &block)
    {
        const QFont label = font(8, true);
        const QFont headline = font(20, true);
        const QFont scores = font(10);
        const double pad = 16;
        const double width = m_contentWidth - 2 * pad;
        const double hh = textHeight(headline, width, block.title);
        const double h = pad + 14 + hh + 6 + 16 + pad;
        ensure(h);
        fill(QRectF(kMarginX, m_y, m_contentWidth, h), verdictColour(block.items.value(0)));
        drawText(
            QRectF(kMarginX + pad, m_y + pad, width, 14), label, QColor(255, 255, 255, 210), u"VERDICT"_s);
        drawText(QRectF(kMarginX + pad, m_y + pad + 14, width, hh), headline, Qt::white, block.title);
        drawText(QRectF(kMarginX + pad, m_y + pad + 14 + hh + 6, width, 16), scores, Qt::white, block.text);
        m_y += h + 14;
    }

    void paintFigures(const QList<QStringList> &figures)
    {
        const int columns = 3;
        const double gap = 10;
        const double w = (m_contentWidth - gap * (columns - 1)) / columns;
        const double pad = 10;
        const QFont label = font(7.5, true);
        const QFont value = font(15, true);
        const QFont detail = font(8);
        double detailHeight = 0;
        for (const QStringList &figure : figures)
            detailHeight = std::max(detailHeight, textHeight(detail, w - 2 * pad, figure.value(2)));
        const double h = pad + 14 + 24 + detailHeight + pad;
        ensure(h);
        for (qsizetype i = 0; i < figures.size() && i < columns; ++i) {
            const QStringList &figure = figures.at(i);
            const double x = kMarginX + double(i) * (w + gap);
            fill(QRectF(x, m_y, w, h), colour::headerFill);
            fill(QRectF(x, m_y, w, 3), colour::accent);
            drawText(
                QRectF(x + pad, m_y + pad, w - 2 * pad, 14), label, colour::muted, figure.value(0).toUpper());
            drawText(QRectF(x + pad, m_y + pad + 14, w - 2 * pad, 24), value, colour::ink, figure.value(1));
            drawText(QRectF(x + pad, m_y + pad + 38, w - 2 * pad, detailHeight), detail, colour::muted,
                figure.value(2));
        }
        m_y += h + 14;
    }

    void paintTable(const ReportTable &table)
    {
        const int columnCount = int(table.header.size());
        if (columnCount == 0)
            return;
        const QFont headerFont = font(8, true);
        const QFont cellFont = font(8.5);
        const double padX = 5, padY = 4;
        const double swatch = table.rowTargetIds.isEmpty() ? 0 : 10;
        double total = 0;
        for (int c = 0; c < columnCount; ++c)
            total += table.columnWidths.value(c, 1.0);
        QList<double> widths;
        for (int c = 0; c < columnCount; ++c)
            widths << m_contentWidth * table.columnWidths.value(c, 1.0) / total;

        const auto cellWidth = [&](int c) { return widths[c] - 2 * padX - (c == 0 ? swatch : 0); };
        const auto rowHeight = [&](const QStringList &cells, const QFont &f) {
            double h = 0;
            for (int c = 0; c < columnCount; ++c)
                h = std::max(h, textHeight(f, cellWidth(c), cells.value(c)));
            return h + 2 * padY;
        };
        const auto paintRow = [&](const QStringList &cells, const QFont &f, const QColor &ink, double h,
                                  const QString &targetId) {
            double x = kMarginX;
            for (int c = 0; c < columnCount; ++c) {
                double textX = x + padX;
                if (c == 0 && swatch > 0) {
                    if (!targetId.isEmpty())
                        fill(QRectF(textX, m_y + padY + 2.5, 7, 7), charts::targetColor(targetId));
                    textX += swatch;
                }
                const int align = table.numericColumns.contains(c) ? Qt::AlignRight : Qt::AlignLeft;
                drawText(QRectF(textX, m_y + padY, cellWidth(c), h - 2 * padY), f, ink, cells.value(c),
                    align | Qt::AlignTop | Qt::TextWordWrap);
                x += widths[c];
            }
        };
        const double headerHeight = rowHeight(table.header, headerFont);
        const auto paintHeader = [&] {
            fill(QRectF(kMarginX, m_y, m_contentWidth, headerHeight), colour::headerFill);
            paintRow(table.header, headerFont, colour::muted, headerHeight, QString());
            m_y += headerHeight;
            hline(m_y, colour::rule);
        };
        // The header never ends a page alone: it comes with the first row.
        ensure(headerHeight + (table.rows.isEmpty() ? 0 : rowHeight(table.rows.constFirst(), cellFont)));
        paintHeader();
        for (qsizetype r = 0; r < table.rows.size(); ++r) {
            const QStringList &cells = table.rows.at(r);
            const double h = rowHeight(cells, cellFont);
            if (h > remaining()) {
                newPage();
                paintHeader();
            }
            if (r % 2 == 1)
                fill(QRectF(kMarginX, m_y, m_contentWidth, h), colour::zebra);
            const bool warn = table.warningRows.contains(int(r));
            paintRow(cells, cellFont, warn ? colour::warning : colour::ink, h, table.rowTargetIds.value(r));
            m_y += h;
            hline(m_y, colour::rule, 0.5);
        }
        m_y += 16;
    }

    QChart *buildChart(const ReportChart &spec) const { return report::buildChart(m_doc, spec); }

    // The report's typography on a chart made by ui/charts; colours stay the app's.
    static void styleForPrint(QChart *chart)
    {
        QPalette light;
        light.setColor(QPalette::Window, Qt::white);
        light.setColor(QPalette::Base, Qt::white);
        light.setColor(QPalette::WindowText, colour::ink);
        light.setColor(QPalette::Text, colour::ink);
        charts::applyPalette(chart, light);
        chart->setBackgroundVisible(false);
        chart->setDropShadowEnabled(false);
        chart->setTitleFont(font(9.5, true));
        chart->setTitleBrush(colour::ink);
        chart->legend()->setFont(font(7.5));
        for (QAbstractAxis *axis : chart->axes()) {
            axis->setLabelsFont(font(7));
            axis->setTitleFont(font(7.5));
        }
        for (QAbstractSeries *series : chart->series()) {
            if (auto *bars = qobject_cast<QAbstractBarSeries *>(series)) {
                const QList<QBarSet *> sets = bars->barSets();
                for (QBarSet *set : sets)
                    set->setLabelFont(font(7));
            }
        }
        // On paper a short run's few intervals must still show: mark every point.
        for (QAbstractSeries *series : chart->series()) {
            auto *line = qobject_cast<QLineSeries *>(series);
            if (line && !line->property(charts::kOwnColoursProperty).toBool()) {
                line->setPointsVisible(true);
                line->setMarkerSize(5);
            }
        }
    }

    void paintCharts(const QList<ReportChart> &specs)
    {
        if (specs.isEmpty())
            return;
        if (crowded() && specs.size() > 1) {
            for (const ReportChart &spec : specs)
                paintCharts({ spec });
            return;
        }
        const double tall = chartHeight(specs);
        ensure(tall);
        const double w = (m_contentWidth - kGap * double(specs.size() - 1)) / double(specs.size());
        for (qsizetype i = 0; i < specs.size(); ++i) {
            if (!painting())
                continue;
            std::unique_ptr<QChart> chart(buildChart(specs.at(i)));
            if (!chart)
                continue;
            styleForPrint(chart.get());
            // A legend below a chart shares one row: with many series (one line
            // per capacity target, plus the target and the knee) its names are
            // cut to "…". On the right each name has a row of its own.
            if (specs.at(i).kind == ReportChart::Kind::LatencyLoad
                || (crowded()
                    && (specs.at(i).kind == ReportChart::Kind::Timeline
                        || specs.at(i).kind == ReportChart::Kind::Histogram)))
                chart->legend()->setAlignment(Qt::AlignRight);
            charts::renderChart(
                chart.get(), m_painter, QRectF(kMarginX + double(i) * (w + kGap), m_y, w, tall));
        }
        m_y += tall + kGap;
    }

    const ReportDocument &m_doc;
    QPdfWriter *m_writer;
    QPainter *m_painter; // null in the dry run
    int m_pageCount;
    QList<int> m_knownSectionPages;
    QList<int> m_sectionPages;
    int m_page = 0;
    double m_y = 0;
    double m_width = 0, m_height = 0, m_contentWidth = 0;
};

void setUpWriter(QPdfWriter &writer, const ReportDocument &doc, PageSize size)
{
    writer.setResolution(kDpi);
    writer.setPageSize(QPageSize(size == PageSize::Letter ? QPageSize::Letter : QPageSize::A4));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    writer.setTitle(doc.projectName.isEmpty() ? doc.title : doc.title + u" · "_s + doc.projectName);
    writer.setCreator(u"Stack Advisor"_s);
}

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

QString chartSvg(QChart *chart, const QSizeF &size)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(size.toSize());
    svg.setViewBox(QRectF(QPointF(0, 0), size));
    QPainter painter(&svg);
    charts::renderChart(chart, &painter, QRectF(QPointF(0, 0), size));
    painter.end();
    QString text = QString::fromUtf8(bytes);
    // Inline in HTML: the XML prolog is not allowed there.
    const qsizetype start = text.indexOf(u"<svg"_s);
    return start >= 0 ? text.mid(start) : text;
}

} // namespace

ReportWriter::ReportWriter(ReportDocument document) : m_document(std::move(document)) { }

bool ReportWriter::writePdf(QIODevice *device, QString *error) const
{
    // Dry run on a throw-away writer: the same page geometry, nothing painted.
    QBuffer scratch;
    scratch.open(QIODevice::WriteOnly);
    QPdfWriter measuring(&scratch);
    setUpWriter(measuring, m_document, m_pageSize);
    Painter dry(m_document, &measuring, nullptr, 0, {});
    dry.run();

    QPdfWriter writer(device);
    setUpWriter(writer, m_document, m_pageSize);
    QPainter painter;
    if (!painter.begin(&writer)) {
        *error = u"cannot start the PDF: %1"_s.arg(device->errorString());
        return false;
    }
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    Painter real(m_document, &writer, &painter, dry.pages(), dry.sectionPages());
    real.run();
    if (!painter.end()) {
        *error = u"cannot finish the PDF: %1"_s.arg(device->errorString());
        return false;
    }
    m_pageCount = real.pages();
    return true;
}

bool ReportWriter::writePdfFile(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = u"cannot write the report to %1: %2. Choose a folder you can write to."_s.arg(
            path, file.errorString());
        return false;
    }
    if (!writePdf(&file, error)) {
        file.cancelWriting();
        return false;
    }
    if (!file.commit()) {
        *error = u"cannot write the report to %1: %2 (is the disk full?). Nothing was written."_s.arg(
            path, file.errorString());
        return false;
    }
    return true;
}

namespace {

// The HTML's style sheet, in the colours the PDF is painted with.
QString htmlStyle()
{
    const auto c = [](const QColor &colour) { return colour.name(); };
    return u"body{font-family:'Noto Sans','DejaVu Sans',sans-serif;color:%1;max-width:60em;margin:2em auto;"
           "padding:0 1em;font-size:15px;line-height:1.45}\n"
           "header.cover{background:%2;color:#fff;padding:2em;border-bottom:5px solid %3}\n"
           "header.cover .kicker{color:%4;font-weight:bold;font-size:.8em;letter-spacing:.08em}\n"
           "h1{margin:.2em 0}h2{border-bottom:3px solid %3;padding-bottom:.2em;margin-top:2em}\n"
           "table{border-collapse:collapse;width:100%;margin:.8em 0;font-size:.9em}\n"
           "th{background:%5;color:%6;text-align:left}th,td{padding:.3em .5em;border-bottom:1px solid %7;"
           "vertical-align:top}\n"
           "td.num,th.num{text-align:right}tr.warn td{color:%8}tr:nth-child(even) td{background:%9}\n"
           ".swatch{display:inline-block;width:.7em;height:.7em;margin-right:.4em}\n"
           ".note{background:%10;border-left:4px solid %3;padding:.6em 1em;margin:1em 0}\n"
           ".note.warn{background:%11;border-color:%8}.note.warn strong{color:%8}\n"
           ".verdict{color:#fff;padding:1em;margin:1em 0}.verdict .label{font-size:.75em;font-weight:bold;"
           "opacity:.85}\n"
           ".verdict .headline{font-size:1.6em;font-weight:bold}\n"
           ".figures{display:flex;gap:.7em}.figure{flex:1;background:%5;border-top:3px solid "
           "%3;padding:.6em}\n"
           ".figure .label{font-size:.75em;color:%6;font-weight:bold;text-transform:uppercase}"
           ".figure .value{font-size:1.4em;font-weight:bold}.figure .detail{font-size:.8em;color:%6}\n"
           ".charts{display:flex;gap:1em}.charts svg{flex:1;max-width:100%;height:auto}\n"
           "footer p{color:%6;font-size:.8em}\n"_s.arg(c(colour::ink), c(colour::coverBand),
               c(colour::accent), c(colour::coverKicker), c(colour::headerFill), c(colour::muted),
               c(colour::rule), c(colour::warning), c(colour::zebra), c(colour::noteFill),
               c(colour::warningFill));
}

QString htmlTable(const ReportTable &t)
{
    QString out = u"<table><thead><tr>"_s;
    for (qsizetype c = 0; c < t.header.size(); ++c) {
        out += (t.numericColumns.contains(int(c)) ? u"<th class=\"num\">"_s : u"<th>"_s)
            + escaped(t.header.at(c)) + u"</th>"_s;
    }
    out += u"</tr></thead><tbody>\n"_s;
    for (qsizetype r = 0; r < t.rows.size(); ++r) {
        out += t.warningRows.contains(int(r)) ? u"<tr class=\"warn\">"_s : u"<tr>"_s;
        for (qsizetype c = 0; c < t.header.size(); ++c) {
            out += t.numericColumns.contains(int(c)) ? u"<td class=\"num\">"_s : u"<td>"_s;
            const QString targetId = t.rowTargetIds.value(r);
            if (c == 0 && !targetId.isEmpty()) {
                out += u"<span class=\"swatch\" style=\"background:"_s + charts::targetColor(targetId).name()
                    + u"\"></span>"_s;
            }
            out += escaped(t.rows.at(r).value(c)) + u"</td>"_s;
        }
        out += u"</tr>\n"_s;
    }
    return out + u"</tbody></table>\n"_s;
}

QString htmlBlock(const ReportDocument &doc, const ReportBlock &block)
{
    switch (block.kind) {
    case ReportBlock::Kind::Heading:
        return u"<h3>"_s + escaped(block.title) + u"</h3>\n"_s;
    case ReportBlock::Kind::Paragraph:
        return u"<p>"_s + escaped(block.text) + u"</p>\n"_s;
    case ReportBlock::Kind::Note:
        return u"<div class=\"note"_s + (block.warning ? u" warn"_s : QString()) + u"\"><strong>"_s
            + escaped(block.title) + u"</strong><br>"_s + escaped(block.text) + u"</div>\n"_s;
    case ReportBlock::Kind::Verdict:
        return u"<div class=\"verdict\" style=\"background:"_s + verdictColour(block.items.value(0)).name()
            + u"\"><div class=\"label\">VERDICT</div><div class=\"headline\">"_s + escaped(block.title)
            + u"</div><div>"_s + escaped(block.text) + u"</div></div>\n"_s;
    case ReportBlock::Kind::KeyFigures: {
        QString out = u"<div class=\"figures\">"_s;
        for (const QStringList &f : block.figures) {
            out += u"<div class=\"figure\"><div class=\"label\">"_s + escaped(f.value(0))
                + u"</div><div class=\"value\">"_s + escaped(f.value(1)) + u"</div><div class=\"detail\">"_s
                + escaped(f.value(2)) + u"</div></div>"_s;
        }
        return out + u"</div>\n"_s;
    }
    case ReportBlock::Kind::Bullets: {
        QString out = u"<ul>\n"_s;
        for (const QString &item : block.items)
            out += u"<li>"_s + escaped(item) + u"</li>\n"_s;
        return out + u"</ul>\n"_s;
    }
    case ReportBlock::Kind::Table:
        return htmlTable(block.table);
    case ReportBlock::Kind::Charts: {
        QString out = u"<div class=\"charts\">"_s;
        for (const ReportChart &spec : block.charts) {
            const std::unique_ptr<QChart> chart(buildChart(doc, spec));
            if (chart)
                out += chartSvg(chart.get(), QSizeF(block.charts.size() == 1 ? 760 : 440, 300));
        }
        return out + u"</div>\n"_s;
    }
    }
    return {};
}

} // namespace

QString ReportWriter::html() const
{
    const ReportDocument &doc = m_document;
    QString out = u"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>"_s
        + escaped(doc.title) + u"</title>\n<style>\n"_s + htmlStyle() + u"</style></head><body>\n"_s;
    out += u"<header class=\"cover\"><div class=\"kicker\">STACK ADVISOR REPORT</div><h1>"_s
        + escaped(doc.title) + u"</h1><div>"_s
        + escaped(doc.projectName.isEmpty() ? u"Recommendation and measurements"_s : doc.projectName)
        + u"</div></header>\n"_s;
    out += u"<p><strong>"_s + escaped(doc.coverVerdict) + u"</strong></p>\n<ul>\n"_s;
    out += u"<li>Date: "_s + escaped(doc.generatedAt.toString(u"d MMMM yyyy, HH:mm"_s)) + u"</li>\n"_s;
    out += u"<li>Machine: "_s + escaped(doc.machineSummary) + u"</li>\n"_s;
    for (const QString &fact : doc.coverFacts)
        out += u"<li>"_s + escaped(fact) + u"</li>\n"_s;
    if (!doc.missing.isEmpty())
        out += u"<li>Missing: "_s + escaped(doc.missing.join(u" and "_s)) + u"</li>\n"_s;
    out += u"</ul>\n"_s;
    for (const ReportSection &section : doc.sections) {
        out += u"<section id=\""_s + section.id + u"\"><h2>"_s + escaped(section.title) + u"</h2>\n"_s;
        for (const ReportBlock &block : section.blocks)
            out += htmlBlock(doc, block);
        out += u"</section>\n"_s;
    }
    out += u"<footer><p>Generated by Stack Advisor on "_s + escaped(doc.generatedAt.toString(Qt::ISODate))
        + u".</p></footer>\n</body></html>\n"_s;
    return out;
}

bool ReportWriter::writeHtmlFile(const QString &path, QString *error) const
{
    // "cannot write <path>: <why> while <step>; the file was not changed"
    return sa::platform::writeFileAtomically(path, html().toUtf8(), error);
}

} // namespace sa::ui::report
