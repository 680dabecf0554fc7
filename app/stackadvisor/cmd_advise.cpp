// stackadvisor advise: the questionnaire in a terminal or from a file, two
// answer sets compared, and the recommendation as text or JSON.

#include "cli.h"
#include "commands.h"

#include "advisor/comparison.h"
#include "advisor/scorer.h"
#include "bench/runanalysis.h"
#include "platform/paths.h"
#include "store/resultstore.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cmath>
#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace sa::cli {

namespace {

const QString kCommand = u"advise"_s;

QString helpText()
{
    return u"Usage: stackadvisor advise [--answers FILE] [--json] [--save FILE] [--interactive]\n"
           "                          [--run ID|latest|none] [--db FILE]\n"
           "                          [--price-per-vcpu-month N] [--cores-per-server N]\n"
           "       stackadvisor advise --compare A.json B.json [--json] [--run …]\n"
           "\n"
           "Scores your answers against the article \"Go vs Python for Web Development\" (2026)\n"
           "and prints the verdict (Go, Python or Hybrid, with the parts each stack builds), its\n"
           "confidence (\"Too close to call\" when low, with the answers that would decide it),\n"
           "both scores in points, each criterion's points with the article's reason and how much\n"
           "its weight would have to change to change the verdict, the server cores, servers and\n"
           "monthly cost each stack needs at your peak, and the changes of answer that would\n"
           "change the verdict.\n"
           "\n"
           "Without --answers and with a terminal on stdin, the questions are asked one by one:\n"
           "options by their numbers, a peak as 25000, 25,000, 25 000 or 25k; Enter takes\n"
           "\"Not sure\" where a question offers it and asks again where it does not.\n"
           "\n"
           "Options:\n"
           "  --answers FILE   Read the answers from FILE ('-' for stdin). Format:\n"
           "                   {\"format\": \"stackadvisor-answers\", \"version\": 2,\n"
           "                    \"answers\": {\"peak-rps\": 25000, \"ai-ml\": \"none\", ...}}\n"
           "                   (examples: tests/data/*.json; version 1 files work too)\n"
           "  --compare A B    Advise on two answers files side by side: both verdicts, the\n"
           "                   answers and the criteria that differ\n"
           "  --json           Print the recommendation (or comparison) as JSON (README, Advisor)\n"
           "  --save FILE      Also write the answers to FILE (checked before any question)\n"
           "  --interactive    Ask the questions even when stdin is not a terminal\n"
           "  --run ID         The benchmark run whose measured figures the capacity criterion\n"
           "                   reads: a run id, 'latest' (the default, when the history has a\n"
           "                   run) or 'none' (the article's published figures)\n"
           "  --db FILE        The run history (default: "_s
        + store::ResultStore::defaultPath()
        + u")\n"
          "  --price-per-vcpu-month N   The price the monthly cost uses (default: the data's,\n"
          "                   labelled illustrative)\n"
          "  --cores-per-server N       Cores of one server (default: the data's, assumed)\n"
          "  -h, --help       Show this help\n"
          "  -v, --version    Show the version\n"
          "\n"
          "Questions and points: "_s
        + Paths::resourceFile(u"advisor/questionnaire.json"_s)
        + u"\n"
          "Exit codes: 0 success, 1 the run history or a write failed, 2 bad input (every\n"
          "problem is listed on stderr, each naming its file and field).\n"_s;
}

// Every line of a (possibly multi-line) message, each with the command's prefix.
void printErrors(const QString &message)
{
    for (const QString &line : message.split(u'\n'))
        printError(kCommand, line);
}

// A reply to what was typed. Piped input is not echoed, so the reply starts a line of its own.
void reply(const QString &text)
{
    printErr((isatty(STDIN_FILENO) ? QString() : u"\n"_s) + text);
}

// One line from stdin without its newline; nullopt at end of input.
std::optional<QString> readLine()
{
    QByteArray line;
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, stdin)) {
        line += buffer;
        if (line.endsWith('\n'))
            break;
    }
    if (line.isEmpty())
        return std::nullopt;
    return QString::fromLocal8Bit(line).trimmed();
}

// The option numbers typed for a multi-choice question: "1,3", "1 3", "0" for none.
std::optional<QJsonArray> parseTicks(const advisor::Question &question, const QString &line, QString *problem)
{
    const QStringList parts = line.split(QRegularExpression(u"[,\\s]+"_s), Qt::SkipEmptyParts);
    QJsonArray ids;
    for (const QString &part : parts) {
        bool ok = false;
        const int index = part.toInt(&ok);
        if (!ok || index < 0 || index > question.options.size()) {
            *problem
                = u"Please type the number of an option, 1 to %1, separated by commas, or 0 for none."_s.arg(
                    question.options.size());
            return std::nullopt;
        }
        if (index == 0) {
            if (parts.size() > 1) {
                *problem = u"0 means none: type it alone, or the numbers of the options."_s;
                return std::nullopt;
            }
            continue;
        }
        const QString id = question.options.at(index - 1).id;
        if (ids.contains(QJsonValue(id))) {
            *problem = u"Option %1 is listed twice."_s.arg(index);
            return std::nullopt;
        }
        ids.append(id);
    }
    return ids;
}

