// What the Benchmark page does for a person beyond running: the remedies it
// offers when a target's requests time out (and what their buttons set), the
// question it asks when the window closes during a run (keep running, or stop,
// save and close), and the wheel guard (the mouse wheel scrolls the page, not the
// spin box under the pointer). Against the capacity fixture, a real server of
// known service time (tests/fixtures/capacityfixture.cpp), and a temporary SQLite
// history.

#include "bench/benchmarkpage.h"
#include "bench/runanalysis.h"
#include "pagetest.h"
#include "store/resultstore.h"
#include "widgets/wheelguard.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <memory>

using namespace Qt::StringLiterals;
using sa::bench::BenchmarkPlan;
using sa::bench::RunResult;
using sa::ui::BenchmarkPage;

namespace {

const QString &kFixture = sa::test::kCapacityFixture;

// Clicks the button named `text` of the next modal message box, once it is shown.
void answerNextQuestion(const QString &objectName, const QString &text, QString *seen)
{
    auto *poll = new QTimer(qApp);
    poll->setInterval(20);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, objectName, text, seen] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box || box->objectName() != objectName)
            return;
        *seen = box->text();
        for (QAbstractButton *button : box->buttons()) {
            if (button->text() == text) {
                poll->stop();
                poll->deleteLater();
                button->click();
                return;
            }
        }
    });
    poll->start();
}

QWheelEvent wheelUp(QWidget *widget)
{
    const QPointF at(widget->width() / 2.0, widget->height() / 2.0);
    return QWheelEvent(at, widget->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
        Qt::NoScrollPhase, false);
}

} // namespace

