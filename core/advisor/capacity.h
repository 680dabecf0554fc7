#pragma once

// Capacity and cost at the team's stated peak: how many server cores, servers
// and what monthly cost each stack needs, from the CapacityEvidence (measured
// here, or the article's published table). Computed once here; the criterion's
// points, the GUI, `advise` and the PDF read the same CapacityEstimate.

#include "capacityevidence.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace sa::advisor {

// The two figures that turn cores into money and into servers. Each says where it
// comes from: the data's default (labelled illustrative or assumed, with its
// source) or the person who changed it.
struct CostAssumptions
{
    double pricePerVcpuMonth = 0;
    QString currency; // "USD"
    QString priceLabel; // "illustrative" or "set by you"
    QString priceSource;
    int coresPerServer = 8;
    QString coresPerServerLabel; // "assumed" or "set by you"
    QString coresPerServerSource;

    // The same assumptions with the price (or the server size) set by a person.
    CostAssumptions withPrice(double price) const;
    CostAssumptions withCoresPerServer(int cores) const;
    QJsonObject toJson() const;
};

struct StackCapacity
{
    StackEvidence evidence;
    double coresNeeded = 0; // peak / requests per core
    int servers = 0; // ceil(coresNeeded / coresPerServer), at least 1
    double monthlyCost = 0; // coresNeeded × price: what the cores cost, without rounding up to servers
    double serversMonthlyCost = 0; // servers × coresPerServer × price: what whole servers cost

    QJsonObject toJson() const;
};

struct CapacityEstimate
{
    std::optional<double> peak; // req/s; nullopt when the peak is not stated
    CapacityEvidence evidence;
    CostAssumptions cost;
    QList<StackCapacity> stacks; // one per stack with evidence, fewest cores first

    // The criterion's quantity: how many more cores Python needs than Go at the
    // peak (negative when Go needs more), and what they cost a month.
    double extraCores = 0;
    double extraMonthlyCost = 0;
    // The same quantity at the article's line on the article's own figures: where
    // the criterion gives half its points and the capacity need begins.
    double referenceExtraCores = 0;
    double articleLine = 0; // req/s
    // The peak at which extraCores reaches referenceExtraCores on this evidence
    // (the article's line when the evidence is the article's); 0 when the stacks
    // need the same cores.
    double needFrom = 0;
    QString scaling; // how cores, servers and cost are computed, and what that assumes

    bool isValid() const { return evidence.isComplete(); }
    const StackCapacity *stack(QStringView name) const;
    QJsonObject toJson() const;
};

// Cores at the peak = peak / (requests per server core); servers = ceil(cores /
// coresPerServer); cost = cores × price per vCPU-month. `referenceExtraCores` and
// `articleLine` come from the capacity scoring (see Scorer).
CapacityEstimate estimateCapacity(std::optional<double> peak, const CapacityEvidence &evidence,
    const CostAssumptions &cost, double referenceExtraCores, double articleLine, const QString &scaling);

} // namespace sa::advisor

namespace sa::advisor {

// The formats of capacity figures, shared by the CLI, the GUI and the PDF:
// English grouping as the article writes its figures, whatever the locale.
QString formatRequestRate(double requestsPerSecond); // "25,000"
QString formatCores(double cores); // "0.42", "8.3", "< 0.01"
QString formatMoney(double amount, const QString &currency); // "$1,258" (USD), else "1,258 EUR"

} // namespace sa::advisor
