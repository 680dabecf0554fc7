#pragma once

// The one reading of a run. A RunResult is what was measured; a RunAnalysis is
// what it means: which cells have figures, which can be compared, what doubts
// apply to each (one threshold policy), the article's claims checked against it,
// and the columns every table of a run is made of. The CLI, the GUI models and
// the PDF render a RunAnalysis; none of them decides any of this on its own.

#include "capacityanalysis.h"
#include "claimcheck.h"
#include "databasegap.h"
#include "results.h"
#include "rounds.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <functional>
#include <optional>

namespace sa::bench {

// The thresholds behind every trust decision of the app.
struct TrustPolicy
{
    // Above this share of failed requests (any kind), a cell's latency and
    // throughput describe its failures as much as its service: not comparable.
    static constexpr double kMaxErrorShare = 0.01;
    // Above this share of error statuses the runner records the cell as failed:
    // its figures are those of its error path.
    static constexpr double kMaxStatusErrorShare = 0.01;
    // Above this share of transport errors (refused, reset, timed out, malformed)
    // the server was effectively not serving: failed.
    static constexpr double kMaxTransportErrorShare = 0.5;
    // Rounds whose req/s disagree by more than this coefficient of variation
    // (sample standard deviation over the mean, FigureSpread::cv) measured the
    // machine's mood as much as the server: the median is not comparable. At 10 %
    // three rounds already span about ±20 % of their median, close to the factor
    // of 1.25 within which a claim is said to hold.
    static constexpr double kMaxSpreadCv = 0.10;
    // A change between two runs within this share is run-to-run noise on a shared
    // machine, not better or worse (the History page's comparison).
    static constexpr double kNoiseChange = 0.05;
};

enum class CellFlag {
    Failed, // the cell failed (its reason says why)
    Cancelled, // stopped before its window ended: partial figures
    Errors, // more than TrustPolicy::kMaxErrorShare of requests failed
    GeneratorSaturated, // the load generator may have been the limit
    SharedCpu, // the server and the load generator shared a CPU
    WideSpread, // the rounds' req/s disagree by more than TrustPolicy::kMaxSpreadCv
    FewerRounds, // fewer rounds ran than the plan asked (a cancel)
    Server, // about the server, not its figures (listened on every interface, left processes behind)
};
// "failed", "cancelled", "errors", "generator-saturated", "shared-cpu", "wide-spread", "fewer-rounds",
// "server"
QString cellFlagId(CellFlag flag);

// Something the user can change for a cell that timed out, with the value to try.
struct Remedy
{
    enum class Kind { FewerConnections, MoreWorkers, LongerTimeout };
    Kind kind = Kind::FewerConnections;
    double value = 0; // connections, workers, or seconds
    QString text; // "fewer connections (500)"
    QString option; // the CLI's: "--connections 500"
};

// One doubt about one cell's figures, for a person.
struct CellWarning
{
    CellFlag flag = CellFlag::Failed;
    // Whether the figures can still be compared with other cells' (a saturated
    // generator makes the figure a lower bound; errors above the threshold do not).
    bool comparable = false;
    QString text; // a whole sentence, without the cell's name
    QString brief; // a few words for grouped lists: "load generator saturated"
};

// One cell (target × scenario × connections) as every view shows it.
struct CellAnalysis
{
    int index = -1; // in RunResult::targets
    QString name; // display name; with scenario and connections when the run has several
    // The cell has figures to show: the load ran and requests completed. Its
    // status and warnings say how far to trust them.
    bool hasFigures = false;
    // It has figures, it completed, and no warning makes them incomparable: the
    // charts, the claims and the capacity figures use only these cells.
    bool comparable = false;
    QList<CellWarning> warnings;
    // When the cell timed out: what would help, most likely first.
    QList<Remedy> remedies;
    int plannedRounds = 1;
    // The figures over the cell's counted rounds (countedRounds()), by RoundFigure.
    QList<FigureSpread> spreads;

    QStringList warningTexts() const; // "<text>" each
    // The few words of each warning, "; "-joined: what a figure built on this cell
    // carries beside it ("" when nothing qualifies it).
    QString caveat() const;
    bool hasFlag(CellFlag flag) const;
    const FigureSpread &spread(RoundFigure figure) const;
    int rounds() const { return spread(RoundFigure::RequestsPerSecond).rounds; }
};

// Where a table of a run is shown; a column says in which.
enum class ResultView { Cli = 0x1, Gui = 0x2, Pdf = 0x4, Csv = 0x8 };

class RunAnalysis;

// One column of the results table: its header, unit and how a cell's value is
// read (raw, for sorting and the CSV) and written (for people). Every table of a
// run - `bench` text, the GUI model, the PDF and the CSV - is made of these.
struct ResultColumn
{
    QString key; // CSV header and stable id: "requests_per_sec"
    QString title; // "Req/s"
    QString unit; // "req/s", "ms", "MiB", "%", or ""
    QString toolTip; // what the figure is, for a person
    bool numeric = false; // right-aligned
    int views = 0; // ResultView flags
    // Shown in a run's table only when one of its cells has the figure (the
    // database columns: a run without database scenarios has none).
    bool whenPresent = false;
    // Invalid QVariant when the cell has no such figure.
    std::function<QVariant(const RunAnalysis &, const CellAnalysis &)> raw;
    // fmt::none() when the cell has no such figure.
    std::function<QString(const RunAnalysis &, const CellAnalysis &)> text;

