// `stackadvisor advise` as a user runs it: the built binary, the answer files in
// tests/data/, stdout/stderr and exit codes.

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

Run run(const QStringList &arguments, const QByteArray &input = {})
{
    QProcess process;
    process.setProgram(QStringLiteral(STACKADVISOR_BIN_DIR "/stackadvisor"));
    process.setArguments(QStringList { u"advise"_s } + arguments);
    process.start();
    Run result;
    if (!process.waitForStarted(10000))
        return result;
    process.write(input);
    process.closeWriteChannel(); // stdin is a pipe, never a terminal, so no questions unless asked
    if (!process.waitForFinished(20000)) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

} // namespace

class TestCliAdvise final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void profilesAsJson_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QString>("verdict");
        QTest::addRow("high-traffic-go-team") << u"high-traffic-go-team"_s << u"Go"_s;
        QTest::addRow("ai-mvp-python-team") << u"ai-mvp-python-team"_s << u"Python"_s;
        QTest::addRow("high-traffic-with-ml") << u"high-traffic-with-ml"_s << u"Hybrid"_s;
        QTest::addRow("low-traffic-crud-new-team") << u"low-traffic-crud-new-team"_s << u"Python"_s;
    }

    void profilesAsJson()
    {
        QFETCH(QString, profile);
        QFETCH(QString, verdict);
        const Run result = run({ u"--answers"_s, kData + profile + u".json"_s, u"--json"_s });
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY(result.err.isEmpty());
        QJsonParseError error;
        const QJsonObject json = QJsonDocument::fromJson(result.out.toUtf8(), &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QCOMPARE(json.value(u"format"_s).toString(), u"stackadvisor-recommendation"_s);
        QCOMPARE(json.value(u"verdict"_s).toString(), verdict);
        QVERIFY(!json.value(u"contributions"_s).toArray().isEmpty());
        QVERIFY(!json.value(u"flips"_s).toArray().isEmpty() || json.value(u"closest"_s).isObject());
        QCOMPARE(json.value(u"decisionTable"_s).toArray().size(), 6);
    }

    void profileAsText()
    {
        const Run result = run({ u"--answers"_s, kData + u"high-traffic-with-ml.json"_s });
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY(result.out.startsWith(u"Verdict: Hybrid"_s));
        QVERIFY(result.out.contains(u"What would change the verdict:"_s));
        QVERIFY(result.out.contains(u"If your peak were"_s));
        QVERIFY(result.out.contains(u"Larger images (read as: Easy to learn)"_s)); // with its note
        QVERIFY(result.out.contains(u"Note: Python: The article's cell reads"_s));
    }

    void badAnswerFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("field");
        QTest::addRow("malformed") << u"malformed.json"_s << u"malformed.json:4:"_s;
        QTest::addRow("unknown question") << u"unknown-question.json"_s << u"answers.favourite-colour"_s;
        QTest::addRow("option not offered") << u"option-not-offered.json"_s << u"answers.team"_s;
        QTest::addRow("number out of range") << u"number-out-of-range.json"_s << u"answers.peak-rps"_s;
        QTest::addRow("missing answer") << u"missing-answer.json"_s << u"answers.deployment"_s;
        QTest::addRow("no such file") << u"no-such-file.json"_s << u"no-such-file.json"_s;
    }

    void badAnswerFiles()
    {
        QFETCH(QString, file);
        QFETCH(QString, field);
        const Run result = run({ u"--answers"_s, kData + u"bad-answers/"_s + file, u"--json"_s });
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.out.isEmpty());
        QVERIFY2(result.err.startsWith(u"stackadvisor advise: "_s), qPrintable(result.err));
        QVERIFY2(result.err.contains(field), qPrintable(result.err));
    }

    void badArguments_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::addRow("unknown option") << QStringList { u"--colour"_s } << u"Unknown option 'colour'"_s;
        QTest::addRow("missing file name") << QStringList { u"--answers"_s } << u"answers"_s;
        QTest::addRow("stray argument") << QStringList { u"answers.json"_s } << u"answers.json"_s;
        QTest::addRow("no answers, no terminal") << QStringList {} << u"--answers FILE"_s;
    }

    void badArguments()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const Run result = run(arguments);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(message), qPrintable(result.err));
    }

    void helpAndVersion()
    {
        Run result = run({ u"--help"_s });
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains(u"--answers FILE"_s));
        QVERIFY(result.out.contains(u"--json"_s));
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
        QCOMPARE(
            QJsonDocument::fromJson(result.out.toUtf8()).object().value(u"verdict"_s).toString(), u"Go"_s);
    }

    // The questions in order, answered as a person would type them (numbers of
    // options, a wrong entry first, Enter for a default), then saved.
    void interactive()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString saved = dir.filePath(u"answers.json"_s);
        const QByteArray typed = "lots\n" // not a number: asked again
                                 "25,000\n" // peak
                                 "1\n" // AI/ML: none
                                 "3\n" // stage: established
                                 "1\n" // architecture: microservices
                                 "1\n" // deployment: cloud-native
                                 "9\n" // not an option: asked again
                                 "1\n" // performance: critical
                                 "1,3\n" // workload: real-time, infrastructure
                                 "2\n" // team: Go
                                 "\n"; // ecosystem: the default
        const Run result = run({ u"--interactive"_s, u"--json"_s, u"--save"_s, saved }, typed);
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY(result.err.contains(u"Expected peak requests per second"_s));
        QVERIFY(result.err.contains(u"Please type the number of an option"_s));
        const QJsonObject json = QJsonDocument::fromJson(result.out.toUtf8()).object();
        QCOMPARE(json.value(u"verdict"_s).toString(), u"Go"_s);

        QFile file(saved);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject answers
            = QJsonDocument::fromJson(file.readAll()).object().value(u"answers"_s).toObject();
        QCOMPARE(answers.value(u"peak-rps"_s).toDouble(), 25000.0);
        QCOMPARE(answers.value(u"workload"_s).toArray(), (QJsonArray { u"realtime"_s, u"infrastructure"_s }));
        QCOMPARE(answers.value(u"team"_s).toString(), u"go"_s);

        // Input ending early is bad input, not a recommendation from defaults.
        const Run cut = run({ u"--interactive"_s }, "25000\n1\n");
        QCOMPARE(cut.exitCode, 2);
        QVERIFY(cut.err.contains(u"input ended"_s));
    }
};

QTEST_GUILESS_MAIN(TestCliAdvise)
#include "tst_cli_advise.moc"
