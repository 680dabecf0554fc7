// libFuzzer target for the load generator's HTTP/1.1 response parser.
// Beyond "no crash, no sanitizer report", it checks the parser's contract: the
// same bytes give the same responses whether fed whole or in pieces, NeedMore
// consumes everything, and an error is sticky until reset().
// The first input byte chooses how the rest is cut into pieces.
#include <cstddef>
#include <cstdint>
#include <string>

#include "loadgen/responseparser.h"

using sa::loadgen::ResponseParser;

namespace {

std::string parse(const uint8_t *data, std::size_t size, std::size_t pieceCycle)
{
    ResponseParser parser;
    std::string outcome;
    std::size_t offset = 0;
    std::size_t pieceIndex = 0;
    while (offset < size) {
        const std::size_t want = pieceCycle == 0 ? size : 1 + (pieceIndex++ % pieceCycle);
        const std::size_t length = want < size - offset ? want : size - offset;
        const char *piece = reinterpret_cast<const char *>(data + offset);
        std::size_t used = 0;
        while (used < length) {
            const ResponseParser::Result r = parser.feed(piece + used, length - used);
            if (r.consumed > length - used)
                __builtin_trap();
            used += r.consumed;
            if (r.status == ResponseParser::Status::Error) {
                if (parser.errorReason() == nullptr)
                    __builtin_trap();
                if (parser.feed(piece, length).status != ResponseParser::Status::Error)
                    __builtin_trap();
                return outcome + "|error";
            }
            if (r.status == ResponseParser::Status::Complete) {
                outcome += std::to_string(parser.statusCode()) + ":" + std::to_string(parser.bodyBytes())
                    + (parser.keepAlive() ? "k," : "c,");
            } else if (used != length) {
                __builtin_trap(); // NeedMore must have consumed the piece
            }
        }
        offset += length;
    }
    switch (parser.finishAtEof()) {
    case ResponseParser::Status::Complete:
        return outcome + std::to_string(parser.bodyBytes()) + "|eof";
    case ResponseParser::Status::Error:
        return outcome + "|cut";
    case ResponseParser::Status::NeedMore:
        break;
    }
    return outcome + "|more";
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    const std::size_t cycle = 1 + data[0] % 17;
    const std::string whole = parse(data + 1, size - 1, 0);
    const std::string pieces = parse(data + 1, size - 1, cycle);
    if (whole != pieces)
        __builtin_trap();
    return 0;
}
