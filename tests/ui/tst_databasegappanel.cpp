// The JSON vs database panel of the comparison: core's DatabaseGap rendered as
// a sentence and a sortable table (QAbstractItemModelTester), shown only for a
// run with database cells; a screenshot of the comparison tab with it.

#include "bench/comparisoncharts.h"
#include "bench/databasegapmodel.h"
#include "bench/databasegappanel.h"
#include "sampleresults.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>

using sa::bench::Scenario;
using sa::bench::TargetResult;

namespace {

TargetResult cellOf(const QString &id, const QString &name, Scenario scenario, double rps, double p99Ms)
{
    TargetResult t = sa::test::makeTarget(id, name, rps, p99Ms, 40);
    t.scenario = scenario;
    if (sa::bench::isDatabaseScenario(scenario)) {
        sa::bench::DatabaseCellStats database;
        database.cpuPercentMean = 55;
        database.peakPssBytes = 60LL << 20;
        t.database = database;
    }
    return t;
}

// Three servers in json, db, queries and fortunes, as the runner orders them.
QList<TargetResult> databaseRun()
{
    struct Row
    {
        const char *id;
        const char *name;
        double json, db, queries, fortunes;
    };
    const Row rows[] = {
        { "go-gin", "Go · Gin", 52000, 14500, 1700, 11800 },
        { "python-fastapi", "Python · FastAPI", 9100, 4300, 520, 3100 },
        { "python-django", "Python · Django", 3200, 1900, 310, 1500 },
    };
    QList<TargetResult> cells;
    for (const Row &r : rows) {
        const QString id = QLatin1String(r.id), name = QString::fromUtf8(r.name);
        cells << cellOf(id, name, Scenario::Json, r.json, 20) << cellOf(id, name, Scenario::Db, r.db, 60)
              << cellOf(id, name, Scenario::Queries, r.queries, 400)
              << cellOf(id, name, Scenario::Fortunes, r.fortunes, 80);
    }
    return cells;
}

} // namespace

class TestDatabaseGapPanel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void modelRendersCoresTable()
    {
        sa::ui::DatabaseGapModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const sa::bench::RunAnalysis analysis = sa::test::analysisOf(databaseRun());
        model.setGap(analysis.databaseGap());
        const sa::bench::DatabaseGapTable table = analysis.databaseGap().table();
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), 9);
        for (int row = 0; row < model.rowCount(); ++row) {
            for (int column = 0; column < model.columnCount(); ++column)
                QCOMPARE(model.data(model.index(row, column)).toString(), table.rows.at(row).at(column));
        }
        QCOMPARE(model.headerData(3, Qt::Horizontal).toString(), QStringLiteral("Single query req/s"));
        QCOMPARE(model.data(model.index(0, 2)).toString(), QStringLiteral("52,000"));
        QCOMPARE(model.data(model.index(0, 4)).toString(), QStringLiteral("28 %"));
        QCOMPARE(model.data(model.index(1, 0), sa::ui::DatabaseGapModel::TargetIdRole).toString(),
            QStringLiteral("python-fastapi"));

        // Sorted by the numbers, not the text: 14,500 above 4,300 above 1,900.
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(sa::ui::DatabaseGapModel::SortRole);
        proxy.sort(3, Qt::DescendingOrder);
        QCOMPARE(proxy.data(proxy.index(0, 0)).toString(), QStringLiteral("Go · Gin"));
        QCOMPARE(proxy.data(proxy.index(2, 0)).toString(), QStringLiteral("Python · Django"));
        proxy.sort(4, Qt::AscendingOrder); // the share of JSON: Gin keeps the least
        QCOMPARE(proxy.data(proxy.index(0, 0)).toString(), QStringLiteral("Go · Gin"));
    }

    void comparisonShowsThePanelForDatabaseRunsOnly()
    {
        sa::ui::ComparisonCharts charts;
        charts.resize(1280, 760);
        charts.show();
        sa::ui::DatabaseGapPanel *panel = charts.databaseGap();
        QVERIFY(panel);

        QList<TargetResult> jsonOnly;
        for (const TargetResult &t : databaseRun()) {
            if (t.scenario == Scenario::Json)
                jsonOnly << t;
        }
        charts.setAnalysis(sa::test::analysisOf(jsonOnly));
        QVERIFY(!panel->isVisible());

        const sa::bench::RunAnalysis analysis = sa::test::analysisOf(databaseRun());
        charts.setAnalysis(analysis);
        QTRY_VERIFY(panel->isVisible());
        QCOMPARE(panel->summaryText(), analysis.databaseGap().summary());
        QVERIFY2(panel->summaryText().contains(QStringLiteral("With PostgreSQL in the loop, Go served")),
            qPrintable(panel->summaryText()));
        auto *table = panel->findChild<QTableView *>(QStringLiteral("databaseGapTable"));
        QVERIFY(table);
        QCOMPARE(table->model()->rowCount(), 3);
        // The charts keep most of the height.
        QVERIFY(panel->height() < charts.height() / 2);

        const QString dir
            = qEnvironmentVariable("STACKADVISOR_ARTIFACTS_DIR", QStringLiteral(STACKADVISOR_ARTIFACTS_DIR));
        QDir().mkpath(dir);
        QVERIFY(charts.grab().save(QDir(dir).filePath(QStringLiteral("comparison-database.png"))));
    }
};

QTEST_MAIN(TestDatabaseGapPanel)
#include "tst_databasegappanel.moc"
