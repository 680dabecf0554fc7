#include "bench/resultstablemodel.h"
#include "sampleresults.h"

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
    void warnings_data();
    void warnings();
    void copiesAsAlignedText();
};

void TestResultsModel::rowsAndFigures()
{
    ResultsTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(ResultsTableModel::ColumnCount));
    model.addResult(sa::test::makeTarget(
        QStringLiteral("go-nethttp"), QStringLiteral("Go · net/http"), 41234.4, 12.5, 15));
    model.addResult(sa::test::makeFailed(QStringLiteral("python-django"), QStringLiteral("Python · Django"),
        QStringLiteral("port 8000 never answered /healthz within 20 s")));
    QCOMPARE(model.rowCount(), 2);
    const auto cell = [&](int row, int column) { return model.index(row, column).data().toString(); };
    QCOMPARE(cell(0, ResultsTableModel::Target), QStringLiteral("Go · net/http"));
    QCOMPARE(cell(0, ResultsTableModel::RequestsPerSecond), QLocale().toString(41234.0, 'f', 0));
    QCOMPARE(cell(0, ResultsTableModel::LatencyP99), QLocale().toString(12.5, 'f', 1));
    QCOMPARE(cell(0, ResultsTableModel::PeakPss), QLocale().toString(15.0, 'f', 1));
    QCOMPARE(cell(0, ResultsTableModel::Notes), QString());
    QCOMPARE(
        model.index(0, 0).data(ResultsTableModel::TargetIdRole).toString(), QStringLiteral("go-nethttp"));
    QVERIFY(model.index(0, 0).data(ResultsTableModel::TrustedRole).toBool());
    // A failure shows its reason and no figures.
    QCOMPARE(cell(1, ResultsTableModel::Status), QStringLiteral("failed"));
    QCOMPARE(cell(1, ResultsTableModel::RequestsPerSecond), QStringLiteral("–"));
    QVERIFY(cell(1, ResultsTableModel::Notes).contains(QLatin1String("never answered /healthz")));
    QVERIFY(!model.index(1, 0).data(ResultsTableModel::TrustedRole).toBool());

    model.setResults({});
    QCOMPARE(model.rowCount(), 0);
}

void TestResultsModel::sortsByRawNumbers_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("firstAscending");
    QTest::addRow("req/s") << int(ResultsTableModel::RequestsPerSecond) << QStringLiteral("python-flask");
    QTest::addRow("p99") << int(ResultsTableModel::LatencyP99) << QStringLiteral("go-gin");
    QTest::addRow("memory") << int(ResultsTableModel::PeakPss) << QStringLiteral("go-gin");
    QTest::addRow("name") << int(ResultsTableModel::Target) << QStringLiteral("go-gin");
}

void TestResultsModel::sortsByRawNumbers()
{
    QFETCH(int, column);
    QFETCH(QString, firstAscending);
    ResultsTableModel model;
    // 9,500 vs 12,000 vs 95,000: a text sort would put them in the wrong order.
    model.setResults({ sa::test::makeTarget(QStringLiteral("python-fastapi"),
                           QStringLiteral("Python · FastAPI"), 12000, 90, 85),
        sa::test::makeTarget(QStringLiteral("go-gin"), QStringLiteral("Go · Gin"), 95000, 9, 25),
        sa::test::makeTarget(
            QStringLiteral("python-flask"), QStringLiteral("Python · Flask"), 9500, 100, 120) });
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(ResultsTableModel::SortRole);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(column, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, 0).data(ResultsTableModel::TargetIdRole).toString(), firstAscending);
    proxy.sort(column, Qt::DescendingOrder);
    QCOMPARE(proxy.index(2, 0).data(ResultsTableModel::TargetIdRole).toString(), firstAscending);
}

void TestResultsModel::warnings_data()
{
    QTest::addColumn<bool>("saturated");
    QTest::addColumn<qint64>("errors");
    QTest::addColumn<bool>("failed");
    QTest::addColumn<QString>("expected"); // "" = no warning
    QTest::addRow("clean") << false << qint64(0) << false << QString();
    QTest::addRow("1 percent errors is still fine") << false << qint64(40) << false << QString();
    QTest::addRow("errors above 1 percent") << false << qint64(400) << false << QStringLiteral("above 1 %");
    QTest::addRow("saturated generator")
        << true << qint64(0) << false << QStringLiteral("load generator was saturated");
    QTest::addRow("crashed") << false << qint64(0) << true << QStringLiteral("Failed: ");
}

void TestResultsModel::warnings()
{
    QFETCH(bool, saturated);
    QFETCH(qint64, errors);
    QFETCH(bool, failed);
    QFETCH(QString, expected);
    TargetResult result
        = sa::test::makeTarget(QStringLiteral("go-gin"), QStringLiteral("Go · Gin"), 1000, 5, 10);
    result.requests = 3960; // with 40 errors: 1.0 % exactly
    result.generatorSaturated = saturated;
    result.errors.read = errors;
    if (failed) {
        result.status = sa::bench::TargetStatus::Failed;
        result.failureReason = QStringLiteral("the server exited with signal 11 (crashed)");
    }
    const QStringList list = ResultsTableModel::warnings(result);
    if (expected.isEmpty()) {
        QVERIFY2(list.isEmpty(), qPrintable(list.join(QLatin1Char('|'))));
    } else {
        QCOMPARE(list.size(), 1);
        QVERIFY2(list.first().contains(expected), qPrintable(list.first()));
    }
}

void TestResultsModel::copiesAsAlignedText()
{
    ResultsTableModel model;
    model.setResults(
        { sa::test::makeTarget(QStringLiteral("go-gin"), QStringLiteral("Go · Gin"), 95000, 9, 25),
            sa::test::makeFailed(QStringLiteral("python-flask"), QStringLiteral("Python · Flask"),
                QStringLiteral("not built")) });
    const QString text = sa::ui::tableAsText(model);
    const QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines.at(0).startsWith(QLatin1String("Target")));
    QVERIFY(lines.at(0).contains(QLatin1String("Req/s")));
    QVERIFY(lines.at(1).startsWith(QStringLiteral("Go · Gin")));
    QVERIFY(lines.at(2).endsWith(QLatin1String("Failed: not built")));
    // Columns line up: "Req/s" ends where the figure below it ends.
    const int header = int(lines.at(0).indexOf(QLatin1String("Req/s"))) + 5;
    const QString figure = QLocale().toString(95000.0, 'f', 0);
    QCOMPARE(int(lines.at(1).indexOf(figure)) + int(figure.size()), header);
}

QTEST_MAIN(TestResultsModel)
#include "tst_resultsmodel.moc"
