// The Advisor page driven like a user would: keys and clicks on the generated
// questionnaire, the live verdict and its confidence, the models behind the
// tables, capacity and cost from a run and an edited price, comparing two answer
// sets, saving and loading answers, restoring the last answers, and screenshots
// to look at.

#include "advisor/advisorpage.h"
#include "advisor/comparisonview.h"
#include "advisor/criteriamodel.h"
#include "advisor/decisiontablemodel.h"
#include "advisor/questionnaireform.h"
#include "advisor/recommendationview.h"
#include "bench/benchmarkpage.h"
#include "bench/capacitypanel.h"
#include "history/historypage.h"
#include "mainwindow.h"
#include "report/reportpage.h"
#include "store/resultstore.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QDialog>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <tuple>

using namespace Qt::StringLiterals;
using sa::advisor::Verdict;
using sa::ui::AdvisorPage;

class TestAdvisorPage final : public QObject
{
    Q_OBJECT

private:
    template<typename T> static T *find(AdvisorPage &page, const QString &name)
    {
        T *widget = page.form()->findChild<T *>(name);
        if (!widget)
            qWarning("no widget named %s", qPrintable(name));
        return widget;
    }

    static void click(AdvisorPage &page, const QString &questionId, const QString &optionId)
    {
        auto *button = find<QAbstractButton>(page, u"option-%1-%2"_s.arg(questionId, optionId));
        QVERIFY(button);
        QVERIFY(button->isVisible());
        // On the indicator: a radio button only reacts to clicks on its indicator and text.
        QTest::mouseClick(button, Qt::LeftButton, {}, QPoint(8, button->height() / 2));
    }

    static void typePeak(AdvisorPage &page, int value)
    {
        auto *spinBox = find<QSpinBox>(page, u"question-peak-rps"_s);
        QVERIFY(spinBox);
        // "Not sure yet" first: a number is typed once the box is unticked.
        auto *unsure = find<QCheckBox>(page, u"option-peak-rps-unsure"_s);
        QVERIFY(unsure);
        if (unsure->isChecked()) {
            QTest::mouseClick(unsure, Qt::LeftButton, {}, QPoint(8, unsure->height() / 2));
            QVERIFY(!unsure->isChecked());
        }
        QVERIFY(spinBox->isEnabled());
        spinBox->setFocus();
        QTest::keyClick(spinBox, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(spinBox, QString::number(value));
        QTest::keyClick(spinBox, Qt::Key_Return);
        QCOMPARE(spinBox->value(), value);
    }

    // The article's high-traffic microservice API with a Go team, entered by hand.
    static void fillHighTrafficGoTeam(AdvisorPage &page)
    {
        typePeak(page, 25000);
        click(page, u"ai-ml"_s, u"none"_s);
        click(page, u"stage"_s, u"established"_s);
        click(page, u"architecture"_s, u"microservices"_s);
        click(page, u"deployment"_s, u"cloud-native"_s);
        click(page, u"performance"_s, u"critical"_s);
        click(page, u"workload"_s, u"realtime"_s);
        click(page, u"team"_s, u"go"_s);
        // Keyboard only for the last one: focus the radio button, press space.
        auto *minimal = find<QAbstractButton>(page, u"option-ecosystem-minimal"_s);
        QVERIFY(minimal);
        minimal->setFocus();
        QTest::keyClick(minimal, Qt::Key_Space);
        QVERIFY(minimal->isChecked());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // QSettings go to a test location
        QCoreApplication::setOrganizationName(u"StackAdvisorTests"_s);
        QCoreApplication::setApplicationName(u"tst_advisorpage"_s);
    }

    void init() { QSettings().clear(); }

    // The peak takes "25,000", "25 000" and "25k" as typed, and "Not sure yet".
    void peakAsPeopleTypeIt_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<int>("value");
        QTest::addRow("25,000") << u"25,000"_s << 25000;
        QTest::addRow("25 000") << u"25 000"_s << 25000;
        QTest::addRow("25k") << u"25k"_s << 25000;
        QTest::addRow("2.5k") << u"2.5k"_s << 2500;
    }

