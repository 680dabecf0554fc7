// The incremental HTTP/1.1 response parser of the load generator: every case is
// fed whole, split at every byte boundary, and one byte at a time, and must give
// the same responses each way.
#include <QtTest>

#include <string>
#include <vector>

#include "loadgen/responseparser.h"

using sa::loadgen::ResponseParser;

namespace {

// What a stream parsed into: "200:5:ka" per complete response (status, body
// bytes, keep-alive or close), then "|more", "|error" or "|eof" (complete at EOF).
std::string parse(const std::vector<std::string> &pieces, bool eof)
{
    ResponseParser parser;
    std::string out;
    auto record = [&] {
        out += std::to_string(parser.statusCode()) + ":" + std::to_string(parser.bodyBytes()) + ":"
            + (parser.keepAlive() ? "ka" : "close") + ",";
    };
    for (const std::string &piece : pieces) {
        std::size_t offset = 0;
        while (offset < piece.size()) {
            const ResponseParser::Result r = parser.feed(piece.data() + offset, piece.size() - offset);
            offset += r.consumed;
            if (r.status == ResponseParser::Status::Error)
                return out + "|error";
            if (r.status == ResponseParser::Status::Complete)
                record();
            else if (offset != piece.size())
                return out + "|stuck"; // NeedMore must consume everything
        }
    }
    if (eof) {
        switch (parser.finishAtEof()) {
        case ResponseParser::Status::Complete:
            record();
            return out + "|eof";
        case ResponseParser::Status::Error:
            return out + "|error";
        case ResponseParser::Status::NeedMore:
            break;
        }
    }
    return out + "|more";
}

} // namespace

class TestLoadgenParser final : public QObject
{
    Q_OBJECT

private slots:
    void splits_data();
    void splits();
    void errorReasonIsSet();
    void resetAfterError();
    void bodyOfManyMegabytesNeedsNoBuffer();
};

