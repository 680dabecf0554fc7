#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sa::loadgen {

// Incremental HTTP/1.1 response parser. It never buffers: bytes are consumed as
// they arrive, split at any boundary, so a connection needs no reassembly buffer
// and a response costs no allocation. Only the framing is decoded (status line,
// the headers that delimit the body or the connection, Content-Length, chunked
// encoding with extensions and trailers); the body is skipped.
//
// Malformed input puts the parser in the Error state with a reason; it never
// throws and every limit (line length, header count, chunk size) is bounded, so
// a hostile server can neither crash nor stall the generator.
class ResponseParser final
{
public:
    enum class Status {
        NeedMore, // everything consumed, the response is not complete yet
        Complete, // a final (non-1xx) response ended; see consumed for leftovers
        Error, // malformed: errorReason() says why; reset() before reuse
    };

    struct Result
    {
        Status status;
        std::size_t consumed; // bytes of the input that belong to this response
    };

    static constexpr std::size_t kMaxLineBytes = 16 * 1024;
    static constexpr int kMaxHeaders = 256;

    ResponseParser() { reset(); }

    // Prepares for the next response on the same connection.
    void reset() noexcept;

    // Feeds bytes. Stops right after a complete response, so the caller sees
    // where the next (pipelined) response starts. Interim 1xx responses (100
    // Continue, 103 Early Hints) are skipped, 101 is final since the connection
    // is no longer HTTP after it.
    Result feed(const char *data, std::size_t length) noexcept;

    // The peer closed the connection: completes a response whose body runs to
    // the end of the connection. Returns Complete, or Error if the response was
    // cut short (or NeedMore if nothing of a response had arrived).
    Status finishAtEof() noexcept;

    int statusCode() const noexcept { return m_statusCode; }
    // False when the server asked to close (Connection: close, HTTP/1.0 without
    // keep-alive, a body delimited by the end of the connection, 101).
    bool keepAlive() const noexcept { return m_keepAlive; }
    uint64_t bodyBytes() const noexcept { return m_bodyBytes; }
    // True once any byte of the current response was consumed.
    bool started() const noexcept { return m_state != State::StatusLine || m_lineLength != 0; }
    const char *errorReason() const noexcept { return m_error; }

private:
    enum class State {
        StatusLine,
        HeaderLine,
        Body, // Content-Length bytes left in m_remaining
        BodyUntilEof,
        ChunkSize,
        ChunkExtension,
        ChunkSizeLf,
        ChunkData,
        ChunkDataCr,
        ChunkDataLf,
        TrailerLine,
        Done,
        Error,
    };

    Result fail(const char *reason, std::size_t consumed) noexcept;
    // A line without its line end; truncated: longer than m_line, cut to its size.
    bool endOfStatusLine(std::string_view line) noexcept;
    bool endOfHeaderLine(std::string_view line, bool truncated) noexcept;
    bool endOfHeaders() noexcept;
    void startResponse() noexcept;

    State m_state = State::StatusLine;
    const char *m_error = nullptr;

    // The current line, kept only as far as the framing needs it: the status line
    // and the values of the few headers that matter fit in this fixed buffer.
    char m_line[256] = {};
    std::size_t m_lineLength = 0; // bytes of the line so far (may exceed the buffer)
    bool m_sawCr = false;

    int m_statusCode = 0;
    int m_httpMinor = 1;
    int m_headerCount = 0;
    bool m_keepAlive = true;
    bool m_connectionClose = false;
    bool m_connectionKeepAlive = false;
    bool m_chunked = false;
    bool m_otherTransferCoding = false;
    bool m_hasContentLength = false;
    uint64_t m_contentLength = 0;
    uint64_t m_remaining = 0;
    uint64_t m_bodyBytes = 0;
    int m_chunkSizeDigits = 0;
};

} // namespace sa::loadgen
