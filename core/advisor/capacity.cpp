#include "capacity.h"

#include <QJsonArray>
#include <QLocale>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace sa::advisor {

CostAssumptions CostAssumptions::withPrice(double price) const
{
    CostAssumptions changed = *this;
    if (price != pricePerVcpuMonth) {
        changed.pricePerVcpuMonth = price;
        changed.priceLabel = u"set by you"_s;
        changed.priceSource = u"Entered in the Advisor or with --price-per-vcpu-month."_s;
    }
    return changed;
}

CostAssumptions CostAssumptions::withCoresPerServer(int cores) const
{
    CostAssumptions changed = *this;
    if (cores != coresPerServer) {
        changed.coresPerServer = cores;
        changed.coresPerServerLabel = u"set by you"_s;
        changed.coresPerServerSource = u"Entered in the Advisor or with --cores-per-server."_s;
    }
    return changed;
}

QJsonObject CostAssumptions::toJson() const
{
    return QJsonObject {
        { u"pricePerVcpuMonth"_s,
            QJsonObject { { u"value"_s, pricePerVcpuMonth }, { u"currency"_s, currency },
                { u"label"_s, priceLabel }, { u"source"_s, priceSource } } },
        { u"coresPerServer"_s,
            QJsonObject { { u"value"_s, coresPerServer }, { u"label"_s, coresPerServerLabel },
                { u"source"_s, coresPerServerSource } } },
    };
}

QJsonObject StackCapacity::toJson() const
{
    QJsonObject object = evidence.toJson();
    object.insert(u"coresAtPeak"_s, coresNeeded);
    object.insert(u"servers"_s, servers);
    object.insert(u"monthlyCost"_s, monthlyCost);
    object.insert(u"serversMonthlyCost"_s, serversMonthlyCost);
    return object;
}

const StackCapacity *CapacityEstimate::stack(QStringView name) const
{
    for (const StackCapacity &candidate : stacks) {
        if (candidate.evidence.stack == name)
            return &candidate;
    }
    return nullptr;
}

QJsonObject CapacityEstimate::toJson() const
{
    QJsonArray array;
    for (const StackCapacity &entry : stacks)
        array.append(entry.toJson());
    QJsonObject object = cost.toJson();
    object.insert(u"peakRequestsPerSecond"_s, peak ? QJsonValue(*peak) : QJsonValue());
    object.insert(u"evidence"_s, evidence.toJson());
    object.insert(u"stacks"_s, array);
    object.insert(u"extraCoresPythonOverGo"_s, extraCores);
    object.insert(u"extraMonthlyCostPythonOverGo"_s, extraMonthlyCost);
    object.insert(u"referenceExtraCores"_s, referenceExtraCores);
    object.insert(u"articleLineRequestsPerSecond"_s, articleLine);
    object.insert(u"needFromRequestsPerSecond"_s, needFrom > 0 ? QJsonValue(needFrom) : QJsonValue());
    object.insert(u"scaling"_s, scaling);
    return object;
}

CapacityEstimate estimateCapacity(std::optional<double> peak, const CapacityEvidence &evidence,
    const CostAssumptions &cost, double referenceExtraCores, double articleLine, const QString &scaling)
{
    CapacityEstimate estimate;
    estimate.peak = peak ? std::optional<double>(std::max(0.0, *peak)) : std::nullopt;
    estimate.evidence = evidence;
    estimate.cost = cost;
    estimate.cost.coresPerServer = std::max(1, cost.coresPerServer);
    estimate.referenceExtraCores = referenceExtraCores;
    estimate.articleLine = articleLine;
    estimate.scaling = scaling;
    const double atPeak = estimate.peak.value_or(0);
    for (const StackEvidence &entry : evidence.stacks) {
        if (entry.requestsPerCore <= 0)
            continue;
        StackCapacity stack;
        stack.evidence = entry;
        stack.coresNeeded = atPeak / entry.requestsPerCore;
        stack.servers = std::max(1, int(std::ceil(stack.coresNeeded / estimate.cost.coresPerServer - 1e-9)));
        stack.monthlyCost = stack.coresNeeded * cost.pricePerVcpuMonth;
        stack.serversMonthlyCost
            = double(stack.servers) * estimate.cost.coresPerServer * cost.pricePerVcpuMonth;
        estimate.stacks << stack;
    }
    std::stable_sort(
        estimate.stacks.begin(), estimate.stacks.end(), [](const StackCapacity &a, const StackCapacity &b) {
            return a.evidence.requestsPerCore > b.evidence.requestsPerCore;
        });
    if (evidence.isComplete()) {
        const double perRequest
            = 1 / evidence.stack(u"Python")->requestsPerCore - 1 / evidence.stack(u"Go")->requestsPerCore;
        estimate.extraCores = atPeak * perRequest;
        estimate.extraMonthlyCost = estimate.extraCores * cost.pricePerVcpuMonth;
        estimate.needFrom = perRequest != 0 ? referenceExtraCores / std::abs(perRequest) : 0;
    }
    return estimate;
}

} // namespace sa::advisor

namespace sa::advisor {

QString formatRequestRate(double requestsPerSecond)
{
    return QLocale(QLocale::English).toString(requestsPerSecond, 'f', 0);
}

QString formatCores(double cores)
{
    // Two decimals below one core: "0.0 cores" would read as "free".
    if (cores > 0 && cores < 0.005)
        return u"< 0.01"_s;
    return QLocale(QLocale::English).toString(cores, 'f', cores < 1 ? 2 : 1);
}

QString formatMoney(double amount, const QString &currency)
{
    const QString number = QLocale(QLocale::English).toString(amount, 'f', amount < 10 ? 2 : 0);
    if (currency == u"USD"_s)
        return u"$"_s + number;
    return number + u' ' + currency;
}

} // namespace sa::advisor
