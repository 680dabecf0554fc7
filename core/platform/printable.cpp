#include "printable.h"

namespace sa::platform {

QString printableText(QStringView text, bool keepLineBreaks)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        const bool control = u < 0x20 || (u >= 0x7f && u <= 0x9f);
        if (!control || u == u'\t' || (keepLineBreaks && u == u'\n')) {
            out += c;
            continue;
        }
        out += QStringLiteral("\\x%1").arg(uint(u), 2, 16, QLatin1Char('0'));
    }
    return out;
}

} // namespace sa::platform
