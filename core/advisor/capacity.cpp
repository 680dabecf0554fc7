#include "capacity.h"

#include "platform/processcontrol.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace sa::advisor {

namespace {

int serverCoresOf(const bench::TargetResult &target)
{
    if (const auto cpus = platform::parseCpuList(target.serverCpus); cpus && !cpus->isEmpty())
        return int(cpus->size());
    return std::max(1, target.workers);
}

} // namespace

CapacityEstimate estimateCapacity(
    double peakRequestsPerSecond, const QList<bench::TargetResult> &targets, int coresPerServer)
{
    CapacityEstimate estimate;
    estimate.peakRequestsPerSecond = std::max(0.0, peakRequestsPerSecond);
    estimate.coresPerServer = std::max(1, coresPerServer);
    for (const bench::TargetResult &t : targets) {
        if (t.status != bench::TargetStatus::Completed || t.requestsPerSecond <= 0)
            continue;
        StackCapacity stack;
        stack.targetId = t.targetId;
        stack.displayName = t.displayName.isEmpty() ? t.targetId : t.displayName;
        stack.requestsPerSecond = t.requestsPerSecond;
        stack.serverCores = serverCoresOf(t);
        stack.requestsPerCore = t.requestsPerSecond / stack.serverCores;
        stack.coresNeeded = estimate.peakRequestsPerSecond / stack.requestsPerCore;
        stack.servers = std::max(1, int(std::ceil(stack.coresNeeded / estimate.coresPerServer - 1e-9)));
        const auto same = std::find_if(estimate.stacks.begin(), estimate.stacks.end(),
            [&](const StackCapacity &s) { return s.targetId == t.targetId; });
        if (same == estimate.stacks.end())
            estimate.stacks << stack;
        else if (same->requestsPerCore < stack.requestsPerCore)
            *same = stack;
    }
    std::sort(estimate.stacks.begin(), estimate.stacks.end(),
        [](const StackCapacity &a, const StackCapacity &b) { return a.coresNeeded < b.coresNeeded; });
    const QLocale english(QLocale::English);
    estimate.assumption
        = u"Cores at peak = %1 req/s ÷ the req/s each stack served per server core here; servers = cores ÷ "
          u"%2 "
          "cores per server, rounded up. This assumes throughput grows linearly with cores and servers, that "
          "production cores are as fast as this machine's, and that your real endpoints cost what the "
          "benchmark's "
          "did; keep headroom for spikes and for the database."_s
              .arg(english.toString(estimate.peakRequestsPerSecond, 'f', 0))
              .arg(estimate.coresPerServer);
    return estimate;
}

} // namespace sa::advisor
