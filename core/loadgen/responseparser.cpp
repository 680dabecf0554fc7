#include "loadgen/responseparser.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

namespace sa::loadgen {

namespace {

// The characters of an HTTP token (RFC 9110, 5.6.2), as a table: a header name
// is checked byte by byte on every response.
constexpr auto kTokenChars = [] {
    std::array<bool, 256> table {};
    for (int c = '0'; c <= '9'; ++c)
        table[static_cast<std::size_t>(c)] = true;
    for (int c = 'a'; c <= 'z'; ++c) {
        table[static_cast<std::size_t>(c)] = true;
        table[static_cast<std::size_t>(c - 'a' + 'A')] = true;
    }
    for (const char c : std::string_view("!#$%&'*+-.^_`|~"))
        table[static_cast<unsigned char>(c)] = true;
    return table;
}();

bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto x = static_cast<unsigned char>(a[i]);
        const auto y = static_cast<unsigned char>(b[i]);
        if (x == y)
            continue;
        if ((x | 0x20) != (y | 0x20) || (x | 0x20) < 'a' || (x | 0x20) > 'z')
            return false;
    }
    return true;
}

std::string_view trimmed(std::string_view s) noexcept
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// Calls f(token) for each comma-separated element of a header value.
template<typename F> void forEachListElement(std::string_view value, F &&f)
{
    while (!value.empty()) {
        const std::size_t comma = value.find(',');
        f(trimmed(value.substr(0, comma)));
        if (comma == std::string_view::npos)
            break;
        value.remove_prefix(comma + 1);
    }
}

int hexValue(char c) noexcept
{
    if (c >= '0' && c <= '9')
        return c - '0';
    const int lower = c | 0x20;
    if (lower >= 'a' && lower <= 'f')
        return lower - 'a' + 10;
    return -1;
}

} // namespace

void ResponseParser::reset() noexcept
{
    m_state = State::StatusLine;
    m_error = nullptr;
    m_lineLength = 0;
    m_sawCr = false;
    startResponse();
}

void ResponseParser::startResponse() noexcept
{
    m_statusCode = 0;
    m_httpMinor = 1;
    m_headerCount = 0;
    m_keepAlive = true;
    m_connectionClose = false;
    m_connectionKeepAlive = false;
    m_chunked = false;
    m_otherTransferCoding = false;
    m_hasContentLength = false;
    m_contentLength = 0;
    m_remaining = 0;
    m_bodyBytes = 0;
    m_chunkSizeDigits = 0;
}

ResponseParser::Result ResponseParser::fail(const char *reason, std::size_t consumed) noexcept
{
    m_state = State::Error;
    m_error = reason;
    return { Status::Error, consumed };
}

