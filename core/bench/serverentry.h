#pragma once

// One server the benchmark can run: an entry of resources/servers.json or of the
// user's own catalog, joined with what servers/build.sh recorded in its
// manifest.json (versions, footprint, whether it was built). Plain data.

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace sa::bench {

// The article's row for this framework ("Go (Gin) 95,000 1.2ms 25MB").
struct ArticleClaim
{
    double requestsPerSec = 0;
    double avgLatencyMs = 0;
    double memoryMB = 0;
    QString quote;
};

// The server's own recommendation for the worker count under I/O-bound work
// (servers.json "ioWorkers"; servers/CONTRACT.md): WORKERS = perCore × server
// cores + plus, e.g. gunicorn's (2 × cores) + 1.
struct IoWorkers
{
    int perCore = 1;
    int plus = 0;
    QString source; // the documentation it comes from, quoted
    QString url;

    int workersFor(int cores) const { return perCore * cores + plus; }
};

// What is needed to start one server process, placeholders already filled in.
struct LaunchCommand
{
    QString program;
    QStringList arguments;
    QString workingDirectory;
    QMap<QString, QString> environment; // added to the app's environment
};

struct ServerEntry
{
    QString id; // "[a-z0-9-]" as resources/servers.json names it; user entries: any [a-z0-9-] id not used by
                // the catalog
    QString name; // "Go · Gin"
    QString language; // Go | Python | JavaScript | anything for user entries
    QString runtime; // go | python | node | other
    QString framework; // "Gin"
    QString frameworkVersion; // from the manifest; "" when unknown
    QString runtimeVersion; // "go1.26.0", "Python 3.11.2", "v20.19.2"; from the manifest
    QString
        color; // "#RRGGBB": the server's colour in every chart, table and legend; "" = derived from the id
    // What `stackadvisor servers setup` prepares it with: "python" (a venv), "node"
    // (node_modules), or "" (built by `make servers` only, as the Go binaries).
    QString setupFamily;
    std::optional<ArticleClaim> articleClaim;

    // As written in the catalog, with {serversDir} and {sourceDir} already
    // substituted; {host}, {port} and {workers} are filled in by launchCommand().
    QString program;
    QStringList arguments;
    QString workingDirectory;
    QMap<QString, QString> environment;
    QString readinessPath = QStringLiteral("/healthz");
    QString ioWait; // "async" | "blocking": how GET /io waits
    QString infoPath; // GET → the server's database driver and pool (servers/CONTRACT.md); "" = none
    std::optional<IoWorkers> ioWorkers; // none: workers = cores in every scenario
    QString notBuiltHint;

    qint64 deployableBytes = 0; // from the manifest's footprintBytes; 0 when unknown
    QString deployableWhat; // "static binary", "venv + interpreter", …

    bool userDefined = false; // from the user's catalog file rather than resources/servers.json
    QString sourceFile; // the catalog file this entry came from

    // Availability, decided when the catalog is loaded.
    bool available = false;
    QString unavailableReason; // for a person: "Go binary not built"
    QString fix; // what to do about it: "run `make servers` (needs Go)"

    // The command for one start. HOST, PORT and WORKERS are always set; the
    // entry's own environment may use them through placeholders (GOMAXPROCS={workers}).
    LaunchCommand launchCommand(const QString &host, int port, int workers) const;
};

// Replaces {name} for every name in values; unknown placeholders are left alone.
QString expandPlaceholders(QString text, const QMap<QString, QString> &values);

} // namespace sa::bench
