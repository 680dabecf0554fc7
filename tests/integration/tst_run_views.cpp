// One reading of a run, whatever shows it. A real run of four cells - a real
// sample server that completes, a user-catalog server with its own colour that
// completes, a server that answers 500s (failed, with figures) and one cancelled
// by Ctrl-C - is shown by `stackadvisor bench --show`, the History page's table
// model, the CSV and the PDF; every cell and figure they share reads the same.
// A claim pair defined only in a user claims file, and the user server's colour,
// go through the CLI, the GUI and the PDF with no code that knows them.

#include "bench/benchmarkpage.h"
#include "bench/claimsmodel.h"
#include "bench/claimspanel.h"
#include "bench/comparisoncharts.h"
#include "bench/resultspanel.h"
#include "bench/resultstablemodel.h"
#include "charts/chartview.h"
#include "history/historypage.h"

#include "bench/format.h"
#include "bench/runanalysis.h"
#include "platform/processcontrol.h"
#include "store/resultstore.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QChart>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineSeries>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <csignal>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

const QString kApp = QStringLiteral(STACKADVISOR_BIN_DIR "/stackadvisor");
const QString kFixtureServer = QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/fixtures/bench_server.py");
const QString kOwnColour = u"#123456"_s;
const QString kClaimTitle = u"net/http vs Mine (req/s)"_s;

QJsonObject fixtureEntry(const QString &id, const QString &name, const QString &mode)
{
    return { { u"id"_s, id }, { u"name"_s, name }, { u"language"_s, u"Python"_s },
        { u"program"_s, u"python3"_s },
        { u"arguments"_s, QJsonArray::fromStringList({ kFixtureServer, u"--mode"_s, mode }) } };
}

bool writeJson(const QString &path, const QJsonObject &object)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(object).toJson()) > 0;
}

// RFC 4180 records: quoted fields may hold commas, quotes and line breaks.
QList<QStringList> parseCsv(const QString &text)
{
    QList<QStringList> records;
    QStringList record;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text.at(i + 1) == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            record << std::exchange(field, QString());
        } else if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n') {
            record << std::exchange(field, QString());
            records << std::exchange(record, QStringList());
            ++i;
        } else {
            field += c;
        }
    }
    return records;
}

// A table printed as aligned text: cells are separated by two spaces or more.
QStringList cellsOf(const QString &line)
{
    static const QRegularExpression gap(u"\\s{2,}"_s);
    return line.trimmed().split(gap);
}

// The columns the CLI table and the PDF show for this run: it has no database
// cell, so the columns shown only when a cell has them (whenPresent) are left out.
QList<sa::bench::ResultColumn> shownColumns(sa::bench::ResultView view)
{
    QList<sa::bench::ResultColumn> columns = sa::bench::resultColumns(view);
    columns.removeIf([](const sa::bench::ResultColumn &c) { return c.whenPresent; });
    return columns;
}

} // namespace

class TestRunViews : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    qint64 m_runId = -1;
    QString m_cliOut;
    // Per target id: column key → the CLI's text.
    QHash<QString, QHash<QString, QString>> m_cli;

    QString db() const { return m_dir.filePath(u"history.sqlite"_s); }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_DATA_HOME"_s, m_dir.filePath(u"data"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"config"_s));
        env.insert(u"STACKADVISOR_USER_CATALOG"_s, m_dir.filePath(u"user.json"_s));
        env.insert(u"STACKADVISOR_USER_CLAIMS"_s, m_dir.filePath(u"claims.json"_s));
        env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        return env;
    }

    QString runApp(const QStringList &arguments, int *exitCode)
    {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(kApp, arguments);
        if (!process.waitForFinished(120000)) {
            process.kill();
            process.waitForFinished();
        }
        *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        return QString::fromUtf8(process.readAllStandardOutput())
            + QString::fromUtf8(process.readAllStandardError());
    }

private Q_SLOTS:
    void initTestCase();
    void cliTableHasEveryCell();
    void guiTableReadsTheSame();
    void csvHoldsTheSameFigures();
    void pdfReadsTheSame();
    void userServerAndClaimWithoutCode();

    void cleanupTestCase()
    {
        for (int pid : sa::platform::ownedProcesses())
            ::kill(pid, SIGKILL);
    }
};