void TestLoadgenParser::splits_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("eof");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray ok5 = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    QTest::addRow("content-length") << ok5 << false << QByteArray("200:5:ka,|more");
    QTest::addRow("zero length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n") << false
                                 << QByteArray("200:0:ka,|more");
    QTest::addRow("no reason phrase")
        << QByteArray("HTTP/1.1 204\r\n\r\n") << false << QByteArray("204:0:ka,|more");
    QTest::addRow("header case and spaces")
        << QByteArray("HTTP/1.1 200 OK\r\ncontent-LENGTH:   3  \r\nX-Other:\r\n\r\nabc") << false
        << QByteArray("200:3:ka,|more");
    QTest::addRow("bare LF line ends")
        << QByteArray("HTTP/1.1 200 OK\nContent-Length: 2\n\nok") << false << QByteArray("200:2:ka,|more");
    QTest::addRow("chunked with extensions and trailers")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "5;name=value\r\nhello\r\n6 ; a=\"b;c\"\r\n world\r\nA\r\n0123456789\r\n"
                      "0;last\r\nX-Checksum: 42\r\nX-Other: y\r\n\r\n")
        << false << QByteArray("200:21:ka,|more");
    QTest::addRow("chunked, uppercase hex, no trailer")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n1F\r\n"
                      "0123456789012345678901234567890\r\n0\r\n\r\n")
        << false << QByteArray("200:31:ka,|more");
    QTest::addRow("pipelined") << (ok5
        + "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
        + "HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n"
        + "HTTP/1.1 500 Oops\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx")
                               << false << QByteArray("200:5:ka,404:3:ka,304:0:ka,500:1:close,|more");
    QTest::addRow("1xx before the final response")
        << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\n"
                      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        << false << QByteArray("200:2:ka,|more");
    QTest::addRow("101 is final") << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n")
                                  << false << QByteArray("101:0:close,|more");
    QTest::addRow("connection close")
        << QByteArray("HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 1\r\n\r\nx") << false
        << QByteArray("200:1:close,|more");
    QTest::addRow("HTTP/1.0 closes by default") << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx")
                                                << false << QByteArray("200:1:close,|more");
    QTest::addRow("HTTP/1.0 keep-alive")
        << QByteArray("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx") << false
        << QByteArray("200:1:ka,|more");
    QTest::addRow("body until the connection closes")
        << QByteArray("HTTP/1.1 200 OK\r\n\r\nabcdef") << true << QByteArray("200:6:close,|eof");
    QTest::addRow("nothing then EOF") << QByteArray("") << true << QByteArray("|more");
    QTest::addRow("incomplete headers")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Len") << false << QByteArray("|more");
    QTest::addRow("duplicate equal lengths")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok") << false
        << QByteArray("200:2:ka,|more");

    // Malformed: a counted error, never a crash or a hang.
    QTest::addRow("cut short at EOF")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc") << true << QByteArray("|error");
    QTest::addRow("cut short in chunk at EOF")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab") << true
        << QByteArray("|error");
    QTest::addRow("not HTTP") << QByteArray("THIS IS NOT HTTP\r\n\r\n") << false << QByteArray("|error");
    QTest::addRow("HTTP/2 status line")
        << QByteArray("HTTP/2 200 OK\r\n\r\n") << false << QByteArray("|error");
    QTest::addRow("two-digit status")
        << QByteArray("HTTP/1.1 20 OK\r\n\r\n") << false << QByteArray("|error");
    QTest::addRow("status not digits")
        << QByteArray("HTTP/1.1 2x0 OK\r\n\r\n") << false << QByteArray("|error");
    QTest::addRow("four-digit status")
        << QByteArray("HTTP/1.1 2000 OK\r\n\r\n") << false << QByteArray("|error");
    QTest::addRow("status below 100")
        << QByteArray("HTTP/1.1 099 Hm\r\n\r\n") << false << QByteArray("|error");
    QTest::addRow("lowercase protocol")
        << QByteArray("http/1.1 200 OK\r\n\r\n") << false << QByteArray("|error");
    QTest::addRow("bare CR in status line")
        << QByteArray("HTTP/1.1 200 O\rK\r\n\r\n") << false << QByteArray("|error");
    QTest::addRow("length not a number")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n") << false << QByteArray("|error");
    QTest::addRow("negative length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n") << false
                                     << QByteArray("|error");
    QTest::addRow("empty length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n") << false
                                  << QByteArray("|error");
    QTest::addRow("huge length") << QByteArray(
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n")
                                 << false << QByteArray("|error");
    QTest::addRow("conflicting lengths")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok") << false
        << QByteArray("|error");
    QTest::addRow("header without colon")
        << QByteArray("HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n") << false << QByteArray("|error");
    QTest::addRow("space before colon")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\nx") << false << QByteArray("|error");
    QTest::addRow("folded header") << QByteArray(
        "HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\nContent-Length: 0\r\n\r\n")
                                   << false << QByteArray("|error");
    QTest::addRow("chunk size not hex")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << false
        << QByteArray("|error");
    QTest::addRow("chunk size overflow")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n") << false
        << QByteArray("|error");
    QTest::addRow("chunk data too long")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n") << false
        << QByteArray("|error");
    QTest::addRow("chunk size line without LF")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\rab\r\n") << false
        << QByteArray("|error");
    QTest::addRow("error after a good response")
        << (ok5 + "GARBAGE\r\n") << false << QByteArray("200:5:ka,|error");
    QTest::addRow("status line too long")
        << (QByteArray("HTTP/1.1 200 ") + QByteArray(20000, 'x') + "\r\n\r\n") << false
        << QByteArray("|error");
    QTest::addRow("header too long") << (QByteArray("HTTP/1.1 200 OK\r\nX-Big: ") + QByteArray(20000, 'x')
        + "\r\n\r\n") << false << QByteArray("|error");
    // Lines longer than the parser's line buffer (256 bytes) read the same whether
    // they arrive whole or split: a long ordinary header is fine, a framing header
    // whose value does not fit and a name that does not fit are errors.
    QTest::addRow("long ordinary header") << (QByteArray("HTTP/1.1 200 OK\r\nX-Long: ")
        + QByteArray(1000, 'v') + "\r\nContent-Length: 2\r\n\r\nok")
                                          << false << QByteArray("200:2:ka,|more");
    QTest::addRow("framing value longer than the line buffer")
        << (QByteArray("HTTP/1.1 200 OK\r\nContent-Length:") + QByteArray(300, ' ') + "2\r\n\r\nok") << false
        << QByteArray("|error");
    QTest::addRow("name longer than the line buffer")
        << (QByteArray("HTTP/1.1 200 OK\r\n") + QByteArray(300, 'n') + ": 1\r\n\r\n") << false
        << QByteArray("|error");
    QTest::addRow("long reason phrase")
        << (QByteArray("HTTP/1.1 200 ") + QByteArray(400, 'r') + "\r\nContent-Length: 1\r\n\r\nx") << false
        << QByteArray("200:1:ka,|more");
    QByteArray manyHeaders = "HTTP/1.1 200 OK\r\n";
    for (int i = 0; i < 300; ++i)
        manyHeaders += "X-H: 1\r\n";
    QTest::addRow("too many headers") << (manyHeaders + "\r\n") << false << QByteArray("|error");
}

