#include "cpuassignment.h"

#include "platform/processcontrol.h"

namespace sa::bench {

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
    if (!parse(plan.serverCpus, "server CPU set", &assignment.serverCpus)
        || !parse(plan.loadCpus, "load CPU set", &assignment.loadCpus))
        return std::nullopt;

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
        if (assignment.serverCpus.isEmpty()) {
            for (int cpu : allowed) {
                if (!assignment.loadCpus.contains(cpu))
                    assignment.serverCpus.append(cpu);
            }
            if (assignment.serverCpus.isEmpty())
                assignment.serverCpus = { allowed.constFirst() };
        }
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

} // namespace sa::bench