    bool shownIn(ResultView view) const { return (views & int(view)) != 0; }
};

// Every column, in display order.
const QList<ResultColumn> &resultColumns();
// Rows of cells as aligned plain text: the first row is the header; text left,
// figures (numeric[i]) right; two spaces between columns.
QString alignedText(const QList<QStringList> &rows, const QList<bool> &numeric);
// A CSV field (RFC 4180 quoting) and a column's raw value as one.
QString csvField(const QString &text);
QString csvValue(const QVariant &value);
// The columns of one view, in display order.
QList<ResultColumn> resultColumns(ResultView view);
// The columns of one view for one run: without the whenPresent columns that no
// cell of it has (the CLI table and the PDF; the GUI model and the CSV keep them all).
QList<ResultColumn> resultColumns(ResultView view, const RunAnalysis &analysis);

class RunAnalysis
{
public:
    RunAnalysis() = default;
    // Reads the run once. `claims` null: the claims are not checked and
    // claimsError() says why (claimsError is what ClaimCheck::standard() said).
    // What an imported run's engine measures differently (a run warning).
    static QString engineCaveat(const LoadEngine &engine);
    static RunAnalysis analyse(
        const RunResult &run, const ClaimCheck *claims, const QString &claimsError = {});
    // With the standard claims (the article's, plus the user's claims file).
    static RunAnalysis analyse(const RunResult &run);

    const RunResult &run() const { return m_run; }
    const QList<CellAnalysis> &cells() const { return m_cells; }
    const TargetResult &result(const CellAnalysis &cell) const { return m_run.targets.at(cell.index); }
    bool isEmpty() const { return m_cells.isEmpty(); }

    // Whether the run has more than one scenario or connection level (names then
    // say which).
    bool hasManyCellsPerTarget() const { return m_manyCells; }
    bool anyFigures() const;
    bool anyComparable() const;
    QList<const CellAnalysis *> comparableCells() const;
    QList<const CellAnalysis *> cellsWithFigures() const;

    // Doubts about the whole run (cancelled, shared CPUs), for a person.
    const QStringList &runWarnings() const { return m_runWarnings; }
    // Every doubt: the run's, then "<cell>: <warning>" per cell.
    QStringList allWarnings() const;
    // "What would help: fewer connections (500), more workers (4) or a longer
    // timeout (10 s)." for a cell with remedies, else "".
    static QString remedyText(const CellAnalysis &cell);

    // The article's claims on this run; empty with claimsError() set when the
    // claims could not be read.
    const QList<ClaimRow> &claims() const { return m_claims; }
    const QString &claimsError() const { return m_claimsError; }
    bool claimsChecked() const { return m_claimsChecked; }
    // The Go-vs-Python ratio claim (the article's "8–10×"), or null.
    const ClaimRow *goVsPython() const;
    double ratioTolerance() const { return m_ratioTolerance; }
    // What every claim row of a kind shares, to say once (ClaimCheck::generalNotes()).
    const QStringList &claimNotes() const { return m_claimNotes; }

    // Go vs Python with the database in the loop beside the in-process JSON API
    // (each target's JSON req/s beside its database ones; the ratios per
    // scenario). Empty when the run has no comparable database cell.
    const DatabaseGap &databaseGap() const { return m_databaseGap; }

    // The fastest comparable cell of each language, highest req/s first, among
    // the cells comparable with each other (the run's first scenario and
    // connection level that has comparable cells).
    QList<const CellAnalysis *> fastestPerLanguage() const;

    // A capacity run's reading: each cell's sweep, and the run's figures (empty
    // for a run without capacity steps: capacitySummary().isCapacityRun is false).
    const CellCapacity &capacity(const CellAnalysis &cell) const { return m_cellCapacity.at(cell.index); }
    const CapacitySummary &capacitySummary() const { return m_capacity; }

    // The table of a view as aligned plain text (the CLI's `bench` table).
    QString tableText(ResultView view = ResultView::Cli) const;
    // One row per cell after a header row; RFC 4180 quoting, CRLF line ends.
    QString toCsv() const;

private:
    RunResult m_run;
    QList<CellAnalysis> m_cells;
    QStringList m_runWarnings;
    QList<ClaimRow> m_claims;
    DatabaseGap m_databaseGap;
    QStringList m_claimNotes;
    QString m_claimsError;
    bool m_claimsChecked = false;
    bool m_manyCells = false;
    double m_ratioTolerance = 0;
    QList<CellCapacity> m_cellCapacity; // per cell
    CapacitySummary m_capacity;
};

} // namespace sa::bench
