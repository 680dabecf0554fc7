#include "servercatalog.h"

#include "platform/paths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>

namespace sa::bench {

namespace {

QString describeEntry(const QString &fileName, qsizetype index, const QString &id)
{
    QString where = fileName + QStringLiteral(": entry %1").arg(index + 1);
    if (!id.isEmpty())
        where += QLatin1String(" (") + id + QLatin1Char(')');
    return where;
}

// Reads an optional string field; a present field of another type is an error.
bool readString(const QJsonObject &object, const char *field, QString *out, bool required, QString *problem)
{
    const QJsonValue value = object.value(QLatin1String(field));
    if (value.isUndefined() || value.isNull()) {
        if (required)
            *problem = QStringLiteral("field '%1' is missing").arg(QLatin1String(field));
        return !required;
    }
    if (!value.isString()) {
        *problem = QStringLiteral("field '%1' must be a string").arg(QLatin1String(field));
        return false;
    }
    *out = value.toString();
    if (required && out->trimmed().isEmpty()) {
        *problem = QStringLiteral("field '%1' is empty").arg(QLatin1String(field));
        return false;
    }
    return true;
}

// A field this app does not know is an error, not ignored: it is most often a
// misspelt one ("readinesPath") whose value would silently not apply.
bool onlyKnownFields(
    const QJsonObject &object, const QStringList &known, const QString &where, QString *problem)
{
    QStringList unknown;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key()))
            unknown << QLatin1Char('\'') + (where.isEmpty() ? QString() : where + QLatin1Char('.')) + it.key()
                    + QLatin1Char('\'');
    }
    if (unknown.isEmpty())
        return true;
    *problem = QStringLiteral("unknown %1 %2 (known: %3)")
                   .arg(unknown.size() == 1 ? QStringLiteral("field") : QStringLiteral("fields"),
                       unknown.join(QLatin1String(", ")), known.join(QLatin1String(", ")));
    return false;
}

