#include "cli.h"

#include <cstdio>

namespace sa::cli {

void printError(const QString &command, const QString &message)
{
    printErr(QLatin1String("stackadvisor ") + command + QLatin1String(": ") + message + QLatin1Char('\n'));
}

void printOut(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

void printErr(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

} // namespace sa::cli
