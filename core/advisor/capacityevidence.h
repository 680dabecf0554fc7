#pragma once

// What the capacity and cost criterion reads: for each stack, the requests per
// second one server core sustains, and where that figure comes from. A value
// type with no opinion on its source, so that the figures can come from the
// article's table, from a benchmark run's cells, or (later) from a capacity run's
// sustainable throughput within a latency target.

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace sa::advisor {

// Where a figure comes from. Every figure the advisor shows carries one.
enum class Provenance { Measured, Published, Assumed };
QString provenanceId(Provenance provenance); // "measured", "published", "assumed"
QString provenanceTitle(Provenance provenance); // "measured here", "published", "assumed"

// What a throughput figure is.
enum class Throughput {
    Saturated, // the most a server served under closed-loop load (wrk-style), whatever its latency
    Sustainable, // the highest rate served with p99 within a latency target
};
QString throughputId(Throughput throughput); // "saturated", "sustainable"
QString throughputTitle(Throughput throughput); // "saturated throughput", "sustainable throughput"

struct StackEvidence
{
    QString stack; // "Go", "Python", or a third measured stack ("Node.js"); the verdict is Go/Python/Hybrid
    QString server; // display label of the server the figure came from: "Go (Gin)", "Go · Fiber"
    QString framework; // "Gin"
    QString targetId; // the server's catalog id when measured (for its colour), else empty
    double requestsPerSecond = 0; // the figure as measured or published
    double serverCores = 0; // the cores that figure was served with
    Provenance coresProvenance = Provenance::Measured; // the article's cores are assumed
    double requestsPerCore = 0; // requestsPerSecond / serverCores
    Provenance provenance = Provenance::Published;
    QString
        source; // "run 7 of 2026-11-27: JSON API, 1,000 connections, 1 server core" or the article's table
    Throughput throughput = Throughput::Saturated;
    double latencyTargetMs = 0; // for Sustainable: the p99 target it was held to
    // The doubts about the measured cell the figure came from ("load generator
    // saturated; rounds differ by 14 %"), said wherever the figure is; else empty.
    QString caveat;
    // For Sustainable: µs of server CPU per completed request at the sustainable
    // rate, measured with it (0 = not measured). The figure that carries to other machines.
    double cpuUsPerRequest = 0;

    QJsonObject toJson() const;
};

struct CapacityEvidence
{
    QList<StackEvidence> stacks; // Go and Python first when present
    Provenance provenance = Provenance::Published; // of the Go and Python figures
    QString label; // "published, not measured here" / "measured here"
    QString note; // what the figures mean and what they assume, for people
    QString fallbackReason; // why a run was not used (e.g. no completed Python cell), else empty
    // The same run with PostgreSQL in the loop (bench::DatabaseGap::summary(), with
    // which run): how much of the Go/Python gap remains there. "" when the run
    // has no database scenario; the traffic criterion cites it.
    QString databaseGap;

    const StackEvidence *stack(QStringView name) const;
    // Both stacks of the verdict have a usable figure.
    bool isComplete() const;
    QJsonObject toJson() const;
};

} // namespace sa::advisor
