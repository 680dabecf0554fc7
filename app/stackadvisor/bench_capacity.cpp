#include "bench_capacity.h"

#include "cli.h"

#include "bench/benchmarkrunner.h"
#include "bench/capacityanalysis.h"
#include "bench/capacitysweep.h"
#include "bench/format.h"
#include "bench/runanalysis.h"

#include <QCommandLineParser>

#include <memory>

using namespace Qt::StringLiterals;

namespace sa::cli {

namespace {

// "100ms", "0.25s", or a bare number of milliseconds.
std::optional<double> parseMilliseconds(const QString &text)
{
    QString number = text.trimmed();
    double factor = 1.0;
    if (number.endsWith(u"ms"_s)) {
        number.chop(2);
    } else if (number.endsWith(u's')) {
        number.chop(1);
        factor = 1000.0;
    }
    bool ok = false;
    const double value = number.toDouble(&ok);
    return ok && value > 0 ? std::optional<double>(value * factor) : std::nullopt;
}

// "3s", "500ms", or a bare number of seconds.
std::optional<double> parseSeconds(const QString &text)
{
    QString number = text.trimmed();
    double factor = 1.0;
    if (number.endsWith(u"ms"_s)) {
        number.chop(2);
        factor = 0.001;
    } else if (number.endsWith(u's')) {
        number.chop(1);
    }
    bool ok = false;
    const double value = number.toDouble(&ok);
    return ok && value >= 0 ? std::optional<double>(value * factor) : std::nullopt;
}

} // namespace

QString capacityHelpText()
{
    return u"Capacity (latency against offered load):\n"
           "  --capacity            Per target: the closed-loop maximum, then open-loop steps from 10 %\n"
           "                        to 120 % of it with bisection near the knee; reports the sustainable\n"
           "                        throughput within the latency target, CPU per request and memory\n"
           "                        per worker, and the cores and servers at the peak. The closed-loop\n"
           "                        window is 5 s after a 2 s warm-up unless --duration/--warmup say\n"
           "                        otherwise; the default connections are 1000, as for a comparison\n"
           "  --latency-target T    p99 a step must stay within, e.g. 100ms (default 100ms; a bare number\n"
           "                        is milliseconds)\n"
           "  --step T              Measured window of each step (default 3s; longer at low rates, for\n"
           "                        1,000 requests, up to twice as long)\n"
           "  --step-warmup T       Warm-up of each step, not counted (default 1s)\n"
           "  --common-rate R       Every target also runs a step at R req/s, so that CPU per request is\n"
           "                        compared at the same load (default 500; 0 = none)\n"
           "  --scaling LIST        Server core counts to measure, e.g. 1,2,4 (each a cell of its own;\n"
           "                        default: the server's cores only, scaling not measured)\n"
           "  --peak R              The peak to size for, req/s (default 10000, the article's line)\n"
           "  --headroom PERCENT    Share of each core's sustainable throughput kept free (default 30)\n"
           "  --cores-per-server N  Cores of one server, to count servers (default 8)\n"
           "  --steps-csv FILE      Write every step, one row each, as CSV\n"_s;
}

std::optional<QString> readCapacityPlan(const QCommandLineParser &parser, const CapacityOptions &o,
    bool durationGiven, bool warmupGiven, bench::BenchmarkPlan *plan)
{
    bench::CapacityPlan &c = plan->capacity;
    const bool wanted = parser.isSet(o.capacity);
    if (!wanted) {
        for (const QCommandLineOption &option : o.all()) {
            if (parser.isSet(option) && option.names() != o.stepsCsv.names())
                return u"--%1 needs --capacity"_s.arg(option.names().constFirst());
        }
        if (parser.isSet(o.stepsCsv))
            return u"--steps-csv needs --capacity (or --show of a capacity run)"_s;
        return std::nullopt;
    }
    c.enabled = true;
    if (plan->openLoopRate > 0)
        return u"--rate and --capacity do not go together: the capacity run chooses its own rates"_s;
    if (!durationGiven)
        plan->durationSeconds = 5;
    if (!warmupGiven)
        plan->warmupSeconds = 2;
    if (parser.isSet(o.latencyTarget)) {
        const auto ms = parseMilliseconds(parser.value(o.latencyTarget));
        if (!ms)
            return u"--latency-target '%1' is not a positive time such as 100ms or 0.25s"_s.arg(
                parser.value(o.latencyTarget));
        c.latencyTargetMs = *ms;
    }
    if (parser.isSet(o.step)) {
        const auto seconds = parseSeconds(parser.value(o.step));
        if (!seconds || *seconds <= 0)
            return u"--step '%1' is not a positive time such as 3s or 500ms"_s.arg(parser.value(o.step));
        c.stepSeconds = *seconds;
    }
    if (parser.isSet(o.stepWarmup)) {
        const auto seconds = parseSeconds(parser.value(o.stepWarmup));
        if (!seconds)
            return u"--step-warmup '%1' is not a time such as 1s or 0s"_s.arg(parser.value(o.stepWarmup));
        c.stepWarmupSeconds = *seconds;
    }
    const auto number = [&parser](const QCommandLineOption &option, double *value) {
        bool ok = false;
        const double parsed = parser.value(option).toDouble(&ok);
        if (ok)
            *value = parsed;
        return ok;
    };
    if (parser.isSet(o.commonRate) && !number(o.commonRate, &c.commonRate))
        return u"--common-rate '%1' is not a number of requests per second (0 = none)"_s.arg(
            parser.value(o.commonRate));
    if (parser.isSet(o.peak) && !number(o.peak, &c.peakRequestsPerSecond))
        return u"--peak '%1' is not a number of requests per second"_s.arg(parser.value(o.peak));
    if (parser.isSet(o.headroom)) {
        double percent = 0;
        if (!number(o.headroom, &percent))
            return u"--headroom '%1' is not a percentage such as 30"_s.arg(parser.value(o.headroom));
        c.headroom = percent / 100.0;
    }
    if (parser.isSet(o.coresPerServer)) {
        bool ok = false;
        c.coresPerServer = parser.value(o.coresPerServer).toInt(&ok);
        if (!ok)
            return u"--cores-per-server '%1' is not a whole number"_s.arg(parser.value(o.coresPerServer));
    }
    if (parser.isSet(o.scaling)) {
        c.scalingCores.clear();
        for (const QString &part : parser.value(o.scaling).split(u',', Qt::SkipEmptyParts)) {
            bool ok = false;
            const int cores = part.trimmed().toInt(&ok);
            if (!ok)
                return u"--scaling '%1' is not a list of core counts such as 1,2,4"_s.arg(
                    parser.value(o.scaling));
            c.scalingCores << cores;
        }
    }
    // The rest of the checks are the runner's, in the same words for the GUI.
    if (const QString problem = bench::validateCapacityPlan(c); !problem.isEmpty())
        return problem;
    return std::nullopt;
}

QString capacityText(const bench::RunAnalysis &analysis)
{
    const bench::CapacitySummary &summary = analysis.capacitySummary();
    if (!summary.isCapacityRun)
        return {};
    QString text = u"\nCapacity within p99 ≤ %1 ms:\n"_s.arg(
        fmt::number(summary.latencyTargetMs, summary.latencyTargetMs < 10 ? 1 : 0));
    text += bench::capacityTableText(analysis);
    for (const bench::CellAnalysis *cell : bench::sweptCells(analysis)) {
        const bench::TargetResult &t = analysis.result(*cell);
        text += u"\nSteps of %1 (%2), ▶ sustainable, × the knee:\n"_s.arg(cell->name, t.targetId);
        text += bench::capacityStepsText(analysis, *cell);
        text += u"%1: %2; %3.\n"_s.arg(t.targetId, analysis.capacity(*cell).summary, t.capacity->stopReason);
    }
    text += u"\nMethod: "_s + summary.method + u'\n';
    text += u"Common rate: "_s + summary.commonNote + u'\n';
    text += u"Scaling: "_s + summary.scalingNote + u'\n';
    text += u"At the peak: "_s + summary.peakNote + u'\n';
    return text;
}

void printCapacityProgress(bench::BenchmarkRunner &runner)
{
    auto cell = std::make_shared<std::pair<int, int>>(0, 0);
    QObject::connect(&runner, &bench::BenchmarkRunner::cellStarted, &runner,
        [cell](const QString &, int index, int count) {
            *cell = { index, count };
        });
    const auto prefix = [cell](const QString &id) {
        return u"[%1/%2] %3"_s.arg(cell->first + 1).arg(cell->second).arg(id);
    };
    QObject::connect(&runner, &bench::BenchmarkRunner::capacityStepStarted, &runner,
        [prefix](const QString &id, int step, double rate, double seconds) {
            printErr(u"%1: step %2 at %3 req/s (%4)\n"_s.arg(prefix(id))
                         .arg(step + 1)
                         .arg(fmt::number(rate), fmt::seconds(std::round(seconds * 10) / 10)));
        });
    QObject::connect(&runner, &bench::BenchmarkRunner::capacityStepFinished, &runner,
        [prefix, &runner](const QString &id, int step, const bench::CapacityStep &s) {
            const bench::StepVerdict verdict = bench::evaluateStep(s, runner.result().plan.capacity);
            printErr(
                u"%1: step %2: %3 of %4 req/s, p99 %5 ms, CPU %6 %: %7\n"_s.arg(prefix(id))
                    .arg(step + 1)
                    .arg(fmt::number(s.achievedRate), fmt::number(s.offeredRate),
                        fmt::milliseconds(s.latency.p99Us), fmt::number(s.cpuPercentMean), verdict.text));
        });
}

} // namespace sa::cli
