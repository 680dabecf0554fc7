// ClaimCheck against the shipped resources/claims/article-2026.json: absolute
// rows side by side, the cross-machine ratios with their tolerance, "8–10×".

#include "bench/claimcheck.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace sa::bench;

namespace {

TargetResult cell(const QString &id, const QString &language, double rps, Scenario scenario = Scenario::Json,
    int connections = 1000)
{
    TargetResult t;
    t.status = TargetStatus::Completed;
    t.durationSeconds = 10;
    t.targetId = id;
    t.displayName = language + u" · "_s + id;
    t.language = language;
    t.scenario = scenario;
    t.connections = connections;
    t.requestsPerSecond = rps;
    t.requests = qint64(rps * 10);
    t.latency.meanUs = connections / rps * 1e6;
    t.memory.peakPssBytes = 20LL << 20;
    t.workers = 1;
    return t;
}

const ClaimRow *row(const QList<ClaimRow> &rows, const QString &id)
{
    for (const ClaimRow &r : rows) {
        if (r.id == id)
            return &r;
    }
    return nullptr;
}

ClaimCheck articleClaims()
{
    QString error;
    auto check = ClaimCheck::load(ClaimCheck::defaultClaimsFile(), &error);
    if (!check)
        qFatal("cannot load the claims: %s", qPrintable(error));
    return *check;
}

} // namespace

