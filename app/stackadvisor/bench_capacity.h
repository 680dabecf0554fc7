#pragma once

// `stackadvisor bench --capacity`: its options, how they fill the plan, the
// capacity part of the text output and its progress lines. The figures are core's
// (RunAnalysis::capacitySummary()); this file only reads options and prints.

#include <QCommandLineOption>
#include <QList>
#include <QString>

#include <optional>

class QCommandLineParser;

namespace sa::bench {
class BenchmarkRunner;
class RunAnalysis;
struct BenchmarkPlan;
} // namespace sa::bench

namespace sa::cli {

struct CapacityOptions
{
    QCommandLineOption capacity { QStringLiteral("capacity") };
    QCommandLineOption latencyTarget { QStringLiteral("latency-target"), QString(), QStringLiteral("T") };
    QCommandLineOption step { QStringLiteral("step"), QString(), QStringLiteral("T") };
    QCommandLineOption stepWarmup { QStringLiteral("step-warmup"), QString(), QStringLiteral("T") };
    QCommandLineOption commonRate { QStringLiteral("common-rate"), QString(), QStringLiteral("R") };
    QCommandLineOption scaling { QStringLiteral("scaling"), QString(), QStringLiteral("LIST") };
    QCommandLineOption peak { QStringLiteral("peak"), QString(), QStringLiteral("R") };
    QCommandLineOption headroom { QStringLiteral("headroom"), QString(), QStringLiteral("PERCENT") };
    QCommandLineOption coresPerServer { QStringLiteral("cores-per-server"), QString(), QStringLiteral("N") };
    QCommandLineOption stepsCsv { QStringLiteral("steps-csv"), QString(), QStringLiteral("FILE") };

    QList<QCommandLineOption> all() const
    {
        return { capacity, latencyTarget, step, stepWarmup, commonRate, scaling, peak, headroom,
            coresPerServer, stepsCsv };
    }
};

// The help section of these options.
QString capacityHelpText();

// Fills plan->capacity from the options. With --capacity and no --duration or
// --warmup, the closed-loop window that seeds the steps is shortened to 5 s after
// a 2 s warm-up. On bad input returns the message (what was wrong, how to fix it).
std::optional<QString> readCapacityPlan(const QCommandLineParser &parser, const CapacityOptions &options,
    bool durationGiven, bool warmupGiven, sa::bench::BenchmarkPlan *plan);

// The capacity part of the text output; "" for a run without capacity steps.
QString capacityText(const sa::bench::RunAnalysis &analysis);

// One line on stderr per step: its rate when it starts, what it measured when it ends.
void printCapacityProgress(sa::bench::BenchmarkRunner &runner);

} // namespace sa::cli
