// stackadvisor-load end to end: the real executable against the fixture server
// (tests/fixtures/httpfixture.cpp) started by the test, in each of its modes,
// plus the command line's bad input and a refused port.
#include <QtTest>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <csignal>

#include "loadgen/loadgenerator.h"
#include "loadgen/options.h"

namespace {

QString binary(const char *name)
{
    return QStringLiteral(STACKADVISOR_BIN_DIR "/") + QLatin1String(name);
}

// The fixture server in one mode; killed by the QProcess destructor whatever
// happens to the test.
class Fixture final
{
public:
    explicit Fixture(const QString &mode)
    {
        m_process.setProgram(binary("httpfixture"));
        m_process.setArguments({ QStringLiteral("--mode"), mode });
        m_process.start();
        if (!m_process.waitForStarted(5000))
            return;
        while (!m_process.canReadLine() && m_process.waitForReadyRead(5000)) { }
        const QByteArray line = m_process.readLine().trimmed();
        if (line.startsWith("PORT "))
            m_port = line.mid(5).toInt();
    }
    ~Fixture()
    {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    int port() const { return m_port; }
    QString url(const char *path = "/") const
    {
        return QStringLiteral("http://127.0.0.1:%1").arg(m_port) + QLatin1String(path);
    }
    // Stops the server and returns how many responses it wrote, or -1.
    qint64 stopAndCount()
    {
        ::kill(static_cast<pid_t>(m_process.processId()), SIGTERM);
        if (!m_process.waitForFinished(5000))
            return -1;
        const QByteArray out = m_process.readAllStandardOutput();
        for (const QByteArray &line : out.split('\n')) {
            if (line.startsWith("RESPONSES "))
                return line.mid(10).trimmed().toLongLong();
        }
        return -1;
    }

private:
    QProcess m_process;
    int m_port = 0;
};

struct LoadRun
{
    int exitCode = -1;
    QByteArray stdOut;
    QByteArray stdErr;
    qint64 elapsedMs = 0;
    QList<QJsonObject> lines; // --json lines, in order

    QJsonObject summary() const { return lines.isEmpty() ? QJsonObject() : lines.last(); }
    QList<QJsonObject> ofType(const char *type) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &o : lines) {
            if (o.value(QLatin1String("type")).toString() == QLatin1String(type))
                out.append(o);
        }
        return out;
    }
};

LoadRun runLoad(const QStringList &arguments)
{
    LoadRun run;
    QProcess process;
    QElapsedTimer timer;
    timer.start();
    process.start(binary("stackadvisor-load"), arguments);
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
    }
    run.elapsedMs = timer.elapsed();
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.stdOut = process.readAllStandardOutput();
    run.stdErr = process.readAllStandardError();
    if (arguments.contains(QStringLiteral("--json"))) {
        for (const QByteArray &line : run.stdOut.split('\n')) {
            if (line.isEmpty())
                continue;
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
            if (error.error != QJsonParseError::NoError || !doc.isObject()) {
                qWarning("not a JSON object line: %s", line.constData());
                run.lines.clear();
                return run;
            }
            run.lines.append(doc.object());
        }
    }
    return run;
}

qint64 number(const QJsonObject &o, const char *key)
{
    return static_cast<qint64>(o.value(QLatin1String(key)).toDouble(-1));
}

qint64 errorCount(const QJsonObject &summary, const char *kind)
{
    return number(summary.value(QLatin1String("errors")).toObject(), kind);
}

} // namespace

class TestLoadgenE2e final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void countsAgreeWithServer_data();
    void countsAgreeWithServer();
    void openLoopKeepsTheRate();
    void openLoopBehindScheduleIsReported();
    void warmupIsExcluded();
    void stallingServerTimesOutAndEndsOnTime();
    void garbageIsCountedAsParseErrors();
    void refusedConnections();
    void badInput_data();
    void badInput();
    void inProcessRun();
};

void TestLoadgenE2e::initTestCase()
{
    QVERIFY2(QFile::exists(binary("stackadvisor-load")), "build the stackadvisor-load target");
    QVERIFY2(QFile::exists(binary("httpfixture")), "build the httpfixture target");
}

void TestLoadgenE2e::countsAgreeWithServer_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("connections");
    QTest::addRow("keep-alive") << QStringLiteral("normal") << 2 << 16;
    QTest::addRow("chunked") << QStringLiteral("chunked") << 1 << 8;
    QTest::addRow("close after each response") << QStringLiteral("close") << 2 << 8;
}

