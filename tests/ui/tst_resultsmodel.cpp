#include "bench/resultstablemodel.h"
#include "sampleresults.h"

#include "bench/format.h"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QTest>

using sa::bench::TargetResult;
using sa::ui::ResultsTableModel;

class TestResultsModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsAndFigures();
    void sortsByRawNumbers_data();
    void sortsByRawNumbers();
    void warningsAreTheAnalysis();
    void copiesAsAlignedText();
};

void TestResultsModel::rowsAndFigures()
{
    ResultsTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(sa::bench::resultColumns(sa::bench::ResultView::Gui).size()));
    model.setAnalysis(sa::test::analysisOf({ sa::test::makeTarget(QStringLiteral("go-nethttp"),
                                                 QStringLiteral("Go · net/http"), 41234.4, 12.5, 15),
        sa::test::makeFailed(QStringLiteral("python-django"), QStringLiteral("Python · Django"),
            QStringLiteral("port 8000 never answered /healthz within 20 s")) }));
    QCOMPARE(model.rowCount(), 2);
    const auto cell = [&](int row, const char *key) {
        return model.index(row, model.column(QLatin1String(key))).data().toString();
    };
    // The figures as core formats them for every view.
    QCOMPARE(cell(0, "target"), QStringLiteral("Go · net/http"));
    QCOMPARE(cell(0, "requests_per_sec"), QStringLiteral("41,234"));
    QCOMPARE(cell(0, "latency_p99_us"), QStringLiteral("12.5"));
    QCOMPARE(cell(0, "peak_pss_bytes"), QStringLiteral("15.0"));
    QCOMPARE(cell(0, "warnings"), QString());
    QCOMPARE(
        model.index(0, 0).data(ResultsTableModel::TargetIdRole).toString(), QStringLiteral("go-nethttp"));
    QVERIFY(model.index(0, 0).data(ResultsTableModel::TrustedRole).toBool());
    // A failure shows its reason and no figures.
    QCOMPARE(cell(1, "status"), QStringLiteral("failed"));
    QCOMPARE(cell(1, "requests_per_sec"), sa::fmt::none());
    QVERIFY(cell(1, "warnings").contains(QLatin1String("never answered /healthz")));
    QVERIFY(!model.index(1, 0).data(ResultsTableModel::TrustedRole).toBool());

    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestResultsModel::sortsByRawNumbers_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("firstAscending");
    QTest::addRow("req/s") << QStringLiteral("requests_per_sec") << QStringLiteral("python-flask");
    QTest::addRow("p99") << QStringLiteral("latency_p99_us") << QStringLiteral("go-gin");
    QTest::addRow("memory") << QStringLiteral("peak_pss_bytes") << QStringLiteral("go-gin");
    QTest::addRow("name") << QStringLiteral("target") << QStringLiteral("go-gin");
}

void TestResultsModel::sortsByRawNumbers()
{
    QFETCH(QString, column);
    QFETCH(QString, firstAscending);
    ResultsTableModel model;
    // 9,500 vs 12,000 vs 95,000: a text sort would put them in the wrong order.
    model.setAnalysis(sa::test::analysisOf({ sa::test::makeTarget(QStringLiteral("python-fastapi"),
                                                 QStringLiteral("Python · FastAPI"), 12000, 90, 85),
        sa::test::makeTarget(QStringLiteral("go-gin"), QStringLiteral("Go · Gin"), 95000, 9, 25),
        sa::test::makeTarget(
            QStringLiteral("python-flask"), QStringLiteral("Python · Flask"), 9500, 100, 120) }));
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(ResultsTableModel::SortRole);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(model.column(column), Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, 0).data(ResultsTableModel::TargetIdRole).toString(), firstAscending);
    proxy.sort(model.column(column), Qt::DescendingOrder);
    QCOMPARE(proxy.index(2, 0).data(ResultsTableModel::TargetIdRole).toString(), firstAscending);
}

// The notes column is the analysis' warnings, word for word (their rules are
// tested in tst_runanalysis).
void TestResultsModel::warningsAreTheAnalysis()
{
    TargetResult result
        = sa::test::makeTarget(QStringLiteral("go-gin"), QStringLiteral("Go · Gin"), 1000, 5, 10);
    result.generatorSaturated = true;
    result.errors.read = 400;
    const sa::bench::RunAnalysis analysis = sa::test::analysisOf({ result });
    ResultsTableModel model;
    model.setAnalysis(analysis);
    QCOMPARE(analysis.cells().first().warnings.size(), 2);
    QCOMPARE(model.index(0, model.column(QStringLiteral("warnings"))).data().toString(),
        analysis.cells().first().warningTexts().join(QLatin1Char(' ')));
    QVERIFY(!model.index(0, 0).data(ResultsTableModel::TrustedRole).toBool());
}

void TestResultsModel::copiesAsAlignedText()
{
    ResultsTableModel model;
    model.setAnalysis(sa::test::analysisOf(
        { sa::test::makeTarget(QStringLiteral("go-gin"), QStringLiteral("Go · Gin"), 95000, 9, 25),
            sa::test::makeFailed(QStringLiteral("python-flask"), QStringLiteral("Python · Flask"),
                QStringLiteral("not built")) }));
    const QString text = sa::ui::tableAsText(model);
    const QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines.at(0).startsWith(QLatin1String("Target")));
    QVERIFY(lines.at(0).contains(QLatin1String("Req/s")));
    QVERIFY(lines.at(1).startsWith(QStringLiteral("Go · Gin")));
    QVERIFY(lines.at(2).endsWith(QLatin1String("Failed: not built")));
    // Columns line up: "Req/s" ends where the figure below it ends.
    const int header = int(lines.at(0).indexOf(QLatin1String("Req/s"))) + 5;
    const QString figure = sa::fmt::number(95000.0);
    QCOMPARE(int(lines.at(1).indexOf(figure)) + int(figure.size()), header);
}

QTEST_MAIN(TestResultsModel)
#include "tst_resultsmodel.moc"
