#pragma once

// The app's colours for servers and languages, read from the data: each
// catalog entry's "color" and the catalog's "languageColors"
// (resources/servers.json, and the user's catalog), and the colour each cell of
// a run recorded when it ran. The same server has the same colour in the live
// charts, the comparison, the history and the PDF; a server without a colour
// gets a stable one derived from its id.

#include <QColor>
#include <QString>

namespace sa::bench {
class ServerCatalog;
struct RunResult;
} // namespace sa::bench

namespace sa::ui::charts {

// A server's colour. The default catalog is read on first use.
QColor targetColor(const QString &targetId);
// A language's colour ("Go", "Python", "JavaScript"): the catalog's
// languageColors; a stable derived colour for others. "Hybrid" is the verdict's own.
QColor languageColor(const QString &language);

// Remembers the colours of a loaded catalog (the Benchmark page's) and of a run
// (those recorded with its cells win for that run's ids).
void rememberColors(const sa::bench::ServerCatalog &catalog);
void rememberColors(const sa::bench::RunResult &run);

} // namespace sa::ui::charts
