#pragma once

// What goes in the report, section by section, rendered from the advisor's
// Recommendation and a run's RunAnalysis (core's one reading of the run: its
// figures, warnings, claims). Plain data: the PDF painter (ReportWriter) and the
// HTML export read the same ReportDocument, so both say exactly the same thing.

#include "advisor/recommendation.h"
#include "bench/runanalysis.h"
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
    std::optional<bench::RunAnalysis> analysis; // the run, read once by core
    QString machineSummary; // this machine, used on the cover when there is no run
    QDateTime generatedAt; // default: now

    // Analyses the run with the standard claims (the article's and the user's).
    void setRun(const bench::RunResult &run);
    // Fills what can be found without asking: this machine's summary.
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
    enum class Kind {
        Bar,
        Timeline,
        Scores,
        Histogram,
        LatencyLoad, // a capacity run: p99 against offered load
        CpuPerRequest, // a capacity run: server CPU per request
    };
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
    bench::RunAnalysis analysis; // the run; the bar charts draw its comparable cells
    QList<advisor::Contribution> contributions; // the per-criterion scores

    // Cells with load intervals (a target that never started has none).
    QList<bench::TargetResult> timelineTargets() const;

    static ReportDocument build(const ReportInputs &inputs);

    // The document as plain text (every heading, paragraph and table cell):
    // what the tests and the HTML export read.
    QString plainText() const;
};

} // namespace sa::ui::report