class TestClaimCheck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loadsTheArticle()
    {
        const ClaimCheck check = articleClaims();
        QCOMPARE(check.table().size(), 5);
        QCOMPARE(check.goVsPythonLow(), 8.0);
        QCOMPARE(check.goVsPythonHigh(), 10.0);
        QVERIFY(check.goVsPythonQuote().contains(u"8–10x"_s));
        QCOMPARE(check.sizeClaims().size(), 2);
    }

    void rejectsBadFiles_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::addRow("not json") << QByteArray("[") << u"not valid JSON"_s;
        QTest::addRow("no claims") << QByteArray("{}") << u"'claims'"_s;
        QTest::addRow("no table") << QByteArray(
            "{\"claims\":[{\"kind\":\"ratio\",\"numerator\":{\"language\":\"Go\"},"
            "\"denominator\":{\"language\":\"Python\"},\"low\":8,\"high\":10}]}")
                                  << u"table is missing"_s;
        QTest::addRow("one-sided ratio") << QByteArray(
            "{\"claims\":[{\"id\":\"r\",\"kind\":\"ratio\",\"numerator\":{\"language\":\"Go\"},\"low\":8,"
            "\"high\":10}]}") << u"claims[0] (r): each side of a ratio"_s;
        QTest::addRow("table ratio without rows")
            << QByteArray("{\"claims\":[{\"id\":\"r\",\"kind\":\"ratio\",\"numerator\":{\"serverId\":\"a\"},"
                          "\"denominator\":{\"serverId\":\"b\"},\"claimedFrom\":\"table\"}]}")
            << u"needs a benchmark row"_s;
        QTest::addRow("id twice") << QByteArray(
            "{\"claims\":[{\"id\":\"x\",\"kind\":\"anecdote\"},{\"id\":\"x\",\"kind\":\"anecdote\"}]}")
                                  << u"claims[1] (x): the id 'x' is used twice"_s;
        QTest::addRow("bad row") << QByteArray(
            "{\"claims\":[{\"id\":\"x\",\"kind\":\"benchmark-row\",\"serverId\":\"go-gin\"}]}")
                                 << u"claims[0] (x)"_s;
        QTest::addRow("no ratio") << QByteArray(
            "{\"claims\":[{\"kind\":\"benchmark-row\",\"serverId\":\"go-gin\",\"requestsPerSec\":1,"
            "\"avgLatencyMs\":1,\"memoryMB\":1}]}")
                                  << u"8–10×"_s;
    }

    void rejectsBadFiles()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!ClaimCheck::fromJson(json, &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    // Gin vs FastAPI: the article implies 95,000 / 12,000 = 7.92×; holds within a
    // factor of 1.25 either way: [6.33, 9.90].
    void ratioTolerance_data()
    {
        QTest::addColumn<double>("ginRps");
        QTest::addColumn<int>("verdict");
        QTest::addRow("same as article") << 95000.0 << int(ClaimVerdict::Holds);
        QTest::addRow("half the article's Gin") << 47500.0 << int(ClaimVerdict::DoesNotHold);
        QTest::addRow("just inside low") << 12000.0 * 7.9167 / 1.249 << int(ClaimVerdict::Holds);
        QTest::addRow("just outside low") << 12000.0 * 7.9167 / 1.26 << int(ClaimVerdict::DoesNotHold);
        QTest::addRow("just inside high") << 12000.0 * 7.9167 * 1.249 << int(ClaimVerdict::Holds);
        QTest::addRow("far above") << 12000.0 * 20 << int(ClaimVerdict::DoesNotHold);
    }

    void ratioTolerance()
    {
        QFETCH(double, ginRps);
        QFETCH(int, verdict);
        RunResult run;
        run.targets = { cell(u"go-gin"_s, u"Go"_s, ginRps), cell(u"python-fastapi"_s, u"Python"_s, 12000) };
        const QList<ClaimRow> rows = articleClaims().check(run);
        const ClaimRow *ratio = row(rows, u"ratio-go-gin-python-fastapi"_s);
        QVERIFY(ratio);
        QCOMPARE(ratio->kind, ClaimKind::Ratio);
        QCOMPARE(int(ratio->verdict), verdict);
        QVERIFY(qAbs(ratio->claimed.number - 95000.0 / 12000.0) < 1e-9);
        QVERIFY(qAbs(ratio->measured.number - ginRps / 12000.0) < 1e-9);
        QVERIFY(qAbs(ratio->ratio - ratio->claimed.number / ratio->measured.number) < 1e-9);
        QVERIFY(!ratio->explanation.isEmpty());
        QCOMPARE(ratio->targetIds, (QStringList { u"go-gin"_s, u"python-fastapi"_s }));
    }

    void absoluteRowsAndNotMeasured()
    {
        RunResult run;
        run.targets = { cell(u"go-gin"_s, u"Go"_s, 40000), cell(u"python-fastapi"_s, u"Python"_s, 12000) };
        TargetResult failed = cell(u"python-django"_s, u"Python"_s, 3000);
        failed.status = TargetStatus::Failed;
        run.targets << failed;
        const QList<ClaimRow> rows = articleClaims().check(run);

        const ClaimRow *ginRps = row(rows, u"go-gin-rps"_s);
        QVERIFY(ginRps);
        QCOMPARE(ginRps->kind, ClaimKind::Absolute);
        QCOMPARE(ginRps->claimed.text, u"95,000 req/s"_s);
        QCOMPARE(ginRps->measured.text, u"40,000 req/s"_s);
        QCOMPARE(ginRps->verdict, ClaimVerdict::DoesNotHold);
        QCOMPARE(row(rows, u"python-fastapi-rps"_s)->verdict, ClaimVerdict::Holds);

        const ClaimRow *ginMemory = row(rows, u"go-gin-memory"_s);
        QCOMPARE(ginMemory->measured.number, 20.0);
        QCOMPARE(ginMemory->verdict, ClaimVerdict::Holds); // 20 MB ≤ 25 MB × 1.25

        // A failed target with figures is measured, but settles nothing: its rows
        // and the ratios built on it say so, naming it.
        const ClaimRow *django = row(rows, u"python-django-rps"_s);
        QCOMPARE(django->verdict, ClaimVerdict::NotComparable);
        QCOMPARE(django->measured.present, true);
        QVERIFY2(django->verdictText.startsWith(u"Not comparable: Python · python-django: failed"_s),
            qPrintable(django->verdictText));
        const ClaimRow *fastapiDjango = row(rows, u"ratio-python-fastapi-python-django"_s);
        QCOMPARE(fastapiDjango->verdict, ClaimVerdict::NotComparable);
        QCOMPARE(fastapiDjango->caveats, QStringList { u"Python · python-django: failed"_s });
        QCOMPARE(row(rows, u"ratio-go-fiber-go-gin"_s)->verdict, ClaimVerdict::NotMeasured);
        // A target that never ran is not measured at all.
        run.targets.last().requests = 0;
        QCOMPARE(row(articleClaims().check(run), u"python-django-rps"_s)->verdict, ClaimVerdict::NotMeasured);

        // Every row has a title, a quote, and an explanation for a person.
        for (const ClaimRow &r : rows) {
            QVERIFY2(!r.title.isEmpty() && !r.explanation.isEmpty(), qPrintable(r.id));
            QVERIFY2(!r.quote.isEmpty(), qPrintable(r.id));
        }
        QCOMPARE(ginRps->verdictText, u"Slower here than the article's figure"_s);
        const QString text = ClaimCheck::toText(rows, articleClaims().generalNotes());
        QVERIFY(text.contains(u"Gin vs FastAPI"_s));
        QVERIFY(text.contains(u"Slower here than the article's figure"_s));
        // The caveats common to every absolute row are said once, as notes.
        QCOMPARE(text.count(u"depend on the hardware"_s), 1);
        QCOMPARE(text.count(u"connections ÷ throughput"_s), 1);
        for (const ClaimRow &r : rows) {
            QVERIFY2(!r.explanation.contains(u"depend on the hardware"_s), qPrintable(r.id));
            QVERIFY2(!r.explanation.contains(u"connections ÷ throughput"_s), qPrintable(r.id));
        }
    }

    void goVsPython()
    {
        RunResult run;
        // JSON: Go 10× Python; io: Go 2× Python. The io scenario decides ("I/O-heavy").
        run.targets = { cell(u"go-gin"_s, u"Go"_s, 50000), cell(u"go-echo"_s, u"Go"_s, 50000),
            cell(u"python-fastapi"_s, u"Python"_s, 5000), cell(u"go-gin"_s, u"Go"_s, 2000, Scenario::Io),
            cell(u"python-flask"_s, u"Python"_s, 1000, Scenario::Io) };
        QList<ClaimRow> rows = articleClaims().check(run);
        const ClaimRow *overall = row(rows, u"go-vs-python"_s);
        QVERIFY(overall);
        QCOMPARE(overall->claimed.text, u"8–10×"_s);
        QCOMPARE(overall->measured.number, 2.0);
        QCOMPARE(overall->verdict, ClaimVerdict::DoesNotHold);
        QVERIFY(overall->explanation.contains(u"I/O wait"_s));

        run.targets.removeLast();
        run.targets.removeLast();
        rows = articleClaims().check(run);
        overall = row(rows, u"go-vs-python"_s);
        QCOMPARE(overall->measured.number, 10.0);
        QCOMPARE(overall->verdict, ClaimVerdict::Holds);
        QVERIFY(overall->explanation.contains(u"JSON API scenario stands in"_s));

        run.targets = { cell(u"go-gin"_s, u"Go"_s, 50000) };
        rows = articleClaims().check(run);
        QCOMPARE(row(rows, u"go-vs-python"_s)->verdict, ClaimVerdict::NotMeasured);
    }

    void deployableSizes()
    {
        RunResult run;
        TargetResult gin = cell(u"go-gin"_s, u"Go"_s, 1000);
        gin.deployableBytes = 14LL << 20;
        TargetResult fastapi = cell(u"python-fastapi"_s, u"Python"_s, 100);
        fastapi.deployableBytes = 78LL << 20;
        run.targets = { gin, fastapi };
        QList<ClaimRow> rows = articleClaims().check(run);
        // The build's footprint is a lower bound for an image: under the article's
        // figure it cannot settle the claim either way.
        QCOMPARE(row(rows, u"size.go-image"_s)->verdict, ClaimVerdict::NotComparable);
        QCOMPARE(row(rows, u"size.go-image"_s)->verdictText, u"Not comparable: lower bound"_s);
        QCOMPARE(row(rows, u"size.go-image"_s)->measured.number, 14.0);
        QCOMPARE(row(rows, u"size.python-image"_s)->verdict, ClaimVerdict::NotComparable);
        QCOMPARE(row(rows, u"size.python-image"_s)->bound, ClaimBound::LowerBound);
        // Above the article's figure (in its MB), even a lower bound settles it.
        run.targets[1].deployableBytes = 400LL << 20; // 419 MB > 300 MB × 1.25
        rows = articleClaims().check(run);
        QCOMPARE(row(rows, u"size.python-image"_s)->verdict, ClaimVerdict::DoesNotHold);
        QCOMPARE(row(rows, u"size.python-image"_s)->direction, ClaimDirection::Above);
        QVERIFY(row(rows, u"size.python-image"_s)->verdictText.startsWith(u"Larger than the article says"_s));
    }

    // Ratio verdicts say who leads and by how much against the article; a flag
    // on a cell makes the verdict "not comparable" unless it is a bound on the
    // side that cannot change the answer.
    void ratioWordsAndFlags_data()
    {
        QTest::addColumn<double>("gin");
        QTest::addColumn<double>("fastapi");
        QTest::addColumn<QString>("flagged"); // "", "gin-saturated", "fastapi-saturated", "fastapi-errors"
        QTest::addColumn<int>("verdict");
        QTest::addColumn<QString>("words");
        // The article's table implies 95,000 / 12,000 = 7.92×.
        QTest::addRow("about the same")
            << 95000.0 << 12000.0 << QString() << int(ClaimVerdict::Holds) << u"About as the article says"_s;
        QTest::addRow("more") << 128000.0 << 10000.0 << QString() << int(ClaimVerdict::DoesNotHold)
                              << u"Gin leads by more than the article says"_s;
        QTest::addRow("less") << 30000.0 << 10000.0 << QString() << int(ClaimVerdict::DoesNotHold)
                              << u"Gin leads by less than the article says"_s;
        QTest::addRow("other way") << 5000.0 << 10000.0 << QString() << int(ClaimVerdict::DoesNotHold)
                                   << u"FastAPI leads; the article has Gin ahead"_s;
        QTest::addRow("faster side saturated, already more")
            << 128000.0 << 10000.0 << u"gin-saturated"_s << int(ClaimVerdict::DoesNotHold)
            << u"Gin leads by more than the article says (a lower bound: load generator saturated for Go · go-gin)"_s;
        QTest::addRow("faster side saturated, less: a lower bound settles nothing")
            << 30000.0 << 10000.0 << u"gin-saturated"_s << int(ClaimVerdict::NotComparable)
            << u"Not comparable: a lower bound (load generator saturated for Go · go-gin)"_s;
        QTest::addRow("slower side saturated, less")
            << 30000.0 << 10000.0 << u"fastapi-saturated"_s << int(ClaimVerdict::DoesNotHold)
            << u"Gin leads by less than the article says (an upper bound: load generator saturated for Python · python-fastapi)"_s;
        QTest::addRow("errors on one side")
            << 95000.0 << 12000.0 << u"fastapi-errors"_s << int(ClaimVerdict::NotComparable)
            << u"Not comparable: Python · python-fastapi: 4.3 % errors"_s;
    }

    void ratioWordsAndFlags()
    {
        QFETCH(double, gin);
        QFETCH(double, fastapi);
        QFETCH(QString, flagged);
        QFETCH(int, verdict);
        QFETCH(QString, words);
        RunResult run;
        run.targets = { cell(u"go-gin"_s, u"Go"_s, gin), cell(u"python-fastapi"_s, u"Python"_s, fastapi) };
        if (flagged == u"gin-saturated"_s)
            run.targets[0].generatorSaturated = true;
        if (flagged == u"fastapi-saturated"_s)
            run.targets[1].generatorSaturated = true;
        if (flagged == u"fastapi-errors"_s)
            run.targets[1].errors.timeout = qint64(double(run.targets[1].requests) * 0.045);
        const QList<ClaimRow> rows = articleClaims().check(run);
        const ClaimRow *ratio = row(rows, u"ratio-go-gin-python-fastapi"_s);
        QCOMPARE(int(ratio->verdict), verdict);
        QCOMPARE(ratio->verdictText, words);
        QCOMPARE(ratio->cellIndices, (QList<int> { 0, 1 }));
        QCOMPARE(ratio->caveats.isEmpty(), flagged.isEmpty());
        // The Go-vs-Python row is built on the same two cells and carries the same doubt.
        const ClaimRow *overall = row(rows, u"go-vs-python"_s);
        QCOMPARE(overall->caveats, ratio->caveats);
        if (flagged == u"fastapi-errors"_s)
            QCOMPARE(overall->verdict, ClaimVerdict::NotComparable);
    }
};

QTEST_APPLESS_MAIN(TestClaimCheck)
#include "tst_claimcheck.moc"