// Prompts go to stderr so that stdout carries only the result (e.g. --json).
// nullopt at end of input.
std::optional<QJsonValue> ask(const advisor::Question &question, int number, int count)
{
    using Type = advisor::Question::Type;
    printErr(u"\nQuestion %1 of %2: %3\n  %4\n"_s.arg(number).arg(count).arg(question.title, question.help));
    const qsizetype options = question.options.size();
    if (question.type != Type::Number) {
        for (qsizetype i = 0; i < options; ++i)
            printErr(u"  %1) %2\n"_s.arg(i + 1).arg(question.options.at(i).label));
    }
    const int unsureNumber = int(question.optionIds().indexOf(QString(advisor::Question::kUnsure))) + 1;
    for (;;) {
        switch (question.type) {
        case Type::Number:
            printErr(u"Enter a whole number, %1 to %2 %3 (25000, 25,000, 25 000 or 25k)%4: "_s.arg(
                advisor::formatRequestRate(double(question.min)),
                advisor::formatRequestRate(double(question.max)), question.unit,
                question.offersUnsure() ? u"; u or Enter for “%1”"_s.arg(question.unsureLabel) : QString()));
            break;
        case Type::Choice:
            printErr(u"Choose one, 1-%1%2: "_s.arg(options).arg(unsureNumber > 0
                    ? u" (Enter: %1, “%2”)"_s.arg(unsureNumber)
                          .arg(question.options.at(unsureNumber - 1).label)
                    : QString()));
            break;
        case Type::Multi:
            printErr(u"Choose any of 1-%1, separated by commas, or 0 for none: "_s.arg(options));
            break;
        }
        const std::optional<QString> line = readLine();
        if (!line)
            return std::nullopt;

        QString problem;
        QJsonValue value;
        if (line->isEmpty()) {
            if (!question.offersUnsure()) {
                reply(question.type == Type::Multi
                        ? u"  Please answer: type 0 for none, or the numbers of the options.\n"_s
                        : u"  Please answer this question.\n"_s);
                continue;
            }
            value = question.unsureValue();
            reply(u"  → %1\n"_s.arg(question.answerText(value)));
            return value;
        }
        switch (question.type) {
        case Type::Number:
            if (question.offersUnsure()
                && (line->compare(u"u"_s, Qt::CaseInsensitive) == 0
                    || line->compare(u"unsure"_s, Qt::CaseInsensitive) == 0)) {
                value = question.unsureValue();
            } else if (const std::optional<qint64> number = advisor::parseWholeNumber(*line)) {
                value = double(*number);
            } else {
                reply(u"  “%1” is not a whole number: type one such as 25000, 25,000, 25 000 or 25k.\n"_s.arg(
                    *line));
                continue;
            }
            break;
        case Type::Choice: {
            bool ok = false;
            const int index = line->toInt(&ok);
            if (!ok && line->contains(QRegularExpression(u"[,\\s]"_s))) {
                reply(u"  This question takes one answer: type one number, 1 to %1.\n"_s.arg(options));
                continue;
            }
            if (!ok || index < 1 || index > options) {
                reply(u"  Please type the number of an option, 1 to %1.\n"_s.arg(options));
                continue;
            }
            value = question.options.at(index - 1).id;
            break;
        }
        case Type::Multi: {
            const std::optional<QJsonArray> ticks = parseTicks(question, *line, &problem);
            if (!ticks) {
                reply(u"  "_s + problem + u"\n"_s);
                continue;
            }
            value = *ticks;
            break;
        }
        }
        if (advisor::Answers::validateValue(question, value, &problem))
            return value;
        reply(u"  "_s + problem + u"\n"_s);
    }
}

// nullopt at end of input, with *unanswered naming the question it came at.
std::optional<advisor::Answers> askAll(const advisor::Questionnaire &questionnaire, QString *unanswered)
{
    printErr(u"Answer each question. Enter takes “Not sure” where a question offers it.\n"_s);
    advisor::Answers answers;
    const QList<advisor::Question> &questions = questionnaire.questions();
    for (qsizetype i = 0; i < questions.size(); ++i) {
        const std::optional<QJsonValue> value = ask(questions.at(i), int(i + 1), int(questions.size()));
        if (!value) {
            *unanswered
                = u"question %1 of %2 (“%3”)"_s.arg(i + 1).arg(questions.size()).arg(questions.at(i).title);
            return std::nullopt;
        }
        answers.setValue(questions.at(i).id, *value);
    }
    printErr(u"\n"_s);
    return answers;
}

