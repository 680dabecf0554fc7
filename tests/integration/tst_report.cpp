// The PDF report end to end: real benchmark runs of real sample servers (one of
// them with a target that cannot start), then `stackadvisor report` and
// `stackadvisor bench --pdf` for answers only, a run only, both, and the failed
// run. Each PDF is read back (QPdfDocument for pages and size, pdftotext for the
// text as a reader's search finds it) and rendered to PNG in the artefacts folder.
#include <QtTest>

#include <QJsonDocument>
#include <QPdfDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include "../ui/sampleresults.h"
#include "advisor/scorer.h"
#include "bench/claimcheck.h"
#include "bench/format.h"
#include "bench/results.h"
#include "platform/paths.h"
#include "report/reportdocument.h"
#include "store/resultstore.h"

using namespace Qt::StringLiterals;

namespace {

QString binary(const char *name)
{
    return QStringLiteral(STACKADVISOR_BIN_DIR "/") + QLatin1String(name);
}

QString answersFile()
{
    return QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/data/high-traffic-go-team.json");
}

struct Outcome
{
    int exitCode = -1;
    QString out;
    QString err;
};

// Runs the app; the QProcess is killed on any early return (its destructor).
Outcome runApp(const QStringList &arguments, int timeoutMs = 120000)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    process.setProcessEnvironment(env);
    process.start(binary("stackadvisor"), arguments);
    Outcome outcome;
    if (!process.waitForStarted(10000) || !process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        outcome.err = u"did not finish: "_s + arguments.join(u' ');
        return outcome;
    }
    outcome.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    outcome.out = QString::fromUtf8(process.readAllStandardOutput());
    outcome.err = QString::fromUtf8(process.readAllStandardError());
    return outcome;
}

// The text of a PDF as pdftotext reads it, whitespace collapsed so that a phrase
// wrapped over two lines of a table cell is still found. In reading order, table
// cells may come out column by column (how depends on the figures' widths);
// `layout` keeps each table row on one line, as printed.
enum class TextOrder { Reading, Layout };
QString pdfText(const QString &path, TextOrder order = TextOrder::Reading)
{
    QStringList arguments { u"-enc"_s, u"UTF-8"_s, path, u"-"_s };
    if (order == TextOrder::Layout)
        arguments.prepend(u"-layout"_s);
    QProcess process;
    process.start(u"pdftotext"_s, arguments);
    if (!process.waitForFinished(30000))
        return {};
    return QString::fromUtf8(process.readAllStandardOutput()).simplified();
}

std::optional<sa::bench::RunResult> readRun(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    QString error;
    return sa::bench::RunResult::fromJson(QJsonDocument::fromJson(file.readAll()).object(), &error);
}

void saveArtifacts(const QString &pdf, const QString &name)
{
    const QString dir = QStringLiteral(STACKADVISOR_ARTIFACTS_DIR "/report");
    QDir().mkpath(dir);
    QFile::remove(dir + u"/"_s + name + u".pdf"_s);
    QFile::copy(pdf, dir + u"/"_s + name + u".pdf"_s);
    QProcess process;
    process.start(u"pdftoppm"_s, { u"-r"_s, u"60"_s, u"-png"_s, pdf, dir + u"/"_s + name });
    process.waitForFinished(60000);
}

} // namespace

class TestReport final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void report_data();
    void report();
    void letterPageSize();
    void htmlFromTheSameDocument();
    void unknownRunId();
    void unwritablePath();
    void diskFull();
    void badInput_data();
    void badInput();
    void flaggedCellsCarryTheirDoubts();

private:
    QTemporaryDir m_dir;
    QString m_db;
    QString m_runJson;
    QString m_failedJson;
    QString m_benchPdf;
};

