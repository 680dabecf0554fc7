// Loading validates everything: the bundled decision table and questionnaire,
// every kind of bad answers file (all of its problems at once) and bad data
// file, each error naming the field; numbers as people type them.

#include "advisor/answers.h"
#include "advisor/decisiontable.h"
#include "advisor/questionnaire.h"
#include "platform/paths.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using sa::advisor::Answers;
using sa::advisor::DecisionTable;
using sa::advisor::Questionnaire;

namespace {

QByteArray readResource(const QString &name)
{
    QFile file(sa::Paths::resourceFile(u"advisor/"_s + name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    return file.readAll();
}

// A valid answers file with one line replaced, so each case breaks exactly one thing.
const QByteArray kValidAnswers = R"({
  "format": "stackadvisor-answers",
  "version": 1,
  "answers": {
    "peak-rps": 25000,
    "ai-ml": "none",
    "stage": "established",
    "architecture": "microservices",
    "deployment": "cloud-native",
    "performance": "critical",
    "workload": ["realtime", "cli"],
    "team": "go",
    "ecosystem": "minimal"
  }
})";

} // namespace

class TestQuestionnaire final : public QObject
{
    Q_OBJECT

private:
    std::optional<DecisionTable> m_table;
    std::optional<Questionnaire> m_questionnaire;

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_table = DecisionTable::load(sa::Paths::resourceFile(u"advisor/decision-table.json"_s), &error);
        QVERIFY2(m_table, qPrintable(error));
        m_questionnaire
            = Questionnaire::load(sa::Paths::resourceFile(u"advisor/questionnaire.json"_s), *m_table, &error);
        QVERIFY2(m_questionnaire, qPrintable(error));
    }

    // The article's six rows, cell by cell, verbatim.
    void decisionTableIsTheArticles_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("need");
        QTest::addColumn<QString>("go");
        QTest::addColumn<QString>("python");
        QTest::addRow("1") << 0 << u"High-traffic API"_s << u"Best choice"_s << u"Workable"_s;
        QTest::addRow("2") << 1 << u"AI/ML integration"_s << u"Limited libraries"_s << u"Best choice"_s;
        QTest::addRow("3") << 2 << u"Fast MVP build"_s << u"More setup"_s << u"Best choice"_s;
        QTest::addRow("4") << 3 << u"Microservices"_s << u"Ideal"_s << u"Possible"_s;
        QTest::addRow("5") << 4 << u"Cloud-native deployment"_s << u"Tiny binaries"_s << u"Larger images"_s;
        QTest::addRow("6") << 5 << u"Team learning curve"_s << u"Moderate"_s << u"Larger images"_s;
    }

    void decisionTableIsTheArticles()
    {
        QFETCH(int, index);
        QFETCH(QString, need);
        QFETCH(QString, go);
        QFETCH(QString, python);
        QCOMPARE(m_table->rows().size(), 6);
        const auto &row = m_table->rows().at(index);
        QCOMPARE(row.need, need);
        QCOMPARE(row.go.text, go);
        QCOMPARE(row.python.text, python);
        // Every cell has its sentence, or a note saying the article gives none.
        QVERIFY(!row.go.quote.isEmpty() || !row.go.note.isEmpty());
        QVERIFY(!row.python.quote.isEmpty() || !row.python.note.isEmpty());
        // Where the literal text says one thing, the row favours that stack.
        if (go == u"Best choice"_s || go == u"Ideal"_s || go == u"Tiny binaries"_s)
            QCOMPARE(row.favours, u"go"_s);
        if (python == u"Best choice"_s)
            QCOMPARE(row.favours, u"python"_s);
    }

    void learningCurveCopyErrorIsRecorded()
    {
        const auto *row = m_table->row(u"team-learning-curve"_s);
        QVERIFY(row);
        QCOMPARE(row->python.text, u"Larger images"_s); // kept literally
        QCOMPARE(row->favours, u"python"_s); // read as the prose says
        QVERIFY(row->python.note.contains(u"plain English"_s));
        QVERIFY(row->python.displayText().contains(u"Larger images"_s));
        QVERIFY(row->python.displayText().contains(row->python.readingText));
        // Two notes: the copy error, and Go's "Moderate" that no sentence of the article supports.
        QCOMPARE(row->notes().size(), 2);
    }

    // Every row and every "Choose Go When" / "Select Python When" bullet is covered by a question.
    void questionnaireCoversTheArticle()
    {
        const QStringList goBullets {
            u"Your API needs to handle more than 10,000 requests per second."_s,
            u"You’re building microservices in a native environment."_s,
            u"Deployment simplicity matters."_s,
            u"Your team cares about memory efficiency and low latency."_s,
            u"You’re building real-time systems, CLI tools, or infrastructure."_s,
        };
        const QStringList pythonBullets {
            u"Your app includes AI, machine learning, or data processing."_s,
            u"Your team needs to ship and iterate quickly."_s,
            u"You need a library ecosystem."_s,
            u"You’re building an MVP. Want to validate the idea first."_s,
            u"Your developer team already knows Python."_s,
        };
        QCOMPARE(m_questionnaire->goBullets(), goBullets);
        QCOMPARE(m_questionnaire->pythonBullets(), pythonBullets);

        QStringList quotes;
        QSet<QString> rows;
        for (const auto &question : m_questionnaire->questions()) {
            if (question.type == sa::advisor::Question::Type::Number) {
                quotes << question.capacity.quoteAbove << question.capacity.quoteBelow;
                rows.unite(QSet<QString>(question.capacity.rows.cbegin(), question.capacity.rows.cend()));
            }
            for (const auto &option : question.options) {
                quotes << option.effect.quote;
                rows.unite(QSet<QString>(option.effect.rows.cbegin(), option.effect.rows.cend()));
            }
        }
        for (const QString &bullet : goBullets + pythonBullets)
            QVERIFY2(quotes.contains(bullet), qPrintable(u"no option cites: "_s + bullet));
        for (const auto &row : m_table->rows())
            QVERIFY2(rows.contains(row.id), qPrintable(u"no option makes this row relevant: "_s + row.id));
        const auto *peak = m_questionnaire->question(u"peak-rps"_s);
        QVERIFY(peak);
        QCOMPARE(peak->type, sa::advisor::Question::Type::Number);
        // The article's threshold is where capacity gives half its points, not a band edge.
        QCOMPARE(peak->capacity.halfAtRequestsPerSecond, 10000.0);
        QVERIFY(peak->offersUnsure());
    }

    void validAnswersLoadAndRoundTrip()
    {
        QString error;
        const auto answers = Answers::fromJson(kValidAnswers, u"valid.json"_s, *m_questionnaire, &error);
        QVERIFY2(answers, qPrintable(error));
        QCOMPARE(answers->value(u"peak-rps"_s).toDouble(), 25000.0);

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"answers.json"_s);
        QVERIFY2(answers->save(path, &error), qPrintable(error));
        const auto reloaded = Answers::load(path, *m_questionnaire, &error);
        QVERIFY2(reloaded, qPrintable(error));
        QCOMPARE(*reloaded, *answers);

        QVERIFY(!answers->save(dir.filePath(u"no/such/folder/answers.json"_s), &error));
        QVERIFY(error.contains(u"no/such/folder"_s));
        QVERIFY(!QFile::exists(dir.filePath(u"no/such/folder/answers.json"_s)));
    }

    void unsureAnswersAreValid()
    {
        QString error;
        const Answers unsure = Answers::unsure(*m_questionnaire);
        QVERIFY2(unsure.validate(*m_questionnaire, &error), qPrintable(error));
        QCOMPARE(unsure.value(u"peak-rps"_s).toString(), u"unsure"_s);
        QCOMPARE(unsure.value(u"team"_s).toString(), u"unsure"_s);
        QCOMPARE(unsure.value(u"workload"_s).toArray(), QJsonArray());
    }

    // Files written before "unsure" existed keep working, and keep their meaning.
    void versionOneFilesStillLoad()
    {
        QString error;
        for (const QString &name : { u"high-traffic-go-team"_s, u"ai-mvp-python-team"_s,
                 u"high-traffic-with-ml"_s, u"low-traffic-crud-new-team"_s }) {
            const QString path = QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/data/") + name + u".json"_s;
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY(file.readAll().contains("\"version\": 1"));
            QVERIFY2(Answers::load(path, *m_questionnaire, &error), qPrintable(error));
        }
        QByteArray text = kValidAnswers;
        text.replace(R"("peak-rps": 25000)", R"("peak-rps": "unsure")");
        text.replace(R"("version": 1)", R"("version": 2)");
        const auto answers = Answers::fromJson(text, u"v2.json"_s, *m_questionnaire, &error);
        QVERIFY2(answers, qPrintable(error));
        QCOMPARE(answers->toJson().value(u"version"_s).toInt(), Answers::kVersion);
    }

    // Every problem of a file at once, one line each, each naming the file and the field.
    void everyProblemAtOnce()
    {
        QByteArray text = kValidAnswers;
        text.replace(R"("team": "go")", R"("team": "rust")");
        text.replace(R"("peak-rps": 25000)", R"("peak-rps": "lots")");
        text.replace(
            R"("deployment": "cloud-native",)", R"("deployment": "cloud-native", "deployment": "managed",)");
        text.replace(R"("version": 1,)", R"("version": 1, "author": "me",)");
        text.replace(R"("stage": "established",)", "");
        QString error;
        QVERIFY(!Answers::fromJson(text, u"bad.json"_s, *m_questionnaire, &error));
        const QStringList lines = error.split(u'\n');
        QCOMPARE(lines.size(), 5);
        for (const QString &line : lines)
            QVERIFY2(line.startsWith(u"bad.json: "_s), qPrintable(line));
        for (const QString &part : { u"answers.team: \"rust\""_s, u"answers.peak-rps: expected a number"_s,
                 u"answers.deployment: the key \"deployment\" appears twice on line 9"_s,
                 u"author: unknown field"_s, u"answers.stage: missing"_s })
            QVERIFY2(error.contains(part), qPrintable(u"'%1' not in:\n%2"_s.arg(part, error)));
    }

    void numbersAsPeopleTypeThem_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("value"); // -1: rejected
        QTest::addRow("plain") << u"25000"_s << qint64(25000);
        QTest::addRow("commas") << u"10,000"_s << qint64(10000);
        QTest::addRow("spaces") << u"25 000"_s << qint64(25000);
        QTest::addRow("no-break space") << u"25\u00A0000"_s << qint64(25000);
        QTest::addRow("underscores") << u"1_000_000"_s << qint64(1000000);
        QTest::addRow("k") << u"10k"_s << qint64(10000);
        QTest::addRow("K with space") << u" 10 K "_s << qint64(10000);
        QTest::addRow("2.5k") << u"2.5k"_s << qint64(2500);
        QTest::addRow("M") << u"1M"_s << qint64(1000000);
        QTest::addRow("zero") << u"0"_s << qint64(0);
        QTest::addRow("two options, not a number") << u"0,1"_s << qint64(-1);
        QTest::addRow("bad grouping") << u"10,00"_s << qint64(-1);
        QTest::addRow("fraction") << u"1.5"_s << qint64(-1);
        QTest::addRow("fraction of one") << u"1.0005k"_s << qint64(-1);
        QTest::addRow("negative") << u"-5"_s << qint64(-1);
        QTest::addRow("exponent") << u"1e5"_s << qint64(-1);
        QTest::addRow("word") << u"lots"_s << qint64(-1);
        QTest::addRow("suffix only") << u"k"_s << qint64(-1);
        QTest::addRow("empty") << QString() << qint64(-1);
    }

    void numbersAsPeopleTypeThem()
    {
        QFETCH(QString, text);
        QFETCH(qint64, value);
        const std::optional<qint64> parsed = sa::advisor::parseWholeNumber(text);
        if (value < 0)
            QVERIFY2(!parsed, qPrintable(QString::number(parsed.value_or(0))));
        else
            QCOMPARE(parsed.value_or(-1), value);
    }

    // --save is checked before any question is asked.
    void savePathIsCheckedFirst()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QString error;
        QVERIFY2(Answers::checkSavePath(dir.filePath(u"mine.json"_s), &error), qPrintable(error));
        QVERIFY(!Answers::checkSavePath(dir.filePath(u"no/such/folder/mine.json"_s), &error));
        QVERIFY2(error.contains(u"does not exist"_s), qPrintable(error));
        QVERIFY(!Answers::checkSavePath(dir.path(), &error));
        QVERIFY2(error.contains(u"is a folder"_s), qPrintable(error));
    }

    void badAnswers_data()
    {
        QTest::addColumn<QByteArray>("from");
        QTest::addColumn<QByteArray>("to");
        QTest::addColumn<QStringList>("expected"); // every part must appear in the message

        QTest::addRow("malformed JSON: line and column")
            << QByteArray(R"("ai-ml": "none",)") << QByteArray(R"("ai-ml": "none")")
            << QStringList { u"bad.json:7:"_s, u"malformed JSON"_s };
        QTest::addRow("unknown question id")
            << QByteArray(R"("ai-ml": "none",)") << QByteArray(R"("ai-ml": "none", "colour": "blue",)")
            << QStringList { u"answers.colour"_s, u"unknown question"_s };
        QTest::addRow("option not offered")
            << QByteArray(R"("team": "go")") << QByteArray(R"("team": "rust")")
            << QStringList { u"answers.team"_s, u"\"rust\""_s, u"python, go, both, neither"_s };
        QTest::addRow("choice of the wrong type")
            << QByteArray(R"("team": "go")") << QByteArray(R"("team": 3)")
            << QStringList { u"answers.team"_s, u"a number"_s };
        QTest::addRow("number above range")
            << QByteArray(R"("peak-rps": 25000)") << QByteArray(R"("peak-rps": 20000000)")
            << QStringList { u"answers.peak-rps"_s, u"out of range"_s, u"10000000"_s };
        QTest::addRow("number below range")
            << QByteArray(R"("peak-rps": 25000)") << QByteArray(R"("peak-rps": -1)")
            << QStringList { u"answers.peak-rps"_s, u"out of range"_s };
        QTest::addRow("number not whole")
            << QByteArray(R"("peak-rps": 25000)") << QByteArray(R"("peak-rps": 2.5)")
            << QStringList { u"answers.peak-rps"_s, u"whole number"_s };
        QTest::addRow("number given as text")
            << QByteArray(R"("peak-rps": 25000)") << QByteArray(R"("peak-rps": "lots")")
            << QStringList { u"answers.peak-rps"_s, u"expected a number"_s };
        QTest::addRow("missing required answer")
            << QByteArray(R"("deployment": "cloud-native",)") << QByteArray()
            << QStringList { u"answers.deployment"_s, u"missing"_s };
        QTest::addRow("multi option not offered")
            << QByteArray(R"(["realtime", "cli"])") << QByteArray(R"(["realtime", "games"])")
            << QStringList { u"answers.workload[1]"_s, u"\"games\""_s };
        QTest::addRow("multi option twice")
            << QByteArray(R"(["realtime", "cli"])") << QByteArray(R"(["cli", "cli"])")
            << QStringList { u"answers.workload[1]"_s, u"twice"_s };
        QTest::addRow("multi not an array") << QByteArray(R"(["realtime", "cli"])") << QByteArray(R"("cli")")
                                            << QStringList { u"answers.workload"_s, u"expected an array"_s };
        QTest::addRow("wrong format")
            << QByteArray(R"("stackadvisor-answers")") << QByteArray(R"("something-else")")
            << QStringList { u"format"_s, u"stackadvisor-answers"_s };
        QTest::addRow("unsupported version") << QByteArray(R"("version": 1)") << QByteArray(R"("version": 7)")
                                             << QStringList { u"version"_s, u"7"_s, u"versions 1 and 2"_s };
        QTest::addRow("answers missing")
            << QByteArray(R"("answers": {)") << QByteArray(R"("replies": {)")
            << QStringList { u"answers"_s, u"missing"_s, u"replies: unknown field"_s };
        QTest::addRow("duplicate answer")
            << QByteArray(R"("team": "go")") << QByteArray(R"("team": "go", "team": "python")")
            << QStringList { u"answers.team"_s, u"appears twice"_s, u"keep one"_s };
        QTest::addRow("duplicate top-level key")
            << QByteArray(R"("version": 1,)") << QByteArray(R"("version": 1, "version": 1,)")
            << QStringList { u"version: the key \"version\" appears twice"_s };
        QTest::addRow("unknown top-level key")
            << QByteArray(R"("version": 1,)") << QByteArray(R"("version": 1, "colour": "blue",)")
            << QStringList { u"colour: unknown field"_s, u"format, version, description, answers"_s };
        QTest::addRow("unsure where not offered")
            << QByteArray(R"(["realtime", "cli"])") << QByteArray(R"("unsure")")
            << QStringList { u"answers.workload"_s, u"expected an array"_s };
        QTest::addRow("unsure number spelled otherwise")
            << QByteArray(R"("peak-rps": 25000)") << QByteArray(R"("peak-rps": "dunno")")
            << QStringList { u"answers.peak-rps"_s, u"or \"unsure\""_s, u"\"dunno\""_s };
    }

    void badAnswers()
    {
        QFETCH(QByteArray, from);
        QFETCH(QByteArray, to);
        QFETCH(QStringList, expected);
        QByteArray text = kValidAnswers;
        QCOMPARE(text.count(from), 1);
        text.replace(from, to);
        QString error;
        const auto answers = Answers::fromJson(text, u"bad.json"_s, *m_questionnaire, &error);
        QVERIFY(!answers);
        QVERIFY2(error.startsWith(u"bad.json"_s), qPrintable(error));
        for (const QString &part : expected)
            QVERIFY2(error.contains(part), qPrintable(u"'%1' not in: %2"_s.arg(part, error)));
    }

    void missingFileIsAnError()
    {
        QString error;
        QVERIFY(!Answers::load(u"/nonexistent/answers.json"_s, *m_questionnaire, &error));
        QVERIFY(error.contains(u"/nonexistent/answers.json"_s));
    }

    void badQuestionnaire_data()
    {
        QTest::addColumn<QByteArray>("from");
        QTest::addColumn<QByteArray>("to");
        QTest::addColumn<QStringList>("expected");
        QTest::addRow("malformed JSON") << QByteArray(R"("version": 2,)") << QByteArray(R"("version": 2,,)")
                                        << QStringList { u"q.json:3:"_s, u"malformed JSON"_s };
        QTest::addRow("old version") << QByteArray(R"("version": 2,)") << QByteArray(R"("version": 1,)")
                                     << QStringList { u"version"_s, u"version 2"_s };
        QTest::addRow("unknown criterion of a question")
            << QByteArray(R"("criterion": "ai-ml",)") << QByteArray(R"("criterion": "ai-nope",)")
            << QStringList { u"questions[1].criterion"_s, u"unknown criterion"_s };
        QTest::addRow("points out of range")
            << QByteArray(R"("points": { "go": 0, "python": 10 })")
            << QByteArray(R"("points": { "go": 0, "python": 1000 })")
            << QStringList { u"questions[1].options[2].points.python"_s, u"out of range"_s };
        QTest::addRow("points not a number")
            << QByteArray(R"("points": { "go": 0, "python": 10 })")
            << QByteArray(R"("points": { "go": "none", "python": 10 })")
            << QStringList { u"questions[1].options[2].points.go"_s, u"expected a number"_s };
        QTest::addRow("points to both stacks") << QByteArray(
            "\"points\": { \"go\": 3, \"python\": 0 },\n                    \"rows\": [\"microservices\"]")
                                               << QByteArray("\"points\": { \"go\": 3, \"python\": 1 },\n    "
                                                             "                \"rows\": [\"microservices\"]")
                                               << QStringList { u"questions[3].options[0].points"_s,
                                                      u"both stacks"_s };
        QTest::addRow("row not in the table")
            << QByteArray(R"("rows": ["microservices"],)") << QByteArray(R"("rows": ["monoliths"],)")
            << QStringList { u"questions[3].options[0].rows"_s, u"\"monoliths\""_s };
        QTest::addRow("option leaning against the row it cites")
            << QByteArray("\"points\": { \"go\": 0, \"python\": 1 },\n")
            << QByteArray("\"points\": { \"go\": 0, \"python\": 1 }, \"rows\": [\"microservices\"],\n")
            << QStringList { u"questions[3].options[2].rows"_s, u"favours go"_s };
        QTest::addRow("unknown question type")
            << QByteArray(R"("type": "multi",)") << QByteArray(R"("type": "slider",)")
            << QStringList { u"questions[6].type"_s, u"\"slider\""_s };
        QTest::addRow("duplicate option id")
            << QByteArray(R"("id": "few-services")") << QByteArray(R"("id": "microservices")")
            << QStringList { u"questions[3].options[1].id"_s, u"twice"_s };
        QTest::addRow("missing title")
            << QByteArray(R"("title": "Latency and memory sensitivity",)") << QByteArray()
            << QStringList { u"questions[5].title"_s, u"missing"_s };
        QTest::addRow("no unsure option")
            << QByteArray(
                   "this favours neither stack.\",\n                    \"quote\": \"\"\n                "
                   "},\n                {\n                    \"id\": \"unsure\", \"label\": \"Not sure / "
                   "no preference\",\n                    \"points\": { \"go\": 0, \"python\": 0 },\n        "
                   "            \"reason\": \"Not sure: this favours neither stack.\",\n                    "
                   "\"quote\": \"\"\n                }\n            ]\n        }\n    ]")
            << QByteArray(
                   "this favours neither stack.\",\n                    \"quote\": \"\"\n                "
                   "},\n                {\n                    \"id\": \"dunno\", \"label\": \"Not sure / no "
                   "preference\",\n                    \"points\": { \"go\": 0, \"python\": 0 },\n           "
                   "         \"reason\": \"Not sure: this favours neither stack.\",\n                    "
                   "\"quote\": \"\"\n                }\n            ]\n        }\n    ]")
            << QStringList { u"questions[8].options"_s, u"no \"unsure\" option"_s };
        QTest::addRow("unsure with points")
            << QByteArray("no real competitor for these tasks.\"\n                },\n                {\n    "
                          "                \"id\": \"unsure\", \"label\": \"Not sure / no preference\",\n    "
                          "                \"points\": { \"go\": 0, \"python\": 0 }")
            << QByteArray("no real competitor for these tasks.\"\n                },\n                {\n    "
                          "                \"id\": \"unsure\", \"label\": \"Not sure / no preference\",\n    "
                          "                \"points\": { \"go\": 0, \"python\": 1 }")
            << QStringList { u"questions[1].options[3].points"_s, u"neither stack by definition"_s };
        QTest::addRow("need names an unknown question")
            << QByteArray(R"("when": { "performance": ["critical"] },)")
            << QByteArray(R"("when": { "speed": ["critical"] },)")
            << QStringList { u"verdict.needs[1].when.speed"_s };
        QTest::addRow("need names an unknown option")
            << QByteArray(R"("when": { "performance": ["critical"] },)")
            << QByteArray(R"("when": { "performance": ["critical", "ludicrous"] },)")
            << QStringList { u"verdict.needs[1].when.performance"_s, u"\"ludicrous\""_s };
        QTest::addRow("key given twice")
            << QByteArray(R"("unit": "req/s",)") << QByteArray(R"("unit": "req/s", "unit": "rps",)")
            << QStringList { u"questions[0].unit: the key \"unit\" appears twice"_s };
        QTest::addRow("unknown field") << QByteArray(R"("label": "Microservices",)")
                                       << QByteArray(R"("label": "Microservices", "lable": "x",)")
                                       << QStringList { u"questions[3].options[0].lable: unknown field"_s };
        QTest::addRow("suggested value outside range")
            << QByteArray(R"("suggested": 1000,)") << QByteArray(R"("suggested": -3,)")
            << QStringList { u"questions[0].suggested"_s };
        QTest::addRow("confidence thresholds crossed")
            << QByteArray(R"("lowBelow": 2,)") << QByteArray(R"("lowBelow": 9,)")
            << QStringList { u"verdict.confidence"_s };
    }

    void badQuestionnaire()
    {
        QFETCH(QByteArray, from);
        QFETCH(QByteArray, to);
        QFETCH(QStringList, expected);
        QByteArray text = readResource(u"questionnaire.json"_s);
        QCOMPARE(text.count(from), 1);
        text.replace(from, to);
        QString error;
        QVERIFY(!Questionnaire::fromJson(text, u"q.json"_s, *m_table, &error));
        QVERIFY2(error.startsWith(u"q.json"_s), qPrintable(error));
        for (const QString &part : expected)
            QVERIFY2(error.contains(part), qPrintable(u"'%1' not in: %2"_s.arg(part, error)));
    }

    void badDecisionTable_data()
    {
        QTest::addColumn<QByteArray>("from");
        QTest::addColumn<QByteArray>("to");
        QTest::addColumn<QStringList>("expected");
        QTest::addRow("malformed JSON") << QByteArray(R"("rows": [)") << QByteArray(R"("rows": [[)")
                                        << QStringList { u"t.json:"_s, u"malformed JSON"_s };
        QTest::addRow("favours neither stack")
            << QByteArray(
                   "\"favours\": \"go\",\n            \"go\": {\n                \"text\": \"Best choice\"")
            << QByteArray(
                   "\"favours\": \"rust\",\n            \"go\": {\n                \"text\": \"Best choice\"")
            << QStringList { u"rows[0].favours"_s, u"\"rust\""_s };
        QTest::addRow("corrected reading without a note")
            << QByteArray(R"("note": "The article)") << QByteArray(R"("comment": "The article)")
            << QStringList { u"rows[5].python.note"_s };
        QTest::addRow("cell without a sentence or a note")
            << QByteArray(R"("note": "No sentence)") << QByteArray(R"("remark": "No sentence)")
            << QStringList { u"rows[5].go.quote"_s, u"a note saying there is none"_s };
        QTest::addRow("missing need") << QByteArray(R"("need": "Microservices",)") << QByteArray()
                                      << QStringList { u"rows[3].need"_s, u"missing"_s };
    }

    void badDecisionTable()
    {
        QFETCH(QByteArray, from);
        QFETCH(QByteArray, to);
        QFETCH(QStringList, expected);
        QByteArray text = readResource(u"decision-table.json"_s);
        QCOMPARE(text.count(from), 1);
        text.replace(from, to);
        QString error;
        QVERIFY(!DecisionTable::fromJson(text, u"t.json"_s, &error));
        for (const QString &part : expected)
            QVERIFY2(error.contains(part), qPrintable(u"'%1' not in: %2"_s.arg(part, error)));
    }
};

QTEST_APPLESS_MAIN(TestQuestionnaire)
#include "tst_questionnaire.moc"