void TestLoadgenE2e::countsAgreeWithServer()
{
    QFETCH(QString, mode);
    QFETCH(int, threads);
    QFETCH(int, connections);
    Fixture server(mode);
    QVERIFY(server.port() > 0);
    const LoadRun run = runLoad({ QStringLiteral("--json"), QStringLiteral("-t"), QString::number(threads),
        QStringLiteral("-c"), QString::number(connections), QStringLiteral("-d"), QStringLiteral("1s"),
        QStringLiteral("--interval"), QStringLiteral("250ms"), server.url("/json") });
    const qint64 served = server.stopAndCount();
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.stdErr.isEmpty(), run.stdErr.constData());
    QVERIFY(!run.lines.isEmpty());
    QCOMPARE(run.lines.first().value(QLatin1String("type")).toString(), QStringLiteral("start"));
    const QJsonObject summary = run.summary();
    QCOMPARE(summary.value(QLatin1String("type")).toString(), QStringLiteral("summary"));

    const qint64 requests = number(summary, "requests");
    QVERIFY2(requests > 100, qPrintable(QString::number(requests)));
    for (const char *kind : { "connect", "read", "timeout", "status", "parse" })
        QCOMPARE(errorCount(summary, kind), qint64(0));
    QCOMPARE(number(summary.value(QLatin1String("status")).toObject(), "2xx"), requests);
    // The generator counts completed responses; the server also counts those
    // still in flight when the run ended, at most one per connection.
    QVERIFY2(served >= requests && served - requests <= connections,
        qPrintable(QStringLiteral("server wrote %1, generator counted %2").arg(served).arg(requests)));

    // The intervals add up to the summary (no warm-up here).
    const QList<QJsonObject> intervals = run.ofType("interval");
    QCOMPARE(intervals.size(), 4);
    qint64 sum = 0;
    for (const QJsonObject &interval : intervals) {
        QCOMPARE(interval.value(QLatin1String("phase")).toString(), QStringLiteral("measure"));
        sum += number(interval, "requests");
        QVERIFY(number(interval.value(QLatin1String("latency_us")).toObject(), "p50") > 0);
    }
    QCOMPARE(sum, requests);

    // The histogram holds every measured request, and the percentiles are ordered.
    qint64 inBuckets = 0;
    for (const QJsonValue &bucket :
        summary.value(QLatin1String("histogram")).toObject().value(QLatin1String("buckets")).toArray())
        inBuckets += static_cast<qint64>(bucket.toArray().at(1).toDouble());
    QCOMPARE(inBuckets, requests);
    const QJsonObject latency = summary.value(QLatin1String("latency_us")).toObject();
    double previous = 0;
    for (const char *key : { "min", "p50", "p75", "p90", "p99", "p99_9", "p99_99", "max" }) {
        const double value = latency.value(QLatin1String(key)).toDouble();
        QVERIFY2(value >= previous, key);
        previous = value;
    }
    QVERIFY(summary.value(QLatin1String("uncorrected_latency_us")).isNull());
    if (mode == QLatin1String("close"))
        QVERIFY(number(summary, "reconnects") >= requests - connections);
    else
        QCOMPARE(number(summary, "reconnects"), qint64(0));
}

void TestLoadgenE2e::openLoopKeepsTheRate()
{
    Fixture server(QStringLiteral("normal"));
    QVERIFY(server.port() > 0);
    const LoadRun run
        = runLoad({ QStringLiteral("--json"), QStringLiteral("-c"), QStringLiteral("8"), QStringLiteral("-d"),
            QStringLiteral("1s"), QStringLiteral("--rate"), QStringLiteral("2000"), server.url() });
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.lines.first().value(QLatin1String("mode")).toString(), QStringLiteral("open"));
    QCOMPARE(run.lines.first().value(QLatin1String("rate")).toDouble(), 2000.0);
    const QJsonObject summary = run.summary();
    const qint64 requests = number(summary, "requests");
    // 2000 requests were scheduled in the second: never more complete. Fewer do
    // when the run ends with some in flight or late (a loaded machine delays the
    // generator's wake-ups: generous lower bound).
    QVERIFY2(requests >= 1000 && requests <= 2001, qPrintable(QString::number(requests)));
    const QJsonObject uncorrected = summary.value(QLatin1String("uncorrected_latency_us")).toObject();
    QVERIFY(!uncorrected.isEmpty());
    // Latency from the intended send time is never below the latency from the actual send.
    const QJsonObject corrected = summary.value(QLatin1String("latency_us")).toObject();
    QVERIFY(corrected.value(QLatin1String("max")).toDouble()
        >= uncorrected.value(QLatin1String("max")).toDouble());
    QVERIFY(summary.value(QLatin1String("saturation")).toObject().contains(QLatin1String("schedule_lag_ms")));
}

