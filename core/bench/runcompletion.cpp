#include "runcompletion.h"

#include "platform/atomicfile.h"
#include "store/resultstore.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace sa::bench {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sa::bench::RunCompletion", text);
}

} // namespace

QStringList exportRun(const RunAnalysis &analysis, const RunExports &exports, QStringList *written)
{
    QStringList errors;
    const auto done = [&](bool ok, const QString &path, const QString &error) {
        if (ok && written)
            *written << path;
        if (!ok)
            errors << error;
    };
    QString error;
    if (!exports.jsonPath.isEmpty()) {
        QJsonObject object = analysis.run().toJson();
        // A capacity run's reading beside its steps, for readers of the file (not read back).
        if (analysis.capacitySummary().isCapacityRun)
            object.insert(QStringLiteral("capacityAnalysis"), analysis.capacitySummary().toJson(analysis));
        const QByteArray json = QJsonDocument(object).toJson(QJsonDocument::Indented);
        done(platform::writeFileAtomically(exports.jsonPath, json, &error), exports.jsonPath, error);
    }
    if (!exports.csvPath.isEmpty())
        done(platform::writeFileAtomically(exports.csvPath, analysis.toCsv().toUtf8(), &error),
            exports.csvPath, error);
    if (!exports.stepsCsvPath.isEmpty()) {
        done(platform::writeFileAtomically(exports.stepsCsvPath, capacityStepsCsv(analysis).toUtf8(), &error),
            exports.stepsCsvPath, error);
    }
    if (!exports.pdfPath.isEmpty()) {
        if (!exports.writePdf)
            done(false, exports.pdfPath,
                tr("cannot write %1: this program has no report writer").arg(exports.pdfPath));
        else
            done(exports.writePdf(analysis, exports.pdfPath, &error), exports.pdfPath, error);
    }
    return errors;
}

CompletedRun completeRun(RunResult run, store::ResultStore *store, const RunExports &exports)
{
    CompletedRun completed;
    // A run cancelled before its first cell (while it waited for another
    // benchmark, say) measured nothing: there is nothing to keep.
    if (store && !run.targets.isEmpty()) {
        QString error;
        if (!store->isOpen() && !store->open(&error)) {
            completed.saveError = error;
        } else if (const std::optional<qint64> id = store->save(run, &error)) {
            completed.savedId = id;
            run.id = *id;
        } else {
            completed.saveError = error;
        }
    }
    completed.analysis = RunAnalysis::analyse(run);
    completed.exportErrors = exportRun(completed.analysis, exports, &completed.exported);
    return completed;
}

} // namespace sa::bench