class TestPageGuards final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<sa::store::ResultStore> m_store;

    std::unique_ptr<BenchmarkPage> makePage()
    {
        auto page = std::make_unique<BenchmarkPage>(m_store.get());
        page->resize(1280, 900);
        page->show();
        return page;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"StackAdvisorTest"_s);
        QCoreApplication::setApplicationName(u"tst_pageguards"_s);
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        QVERIFY2(QFile::exists(kFixture), qPrintable(kFixture));
        // 50 ms a request, one at a time: 16 connections queue 0.8 s of work, so
        // with a 0.5 s timeout most requests time out; 1 ms: a steady run to close on.
        using sa::test::fixtureServer;
        QVERIFY(sa::test::useUserCatalog(m_dir.filePath(u"user.json"_s),
            { fixtureServer(u"fx-slow"_s, u"Slow 50 ms"_s, u"#1f77b4"_s, { u"--service-us"_s, u"50000"_s }),
                fixtureServer(
                    u"fx-quick"_s, u"Quick 1 ms"_s, u"#2ca02c"_s, { u"--service-us"_s, u"1000"_s }) }));
        m_store = std::make_unique<sa::store::ResultStore>(m_dir.filePath(u"history.sqlite"_s));
        QString error;
        QVERIFY2(m_store->open(&error), qPrintable(error));
    }

    // A target whose requests timed out: the page says so and offers what would
    // help; each button sets its control and says what to do next.
    void timeoutsOfferRemedies()
    {
        auto page = makePage();
        BenchmarkPlan plan;
        plan.rounds = 1;
        plan.targetIds = { u"fx-slow"_s };
        plan.durationSeconds = 3;
        plan.warmupSeconds = 0;
        plan.connectionLevels = { 16 };
        plan.timeoutSeconds = 0.5;
        page->setPlan(plan);
        QCOMPARE(page->selectedTargets(), plan.targetIds);
        auto *remedies = page->findChild<QWidget *>(u"remedies"_s);
        auto *fewer = page->findChild<QPushButton *>(u"remedyConnections"_s);
        auto *workers = page->findChild<QPushButton *>(u"remedyWorkers"_s);
        auto *longer = page->findChild<QPushButton *>(u"remedyTimeout"_s);
        auto *connections = page->findChild<QSpinBox *>(u"connections"_s);
        auto *timeout = page->findChild<QDoubleSpinBox *>(u"timeout"_s);
        QVERIFY(remedies && fewer && workers && longer && connections && timeout);
        QVERIFY(!remedies->isVisibleTo(page.get()));

        QSignalSpy finished(page.get(), &BenchmarkPage::runFinished);
        page->runComparison();
        QVERIFY2(page->isRunning(), qPrintable(page->statusText()));
        QVERIFY(finished.wait(60000));
        const RunResult run = finished.first().first().value<RunResult>();
        QCOMPARE(run.targets.size(), 1);
        const sa::bench::TargetResult &t = run.targets.constFirst();
        // Most requests timed out (the cell may count as failed for it), some completed.
        QVERIFY2(t.requests > 0 && t.errors.timeout > 0 && 2 * t.errors.timeout >= t.errors.total(),
            qPrintable(u"%1 timeouts of %2 errors, %3 completed; %4"_s.arg(t.errors.timeout)
                           .arg(t.errors.total())
                           .arg(t.requests)
                           .arg(t.failureReason)));

        // What the analysis says would help is what the page offers.
        const sa::bench::CellAnalysis &cell = page->analysis().cells().constFirst();
        QVERIFY(!cell.remedies.isEmpty());
        QVERIFY(remedies->isVisibleTo(page.get()));
        const QString said = remedies->findChild<QLabel *>()->text();
        QVERIFY2(said.contains(u"Slow 50 ms timed out"_s), qPrintable(said));
        QVERIFY(fewer->isVisibleTo(page.get()));
        QCOMPARE(fewer->text(), u"Use 5 connections"_s); // half of 16, rounded down to 1-2-5
        QVERIFY(longer->isVisibleTo(page.get()));
        QCOMPARE(longer->text(), u"Use a 1 s timeout"_s); // twice the run's 0.5 s
        const bool offersWorkers = std::any_of(cell.remedies.cbegin(), cell.remedies.cend(),
            [](const sa::bench::Remedy &r) { return r.kind == sa::bench::Remedy::Kind::MoreWorkers; });
        QCOMPARE(workers->isVisibleTo(page.get()), offersWorkers);
        sa::test::saveScreenshot(page.get(), u"remedies.png"_s, u"pageguards"_s);

        QTest::mouseClick(fewer, Qt::LeftButton);
        QCOMPARE(connections->value(), 5);
        QVERIFY2(page->statusText().contains(u"Connections set to 5"_s), qPrintable(page->statusText()));
        QCOMPARE(page->plan().connectionLevels, QList<int> { 5 });
        QTest::mouseClick(longer, Qt::LeftButton);
        QCOMPARE(timeout->value(), 1.0);
        QVERIFY2(
            page->statusText().contains(u"Request timeout set to 1 s"_s), qPrintable(page->statusText()));
        QCOMPARE(page->plan().timeoutSeconds, 1.0);
    }

    // Closing during a run asks first: "Keep running" leaves the run going;
    // "Stop, save and close" cancels it, saves what it measured, then closes.
    void closingDuringARunAsks()
    {
        auto page = makePage();
        BenchmarkPlan plan;
        plan.rounds = 1;
        plan.targetIds = { u"fx-quick"_s };
        plan.durationSeconds = 60;
        plan.warmupSeconds = 0;
        plan.connectionLevels = { 8 };
        page->setPlan(plan);
        int closed = 0;
        const auto close = [&closed] { ++closed; };

        QVERIFY(page->confirmClose(close)); // nothing runs: it may close at once
        QCOMPARE(closed, 0);

        QSignalSpy samples(&page->runner(), &sa::bench::BenchmarkRunner::sampleReady);
        QSignalSpy finished(page.get(), &BenchmarkPage::runFinished);
        page->runComparison();
        QVERIFY(page->isRunning());
        QVERIFY(samples.wait(30000));

        QString question;
        answerNextQuestion(u"closeWhileRunning"_s, u"Keep running"_s, &question);
        QVERIFY(!page->confirmClose(close));
        QVERIFY2(question.startsWith(u"Quick 1 ms"_s) && question.contains(u"is being measured"_s),
            qPrintable(question));
        QTest::qWait(500);
        QVERIFY(page->isRunning());
        QCOMPARE(closed, 0);
        QCOMPARE(finished.size(), 0);

        answerNextQuestion(u"closeWhileRunning"_s, u"Stop, save and close"_s, &question);
        QVERIFY(!page->confirmClose(close)); // the window stays until the run is saved
        QTRY_COMPARE_WITH_TIMEOUT(closed, 1, 20000);
        QCOMPARE(finished.size(), 1);
        const RunResult run = finished.first().first().value<RunResult>();
        QCOMPARE(run.status, sa::bench::RunStatus::Cancelled);
        QVERIFY(run.id >= 0);
        QString error;
        const auto saved = m_store->load(run.id, &error);
        QVERIFY2(saved, qPrintable(error));
        QCOMPARE(saved->status, sa::bench::RunStatus::Cancelled);
        QVERIFY(!page->isRunning());
        QVERIFY(page->confirmClose(close));
    }

    // The wheel over a spin box or a combo box that has no focus scrolls the page;
    // once it is focused, the wheel changes it.
    void wheelScrollsThePageNotTheField()
    {
        sa::ui::installWheelGuard();
        QScrollArea area;
        auto *content = new QWidget;
        auto *layout = new QVBoxLayout(content);
        auto *name = new QLineEdit(content); // where the focus is, as on a page being filled in
        layout->addWidget(name);
        auto *spin = new QSpinBox(content);
        spin->setRange(0, 100);
        spin->setValue(5);
        auto *combo = new QComboBox(content);
        combo->addItems({ u"one"_s, u"two"_s, u"three"_s });
        layout->addWidget(spin);
        layout->addWidget(combo);
        layout->addSpacing(3000);
        area.setWidget(content);
        area.resize(400, 300);
        area.show();
        QVERIFY(QTest::qWaitForWindowExposed(&area));
        area.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&area));
        name->setFocus();
        QTRY_VERIFY(name->hasFocus());
        QVERIFY(!spin->hasFocus() && !combo->hasFocus());
        // The wheel cannot give them focus (Qt's default for a spin box would).
        QCOMPARE(spin->focusPolicy(), Qt::StrongFocus);
        QCOMPARE(combo->focusPolicy(), Qt::StrongFocus);

        QWheelEvent overSpin = wheelUp(spin);
        QApplication::sendEvent(spin, &overSpin);
        QCOMPARE(spin->value(), 5);
        QVERIFY(!overSpin.isAccepted()); // left for the scroll area
        QWheelEvent overCombo = wheelUp(combo);
        QApplication::sendEvent(combo, &overCombo);
        QCOMPARE(combo->currentIndex(), 0);
        QVERIFY(!overCombo.isAccepted());

        spin->setFocus();
        QTRY_VERIFY(spin->hasFocus());
        QWheelEvent focused = wheelUp(spin);
        QApplication::sendEvent(spin, &focused);
        QCOMPARE(spin->value(), 6);
    }

    void cleanupTestCase() { m_store.reset(); }
};

QTEST_MAIN(TestPageGuards)
#include "tst_pageguards.moc"