std::optional<advisor::Answers> readAnswers(
    const QString &path, const advisor::Questionnaire &questionnaire, QString *error)
{
    if (path != u"-"_s)
        return advisor::Answers::load(path, questionnaire, error);
    QFile input;
    if (!input.open(stdin, QIODevice::ReadOnly)) {
        *error = u"cannot read stdin"_s;
        return std::nullopt;
    }
    return advisor::Answers::fromJson(input.readAll(), u"<stdin>"_s, questionnaire, error);
}

// The run whose figures the capacity criterion reads. `choice` is an id,
// "latest" or "none"; when not given, the latest run if the history has one.
// Returns false (with *exitCode) on bad input or an unreadable history.
bool loadRun(const QCommandLineParser &parser, const QCommandLineOption &runOption,
    const QCommandLineOption &dbOption, std::optional<bench::RunResult> *run, int *exitCode)
{
    const bool explicitRun = parser.isSet(runOption);
    const QString choice = explicitRun ? parser.value(runOption) : u"latest"_s;
    if (choice == u"none"_s)
        return true;
    bool isNumber = false;
    const qint64 number = choice.toLongLong(&isNumber);
    if (choice != u"latest"_s && (!isNumber || number <= 0)) {
        printError(kCommand,
            u"--run '%1' is not a run id, 'latest' or 'none'; list the runs with: stackadvisor bench --history"_s
                .arg(choice));
        *exitCode = ExitBadInput;
        return false;
    }
    const QString path = parser.isSet(dbOption) ? parser.value(dbOption) : store::ResultStore::defaultPath();
    // By default a history that does not exist yet simply means no run: the article's figures.
    if (!explicitRun && !parser.isSet(dbOption) && !QFileInfo::exists(path))
        return true;
    store::ResultStore history(path);
    QString error;
    if (!history.open(&error)) {
        printError(kCommand, u"cannot open the run history %1: %2"_s.arg(path, error));
        *exitCode = ExitFailure;
        return false;
    }
    std::optional<qint64> id = isNumber ? std::optional<qint64>(number) : history.latestId();
    if (!id) {
        if (!explicitRun)
            return true;
        printError(kCommand,
            u"the history in %1 has no runs yet: run `stackadvisor bench` first, or use --run none"_s.arg(
                path));
        *exitCode = ExitBadInput;
        return false;
    }
    *run = history.load(*id, &error);
    if (!*run) {
        printError(kCommand,
            u"there is no run %1 in %2; list the runs with: stackadvisor bench --history"_s.arg(*id).arg(
                path));
        *exitCode = ExitBadInput;
        return false;
    }
    return true;
}

} // namespace

