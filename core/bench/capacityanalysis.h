#pragma once

// What a capacity run's steps mean: per cell, the sustainable throughput within
// the latency target (always with the steps behind it), the knee, server CPU per
// request at the common rate and at the sustainable rate, and memory per worker;
// per target, the scaling over server cores and the cores and servers it needs at
// the stated peak. Computed once, by RunAnalysis::analyse(); the CLI, the GUI, the
// CSV, the JSON export and the PDF render it.

#include "capacitysweep.h"
#include "results.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QVariant>

#include <functional>
#include <optional>

namespace sa::bench {

struct CellAnalysis;
class RunAnalysis;

// One cell's sweep, read.
struct CellCapacity
{
    bool swept = false; // the cell ran capacity steps
    SweepReading reading;
    double closedLoopRate = 0; // the cell's closed-loop maximum, req/s
    int serverCores = 0; // the server CPUs of the cell
    int workers = 0;
    // The offered rate of the sustainable step; 0 when no step was sustained.
    double sustainableRate = 0;
    // Every step was sustained: the server may sustain more than the highest step.
    bool sustainableIsLowerBound = false;
    double kneeRate = 0; // the offered rate of the knee step; 0 when none
    double requestsPerCore = 0; // sustainableRate / serverCores
    // Server CPU per completed request (µs) at the plan's common rate and at the
    // sustainable step; nullopt when there is no such step.
    std::optional<double> cpuUsPerRequestCommon;
    bool commonSustained = false; // the common-rate step was sustained
    int commonStep = -1; // its index in the steps
    std::optional<double> cpuUsPerRequestSustainable;
    qint64 memoryPerWorkerBytes = 0; // mean PSS at the sustainable step ÷ workers; 0 = unknown
    QString summary; // the sustainable rate with the steps behind it, for a person

    const CapacityStep *sustainableStep(const TargetResult &t) const;
    const CapacityStep *kneeStep(const TargetResult &t) const;
};

// The sustainable rate of one target at one server-core count.
struct ScalingPoint
{
    int serverCores = 0;
    double sustainableRate = 0;
    double efficiency = 0; // sustainableRate ÷ (serverCores × the fewest-core figure per core)
    int cellIndex = -1;
};

// One target (with its scenario and connections) across its cells.
struct CapacityTarget
{
    QString targetId;
    QString name;
    QString language;
    Scenario scenario = Scenario::Json;
    int connections = 0;
    QList<ScalingPoint> scaling; // ascending server cores, only those with a sustainable rate
    int cellIndex = -1; // the cell the peak figures come from: the most server cores measured
    int serverCores = 0;
    double sustainableRate = 0;
    double requestsPerCore = 0; // at that cell
    double coresAtPeak = 0;
    int serversAtPeak = 0;
    QString source; // where the figure comes from, in one sentence
};

struct CapacitySummary
{
    bool isCapacityRun = false;
    double latencyTargetMs = 0;
    double peakRequestsPerSecond = 0;
    double headroom = 0;
    int coresPerServer = 0;
    double commonRate = 0;
    bool commonRateSustainedByAll = false;
    bool scalingMeasured = false;
    QList<CapacityTarget> targets; // those with a sustainable rate, fewest cores at the peak first
    QString method; // how the steps ran and what counts as sustained
    QString scalingNote; // what was measured of scaling, and what is assumed
    QString peakNote; // the peak, the latency target and the headroom, in words
    QString commonNote; // the common rate: who sustained it

    const CapacityTarget *target(const QString &targetId) const;
    QJsonObject toJson(const RunAnalysis &analysis) const;
};

// Reads every cell's sweep and the run's capacity figures. `cells` are the
// analysis's cells, in RunResult::targets order.
void analyseCapacity(const RunResult &run, const QList<CellAnalysis> &cells,
    QList<CellCapacity> *cellCapacity, CapacitySummary *summary);

// Server CPU per completed request at a step, in µs; nullopt when nothing completed.
std::optional<double> cpuMicrosecondsPerRequest(const CapacityStep &step);

// ---- the tables -------------------------------------------------------------

// The columns of the capacity table (one row per swept cell), for the CLI, the
// GUI, the PDF and the CSV; the same struct as the results table's columns.
struct ResultColumn;
enum class ResultView;
QList<ResultColumn> capacityColumns(ResultView view);

// One column of a sweep's step table.
struct StepColumn
{
    QString key; // stable id, CSV header: "offered_rps"
    QString title; // "Offered req/s"
    QString unit;
    QString toolTip;
    bool numeric = false;
    std::function<QVariant(const CapacityStep &, const StepVerdict &)> raw;
    std::function<QString(const CapacityStep &, const StepVerdict &)> text;
};
const QList<StepColumn> &capacityStepColumns();

// The cells that ran steps, in run order.
QList<const CellAnalysis *> sweptCells(const RunAnalysis &analysis);
// The capacity table as aligned plain text (`stackadvisor bench --capacity`).
QString capacityTableText(const RunAnalysis &analysis);
// One cell's steps as aligned plain text, lowest offered rate first.
QString capacityStepsText(const RunAnalysis &analysis, const CellAnalysis &cell);
// Every step of every swept cell, one row each: target columns then the step columns.
QString capacityStepsCsv(const RunAnalysis &analysis);

} // namespace sa::bench
