#pragma once

// DESIGN.md's fairness rule in one place: the load generator gets
// max(1, cores/4) cores (the highest-numbered ones), the server the rest;
// WORKERS (Python, Node) and GOMAXPROCS (Go) = the server's core count for the
// in-process scenarios, each server's own recommendation for I/O-bound ones.
//
// A plan with a database scenario places PostgreSQL too. Below 4 cores there
// is no core to spare: it shares the load generator's (2 cores: server on 0,
// load and database on 1), so the server keeps the core it has in the other
// scenarios. From 4 cores on it gets max(1, cores/4) cores of its own, the
// highest below the load's, taken from the server's share for the whole run
// (the JSON cells of that run then compare with its database cells).

#include "results.h"
#include "serverentry.h"

#include <QList>
#include <QString>

#include <optional>

namespace sa::bench {

enum class DatabasePlacement {
    None, // the plan has no database scenario
    SharedWithLoad, // fewer than 4 cores: on the load generator's cores
    Own, // its own cores
    AsAsked, // the plan's databaseCpus
};
QString databasePlacementId(DatabasePlacement placement); // "", "shared-with-load", "own", "as-asked"

struct CpuAssignment
{
    QList<int> serverCpus;
    QList<int> loadCpus;
    QList<int> databaseCpus; // empty unless the plan has a database scenario
    DatabasePlacement databasePlacement = DatabasePlacement::None;
    int workers = 1; // for the in-process scenarios (workersFor() says per cell)
    int loadThreads = 1;
    bool shared = false; // one core only: server and load share it (recorded, warned)

    // "CPU 1, shared with the load generator (2 cores: none to spare)", for a person.
    QString databasePlacementText() const;

    // The load generator's CPUs also run what a cell of this scenario measures:
    // the server (one core), or PostgreSQL in a database scenario. The generator
    // is then told to sleep as soon as it has nothing to do (--no-poll): polling
    // for the next response there holds the CPU the database is woken on
    // (measured: go-nethttp /db 3-5 % fewer req/s with it).
    bool loadCpusShared(Scenario scenario) const;
};

// allowed = the CPUs this process may use (platform::allowedCpus()). Honours the
// plan's explicit serverCpus/loadCpus/databaseCpus/workers/loadThreads; *error
// names the field.
std::optional<CpuAssignment> assignCpus(const BenchmarkPlan &plan, const QList<int> &allowed, QString *error);

// How a cell's WORKERS (GOMAXPROCS for Go) is chosen.
enum class WorkerRule {
    Cores, // one per server core: the in-process scenarios, or a server without a recommendation
    IoRecommended, // the server's recommendation for I/O work (ServerEntry::ioWorkers)
    Override, // the plan's workers (--workers)
};
QString workerRuleId(WorkerRule rule); // "cores", "io-recommended", "override"

struct WorkerChoice
{
    int workers = 1;
    WorkerRule rule = WorkerRule::Cores;
    QString source; // why this count, for a person: the recommendation quoted, or the rule
};

// The worker count of one cell: the plan's workers when given; else, for the
// database and io scenarios with plan.ioWorkersRecommended, the entry's
// ioWorkers (perCore × serverCores + plus); else serverCores.
WorkerChoice workersFor(
    const ServerEntry &entry, Scenario scenario, const BenchmarkPlan &plan, int serverCores);

} // namespace sa::bench
