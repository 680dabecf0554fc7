#pragma once

// The article's benchmark figures against what this machine measured.
//
// Two kinds of rows:
//  - Absolute: one framework's figure (req/s, average latency, memory) from the
//    article's table beside the measured one. These depend on the hardware, so
//    their verdict only says whether this machine reaches the figure.
//  - Ratio: a relation that should survive a change of machine. Every ratio is a
//    claim of kind "ratio" in the claims file: two sides, each a server id or a
//    language, and the claimed value either given (the article's "8–10×") or
//    implied by the article's table ("claimedFrom": "table"). No server is known
//    here: the data names them.
//
// Tolerances are the claims file's ("tolerance": {"ratio": 1.25, "absolute": 1.25};
// README, "Claims"):
//  - a ratio holds when the measured ratio is within a factor of the ratio
//    tolerance of the claimed ratio, or of the claimed range [low, high];
//  - an absolute req/s figure holds when measured ≥ claimed / absolute tolerance;
//    latency and memory hold when measured ≤ claimed × absolute tolerance.
//  - a database-gap claim ("the bottleneck is usually the database") holds when
//    the languages' ratio in each of its database scenarios measured is within
//    the ratio tolerance of its claimed value (1: parity, the database sets the
//    pace); the JSON ratio of the same run at the same connections is shown
//    beside it, and the claim is not measured without it.
//  - a deployable-size claim holds when the measured size (the build manifest's
//    footprint: binary, or venv + interpreter) is within the claimed bound × it.
//  Only comparable cells count (RunAnalysis: completed, with figures, no warning
//  that makes them incomparable). The table's rows are checked against the JSON
//  scenario (the article measured "a simple JSON API with 1,000 concurrent
//  users"); a ratio names its scenario, and may name a fallback scenario used when
//  the run has none of the first (the 8–10× row: io, else JSON).

#include "results.h"

#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace sa::bench {

// Holds: within the tolerance of the article's figure. DoesNotHold: beyond it,
// in the direction ClaimRow::direction says (and verdictText words). NotComparable:
// measured, but on a cell whose figures cannot settle the claim (its warnings,
// or a bound on the wrong side of the claim). NotMeasured: nothing to compare.
enum class ClaimVerdict { Holds, DoesNotHold, NotMeasured, NotComparable };
// "holds", "does-not-hold", "not-measured", "not-comparable"
QString claimVerdictId(ClaimVerdict verdict);
// "About as the article says", "Not as the article says", "Not measured", "Not comparable"
QString claimVerdictTitle(ClaimVerdict verdict);

// Where the measured figure lies against the claimed one, beyond the tolerance.
enum class ClaimDirection { Within, Above, Below };
// A figure built on a cell whose load generator was saturated is a bound: the
// server's req/s may be higher than measured (its latency lower).
enum class ClaimBound { Exact, LowerBound, UpperBound };

// DatabaseGap: the ratio between two languages with the database in the loop
// (claims kind "database-gap"), against the same ratio for the JSON API.
enum class ClaimKind { Absolute, Ratio, DatabaseGap };

struct ClaimValue
{
    QString text; // for a person: "95,000 req/s", "8–10×", "41,230 req/s"; "—" when absent
    double number = 0; // for ranges: the low end
    double high = 0; // for ranges: the high end; = number otherwise
    bool present = false;
};

struct ClaimRow
{
    QString id; // "<server>-rps", "ratio-<server>-<server>", "go-vs-python", …
    ClaimKind kind = ClaimKind::Absolute;
    QString title; // "Gin: requests/sec", "Gin vs FastAPI (req/s)"
    QString quote; // the article's sentence or table row
    QString metric; // "requests_per_sec" | "avg_latency_ms" | "memory_mb" | "ratio"
    QStringList targetIds; // the targets the measured value came from
    QList<int> cellIndices; // the run's cells (RunResult::targets) the measured value came from
    // The languages of a ratio between languages ("Go", "Python"); empty otherwise.
    QString numeratorLanguage;
    QString denominatorLanguage;
    Scenario scenario = Scenario::Json; // of the cells used
    int connections = 0; // of the cells used; 0 when not measured
    ClaimValue claimed;
    ClaimValue measured;
    double ratio = 0; // claimed / measured (of the numbers; midpoint for ranges); 0 when not measured
    ClaimVerdict verdict = ClaimVerdict::NotMeasured;
    ClaimDirection direction = ClaimDirection::Within;
    ClaimBound bound = ClaimBound::Exact;
    // The verdict in words, by direction: "Gin leads by more than the article says",
    // "About as the article says", "Not comparable: FastAPI 4.3 % errors".
    QString verdictText;
    // The doubts of the cells it was built on, "<cell>: <few words>" each; every
    // view shows them beside the row.
    QStringList caveats;
    QString explanation; // what this claim's figures are, for a person (general notes:
                         // ClaimCheck::generalNotes())
};

struct CellAnalysis;

class ClaimCheck final
{
public:
    // resources/claims/article-2026.json
    static QString defaultClaimsFile();
    // The user's own claims, added to the article's: $STACKADVISOR_USER_CLAIMS, else
    // <AppConfigLocation>/claims.json when it exists (same format).
    static QString userClaimsFile();