std::optional<ServerEntry> parseEntry(
    const QJsonObject &object, const QMap<QString, QString> &placeholders, QString *problem)
{
    static const QStringList kEntryFields { QStringLiteral("id"), QStringLiteral("name"),
        QStringLiteral("language"), QStringLiteral("runtime"), QStringLiteral("framework"),
        QStringLiteral("frameworkVersion"), QStringLiteral("program"), QStringLiteral("arguments"),
        QStringLiteral("workingDirectory"), QStringLiteral("environment"), QStringLiteral("readinessPath"),
        QStringLiteral("ioWait"), QStringLiteral("notBuiltHint"), QStringLiteral("articleClaim"),
        QStringLiteral("color"), QStringLiteral("setupFamily"), QStringLiteral("infoPath"),
        QStringLiteral("ioWorkers") };
    static const QStringList kClaimFields { QStringLiteral("requestsPerSec"), QStringLiteral("avgLatencyMs"),
        QStringLiteral("memoryMB"), QStringLiteral("quote") };
    if (!onlyKnownFields(object, kEntryFields, QString(), problem))
        return std::nullopt;
    ServerEntry entry;
    if (!readString(object, "id", &entry.id, true, problem))
        return std::nullopt;
    static const QRegularExpression idPattern(QStringLiteral("^[a-z0-9][a-z0-9._-]*$"));
    if (!idPattern.match(entry.id).hasMatch()) {
        *problem = QStringLiteral("field 'id' must be lower-case letters, digits, '.', '_' or '-' (got '%1')")
                       .arg(entry.id);
        return std::nullopt;
    }
    if (!readString(object, "name", &entry.name, false, problem)
        || !readString(object, "language", &entry.language, true, problem)
        || !readString(object, "runtime", &entry.runtime, false, problem)
        || !readString(object, "framework", &entry.framework, false, problem)
        || !readString(object, "program", &entry.program, true, problem)
        || !readString(object, "workingDirectory", &entry.workingDirectory, false, problem)
        || !readString(object, "ioWait", &entry.ioWait, false, problem)
        || !readString(object, "notBuiltHint", &entry.notBuiltHint, false, problem)
        || !readString(object, "frameworkVersion", &entry.frameworkVersion, false, problem)
        || !readString(object, "color", &entry.color, false, problem)
        || !readString(object, "setupFamily", &entry.setupFamily, false, problem)) {
        return std::nullopt;
    }
    static const QRegularExpression colorPattern(QStringLiteral("^#[0-9A-Fa-f]{6}$"));
    if (!entry.color.isEmpty() && !colorPattern.match(entry.color).hasMatch()) {
        *problem
            = QStringLiteral("field 'color' must be a colour like \"#0096C7\" (got '%1')").arg(entry.color);
        return std::nullopt;
    }
    if (!entry.setupFamily.isEmpty() && entry.setupFamily != QLatin1String("python")
        && entry.setupFamily != QLatin1String("node")) {
        *problem = QStringLiteral("field 'setupFamily' must be \"python\" or \"node\" (got '%1')")
                       .arg(entry.setupFamily);
        return std::nullopt;
    }
    if (entry.name.isEmpty())
        entry.name = entry.id;
    if (entry.runtime.isEmpty())
        entry.runtime = QStringLiteral("other");
    if (entry.framework.isEmpty())
        entry.framework = entry.name;
    if (!entry.ioWait.isEmpty() && entry.ioWait != QLatin1String("async")
        && entry.ioWait != QLatin1String("blocking")) {
        *problem
            = QStringLiteral("field 'ioWait' must be \"async\" or \"blocking\" (got '%1')").arg(entry.ioWait);
        return std::nullopt;
    }

    QString readiness;
    if (!readString(object, "readinessPath", &readiness, false, problem))
        return std::nullopt;
    if (!readiness.isEmpty()) {
        if (!readiness.startsWith(QLatin1Char('/'))) {
            *problem = QStringLiteral("field 'readinessPath' must start with '/' (got '%1')").arg(readiness);
            return std::nullopt;
        }
        entry.readinessPath = readiness;
    }

    const QJsonValue arguments = object.value(QLatin1String("arguments"));
    if (!arguments.isUndefined() && !arguments.isNull()) {
        if (!arguments.isArray()) {
            *problem = QStringLiteral("field 'arguments' must be an array of strings");
            return std::nullopt;
        }
        for (const QJsonValue &argument : arguments.toArray()) {
            if (!argument.isString()) {
                *problem = QStringLiteral("field 'arguments' must be an array of strings");
                return std::nullopt;
            }
            entry.arguments << expandPlaceholders(argument.toString(), placeholders);
        }
    }

    const QJsonValue environment = object.value(QLatin1String("environment"));
    if (!environment.isUndefined() && !environment.isNull()) {
        if (!environment.isObject()) {
            *problem = QStringLiteral("field 'environment' must be an object of strings");
            return std::nullopt;
        }
        const QJsonObject variables = environment.toObject();
        for (auto it = variables.begin(); it != variables.end(); ++it) {
            if (!it.value().isString()) {
                *problem = QStringLiteral("field 'environment.%1' must be a string").arg(it.key());
                return std::nullopt;
            }
            entry.environment.insert(it.key(), expandPlaceholders(it.value().toString(), placeholders));
        }
    }

    const QJsonValue claim = object.value(QLatin1String("articleClaim"));
    if (!claim.isUndefined() && !claim.isNull()) {
        if (!claim.isObject()) {
            *problem = QStringLiteral("field 'articleClaim' must be an object");
            return std::nullopt;
        }
        const QJsonObject claimObject = claim.toObject();
        if (!onlyKnownFields(claimObject, kClaimFields, QStringLiteral("articleClaim"), problem))
            return std::nullopt;
        ArticleClaim article;
        for (const auto &[field, target] : { std::pair { "requestsPerSec", &article.requestsPerSec },
                 std::pair { "avgLatencyMs", &article.avgLatencyMs },
                 std::pair { "memoryMB", &article.memoryMB } }) {
            const QJsonValue value = claimObject.value(QLatin1String(field));
            if (!value.isDouble() || value.toDouble() <= 0) {
                *problem = QStringLiteral("field 'articleClaim.%1' must be a positive number")
                               .arg(QLatin1String(field));
                return std::nullopt;
            }
            *target = value.toDouble();
        }
        article.quote = claimObject.value(QLatin1String("quote")).toString();
        entry.articleClaim = article;
    }

    entry.program = expandPlaceholders(entry.program, placeholders);
    entry.workingDirectory = expandPlaceholders(entry.workingDirectory, placeholders);
    return entry;
}

QString resolveProgram(const QString &program, const QString &workingDirectory)
{
    if (program.contains(QLatin1Char('/'))) {
        const QString path = QDir::isAbsolutePath(program) || workingDirectory.isEmpty()
            ? program
            : QDir(workingDirectory).filePath(program);
        const QFileInfo info(path);
        return info.isFile() && info.isExecutable() ? info.absoluteFilePath() : QString();
    }
    return QStandardPaths::findExecutable(program);
}

} // namespace

