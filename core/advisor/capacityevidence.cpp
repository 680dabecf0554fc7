#include "capacityevidence.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace sa::advisor {

QString provenanceId(Provenance provenance)
{
    switch (provenance) {
    case Provenance::Measured:
        return u"measured"_s;
    case Provenance::Published:
        return u"published"_s;
    case Provenance::Assumed:
        return u"assumed"_s;
    }
    return {};
}

QString provenanceTitle(Provenance provenance)
{
    switch (provenance) {
    case Provenance::Measured:
        return u"measured here"_s;
    case Provenance::Published:
        return u"published"_s;
    case Provenance::Assumed:
        return u"assumed"_s;
    }
    return {};
}

QString throughputId(Throughput throughput)
{
    return throughput == Throughput::Saturated ? u"saturated"_s : u"sustainable"_s;
}

QString throughputTitle(Throughput throughput)
{
    return throughput == Throughput::Saturated ? u"saturated throughput"_s : u"sustainable throughput"_s;
}

QJsonObject StackEvidence::toJson() const
{
    QJsonObject object {
        { u"stack"_s, stack },
        { u"server"_s, server },
        { u"requestsPerSecond"_s, requestsPerSecond },
        { u"serverCores"_s, serverCores },
        { u"serverCoresProvenance"_s, provenanceId(coresProvenance) },
        { u"requestsPerCore"_s, requestsPerCore },
        { u"provenance"_s, provenanceId(provenance) },
        { u"source"_s, source },
        { u"throughput"_s, throughputId(throughput) },
    };
    if (throughput == Throughput::Sustainable)
        object.insert(u"latencyTargetMs"_s, latencyTargetMs);
    if (!caveat.isEmpty())
        object.insert(u"caveat"_s, caveat);
    if (cpuUsPerRequest > 0)
        object.insert(u"cpuUsPerRequest"_s, cpuUsPerRequest);
    return object;
}

const StackEvidence *CapacityEvidence::stack(QStringView name) const
{
    for (const StackEvidence &candidate : stacks) {
        if (candidate.stack == name)
            return &candidate;
    }
    return nullptr;
}

bool CapacityEvidence::isComplete() const
{
    const StackEvidence *go = stack(u"Go");
    const StackEvidence *python = stack(u"Python");
    return go && python && go->requestsPerCore > 0 && python->requestsPerCore > 0;
}

QJsonObject CapacityEvidence::toJson() const
{
    QJsonArray array;
    for (const StackEvidence &entry : stacks)
        array.append(entry.toJson());
    QJsonObject object { { u"provenance"_s, provenanceId(provenance) }, { u"label"_s, label },
        { u"note"_s, note }, { u"stacks"_s, array } };
    if (!fallbackReason.isEmpty())
        object.insert(u"fallbackReason"_s, fallbackReason);
    if (!databaseGap.isEmpty())
        object.insert(u"databaseGap"_s, databaseGap);
    return object;
}

} // namespace sa::advisor
