// ui_stall_probe: how responsive the GUI thread stays while the Benchmark page
// runs a real comparison. A 20 ms timer records its own lateness (how long after
// its due time it actually fired); any work that blocks the GUI thread shows up
// as lateness. Measured twice — page idle, then during a run — and printed side
// by side, with the GUI thread's CPU share (from /proc/self/task/<tid>/stat).
//
//   ui_stall_probe [--targets id,id] [--duration S] [--warmup S] [--connections N] [--idle S]
//                  [--screenshots DIR] [--dark] [--size WxH]
//
// With --screenshots it also saves the real window (Benchmark page after the run,
// History page with the run open) as PNG: the README's screenshots come from here,
// under xvfb-run. --dark uses a dark palette to check readability.
// Run by tests/benchmarks/ui_stall_probe.sh; not a test (no pass/fail).

#include "advisor/advisorpage.h"
#include "advisor/recommendationview.h"
#include "bench/benchmarkpage.h"
#include "history/historypage.h"
#include "mainwindow.h"
#include "store/resultstore.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QPalette>
#include <QScreen>
#include <QSettings>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QTabWidget>
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

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2B, 0x2B, 0x2B));
    p.setColor(QPalette::WindowText, QColor(0xE6, 0xE6, 0xE6));
    p.setColor(QPalette::Base, QColor(0x1F, 0x1F, 0x1F));
    p.setColor(QPalette::AlternateBase, QColor(0x2A, 0x2A, 0x2A));
    p.setColor(QPalette::Text, QColor(0xE6, 0xE6, 0xE6));
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, QColor(0xE6, 0xE6, 0xE6));
    p.setColor(QPalette::Highlight, QColor(0x2F, 0x6F, 0xDB));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ToolTipText, QColor(0xE6, 0xE6, 0xE6));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    return p;
}