ResponseParser::Result ResponseParser::feed(const char *data, std::size_t length) noexcept
{
    if (m_state == State::Done)
        reset();
    if (m_state == State::Error)
        return { Status::Error, 0 };

    std::size_t i = 0;
    while (i < length) {
        switch (m_state) {
        case State::StatusLine:
        case State::HeaderLine:
        case State::TrailerLine: {
            const auto *newline = static_cast<const char *>(std::memchr(data + i, '\n', length - i));
            const std::size_t end = newline ? static_cast<std::size_t>(newline - data) : length;
            const std::size_t segment = end - i;
            // A CR is allowed only right before the LF.
            if (segment > 0 && m_sawCr)
                return fail("bare CR inside a line", i);
            if (segment > 1 && std::memchr(data + i, '\r', segment - 1))
                return fail("bare CR inside a line", i);
            if (m_lineLength + segment > kMaxLineBytes)
                return fail(
                    m_state == State::StatusLine ? "status line too long" : "header line too long", i);
            const State lineState = m_state;
            std::string_view line;
            bool truncated = false; // longer than m_line: cut to its size, line end kept
            if (newline && m_lineLength == 0) {
                // The whole line is in the input (the usual case): read it there,
                // as the copy below would read it.
                truncated = segment > sizeof(m_line);
                const bool cr = segment > 0 && data[end - 1] == '\r';
                line = std::string_view(data + i, truncated ? sizeof(m_line) : segment - (cr ? 1 : 0));
                i = end + 1;
            } else {
                if (m_lineLength < sizeof(m_line)) {
                    const std::size_t copied = std::min(segment, sizeof(m_line) - m_lineLength);
                    std::memcpy(m_line + m_lineLength, data + i, copied);
                }
                if (segment > 0)
                    m_sawCr = data[end - 1] == '\r';
                m_lineLength += segment;
                i = end;
                if (!newline)
                    break;
                ++i; // the LF
                truncated = m_lineLength > sizeof(m_line);
                line
                    = std::string_view(m_line, truncated ? sizeof(m_line) : m_lineLength - (m_sawCr ? 1 : 0));
            }
            const bool ok
                = lineState == State::StatusLine ? endOfStatusLine(line) : endOfHeaderLine(line, truncated);
            m_lineLength = 0;
            m_sawCr = false;
            if (!ok)
                return fail(m_error, i);
            if (m_state == State::Done)
                return { Status::Complete, i };
            break;
        }
        case State::Body: {
            const auto take = static_cast<std::size_t>(std::min<uint64_t>(m_remaining, length - i));
            m_remaining -= take;
            m_bodyBytes += take;
            i += take;
            if (m_remaining == 0) {
                m_state = State::Done;
                return { Status::Complete, i };
            }
            break;
        }
        case State::BodyUntilEof:
            m_bodyBytes += length - i;
            i = length;
            break;
        case State::ChunkSize: {
            const char c = data[i];
            const int digit = hexValue(c);
            if (digit >= 0) {
                if (++m_chunkSizeDigits > 15)
                    return fail("chunk size too large", i);
                m_remaining = m_remaining * 16 + static_cast<uint64_t>(digit);
                ++i;
                break;
            }
            if (m_chunkSizeDigits == 0)
                return fail("chunk size is not hexadecimal", i);
            if (c == ';' || c == ' ' || c == '\t') {
                m_state = State::ChunkExtension;
                m_lineLength = 0;
            } else if (c == '\r') {
                m_state = State::ChunkSizeLf;
            } else if (c == '\n') {
                m_state = m_remaining == 0 ? State::TrailerLine : State::ChunkData;
            } else {
                return fail("invalid character after chunk size", i);
            }
            ++i;
            break;
        }
        case State::ChunkExtension: {
            // Extensions are ignored; only their length is bounded.
            const auto *newline = static_cast<const char *>(std::memchr(data + i, '\n', length - i));
            const std::size_t end = newline ? static_cast<std::size_t>(newline - data) : length;
            m_lineLength += end - i;
            if (m_lineLength > kMaxLineBytes)
                return fail("chunk extension too long", i);
            i = end;
            if (newline) {
                ++i;
                m_lineLength = 0;
                m_state = m_remaining == 0 ? State::TrailerLine : State::ChunkData;
            }
            break;
        }
        case State::ChunkSizeLf:
            if (data[i] != '\n')
                return fail("chunk size line not ended by CRLF", i);
            ++i;
            m_state = m_remaining == 0 ? State::TrailerLine : State::ChunkData;
            break;
        case State::ChunkData: {
            const auto take = static_cast<std::size_t>(std::min<uint64_t>(m_remaining, length - i));
            m_remaining -= take;
            m_bodyBytes += take;
            i += take;
            if (m_remaining == 0)
                m_state = State::ChunkDataCr;
            break;
        }
        case State::ChunkDataCr:
            if (data[i] == '\r') {
                m_state = State::ChunkDataLf;
            } else if (data[i] == '\n') {
                m_state = State::ChunkSize;
                m_chunkSizeDigits = 0;
            } else {
                return fail("chunk data not followed by CRLF", i);
            }
            ++i;
            break;
        case State::ChunkDataLf:
            if (data[i] != '\n')
                return fail("chunk data not followed by CRLF", i);
            ++i;
            m_state = State::ChunkSize;
            m_chunkSizeDigits = 0;
            break;
        case State::Done:
        case State::Error:
            // Unreachable: both return from feed() as soon as they are entered.
            return { m_state == State::Done ? Status::Complete : Status::Error, i };
        }
    }
    return { Status::NeedMore, i };
}

ResponseParser::Status ResponseParser::finishAtEof() noexcept
{
    switch (m_state) {
    case State::BodyUntilEof:
        m_state = State::Done;
        m_keepAlive = false;
        return Status::Complete;
    case State::Done:
        return Status::Complete;
    case State::Error:
        return Status::Error;
    case State::StatusLine:
        if (m_lineLength == 0)
            return Status::NeedMore;
        [[fallthrough]];
    default:
        m_state = State::Error;
        m_error = "connection closed in the middle of a response";
        return Status::Error;
    }
}

