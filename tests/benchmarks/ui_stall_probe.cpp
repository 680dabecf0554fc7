// ui_stall_probe: how responsive the GUI thread stays while the Benchmark page
// runs a real comparison. A 20 ms timer records its own lateness (how long after
// its due time it actually fired); any work that blocks the GUI thread shows up
// as lateness. Measured twice — page idle, then during a run — and printed side
// by side, with the GUI thread's CPU share (from /proc/self/task/<tid>/stat).
//
//   ui_stall_probe [--targets id,id] [--duration S] [--warmup S] [--connections N] [--idle S]
//
// Run by tests/benchmarks/ui_stall_probe.sh; not a test (no pass/fail).

#include "bench/benchmarkpage.h"
#include "store/resultstore.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace {

// utime + stime of the GUI (main) thread, in seconds.
double guiThreadCpuSeconds()
{
    QFile stat(QStringLiteral("/proc/self/task/%1/stat").arg(::getpid()));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    // After "(comm) ": state is field 0, utime field 11, stime field 12.
    if (fields.size() < 13)
        return 0;
    const double ticks = double(::sysconf(_SC_CLK_TCK));
    return (fields.at(11).toDouble() + fields.at(12).toDouble()) / ticks;
}

struct Probe
{
    QList<double> latenessMs;
    double cpuSeconds = 0;
    double wallSeconds = 0;
};

// Runs the event loop until `done` fires (or timeoutMs passes), probing all along.
Probe probeUntil(QObject *sender, const char *doneSignal, int timeoutMs)
{
    constexpr int kPeriodMs = 20;
    Probe probe;
    QEventLoop loop;
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.setInterval(kPeriodMs);
    QElapsedTimer clock;
    qint64 last = 0;
    QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
        const qint64 now = clock.nsecsElapsed();
        probe.latenessMs << std::max(0.0, double(now - last) / 1e6 - kPeriodMs);
        last = now;
    });
    if (sender)
        QObject::connect(sender, doneSignal, &loop, SLOT(quit()));
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    const double cpuBefore = guiThreadCpuSeconds();
    clock.start();
    timer.start();
    loop.exec();
    probe.wallSeconds = double(clock.nsecsElapsed()) / 1e9;
    probe.cpuSeconds = guiThreadCpuSeconds() - cpuBefore;
    return probe;
}

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto index = qsizetype(std::min(double(values.size() - 1), p / 100.0 * double(values.size())));
    return values.at(index);
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("StackAdvisorProbe"));
    QCoreApplication::setApplicationName(QStringLiteral("ui_stall_probe"));
    // Temporary settings and history: the probe leaves the user's alone.
    QStandardPaths::setTestModeEnabled(true);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("GUI-thread stall probe during a benchmark run"));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("targets"), QStringLiteral("Comma-separated target ids (default: every available)"), QStringLiteral("ids")});
    parser.addOption({QStringLiteral("duration"), QStringLiteral("Measured window per target, seconds"), QStringLiteral("s"), QStringLiteral("5")});
    parser.addOption({QStringLiteral("warmup"), QStringLiteral("Warm-up per target, seconds"), QStringLiteral("s"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("connections"), QStringLiteral("Concurrent connections"), QStringLiteral("n"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("idle"), QStringLiteral("Idle baseline, seconds"), QStringLiteral("s"), QStringLiteral("3")});
    parser.process(app);

    QTemporaryDir dir;
    sa::store::ResultStore store(dir.filePath(QStringLiteral("history.sqlite")));
    sa::ui::BenchmarkPage page(&store);
    page.resize(1280, 800);
    page.show();

    sa::bench::BenchmarkPlan plan = page.plan();
    plan.targetIds = parser.isSet(QStringLiteral("targets"))
        ? parser.value(QStringLiteral("targets")).split(QLatin1Char(','), Qt::SkipEmptyParts)
        : page.catalog().availableIds();
    plan.durationSeconds = parser.value(QStringLiteral("duration")).toDouble();
    plan.warmupSeconds = parser.value(QStringLiteral("warmup")).toDouble();
    plan.connectionLevels = {parser.value(QStringLiteral("connections")).toInt()};
    page.setPlan(plan);
    if (page.selectedTargets().isEmpty()) {
        std::fprintf(stderr, "ui_stall_probe: none of the targets is available; run `make servers`\n");
        return 2;
    }

    const Probe idle = probeUntil(nullptr, nullptr, int(parser.value(QStringLiteral("idle")).toDouble() * 1000));
    page.runComparison();
    if (!page.isRunning()) {
        std::fprintf(stderr, "ui_stall_probe: the run did not start: %s\n", qPrintable(page.statusText()));
        return 1;
    }
    const Probe run = probeUntil(&page, SIGNAL(runFinished(sa::bench::RunResult)), 3600 * 1000);

    const auto row = [](const char *name, const Probe &p) {
        std::printf("%-8s %8lld %10.2f %10.2f %10.2f %12.1f %9.1f\n", name, static_cast<long long>(p.latenessMs.size()),
                    percentile(p.latenessMs, 50), percentile(p.latenessMs, 99),
                    percentile(p.latenessMs, 100), 100.0 * p.cpuSeconds / std::max(1e-9, p.wallSeconds), p.wallSeconds);
    };
    std::printf("targets: %s; %g s warm-up + %g s per target, %d connections\n",
                qPrintable(page.selectedTargets().join(QLatin1Char(','))), plan.warmupSeconds, plan.durationSeconds,
                plan.connectionLevels.first());
    std::printf("%-8s %8s %10s %10s %10s %12s %9s\n", "phase", "ticks", "p50 ms", "p99 ms", "max ms", "GUI CPU %", "wall s");
    row("idle", idle);
    row("run", run);
    std::printf("p99 lateness, run / idle: %.2fx; GUI thread CPU during the run: %.1f %% of one core\n",
                percentile(run.latenessMs, 99) / std::max(0.01, percentile(idle.latenessMs, 99)),
                100.0 * run.cpuSeconds / std::max(1e-9, run.wallSeconds));
    std::printf("status: %s\n", qPrintable(page.statusText()));
    return 0;
}