void TestReport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFileInfo::exists(binary("stackadvisor")), "build the stackadvisor target first");
    QVERIFY2(!QStandardPaths::findExecutable(u"pdftotext"_s).isEmpty(),
        "pdftotext is missing: apt-get install poppler-utils");
    m_db = m_dir.filePath(u"history.sqlite"_s);
    m_runJson = m_dir.filePath(u"run.json"_s);
    m_failedJson = m_dir.filePath(u"failed.json"_s);
    m_benchPdf = m_dir.filePath(u"bench.pdf"_s);

    // A real, short run of two real servers (run 1 of the history).
    const Outcome ok = runApp({ u"bench"_s, u"--targets"_s, u"go-nethttp,python-flask"_s, u"--rounds"_s,
        u"1"_s, u"--duration"_s, u"2s"_s, u"--warmup"_s, u"0s"_s, u"--connections"_s, u"32"_s, u"--db"_s,
        m_db, u"--json"_s, m_runJson });
    QVERIFY2(
        ok.exitCode == 0, qPrintable(u"bench failed (are the servers built? make servers): "_s + ok.err));

    // A run with a target whose program does not exist (run 2), reported by bench itself.
    const QString catalog = m_dir.filePath(u"user-servers.json"_s);
    QFile file(catalog);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"schemaVersion": 1, "servers": [{
        "id": "my-missing-server", "name": "My missing server", "language": "Go", "runtime": "go",
        "framework": "custom", "program": "{catalogDir}/no-such-program", "arguments": [],
        "environment": {}, "readinessPath": "/healthz", "ioWait": "async",
        "notBuiltHint": "build it first"}]})");
    file.close();
    const Outcome failed
        = runApp({ u"bench"_s, u"--catalog"_s, catalog, u"--targets"_s, u"go-nethttp,my-missing-server"_s,
            u"--rounds"_s, u"1"_s, u"--duration"_s, u"1s"_s, u"--warmup"_s, u"0s"_s, u"--connections"_s,
            u"32"_s, u"--db"_s, m_db, u"--json"_s, m_failedJson, u"--pdf"_s, m_benchPdf });
    QVERIFY2(failed.exitCode == 1, qPrintable(u"exit %1: "_s.arg(failed.exitCode) + failed.err));
    QVERIFY2(QFileInfo::exists(m_benchPdf), qPrintable(failed.err));
}

void TestReport::report_data()
{
    QTest::addColumn<QStringList>("arguments"); // empty: the PDF bench --pdf wrote
    QTest::addColumn<bool>("hasAnswers");
    QTest::addColumn<QString>("runJson"); // "" = no run in the report

    const QString runJson = QStringLiteral("run.json");
    QTest::addRow("answers-only") << QStringList { u"--answers"_s, answersFile() } << true << QString();
    QTest::addRow("run-only") << QStringList { u"--run"_s, u"1"_s } << false << runJson;
    QTest::addRow("both") << QStringList { u"--answers"_s, answersFile(), u"--run"_s, u"1"_s, u"--project"_s,
        u"Checkout service"_s }
                          << true << runJson;
    QTest::addRow("failed-target") << QStringList { u"--answers"_s, answersFile(), u"--run"_s, u"latest"_s }
                                   << true << QStringLiteral("failed.json");
    QTest::addRow("bench-pdf") << QStringList() << false << QStringLiteral("failed.json");
}