void TestLoadgenE2e::openLoopBehindScheduleIsReported()
{
    // One connection, and the server never answers: the schedule cannot be kept.
    Fixture server(QStringLiteral("stall"));
    QVERIFY(server.port() > 0);
    const LoadRun run = runLoad({ QStringLiteral("--json"), QStringLiteral("-c"), QStringLiteral("1"),
        QStringLiteral("-d"), QStringLiteral("600ms"), QStringLiteral("--rate"), QStringLiteral("100"),
        QStringLiteral("--timeout"), QStringLiteral("5s"), server.url() });
    QCOMPARE(run.exitCode, 1);
    const QJsonObject saturation = run.summary().value(QLatin1String("saturation")).toObject();
    QVERIFY(saturation.value(QLatin1String("saturated")).toBool());
    QVERIFY2(
        saturation.value(QLatin1String("reason")).toString().contains(QLatin1String("no connection free")),
        qPrintable(saturation.value(QLatin1String("reason")).toString()));
    QVERIFY(saturation.value(QLatin1String("schedule_lag_ms")).toDouble() >= 300);
}

void TestLoadgenE2e::warmupIsExcluded()
{
    Fixture server(QStringLiteral("normal"));
    QVERIFY(server.port() > 0);
    const LoadRun run = runLoad({ QStringLiteral("--json"), QStringLiteral("-c"), QStringLiteral("4"),
        QStringLiteral("--warmup"), QStringLiteral("500ms"), QStringLiteral("-d"), QStringLiteral("500ms"),
        QStringLiteral("--interval"), QStringLiteral("250ms"), server.url() });
    const qint64 served = server.stopAndCount();
    QCOMPARE(run.exitCode, 0);
    const QList<QJsonObject> intervals = run.ofType("interval");
    QCOMPARE(intervals.size(), 4);
    qint64 warmup = 0;
    qint64 measured = 0;
    for (int i = 0; i < intervals.size(); ++i) {
        const QString phase = intervals[i].value(QLatin1String("phase")).toString();
        QCOMPARE(phase, i < 2 ? QStringLiteral("warmup") : QStringLiteral("measure"));
        (i < 2 ? warmup : measured) += number(intervals[i], "requests");
    }
    const QJsonObject summary = run.summary();
    QCOMPARE(number(summary, "requests"), measured);
    QVERIFY(warmup > 0);
    QCOMPARE(summary.value(QLatin1String("duration_s")).toDouble(), 0.5);
    QVERIFY(served >= warmup + measured && served - warmup - measured <= 4);
}

void TestLoadgenE2e::stallingServerTimesOutAndEndsOnTime()
{
    Fixture server(QStringLiteral("stall"));
    QVERIFY(server.port() > 0);
    const LoadRun run
        = runLoad({ QStringLiteral("--json"), QStringLiteral("-c"), QStringLiteral("4"), QStringLiteral("-d"),
            QStringLiteral("1s"), QStringLiteral("--timeout"), QStringLiteral("200ms"), server.url() });
    QCOMPARE(run.exitCode, 1); // ran, but the target never answered
    const QJsonObject summary = run.summary();
    QCOMPARE(number(summary, "requests"), qint64(0));
    // 4 connections time out about every 200 ms during 1 s.
    QVERIFY2(
        errorCount(summary, "timeout") >= 8, qPrintable(QString::number(errorCount(summary, "timeout"))));
    // Bounded: it stopped at the end of its duration, not when the server answered
    // (generous margin: the machine is shared).
    QVERIFY2(run.elapsedMs < 4000, qPrintable(QString::number(run.elapsedMs)));
}

void TestLoadgenE2e::garbageIsCountedAsParseErrors()
{
    Fixture server(QStringLiteral("garbage"));
    QVERIFY(server.port() > 0);
    const LoadRun run = runLoad({ QStringLiteral("--json"), QStringLiteral("-c"), QStringLiteral("2"),
        QStringLiteral("-d"), QStringLiteral("500ms"), server.url() });
    QCOMPARE(run.exitCode, 1);
    const QJsonObject summary = run.summary();
    QCOMPARE(number(summary, "requests"), qint64(0));
    QVERIFY(errorCount(summary, "parse") > 0);
    QVERIFY(number(summary, "reconnects") > 0);
}