void TestRunViews::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QFile::exists(kApp));
    // This process reads the same catalog and claims as the app it starts.
    const QProcessEnvironment env = environment();
    for (const QString &name : { u"XDG_DATA_HOME"_s, u"XDG_CONFIG_HOME"_s, u"STACKADVISOR_USER_CATALOG"_s,
             u"STACKADVISOR_USER_CLAIMS"_s })
        qputenv(name.toLatin1().constData(), env.value(name).toLocal8Bit());
    QVERIFY2(!QStandardPaths::findExecutable(u"pdftotext"_s).isEmpty(), "pdftotext: run installer/deps.sh");
    QJsonObject mine = fixtureEntry(u"fx-mine"_s, u"Mine"_s, u"ok"_s);
    mine.insert(u"color"_s, kOwnColour);
    QVERIFY(writeJson(m_dir.filePath(u"user.json"_s),
        { { u"schemaVersion"_s, 1 },
            { u"servers"_s,
                QJsonArray { mine, fixtureEntry(u"fx-errors"_s, u"Fixture errors"_s, u"errors"_s),
                    fixtureEntry(u"fx-late"_s, u"Fixture late"_s, u"ok"_s) } } }));
    // A pair the article does not name, defined only here.
    const QJsonObject claim { { u"id"_s, u"ratio.mine"_s }, { u"kind"_s, u"ratio"_s },
        { u"title"_s, kClaimTitle }, { u"scenario"_s, u"json"_s },
        { u"numerator"_s, QJsonObject { { u"serverId"_s, u"go-nethttp"_s } } },
        { u"denominator"_s, QJsonObject { { u"serverId"_s, u"fx-mine"_s } } }, { u"value"_s, 3 },
        { u"quote"_s, u"Our own claim: net/http serves three times what Mine does."_s } };
    QVERIFY(writeJson(m_dir.filePath(u"claims.json"_s), { { u"claims"_s, QJsonArray { claim } } }));

    // The run: Ctrl-C while the fourth target is being measured.
    QProcess bench;
    auto guard = qScopeGuard([&bench] {
        for (int pid : sa::platform::processesOwnedBy(int(bench.processId())))
            ::kill(pid, SIGKILL);
        bench.kill();
        bench.waitForFinished(5000);
    });
    bench.setProcessEnvironment(environment());
    bench.start(kApp,
        { u"bench"_s, u"--targets"_s, u"go-nethttp,fx-mine,fx-errors,fx-late"_s, u"--connections"_s, u"8"_s,
            u"--rounds"_s, u"1"_s, u"--duration"_s, u"2s"_s, u"--warmup"_s, u"500ms"_s, u"--db"_s, db() });
    QVERIFY(bench.waitForStarted());
    QString err;
    QElapsedTimer clock;
    clock.start();
    while (!err.contains(u"[4/4] fx-late: measuring"_s) && clock.elapsed() < 90000) {
        bench.waitForReadyRead(500);
        err += QString::fromUtf8(bench.readAllStandardError());
        QVERIFY2(bench.state() == QProcess::Running, qPrintable(err));
    }
    QVERIFY2(err.contains(u"[4/4] fx-late: measuring"_s), qPrintable(err));
    ::kill(pid_t(bench.processId()), SIGINT);
    QVERIFY(bench.waitForFinished(30000));
    QCOMPARE(bench.exitCode(), 130);
    const QString out = QString::fromUtf8(bench.readAllStandardOutput());
    const QRegularExpressionMatch saved = QRegularExpression(u"Saved as run (\\d+)"_s).match(out);
    QVERIFY2(saved.hasMatch(), qPrintable(out));
    m_runId = saved.captured(1).toLongLong();
}

// The CLI's table (a past run shown again): one row per cell, the figures of the
// columns the CLI shows.
void TestRunViews::cliTableHasEveryCell()
{
    int code = -1;
    m_cliOut = runApp({ u"bench"_s, u"--show"_s, QString::number(m_runId), u"--db"_s, db(), u"--csv"_s,
                          m_dir.filePath(u"run.csv"_s) },
        &code);
    QCOMPARE(code, 0);
    const QStringList lines = m_cliOut.split(u'\n');
    const qsizetype top = lines.indexOf(QRegularExpression(u"^Id\\s+Scenario.*"_s));
    QVERIFY2(top >= 0, qPrintable(m_cliOut));
    const QStringList header = cellsOf(lines.at(top));
    QList<sa::bench::ResultColumn> columns = shownColumns(sa::bench::ResultView::Cli);
    QCOMPARE(header.size(), columns.size());
    for (qsizetype i = top + 1; i < lines.size() && !lines.at(i).trimmed().isEmpty(); ++i) {
        const QStringList cells = cellsOf(lines.at(i));
        QCOMPARE(cells.size(), columns.size());
        QHash<QString, QString> row;
        for (qsizetype c = 0; c < columns.size(); ++c)
            row.insert(columns.at(c).key, cells.at(c));
        m_cli.insert(row.value(u"target_id"_s), row);
    }
    QCOMPARE(m_cli.size(), 4);
    QCOMPARE(m_cli.value(u"go-nethttp"_s).value(u"status"_s), u"completed"_s);
    QCOMPARE(m_cli.value(u"fx-mine"_s).value(u"status"_s), u"completed"_s);
    QCOMPARE(m_cli.value(u"fx-errors"_s).value(u"status"_s), u"failed"_s);
    QCOMPARE(m_cli.value(u"fx-late"_s).value(u"status"_s), u"cancelled"_s);
    // The failed cell kept its figures (flagged); the cancelled one has none.
    QVERIFY(m_cli.value(u"fx-errors"_s).value(u"requests_per_sec"_s) != sa::fmt::none());
    QCOMPARE(m_cli.value(u"fx-late"_s).value(u"requests_per_sec"_s), sa::fmt::none());
    QVERIFY(m_cli.value(u"go-nethttp"_s).value(u"requests_per_sec"_s) != sa::fmt::none());
    QVERIFY(m_cliOut.contains(u"Warnings:"_s));
}

