#include "cpuassignment.h"

#include "platform/processcontrol.h"

#include <algorithm>

namespace sa::bench {

namespace {

// From this many CPUs on, the database gets cores of its own.
constexpr int kOwnDatabaseCoresFrom = 4;

QString cpuWord(const QList<int> &cpus)
{
    return (cpus.size() == 1 ? QStringLiteral("CPU ") : QStringLiteral("CPUs "))
        + platform::formatCpuList(cpus);
}

} // namespace

QString databasePlacementId(DatabasePlacement placement)
{
    switch (placement) {
    case DatabasePlacement::None:
        return {};
    case DatabasePlacement::SharedWithLoad:
        return QStringLiteral("shared-with-load");
    case DatabasePlacement::Own:
        return QStringLiteral("own");
    case DatabasePlacement::AsAsked:
        return QStringLiteral("as-asked");
    }
    return {};
}

QString CpuAssignment::databasePlacementText() const
{
    switch (databasePlacement) {
    case DatabasePlacement::None:
        return {};
    case DatabasePlacement::SharedWithLoad:
        return QStringLiteral("%1, shared with the load generator: no core to spare (it gets its own from "
                              "%2 cores on), so the server keeps the cores it has in the other scenarios; "
                              "in the database scenarios the load generator sleeps as soon as it has "
                              "nothing to do rather than poll for the next response")
            .arg(cpuWord(databaseCpus))
            .arg(kOwnDatabaseCoresFrom);
    case DatabasePlacement::Own:
        return QStringLiteral("%1 of its own (max(1, cores/4) from %2 cores on), apart from the server's "
                              "and the load generator's")
            .arg(cpuWord(databaseCpus))
            .arg(kOwnDatabaseCoresFrom);
    case DatabasePlacement::AsAsked:
        return QStringLiteral("%1, as asked").arg(cpuWord(databaseCpus));
    }
    return {};
}

bool CpuAssignment::loadCpusShared(Scenario scenario) const
{
    if (shared)
        return true;
    if (!isDatabaseScenario(scenario))
        return false;
    return std::any_of(
        databaseCpus.cbegin(), databaseCpus.cend(), [this](int cpu) { return loadCpus.contains(cpu); });
}

std::optional<CpuAssignment> assignCpus(const BenchmarkPlan &plan, const QList<int> &allowed, QString *error)
{
    CpuAssignment assignment;
    const auto parse = [&](const QString &text, const char *field, QList<int> *out) {
        if (text.isEmpty())
            return true;
        const auto cpus = platform::parseCpuList(text);
        if (!cpus) {
            *error = QStringLiteral("%1 '%2' is not a CPU list (e.g. \"0\", \"1-3\" or \"0,2\")")
                         .arg(QLatin1String(field), text);
            return false;
        }
        for (int cpu : *cpus) {
            if (!allowed.contains(cpu)) {
                *error = QStringLiteral("%1 '%2': CPU %3 is not available to this process (available: %4)")
                             .arg(QLatin1String(field), text)
                             .arg(cpu)
                             .arg(platform::formatCpuList(allowed));
                return false;
            }
        }
        *out = *cpus;
        return true;
    };
    const bool database = plan.hasDatabaseScenario();
    if (!parse(plan.serverCpus, "server CPU set", &assignment.serverCpus)
        || !parse(plan.loadCpus, "load CPU set", &assignment.loadCpus)
        || (database && !parse(plan.databaseCpus, "database CPU set", &assignment.databaseCpus)))
        return std::nullopt;
    if (database && !assignment.databaseCpus.isEmpty())
        assignment.databasePlacement = DatabasePlacement::AsAsked;

    if (allowed.size() <= 1) {
        if (assignment.serverCpus.isEmpty())
            assignment.serverCpus = allowed;
        if (assignment.loadCpus.isEmpty())
            assignment.loadCpus = allowed;
    } else {
        const int loadCount = qMax(1, int(allowed.size()) / 4);
        if (assignment.loadCpus.isEmpty()) {
            // The load takes the highest CPUs not explicitly given to the server.
            for (qsizetype i = allowed.size() - 1; i >= 0 && assignment.loadCpus.size() < loadCount; --i) {
                if (!assignment.serverCpus.contains(allowed.at(i)))
                    assignment.loadCpus.prepend(allowed.at(i));
            }
            if (assignment.loadCpus.isEmpty())
                assignment.loadCpus = { allowed.constLast() };
        }
        if (database && assignment.databaseCpus.isEmpty() && allowed.size() >= kOwnDatabaseCoresFrom) {
            // The next highest after the load's, unless the server was given them.
            for (qsizetype i = allowed.size() - 1; i >= 0 && assignment.databaseCpus.size() < loadCount;
                 --i) {
                const int cpu = allowed.at(i);
                if (!assignment.loadCpus.contains(cpu) && !assignment.serverCpus.contains(cpu))
                    assignment.databaseCpus.prepend(cpu);
            }
            if (!assignment.databaseCpus.isEmpty())
                assignment.databasePlacement = DatabasePlacement::Own;
        }
        if (assignment.serverCpus.isEmpty()) {
            for (int cpu : allowed) {
                if (!assignment.loadCpus.contains(cpu) && !assignment.databaseCpus.contains(cpu))
                    assignment.serverCpus.append(cpu);
            }
            if (assignment.serverCpus.isEmpty())
                assignment.serverCpus = { allowed.constFirst() };
        }
    }
    if (database && assignment.databaseCpus.isEmpty()) {
        assignment.databaseCpus = assignment.loadCpus;
        assignment.databasePlacement = DatabasePlacement::SharedWithLoad;
    }
    for (int cpu : std::as_const(assignment.serverCpus))
        assignment.shared = assignment.shared || assignment.loadCpus.contains(cpu);

    if (plan.workers < 0 || plan.loadThreads < 0) {
        *error = QStringLiteral("workers and load threads must be 0 (automatic) or more");
        return std::nullopt;
    }
    assignment.workers = plan.workers > 0 ? plan.workers : int(assignment.serverCpus.size());
    assignment.loadThreads = plan.loadThreads > 0 ? plan.loadThreads : int(assignment.loadCpus.size());
    return assignment;
}

QString workerRuleId(WorkerRule rule)
{
    switch (rule) {
    case WorkerRule::Cores:
        return QStringLiteral("cores");
    case WorkerRule::IoRecommended:
        return QStringLiteral("io-recommended");
    case WorkerRule::Override:
        return QStringLiteral("override");
    }
    return {};
}

WorkerChoice workersFor(
    const ServerEntry &entry, Scenario scenario, const BenchmarkPlan &plan, int serverCores)
{
    serverCores = qMax(1, serverCores);
    if (plan.workers > 0)
        return { plan.workers, WorkerRule::Override,
            QStringLiteral("--workers %1, as asked").arg(plan.workers) };
    if (isIoBound(scenario) && plan.ioWorkersRecommended && entry.ioWorkers) {
        const IoWorkers &io = *entry.ioWorkers;
        QString formula = io.plus > 0
            ? QStringLiteral("%1 × %2 cores + %3").arg(io.perCore).arg(serverCores).arg(io.plus)
            : QStringLiteral("%1 × %2 cores").arg(io.perCore).arg(serverCores);
        QString source = formula + QStringLiteral(", the server's recommendation for I/O-bound work");
        if (!io.source.isEmpty())
            source
                += QStringLiteral(" (") + io.source + (io.url.isEmpty() ? QString() : u' ' + io.url) + u')';
        return { io.workersFor(serverCores), WorkerRule::IoRecommended, source };
    }
    return { serverCores, WorkerRule::Cores,
        isIoBound(scenario) && plan.ioWorkersRecommended
            ? QStringLiteral("one per server core (the catalog gives no I/O recommendation)")
            : QStringLiteral("one per server core") };
}

} // namespace sa::bench