bool ResponseParser::endOfStatusLine(std::string_view line) noexcept
{
    // HTTP/1.x SP 3DIGIT [SP reason]
    if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || line[7] < '0' || line[7] > '9'
        || line[8] != ' ') {
        m_error = "malformed status line";
        return false;
    }
    int code = 0;
    for (std::size_t k = 9; k < 12; ++k) {
        if (line[k] < '0' || line[k] > '9') {
            m_error = "malformed status code";
            return false;
        }
        code = code * 10 + (line[k] - '0');
    }
    if (code < 100 || (line.size() > 12 && line[12] != ' ')) {
        m_error = "malformed status code";
        return false;
    }
    m_httpMinor = line[7] - '0';
    m_statusCode = code;
    m_state = State::HeaderLine;
    return true;
}

bool ResponseParser::endOfHeaderLine(std::string_view line, bool truncated) noexcept
{
    if (line.empty()) {
        if (m_state == State::TrailerLine) {
            m_state = State::Done;
            return true;
        }
        return endOfHeaders();
    }
    if (++m_headerCount > kMaxHeaders) {
        m_error = "too many header lines";
        return false;
    }
    if (line.front() == ' ' || line.front() == '\t') {
        m_error = "obsolete folded header line";
        return false;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
        m_error = truncated ? "header name too long" : "header line without a name and a colon";
        return false;
    }
    const std::string_view name = line.substr(0, colon);
    for (const char c : name) {
        if (!kTokenChars[static_cast<unsigned char>(c)]) {
            m_error = "invalid character in a header name";
            return false;
        }
    }
    if (m_state == State::TrailerLine)
        return true; // trailers never change the framing

    // Only three names change the framing; every other header ends here.
    const bool isContentLength = equalsIgnoreCase(name, "content-length");
    const bool isTransferEncoding = equalsIgnoreCase(name, "transfer-encoding");
    const bool isConnection = equalsIgnoreCase(name, "connection");
    if (!isContentLength && !isTransferEncoding && !isConnection)
        return true;
    if (truncated) {
        m_error = "framing header value too long";
        return false;
    }
    const std::string_view value = trimmed(line.substr(colon + 1));
    if (isContentLength) {
        if (value.empty() || value.size() > 18) {
            m_error = value.empty() ? "empty Content-Length" : "Content-Length too large";
            return false;
        }
        uint64_t n = 0;
        for (const char c : value) {
            if (c < '0' || c > '9') {
                m_error = "Content-Length is not a decimal number";
                return false;
            }
            n = n * 10 + static_cast<uint64_t>(c - '0');
        }
        if (m_hasContentLength && n != m_contentLength) {
            m_error = "conflicting Content-Length headers";
            return false;
        }
        m_hasContentLength = true;
        m_contentLength = n;
    } else if (isTransferEncoding) {
        // Only the last coding decides whether the body is chunked.
        forEachListElement(value, [this](std::string_view coding) {
            if (coding.empty())
                return;
            m_chunked = equalsIgnoreCase(coding, "chunked");
            m_otherTransferCoding = !m_chunked;
        });
    } else if (isConnection) {
        forEachListElement(value, [this](std::string_view option) {
            if (equalsIgnoreCase(option, "close"))
                m_connectionClose = true;
            else if (equalsIgnoreCase(option, "keep-alive"))
                m_connectionKeepAlive = true;
        });
    }
    return true;
}

bool ResponseParser::endOfHeaders() noexcept
{
    if (m_statusCode >= 100 && m_statusCode < 200 && m_statusCode != 101) {
        // Interim response: the final one follows on the same connection.
        startResponse();
        m_state = State::StatusLine;
        return true;
    }
    m_keepAlive = !m_connectionClose && (m_httpMinor >= 1 || m_connectionKeepAlive);
    if (m_statusCode == 101) {
        m_keepAlive = false;
        m_state = State::Done;
        return true;
    }
    if (m_statusCode == 204 || m_statusCode == 304) {
        m_state = State::Done;
        return true;
    }
    if (m_chunked) {
        m_state = State::ChunkSize;
        m_remaining = 0;
        m_chunkSizeDigits = 0;
        return true;
    }
    if (m_otherTransferCoding || !m_hasContentLength) {
        // No length: the body ends when the server closes the connection.
        m_keepAlive = false;
        m_state = State::BodyUntilEof;
        return true;
    }
    m_remaining = m_contentLength;
    m_state = m_remaining == 0 ? State::Done : State::Body;
    return true;
}

} // namespace sa::loadgen
