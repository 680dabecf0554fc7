#pragma once

// The article's benchmark figures against what this machine measured.
//
// Two kinds of rows:
//  - Absolute: one framework's figure (req/s, average latency, memory) from the
//    article's table beside the measured one. These depend on the hardware, so
//    their verdict only says whether this machine reaches the figure.
//  - Ratio: a relation that should survive a change of machine (Gin vs FastAPI,
//    Fiber vs Gin, FastAPI vs Django, Express vs FastAPI, Go vs Python overall
//    against "8–10×"). These are the rows that test the article.
//
// Tolerances (documented in README, "Claims"):
//  - a ratio holds when the measured ratio is within a factor of kRatioTolerance
//    (1.25) of the claimed ratio, or of the claimed range [low, high];
//  - an absolute req/s figure holds when measured ≥ claimed / kAbsoluteTolerance;
//    latency and memory hold when measured ≤ claimed × kAbsoluteTolerance (1.25).
//  - a deployable-size claim holds when the measured size (the build manifest's
//    footprint: binary, or venv + interpreter) is within the claimed bound × 1.25.
//  Only cells of the JSON scenario count for the article's table (it measured "a
//  simple JSON API with 1,000 concurrent users"); the 8–10× row uses the io
//  scenario when the run has it (the article says "I/O-heavy") and JSON otherwise.

#include "results.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace sa::bench {

enum class ClaimVerdict { Holds, DoesNotHold, NotMeasured };
QString claimVerdictId(ClaimVerdict verdict); // "holds", "does-not-hold", "not-measured"
QString claimVerdictTitle(ClaimVerdict verdict); // "Holds", "Does not hold here", "Not measured"

enum class ClaimKind { Absolute, Ratio };

struct ClaimValue
{
    QString text; // for a person: "95,000 req/s", "8–10×", "41,230 req/s"; "—" when absent
    double number = 0; // for ranges: the low end
    double high = 0; // for ranges: the high end; = number otherwise
    bool present = false;
};

struct ClaimRow
{
    QString id; // "gin-rps", "ratio-gin-fastapi", "go-vs-python", …
    ClaimKind kind = ClaimKind::Absolute;
    QString title; // "Gin: requests/sec", "Gin vs FastAPI (req/s)"
    QString quote; // the article's sentence or table row
    QString metric; // "requests_per_sec" | "avg_latency_ms" | "memory_mb" | "ratio"
    QStringList targetIds; // the targets the measured value came from
    ClaimValue claimed;
    ClaimValue measured;
    double ratio = 0; // claimed / measured (of the numbers; midpoint for ranges); 0 when not measured
    ClaimVerdict verdict = ClaimVerdict::NotMeasured;
    QString explanation; // one or two plain sentences for a person
};

class ClaimCheck final
{
public:
    static constexpr double kRatioTolerance = 1.25;
    static constexpr double kAbsoluteTolerance = 1.25;

    // resources/claims/article-2026.json
    static QString defaultClaimsFile();

    // Reads the article's figures; on failure returns std::nullopt and *error says why.
    static std::optional<ClaimCheck> load(const QString &claimsFile, QString *error);
    static std::optional<ClaimCheck> fromJson(const QByteArray &json, QString *error);

    // Every row, in a stable order: the table's absolute rows (req/s, latency,
    // memory per framework), then the ratios.
    QList<ClaimRow> check(const RunResult &run) const;

    // A plain text table of the rows (used by `stackadvisor bench`).
    static QString toText(const QList<ClaimRow> &rows);

    struct TableRow
    {
        QString targetId; // "go-gin"
        QString label; // "Go (Gin)"
        double requestsPerSec = 0;
        double avgLatencyMs = 0;
        double memoryMB = 0;
        QString quote;
    };
    const QList<TableRow> &table() const { return m_table; }
    QString tableQuote() const { return m_tableQuote; }
    double goVsPythonLow() const { return m_goVsPythonLow; }
    double goVsPythonHigh() const { return m_goVsPythonHigh; }
    QString goVsPythonQuote() const { return m_goVsPythonQuote; }

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

private:
    QList<SizeClaim> m_sizes;
    QList<TableRow> m_table;
    QString m_tableQuote;
    double m_goVsPythonLow = 8;
    double m_goVsPythonHigh = 10;
    QString m_goVsPythonQuote;
};

} // namespace sa::bench

Q_DECLARE_METATYPE(sa::bench::ClaimRow)
