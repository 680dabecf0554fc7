// `stackadvisor advise` as a user runs it: the built binary, the answer files in
// tests/data/, a real run history (SQLite) for the measured capacity figures,
// stdout/stderr and exit codes — and every error message the command has.

#include "bench/results.h"
#include "store/resultstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

const QString kData = QStringLiteral(STACKADVISOR_SOURCE_DIR "/tests/data/");

// The user's own run history must not decide these tests: each run gets an empty data folder.
QTemporaryDir &dataHome()
{
    static QTemporaryDir dir;
    return dir;
}

Run run(const QStringList &arguments, const QByteArray &input = {})
{
    QProcess process;
    process.setProgram(QStringLiteral(STACKADVISOR_BIN_DIR "/stackadvisor"));
    process.setArguments(QStringList { u"advise"_s } + arguments);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"XDG_DATA_HOME"_s, dataHome().path());
    process.setProcessEnvironment(environment);
    process.start();
    Run result;
    if (!process.waitForStarted(10000))
        return result;
    process.write(input);
    process.closeWriteChannel(); // stdin is a pipe, never a terminal, so no questions unless asked
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

QJsonObject json(const Run &result)
{
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(result.out.toUtf8(), &error).object();
    if (error.error != QJsonParseError::NoError)
        qWarning("not JSON: %s", qPrintable(error.errorString()));
    return object;
}

// The answers a person types, one per question, in questionnaire order.
QByteArray typed(const QStringList &lines)
{
    return (lines.join(u'\n') + u'\n').toUtf8();
}

} // namespace

