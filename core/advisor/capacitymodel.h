#pragma once

#include "capacity.h"
#include "capacityevidence.h"

#include <optional>

namespace sa::advisor {

// resources/advisor/capacity.json: the article's figures the capacity criterion
// falls back on (with the cores assumed behind them), the labels of measured
// figures, and the default price per vCPU-month and server size, each with its
// source.
class CapacityModel final
{
public:
    // `claimsText` is the article's claims file the capacity file names
    // (resources/claims/article-2026.json); both are validated.
    static std::optional<CapacityModel> fromJson(const QByteArray &text, const QString &source,
        const QByteArray &claimsText, const QString &claimsSource, QString *error);
    // capacity.json and the claims file it names, from sa::Paths::resourceFile().
    static std::optional<CapacityModel> fromResources(QString *error);

    // The article's table as evidence: "published, not measured here".
    const CapacityEvidence &published() const { return m_published; }
    const CostAssumptions &defaultCost() const { return m_cost; }
    QString measuredLabel() const { return m_measuredLabel; }
    QString measuredNote() const { return m_measuredNote; }
    QString scaling() const { return m_scaling; }

private:
    CapacityEvidence m_published;
    CostAssumptions m_cost;
    QString m_measuredLabel;
    QString m_measuredNote;
    QString m_scaling;
};

} // namespace sa::advisor
