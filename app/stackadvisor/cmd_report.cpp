// stackadvisor report: the PDF (and HTML) report from questionnaire answers and
// a benchmark run of the history, without a display. Also the `--pdf OUT` of
// `stackadvisor bench` (writeRunReport).

#include "cli.h"
#include "commands.h"

#include "advisor/scorer.h"
#include "bench/results.h"
#include "store/resultstore.h"

#ifdef STACKADVISOR_WITH_GUI
#include "report/reportwriter.h"
#endif

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace sa::cli {

namespace {

const QString kCommand = u"report"_s;

QString helpText()
{
    return u"Usage: stackadvisor report [--answers FILE] [--run ID|latest | --run-json FILE]\n"
           "                          (--pdf OUT | --html OUT)... [OPTIONS]\n"
           "\n"
           "Writes the report a tech lead can hand to the team: cover, executive summary (the\n"
           "verdict, the reasons that weigh most, the headline measured figures, what would\n"
           "change the verdict), the answers, the scores per criterion, the benchmark results\n"
           "with charts, the article's claims against the measurements, the capacity at your\n"
           "stated peak, the methodology, and the full percentile tables. Either input may be\n"
           "left out: the report then says what is missing.\n"
           "\n"
           "Options:\n"
           "  --answers FILE      Questionnaire answers (format: README, \"Advisor\"; see "
           "tests/data/*.json)\n"
           "  --run ID|latest     A run of the history (see stackadvisor bench --history)\n"
           "  --run-json FILE     A run exported with stackadvisor bench --json FILE\n"
           "  --db FILE           History database (default: the app's data folder)\n"
           "  --pdf OUT           Write the PDF to OUT\n"
           "  --html OUT          Write the same report as one HTML file (charts as inline SVG)\n"
           "  --page-size SIZE    a4 (default) or letter\n"
           "  --project NAME      The project's name, on the cover and in every page header\n"
           "  -h, --help          Show this help\n"
           "\n"
           "Files are written whole or not at all. Exit codes: 0 written; 1 a file could not be\n"
           "written (nothing is left behind); 2 bad input (unknown run, bad answers, bad option).\n"_s;
}

} // namespace

#ifdef STACKADVISOR_WITH_GUI

namespace {

bool writeReports(const ui::report::ReportInputs &inputs, ui::report::PageSize pageSize,
    const QString &pdfPath, const QString &htmlPath, QString *message, QString *error)
{
    QElapsedTimer timer;
    timer.start();
    ui::report::ReportWriter writer(ui::report::ReportDocument::build(inputs));
    writer.setPageSize(pageSize);
    QStringList written;
    if (!pdfPath.isEmpty()) {
        if (!writer.writePdfFile(pdfPath, error))
            return false;
        written << u"%1 (%2 pages)"_s.arg(pdfPath).arg(writer.pageCount());
    }
    if (!htmlPath.isEmpty()) {
        if (!writer.writeHtmlFile(htmlPath, error))
            return false;
        written << htmlPath;
    }
    *message = u"Wrote %1 in %2 ms.\n"_s.arg(written.join(u" and "_s)).arg(timer.elapsed());
    return true;
}

} // namespace

bool writeRunReport(const bench::RunAnalysis &analysis, const QString &pdfPath, QString *error)
{
    ui::report::ReportInputs inputs;
    inputs.analysis = analysis;
    inputs.completeFromEnvironment();
    QString message;
    if (!writeReports(inputs, ui::report::PageSize::A4, pdfPath, QString(), &message, error))
        return false;
    printOut(message);
    return true;
}

int runReport(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption answersFile(u"answers"_s, u"answers"_s, u"FILE"_s),
        run(u"run"_s, u"run"_s, u"ID"_s), runJson(u"run-json"_s, u"run"_s, u"FILE"_s),
        dbFile(u"db"_s, u"db"_s, u"FILE"_s), pdf(u"pdf"_s, u"pdf"_s, u"OUT"_s),
        html(u"html"_s, u"html"_s, u"OUT"_s), pageSize(u"page-size"_s, u"size"_s, u"SIZE"_s, u"a4"_s),
        project(u"project"_s, u"name"_s, u"NAME"_s), help(QStringList { u"h"_s, u"help"_s });
    parser.addOptions({ answersFile, run, runJson, dbFile, pdf, html, pageSize, project, help });
    if (!parser.parse(QStringList { u"stackadvisor report"_s } + arguments)) {
        printError(kCommand, parser.errorText() + u" (see stackadvisor report --help)"_s);
        return ExitBadInput;
    }
    if (parser.isSet(help)) {
        printOut(helpText());
        return ExitOk;
    }
    const auto bad = [](const QString &message) {
        printError(kCommand, message);
        return ExitBadInput;
    };
    if (!parser.positionalArguments().isEmpty())
        return bad(u"unexpected argument '%1' (see stackadvisor report --help)"_s.arg(
            parser.positionalArguments().constFirst()));
    if (!parser.isSet(pdf) && !parser.isSet(html))
        return bad(u"say where to write the report: --pdf OUT and/or --html OUT"_s);
    if (parser.isSet(run) && parser.isSet(runJson))
        return bad(u"give either --run or --run-json, not both"_s);
    const auto size = ui::report::pageSizeFromId(parser.value(pageSize));
    if (!size)
        return bad(u"--page-size '%1' is neither a4 nor letter"_s.arg(parser.value(pageSize)));

    ui::report::ReportInputs inputs;
    inputs.projectName = parser.value(project);
    QString error;
    std::optional<advisor::Scorer> scorer;
    std::optional<advisor::Answers> answers;
    if (parser.isSet(answersFile)) {
        scorer = advisor::Scorer::fromResources(&error);
        if (!scorer) {
            printError(kCommand, error);
            return ExitFailure;
        }
        answers = advisor::Answers::load(parser.value(answersFile), scorer->questionnaire(), &error);
        if (!answers)
            return bad(error);
        inputs.answersSource = QFileInfo(parser.value(answersFile)).fileName();
    }
    if (parser.isSet(run)) {
        store::ResultStore store(parser.value(dbFile));
        // Reading only: a read-only or full history still gives its runs. One that
        // cannot be opened is a failed job, not bad input.
        if (!store.open(&error, store::ResultStore::OpenMode::ReadOnly)) {
            printError(kCommand, error);
            return ExitFailure;
        }
        const QString value = parser.value(run);
        std::optional<qint64> id;
        if (value == u"latest"_s) {
            id = store.latestId();
            if (!id)
                return bad(
                    u"the history in %1 has no runs yet: run `stackadvisor bench` first"_s.arg(store.path()));
        } else {
            bool ok = false;
            const qint64 number = value.toLongLong(&ok);
            if (!ok || number <= 0)
                return bad(
                    u"--run '%1' is not a run id or 'latest'; list the runs with: stackadvisor bench --history"_s
                        .arg(value));
            id = number;
        }
        store::ResultStore::LoadFailure failure;
        auto loaded = store.load(*id, &error, &failure);
        if (!loaded && failure == store::ResultStore::LoadFailure::NoSuchRun)
            return bad(
                u"there is no run %1 in %2; list the runs with: stackadvisor bench --history%3"_s.arg(*id)
                    .arg(
                        store.path(), parser.isSet(dbFile) ? u" --db "_s + parser.value(dbFile) : QString()));
        if (!loaded) {
            printError(kCommand, error); // damaged, or the history could not be read
            return ExitFailure;
        }
        inputs.setRun(*loaded);
    } else if (parser.isSet(runJson)) {
        QFile file(parser.value(runJson));
        if (!file.open(QIODevice::ReadOnly))
            return bad(u"cannot read %1: %2"_s.arg(file.fileName(), file.errorString()));
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
        if (!document.isObject())
            return bad(u"%1 is not a run exported with stackadvisor bench --json: %2"_s.arg(file.fileName(),
                parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                             : u"not a JSON object"_s));
        auto loaded = bench::RunResult::fromJson(document.object(), &error);
        if (!loaded)
            return bad(u"%1: %2"_s.arg(file.fileName(), error));
        inputs.setRun(*loaded);
    }
    // The advisor's capacity criterion reads the run's figures when there is a run.
    if (scorer && answers) {
        inputs.recommendation
            = scorer->recommend(*answers, scorer->evidenceFor(inputs.analysis ? &*inputs.analysis : nullptr),
                scorer->capacityModel().defaultCost());
    }
    inputs.completeFromEnvironment();

    QString message;
    if (!writeReports(inputs, *size, parser.value(pdf), parser.value(html), &message, &error)) {
        printError(kCommand, error);
        return ExitFailure;
    }
    if (!inputs.recommendation)
        message += u"Note: no --answers, so the report has no verdict.\n"_s;
    if (!inputs.analysis)
        message += u"Note: no --run, so the report has no measurements.\n"_s;
    printOut(message);
    return ExitOk;
}

#else

bool writeRunReport(const bench::RunAnalysis &, const QString &, QString *error)
{
    *error = u"this build has no report writer (configured with STACKADVISOR_BUILD_GUI=OFF)"_s;
    return false;
}

int runReport(const QStringList &arguments)
{
    if (arguments.contains(u"--help"_s) || arguments.contains(u"-h"_s)) {
        printOut(helpText());
        return ExitOk;
    }
    printError(kCommand, u"this build has no report writer (configured with STACKADVISOR_BUILD_GUI=OFF)"_s);
    return ExitBadInput;
}

#endif

bool reportPaints(const QStringList &)
{
    return true;
}

bool benchPaints(const QStringList &arguments)
{
    for (const QString &argument : arguments) {
        if (argument == u"--pdf"_s || argument.startsWith(u"--pdf="_s))
            return true;
    }
    return false;
}

} // namespace sa::cli
