// Loading validates everything: the bundled decision table and questionnaire,
// every kind of bad answers file and bad data file, each error naming the field.

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
        QVERIFY(!row.go.quote.isEmpty() && !row.python.quote.isEmpty());
        // Where the literal text says one thing, the reading is the better stack's.
        if (go == u"Best choice"_s || go == u"Ideal"_s || go == u"Tiny binaries"_s)
            QVERIFY(row.go.reading > row.python.reading);
        if (python == u"Best choice"_s)
            QVERIFY(row.python.reading > row.go.reading);
    }

    void learningCurveCopyErrorIsRecorded()
    {
        const auto *row = m_table->row(u"team-learning-curve"_s);
        QVERIFY(row);
        QCOMPARE(row->python.text, u"Larger images"_s); // kept literally
        QVERIFY(row->python.reading > row->go.reading); // read as the prose says
        QVERIFY(row->python.note.contains(u"plain English"_s));
        QVERIFY(row->python.displayText().contains(u"Larger images"_s));
        QVERIFY(row->python.displayText().contains(row->python.readingText));
        QCOMPARE(row->notes().size(), 1);
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
            for (const auto &band : question.bands) {
                quotes << band.effect.quote;
                rows.unite(QSet<QString>(band.effect.rows.cbegin(), band.effect.rows.cend()));
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
        QVERIFY(peak->band(10000) != peak->band(10001)); // the article's threshold is a band edge
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

    void defaultsAreValid()
    {
        QString error;
        QVERIFY2(Answers::defaults(*m_questionnaire).validate(*m_questionnaire, &error), qPrintable(error));
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
                                             << QStringList { u"version"_s, u"7"_s };
        QTest::addRow("answers missing") << QByteArray(R"("answers": {)") << QByteArray(R"("replies": {)")
                                         << QStringList { u"answers"_s, u"missing"_s };
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
        QTest::addRow("malformed JSON") << QByteArray(R"("version": 1,)") << QByteArray(R"("version": 1,,)")
                                        << QStringList { u"q.json:3:"_s, u"malformed JSON"_s };
        QTest::addRow("unknown criterion in weights")
            << QByteArray(R"("weights": { "ai-ml": { "go": 0, "python": 6 } })")
            << QByteArray(R"("weights": { "ai-nope": { "go": 0, "python": 6 } })")
            << QStringList { u"questions[1].options[2].weights.ai-nope"_s, u"unknown criterion"_s };
        QTest::addRow("weight out of range")
            << QByteArray(R"("weights": { "ai-ml": { "go": 0, "python": 6 } })")
            << QByteArray(R"("weights": { "ai-ml": { "go": 0, "python": 60 } })")
            << QStringList { u"questions[1].options[2].weights.ai-ml.python"_s, u"out of range"_s };
        QTest::addRow("weight not a number")
            << QByteArray(R"("weights": { "ai-ml": { "go": 0, "python": 6 } })")
            << QByteArray(R"("weights": { "ai-ml": { "go": "none", "python": 6 } })")
            << QStringList { u"questions[1].options[2].weights.ai-ml.go"_s, u"expected a number"_s };
        QTest::addRow("row not in the table")
            << QByteArray(R"("rows": ["microservices"],)") << QByteArray(R"("rows": ["monoliths"],)")
            << QStringList { u"questions[3].options[0].rows"_s, u"\"monoliths\""_s };
        QTest::addRow("gap between bands")
            << QByteArray(R"("min": 10001, "max": 50000,)") << QByteArray(R"("min": 10005, "max": 50000,)")
            << QStringList { u"questions[0].bands[2].min"_s, u"without gaps"_s };
        QTest::addRow("unknown question type")
            << QByteArray(R"("type": "multi",)") << QByteArray(R"("type": "slider",)")
            << QStringList { u"questions[6].type"_s, u"\"slider\""_s };
        QTest::addRow("duplicate option id")
            << QByteArray(R"("id": "few-services")") << QByteArray(R"("id": "microservices")")
            << QStringList { u"questions[3].options[1].id"_s, u"twice"_s };
        QTest::addRow("missing title")
            << QByteArray(R"("title": "Latency and memory sensitivity",)") << QByteArray()
            << QStringList { u"questions[5].title"_s, u"missing"_s };
        QTest::addRow("hybrid rule names an unknown criterion")
            << QByteArray(R"("goNeeds": ["traffic"])") << QByteArray(R"("goNeeds": ["speed"])")
            << QStringList { u"verdict.hybrid.goNeeds"_s, u"\"speed\""_s };
        QTest::addRow("default outside range")
            << QByteArray(R"("default": 500,)") << QByteArray(R"("default": -3,)")
            << QStringList { u"questions[0].default"_s };
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
        QTest::addRow("reading out of range") << QByteArray(R"("text": "Workable",
                "reading": 0.5,)") << QByteArray(R"("text": "Workable",
                "reading": 5,)") << QStringList { u"rows[0].python.reading"_s, u"out of range"_s };
        QTest::addRow("corrected reading without a note") << QByteArray(
            R"("note":)") << QByteArray(R"("comment":)") << QStringList { u"rows[5].python.note"_s };
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