void TestLoadgenE2e::refusedConnections()
{
    int port = 0;
    {
        Fixture server(QStringLiteral("normal"));
        port = server.port();
        QVERIFY(port > 0);
    } // gone: nothing listens on its port any more
    const QString url = QStringLiteral("http://127.0.0.1:%1/").arg(port);
    const LoadRun human = runLoad(
        { QStringLiteral("-c"), QStringLiteral("2"), QStringLiteral("-d"), QStringLiteral("300ms"), url });
    QCOMPARE(human.exitCode, 1);
    QVERIFY2(human.stdOut.contains("Errors: connect "), human.stdOut.constData());
    QVERIFY(!human.stdOut.contains("Errors: connect 0,"));
    QVERIFY(human.stdOut.contains("FAILED"));

    const LoadRun json = runLoad({ QStringLiteral("--json"), QStringLiteral("-c"), QStringLiteral("2"),
        QStringLiteral("-d"), QStringLiteral("300ms"), url });
    QCOMPARE(json.exitCode, 1);
    QVERIFY(errorCount(json.summary(), "connect") > 0);
}

void TestLoadgenE2e::badInput_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    const QString ok = QStringLiteral("http://127.0.0.1:9/");
    QTest::addRow("no scheme") << QStringList { QStringLiteral("127.0.0.1:8080") }
                               << QStringLiteral("no scheme");
    QTest::addRow("no port") << QStringList { QStringLiteral("http://127.0.0.1/") }
                             << QStringLiteral("no port");
    QTest::addRow("https") << QStringList { QStringLiteral("https://127.0.0.1:8443/") }
                           << QStringLiteral("https://");
    QTest::addRow("remote") << QStringList { QStringLiteral("http://192.0.2.10:80/") }
                            << QStringLiteral("--allow-remote");
    QTest::addRow("-c 0") << QStringList { QStringLiteral("-c"), QStringLiteral("0"), ok }
                          << QStringLiteral("-c 0");
    QTest::addRow("-c too big") << QStringList { QStringLiteral("-c"), QStringLiteral("100001"), ok }
                                << QStringLiteral("100000");
    QTest::addRow("-t above -c") << QStringList { QStringLiteral("-t"), QStringLiteral("3"),
        QStringLiteral("-c"), QStringLiteral("2"), ok }
                                 << QStringLiteral("more than -c");
    QTest::addRow("duration") << QStringList { QStringLiteral("-d"), QStringLiteral("ten"), ok }
                              << QStringLiteral("not a duration");
    QTest::addRow("rate") << QStringList { QStringLiteral("--rate"), QStringLiteral("0"), ok }
                          << QStringLiteral("--rate");
    QTest::addRow("no URL") << QStringList {} << QStringLiteral("no URL");
}

void TestLoadgenE2e::badInput()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const LoadRun run = runLoad(arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.stdOut.isEmpty());
    const QString error = QString::fromUtf8(run.stdErr);
    QVERIFY2(error.contains(message), qPrintable(error));
    QCOMPARE(error.count(QLatin1Char('\n')), 1); // one clear line
}

void TestLoadgenE2e::inProcessRun()
{
    // The library runs a load in-process too (for core code and tests).
    Fixture server(QStringLiteral("normal"));
    QVERIFY(server.port() > 0);
    const sa::loadgen::CommandLine cl = sa::loadgen::parseCommandLine(
        { "-c", "4", "-t", "2", "-d", "400ms", "--interval", "200ms", server.url().toStdString() });
    QCOMPARE(cl.action, sa::loadgen::CommandLine::Action::Run);
    sa::loadgen::LoadGenerator generator(cl.options);
    QVERIFY(generator.prepare().empty());
    int intervals = 0;
    uint64_t intervalRequests = 0;
    const sa::loadgen::RunResult result = generator.run([&](const sa::loadgen::IntervalReport &r) {
        ++intervals;
        intervalRequests += r.requests;
    });
    const qint64 served = server.stopAndCount();
    QCOMPARE(intervals, 2);
    QVERIFY(result.requests > 0);
    QCOMPARE(intervalRequests, result.requests);
    QCOMPARE(result.latency.totalCount(), result.requests);
    QVERIFY(!result.targetFailed());
    QVERIFY(served >= qint64(result.requests) && served - qint64(result.requests) <= 4);
}

QTEST_GUILESS_MAIN(TestLoadgenE2e)
#include "tst_loadgen_e2e.moc"
