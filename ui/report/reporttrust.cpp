#include "reporttrust.h"

#include "bench/format.h"

using namespace Qt::StringLiterals;

namespace sa::ui::report {

QString spreadText(const bench::CellAnalysis &cell)
{
    const bench::FigureSpread &rps = cell.spread(bench::RoundFigure::RequestsPerSecond);
    if (!rps.hasSpread())
        return {};
    return u"median of %1 rounds, %2–%3 req/s (CV %4 %)"_s.arg(rps.rounds)
        .arg(fmt::number(rps.min), fmt::number(rps.max), fmt::percent(rps.cv, 1));
}

QStringList keyFigure(const bench::RunAnalysis &analysis, const bench::CellAnalysis &cell)
{
    const bench::TargetResult &t = analysis.result(cell);
    QStringList detail { cell.name };
    if (const QString spread = spreadText(cell); !spread.isEmpty())
        detail << spread;
    detail << u"p99 %1 ms"_s.arg(fmt::milliseconds(t.latency.p99Us))
           << u"%1 MiB peak PSS"_s.arg(fmt::mebibytes(t.memory.peakPssBytes));
    QString line = detail.join(u" · "_s);
    if (const QString caveat = cell.caveat(); !caveat.isEmpty())
        line += u" · ⚠ "_s + caveat;
    const bool lowerBound = cell.hasFlag(bench::CellFlag::GeneratorSaturated);
    return { u"Best %1"_s.arg(t.language) + (lowerBound ? u" (a lower bound)"_s : QString()),
        fmt::number(t.requestsPerSecond) + u" req/s"_s, line };
}

QStringList leftOut(const bench::RunAnalysis &analysis)
{
    QStringList list;
    for (const bench::CellAnalysis &cell : analysis.cells()) {
        if (cell.hasFigures && !cell.comparable)
            list << cell.name + u": "_s + cell.caveat();
    }
    return list;
}

QStringList doubtsAboutFigures(const bench::RunAnalysis &analysis)
{
    QStringList list = analysis.runWarnings();
    for (const bench::CellAnalysis &cell : analysis.cells()) {
        for (const bench::CellWarning &warning : cell.warnings)
            list << cell.name + u": "_s + warning.text;
    }
    return list;
}

QString claimVerdictCell(const bench::ClaimRow &row)
{
    // A bound is already in the verdict's words; any other doubt is said after them.
    if (row.verdict == bench::ClaimVerdict::NotComparable || row.caveats.isEmpty()
        || row.bound != bench::ClaimBound::Exact)
        return row.verdictText;
    return row.verdictText + u" ⚠ "_s + row.caveats.join(u"; "_s);
}

QString midSentence(const QString &text)
{
    // "Not comparable: …" after a colon; an acronym ("CPU …", "JSON …") keeps its capitals.
    if (text.size() < 2 || !text.at(0).isUpper() || text.at(1).isUpper())
        return text;
    return text.at(0).toLower() + text.mid(1);
}

QString coverVerdict(const QString &headline)
{
    QString text = headline;
    const qsizetype colon = text.indexOf(u": "_s);
    if (colon >= 0)
        text.replace(colon, 2, u" — "_s);
    return u"Verdict: "_s + text;
}

QString roundsMethod(const bench::BenchmarkPlan &plan)
{
    if (plan.rounds <= 1)
        return u"1 (each target measured once)"_s;
    return u"%1 per target, each on a fresh server; round 1 in the order above, round 2 reversed, and so on, "
           "so that a drift of the machine does not favour the first targets. Every figure is the median of "
           "the rounds; a target whose rounds' req/s differ by a coefficient of variation above %2 % is not "
           "comparable."_s.arg(plan.rounds)
               .arg(fmt::percent(bench::TrustPolicy::kMaxSpreadCv, 0));
}

} // namespace sa::ui::report
