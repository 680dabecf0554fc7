#pragma once

#include "serverentry.h"

#include "platform/processcontrol.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace sa::bench {

// The servers the benchmark knows: resources/servers.json, optionally the user's
// own catalog file (same format; any command that honours servers/CONTRACT.md's
// HOST/PORT and answers a readiness path), joined with the build manifest
// <serversDir>/manifest.json for availability, versions and deployable size.
//
// Validation errors name the file, the entry and the field:
//   "servers.json: entry 3 (my-server): field 'program' is missing".
class ServerCatalog final
{
public:
    struct Sources
    {
        QString catalogFile; // resources/servers.json
        QString userCatalogFile; // "" = none; a missing file given here is an error
        QString serversDir; // where servers/build.sh built into (holds manifest.json)
        QString sourceDir; // the servers/ source folder ({sourceDir})
        // Where `stackadvisor servers setup` prepared servers (Paths::userServersDir()):
        // a built-in server serversDir's manifest does not have ready is taken from
        // here, with {serversDir} meaning this folder, when its manifest has it ready.
        // "" = look nowhere else.
        QString userServersDir;
    };
    // Placeholders substituted at load time: {serversDir}, {sourceDir}, and
    // {catalogDir} (the folder of the catalog file, handy for user catalogs).

    ServerCatalog() = default;

    // The app's defaults: Paths::resourceFile("servers.json"), Paths::serversBuildDir(),
    // Paths::serversSourceDir(); user catalog: $STACKADVISOR_USER_CATALOG, else
    // defaultUserCatalogFile() when it exists.
    static Sources defaultSources();
    // <AppConfigLocation>/servers.json (~/.config/StackAdvisor/stackadvisor/servers.json).
    static QString defaultUserCatalogFile();

    // Loads everything anew. On false, *error says what is wrong and where, and the
    // catalog is left empty. A missing or unreadable manifest is not an error: every
    // built-in server is then unavailable with the reason "servers not built".
    bool load(const Sources &sources, QString *error);
    // Parses one catalog document (also used for user files); exposed for tests.
    // `languageColors` (optional) receives the file's "languageColors": language → "#RRGGBB".
    static std::optional<QList<ServerEntry>> parseCatalog(const QByteArray &json, const QString &fileName,
        const QMap<QString, QString> &placeholders, QString *error,
        QMap<QString, QString> *languageColors = nullptr);

    QList<ServerEntry> servers() const { return m_servers; }
    // The catalogs' "languageColors" (language → "#RRGGBB"), the user's over the shipped ones.
    const QMap<QString, QString> &languageColors() const { return m_languageColors; }
    const ServerEntry *find(const QString &id) const;
    QStringList ids() const;
    QStringList availableIds() const;

    // What the app's own processes run: every entry's program and the scripts its
    // arguments name, the folders the servers are built in, the load generator. The clean-up of a crashed
    // session's leftovers ends only processes running one of them.
    platform::AppExecutables appExecutables(const QString &loadGenerator) const;

    const Sources &sources() const { return m_sources; }
    bool hasManifest() const { return m_hasManifest; }
    QDateTime manifestBuiltAt() const { return m_manifestBuiltAt; }
    // Non-fatal remarks made while loading (e.g. "manifest.json not found …").
    QStringList warnings() const { return m_warnings; }

private:
    struct ManifestEntry
    {
        bool ready = false;
        QString reason;
        QString frameworkVersion;
        QString runtimeVersion;
        qint64 footprintBytes = 0;
        QString footprintWhat;
        QString fix; // optional: overrides the catalog's notBuiltHint (set by the package's manifest)
    };
    static bool parseManifest(const QString &serversDir, QMap<QString, ManifestEntry> *entries,
        QDateTime *builtAt, QString *problem);
    void readManifest();
    void takePreparedServers();
    void decideAvailability(ServerEntry &entry) const;

    QMap<QString, ManifestEntry> m_manifest;

    Sources m_sources;
    QList<ServerEntry> m_servers;
    bool m_hasManifest = false;
    QDateTime m_manifestBuiltAt;
    QStringList m_warnings;
    QMap<QString, QString> m_languageColors;
};

} // namespace sa::bench