class TestCliAdvise final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(dataHome().isValid()); }

    void profilesAsJson_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QString>("verdict");
        QTest::addRow("high-traffic-go-team") << u"high-traffic-go-team"_s << u"Go"_s;
        QTest::addRow("ai-mvp-python-team") << u"ai-mvp-python-team"_s << u"Python"_s;
        QTest::addRow("high-traffic-with-ml") << u"high-traffic-with-ml"_s << u"Hybrid"_s;
        QTest::addRow("low-traffic-crud-new-team") << u"low-traffic-crud-new-team"_s << u"Python"_s;
        QTest::addRow("python-team-20k-api") << u"profiles/python-team-20k-api"_s << u"Hybrid"_s;
        QTest::addRow("no-preferences") << u"profiles/no-preferences"_s << u"Python"_s;
    }

    void profilesAsJson()
    {
        QFETCH(QString, profile);
        QFETCH(QString, verdict);
        const Run result = run({ u"--answers"_s, kData + profile + u".json"_s, u"--json"_s });
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY(result.err.isEmpty());
        const QJsonObject object = json(result);
        QCOMPARE(object.value(u"format"_s).toString(), u"stackadvisor-recommendation"_s);
        QCOMPARE(object.value(u"verdict"_s).toString(), verdict);
        QVERIFY(!object.value(u"contributions"_s).toArray().isEmpty());
        QVERIFY(!object.value(u"flips"_s).toArray().isEmpty() || object.value(u"closest"_s).isObject());
        QCOMPARE(object.value(u"decisionTable"_s).toArray().size(), 6);
        // Confidence, sensitivity, capacity and cost, each with its label.
        QVERIFY(!object.value(u"confidence"_s).toObject().value(u"level"_s).toString().isEmpty());
        for (const QJsonValue &c : object.value(u"contributions"_s).toArray())
            QVERIFY(c.toObject().contains(u"sensitivity"_s));
        const QJsonObject capacity = object.value(u"capacity"_s).toObject();
        QCOMPARE(capacity.value(u"evidence"_s).toObject().value(u"label"_s).toString(),
            u"published, not measured here"_s);
        QVERIFY(!capacity.value(u"pricePerVcpuMonth"_s).toObject().value(u"label"_s).toString().isEmpty());
        QVERIFY(!capacity.value(u"coresPerServer"_s).toObject().value(u"source"_s).toString().isEmpty());
        for (const QJsonValue &stack : capacity.value(u"stacks"_s).toArray()) {
            QCOMPARE(stack.toObject().value(u"provenance"_s).toString(), u"published"_s);
            QVERIFY(stack.toObject().contains(u"monthlyCost"_s));
        }
        QVERIFY(object.value(u"latencyTarget"_s).toObject().value(u"milliseconds"_s).toDouble() > 0);
    }

    void profileAsText()
    {
        const Run result = run({ u"--answers"_s, kData + u"high-traffic-with-ml.json"_s });
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY(result.out.startsWith(u"Verdict: Hybrid"_s));
        QVERIFY(result.out.contains(
            u"Hybrid: Go for the endpoints that carry the peak traffic; Python for the AI/ML features"_s));
        QVERIFY(result.out.contains(u"Confidence: "_s));
        QVERIFY(result.out.contains(u"What would change the verdict:"_s));
        QVERIFY(result.out.contains(u"If your peak were"_s));
        QVERIFY(result.out.contains(u"Capacity and cost at your peak (published, not measured here"_s));
        QVERIFY(result.out.contains(u"hardware not stated"_s));
        QVERIFY(result.out.contains(u"per vCPU-month (illustrative"_s));
        QVERIFY(result.out.contains(u"Larger images (read as: Easy to learn)"_s)); // with its note
        QVERIFY(result.out.contains(u"Note: Python: The article's cell reads"_s));

        const Run close = run({ u"--answers"_s, kData + u"profiles/no-preferences.json"_s });
        QVERIFY2(close.exitCode == 0, qPrintable(close.err));
        QVERIFY(close.out.startsWith(u"Too close to call — leaning Python"_s));
        QVERIFY(close.out.contains(u"What would decide it: If"_s));
    }

    void badAnswerFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("lines"); // each must appear on a line of its own
        QTest::addRow("malformed") << u"malformed.json"_s << QStringList { u"malformed.json:4:"_s };
        QTest::addRow("unknown question")
            << u"unknown-question.json"_s << QStringList { u"answers.favourite-colour"_s };
        QTest::addRow("option not offered")
            << u"option-not-offered.json"_s << QStringList { u"answers.team"_s };
        QTest::addRow("number out of range")
            << u"number-out-of-range.json"_s << QStringList { u"answers.peak-rps"_s };
        QTest::addRow("missing answer")
            << u"missing-answer.json"_s << QStringList { u"answers.deployment"_s };
        QTest::addRow("no such file") << u"no-such-file.json"_s << QStringList { u"no-such-file.json"_s };
        QTest::addRow("duplicate key")
            << u"duplicate-key.json"_s << QStringList { u"answers.team: the key \"team\" appears twice"_s };
        QTest::addRow("unknown field")
            << u"unknown-field.json"_s
            << QStringList {
                   u"comment: unknown field; the fields here are: format, version, description, answers"_s
               };
        QTest::addRow("every problem at once")
            << u"several-problems.json"_s
            << QStringList { u"answers.favourite-colour: unknown question id"_s,
                   u"answers.peak-rps: expected a number"_s,
                   u"answers.workload[0]: \"games\" is not an option"_s,
                   u"answers.team: \"rust\" is not an option"_s };
    }

    void badAnswerFiles()
    {
        QFETCH(QString, file);
        QFETCH(QStringList, lines);
        const Run result = run({ u"--answers"_s, kData + u"bad-answers/"_s + file, u"--json"_s });
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.out.isEmpty());
        const QStringList err = result.err.split(u'\n', Qt::SkipEmptyParts);
        QVERIFY(err.size() >= lines.size());
        for (const QString &line : err)
            QVERIFY2(line.startsWith(u"stackadvisor advise: "_s), qPrintable(line));
        for (const QString &part : lines) {
            QVERIFY2(
                std::any_of(err.begin(), err.end(), [&](const QString &line) { return line.contains(part); }),
                qPrintable(u"'%1' not in:\n%2"_s.arg(part, result.err)));
        }
        if (lines.size() > 1)
            QCOMPARE(err.size(), lines.size()); // one line per problem
    }

    void badArguments_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::addRow("unknown option") << QStringList { u"--colour"_s } << u"Unknown option 'colour'"_s;
        QTest::addRow("missing file name") << QStringList { u"--answers"_s } << u"answers"_s;
        QTest::addRow("stray argument") << QStringList { u"answers.json"_s } << u"answers.json"_s;
        QTest::addRow("no answers, no terminal") << QStringList {} << u"--answers FILE"_s;
        QTest::addRow("compare one file")
            << QStringList { u"--compare"_s, kData + u"high-traffic-go-team.json"_s }
            << u"--compare needs two answers files"_s;
        QTest::addRow("compare and save") << QStringList { u"--compare"_s, u"--save"_s, u"x.json"_s,
            u"a.json"_s, u"b.json"_s } << u"--compare reads its two files; leave out --save"_s;
        QTest::addRow("save to a missing folder")
            << QStringList { u"--interactive"_s, u"--save"_s, u"/no/such/folder/mine.json"_s }
            << u"--save /no/such/folder/mine.json: the folder /no/such/folder does not exist"_s;
        QTest::addRow("save to a folder")
            << QStringList { u"--interactive"_s, u"--save"_s, u"/tmp"_s } << u"--save /tmp: is a folder"_s;
        QTest::addRow("save without a name")
            << QStringList { u"--interactive"_s, u"--save"_s, QString() } << u"--save \"\": no file name"_s;
        QTest::addRow("price not a number") << QStringList { u"--answers"_s,
            kData + u"high-traffic-go-team.json"_s, u"--price-per-vcpu-month"_s, u"cheap"_s }
                                            << u"--price-per-vcpu-month 'cheap' is not a price above 0"_s;
        QTest::addRow("price zero") << QStringList { u"--answers"_s, kData + u"high-traffic-go-team.json"_s,
            u"--price-per-vcpu-month"_s, u"0"_s }
                                    << u"--price-per-vcpu-month '0' is not a price above 0"_s;
        QTest::addRow("no cores") << QStringList { u"--answers"_s, kData + u"high-traffic-go-team.json"_s,
            u"--cores-per-server"_s, u"0"_s }
                                  << u"--cores-per-server '0' is not a whole number of cores, at least 1"_s;
        QTest::addRow("run not an id") << QStringList { u"--answers"_s,
            kData + u"high-traffic-go-team.json"_s, u"--run"_s, u"yesterday"_s }
                                       << u"--run 'yesterday' is not a run id, 'latest' or 'none'"_s;
    }

    void badArguments()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const Run result = run(arguments);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(message), qPrintable(result.err));
        QVERIFY2(!result.err.contains(u"Question 1"_s), "checked before the first question");
    }

    void helpAndVersion()
    {
        Run result = run({ u"--help"_s });
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains(u"--answers FILE"_s));
        QVERIFY(result.out.contains(u"--json"_s));
        QVERIFY(result.out.contains(u"--compare A B"_s));
        QVERIFY(result.out.contains(u"--price-per-vcpu-month"_s));
        result = run({ u"--version"_s });
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.startsWith(u"stackadvisor "_s));
    }

    void answersFromStdin()
    {
        QFile file(kData + u"high-traffic-go-team.json"_s);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const Run result = run({ u"--answers"_s, u"-"_s, u"--json"_s }, file.readAll());
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QCOMPARE(json(result).value(u"verdict"_s).toString(), u"Go"_s);
    }

    // The questions in order, answered as a person would type them (numbers of
    // options, wrong entries first, Enter where "Not sure" is offered), then saved.
    void interactive()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString saved = dir.filePath(u"answers.json"_s);
        const QByteArray input = typed({
            u"lots"_s, // not a number: asked again
            u"25,000"_s, // peak
            u"1"_s, // AI/ML: none
            u"3"_s, // stage: established
            u"1"_s, // architecture: microservices
            u"1"_s, // deployment: cloud-native
            u"9"_s, // not an option: asked again
            u"1"_s, // performance: critical
            u"1,3"_s, // workload: real-time, infrastructure
            u"2"_s, // team: Go
            QString(), // ecosystem: Enter takes "Not sure", and says so
        });
        const Run result = run({ u"--interactive"_s, u"--json"_s, u"--save"_s, saved }, input);
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY(result.err.contains(u"Expected peak requests per second"_s));
        QVERIFY(result.err.contains(u"“lots” is not a whole number"_s));
        QVERIFY(result.err.contains(u"Please type the number of an option, 1 to 4."_s));
        QVERIFY(result.err.contains(u"  → Not sure / no preference"_s));
        QCOMPARE(json(result).value(u"verdict"_s).toString(), u"Go"_s);

        QFile file(saved);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject answers
            = QJsonDocument::fromJson(file.readAll()).object().value(u"answers"_s).toObject();
        QCOMPARE(answers.value(u"peak-rps"_s).toDouble(), 25000.0);
        QCOMPARE(answers.value(u"workload"_s).toArray(), (QJsonArray { u"realtime"_s, u"infrastructure"_s }));
        QCOMPARE(answers.value(u"team"_s).toString(), u"go"_s);
        QCOMPARE(answers.value(u"ecosystem"_s).toString(), u"unsure"_s);
    }

    void interactiveNumbers_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QJsonValue>("peak");
        QTest::addRow("10k") << u"10k"_s << QJsonValue(10000.0);
        QTest::addRow("10,000") << u"10,000"_s << QJsonValue(10000.0);
        QTest::addRow("25 000") << u"25 000"_s << QJsonValue(25000.0);
        QTest::addRow("2.5k") << u"2.5k"_s << QJsonValue(2500.0);
        QTest::addRow("u: not sure") << u"u"_s << QJsonValue(u"unsure"_s);
        QTest::addRow("Enter: not sure") << QString() << QJsonValue(u"unsure"_s);
    }

    void interactiveNumbers()
    {
        QFETCH(QString, typed);
        QFETCH(QJsonValue, peak);
        QTemporaryDir dir;
        const QString saved = dir.filePath(u"a.json"_s);
        const QByteArray input
            = ::typed({ typed, u"1"_s, u"1"_s, u"1"_s, u"1"_s, u"1"_s, u"0"_s, u"1"_s, u"1"_s });
        const Run result = run({ u"--interactive"_s, u"--save"_s, saved }, input);
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QFile file(saved);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(file.readAll())
                     .object()
                     .value(u"answers"_s)
                     .toObject()
                     .value(u"peak-rps"_s),
            peak);
    }

    // Each wrong entry gets its own message and the question again; no hidden defaults.
    void interactiveRejects()
    {
        const QByteArray input = typed({
            u"0,1"_s, // a peak that is two numbers: not a number
            u"300"_s,
            u"0,1"_s, // two options for a single choice
            u"0"_s, // no option 0 for a single choice
            u"1"_s,
            u"1"_s,
            u"1"_s,
            u"1"_s,
            u"1"_s,
            QString(), // a multi-choice has no "Not sure": Enter asks again
            u"0,2"_s, // 0 means none: not with others
            u"2,2"_s, // twice
            u"0"_s,
            u"1"_s,
            u"1"_s,
        });
        const Run result = run({ u"--interactive"_s, u"--json"_s }, input);
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        for (const QString &message :
            { u"“0,1” is not a whole number"_s, u"This question takes one answer: type one number, 1 to 4."_s,
                u"Please type the number of an option, 1 to 4."_s,
                u"Please answer: type 0 for none, or the numbers of the options."_s,
                u"0 means none: type it alone"_s, u"Option 2 is listed twice."_s })
            QVERIFY2(result.err.contains(message), qPrintable(message + u"\n---\n"_s + result.err));
        QCOMPARE(json(result).value(u"answers"_s).toArray().at(6).toObject().value(u"value"_s).toArray(),
            QJsonArray());
    }

    // Input ending early is bad input, names the question, and saves nothing.
    void inputEndsEarly()
    {
        QTemporaryDir dir;
        const QString saved = dir.filePath(u"never.json"_s);
        const Run cut = run({ u"--interactive"_s, u"--save"_s, saved }, "25000\n1\n");
        QCOMPARE(cut.exitCode, 2);
        QVERIFY2(
            cut.err.contains(
                u"input ended before question 3 of 9 (“Stage and time to market”) was answered; nothing was saved"_s),
            qPrintable(cut.err));
        QVERIFY(!QFile::exists(saved));
    }

    void compare()
    {
        const QStringList files { kData + u"low-traffic-crud-new-team.json"_s,
            kData + u"high-traffic-go-team.json"_s };
        const Run text = run(QStringList { u"--compare"_s } + files);
        QVERIFY2(text.exitCode == 0, qPrintable(text.err));
        QVERIFY(text.out.contains(u"A  low-traffic-crud-new-team.json"_s));
        QVERIFY(text.out.contains(u"B  high-traffic-go-team.json"_s));
        QVERIFY(text.out.contains(u"The verdict changes; what moved it most:"_s));
        QVERIFY(text.out.contains(u"Answers that differ:"_s));
        QVERIFY(text.out.contains(u"Team experience"_s));

        const Run asJson = run(QStringList { u"--compare"_s } + files + QStringList { u"--json"_s });
        QVERIFY2(asJson.exitCode == 0, qPrintable(asJson.err));
        const QJsonObject object = json(asJson);
        QCOMPARE(object.value(u"format"_s).toString(), u"stackadvisor-comparison"_s);
        QCOMPARE(object.value(u"a"_s)
                     .toObject()
                     .value(u"recommendation"_s)
                     .toObject()
                     .value(u"verdict"_s)
                     .toString(),
            u"Python"_s);
        QCOMPARE(object.value(u"b"_s)
                     .toObject()
                     .value(u"recommendation"_s)
                     .toObject()
                     .value(u"verdict"_s)
                     .toString(),
            u"Go"_s);
        QCOMPARE(object.value(u"sameVerdict"_s).toBool(), false);
        QVERIFY(!object.value(u"criteriaThatDiffer"_s).toArray().isEmpty());

        // Both files' problems at once.
        const Run bad = run({ u"--compare"_s, kData + u"bad-answers/option-not-offered.json"_s,
            kData + u"bad-answers/number-out-of-range.json"_s });
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains(u"option-not-offered.json: answers.team"_s));
        QVERIFY(bad.err.contains(u"number-out-of-range.json: answers.peak-rps"_s));
    }

    // With a stored run, the capacity criterion reads its figures; --run none gives the article's.
    void capacityFromAStoredRun()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = dir.filePath(u"history.sqlite"_s);
        sa::bench::RunResult stored;
        stored.startedAt = QDateTime(QDate(2026, 11, 27), QTime(2, 0), Qt::UTC);
        stored.finishedAt = stored.startedAt.addSecs(60);
        stored.plan.targetIds = { u"go-fiber"_s, u"python-fastapi"_s };
        for (const auto &[id, language, rps] : { std::tuple(u"go-fiber"_s, u"Go"_s, 15000.0),
                 std::tuple(u"python-fastapi"_s, u"Python"_s, 1500.0) }) {
            sa::bench::TargetResult cell;
            cell.targetId = id;
            cell.displayName = language + u" · "_s + id;
            cell.language = language;
            cell.connections = 1000;
            cell.durationSeconds = 10;
            cell.status = sa::bench::TargetStatus::Completed;
            cell.requests = qint64(rps * 10);
            cell.requestsPerSecond = rps;
            cell.workers = 1;
            cell.serverCpus = u"1"_s;
            stored.targets << cell;
        }
        {
            sa::store::ResultStore store(db);
            QString error;
            QVERIFY2(store.open(&error), qPrintable(error));
            QVERIFY2(store.save(stored, &error), qPrintable(error));
        }
        const QString answers = kData + u"high-traffic-with-ml.json"_s; // 30,000 req/s
        const Run measured = run({ u"--answers"_s, answers, u"--db"_s, db, u"--json"_s });
        QVERIFY2(measured.exitCode == 0, qPrintable(measured.err));
        const QJsonObject capacity = json(measured).value(u"capacity"_s).toObject();
        QCOMPARE(capacity.value(u"evidence"_s).toObject().value(u"provenance"_s).toString(), u"measured"_s);
        QCOMPARE(capacity.value(u"evidence"_s).toObject().value(u"label"_s).toString(), u"measured here"_s);
        const QJsonArray stacks = capacity.value(u"stacks"_s).toArray();
        QCOMPARE(stacks.size(), 2);
        QCOMPARE(stacks.at(0).toObject().value(u"coresAtPeak"_s).toDouble(), 2.0); // 30,000 / 15,000
        QCOMPARE(stacks.at(1).toObject().value(u"coresAtPeak"_s).toDouble(), 20.0);
        QCOMPARE(stacks.at(1).toObject().value(u"servers"_s).toInt(), 3);
        QVERIFY(stacks.at(0).toObject().value(u"source"_s).toString().contains(u"run 1 of 2026-11-27"_s));
        const double price = capacity.value(u"pricePerVcpuMonth"_s).toObject().value(u"value"_s).toDouble();
        QCOMPARE(stacks.at(1).toObject().value(u"monthlyCost"_s).toDouble(), 20 * price);

        const Run published
            = run({ u"--answers"_s, answers, u"--db"_s, db, u"--run"_s, u"none"_s, u"--json"_s });
        QCOMPARE(json(published)
                     .value(u"capacity"_s)
                     .toObject()
                     .value(u"evidence"_s)
                     .toObject()
                     .value(u"provenance"_s)
                     .toString(),
            u"published"_s);

        const Run priced = run({ u"--answers"_s, answers, u"--db"_s, db, u"--run"_s, u"1"_s,
            u"--price-per-vcpu-month"_s, u"50"_s, u"--cores-per-server"_s, u"16"_s, u"--json"_s });
        QVERIFY2(priced.exitCode == 0, qPrintable(priced.err));
        const QJsonObject pricedCapacity = json(priced).value(u"capacity"_s).toObject();
        QCOMPARE(pricedCapacity.value(u"pricePerVcpuMonth"_s).toObject().value(u"label"_s).toString(),
            u"set by you"_s);
        QCOMPARE(
            pricedCapacity.value(u"stacks"_s).toArray().at(1).toObject().value(u"monthlyCost"_s).toDouble(),
            1000.0);
        QCOMPARE(pricedCapacity.value(u"stacks"_s).toArray().at(1).toObject().value(u"servers"_s).toInt(), 2);

        const Run missing = run({ u"--answers"_s, answers, u"--db"_s, db, u"--run"_s, u"99"_s });
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains(u"there is no run 99 in "_s + db), qPrintable(missing.err));
        // A history that cannot be opened is a failure of the job (1), named with its path.
        const Run unreadable = run({ u"--answers"_s, answers, u"--db"_s, dir.path() });
        QCOMPARE(unreadable.exitCode, 1);
        QVERIFY2(unreadable.err.contains(u"cannot open the run history "_s + dir.path()),
            qPrintable(unreadable.err));
        const QString emptyDb = dir.filePath(u"empty.sqlite"_s);
        const Run none = run({ u"--answers"_s, answers, u"--db"_s, emptyDb, u"--run"_s, u"latest"_s });
        QCOMPARE(none.exitCode, 2);
        QVERIFY2(none.err.contains(u"has no runs yet"_s), qPrintable(none.err));
    }
};

QTEST_GUILESS_MAIN(TestCliAdvise)
#include "tst_cli_advise.moc"
