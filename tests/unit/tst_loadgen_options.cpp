// The load generator's command line: every bad input is refused with one line
// saying what is wrong; good input gives the options the engine runs with.
#include <QtTest>

#include <string>
#include <vector>

#include "loadgen/options.h"

using sa::loadgen::CommandLine;
using sa::loadgen::parseCommandLine;

namespace {

std::vector<std::string> split(const QString &arguments)
{
    std::vector<std::string> out;
    for (const QString &a : arguments.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        out.push_back(a.toStdString());
    return out;
}

} // namespace

class TestLoadgenOptions final : public QObject
{
    Q_OBJECT

private slots:
    void badInput_data();
    void badInput();
    void goodInput();
    void durations_data();
    void durations();
    void cpuLists();
    void requestIsBuiltOnce();
    void helpAndVersion();
};

void TestLoadgenOptions::badInput_data()
{
    QTest::addColumn<QString>("arguments");
    QTest::addColumn<QString>("message"); // a part of the one-line error

    QTest::addRow("no URL") << QStringLiteral("-c 10") << QStringLiteral("no URL");
    QTest::addRow("no scheme") << QStringLiteral("127.0.0.1:8080/") << QStringLiteral("no scheme");
    QTest::addRow("no host") << QStringLiteral("http://:8080/") << QStringLiteral("no host");
    QTest::addRow("no port") << QStringLiteral("http://127.0.0.1/") << QStringLiteral("no port");
    QTest::addRow("bad port") << QStringLiteral("http://127.0.0.1:99999/") << QStringLiteral("1 to 65535");
    QTest::addRow("https") << QStringLiteral("https://127.0.0.1:8443/")
                           << QStringLiteral("https:// is not supported yet");
    QTest::addRow("ftp") << QStringLiteral("ftp://127.0.0.1:21/") << QStringLiteral("not supported");
    QTest::addRow("remote host") << QStringLiteral("http://192.0.2.1:80/")
                                 << QStringLiteral("--allow-remote");
    QTest::addRow("zero connections")
        << QStringLiteral("-c 0 http://127.0.0.1:8080/") << QStringLiteral("1 to 100000");
    QTest::addRow("too many connections")
        << QStringLiteral("-c 100001 http://127.0.0.1:8080/") << QStringLiteral("1 to 100000");
    QTest::addRow("connections not a number")
        << QStringLiteral("-c ten http://127.0.0.1:8080/") << QStringLiteral("not a whole number");
    QTest::addRow("threads above connections")
        << QStringLiteral("-c 2 -t 4 http://127.0.0.1:8080/") << QStringLiteral("more than -c");
    QTest::addRow("zero threads") << QStringLiteral("-t 0 http://127.0.0.1:8080/")
                                  << QStringLiteral("at least 1 thread");
    QTest::addRow("duration unit") << QStringLiteral("-d 10x http://127.0.0.1:8080/")
                                   << QStringLiteral("not a duration");
    QTest::addRow("duration text") << QStringLiteral("-d soon http://127.0.0.1:8080/")
                                   << QStringLiteral("not a duration");
    QTest::addRow("duration zero") << QStringLiteral("-d 0s http://127.0.0.1:8080/")
                                   << QStringLiteral("greater than zero");
    QTest::addRow("duration negative")
        << QStringLiteral("-d -5s http://127.0.0.1:8080/") << QStringLiteral("not a duration");
    QTest::addRow("warmup text") << QStringLiteral("--warmup abc http://127.0.0.1:8080/")
                                 << QStringLiteral("not a duration");
    QTest::addRow("timeout zero") << QStringLiteral("--timeout 0 http://127.0.0.1:8080/")
                                  << QStringLiteral("greater than zero");
    QTest::addRow("interval tiny") << QStringLiteral("--interval 1ms http://127.0.0.1:8080/")
                                   << QStringLiteral("at least 10ms");
    QTest::addRow("rate zero") << QStringLiteral("--rate 0 http://127.0.0.1:8080/")
                               << QStringLiteral("greater than zero");
    QTest::addRow("rate negative") << QStringLiteral("--rate -10 http://127.0.0.1:8080/")
                                   << QStringLiteral("greater than zero");
    QTest::addRow("rate text") << QStringLiteral("--rate fast http://127.0.0.1:8080/")
                               << QStringLiteral("not a number");
    QTest::addRow("cpus text") << QStringLiteral("--cpus a-b http://127.0.0.1:8080/")
                               << QStringLiteral("not a CPU list");
    QTest::addRow("cpus reversed") << QStringLiteral("--cpus 3-1 http://127.0.0.1:8080/")
                                   << QStringLiteral("not a CPU list");
    QTest::addRow("cpus absent") << QStringLiteral("--cpus 1000 http://127.0.0.1:8080/")
                                 << QStringLiteral("not available");
    QTest::addRow("header without colon")
        << QStringLiteral("-H nocolon http://127.0.0.1:8080/") << QStringLiteral("Name: value");
    QTest::addRow("unknown option") << QStringLiteral("--frobnicate http://127.0.0.1:8080/")
                                    << QStringLiteral("unknown option");
    QTest::addRow("missing value") << QStringLiteral("http://127.0.0.1:8080/ -c")
                                   << QStringLiteral("needs a number");
    // Non-finite and out-of-range numbers: refused before anything runs.
    QTest::addRow("threads far too many")
        << QStringLiteral("-c 100000 -t 100000 http://127.0.0.1:8080/") << QStringLiteral("at most 1024");
    QTest::addRow("threads beyond int")
        << QStringLiteral("-t 99999999999 http://127.0.0.1:8080/") << QStringLiteral("not a whole number");
    QTest::addRow("connections exponent")
        << QStringLiteral("-c 1e3 http://127.0.0.1:8080/") << QStringLiteral("not a whole number");
    QTest::addRow("connections nan") << QStringLiteral("-c nan http://127.0.0.1:8080/")
                                     << QStringLiteral("not a whole number");
    QTest::addRow("rate nan") << QStringLiteral("--rate nan http://127.0.0.1:8080/")
                              << QStringLiteral("not a number");
    QTest::addRow("rate inf") << QStringLiteral("--rate inf http://127.0.0.1:8080/")
                              << QStringLiteral("not a number");
    QTest::addRow("rate -inf") << QStringLiteral("--rate -inf http://127.0.0.1:8080/")
                               << QStringLiteral("not a number");
    QTest::addRow("rate overflow") << QStringLiteral("--rate 1e400 http://127.0.0.1:8080/")
                                   << QStringLiteral("not a number");
    QTest::addRow("rate too high") << QStringLiteral("--rate 1e10 http://127.0.0.1:8080/")
                                   << QStringLiteral("beyond 100,000,000");
    QTest::addRow("duration nan") << QStringLiteral("-d nan http://127.0.0.1:8080/")
                                  << QStringLiteral("not a duration");
    QTest::addRow("duration inf") << QStringLiteral("-d inf http://127.0.0.1:8080/")
                                  << QStringLiteral("not a duration");
    QTest::addRow("warmup nan") << QStringLiteral("--warmup nan http://127.0.0.1:8080/")
                                << QStringLiteral("not a duration");
    QTest::addRow("timeout exponent")
        << QStringLiteral("--timeout 1e10 http://127.0.0.1:8080/") << QStringLiteral("not a duration");
    QTest::addRow("timeout too long")
        << QStringLiteral("--timeout 90000s http://127.0.0.1:8080/") << QStringLiteral("at most 24h");
    QTest::addRow("interval inf") << QStringLiteral("--interval inf http://127.0.0.1:8080/")
                                  << QStringLiteral("not a duration");
    QTest::addRow("two URLs") << QStringLiteral("http://127.0.0.1:1/ http://127.0.0.1:2/")
                              << QStringLiteral("more than one URL");
}

void TestLoadgenOptions::badInput()
{
    QFETCH(QString, arguments);
    QFETCH(QString, message);
    const CommandLine cl = parseCommandLine(split(arguments));
    QCOMPARE(cl.action, CommandLine::Action::Error);
    const QString error = QString::fromStdString(cl.error);
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY(!error.contains(QLatin1Char('\n')));
}

void TestLoadgenOptions::goodInput()
{
    const CommandLine cl = parseCommandLine(split(
        QStringLiteral("-c 200 -t 2 -d 1500ms --warmup 2s --rate 5000.5 --timeout 250ms --cpus 0 --json "
                       "--interval 500ms -H X-Test:1 --no-poll http://localhost:8080/json?x=1")));
    QCOMPARE(cl.action, CommandLine::Action::Run);
    const sa::loadgen::LoadOptions &o = cl.options;
    QCOMPARE(o.connections, 200);
    QCOMPARE(o.threads, 2);
    QCOMPARE(o.durationNs, int64_t { 1'500'000'000 });
    QCOMPARE(o.warmupNs, int64_t { 2'000'000'000 });
    QCOMPARE(o.timeoutNs, int64_t { 250'000'000 });
    QCOMPARE(o.intervalNs, int64_t { 500'000'000 });
    QVERIFY(o.rate.has_value());
    QCOMPARE(*o.rate, 5000.5);
    QCOMPARE(o.cpus, std::vector<int> { 0 });
    QVERIFY(o.json);
    QVERIFY(o.noPoll);
    QCOMPARE(o.target.port, uint16_t { 8080 });
    QCOMPARE(QString::fromStdString(o.target.path), QStringLiteral("/json?x=1"));
    QCOMPARE(o.headers.size(), std::size_t { 1 });

    const CommandLine defaults = parseCommandLine(split(QStringLiteral("http://127.0.0.1:9")));
    QCOMPARE(defaults.action, CommandLine::Action::Run);
    QCOMPARE(defaults.options.connections, 10);
    QCOMPARE(defaults.options.threads, 1);
    QCOMPARE(defaults.options.durationNs, int64_t { 10'000'000'000 });
    QCOMPARE(defaults.options.timeoutNs, int64_t { 5'000'000'000 });
    QVERIFY(!defaults.options.rate);
    QVERIFY(!defaults.options.noPoll);
    QCOMPARE(QString::fromStdString(defaults.options.target.path), QStringLiteral("/"));

    const CommandLine equals
        = parseCommandLine(split(QStringLiteral("--duration=2s --connections=3 http://[::1]:8080/")));
    QCOMPARE(equals.action, CommandLine::Action::Run);
    QCOMPARE(equals.options.durationNs, int64_t { 2'000'000'000 });
    QCOMPARE(equals.options.connections, 3);
    QCOMPARE(QString::fromStdString(equals.options.target.host), QStringLiteral("::1"));
}

void TestLoadgenOptions::durations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ns"); // -1: invalid
    QTest::addRow("seconds") << QStringLiteral("10s") << qint64(10'000'000'000);
    QTest::addRow("bare number") << QStringLiteral("3") << qint64(3'000'000'000);
    QTest::addRow("fraction") << QStringLiteral("1.5s") << qint64(1'500'000'000);
    QTest::addRow("milliseconds") << QStringLiteral("250ms") << qint64(250'000'000);
    QTest::addRow("minutes") << QStringLiteral("2m") << qint64(120'000'000'000);
    QTest::addRow("zero") << QStringLiteral("0s") << qint64(0);
    QTest::addRow("empty") << QStringLiteral("") << qint64(-1);
    QTest::addRow("unit only") << QStringLiteral("s") << qint64(-1);
    QTest::addRow("unknown unit") << QStringLiteral("5d") << qint64(-1);
    QTest::addRow("two dots") << QStringLiteral("1.2.3s") << qint64(-1);
    QTest::addRow("too long") << QStringLiteral("25h") << qint64(-1);
}

void TestLoadgenOptions::durations()
{
    QFETCH(QString, text);
    QFETCH(qint64, ns);
    const std::optional<int64_t> parsed = sa::loadgen::parseDurationNs(text.toStdString());
    if (ns < 0) {
        QVERIFY(!parsed.has_value());
    } else {
        QVERIFY(parsed.has_value());
        QCOMPARE(*parsed, ns);
    }
}

void TestLoadgenOptions::cpuLists()
{
    QCOMPARE(*sa::loadgen::parseCpuList("1"), std::vector<int> { 1 });
    QCOMPARE(*sa::loadgen::parseCpuList("2-3"), (std::vector<int> { 2, 3 }));
    QCOMPARE(*sa::loadgen::parseCpuList("0,2"), (std::vector<int> { 0, 2 }));
    QCOMPARE(*sa::loadgen::parseCpuList("0-1,1"), (std::vector<int> { 0, 1 }));
    QVERIFY(!sa::loadgen::parseCpuList(""));
    QVERIFY(!sa::loadgen::parseCpuList("1,"));
    QVERIFY(!sa::loadgen::parseCpuList("-1"));
}

void TestLoadgenOptions::requestIsBuiltOnce()
{
    const CommandLine cl = parseCommandLine(split(QStringLiteral("-H X-A:b http://127.0.0.1:8080/p?q=1")));
    QCOMPARE(cl.action, CommandLine::Action::Run);
    const std::string request = sa::loadgen::buildRequest(cl.options);
    QVERIFY(request.rfind("GET /p?q=1 HTTP/1.1\r\n", 0) == 0);
    QVERIFY(request.find("\r\nHost: 127.0.0.1:8080\r\n") != std::string::npos);
    QVERIFY(request.find("\r\nX-A:b\r\n") != std::string::npos);
    QVERIFY(request.size() > 4 && request.substr(request.size() - 4) == "\r\n\r\n");

    const CommandLine host
        = parseCommandLine(split(QStringLiteral("-H Host:example http://127.0.0.1:8080/")));
    const std::string custom = sa::loadgen::buildRequest(host.options);
    QVERIFY(custom.find("Host: 127.0.0.1") == std::string::npos);
    QVERIFY(custom.find("Host:example") != std::string::npos);
}

void TestLoadgenOptions::helpAndVersion()
{
    QCOMPARE(parseCommandLine(split(QStringLiteral("--help"))).action, CommandLine::Action::Help);
    QCOMPARE(
        parseCommandLine(split(QStringLiteral("-h http://127.0.0.1:1/"))).action, CommandLine::Action::Help);
    QCOMPARE(parseCommandLine(split(QStringLiteral("--version"))).action, CommandLine::Action::Version);
    QVERIFY(sa::loadgen::usageText().find("--rate") != std::string::npos);
}

QTEST_APPLESS_MAIN(TestLoadgenOptions)
#include "tst_loadgen_options.moc"