void TestRunViews::guiTableReadsTheSame()
{
    QVERIFY(!m_cli.isEmpty());
    sa::store::ResultStore store(db());
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    sa::ui::HistoryPage page(&store);
    QVERIFY(page.openRun(m_runId));
    const sa::ui::ResultsTableModel *model = page.resultsPanel()->model();
    QCOMPARE(model->rowCount(), 4);
    int compared = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QString id = model->index(row, 0).data(sa::ui::ResultsTableModel::TargetIdRole).toString();
        QVERIFY2(m_cli.contains(id), qPrintable(id));
        for (auto it = m_cli.value(id).cbegin(); it != m_cli.value(id).cend(); ++it) {
            const int column = model->column(it.key());
            if (column < 0)
                continue; // a column the GUI does not show
            QCOMPARE(model->index(row, column).data().toString(), it.value());
            ++compared;
        }
    }
    QVERIFY(compared >= 4 * 10);
}

void TestRunViews::csvHoldsTheSameFigures()
{
    QFile file(m_dir.filePath(u"run.csv"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QStringList> rows = parseCsv(QString::fromUtf8(file.readAll()));
    QCOMPARE(rows.size(), 5);
    const QStringList header = rows.first();
    // The figures as the CLI printed them, rounded from the CSV's raw values.
    const auto near = [](const QString &text, double value, double unit) {
        if (text == sa::fmt::none())
            return false;
        QString plain = text;
        plain.remove(u',');
        return std::abs(plain.toDouble() - value) <= unit / 2 + 1e-6;
    };
    for (const QStringList &fields : rows.mid(1)) {
        QCOMPARE(fields.size(), header.size());
        const QString id = fields.at(header.indexOf(u"target_id"_s));
        const QHash<QString, QString> cli = m_cli.value(id);
        QCOMPARE(fields.at(header.indexOf(u"status"_s)), cli.value(u"status"_s));
        const QString rps = fields.at(header.indexOf(u"requests_per_sec"_s));
        if (cli.value(u"requests_per_sec"_s) == sa::fmt::none()) {
            QVERIFY2(rps.isEmpty(), qPrintable(id + u": "_s + rps));
            continue;
        }
        QVERIFY2(near(cli.value(u"requests_per_sec"_s), rps.toDouble(), 1.0), qPrintable(id));
        const double p99 = fields.at(header.indexOf(u"latency_p99_us"_s)).toDouble() / 1000.0;
        QVERIFY2(near(cli.value(u"latency_p99_us"_s), p99, p99 < 10 ? 0.01 : 0.1), qPrintable(id));
        QVERIFY2(near(cli.value(u"error_percent"_s), fields.at(header.indexOf(u"error_percent"_s)).toDouble(),
                     0.01),
            qPrintable(id));
    }
}

void TestRunViews::pdfReadsTheSame()
{
    const QString pdf = m_dir.filePath(u"run.pdf"_s);
    int code = -1;
    const QString output = runApp(
        { u"report"_s, u"--run"_s, QString::number(m_runId), u"--db"_s, db(), u"--pdf"_s, pdf }, &code);
    QCOMPARE(code, 0);
    QProcess text;
    text.start(u"pdftotext"_s, { u"-layout"_s, u"-enc"_s, u"UTF-8"_s, pdf, u"-"_s });
    QVERIFY(text.waitForFinished(30000));
    const QStringList lines = QString::fromUtf8(text.readAllStandardOutput()).split(u'\n');
    const QList<sa::bench::ResultColumn> columns = shownColumns(sa::bench::ResultView::Pdf);
    const QHash<QString, QString> names { { u"go-nethttp"_s, u"Go · net/http"_s },
        { u"fx-mine"_s, u"Mine"_s }, { u"fx-errors"_s, u"Fixture errors"_s },
        { u"fx-late"_s, u"Fixture late"_s } };
    for (auto it = names.cbegin(); it != names.cend(); ++it) {
        // The results table's row: the name, then the PDF's columns.
        QStringList expected { it.value() };
        for (const sa::bench::ResultColumn &c : columns.mid(1))
            expected << m_cli.value(it.key()).value(c.key);
        const QString wanted = expected.join(u' ');
        bool found = false;
        QStringList candidates;
        // pdftotext may set two cells one space apart: after the name, the
        // figures are read as words (none of them has a space).
        static const QRegularExpression space(u"\\s+"_s);
        for (const QString &line : lines) {
            const QString trimmed = line.trimmed();
            if (!trimmed.startsWith(it.value()))
                continue;
            candidates << line;
            found
                = found || trimmed.mid(it.value().size()).split(space, Qt::SkipEmptyParts) == expected.mid(1);
        }
        QVERIFY2(found,
            qPrintable(
                u"no row '"_s + wanted + u"' in the PDF; rows naming it:\n"_s + candidates.join(u'\n')));
    }
}

void TestRunViews::userServerAndClaimWithoutCode()
{
    // CLI: the user's claim is checked.
    QVERIFY2(m_cliOut.contains(kClaimTitle), qPrintable(m_cliOut));

    // GUI: the claim in the claims panel, measured; the server's colour in the
    // table, the bar charts and the live charts.
    sa::store::ResultStore store(db());
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    sa::ui::HistoryPage page(&store);
    QVERIFY(page.openRun(m_runId));
    bool claimed = false;
    for (const sa::bench::ClaimRow &row : page.claimsPanel()->model()->rows())
        claimed
            = claimed || (row.title == kClaimTitle && row.verdict != sa::bench::ClaimVerdict::NotMeasured);
    QVERIFY(claimed);
    const sa::ui::ResultsTableModel *model = page.resultsPanel()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(sa::ui::ResultsTableModel::TargetIdRole).toString() == u"fx-mine"_s)
            QCOMPARE(model->index(row, 0).data(Qt::DecorationRole).value<QColor>(), QColor(kOwnColour));
    }
    QChart *bars = page.comparisonCharts()->views().first()->chart();
    bool coloured = false;
    for (QAbstractSeries *series : bars->series()) {
        if (auto *barSeries = qobject_cast<QAbstractBarSeries *>(series)) {
            for (QBarSet *set : barSeries->barSets())
                coloured
                    = coloured || (set->objectName() == u"fx-mine"_s && set->color() == QColor(kOwnColour));
        }
    }
    QVERIFY(coloured);
    sa::ui::BenchmarkPage benchmark(nullptr);
    QVERIFY(benchmark.catalog().find(u"fx-mine"_s));
    QChart *live = benchmark.liveChart(sa::ui::charts::TimelineMetric::RequestsPerSecond);
    sa::bench::IntervalSample sample;
    sample.tSeconds = 1;
    sample.requestsPerSecond = 100;
    sa::ui::charts::updateTimeline(
        live, sa::ui::charts::TimelineMetric::RequestsPerSecond, u"fx-mine"_s, u"Mine"_s, { sample });
    bool liveColoured = false;
    for (QAbstractSeries *series : live->series()) {
        if (auto *line = qobject_cast<QLineSeries *>(series); line && line->objectName() == u"fx-mine"_s)
            liveColoured = line->pen().color() == QColor(kOwnColour);
    }
    QVERIFY(liveColoured);

    // PDF: the claim's title, and the colour drawn (table swatch and bars).
    const QString pdf = m_dir.filePath(u"run.pdf"_s);
    QVERIFY(QFile::exists(pdf));
    QProcess text;
    text.start(u"pdftotext"_s, { u"-enc"_s, u"UTF-8"_s, pdf, u"-"_s });
    QVERIFY(text.waitForFinished(30000));
    QVERIFY(QString::fromUtf8(text.readAllStandardOutput()).simplified().contains(kClaimTitle));
    QProcess render;
    render.start(u"pdftoppm"_s, { u"-r"_s, u"40"_s, u"-png"_s, pdf, m_dir.filePath(u"page"_s) });
    QVERIFY(render.waitForFinished(60000));
    const QColor own(kOwnColour);
    int pixels = 0;
    for (const QString &png : QDir(m_dir.path()).entryList({ u"page*.png"_s })) {
        const QImage image(m_dir.filePath(png));
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = image.pixelColor(x, y);
                pixels += std::abs(c.red() - own.red()) + std::abs(c.green() - own.green())
                        + std::abs(c.blue() - own.blue())
                    < 24;
            }
        }
    }
    QVERIFY2(pixels > 20, qPrintable(u"%1 pixels of the server's colour in the PDF"_s.arg(pixels)));
}

QTEST_MAIN(TestRunViews)
#include "tst_run_views.moc"
