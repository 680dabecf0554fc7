#pragma once

// What goes in the report, section by section, decided from the advisor's
// Recommendation, a benchmark RunResult, the claim check and the capacity
// estimate. Plain data: the PDF painter (ReportWriter) and the HTML export read
// the same ReportDocument, so both say exactly the same thing.

#include "advisor/recommendation.h"
#include "bench/claimcheck.h"
#include "bench/results.h"
#include "charts/charts.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace sa::ui::report {

// Everything a report can be made from. Either input may be missing: the report
// then says what is missing and how to add it.
struct ReportInputs
{
    QString projectName; // optional, shown on the cover and in the header
    std::optional<advisor::Recommendation> recommendation;
    QString answersSource; // where the answers came from (file name), for the record
    std::optional<bench::RunResult> run;
    std::optional<QList<bench::ClaimRow>> claims; // nullopt: the claim check could not be loaded
    QString claimsError; // why, when claims is nullopt
    QString machineSummary; // this machine, used on the cover when there is no run
    QDateTime generatedAt; // default: now

    // Fills what can be found without asking: the article's claim check for the
    // run (or why it is unavailable) and this machine's summary.
    void completeFromEnvironment();
};

// A table: text cells, figures right-aligned, optional target colour swatch.
struct ReportTable
{
    QStringList header;
    QList<QStringList> rows;
    QList<double> columnWidths; // relative widths, one per column
    QList<int> numericColumns; // right-aligned
    QStringList rowTargetIds; // per row: a target id whose colour marks the first cell ("" = none)
    QList<int> warningRows; // rows drawn in the warning colour (failed targets, claims that do not hold)
};

// One chart, built at paint time by the one chart-building function of its kind
// in ui/charts (the screen uses the same functions).
struct ReportChart
{
    enum class Kind { Bar, Timeline, Scores };
    Kind kind = Kind::Bar;
    charts::BarMetric bar = charts::BarMetric::RequestsPerSecond;
    charts::TimelineMetric timeline = charts::TimelineMetric::RequestsPerSecond;
};

struct ReportBlock
{
    enum class Kind {
        Heading, // a subsection title
        Paragraph, // running text
        Note, // a boxed remark: what is missing, a warning, an assumption
        Verdict, // the verdict banner: title = headline, text = scores line
        KeyFigures, // label/value pairs in boxes: figures[i] = {label, value, detail}
        Table,
        Charts, // one or two charts side by side
        Bullets, // items
    };
    Kind kind = Kind::Paragraph;
    QString title;
    QString text;
    QStringList items;
    QList<QStringList> figures;
    ReportTable table;
    QList<ReportChart> charts;
    bool warning = false; // Note: warning rather than information
};

struct ReportSection
{
    QString id; // "summary", "answers", "scores", "results", "claims", "capacity", "methodology", "appendix"
    QString title; // "2. Executive summary"
    QList<ReportBlock> blocks;
};

struct ReportDocument
{
    QString title; // "Go or Python: recommendation and measurements"
    QString projectName;
    QDateTime generatedAt;
    QString machineSummary;
    QString coverVerdict; // "Verdict: Go" or what is missing
    QStringList coverFacts; // short lines under the title: answers source, run id…
    QStringList missing; // what this report lacks, in words (empty: nothing)
    QList<ReportSection> sections;

    // The data the charts are built from.
    QList<bench::TargetResult> targets; // every cell of the run, failures included
    QList<advisor::Contribution> contributions; // the per-criterion scores

    // Completed cells only: the bar charts draw measured figures.
    QList<bench::TargetResult> completedTargets() const;
    // Cells with load intervals (a target that never started has none).
    QList<bench::TargetResult> timelineTargets() const;

    static ReportDocument build(const ReportInputs &inputs);

    // The document as plain text (every heading, paragraph and table cell):
    // what the tests and the HTML export read.
    QString plainText() const;
};

// Number formats shared by the tables of the report.
QString formatGrouped(double value, int decimals = 0); // "41,230"
QString formatMilliseconds(double microseconds); // "12.34"
QString formatMegabytes(qint64 bytes); // "25.1"; "—" for 0

} // namespace sa::ui::report