ServerCatalog::Sources ServerCatalog::defaultSources()
{
    Sources sources;
    sources.catalogFile = Paths::resourceFile(QStringLiteral("servers.json"));
    sources.serversDir = Paths::serversBuildDir();
    sources.sourceDir = Paths::serversSourceDir();
    sources.userServersDir = Paths::userServersDir();
    const QString fromEnvironment = qEnvironmentVariable("STACKADVISOR_USER_CATALOG");
    if (!fromEnvironment.isEmpty())
        sources.userCatalogFile = fromEnvironment;
    else if (QFileInfo::exists(defaultUserCatalogFile()))
        sources.userCatalogFile = defaultUserCatalogFile();
    return sources;
}

QString ServerCatalog::defaultUserCatalogFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)
        + QLatin1String("/servers.json");
}

std::optional<QList<ServerEntry>> ServerCatalog::parseCatalog(const QByteArray &json, const QString &fileName,
    const QMap<QString, QString> &placeholders, QString *error, QMap<QString, QString> *languageColors)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("%1: not valid JSON at offset %2: %3")
                     .arg(fileName)
                     .arg(parseError.offset)
                     .arg(parseError.errorString());
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = fileName + QLatin1String(": the top level must be an object with a 'servers' array");
        return std::nullopt;
    }
    const QJsonObject root = document.object();
    QString problem;
    if (!onlyKnownFields(root,
            { QStringLiteral("schemaVersion"), QStringLiteral("servers"), QStringLiteral("languageColors"),
                QStringLiteral("colorsWhy") },
            QString(), &problem)) {
        *error = fileName + QLatin1String(": ") + problem;
        return std::nullopt;
    }
    const QJsonValue version = root.value(QLatin1String("schemaVersion"));
    if (!version.isUndefined() && version.toInt(-1) != 1) {
        *error = fileName + QLatin1String(": field 'schemaVersion' must be 1 (this app reads version 1)");
        return std::nullopt;
    }
    const QJsonValue servers = root.value(QLatin1String("servers"));
    if (!servers.isArray()) {
        *error = fileName + QLatin1String(": field 'servers' is missing or not an array");
        return std::nullopt;
    }
    QList<ServerEntry> entries;
    const QJsonValue colors = root.value(QLatin1String("languageColors"));
    if (!colors.isUndefined()) {
        static const QRegularExpression colorPattern(QStringLiteral("^#[0-9A-Fa-f]{6}$"));
        const QJsonObject map = colors.toObject();
        for (auto it = map.begin(); it != map.end(); ++it) {
            if (!colorPattern.match(it.value().toString()).hasMatch()) {
                *error = QStringLiteral("%1: languageColors.%2 must be a colour like \"#0096C7\"")
                             .arg(fileName, it.key());
                return std::nullopt;
            }
            if (languageColors)
                languageColors->insert(it.key(), it.value().toString());
        }
    }
    const QJsonArray array = servers.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonValue value = array.at(i);
        if (!value.isObject()) {
            *error = describeEntry(fileName, i, {}) + QLatin1String(": must be an object");
            return std::nullopt;
        }
        auto entry = parseEntry(value.toObject(), placeholders, &problem);
        if (!entry) {
            *error = describeEntry(fileName, i, value.toObject().value(QLatin1String("id")).toString())
                + QLatin1String(": ") + problem;
            return std::nullopt;
        }
        for (const ServerEntry &earlier : std::as_const(entries)) {
            if (earlier.id == entry->id) {
                *error = describeEntry(fileName, i, entry->id)
                    + QLatin1String(": field 'id' repeats an earlier entry");
                return std::nullopt;
            }
        }
        entry->sourceFile = fileName;
        entries.append(*entry);
    }
    return entries;
}