int runAdvise(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption answersOption(u"answers"_s, u"Answers file"_s, u"FILE"_s);
    const QCommandLineOption compareOption(u"compare"_s, u"Compare two answers files"_s);
    const QCommandLineOption jsonOption(u"json"_s, u"JSON output"_s);
    const QCommandLineOption saveOption(u"save"_s, u"Save answers"_s, u"FILE"_s);
    const QCommandLineOption interactiveOption(u"interactive"_s, u"Ask even without a terminal"_s);
    const QCommandLineOption runOption(u"run"_s, u"Run"_s, u"ID"_s);
    const QCommandLineOption dbOption(u"db"_s, u"History"_s, u"FILE"_s);
    const QCommandLineOption priceOption(u"price-per-vcpu-month"_s, u"Price"_s, u"N"_s);
    const QCommandLineOption coresOption(u"cores-per-server"_s, u"Cores"_s, u"N"_s);
    const QCommandLineOption helpOption({ u"h"_s, u"help"_s }, u"Help"_s);
    const QCommandLineOption versionOption({ u"v"_s, u"version"_s }, u"Version"_s);
    parser.addOptions({ answersOption, compareOption, jsonOption, saveOption, interactiveOption, runOption,
        dbOption, priceOption, coresOption, helpOption, versionOption });
    if (!parser.parse(QStringList { u"stackadvisor advise"_s } + arguments)) {
        printError(kCommand, parser.errorText() + u" (see stackadvisor advise --help)"_s);
        return ExitBadInput;
    }
    if (parser.isSet(helpOption)) {
        printOut(helpText());
        return ExitOk;
    }
    if (parser.isSet(versionOption)) {
        printOut(u"stackadvisor "_s + Paths::appVersion() + u"\n"_s);
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    const bool comparing = parser.isSet(compareOption);
    if (comparing) {
        if (positional.size() != 2) {
            printError(kCommand,
                u"--compare needs two answers files: stackadvisor advise --compare A.json B.json"_s);
            return ExitBadInput;
        }
        for (const auto &[option, name] : { std::pair { &answersOption, "--answers" },
                 std::pair { &saveOption, "--save" }, std::pair { &interactiveOption, "--interactive" } }) {
            if (parser.isSet(*option)) {
                printError(
                    kCommand, u"--compare reads its two files; leave out %1"_s.arg(QLatin1String(name)));
                return ExitBadInput;
            }
        }
    } else if (!positional.isEmpty()) {
        printError(kCommand,
            u"unexpected argument '%1' (did you mean --answers %1?)"_s.arg(positional.constFirst()));
        return ExitBadInput;
    }

    // Everything that can be checked is checked before a question is asked.
    QString error;
    if (parser.isSet(saveOption) && !advisor::Answers::checkSavePath(parser.value(saveOption), &error)) {
        printError(kCommand, u"--save "_s + error);
        return ExitBadInput;
    }
    const std::optional<advisor::Scorer> scorer = advisor::Scorer::fromResources(&error);
    if (!scorer) {
        printError(kCommand, error);
        return ExitFailure; // the installed data is broken, not the user's input
    }
    advisor::CostAssumptions cost = scorer->capacityModel().defaultCost();
    if (parser.isSet(priceOption)) {
        bool ok = false;
        const double price = parser.value(priceOption).toDouble(&ok);
        if (!ok || !(price > 0) || !std::isfinite(price)) {
            printError(kCommand,
                u"--price-per-vcpu-month '%1' is not a price above 0 (e.g. 31 or 24.5)"_s.arg(
                    parser.value(priceOption)));
            return ExitBadInput;
        }
        cost = cost.withPrice(price);
    }
    if (parser.isSet(coresOption)) {
        bool ok = false;
        const int cores = parser.value(coresOption).toInt(&ok);
        if (!ok || cores < 1) {
            printError(kCommand,
                u"--cores-per-server '%1' is not a whole number of cores, at least 1"_s.arg(
                    parser.value(coresOption)));
            return ExitBadInput;
        }
        cost = cost.withCoresPerServer(cores);
    }
    std::optional<bench::RunResult> run;
    int exitCode = ExitOk;
    if (!loadRun(parser, runOption, dbOption, &run, &exitCode))
        return exitCode;
    const std::optional<bench::RunAnalysis> analysis
        = run ? std::optional<bench::RunAnalysis>(bench::RunAnalysis::analyse(*run)) : std::nullopt;
    const advisor::CapacityEvidence evidence = scorer->evidenceFor(analysis ? &*analysis : nullptr);

    if (comparing) {
        QStringList problems;
        QList<advisor::Answers> sets;
        for (const QString &path : positional) {
            if (std::optional<advisor::Answers> answers = readAnswers(path, scorer->questionnaire(), &error))
                sets << *answers;
            else
                problems << error;
        }
        if (!problems.isEmpty()) {
            printErrors(problems.join(u'\n'));
            return ExitBadInput;
        }
        const advisor::Comparison comparison = advisor::compare(scorer->recommend(sets.at(0), evidence, cost),
            QFileInfo(positional.at(0)).fileName(), scorer->recommend(sets.at(1), evidence, cost),
            QFileInfo(positional.at(1)).fileName());
        if (parser.isSet(jsonOption))
            printOut(QString::fromUtf8(QJsonDocument(comparison.toJson()).toJson(QJsonDocument::Indented)));
        else
            printOut(comparison.toText());
        return ExitOk;
    }

    std::optional<advisor::Answers> answers;
    if (parser.isSet(answersOption)) {
        answers = readAnswers(parser.value(answersOption), scorer->questionnaire(), &error);
        if (!answers) {
            printErrors(error);
            return ExitBadInput;
        }
    } else if (parser.isSet(interactiveOption) || isatty(STDIN_FILENO)) {
        QString unanswered;
        answers = askAll(scorer->questionnaire(), &unanswered);
        if (!answers) {
            printErr(u"\n"_s);
            printError(kCommand, u"input ended before %1 was answered; nothing was saved"_s.arg(unanswered));
            return ExitBadInput;
        }
    } else {
        printError(kCommand,
            u"no answers: give --answers FILE (see tests/data/*.json), or run it from a "
            "terminal to be asked the questions"_s);
        return ExitBadInput;
    }

    if (parser.isSet(saveOption) && !answers->save(parser.value(saveOption), &error)) {
        printError(kCommand, error);
        return ExitFailure;
    }

    const advisor::Recommendation recommendation = scorer->recommend(*answers, evidence, cost);
    if (parser.isSet(jsonOption))
        printOut(QString::fromUtf8(QJsonDocument(recommendation.toJson()).toJson(QJsonDocument::Indented)));
    else
        printOut(recommendation.toText());
    return ExitOk;
}

} // namespace sa::cli
