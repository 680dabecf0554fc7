// The Report area: the preview shows the real PDF of what the page holds (the
// newest run of a real history, a recommendation from real answers), follows
// the page size, exports PDF and HTML whole, and says what is missing.
#include <QtTest>

#include <QAction>
#include <QApplication>
#include <QJsonDocument>
#include <QPdfDocument>
#include <QProcess>
#include <QTemporaryDir>

#include "advisor/scorer.h"
#include "report/reportpage.h"
#include "store/resultstore.h"

using namespace Qt::StringLiterals;

class TestReportPage final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void previewOfTheNewestRun();
    void pageSizeAndMissingParts();
    void exportWritesWholeFiles();
    void exportShortcut();

private:
    QTemporaryDir m_dir;
    QString m_db;
    std::optional<sa::advisor::Recommendation> m_recommendation;
};

void TestReportPage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // The page keeps its project name and page size in QSettings: not the user's.
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_dir.filePath(u"config"_s)));
    m_db = m_dir.filePath(u"history.sqlite"_s);
    // One real run of one real server into the history.
    QProcess bench;
    bench.start(QStringLiteral(STACKADVISOR_BIN_DIR "/stackadvisor"),
        { u"bench"_s, u"--targets"_s, u"go-nethttp"_s, u"--rounds"_s, u"1"_s, u"--duration"_s, u"2s"_s,
            u"--warmup"_s, u"0s"_s, u"--connections"_s, u"16"_s, u"--db"_s, m_db });
    QVERIFY(bench.waitForStarted(10000));
    if (!bench.waitForFinished(90000)) {
        bench.kill();
        bench.waitForFinished(5000);
        QFAIL("stackadvisor bench did not finish");
    }
    QVERIFY2(bench.exitCode() == 0, bench.readAllStandardError().constData());

    QString error;
    const auto scorer = sa::advisor::Scorer::fromResources(&error);
    QVERIFY2(scorer, qPrintable(error));
    const auto answers = sa::advisor::Answers::load(
        QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/data/ai-mvp-python-team.json"),
        scorer->questionnaire(), &error);
    QVERIFY2(answers, qPrintable(error));
    m_recommendation = scorer->recommend(*answers);
}

void TestReportPage::previewOfTheNewestRun()
{
    sa::store::ResultStore store(m_db);
    sa::ui::ReportPage page(&store);
    page.setRecommendation(*m_recommendation);
    QSignalSpy updated(&page, &sa::ui::ReportPage::previewUpdated);
    // Hidden, the page does not paint; shown, it catches up.
    QVERIFY(!updated.wait(600));
    page.show();
    QVERIFY(updated.wait(5000));
    QVERIFY(page.inputs().analysis.has_value());
    QCOMPARE(page.inputs().analysis->run().targets.constFirst().targetId, u"go-nethttp"_s);
    QTRY_VERIFY(page.previewPageCount() >= 9);
    QCOMPARE(updated.constLast().constFirst().toInt(), page.previewPageCount());
    QVERIFY2(!page.statusText().contains(u"the report has"_s), qPrintable(page.statusText()));
    // The preview is the real document: the verdict is on its second page.
    const QString summary = page.previewDocument()->getAllText(1).text();
    QVERIFY2(summary.contains(m_recommendation->headline), qPrintable(summary.left(300)));
    // A screenshot of the area for people to look at (test artefact).
    page.resize(1000, 760);
    QTest::qWait(200);
    QDir().mkpath(QStringLiteral(STACKADVISOR_ARTIFACTS_DIR "/report"));
    QVERIFY(page.grab().save(QStringLiteral(STACKADVISOR_ARTIFACTS_DIR "/report/report-page.png")));
}

void TestReportPage::pageSizeAndMissingParts()
{
    sa::ui::ReportPage page(nullptr);
    page.setPageSize(sa::ui::report::PageSize::Letter);
    page.updatePreviewNow();
    QTRY_VERIFY(page.previewPageCount() >= 9);
    const QSizeF size = page.previewDocument()->pagePointSize(0);
    QVERIFY2(qAbs(size.width() - 612) < 2, qPrintable(QString::number(size.width())));
    QVERIFY(page.statusText().contains(u"no questionnaire answers"_s));
    QVERIFY(page.statusText().contains(u"no benchmark run"_s));
    page.setPageSize(sa::ui::report::PageSize::A4);
    page.updatePreviewNow();
    QTRY_VERIFY(qAbs(page.previewDocument()->pagePointSize(0).width() - 595) < 2);
}

void TestReportPage::exportWritesWholeFiles()
{
    sa::store::ResultStore store(m_db);
    sa::ui::ReportPage page(&store);
    page.setRecommendation(*m_recommendation);
    page.setProjectName(u"Support bot"_s);
    QString error;
    const QString pdf = m_dir.filePath(u"page.pdf"_s);
    QVERIFY2(page.exportPdf(pdf, &error), qPrintable(error));
    QPdfDocument document;
    QCOMPARE(document.load(pdf), QPdfDocument::Error::None);
    QVERIFY(document.getAllText(0).text().contains(u"Support bot"_s));
    QVERIFY(page.statusText().contains(pdf));

    const QString html = m_dir.filePath(u"page.html"_s);
    QVERIFY2(page.exportHtml(html, &error), qPrintable(error));
    QFile file(html);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("Support bot"));

    const QString bad = m_dir.filePath(u"missing-folder/page.pdf"_s);
    QVERIFY(!page.exportPdf(bad, &error));
    QVERIFY2(error.contains(u"Choose a folder you can write to"_s), qPrintable(error));
    QVERIFY(!QFileInfo::exists(bad));
}

void TestReportPage::exportShortcut()
{
    sa::ui::ReportPage page(nullptr);
    QCOMPARE(page.exportAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_E));
    // Only while the page is shown: Ctrl+E elsewhere in the window is not the report's.
    QVERIFY(!page.exportAction()->isEnabled());
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QVERIFY(page.exportAction()->isEnabled());
    page.hide();
    QVERIFY(!page.exportAction()->isEnabled());
}

QTEST_MAIN(TestReportPage)
#include "tst_report_page.moc"
