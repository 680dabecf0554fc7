// The Advisor page driven like a user would: keys and clicks on the generated
// questionnaire, the live verdict, the models behind the tables, saving and
// loading answers, restoring the last answers, and a screenshot to look at.

#include "advisor/advisorpage.h"
#include "advisor/criteriamodel.h"
#include "advisor/decisiontablemodel.h"
#include "advisor/questionnaireform.h"
#include "advisor/recommendationview.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
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
        QCOMPARE(changed.count(), 5); // live: every changed answer re-scored

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
        QCOMPARE(page.recommendation().verdict, Verdict::Python);
        QVERIFY(page.recommendationView()->verdictText().contains(u"Python"_s));
    }

    void trafficCriterionCitesTheRun()
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
        QVERIFY(!trafficWhy().contains(u"Measured on this machine"_s));
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
            cell.requests = qint64(rps);
            cell.requestsPerSecond = rps;
            run.targets << cell;
        }
        QSignalSpy changed(&page, &AdvisorPage::recommendationChanged);
        page.setRun(run);
        QCOMPARE(changed.count(), 1);
        QVERIFY2(trafficWhy().contains(u"Measured on this machine (run 3 of 2026-11-27"_s),
            qPrintable(trafficWhy()));
        QVERIFY(trafficWhy().contains(u"52,000 req/s"_s));
        QCOMPARE(page.recommendation().goScore, goScore); // cited, not scored
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
        // The whole recommendation, below the fold too (flips, decision table, notes).
        const QString viewPath = QStringLiteral(STACKADVISOR_ARTIFACTS_DIR "/advisor-recommendation.png");
        QVERIFY(page.recommendationView()->grab().save(viewPath));
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
        QVERIFY(page.recommendation().verdict != Verdict::Go); // the defaults: a small Python app
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
        QCOMPARE(find<QSpinBox>(page, u"question-peak-rps"_s)->value(), 500); // the questionnaire's default
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