void TestLoadgenParser::splits()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, eof);
    QFETCH(QByteArray, expected);
    const std::string whole = input.toStdString();
    const std::string want = expected.toStdString();

    QCOMPARE(QByteArray::fromStdString(parse({ whole }, eof)), expected);
    // Two pieces, split at every byte boundary. Long inputs (the limits cases)
    // are split at a sample of boundaries so the test stays quick.
    const std::size_t step = whole.size() > 2000 ? 97 : 1;
    for (std::size_t split = 0; split <= whole.size(); split += step) {
        const std::string got = parse({ whole.substr(0, split), whole.substr(split) }, eof);
        if (got != want)
            QFAIL(qPrintable(
                QStringLiteral("split at %1: got %2").arg(split).arg(QString::fromStdString(got))));
    }
    // One byte at a time.
    std::vector<std::string> bytes;
    for (const char c : whole)
        bytes.emplace_back(1, c);
    QCOMPARE(QByteArray::fromStdString(parse(bytes, eof)), expected);
}

void TestLoadgenParser::errorReasonIsSet()
{
    ResponseParser parser;
    const std::string input = "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n";
    const ResponseParser::Result r = parser.feed(input.data(), input.size());
    QCOMPARE(r.status, ResponseParser::Status::Error);
    QVERIFY(parser.errorReason() != nullptr);
    QVERIFY(std::string(parser.errorReason()).find("Content-Length") != std::string::npos);
    // Stays in error until reset, whatever comes next.
    QCOMPARE(parser.feed("HTTP/1.1 200 OK\r\n", 17).status, ResponseParser::Status::Error);
}

void TestLoadgenParser::resetAfterError()
{
    ResponseParser parser;
    QCOMPARE(parser.feed("junk\r\n", 6).status, ResponseParser::Status::Error);
    parser.reset();
    const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    const ResponseParser::Result r = parser.feed(ok.data(), ok.size());
    QCOMPARE(r.status, ResponseParser::Status::Complete);
    QCOMPARE(r.consumed, ok.size());
    QCOMPARE(parser.statusCode(), 200);
}

void TestLoadgenParser::bodyOfManyMegabytesNeedsNoBuffer()
{
    // A 64 MiB body fed in 64 KiB reads: the parser only counts it.
    ResponseParser parser;
    const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 67108864\r\n\r\n";
    QCOMPARE(parser.feed(head.data(), head.size()).status, ResponseParser::Status::NeedMore);
    const std::string chunk(65536, 'x');
    for (int i = 0; i < 1023; ++i)
        QCOMPARE(parser.feed(chunk.data(), chunk.size()).status, ResponseParser::Status::NeedMore);
    const ResponseParser::Result last = parser.feed(chunk.data(), chunk.size());
    QCOMPARE(last.status, ResponseParser::Status::Complete);
    QCOMPARE(parser.bodyBytes(), uint64_t { 67108864 });
}

QTEST_APPLESS_MAIN(TestLoadgenParser)
#include "tst_loadgen_parser.moc"
