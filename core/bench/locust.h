#pragma once
// A benchmark plan handed to Locust, and Locust's results read back as a run.
//
// Locust (MIT, a master and any number of workers) measures where one machine
// is not enough: the export writes a folder with the plan, a locustfile that
// runs it (resources/locust/locustfile.py: one Locust run per cell, warm-up
// excluded, answers checked), the pinned requirements and a README with the
// commands; the import reads Locust's JSON or CSV output back into a RunResult
// whose `engine` says it was Locust, with how many workers, so that every view
// can say where its figures differ from the app's own load generator's.

#include "results.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace sa::bench {

class ServerCatalog;

namespace locust {

// What a scenario's request must answer (servers/CONTRACT.md): the check the
// locustfile makes before the load, and the body length it expects during it.
struct ExpectedAnswer
{
    QString contentType; // a prefix: "; charset=utf-8" may follow
    QByteArray body; // the exact body, when it is always the same
    // Else a regular expression the whole body matches (the database scenarios'
    // rows are random); the load then checks the status only.
    QString bodyPattern;
};
ExpectedAnswer expectedAnswer(Scenario scenario, const BenchmarkPlan &plan);

// "go-gin/json-c100": a cell's folder under results/ and its --sa-cell name.
QString cellId(const QString &targetId, Scenario scenario, int connections);

struct ExportedPlan
{
    QString directory;
    QStringList cellIds; // in plan order
    QStringList files; // written, relative to directory
};

// Writes DIR/locustfile.py, stackadvisor-locust.json, requirements.txt and
// README.md for the plan's cells (its targets from the catalog). DIR must not
// exist, be empty, or hold an earlier export (which is replaced; its results/
// folder is kept). False with a message saying what to change otherwise.
bool exportPlan(const BenchmarkPlan &plan, const ServerCatalog &catalog, const QString &directory,
    ExportedPlan *exported, QString *error);

// Reads a Locust run back: an export folder (its plan and every cell under
// results/ that ran), or one of Locust's own outputs (the --json-file JSON, or
// the --csv *_stats.csv with its _failures.csv and _stats_history.csv beside it).
// On bad input: nullopt and "FILE:LINE: what is wrong" (or "FILE: …").
std::optional<RunResult> importRun(const QString &path, QString *error);

} // namespace locust
} // namespace sa::bench
