#include "gui.h"

#include "mainwindow.h"

#include "advisor/advisorpage.h"
#include "advisor/recommendationview.h"
#include "bench/benchmarkpage.h"
#include "history/historypage.h"
#include "report/reportpage.h"
#include "store/resultstore.h"
#include "widgets/wheelguard.h"

#include "platform/paths.h"

#include <QApplication>
#include <QIcon>

namespace sa::ui {

int runGui(int &argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("stackadvisor"));
    QApplication::setApplicationDisplayName(QStringLiteral("Stack Advisor"));
    QApplication::setOrganizationName(QStringLiteral("StackAdvisor"));
    QApplication::setApplicationVersion(sa::Paths::appVersion());
    QApplication::setDesktopFileName(QStringLiteral("io.github.stackadvisor.StackAdvisor"));
    // The installed icon theme's copy (hicolor); from the build tree, the source SVG.
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("io.github.stackadvisor.StackAdvisor"),
        QIcon(sa::Paths::resourceFile(QStringLiteral("icons/stackadvisor.svg")))));

    // The history outlives both pages that use it (declared before the window).
    sa::store::ResultStore history;
    MainWindow window;
    auto *advisorPage = new AdvisorPage;
    window.addPage(QObject::tr("Advisor"),
        QObject::tr("Answer the questionnaire: Go, Python or Hybrid, explained"), advisorPage);
    auto *benchmarkPage = new BenchmarkPage(&history);
    auto *historyPage = new HistoryPage(&history);
    window.addPage(QObject::tr("Benchmark"),
        QObject::tr("Run the sample servers on this machine and compare them"), benchmarkPage);
    window.addPage(
        QObject::tr("History"), QObject::tr("Past benchmark runs: open, compare, delete"), historyPage);
    QObject::connect(benchmarkPage, &BenchmarkPage::runFinished, historyPage,
        [historyPage](const sa::bench::RunResult &run) {
            historyPage->refresh();
            if (run.id >= 0)
                historyPage->selectRun(run.id);
        });
    // The advisor uses the evidence: capacity and cost at the stated peak from
    // the last run of the history and then from every new run.
    QObject::connect(benchmarkPage, &BenchmarkPage::runFinished, advisorPage, &AdvisorPage::setRun);
    // …and a capacity run holds the p99 target the answers imply.
    QObject::connect(
        advisorPage, &AdvisorPage::recommendationChanged, benchmarkPage, &BenchmarkPage::setRecommendation);
    // The history page says why the history cannot be opened; a latest run that
    // cannot be read is said there too, so the advisor's missing figures have a reason.
    if (QString error; history.isOpen() || history.open(&error)) {
        if (const std::optional<qint64> id = history.latestId()) {
            if (const std::optional<sa::bench::RunResult> run = history.load(*id, &error)) {
                advisorPage->setRun(*run);
            } else {
                historyPage->setStatus(QObject::tr(
                    "The latest run (%1) could not be read, so the Advisor shows no measured figures: %2")
                                           .arg(*id)
                                           .arg(error));
            }
        }
    }
    // Report: the Advisor's recommendation and the last finished run (or one picked
    // from the history on the Report page), previewed and exported as PDF.
    auto *reportPage = new ReportPage(&history);
    window.addPage(
        QObject::tr("Report"), QObject::tr("Preview the report and export it as PDF (Ctrl+E)"), reportPage);
    reportPage->setRecommendation(advisorPage->recommendation());
    benchmarkPage->setRecommendation(advisorPage->recommendation());
    QObject::connect(
        advisorPage, &AdvisorPage::recommendationChanged, reportPage, &ReportPage::setRecommendation);
    QObject::connect(benchmarkPage, &BenchmarkPage::runFinished, reportPage, &ReportPage::setRun);
    // Closing mid-run asks, and keeps the partial run (saved as cancelled) when told to stop.
    window.setCloseGuard(
        [benchmarkPage, &window] { return benchmarkPage->confirmClose([&window] { window.close(); }); });
    // The wheel scrolls pages, not the spin box under the pointer.
    installWheelGuard();
    guardWheelIn(&window);
    window.show();
    return app.exec();
}

} // namespace sa::ui