void TestReport::report()
{
    QFETCH(QStringList, arguments);
    QFETCH(bool, hasAnswers);
    QFETCH(QString, runJson);

    QString pdf = m_benchPdf;
    if (!arguments.isEmpty()) {
        pdf = m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()) + u".pdf"_s);
        const Outcome outcome
            = runApp(QStringList { u"report"_s, u"--db"_s, m_db, u"--pdf"_s, pdf } + arguments);
        QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.err));
        QVERIFY(outcome.out.contains(u"Wrote "_s));
    }
    saveArtifacts(pdf, u"report-"_s + QString::fromLatin1(QTest::currentDataTag()));

    QPdfDocument document;
    QCOMPARE(document.load(pdf), QPdfDocument::Error::None);
    // Cover + eight sections, each on its own page at least.
    QVERIFY2(document.pageCount() >= 9, qPrintable(QString::number(document.pageCount())));
    const QString text = pdfText(pdf);
    QVERIFY(!text.isEmpty());
    QVERIFY(text.contains(u"Page 1 of %1"_s.arg(document.pageCount())));
    QVERIFY(text.contains(u"Page %1 of %1"_s.arg(document.pageCount())));
    for (const QString &section : { u"Executive summary"_s, u"Questionnaire answers"_s,
             u"Scores per criterion"_s, u"Benchmark results"_s, u"Claims vs. measured"_s,
             u"Capacity at your peak"_s, u"Methodology"_s, u"Appendix: latency percentiles"_s })
        QVERIFY2(text.contains(section), qPrintable(section));

    if (hasAnswers) {
        QString error;
        const auto scorer = sa::advisor::Scorer::fromResources(&error);
        QVERIFY2(scorer, qPrintable(error));
        const auto answers = sa::advisor::Answers::load(answersFile(), scorer->questionnaire(), &error);
        QVERIFY2(answers, qPrintable(error));
        const sa::advisor::Recommendation recommendation = scorer->recommend(*answers);
        QVERIFY2(
            text.contains(u"Verdict: "_s + recommendation.headline), qPrintable(recommendation.headline));
        QVERIFY(text.contains(recommendation.answers.constFirst().title.simplified()));
    } else {
        QVERIFY(text.contains(u"No verdict: the questionnaire was not answered"_s));
    }

    if (runJson.isEmpty()) {
        QVERIFY(text.contains(u"No benchmark run"_s));
        QVERIFY(text.contains(u"stackadvisor bench"_s));
        return;
    }
    const auto run = readRun(m_dir.filePath(runJson));
    QVERIFY(run);
    QVERIFY(!run->targets.isEmpty());
    const QString rows = pdfText(pdf, TextOrder::Layout);
    for (const sa::bench::TargetResult &target : run->targets) {
        QVERIFY2(text.contains(target.displayName), qPrintable(target.displayName));
        if (target.status == sa::bench::TargetStatus::Completed) {
            // The figure as the table prints it, right after the target's name.
            const QString row = target.displayName + u' ' + sa::fmt::number(target.requestsPerSecond);
            QVERIFY2(rows.contains(row), qPrintable(row));
        } else {
            QVERIFY(!target.failureReason.isEmpty());
            const QString reason = target.failureReason.simplified().left(40);
            QVERIFY2(text.contains(reason), qPrintable(reason));
            QVERIFY(text.contains(u"did not complete"_s));
        }
    }
    // The claims section: every row of the claim check, and the ratio of each measured one.
    QString error;
    const auto claims = sa::bench::ClaimCheck::load(sa::bench::ClaimCheck::defaultClaimsFile(), &error);
    QVERIFY2(claims, qPrintable(error));
    const QString claimsText = text.mid(text.lastIndexOf(u"Claims vs. measured"_s));
    for (const sa::bench::ClaimRow &row : claims->check(*run)) {
        QVERIFY2(claimsText.contains(row.title), qPrintable(row.title));
        if (row.ratio > 0) {
            const QString ratio = sa::fmt::number(row.ratio, 2) + u"×"_s;
            QVERIFY2(claimsText.contains(ratio), qPrintable(row.title + u": "_s + ratio));
        }
    }
    QVERIFY(claimsText.contains(u"8–10×"_s));
    QVERIFY(text.contains(u"Cores at peak"_s) == hasAnswers);
}

void TestReport::letterPageSize()
{
    const QString pdf = m_dir.filePath(u"letter.pdf"_s);
    const Outcome outcome = runApp(
        { u"report"_s, u"--answers"_s, answersFile(), u"--page-size"_s, u"letter"_s, u"--pdf"_s, pdf });
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.err));
    QPdfDocument document;
    QCOMPARE(document.load(pdf), QPdfDocument::Error::None);
    const QSizeF size = document.pagePointSize(0);
    QVERIFY2(qAbs(size.width() - 612) < 2 && qAbs(size.height() - 792) < 2,
        qPrintable(u"%1 x %2"_s.arg(size.width()).arg(size.height())));
}

