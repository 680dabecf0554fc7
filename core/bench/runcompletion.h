#pragma once

// What happens when a run ends, the same for the GUI and `stackadvisor bench`:
// save it to the history, read it once into a RunAnalysis, then export it. The
// callers only show the outcome.

#include "runanalysis.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace sa::store {
class ResultStore;
}

namespace sa::bench {

struct RunExports
{
    QString jsonPath; // the run as JSON (README, "Results JSON"); "" = none
    QString csvPath; // RunAnalysis::toCsv(); "" = none
    QString pdfPath; // the run's report; "" = none
    QString stepsCsvPath; // a capacity run's steps, one row each (capacityStepsCsv()); "" = none
    // Paints the PDF: the report lives in the UI library, which core cannot see.
    std::function<bool(const RunAnalysis &, const QString &path, QString *error)> writePdf;

    bool isEmpty() const
    {
        return jsonPath.isEmpty() && csvPath.isEmpty() && pdfPath.isEmpty() && stepsCsvPath.isEmpty();
    }
};

struct CompletedRun
{
    RunAnalysis analysis;
    std::optional<qint64> savedId; // the history's id, when saved
    QString saveError; // why it was not saved ("" when saved or not asked)
    QStringList exportErrors; // one sentence per export that failed, each naming its file
    QStringList exported; // the files written

    bool ok() const { return saveError.isEmpty() && exportErrors.isEmpty(); }
};

// Saves `run` to `store` (null = do not save; a closed store is opened first; a
// run without a cell is not saved), analyses it with the standard claims, and
// writes `exports`.
CompletedRun completeRun(RunResult run, store::ResultStore *store, const RunExports &exports = {});

// Writes the exports of an analysed run (a past run shown again, or completeRun's).
// Returns one sentence per export that failed; *written gets the files written.
QStringList exportRun(const RunAnalysis &analysis, const RunExports &exports, QStringList *written = nullptr);

} // namespace sa::bench
