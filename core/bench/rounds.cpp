#include "rounds.h"

#include "latencyhistogram.h"

#include <algorithm>
#include <cmath>

namespace sa::bench {

namespace {

bool hasFigures(const TargetResult &t)
{
    return t.requests > 0 && t.durationSeconds > 0;
}

template<typename Read> double medianOf(const QList<const TargetResult *> &rounds, Read read)
{
    QList<double> values;
    for (const TargetResult *round : rounds)
        values << double(read(*round));
    return median(values);
}

LatencySummary medianLatency(const QList<const LatencySummary *> &summaries)
{
    const auto of = [&summaries](double LatencySummary::*field) {
        QList<double> values;
        for (const LatencySummary *summary : summaries)
            values << summary->*field;
        return median(values);
    };
    LatencySummary l;
    l.minUs = of(&LatencySummary::minUs);
    l.meanUs = of(&LatencySummary::meanUs);
    l.stdevUs = of(&LatencySummary::stdevUs);
    l.p50Us = of(&LatencySummary::p50Us);
    l.p75Us = of(&LatencySummary::p75Us);
    l.p90Us = of(&LatencySummary::p90Us);
    l.p99Us = of(&LatencySummary::p99Us);
    l.p999Us = of(&LatencySummary::p999Us);
    l.p9999Us = of(&LatencySummary::p9999Us);
    l.maxUs = of(&LatencySummary::maxUs);
    return l;
}

QString roundName(const TargetResult &round, int plannedRounds)
{
    return QStringLiteral("round %1 of %2").arg(round.round).arg(std::max(plannedRounds, round.round));
}

} // namespace

double roundFigure(const TargetResult &round, RoundFigure figure)
{
    switch (figure) {
    case RoundFigure::RequestsPerSecond:
        return round.requestsPerSecond;
    case RoundFigure::LatencyP50:
        return round.latency.p50Us;
    case RoundFigure::LatencyP90:
        return round.latency.p90Us;
    case RoundFigure::LatencyP99:
        return round.latency.p99Us;
    case RoundFigure::LatencyMean:
        return round.latency.meanUs;
    case RoundFigure::PeakPss:
        return double(round.memory.peakPssBytes);
    case RoundFigure::CpuMean:
        return round.cpuPercentMean;
    }
    return 0;
}

double median(QList<double> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype middle = values.size() / 2;
    return values.size() % 2 == 1 ? values.at(middle) : (values.at(middle - 1) + values.at(middle)) / 2.0;
}

FigureSpread spreadOf(const QList<double> &values)
{
    FigureSpread spread;
    spread.rounds = int(values.size());
    if (values.isEmpty())
        return spread;
    spread.median = median(values);
    spread.min = *std::min_element(values.cbegin(), values.cend());
    spread.max = *std::max_element(values.cbegin(), values.cend());
    if (values.size() >= 2) {
        double sum = 0;
        for (double v : values)
            sum += v;
        const double mean = sum / double(values.size());
        double squares = 0;
        for (double v : values)
            squares += (v - mean) * (v - mean);
        const double stdev = std::sqrt(squares / double(values.size() - 1));
        spread.cv = mean > 0 ? stdev / mean : 0;
    }
    return spread;
}

QList<const TargetResult *> countedRounds(const TargetResult &cell)
{
    QList<const TargetResult *> counted;
    if (cell.rounds.empty()) {
        counted << &cell;
        return counted;
    }
    for (const TargetResult &round : cell.rounds) {
        if (round.status == TargetStatus::Completed && hasFigures(round))
            counted << &round;
    }
    if (!counted.isEmpty())
        return counted;
    for (const TargetResult &round : cell.rounds) {
        if (hasFigures(round))
            counted << &round;
    }
    return counted;
}

FigureSpread cellSpread(const TargetResult &cell, RoundFigure figure)
{
    QList<double> values;
    for (const TargetResult *round : countedRounds(cell)) {
        if (hasFigures(*round))
            values << roundFigure(*round, figure);
    }
    return spreadOf(values);
}

void combineRounds(TargetResult &cell, int plannedRounds)
{
    if (cell.rounds.empty())
        return;
    const std::vector<TargetResult> &rounds = cell.rounds;
    const bool several = plannedRounds > 1 || rounds.size() > 1;

    // Status: the first failure is the cell's; else a cancel; else completed.
    cell.status = TargetStatus::Completed;
    cell.failureReason.clear();
    for (TargetStatus worst : { TargetStatus::Failed, TargetStatus::Cancelled }) {
        const auto it = std::find_if(
            rounds.cbegin(), rounds.cend(), [worst](const TargetResult &r) { return r.status == worst; });
        if (it != rounds.cend()) {
            cell.status = worst;
            cell.failureReason = several
                ? roundName(*it, plannedRounds) + QStringLiteral(": ") + it->failureReason
                : it->failureReason;
            break;
        }
    }

    const QList<const TargetResult *> counted = countedRounds(cell);
    // The settings and the build are the same in every round; the first says them.
    const TargetResult &first = rounds.front();
    cell.workers = first.workers;
    cell.serverCpus = first.serverCpus;
    cell.loadCpus = first.loadCpus;
    cell.loadThreads = first.loadThreads;
    cell.loadIdle = first.loadIdle;
    cell.deployableBytes = first.deployableBytes;
    cell.deployableWhat = first.deployableWhat;

    cell.durationSeconds = 0;
    cell.requests = 0;
    cell.bytesRead = 0;
    cell.loadPollingSeconds = 0;
    cell.errors = {};
    for (const TargetResult *round : counted) {
        cell.durationSeconds += round->durationSeconds;
        cell.loadPollingSeconds += round->loadPollingSeconds;
        cell.requests += round->requests;
        cell.bytesRead += round->bytesRead;
        cell.errors.connect += round->errors.connect;
        cell.errors.read += round->errors.read;
        cell.errors.timeout += round->errors.timeout;
        cell.errors.status += round->errors.status;
        cell.errors.parse += round->errors.parse;
    }
    cell.requestsPerSecond = medianOf(counted, [](const TargetResult &r) { return r.requestsPerSecond; });
    QList<const LatencySummary *> latencies;
    QList<const LatencySummary *> uncorrected;
    for (const TargetResult *round : counted) {
        latencies << &round->latency;
        if (round->uncorrectedLatency)
            uncorrected << &*round->uncorrectedLatency;
    }
    cell.latency = medianLatency(latencies);
    cell.uncorrectedLatency.reset();
    if (!uncorrected.isEmpty() && uncorrected.size() == latencies.size())
        cell.uncorrectedLatency = medianLatency(uncorrected);
    cell.memory.idleRssBytes
        = qint64(medianOf(counted, [](const TargetResult &r) { return r.memory.idleRssBytes; }));
    cell.memory.idlePssBytes
        = qint64(medianOf(counted, [](const TargetResult &r) { return r.memory.idlePssBytes; }));
    cell.memory.meanRssBytes
        = qint64(medianOf(counted, [](const TargetResult &r) { return r.memory.meanRssBytes; }));
    cell.memory.meanPssBytes
        = qint64(medianOf(counted, [](const TargetResult &r) { return r.memory.meanPssBytes; }));
    cell.memory.peakRssBytes
        = qint64(medianOf(counted, [](const TargetResult &r) { return r.memory.peakRssBytes; }));
    cell.memory.peakPssBytes
        = qint64(medianOf(counted, [](const TargetResult &r) { return r.memory.peakPssBytes; }));
    cell.cpuPercentMean = medianOf(counted, [](const TargetResult &r) { return r.cpuPercentMean; });
    cell.cpuPercentPeak = medianOf(counted, [](const TargetResult &r) { return r.cpuPercentPeak; });

    // PostgreSQL's figures: the medians of the rounds that sampled it, as the
    // server's; its driver and pool from the first round whose /info answered.
    QList<const TargetResult *> sampled;
    for (const TargetResult *round : counted) {
        if (round->database)
            sampled << round;
    }
    if (!sampled.isEmpty()) {
        DatabaseCellStats d = *sampled.constFirst()->database;
        d.cpuPercentMean
            = medianOf(sampled, [](const TargetResult &r) { return r.database->cpuPercentMean; });
        d.cpuPercentPeak
            = medianOf(sampled, [](const TargetResult &r) { return r.database->cpuPercentPeak; });
        d.idlePssBytes
            = qint64(medianOf(sampled, [](const TargetResult &r) { return r.database->idlePssBytes; }));
        d.meanPssBytes
            = qint64(medianOf(sampled, [](const TargetResult &r) { return r.database->meanPssBytes; }));
        d.peakPssBytes
            = qint64(medianOf(sampled, [](const TargetResult &r) { return r.database->peakPssBytes; }));
        const auto answered = std::find_if(sampled.cbegin(), sampled.cend(),
            [](const TargetResult *r) { return r->database->client.has_value(); });
        if (answered != sampled.cend()) {
            d.client = (*answered)->database->client;
            d.clientError.clear();
        }
        cell.database = d;
    }

    cell.generatorSaturated = false;
    cell.saturationReason.clear();
    for (const TargetResult *round : counted) {
        if (round->generatorSaturated) {
            cell.generatorSaturated = true;
            cell.saturationReason = several
                ? roundName(*round, plannedRounds) + QStringLiteral(": ") + round->saturationReason
                : round->saturationReason;
            break;
        }
    }

    // The median round: the counted round whose req/s is nearest the median
    // (the earlier of two equally near), else the first round that ran.
    const TargetResult *middle = &first;
    double nearest = -1;
    for (const TargetResult *round : counted) {
        const double distance = std::abs(round->requestsPerSecond - cell.requestsPerSecond);
        if (nearest < 0 || distance < nearest) {
            nearest = distance;
            middle = round;
        }
    }
    if (counted.isEmpty()) {
        const auto failed = std::find_if(rounds.cbegin(), rounds.cend(),
            [](const TargetResult &r) { return r.status != TargetStatus::Completed; });
        if (failed != rounds.cend())
            middle = &*failed;
    }
    cell.timeline = middle->timeline;
    cell.logPath = middle->logPath;

    QList<QList<LatencyBucket>> histograms;
    for (const TargetResult *round : counted)
        histograms << round->latencyHistogram;
    cell.latencyHistogram = mergeLatencyHistograms(histograms);
}

} // namespace sa::bench