bool ServerCatalog::load(const Sources &sources, QString *error)
{
    m_sources = sources;
    m_servers.clear();
    m_manifest.clear();
    m_warnings.clear();
    m_languageColors.clear();
    m_hasManifest = false;
    m_manifestBuiltAt = {};

    const auto readCatalog = [&](const QString &path, bool user) -> bool {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read the %1 catalog %2: %3")
                         .arg(user ? QStringLiteral("user") : QStringLiteral("server"), path,
                             file.errorString());
            return false;
        }
        const QMap<QString, QString> placeholders {
            { QStringLiteral("serversDir"), sources.serversDir },
            { QStringLiteral("sourceDir"), sources.sourceDir },
            { QStringLiteral("catalogDir"), QFileInfo(path).absolutePath() },
        };
        auto entries = parseCatalog(file.readAll(), path, placeholders, error, &m_languageColors);
        if (!entries)
            return false;
        for (ServerEntry &entry : *entries) {
            if (find(entry.id)) {
                *error = QStringLiteral("%1: server '%2' is already defined in %3; choose another id")
                             .arg(path, entry.id, find(entry.id)->sourceFile);
                return false;
            }
            entry.userDefined = user;
            m_servers.append(entry);
        }
        return true;
    };

    if (!readCatalog(sources.catalogFile, false)
        || (!sources.userCatalogFile.isEmpty() && !readCatalog(sources.userCatalogFile, true))) {
        m_servers.clear();
        return false;
    }
    readManifest();
    takePreparedServers();
    for (ServerEntry &entry : m_servers)
        decideAvailability(entry);
    return true;
}