    // Reads the article's figures; on failure returns std::nullopt and *error says why.
    static std::optional<ClaimCheck> load(const QString &claimsFile, QString *error);
    // The article's claims plus those of `userFile` ("" = none); an id used twice is an error.
    static std::optional<ClaimCheck> load(const QString &claimsFile, const QString &userFile, QString *error);
    static std::optional<ClaimCheck> fromJson(const QByteArray &json, QString *error);

    // The claims every view checks runs against: defaultClaimsFile() plus
    // userClaimsFile(), read once per process. Null with *error set when they
    // cannot be read. reloadStandard() reads them again (after the user edits them).
    static const ClaimCheck *standard(QString *error = nullptr);
    static void reloadStandard();

    double ratioTolerance() const { return m_ratioTolerance; }
    double absoluteTolerance() const { return m_absoluteTolerance; }

    // Every row, in a stable order: the table's absolute rows (req/s, latency,
    // memory per framework), then the ratios in file order, then the sizes.
    // `cells` says which cells are comparable (RunAnalysis); the first overload
    // reads them from the run the way RunAnalysis does.
    QList<ClaimRow> check(const RunResult &run) const;
    QList<ClaimRow> check(const RunResult &run, const QList<CellAnalysis> &cells) const;

    // A plain text table of the rows (used by `stackadvisor bench`), with each
    // row's caveats, what the ratios mean, and `notes` once at the end.
    static QString toText(const QList<ClaimRow> &rows, const QStringList &notes = {});
    // What holds for every row of a kind, said once rather than per claim: the
    // tolerance, the hardware behind absolute figures, latency following
    // throughput, MB and MiB, the deployable size as a lower bound.
    QStringList generalNotes() const;

    struct TableRow
    {
        QString targetId; // the server id of the article's row
        QString label; // "Go (Gin)"
        double requestsPerSec = 0;
        double avgLatencyMs = 0;
        double memoryMB = 0;
        QString quote;
    };
    const QList<TableRow> &table() const { return m_table; }
    QString tableQuote() const { return m_tableQuote; }
    const TableRow *tableRow(const QString &targetId) const;

    // One side of a ratio: a server, or every server of a language.
    struct RatioSide
    {
        QString serverId;
        QString language;
        QString label; // for people; default: the table row's framework, else the id or language
    };
    struct RatioClaim
    {
        QString id; // the claims file's id
        QString title; // "" = "<numerator> vs <denominator> (req/s)"
        RatioSide numerator;
        RatioSide denominator;
        Scenario scenario = Scenario::Json;
        std::optional<Scenario> fallbackScenario;
        double low = 0; // the claimed ratio, or its range
        double high = 0;
        QString quote;
    };
    const QList<RatioClaim> &ratios() const { return m_ratios; }
    // The ratio claim between two languages, or null: ("Go", "Python") is the article's 8–10×.
    const RatioClaim *languageRatio(const QString &numerator, const QString &denominator) const;
    // Of the Go/Python ratio claim; 0 / "" when the file has none.
    double goVsPythonLow() const;
    double goVsPythonHigh() const;
    QString goVsPythonQuote() const;

    // "Docker images for Go apps are often under 20MB" / "Python images typically run 100–300MB".
    struct SizeClaim
    {
        QString id;
        QString language;
        double lowMB = 0; // "under": 0
        double highMB = 0;
        QString quote;
    };
    const QList<SizeClaim> &sizeClaims() const { return m_sizes; }

    // "The bottleneck is usually the database": the ratio between two languages
    // in the database scenarios, against the JSON ratio of the same run.
    struct DatabaseGapClaim
    {
        QString id;
        QString title; // "" = "<numerator> vs <denominator> with the database in the loop"
        QString numeratorLanguage;
        QString denominatorLanguage;
        QList<Scenario> scenarios; // the database scenarios it is checked in
        double value = 1; // the claimed ratio there: 1 = parity
        QString quote;
    };
    const QList<DatabaseGapClaim> &databaseGapClaims() const { return m_databaseGaps; }

private:
    bool addClaims(const QJsonArray &claims, const QString &file, QString *error);
    QList<ClaimRow> checkTable(const RunResult &run, const QList<CellAnalysis> &cells) const;
    ClaimRow checkRatio(
        const RatioClaim &claim, const RunResult &run, const QList<CellAnalysis> &cells) const;
    QList<ClaimRow> checkSizes(const RunResult &run) const;
    ClaimRow checkDatabaseGap(
        const DatabaseGapClaim &claim, const RunResult &run, const QList<CellAnalysis> &cells) const;

    QList<SizeClaim> m_sizes;
    QList<DatabaseGapClaim> m_databaseGaps;
    QList<TableRow> m_table;
    QList<RatioClaim> m_ratios;
    QStringList m_ids;
    QString m_tableQuote;
    double m_ratioTolerance = 1.25;
    double m_absoluteTolerance = 1.25;
};

} // namespace sa::bench

Q_DECLARE_METATYPE(sa::bench::ClaimRow)
