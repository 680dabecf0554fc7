#include "format.h"

#include <QLocale>

#include <cmath>

using namespace Qt::StringLiterals;

namespace sa::fmt {

namespace {

const QLocale &english()
{
    // Constructed once: QLocale construction looks the locale up.
    static const QLocale locale = [] {
        QLocale l(QLocale::English, QLocale::UnitedStates);
        l.setNumberOptions(QLocale::DefaultNumberOptions);
        return l;
    }();
    return locale;
}

} // namespace

QString none()
{
    return u"—"_s;
}

QString number(double value, int decimals)
{
    if (!std::isfinite(value))
        return none();
    // No "-0": a rounded negative zero reads as a sign error.
    const double rounded = std::abs(value) < 0.5 * std::pow(10.0, -decimals) ? 0.0 : value;
    return english().toString(rounded, 'f', decimals);
}

QString milliseconds(double microseconds)
{
    const double ms = microseconds / 1000.0;
    return number(ms, std::abs(std::round(ms * 100.0) / 100.0) < 10 ? 2 : 1);
}

QString mebibytes(qint64 bytes)
{
    return bytes > 0 ? number(double(bytes) / (1024.0 * 1024.0), 1) : none();
}

QString percent(double share, int decimals)
{
    return number(share * 100.0, decimals);
}

QString times(double ratio)
{
    if (!std::isfinite(ratio) || ratio <= 0)
        return none();
    // Decided on the rounded value: 9.9999 reads "10.0×", not "10.00×".
    const bool small = std::round(ratio * 100.0) / 100.0 < 10;
    return number(ratio, small ? 2 : 1) + u"×"_s;
}

QString seconds(double value)
{
    const bool whole = std::abs(value - std::round(value)) < 1e-9;
    return number(value, whole ? 0 : 1) + u" s"_s;
}

QString unitRequestsPerSecond()
{
    return u"req/s"_s;
}

QString unitMilliseconds()
{
    return u"ms"_s;
}

QString unitMebibytes()
{
    return u"MiB"_s;
}

QString unitPercent()
{
    return u"%"_s;
}

} // namespace sa::fmt
