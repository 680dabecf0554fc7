#pragma once

// DESIGN.md's fairness rule in one place: the load generator gets
// max(1, cores/4) cores (the highest-numbered ones), the server the rest;
// WORKERS (Python, Node) and GOMAXPROCS (Go) = the server's core count.

#include "results.h"

#include <QList>
#include <QString>

#include <optional>

namespace sa::bench {

struct CpuAssignment
{
    QList<int> serverCpus;
    QList<int> loadCpus;
    int workers = 1;
    int loadThreads = 1;
    bool shared = false; // one core only: server and load share it (recorded, warned)
};

// allowed = the CPUs this process may use (platform::allowedCpus()). Honours the
// plan's explicit serverCpus/loadCpus/workers/loadThreads; *error names the field.
std::optional<CpuAssignment> assignCpus(const BenchmarkPlan &plan, const QList<int> &allowed, QString *error);

} // namespace sa::bench