// The window as the display shows it (the X framebuffer under xvfb), falling
// back to the widget's own rendering on platforms without one.
void capture(QWidget *window, const QString &path)
{
    QCoreApplication::processEvents();
    QPixmap pixmap;
    if (QScreen *screen = window->screen(); screen && QGuiApplication::platformName() == QLatin1String("xcb"))
        pixmap = screen->grabWindow(window->winId());
    if (pixmap.isNull())
        pixmap = window->grab();
    if (!pixmap.save(path))
        std::fprintf(stderr, "ui_stall_probe: cannot write %s\n", qPrintable(path));
    else
        std::printf("screenshot: %s\n", qPrintable(path));
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("StackAdvisorProbe"));
    QCoreApplication::setApplicationName(QStringLiteral("ui_stall_probe"));
    // Temporary settings and history: the probe leaves the user's alone.
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear(); // every probe starts from the defaults a new user sees

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("GUI-thread stall probe during a benchmark run"));
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("targets"),
        QStringLiteral("Comma-separated target ids (default: every available)"), QStringLiteral("ids") });
    parser.addOption({ QStringLiteral("duration"), QStringLiteral("Measured window per target, seconds"),
        QStringLiteral("s"), QStringLiteral("5") });
    parser.addOption({ QStringLiteral("warmup"), QStringLiteral("Warm-up per target, seconds"),
        QStringLiteral("s"), QStringLiteral("1") });
    parser.addOption({ QStringLiteral("connections"), QStringLiteral("Concurrent connections"),
        QStringLiteral("n"), QStringLiteral("1000") });
    parser.addOption({ QStringLiteral("idle"), QStringLiteral("Idle baseline, seconds"), QStringLiteral("s"),
        QStringLiteral("3") });
    parser.addOption({ QStringLiteral("screenshots"),
        QStringLiteral("Save the window's pages as PNG into this folder"), QStringLiteral("dir") });
    parser.addOption({ QStringLiteral("dark"), QStringLiteral("Use a dark palette") });
    parser.addOption({ QStringLiteral("size"), QStringLiteral("Window size"), QStringLiteral("WxH"),
        QStringLiteral("1280x800") });
    parser.process(app);
    if (parser.isSet(QStringLiteral("dark"))) {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(darkPalette());
    }
    const QStringList size = parser.value(QStringLiteral("size")).split(QLatin1Char('x'));
    if (size.size() != 2 || size.at(0).toInt() < 200 || size.at(1).toInt() < 200) {
        std::fprintf(stderr, "ui_stall_probe: --size must look like 1280x800\n");
        return 2;
    }

    QTemporaryDir dir;
    sa::store::ResultStore store(dir.filePath(QStringLiteral("history.sqlite")));
    // The app's window with the advisor and the two benchmark areas, as gui.cpp
    // builds it (the report area is left out: it plays no part in a run).
    sa::ui::MainWindow window;
    auto *advisor = new sa::ui::AdvisorPage;
    window.addPage(QObject::tr("Advisor"),
        QObject::tr("Answer the questionnaire: Go, Python or Hybrid, explained"), advisor);
    auto *pagePointer = new sa::ui::BenchmarkPage(&store);
    QObject::connect(pagePointer, &sa::ui::BenchmarkPage::runFinished, advisor, &sa::ui::AdvisorPage::setRun);
    auto *history = new sa::ui::HistoryPage(&store);
    window.addPage(QObject::tr("Benchmark"),
        QObject::tr("Run the sample servers on this machine and compare them"), pagePointer);
    window.addPage(
        QObject::tr("History"), QObject::tr("Past benchmark runs: open, compare, delete"), history);
    sa::ui::BenchmarkPage &page = *pagePointer;
    window.resize(size.at(0).toInt(), size.at(1).toInt());
    window.show();
    window.showPage(pagePointer);

    sa::bench::BenchmarkPlan plan = page.plan();
    plan.targetIds = parser.isSet(QStringLiteral("targets"))
        ? parser.value(QStringLiteral("targets")).split(QLatin1Char(','), Qt::SkipEmptyParts)
        : page.catalog().availableIds();
    plan.durationSeconds = parser.value(QStringLiteral("duration")).toDouble();
    plan.warmupSeconds = parser.value(QStringLiteral("warmup")).toDouble();
    plan.connectionLevels = { parser.value(QStringLiteral("connections")).toInt() };
    page.setPlan(plan);
    if (page.selectedTargets().isEmpty()) {
        std::fprintf(stderr, "ui_stall_probe: none of the targets is available; run `make servers`\n");
        return 2;
    }

    const Probe idle
        = probeUntil(nullptr, nullptr, int(parser.value(QStringLiteral("idle")).toDouble() * 1000));
    page.runComparison();
    if (!page.isRunning()) {
        std::fprintf(stderr, "ui_stall_probe: the run did not start: %s\n", qPrintable(page.statusText()));
        return 1;
    }
    const Probe run = probeUntil(&page, SIGNAL(runFinished(sa::bench::RunResult)), 3600 * 1000);

    const auto row = [](const char *name, const Probe &p) {
        std::printf("%-8s %8lld %10.2f %10.2f %10.2f %12.1f %9.1f\n", name,
            static_cast<long long>(p.latenessMs.size()), percentile(p.latenessMs, 50),
            percentile(p.latenessMs, 99), percentile(p.latenessMs, 100),
            100.0 * p.cpuSeconds / std::max(1e-9, p.wallSeconds), p.wallSeconds);
    };
    std::printf("targets: %s; %g s warm-up + %g s per target, %d connections\n",
        qPrintable(page.selectedTargets().join(QLatin1Char(','))), plan.warmupSeconds, plan.durationSeconds,
        plan.connectionLevels.first());
    std::printf("%-8s %8s %10s %10s %10s %12s %9s\n", "phase", "ticks", "p50 ms", "p99 ms", "max ms",
        "GUI CPU %", "wall s");
    row("idle", idle);
    row("run", run);
    std::printf("p99 lateness, run / idle: %.2fx; GUI thread CPU during the run: %.1f %% of one core\n",
        percentile(run.latenessMs, 99) / std::max(0.01, percentile(idle.latenessMs, 99)),
        100.0 * run.cpuSeconds / std::max(1e-9, run.wallSeconds));
    std::printf("status: %s\n", qPrintable(page.statusText()));

    if (parser.isSet(QStringLiteral("screenshots"))) {
        const QDir out(parser.value(QStringLiteral("screenshots")));
        QDir().mkpath(out.path());
        auto *tabs = page.findChild<QTabWidget *>(QStringLiteral("benchmarkTabs"));
        const QString suffix = parser.isSet(QStringLiteral("dark")) ? QStringLiteral("-dark") : QString();
        capture(&window, out.filePath(QStringLiteral("benchmark%1.png").arg(suffix)));
        tabs->setCurrentIndex(0);
        capture(&window, out.filePath(QStringLiteral("benchmark-live%1.png").arg(suffix)));
        tabs->setCurrentIndex(2);
        capture(&window, out.filePath(QStringLiteral("benchmark-table%1.png").arg(suffix)));
        tabs->setCurrentIndex(3);
        capture(&window, out.filePath(QStringLiteral("benchmark-claims%1.png").arg(suffix)));
        window.showPage(history);
        history->refresh();
        if (const std::optional<qint64> id = store.latestId())
            history->selectRun(*id);
        capture(&window, out.filePath(QStringLiteral("history%1.png").arg(suffix)));
        window.showPage(advisor);
        capture(&window, out.filePath(QStringLiteral("advisor-capacity%1.png").arg(suffix)));
    }
    return 0;
}