bool ServerCatalog::parseManifest(
    const QString &serversDir, QMap<QString, ManifestEntry> *entries, QDateTime *builtAt, QString *problem)
{
    const QString path = QDir(serversDir).filePath(QStringLiteral("manifest.json"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *problem = QStringLiteral(
            "no build manifest at %1: the sample servers have not been built (run `make servers`)")
                       .arg(path);
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *problem = QStringLiteral("the build manifest %1 is not valid JSON (%2): rebuild with `make servers`")
                       .arg(path, parseError.errorString());
        return false;
    }
    const QJsonObject root = document.object();
    *builtAt = QDateTime::fromString(root.value(QLatin1String("builtAt")).toString(), Qt::ISODate);
    const QJsonObject servers = root.value(QLatin1String("servers")).toObject();
    for (auto it = servers.begin(); it != servers.end(); ++it) {
        const QJsonObject object = it.value().toObject();
        ManifestEntry entry;
        entry.ready = object.value(QLatin1String("ready")).toBool();
        entry.reason = object.value(QLatin1String("reason")).toString();
        entry.frameworkVersion = object.value(QLatin1String("frameworkVersion")).toString();
        entry.runtimeVersion = object.value(QLatin1String("runtimeVersion")).toString();
        entry.footprintBytes = qint64(object.value(QLatin1String("footprintBytes")).toDouble());
        entry.footprintWhat = object.value(QLatin1String("footprintWhat")).toString();
        entry.fix = object.value(QLatin1String("fix")).toString();
        entries->insert(it.key(), entry);
    }
    return true;
}

void ServerCatalog::readManifest()
{
    QString problem;
    m_hasManifest = parseManifest(m_sources.serversDir, &m_manifest, &m_manifestBuiltAt, &problem);
    if (!m_hasManifest)
        m_warnings << problem;
}

// The installed app ships the Go binaries but prepares the Python and Node servers
// in the user's data folder (a venv cannot be built elsewhere and copied), so a
// built-in server missing from the main folder may be ready there.
void ServerCatalog::takePreparedServers()
{
    const QString dir = m_sources.userServersDir;
    if (dir.isEmpty() || QDir(dir).absolutePath() == QDir(m_sources.serversDir).absolutePath())
        return;
    QMap<QString, ManifestEntry> prepared;
    QDateTime builtAt;
    QString problem;
    if (!parseManifest(dir, &prepared, &builtAt, &problem))
        return; // nothing prepared there: not worth a warning
    QFile file(m_sources.catalogFile);
    if (!file.open(QIODevice::ReadOnly))
        return;
    // Parsed again with {serversDir} pointing there; the first parse already succeeded.
    const QMap<QString, QString> placeholders {
        { QStringLiteral("serversDir"), dir },
        { QStringLiteral("sourceDir"), m_sources.sourceDir },
        { QStringLiteral("catalogDir"), QFileInfo(m_sources.catalogFile).absolutePath() },
    };
    const auto there = parseCatalog(file.readAll(), m_sources.catalogFile, placeholders, &problem);
    if (!there)
        return;
    for (ServerEntry &entry : m_servers) {
        if (entry.userDefined)
            continue;
        const auto here = m_manifest.constFind(entry.id);
        if (here != m_manifest.cend() && here->ready)
            continue;
        const auto ready = prepared.constFind(entry.id);
        if (ready == prepared.cend() || !ready->ready)
            continue;
        for (const ServerEntry &candidate : *there) {
            if (candidate.id == entry.id) {
                entry = candidate;
                entry.sourceFile = m_sources.catalogFile;
                m_manifest.insert(entry.id, *ready);
                m_hasManifest = true;
                break;
            }
        }
    }
}

void ServerCatalog::decideAvailability(ServerEntry &entry) const
{
    const QString buildFix
        = entry.notBuiltHint.isEmpty() ? QStringLiteral("run `make servers`") : entry.notBuiltHint;
    entry.available = false;

    if (!entry.userDefined) {
        const auto manifest = m_manifest.constFind(entry.id);
        if (manifest != m_manifest.cend()) {
            if (entry.frameworkVersion.isEmpty())
                entry.frameworkVersion = manifest->frameworkVersion;
            entry.runtimeVersion = manifest->runtimeVersion;
            entry.deployableBytes = manifest->footprintBytes;
            entry.deployableWhat = manifest->footprintWhat;
        }
        if (!m_hasManifest) {
            entry.unavailableReason
                = QStringLiteral("the sample servers have not been built (no manifest.json in %1)")
                      .arg(m_sources.serversDir);
            entry.fix = buildFix;
            return;
        }
        if (manifest == m_manifest.cend()) {
            entry.unavailableReason
                = QStringLiteral("not in the build manifest: the last build did not build it");
            entry.fix = buildFix;
            return;
        }
        if (!manifest->ready) {
            entry.unavailableReason = manifest->reason.isEmpty()
                ? QStringLiteral("the build reported it not ready")
                : manifest->reason;
            entry.fix = manifest->fix.isEmpty() ? buildFix : manifest->fix;
            return;
        }
    }

    if (resolveProgram(entry.program, entry.workingDirectory).isEmpty()) {
        if (entry.userDefined) {
            entry.unavailableReason
                = QStringLiteral("program '%1' not found or not executable").arg(entry.program);
            entry.fix = QStringLiteral("check the 'program' field of %1").arg(entry.sourceFile);
        } else {
            const QString what = entry.runtime == QLatin1String("go") ? QStringLiteral("Go binary not built")
                : entry.runtime == QLatin1String("python")            ? QStringLiteral("Python venv missing")
                : entry.runtime == QLatin1String("node") ? QStringLiteral("Node program not found")
                                                         : QStringLiteral("program not found");
            entry.unavailableReason = what + QLatin1String(" (") + entry.program + QLatin1Char(')');
            entry.fix = buildFix;
        }
        return;
    }
    if (!entry.workingDirectory.isEmpty() && !QFileInfo(entry.workingDirectory).isDir()) {
        entry.unavailableReason
            = QStringLiteral("working directory %1 does not exist").arg(entry.workingDirectory);
        entry.fix = entry.userDefined
            ? QStringLiteral("check the 'workingDirectory' field of %1").arg(entry.sourceFile)
            : buildFix;
        return;
    }
    entry.available = true;
}

platform::AppExecutables ServerCatalog::appExecutables(const QString &loadGenerator) const
{
    platform::AppExecutables executables;
    const auto addProgram = [&executables](const QString &path) {
        const QString canonical = QFileInfo(path).canonicalFilePath();
        if (!canonical.isEmpty() && !executables.programs.contains(canonical))
            executables.programs << canonical;
    };
    for (const ServerEntry &entry : m_servers) {
        addProgram(resolveProgram(entry.program, entry.workingDirectory));
        // An interpreter's script (python3 server.py): the program alone is any python.
        for (const QString &argument : entry.arguments) {
            const QString path = QDir::isAbsolutePath(argument) || entry.workingDirectory.isEmpty()
                ? argument
                : QDir(entry.workingDirectory).filePath(argument);
            if (QFileInfo(path).isFile())
                addProgram(path);
        }
    }
    addProgram(loadGenerator);
    for (const QString &folder : { m_sources.serversDir, m_sources.userServersDir }) {
        const QString canonical = QFileInfo(folder).canonicalFilePath();
        if (!canonical.isEmpty() && canonical != QLatin1String("/")
            && !executables.folders.contains(canonical))
            executables.folders << canonical;
    }
    return executables;
}

const ServerEntry *ServerCatalog::find(const QString &id) const
{
    for (const ServerEntry &entry : m_servers) {
        if (entry.id == id)
            return &entry;
    }
    return nullptr;
}

QStringList ServerCatalog::ids() const
{
    QStringList list;
    for (const ServerEntry &entry : m_servers)
        list << entry.id;
    return list;
}

QStringList ServerCatalog::availableIds() const
{
    QStringList list;
    for (const ServerEntry &entry : m_servers) {
        if (entry.available)
            list << entry.id;
    }
    return list;
}

} // namespace sa::bench
