#pragma once

// How the report says how far each figure can be trusted, beside the figure:
// the few words of a cell's warnings after a key figure or a capacity row, the
// doubts under the results table, a claim's verdict with what it rests on, and
// how the rounds make a figure. One place for the wording the sections share.

#include "bench/runanalysis.h"

#include <QString>
#include <QStringList>

namespace sa::ui::report {

// "median of 3 rounds, 49,800–52,100 req/s (CV 2.1 %)"; "" for one round.
QString spreadText(const bench::CellAnalysis &cell);

// The key figure of a cell (the summary's "Best Go"): its median req/s, and the
// detail line with its name, spread, latency, memory and, after "⚠", its doubts.
QStringList keyFigure(const bench::RunAnalysis &analysis, const bench::CellAnalysis &cell);

// The cells left out of the comparable figures, with why: "Python · FastAPI: 4.3 % errors".
QStringList leftOut(const bench::RunAnalysis &analysis);

// Per cell with a doubt: "<cell>: <warning> <what would help>".
QStringList doubtsAboutFigures(const bench::RunAnalysis &analysis);

// A claim's verdict as its table cell says it: by direction, with the doubts of
// the cells it rests on when they did not already decide it.
QString claimVerdictCell(const bench::ClaimRow &row);

// A phrase that starts a sentence, put after a colon inside one: "Not comparable: …"
// becomes "not comparable: …"; an acronym at its start is left as it is.
QString midSentence(const QString &text);

// "Verdict: Hybrid — Python to build the product, …" (one colon, whatever the headline).
QString coverVerdict(const QString &headline);

// The rounds as the methodology states them: how many, in which order, and the
// spread rule.
QString roundsMethod(const bench::BenchmarkPlan &plan);

} // namespace sa::ui::report