void TestReport::htmlFromTheSameDocument()
{
    const QString html = m_dir.filePath(u"report.html"_s);
    const QString pdf = m_dir.filePath(u"with-html.pdf"_s);
    const Outcome outcome = runApp({ u"report"_s, u"--answers"_s, answersFile(), u"--run-json"_s, m_runJson,
        u"--html"_s, html, u"--pdf"_s, pdf });
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.err));
    QFile file(html);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    QVERIFY(text.startsWith(u"<!DOCTYPE html>"_s));
    QVERIFY(text.contains(u"<svg"_s));
    const auto run = readRun(m_runJson);
    QVERIFY(run);
    for (const sa::bench::TargetResult &target : run->targets)
        QVERIFY(text.contains(sa::fmt::number(target.requestsPerSecond)));
    QVERIFY(text.contains(u"Claims vs. measured"_s));
}

void TestReport::unknownRunId()
{
    const QString pdf = m_dir.filePath(u"unknown.pdf"_s);
    const Outcome outcome = runApp({ u"report"_s, u"--db"_s, m_db, u"--run"_s, u"999"_s, u"--pdf"_s, pdf });
    QCOMPARE(outcome.exitCode, 2);
    QVERIFY2(outcome.err.contains(u"no run 999"_s), qPrintable(outcome.err));
    QVERIFY(outcome.err.contains(u"stackadvisor bench --history"_s));
    QVERIFY(!QFileInfo::exists(pdf));
}

void TestReport::unwritablePath()
{
    // A folder that does not exist, and a read-only folder (root ignores file modes,
    // so a path under a regular file stands in for it).
    const QString blocker = m_dir.filePath(u"a-file"_s);
    QFile file(blocker);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    for (const QString &pdf :
        QStringList { m_dir.filePath(u"no/such/folder/report.pdf"_s), blocker + u"/report.pdf"_s }) {
        const Outcome outcome = runApp({ u"report"_s, u"--answers"_s, answersFile(), u"--pdf"_s, pdf });
        QCOMPARE(outcome.exitCode, 1);
        QVERIFY2(outcome.err.contains(u"cannot write the report to"_s), qPrintable(outcome.err));
        QVERIFY(!QFileInfo::exists(pdf));
    }
    // Nothing half-written beside the files: only what the tests made on purpose.
    const QStringList leftovers = QDir(m_dir.path()).entryList({ u"*.pdf.*"_s, u"qt_temp*"_s }, QDir::Files);
    QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(u", "_s)));
}

void TestReport::diskFull()
{
    // A write that fails half-way, as on a full disk: the process may write at most
    // 16 KiB per file (RLIMIT_FSIZE, with SIGXFSZ ignored so write() fails with EFBIG).
    const QString pdf = m_dir.filePath(u"full-disk.pdf"_s);
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    process.setProcessEnvironment(env);
    process.start(u"bash"_s,
        { u"-c"_s, u"trap '' XFSZ; ulimit -f 16; exec \"$0\" \"$@\""_s, binary("stackadvisor"), u"report"_s,
            u"--answers"_s, answersFile(), u"--pdf"_s, pdf });
    QVERIFY(process.waitForFinished(60000));
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QCOMPARE(process.exitCode(), 1);
    QVERIFY2(err.contains(u"cannot write the report to"_s), qPrintable(err));
    QVERIFY(!QFileInfo::exists(pdf));
    const QStringList leftovers = QDir(m_dir.path()).entryList({ u"full-disk*"_s }, QDir::Files);
    QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(u", "_s)));
}

