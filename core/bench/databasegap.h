#pragma once

// How much of the gap between two languages that the in-process JSON API shows
// remains with the database in the loop (the article: "The bottleneck is
// usually the database or the API, not the Python code itself"). Per target,
// its JSON req/s beside its req/s in each database scenario of the same run at
// the same connections; per database scenario, the two languages' ratio beside
// their JSON ratio. Computed once, from comparable cells only (RunAnalysis);
// the claim check, the CLI, the GUI, the PDF and the Advisor read it.

#include "results.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace sa::bench {

struct CellAnalysis;

// numerator-language servers' req/s over the denominator's: the geometric mean
// of each side's comparable cells in one scenario at one connection level.
struct LanguageRatio
{
    Scenario scenario = Scenario::Json;
    int connections = 0;
    double ratio = 0; // 0 when not measured
    QList<int> numeratorCells; // RunResult::targets indices
    QList<int> denominatorCells;

    bool measured() const { return ratio > 0; }
};

struct ScenarioGap
{
    LanguageRatio json; // the in-process baseline, at database.connections
    LanguageRatio database;

    // The part of the numerator's JSON lead that is left with the database:
    // (database − 1) / (json − 1); negative when the order flips, 0 when the
    // JSON ratio is not above 1 (there is no lead to keep).
    double remainingLead() const;
};

// One target at one connection level: its JSON figure beside its database ones.
struct TargetDatabaseFigures
{
    QString targetId;
    QString name; // display name
    QString language;
    int connections = 0;
    int jsonCell = -1; // comparable JSON cell, -1 when the run has none
    double jsonRequestsPerSecond = 0;

    struct Entry
    {
        Scenario scenario = Scenario::Db;
        int cell = -1;
        double requestsPerSecond = 0;
        double p99Us = 0;
        double shareOfJson = 0; // requestsPerSecond / JSON's; 0 without a JSON cell
    };
    QList<Entry> database; // in the order of allScenarios()

    const Entry *entry(Scenario scenario) const;
};

// The per-target figures as a table, the same in every view: target, connections,
// JSON req/s, then req/s and its share of JSON per database scenario.
struct DatabaseGapTable
{
    QStringList header;
    QList<QStringList> rows; // text, as people read it
    QList<QList<QVariant>> raw; // the numbers behind (invalid where none), for sorting
    QStringList rowTargetIds;
    QList<int> numericColumns;
};

class DatabaseGap
{
public:
    // The languages are the two sides ("Go", "Python" for the article's claim).
    static DatabaseGap compute(const RunResult &run, const QList<CellAnalysis> &cells,
        const QString &numeratorLanguage, const QString &denominatorLanguage);

    // No comparable database cell: nothing to show.
    bool isEmpty() const { return m_targets.isEmpty(); }
    const QString &numeratorLanguage() const { return m_numerator; }
    const QString &denominatorLanguage() const { return m_denominator; }
    const QList<TargetDatabaseFigures> &targets() const { return m_targets; }
    // The database scenarios the run measured, with both languages' ratios there
    // (ScenarioGap::database.measured() false when one side is missing).
    const QList<ScenarioGap> &scenarios() const { return m_scenarios; }
    const ScenarioGap *scenario(Scenario scenario) const;
    // The database scenarios whose ratio and JSON baseline were both measured.
    QList<const ScenarioGap *> measuredScenarios() const;

    // The gap in a sentence or two, for every view: "With PostgreSQL in the
    // loop Go served 2.1× Python's requests per second (single query) … against
    // 5.0× for the JSON API …". Empty when no ratio could be measured.
    QString summary() const;
    // The per-target figures. Targets by display name, or by id (the CLI, as its table names them).
    DatabaseGapTable table(bool byId = false) const;
    // The table and the summary as aligned text (the CLI).
    QString toText() const;

private:
    QString m_numerator;
    QString m_denominator;
    int m_queriesN = 20; // the plan's, for the sentences
    QList<TargetDatabaseFigures> m_targets;
    QList<ScenarioGap> m_scenarios;
};

} // namespace sa::bench