    void peakAsPeopleTypeIt()
    {
        QFETCH(QString, typed);
        QFETCH(int, value);
        AdvisorPage page;
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto *unsure = find<QCheckBox>(page, u"option-peak-rps-unsure"_s);
        auto *spinBox = find<QSpinBox>(page, u"question-peak-rps"_s);
        QVERIFY(unsure->isChecked());
        QVERIFY(!spinBox->isEnabled());
        QTest::mouseClick(unsure, Qt::LeftButton, {}, QPoint(8, unsure->height() / 2));
        QVERIFY(spinBox->isEnabled());
        spinBox->setFocus();
        QTest::keyClick(spinBox, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(spinBox, typed);
        QTest::keyClick(spinBox, Qt::Key_Return);
        QCOMPARE(spinBox->value(), value);
        QCOMPARE(page.recommendation().answers.constFirst().value.toDouble(), double(value));
        QTest::mouseClick(unsure, Qt::LeftButton, {}, QPoint(8, unsure->height() / 2));
        QCOMPARE(page.recommendation().answers.constFirst().value.toString(), u"unsure"_s);
        QVERIFY(!page.recommendation().capacity.peak);
    }

    void fillQuestionnaireGivesGo()
    {
        AdvisorPage page;
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(page.form());

        // The testers watch every reset and change the answers below cause.
        auto *criteria = page.recommendationView()->criteriaModel();
        QAbstractItemModelTester criteriaTester(
            criteria, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto *decision = page.recommendationView()->decisionTableModel();
        QAbstractItemModelTester decisionTester(
            decision, QAbstractItemModelTester::FailureReportingMode::QtTest);

        QSignalSpy changed(&page, &AdvisorPage::recommendationChanged);
        fillHighTrafficGoTeam(page);
        // Live: every changed answer re-scored — from "Not sure" everywhere, all nine
        // answers change, and the peak twice (unticked, then typed).
        QCOMPARE(changed.count(), 10);

        const auto &recommendation = page.recommendation();
        QCOMPARE(recommendation.verdict, Verdict::Go);
        QCOMPARE(page.recommendationView()->verdictText(), u"Verdict: Go"_s);
        QVERIFY(recommendation.goScore > recommendation.pythonScore);

        QCOMPARE(criteria->rowCount(), recommendation.contributions.size());
        QCOMPARE(criteria->columnCount(), int(sa::ui::CriteriaModel::ColumnCount));
        int trafficRow = -1;
        for (int row = 0; row < criteria->rowCount(); ++row) {
            if (criteria->index(row, 0).data(sa::ui::CriteriaModel::CriterionIdRole).toString()
                == u"traffic"_s)
                trafficRow = row;
        }
        QVERIFY(trafficRow >= 0);
        const QModelIndex goCell = criteria->index(trafficRow, sa::ui::CriteriaModel::GoColumn);
        QVERIFY(goCell.data(sa::ui::CriteriaModel::ValueRole).toDouble() > 0);
        QVERIFY(criteria->index(trafficRow, sa::ui::CriteriaModel::WhyColumn)
                    .data()
                    .toString()
                    .contains(u"more than 10,000 requests per second"_s));

        QCOMPARE(decision->rowCount(), 6);
        QVERIFY(decision->index(0, 0)
                    .data(sa::ui::DecisionTableModel::RelevantRole)
                    .toBool()); // high-traffic API
        QVERIFY(!decision->index(1, 0).data(sa::ui::DecisionTableModel::RelevantRole).toBool()); // AI/ML
        QVERIFY(decision->index(0, 0).data(Qt::BackgroundRole).isValid());
        // The copy-error note shows with the row.
        const QModelIndex learningPython = decision->index(5, sa::ui::DecisionTableModel::PythonColumn);
        QVERIFY(learningPython.data().toString().startsWith(u"Larger images"_s));
        QVERIFY(!learningPython.data(sa::ui::DecisionTableModel::NoteRole).toString().isEmpty());

        // Live update: a Python team with an AI MVP turns it around.
        changed.clear();
        click(page, u"ai-ml"_s, u"core"_s);
        QCOMPARE(changed.count(), 1);
        QVERIFY(decision->index(1, 0).data(sa::ui::DecisionTableModel::RelevantRole).toBool());
        typePeak(page, 300);
        click(page, u"team"_s, u"python"_s);
        click(page, u"stage"_s, u"mvp"_s);
        click(page, u"ecosystem"_s, u"broad"_s);
        // Latency is still critical, a need Python serves badly: Python for the product, Go for those paths.
        QCOMPARE(page.recommendation().verdict, Verdict::Hybrid);
        QVERIFY(page.recommendation().headline.contains(u"Go for the latency-critical paths"_s));
        click(page, u"performance"_s, u"relaxed"_s);
        QCOMPARE(page.recommendation().verdict, Verdict::Python);
        QVERIFY(page.recommendationView()->verdictText().contains(u"Python"_s));
    }

    // A run's figures are the capacity criterion's evidence: cited and scored.
    void capacityFromTheRun()
    {
        AdvisorPage page;
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(page.form());
        fillHighTrafficGoTeam(page);
        auto *criteria = page.recommendationView()->criteriaModel();
        QAbstractItemModelTester tester(criteria, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto trafficWhy = [criteria] {
            for (int row = 0; row < criteria->rowCount(); ++row) {
                if (criteria->index(row, 0).data(sa::ui::CriteriaModel::CriterionIdRole).toString()
                    == u"traffic"_s)
                    return criteria->index(row, sa::ui::CriteriaModel::WhyColumn).data().toString();
            }
            return QString();
        };
        QVERIFY(!trafficWhy().contains(u"Measured"_s));
        QVERIFY(page.capacityPanel()->provenance().contains(u"published, not measured here"_s));
        const double goScore = page.recommendation().goScore;

        sa::bench::RunResult run;
        run.id = 3;
        run.startedAt = QDateTime(QDate(2026, 11, 27), QTime(2, 0), Qt::UTC);
        for (const auto &[id, language, rps] : { std::tuple(u"go-fiber"_s, u"Go"_s, 52000.0),
                 std::tuple(u"python-fastapi"_s, u"Python"_s, 5200.0) }) {
            sa::bench::TargetResult cell;
            cell.status = sa::bench::TargetStatus::Completed;
            cell.targetId = id;
            cell.displayName = language + u" · "_s + id;
            cell.language = language;
            cell.connections = 1000;
            cell.durationSeconds = 1;
            cell.requests = qint64(rps);
            cell.requestsPerSecond = rps;
            run.targets << cell;
        }
        QSignalSpy changed(&page, &AdvisorPage::recommendationChanged);
        page.setRun(run);
        QCOMPARE(changed.count(), 1);
        QVERIFY2(trafficWhy().contains(u"Measured: Go · go-fiber, run 3 of 2026-11-27: 52,000 req/s"_s),
            qPrintable(trafficWhy()));
        // Scored, not only cited: 25,000 req/s × (1/5,200 − 1/52,000) = 4.3 extra cores, not the
        // article's 7.3.
        QVERIFY(page.recommendation().goScore < goScore);
        QVERIFY(page.capacityPanel()->provenance().contains(u"measured here"_s));
        QTableWidget *table = page.capacityPanel()->table();
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(table->item(0, 0)->text(), u"Go · go-fiber"_s);
        QCOMPARE(table->item(0, 4)->text(), u"0.48"_s); // 25,000 / 52,000 cores
        QCOMPARE(table->item(1, 4)->text(), u"4.8"_s);
        QVERIFY(page.capacityPanel()->summary().contains(u"At your peak of 25,000 req/s"_s));
        // The Go-vs-Python reading of the run, beside the article's 8–10×: 52,000 / 5,200.
        QVERIFY2(page.capacityPanel()->trafficEvidence().contains(u"Go 10.0× Python"_s)
                && page.capacityPanel()->trafficEvidence().contains(u"8–10×"_s),
            qPrintable(page.capacityPanel()->trafficEvidence()));
    }

    // The price per vCPU-month is editable; it changes the cost, not the points, and is kept.
    void priceIsEditable()
    {
        double points = 0;
        QString cost;
        {
            AdvisorPage page;
            page.resize(1280, 800);
            page.show();
            QVERIFY(QTest::qWaitForWindowExposed(&page));
            fillHighTrafficGoTeam(page);
            points = page.recommendation().goScore;
            QDoubleSpinBox *price = page.capacityPanel()->priceEditor();
            QCOMPARE(price->value(), page.recommendation().capacity.cost.pricePerVcpuMonth);
            QCOMPARE(page.recommendation().capacity.cost.priceLabel, u"illustrative"_s);
            QSignalSpy changed(&page, &AdvisorPage::recommendationChanged);
            price->setFocus();
            QTest::keyClick(price, Qt::Key_A, Qt::ControlModifier);
            QTest::keyClicks(price, u"62"_s);
            QTest::keyClick(price, Qt::Key_Return);
            QCOMPARE(changed.count(), 1);
            QCOMPARE(page.recommendation().capacity.cost.pricePerVcpuMonth, 62.0);
            QCOMPARE(page.recommendation().capacity.cost.priceLabel, u"set by you"_s);
            QCOMPARE(page.recommendation().goScore, points);
            QVERIFY(page.capacityPanel()->assumptions().contains(u"$62 per vCPU-month, set by you"_s));
            cost = page.capacityPanel()->table()->item(2, 6)->text();
        }
        AdvisorPage again; // restored from QSettings
        QCOMPARE(again.recommendation().capacity.cost.pricePerVcpuMonth, 62.0);
        QCOMPARE(again.capacityPanel()->table()->item(2, 6)->text(), cost);
    }

    // Confidence as shown: "Too close to call — leaning X" with what would decide it, or the level.
    void confidenceDisplay()
    {
        AdvisorPage page;
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        // "Not sure" everywhere: nothing favours either stack.
        QCOMPARE(page.recommendation().confidence, sa::advisor::Confidence::Low);
        QCOMPARE(page.recommendationView()->verdictText(), u"Too close to call — leaning Python"_s);
        const QString confidence = page.recommendationView()->confidenceText();
        QVERIFY2(confidence.startsWith(u"Confidence: low."_s), qPrintable(confidence));
        QVERIFY(!page.recommendation().decidingFlips.isEmpty());
        for (const auto &flip : page.recommendation().decidingFlips)
            QVERIFY2(confidence.contains(flip.sentence), qPrintable(confidence));
        QVERIFY(page.capacityPanel()->summary().contains(u"State your peak"_s));
        for (int pass = 0; pass < 3; ++pass)
            QCoreApplication::processEvents();
        QDir().mkpath(QStringLiteral(STACKADVISOR_ARTIFACTS_DIR));
        QVERIFY(page.grab().save(QStringLiteral(STACKADVISOR_ARTIFACTS_DIR "/advisor-too-close.png")));

        fillHighTrafficGoTeam(page);
        QCOMPARE(page.recommendation().confidence, sa::advisor::Confidence::High);
        QCOMPARE(page.recommendationView()->verdictText(), u"Verdict: Go"_s);
        QVERIFY(page.recommendationView()->confidenceText().startsWith(u"Confidence: high."_s));
    }

    // Two answer sets side by side, in a window of their own.
    void compareTwoAnswerSets()
    {
        AdvisorPage page;
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QString error;
        QVERIFY(page.openAnswers(
            QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/data/low-traffic-crud-new-team.json"), &error));
        QVERIFY(!page.comparisonView());
        QVERIFY(!page.compareWith(
            QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/data/bad-answers/several-problems.json"), &error));
        QCOMPARE(error.count(u'\n'), 3); // four problems, all of them
        QVERIFY(!page.comparisonView());
        QVERIFY2(page.compareWith(
                     QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/data/profiles/python-team-20k-api.json"),
                     &error),
            qPrintable(error));
        sa::ui::ComparisonView *view = page.comparisonView();
        QVERIFY(view);
        auto *dialog = page.findChild<QDialog *>(u"comparisonDialog"_s);
        QVERIFY(dialog && dialog->isVisible());
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QCOMPARE(view->verdictText(0), u"Verdict: Python"_s);
        QCOMPARE(view->verdictText(1), u"Too close to call — leaning Hybrid"_s);
        QVERIFY2(view->summaryText().contains(u"Your answers"_s)
                && view->summaryText().contains(u"python-team-20k-api.json"_s),
            qPrintable(view->summaryText()));
        const auto &comparison = view->comparison();
        QCOMPARE(view->criteriaTable()->rowCount(), comparison.criteria.size());
        QVERIFY(view->criteriaTable()->rowCount() >= 3);
        QCOMPARE(view->answersTable()->rowCount(), comparison.answers.size());
        bool team = false;
        for (int row = 0; row < view->criteriaTable()->rowCount(); ++row)
            team = team || view->criteriaTable()->item(row, 0)->text() == u"Team experience"_s;
        QVERIFY(team);
        for (int pass = 0; pass < 3; ++pass)
            QCoreApplication::processEvents();
        QDir().mkpath(QStringLiteral(STACKADVISOR_ARTIFACTS_DIR));
        QVERIFY(dialog->grab().save(QStringLiteral(STACKADVISOR_ARTIFACTS_DIR "/advisor-comparison.png")));
    }

    void screenshot()
    {
        AdvisorPage page;
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QString error;
        QVERIFY2(page.openAnswers(
                     QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/data/high-traffic-with-ml.json"), &error),
            qPrintable(error));
        QCOMPARE(page.recommendation().verdict, Verdict::Hybrid);
        QVERIFY(!page.recommendationView()->flipsText().isEmpty());
        // Let the layouts settle on the new texts: row heights first, then the tables' heights.
        for (int pass = 0; pass < 3; ++pass)
            QCoreApplication::processEvents();
        QDir().mkpath(QStringLiteral(STACKADVISOR_ARTIFACTS_DIR));
        const QString path = QStringLiteral(STACKADVISOR_ARTIFACTS_DIR "/advisor-page.png");
        QVERIFY(page.grab().save(path));
        QVERIFY(QFile(path).size() > 10000);
        // The whole recommendation, below the fold too (capacity, flips, decision table, notes).
        const QString viewPath = QStringLiteral(STACKADVISOR_ARTIFACTS_DIR "/advisor-recommendation.png");
        QVERIFY(page.recommendationView()->grab().save(viewPath));
        // The form's peak: typed as people type it, "Not sure" beside it.
        QVERIFY(page.form()->grab().save(QStringLiteral(STACKADVISOR_ARTIFACTS_DIR "/advisor-form.png")));
    }

    // The real window, as gui.cpp builds it, for the README: a Hybrid, and nothing answered yet.
    void windowScreenshots()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        sa::store::ResultStore store(dir.filePath(u"history.sqlite"_s));
        sa::ui::MainWindow window;
        auto *page = new AdvisorPage;
        window.addPage(QObject::tr("Advisor"), QObject::tr("Answer the questionnaire"), page);
        window.addPage(
            QObject::tr("Benchmark"), QObject::tr("Run the servers"), new sa::ui::BenchmarkPage(&store));
        window.addPage(QObject::tr("History"), QObject::tr("Past runs"), new sa::ui::HistoryPage(&store));
        window.addPage(QObject::tr("Report"), QObject::tr("The report"), new sa::ui::ReportPage(&store));
        window.resize(1280, 800);
        window.show();
        window.showPage(page);
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QDir().mkpath(QStringLiteral(STACKADVISOR_ARTIFACTS_DIR));
        const auto settle = [] {
            for (int pass = 0; pass < 3; ++pass)
                QCoreApplication::processEvents();
        };
        settle();
        QVERIFY(
            window.grab().save(QStringLiteral(STACKADVISOR_ARTIFACTS_DIR "/advisor-window-too-close.png")));
        QString error;
        QVERIFY2(page->openAnswers(
                     QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/data/high-traffic-with-ml.json"), &error),
            qPrintable(error));
        settle();
        QVERIFY(window.grab().save(QStringLiteral(STACKADVISOR_ARTIFACTS_DIR "/advisor-window.png")));
        QCOMPARE(window.currentPage(), page);
    }

    void saveOpenAndRestore()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"mine.json"_s);
        {
            AdvisorPage page;
            page.show();
            QVERIFY(QTest::qWaitForWindowExposed(&page));
            fillHighTrafficGoTeam(page);
            QString error;
            QVERIFY2(page.saveAnswers(path, &error), qPrintable(error));
        }
        {
            // Restored from QSettings at start.
            AdvisorPage page;
            QCOMPARE(page.recommendation().verdict, Verdict::Go);
            QCOMPARE(find<QSpinBox>(page, u"question-peak-rps"_s)->value(), 25000);
        }
        QSettings().clear();
        AdvisorPage page;
        QVERIFY(page.recommendation().verdict
            != Verdict::Go); // "Not sure" everywhere: a tie, which goes to Python
        QString error;
        QVERIFY2(page.openAnswers(path, &error), qPrintable(error));
        QCOMPARE(page.recommendation().verdict, Verdict::Go);

        // A bad file changes nothing and says which field is wrong.
        QVERIFY(!page.openAnswers(
            QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/data/bad-answers/option-not-offered.json"),
            &error));
        QVERIFY2(error.contains(u"answers.team"_s), qPrintable(error));
        QCOMPARE(page.recommendation().verdict, Verdict::Go);
        QVERIFY(!page.openAnswers(
            QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/data/bad-answers/malformed.json"), &error));
        QVERIFY2(error.contains(u"malformed.json:4:"_s), qPrintable(error));
    }

    // Stored answers that no longer fit the questionnaire are not used silently.
    void staleSettingsAreReported()
    {
        QSettings().setValue(u"advisor/answers"_s,
            QByteArray(R"({"format": "stackadvisor-answers", "version": 1, "answers": {"peak-rps": 5}})"));
        AdvisorPage page;
        QVERIFY2(page.notice().contains(u"answers.ai-ml"_s), qPrintable(page.notice()));
        // Every problem at once, and no hidden default: the peak is "Not sure".
        QVERIFY2(page.notice().contains(u"answers.team"_s), qPrintable(page.notice()));
        QVERIFY(find<QCheckBox>(page, u"option-peak-rps-unsure"_s)->isChecked());
        QVERIFY(!find<QSpinBox>(page, u"question-peak-rps"_s)->isEnabled());
        QCOMPARE(page.recommendation().answers.constFirst().value.toString(), u"unsure"_s);
    }

    void accessibleNames()
    {
        AdvisorPage page;
        QList<QWidget *> named;
        for (QAbstractButton *button : page.form()->findChildren<QAbstractButton *>())
            named << button;
        for (QAbstractButton *button : page.findChildren<QAbstractButton *>(Qt::FindDirectChildrenOnly))
            named << button;
        for (QSpinBox *spinBox : page.findChildren<QSpinBox *>())
            named << spinBox;
        for (QTableView *view : page.findChildren<QTableView *>())
            named << view;
        QVERIFY(named.size() > 30);
        for (QWidget *widget : std::as_const(named)) {
            const auto *button = qobject_cast<QAbstractButton *>(widget);
            QVERIFY2(!widget->accessibleName().isEmpty() || (button && !button->text().isEmpty()),
                widget->metaObject()->className());
        }
        // Every question is reachable from the keyboard.
        for (QWidget *widget : std::as_const(named))
            QVERIFY(widget->focusPolicy() & Qt::TabFocus);
    }
};

QTEST_MAIN(TestAdvisorPage)
#include "tst_advisorpage.moc"
