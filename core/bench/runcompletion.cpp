#include "runcompletion.h"

#include "store/resultstore.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace sa::bench {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sa::bench::RunCompletion", text);
}

} // namespace

bool writeFileAtomically(const QString &path, const QByteArray &content, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size() || !file.flush()
        || !file.commit()) {
        *error = tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

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
        done(writeFileAtomically(exports.jsonPath, json, &error), exports.jsonPath, error);
    }
    if (!exports.csvPath.isEmpty())
        done(writeFileAtomically(exports.csvPath, analysis.toCsv().toUtf8(), &error), exports.csvPath, error);
    if (!exports.stepsCsvPath.isEmpty()) {
        done(writeFileAtomically(exports.stepsCsvPath, capacityStepsCsv(analysis).toUtf8(), &error),
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
    if (store) {
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
