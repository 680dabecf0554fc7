// stackadvisor advise: the questionnaire in a terminal or from a file, and the
// recommendation as text or JSON.

#include "cli.h"
#include "commands.h"

#include "advisor/scorer.h"
#include "platform/paths.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace sa::cli {

namespace {

const QString kCommand = u"advise"_s;

QString helpText()
{
    return u"Usage: stackadvisor advise [--answers FILE] [--json] [--save FILE] [--interactive]\n"
           "\n"
           "Scores your answers against the decision table of the article \"Go vs Python for\n"
           "Web Development\" (2026) and prints the verdict (Go, Python or Hybrid), both scores\n"
           "(0-100), each criterion's contribution with the article's reason, and the smallest\n"
           "change of answer that would flip the verdict.\n"
           "\n"
           "Without --answers and with a terminal on stdin, the questions are asked one by one.\n"
           "\n"
           "Options:\n"
           "  --answers FILE  Read the answers from FILE ('-' for stdin). Format:\n"
           "                  {\"format\": \"stackadvisor-answers\", \"version\": 1,\n"
           "                   \"answers\": {\"peak-rps\": 25000, \"ai-ml\": \"none\", ...}}\n"
           "                  (examples: tests/data/*.json)\n"
           "  --json          Print the recommendation as JSON (schema: README, section Advisor)\n"
           "  --save FILE     Also write the answers to FILE (after the questions are asked)\n"
           "  --interactive   Ask the questions even when stdin is not a terminal\n"
           "  -h, --help      Show this help\n"
           "  -v, --version   Show the version\n"
           "\n"
           "Questions and weights: "_s
        + Paths::resourceFile(u"advisor/questionnaire.json"_s)
        + u"\n"
          "Exit codes: 0 success, 2 bad input (the message on stderr names the field).\n"_s;
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

// Prompts go to stderr so that stdout carries only the result (e.g. --json).
std::optional<QJsonValue> ask(const advisor::Question &question, const QJsonValue &defaultValue)
{
    printErr(u"\n"_s + question.title + u"\n  "_s + question.help + u"\n"_s);
    if (question.type != advisor::Question::Type::Number) {
        for (qsizetype i = 0; i < question.options.size(); ++i)
            printErr(u"  %1) %2\n"_s.arg(i + 1).arg(question.options.at(i).label));
    }
    for (;;) {
        switch (question.type) {
        case advisor::Question::Type::Number:
            printErr(u"Enter a number, %1 to %2 %3 [%4]: "_s.arg(question.min)
                         .arg(question.max)
                         .arg(question.unit)
                         .arg(qint64(defaultValue.toDouble())));
            break;
        case advisor::Question::Type::Choice:
            printErr(
                u"Choose 1-%1 [%2]: "_s.arg(question.options.size()).arg(question.answerText(defaultValue)));
            break;
        case advisor::Question::Type::Multi:
            printErr(u"Choose any of 1-%1, separated by commas, or 0 for none [%2]: "_s
                         .arg(question.options.size())
                         .arg(question.answerText(defaultValue)));
            break;
        }
        const std::optional<QString> line = readLine();
        if (!line)
            return std::nullopt;
        if (line->isEmpty())
            return defaultValue;

        QJsonValue value;
        QString problem;
        if (question.type == advisor::Question::Type::Number) {
            bool ok = false;
            const qlonglong number = QString(*line).remove(u',').remove(u'_').toLongLong(&ok);
            value = ok ? QJsonValue(double(number)) : QJsonValue(*line);
        } else {
            QJsonArray ids;
            bool ok = true;
            const QStringList parts = line->split(u',', Qt::SkipEmptyParts);
            for (const QString &part : parts) {
                const int index = part.trimmed().toInt(&ok);
                if (!ok || index < 0 || index > question.options.size()) {
                    ok = false;
                    break;
                }
                if (index > 0)
                    ids.append(question.options.at(index - 1).id);
            }
            if (!ok || ids.isEmpty() != (line->trimmed() == u"0"_s)) {
                printErr(u"  Please type the number of an option.\n"_s);
                continue;
            }
            if (question.type == advisor::Question::Type::Multi)
                value = ids;
            else if (ids.size() == 1)
                value = ids.first();
            else
                value = QJsonValue(*line); // several numbers for a single choice: rejected below
        }
        if (advisor::Answers::validateValue(question, value, &problem))
            return value;
        printErr(u"  "_s + problem + u"\n"_s);
    }
}

std::optional<advisor::Answers> askAll(const advisor::Questionnaire &questionnaire)
{
    printErr(u"Answer each question; press Enter to keep the value in brackets.\n"_s);
    advisor::Answers answers = advisor::Answers::defaults(questionnaire);
    for (const advisor::Question &question : questionnaire.questions()) {
        const std::optional<QJsonValue> value = ask(question, answers.value(question.id));
        if (!value)
            return std::nullopt;
        answers.setValue(question.id, *value);
    }
    printErr(u"\n"_s);
    return answers;
}

} // namespace

int runAdvise(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption answersOption(u"answers"_s, u"Answers file"_s, u"FILE"_s);
    const QCommandLineOption jsonOption(u"json"_s, u"JSON output"_s);
    const QCommandLineOption saveOption(u"save"_s, u"Save answers"_s, u"FILE"_s);
    const QCommandLineOption interactiveOption(u"interactive"_s, u"Ask even without a terminal"_s);
    const QCommandLineOption helpOption({ u"h"_s, u"help"_s }, u"Help"_s);
    const QCommandLineOption versionOption({ u"v"_s, u"version"_s }, u"Version"_s);
    parser.addOptions(
        { answersOption, jsonOption, saveOption, interactiveOption, helpOption, versionOption });
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
    if (!parser.positionalArguments().isEmpty()) {
        printError(kCommand,
            u"unexpected argument '%1' (did you mean --answers %1?)"_s.arg(
                parser.positionalArguments().constFirst()));
        return ExitBadInput;
    }

    QString error;
    const std::optional<advisor::Scorer> scorer = advisor::Scorer::fromResources(&error);
    if (!scorer) {
        printError(kCommand, error);
        return ExitFailure; // the installed data is broken, not the user's input
    }

    std::optional<advisor::Answers> answers;
    if (parser.isSet(answersOption)) {
        const QString path = parser.value(answersOption);
        if (path == u"-"_s) {
            QFile input;
            if (!input.open(stdin, QIODevice::ReadOnly)) {
                printError(kCommand, u"cannot read stdin"_s);
                return ExitBadInput;
            }
            answers
                = advisor::Answers::fromJson(input.readAll(), u"<stdin>"_s, scorer->questionnaire(), &error);
        } else {
            answers = advisor::Answers::load(path, scorer->questionnaire(), &error);
        }
        if (!answers) {
            printError(kCommand, error);
            return ExitBadInput;
        }
    } else if (parser.isSet(interactiveOption) || isatty(STDIN_FILENO)) {
        answers = askAll(scorer->questionnaire());
        if (!answers) {
            printError(kCommand, u"input ended before every question was answered"_s);
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

    const advisor::Recommendation recommendation = scorer->recommend(*answers);
    if (parser.isSet(jsonOption))
        printOut(QString::fromUtf8(QJsonDocument(recommendation.toJson()).toJson(QJsonDocument::Indented)));
    else
        printOut(recommendation.toText());
    return ExitOk;
}

} // namespace sa::cli