void TestReport::badInput_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::addRow("no output") << QStringList { u"--answers"_s, answersFile() } << u"--pdf OUT"_s;
    QTest::addRow("page size") << QStringList { u"--page-size"_s, u"a3"_s, u"--pdf"_s, u"x.pdf"_s }
                               << u"a4 nor letter"_s;
    QTest::addRow("run id") << QStringList { u"--run"_s, u"first"_s, u"--pdf"_s, u"x.pdf"_s }
                            << u"bench --history"_s;
    QTest::addRow("answers") << QStringList { u"--answers"_s, u"/nonexistent/answers.json"_s, u"--pdf"_s,
        u"x.pdf"_s } << u"answers.json"_s;
    QTest::addRow("run json") << QStringList { u"--run-json"_s, answersFile(), u"--pdf"_s, u"x.pdf"_s }
                              << u"high-traffic-go-team.json"_s;
}

void TestReport::badInput()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Outcome outcome = runApp(QStringList { u"report"_s, u"--db"_s, m_db } + arguments);
    QCOMPARE(outcome.exitCode, 2);
    QVERIFY2(outcome.err.contains(message), qPrintable(outcome.err));
    QVERIFY(!QFileInfo::exists(u"x.pdf"_s));
}

// A run whose FastAPI had 4.5 % of its requests time out and whose Gin saturated
// the load generator (the figures of a real run of the issue): every claim and
// figure built on them says so, in the CLI's table and in the PDF, and a verdict
// on an incomparable cell is "not comparable".
void TestReport::flaggedCellsCarryTheirDoubts()
{
    sa::bench::RunResult run;
    run.status = sa::bench::RunStatus::Completed;
    run.startedAt = QDateTime::currentDateTimeUtc().addSecs(-60);
    run.finishedAt = run.startedAt.addSecs(50);
    run.plan.rounds = 1;
    run.machine.cpuModel = u"Test CPU"_s;
    run.machine.logicalCores = 2;
    sa::bench::TargetResult gin = sa::test::makeTarget(u"go-gin"_s, u"Go · Gin"_s, 41230, 9.6, 14);
    gin.framework = u"Gin"_s;
    gin.generatorSaturated = true;
    gin.saturationReason = u"the load generator's CPU was busy 99 % of the window"_s;
    sa::bench::TargetResult fiber = sa::test::makeTarget(u"go-fiber"_s, u"Go · Fiber"_s, 52577, 7.1, 12);
    fiber.framework = u"Fiber"_s;
    sa::bench::TargetResult fastapi
        = sa::test::makeTarget(u"python-fastapi"_s, u"Python · FastAPI"_s, 3377, 640, 52);
    fastapi.framework = u"FastAPI"_s;
    fastapi.errors.timeout = fastapi.requests * 45 / 955;
    sa::bench::TargetResult django
        = sa::test::makeTarget(u"python-django"_s, u"Python · Django"_s, 1512, 612, 71);
    django.framework = u"Django"_s;
    run.targets = { gin, fiber, fastapi, django };
    for (const sa::bench::TargetResult &t : std::as_const(run.targets))
        run.plan.targetIds << t.targetId;
    const QString db = m_dir.filePath(u"flagged.sqlite"_s);
    {
        sa::store::ResultStore store(db);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        QVERIFY2(store.save(run, &error), qPrintable(error));
    }
    const sa::bench::RunAnalysis analysis = sa::bench::RunAnalysis::analyse(run);
    QVERIFY(analysis.claimsChecked());

    const Outcome show = runApp({ u"bench"_s, u"--db"_s, db, u"--show"_s, u"latest"_s });
    QVERIFY2(show.exitCode == 0, qPrintable(show.err));
    const QString pdf = m_dir.filePath(u"flagged.pdf"_s);
    const Outcome report = runApp({ u"report"_s, u"--db"_s, db, u"--run"_s, u"latest"_s, u"--answers"_s,
        answersFile(), u"--pdf"_s, pdf });
    QVERIFY2(report.exitCode == 0, qPrintable(report.err));
    saveArtifacts(pdf, u"report-flagged"_s);
    const QString text = pdfText(pdf);
    const QString cli = show.out.simplified();

    int onFastApi = 0, onGin = 0;
    for (const sa::bench::ClaimRow &row : analysis.claims()) {
        bool usesFastApi = false, usesGin = false;
        for (int i : row.cellIndices) {
            usesFastApi |= run.targets.at(i).targetId == u"python-fastapi"_s;
            usesGin |= run.targets.at(i).targetId == u"go-gin"_s;
        }
        if (usesFastApi) {
            // Built on a cell that is not comparable: not comparable, naming it.
            ++onFastApi;
            QCOMPARE(row.verdict, sa::bench::ClaimVerdict::NotComparable);
            QVERIFY2(row.verdictText.contains(u"FastAPI"_s), qPrintable(row.verdictText));
        }
        if (usesGin) {
            ++onGin;
            QVERIFY2(row.verdictText.contains(u"Gin"_s) || row.caveats.join(u' ').contains(u"Gin"_s),
                qPrintable(row.title));
        }
        if (!usesFastApi && !usesGin)
            continue;
        // Said where the claim is shown: the CLI's table and the PDF's.
        QVERIFY2(
            cli.contains(row.verdictText.simplified()), qPrintable(row.title + u": "_s + row.verdictText));
        if (row.verdict != sa::bench::ClaimVerdict::NotComparable)
            QVERIFY2(cli.contains(u"⚠ "_s + row.caveats.join(u"; "_s).simplified()), qPrintable(row.title));
        QVERIFY2(
            text.contains(row.verdictText.simplified()), qPrintable(row.title + u": "_s + row.verdictText));
    }
    QVERIFY(onFastApi >= 1); // Gin vs FastAPI at least
    QVERIFY(onGin >= 1); // Fiber vs Gin at least

    // The summary's key figures: FastAPI is left out with why, not headlined.
    QVERIFY(!text.contains(u"Best Python 3,377"_s));
    QVERIFY(text.contains(u"Not in these figures: not comparable"_s));
    // The Go-over-Python sentence carries its verdict mid-sentence, in lower case.
    const sa::bench::ClaimRow *goVsPython = analysis.goVsPython();
    QVERIFY(goVsPython && goVsPython->verdict == sa::bench::ClaimVerdict::NotComparable);
    QVERIFY2(text.simplified().contains(u"here: not comparable: "_s), qPrintable(text));
    QVERIFY(!text.simplified().contains(u"here: Not comparable"_s));
    // Each doubt beside its figures, under the results table.
    QVERIFY(text.contains(u"Doubts about these figures"_s));
    for (const sa::bench::CellAnalysis &cell : analysis.cells()) {
        if (!cell.caveat().isEmpty())
            QVERIFY2(
                text.contains(cell.caveat().simplified()), qPrintable(cell.name + u": "_s + cell.caveat()));
    }
    // What would help FastAPI's timeouts, in the CLI.
    QVERIFY2(cli.contains(u"to try: --connections 500"_s), qPrintable(cli));

    // The report reads as sentences: no data-file key, no sentence said twice.
    static const QRegularExpression configKey(u"`|->|\\bverdict\\.[a-z]"_s);
    QVERIFY2(!configKey.match(text).hasMatch(), qPrintable(configKey.match(text).captured()));
    QVERIFY(!text.contains(u"Verdict: Hybrid:"_s));
    QMap<QString, int> sentences;
    static const QRegularExpression sentenceEnd(u"(?<=[.!?])\\s+"_s);
    for (const QString &sentence : text.split(sentenceEnd)) {
        if (sentence.size() >= 80)
            ++sentences[sentence];
    }
    for (auto it = sentences.cbegin(); it != sentences.cend(); ++it)
        QVERIFY2(it.value() == 1, qPrintable(u"said %1 times: "_s.arg(it.value()) + it.key()));
}

QTEST_GUILESS_MAIN(TestReport)
#include "tst_report.moc"
