#pragma once

#include <QString>

namespace sa::platform {

// Text from outside (a catalog's names, a server's log) made safe for a terminal:
// control characters (C0 but tab and, when kept, line feed; DEL; C1) become \xNN,
// so that an escape sequence is shown, never obeyed.
QString printableText(QStringView text, bool keepLineBreaks = false);

} // namespace sa::platform
