#include "claimcheck.h"

#include "databasegap.h"
#include "format.h"
#include "runanalysis.h"

#include "platform/paths.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QStandardPaths>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numeric>

using namespace Qt::StringLiterals;

namespace sa::bench {

namespace {

constexpr int kArticleConnections = 1000;

QString tr(const char *text)
{
    return QCoreApplication::translate("sa::bench::ClaimCheck", text);
}

ClaimValue valueOf(double number, const QString &text)
{
    ClaimValue value;
    value.number = number;
    value.high = number;
    value.text = text;
    value.present = true;
    return value;
}

ClaimValue absent()
{
    ClaimValue value;
    value.text = fmt::none();
    return value;
}

QString shortName(const QString &label)
{
    // "Go (Gin)" → "Gin"
    const qsizetype open = label.indexOf(u'(');
    const qsizetype close = label.lastIndexOf(u')');
    return open >= 0 && close > open ? label.mid(open + 1, close - open - 1) : label;
}

double geometricMean(const QList<double> &values)
{
    if (values.isEmpty())
        return 0;
    double logSum = 0;
    for (double value : values)
        logSum += std::log(value);
    return std::exp(logSum / double(values.size()));
}

// A cell the check can build on: one with figures. A comparable cell is taken
// before one that is not; a row built on one that is not says so (its verdict
// is "not comparable", its caveats say why) rather than pretending it was not
// measured.
bool usable(const QList<CellAnalysis> &cells, int index)
{
    return index >= 0 && index < cells.size() && cells.at(index).hasFigures;
}

bool comparable(const QList<CellAnalysis> &cells, int index)
{
    return usable(cells, index) && cells.at(index).comparable;
}

// The cell of a target in a scenario; at `connections` when given, else
// preferring the article's 1,000 connections, then the most connections; a
// comparable cell before one that is not.
int cellOf(const RunResult &run, const QList<CellAnalysis> &cells, const QString &targetId, Scenario scenario,
    int connections = 0)
{
    for (const bool onlyComparable : { true, false }) {
        int best = -1;
        for (int i = 0; i < run.targets.size(); ++i) {
            const TargetResult &t = run.targets.at(i);
            if (t.targetId != targetId || t.scenario != scenario || !usable(cells, i)
                || (onlyComparable && !comparable(cells, i)))
                continue;
            if (connections > 0) {
                if (t.connections == connections)
                    return i;
                continue;
            }
            const TargetResult *b = best >= 0 ? &run.targets.at(best) : nullptr;
            if (!b || t.connections == kArticleConnections
                || (b->connections != kArticleConnections && t.connections > b->connections))
                best = i;
        }
        if (best >= 0)
            return best;
    }
    return -1;
}

// What the warnings of the cells behind one side of a figure mean for it.
struct Doubts
{
    QStringList incomparable; // "<cell>: <few words>" of the cells that cannot be compared
    QStringList saturated; // the cells whose load generator was saturated
    QStringList caveats; // every doubt, "<cell>: <few words>"
};

Doubts doubtsOf(const QList<int> &indices, const QList<CellAnalysis> &cells)
{
    Doubts doubts;
    for (int i : indices) {
        if (i < 0 || i >= cells.size())
            continue;
        const CellAnalysis &cell = cells.at(i);
        for (const CellWarning &warning : cell.warnings) {
            const QString note = cell.name + u": "_s + warning.brief;
            doubts.caveats << note;
            if (!warning.comparable)
                doubts.incomparable << note;
            if (warning.flag == CellFlag::GeneratorSaturated)
                doubts.saturated << cell.name;
        }
        if (!cell.comparable && cell.warnings.isEmpty())
            doubts.incomparable << cell.name + u": "_s + tr("not comparable");
    }
    return doubts;
}

// The verdict of a measured row from its direction, its bound and its doubts:
// a doubt that makes a cell incomparable makes the row "not comparable"; a
// bound settles the claim only on its own side (a lower bound above the claim
// is above it whatever the true figure; below it, it says nothing).
void settle(ClaimRow &row, const Doubts &doubts, bool boundBothWays, const QString &directionText)
{
    row.caveats = doubts.caveats;
    if (!doubts.incomparable.isEmpty()) {
        row.verdict = ClaimVerdict::NotComparable;
        row.verdictText = tr("Not comparable: %1").arg(doubts.incomparable.join(u"; "_s));
        return;
    }
    const QString who = doubts.saturated.join(u", "_s);
    if (boundBothWays) {
        row.verdict = ClaimVerdict::NotComparable;
        row.verdictText = tr("Not comparable: the load generator was saturated on both sides (%1)").arg(who);
        return;
    }
    if ((row.bound == ClaimBound::LowerBound && row.direction != ClaimDirection::Above)
        || (row.bound == ClaimBound::UpperBound && row.direction != ClaimDirection::Below)) {
        row.verdict = ClaimVerdict::NotComparable;
        row.verdictText = (row.bound == ClaimBound::LowerBound
                ? tr("Not comparable: a lower bound (load generator saturated for %1)")
                : tr("Not comparable: an upper bound (load generator saturated for %1)"))
                              .arg(who);
        return;
    }
    row.verdict = row.direction == ClaimDirection::Within ? ClaimVerdict::Holds : ClaimVerdict::DoesNotHold;
    row.verdictText = directionText;
    if (row.bound == ClaimBound::LowerBound)
        row.verdictText += tr(" (a lower bound: load generator saturated for %1)").arg(who);
    else if (row.bound == ClaimBound::UpperBound)
        row.verdictText += tr(" (an upper bound: load generator saturated for %1)").arg(who);
}

ClaimDirection directionOf(double measured, double low, double high, double tolerance)
{
    if (measured > high * tolerance)
        return ClaimDirection::Above;
    if (measured < low / tolerance)
        return ClaimDirection::Below;
    return ClaimDirection::Within;
}

// A ratio's verdict in words: who leads, and by more or less than the article says.
QString ratioWords(ClaimDirection direction, double measured, double low, double high,
    const QString &numerator, const QString &denominator)
{
    switch (direction) {
    case ClaimDirection::Within:
        return tr("About as the article says");
    case ClaimDirection::Above:
        if (measured >= 1.0)
            return high >= 1.0 ? tr("%1 leads by more than the article says").arg(numerator)
                               : tr("%1 leads; the article has %2 ahead").arg(numerator, denominator);
        return tr("%1 leads by less than the article says").arg(denominator);
    case ClaimDirection::Below:
        if (measured >= 1.0)
            return tr("%1 leads by less than the article says").arg(numerator);
        return low >= 1.0 ? tr("%1 leads; the article has %2 ahead").arg(denominator, numerator)
                          : tr("%1 leads by more than the article says").arg(denominator);
    }
    return {};
}

// MiB as the article's MB (10^6 bytes), to compare like with like.
constexpr double kMegabytesPerMebibyte = 1.048576;

QString rangeText(double low, double high)
{
    if (std::abs(high - low) < 1e-12)
        return fmt::times(low);
    return fmt::number(low, low == std::floor(low) ? 0 : 1) + u"–"_s
        + fmt::number(high, high == std::floor(high) ? 0 : 1) + u"×"_s;
}

std::optional<Scenario> scenarioField(const QJsonObject &claim, const char *key, bool *bad)
{
    const QJsonValue value = claim.value(QLatin1String(key));
    if (value.isUndefined())
        return std::nullopt;
    const auto scenario = scenarioFromId(value.toString());
    if (!scenario)
        *bad = true;
    return scenario;
}

} // namespace

QString claimVerdictId(ClaimVerdict verdict)
{
    switch (verdict) {
    case ClaimVerdict::Holds:
        return u"holds"_s;
    case ClaimVerdict::DoesNotHold:
        return u"does-not-hold"_s;
    case ClaimVerdict::NotMeasured:
        return u"not-measured"_s;
    case ClaimVerdict::NotComparable:
        return u"not-comparable"_s;
    }
    return {};
}

QString claimVerdictTitle(ClaimVerdict verdict)
{
    switch (verdict) {
    case ClaimVerdict::Holds:
        return tr("About as the article says");
    case ClaimVerdict::DoesNotHold:
        return tr("Not as the article says");
    case ClaimVerdict::NotMeasured:
        return tr("Not measured");
    case ClaimVerdict::NotComparable:
        return tr("Not comparable");
    }
    return {};
}

QString ClaimCheck::defaultClaimsFile()
{
    return Paths::resourceFile(u"claims/article-2026.json"_s);
}

QString ClaimCheck::userClaimsFile()
{
    const QString fromEnvironment = qEnvironmentVariable("STACKADVISOR_USER_CLAIMS");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    const QString file
        = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + u"/claims.json"_s;
    return QFileInfo::exists(file) ? file : QString();
}

namespace {

struct StandardClaims
{
    std::mutex mutex;
    bool loaded = false;
    std::optional<ClaimCheck> check;
    QString error;
};

StandardClaims &standardClaims()
{
    static StandardClaims claims;
    return claims;
}

} // namespace

const ClaimCheck *ClaimCheck::standard(QString *error)
{
    StandardClaims &s = standardClaims();
    const std::lock_guard lock(s.mutex);
    if (!s.loaded) {
        s.error.clear();
        s.check = load(defaultClaimsFile(), userClaimsFile(), &s.error);
        s.loaded = true;
    }
    if (!s.check && error)
        *error = s.error;
    return s.check ? &*s.check : nullptr;
}

void ClaimCheck::reloadStandard()
{
    StandardClaims &s = standardClaims();
    const std::lock_guard lock(s.mutex);
    s.loaded = false;
    s.check.reset();
}

std::optional<ClaimCheck> ClaimCheck::load(const QString &claimsFile, QString *error)
{
    return load(claimsFile, QString(), error);
}

std::optional<ClaimCheck> ClaimCheck::load(const QString &claimsFile, const QString &userFile, QString *error)
{
    const auto read = [error](const QString &path, QByteArray *bytes) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = tr("cannot read the claims file %1: %2").arg(path, file.errorString());
            return false;
        }
        *bytes = file.readAll();
        return true;
    };
    QByteArray bytes;
    if (!read(claimsFile, &bytes))
        return std::nullopt;
    auto check = fromJson(bytes, error);
    if (!check) {
        *error = claimsFile + u": "_s + *error;
        return std::nullopt;
    }
    if (userFile.isEmpty())
        return check;
    if (!read(userFile, &bytes))
        return std::nullopt;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()
        || !document.object().value(u"claims"_s).isArray()) {
        *error = userFile + u": "_s
            + (parseError.error != QJsonParseError::NoError
                    ? tr("not valid JSON (%1 at offset %2)")
                          .arg(parseError.errorString())
                          .arg(parseError.offset)
                    : tr("field 'claims' is missing or not an array"));
        return std::nullopt;
    }
    if (!check->addClaims(document.object().value(u"claims"_s).toArray(), userFile, error))
        return std::nullopt;
    return check;
}

std::optional<ClaimCheck> ClaimCheck::fromJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = tr("not valid JSON (%1)").arg(parseError.errorString());
        return std::nullopt;
    }
    const QJsonObject root = document.object();
    const QJsonValue claims = root.value(u"claims"_s);
    if (!claims.isArray()) {
        *error = tr("field 'claims' is missing or not an array");
        return std::nullopt;
    }
    ClaimCheck check;
    const QJsonObject tolerance = root.value(u"tolerance"_s).toObject();
    check.m_ratioTolerance = tolerance.value(u"ratio"_s).toDouble(1.25);
    check.m_absoluteTolerance = tolerance.value(u"absolute"_s).toDouble(1.25);
    if (!(check.m_ratioTolerance >= 1) || !(check.m_absoluteTolerance >= 1)) {
        *error = tr("tolerance.ratio and tolerance.absolute must be factors of at least 1");
        return std::nullopt;
    }
    if (!check.addClaims(claims.toArray(), QString(), error))
        return std::nullopt;
    if (check.m_table.isEmpty()) {
        *error = tr("no 'benchmark-row' claim: the article's table is missing");
        return std::nullopt;
    }
    if (!check.languageRatio(u"Go"_s, u"Python"_s)) {
        *error = tr("no Go vs Python 'ratio' claim (the article's \"8–10×\")");
        return std::nullopt;
    }
    return check;
}

bool ClaimCheck::addClaims(const QJsonArray &array, const QString &file, QString *error)
{
    const QString prefix = file.isEmpty() ? QString() : file + u": "_s;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject claim = array.at(i).toObject();
        const QString kind = claim.value(u"kind"_s).toString();
        const QString id = claim.value(u"id"_s).toString();
        const auto number = [&claim](const char *key) { return claim.value(QLatin1String(key)).toDouble(); };
        const QString where = prefix + u"claims[%1] (%2)"_s.arg(i).arg(id);
        const auto fail = [&](const QString &message) {
            *error = where + u": "_s + message;
            return false;
        };
        if (!id.isEmpty()) {
            if (m_ids.contains(id))
                return fail(tr("the id '%1' is used twice; give each claim its own id").arg(id));
            m_ids << id;
        }
        if (kind == u"benchmark-row"_s) {
            TableRow row;
            row.targetId = claim.value(u"serverId"_s).toString();
            row.label = claim.value(u"label"_s).toString();
            row.requestsPerSec = number("requestsPerSec");
            row.avgLatencyMs = number("avgLatencyMs");
            row.memoryMB = number("memoryMB");
            row.quote = claim.value(u"quote"_s).toString();
            if (row.targetId.isEmpty() || row.requestsPerSec <= 0 || row.avgLatencyMs <= 0
                || row.memoryMB <= 0)
                return fail(tr("a benchmark row needs serverId, requestsPerSec, avgLatencyMs and memoryMB"));
            if (m_tableQuote.isEmpty())
                m_tableQuote = claim.value(u"context"_s).toString();
            m_table.append(row);
        } else if (kind == u"ratio"_s) {
            RatioClaim ratio;
            ratio.id = id;
            ratio.title = claim.value(u"title"_s).toString();
            ratio.quote = claim.value(u"quote"_s).toString();
            const auto side = [](const QJsonObject &object) {
                RatioSide s;
                s.serverId = object.value(u"serverId"_s).toString();
                s.language = object.value(u"language"_s).toString();
                s.label = object.value(u"label"_s).toString();
                return s;
            };
            ratio.numerator = side(claim.value(u"numerator"_s).toObject());
            ratio.denominator = side(claim.value(u"denominator"_s).toObject());
            for (const RatioSide *s : { &ratio.numerator, &ratio.denominator }) {
                if (s->serverId.isEmpty() == s->language.isEmpty())
                    return fail(tr("each side of a ratio (numerator, denominator) names either a serverId or "
                                   "a language"));
            }
            bool badScenario = false;
            ratio.scenario = scenarioField(claim, "scenario", &badScenario).value_or(Scenario::Json);
            ratio.fallbackScenario = scenarioField(claim, "fallbackScenario", &badScenario);
            if (badScenario)
                return fail(tr("scenario and fallbackScenario must be one of %1").arg(scenarioIdList()));
            if (claim.value(u"claimedFrom"_s).toString() == u"table"_s) {
                const TableRow *a = tableRow(ratio.numerator.serverId);
                const TableRow *b = tableRow(ratio.denominator.serverId);
                if (!a || !b)
                    return fail(tr("\"claimedFrom\": \"table\" needs a benchmark row (listed before it) for "
                                   "both serverIds"));
                ratio.low = ratio.high = a->requestsPerSec / b->requestsPerSec;
                if (ratio.quote.isEmpty())
                    ratio.quote = a->quote + u" / "_s + b->quote;
                if (ratio.numerator.label.isEmpty())
                    ratio.numerator.label = shortName(a->label);
                if (ratio.denominator.label.isEmpty())
                    ratio.denominator.label = shortName(b->label);
            } else if (claim.contains(u"value"_s)) {
                ratio.low = ratio.high = number("value");
            } else {
                ratio.low = number("low");
                ratio.high = number("high");
            }
            if (!(ratio.low > 0) || !(ratio.high >= ratio.low))
                return fail(tr("a ratio needs 0 < low ≤ high (or a positive value, or \"claimedFrom\": "
                               "\"table\")"));
            for (RatioSide *s : { &ratio.numerator, &ratio.denominator }) {
                if (s->label.isEmpty()) {
                    const TableRow *row = s->serverId.isEmpty() ? nullptr : tableRow(s->serverId);
                    s->label
                        = row ? shortName(row->label) : (s->serverId.isEmpty() ? s->language : s->serverId);
                }
            }
            m_ratios.append(ratio);
        } else if (kind == u"database-gap"_s) {
            DatabaseGapClaim gap;
            gap.id = id;
            gap.title = claim.value(u"title"_s).toString();
            gap.quote = claim.value(u"quote"_s).toString();
            gap.numeratorLanguage = claim.value(u"numerator"_s).toObject().value(u"language"_s).toString();
            gap.denominatorLanguage
                = claim.value(u"denominator"_s).toObject().value(u"language"_s).toString();
            if (gap.numeratorLanguage.isEmpty() || gap.denominatorLanguage.isEmpty())
                return fail(tr("a database-gap claim names a language on each side: \"numerator\": "
                               "{\"language\": \"Go\"}, \"denominator\": {\"language\": \"Python\"}"));
            for (const QJsonValue &value : claim.value(u"scenarios"_s).toArray()) {
                const auto scenario = scenarioFromId(value.toString());
                if (!scenario || !isDatabaseScenario(*scenario))
                    return fail(tr("'scenarios' of a database-gap claim must be database scenarios (db, "
                                   "queries, fortunes); got '%1'")
                                    .arg(value.toString()));
                gap.scenarios << *scenario;
            }
            if (gap.scenarios.isEmpty())
                return fail(tr("a database-gap claim needs 'scenarios', e.g. [\"db\", \"fortunes\"]"));
            gap.value = claim.contains(u"value"_s) ? number("value") : 1.0;
            if (!(gap.value > 0))
                return fail(tr("the 'value' of a database-gap claim must be a positive ratio (1 = parity)"));
            m_databaseGaps.append(gap);
        } else if (kind == u"deploy-size"_s) {
            SizeClaim size;
            size.id = id;
            size.language = claim.value(u"language"_s).toString();
            size.quote = claim.value(u"quote"_s).toString();
            if (claim.value(u"relation"_s).toString() == u"range"_s) {
                size.lowMB = number("low");
                size.highMB = number("high");
            } else {
                size.highMB = number("value");
            }
            if (size.highMB <= 0)
                return fail(tr("a deploy-size claim needs a positive value or high"));
            m_sizes.append(size);
        }
        // Other kinds (anecdotes, thresholds, repeated throughput figures) are not
        // checked against a run.
    }
    return true;
}

const ClaimCheck::TableRow *ClaimCheck::tableRow(const QString &targetId) const
{
    for (const TableRow &row : m_table) {
        if (row.targetId == targetId)
            return &row;
    }
    return nullptr;
}

const ClaimCheck::RatioClaim *ClaimCheck::languageRatio(
    const QString &numerator, const QString &denominator) const
{
    for (const RatioClaim &ratio : m_ratios) {
        if (ratio.numerator.language == numerator && ratio.denominator.language == denominator)
            return &ratio;
    }
    return nullptr;
}

double ClaimCheck::goVsPythonLow() const
{
    const RatioClaim *ratio = languageRatio(u"Go"_s, u"Python"_s);
    return ratio ? ratio->low : 0;
}

double ClaimCheck::goVsPythonHigh() const
{
    const RatioClaim *ratio = languageRatio(u"Go"_s, u"Python"_s);
    return ratio ? ratio->high : 0;
}

QString ClaimCheck::goVsPythonQuote() const
{
    const RatioClaim *ratio = languageRatio(u"Go"_s, u"Python"_s);
    return ratio ? ratio->quote : QString();
}

QList<ClaimRow> ClaimCheck::check(const RunResult &run) const
{
    return check(run, RunAnalysis::analyse(run, nullptr).cells());
}

ClaimRow ClaimCheck::checkRatio(
    const RatioClaim &claim, const RunResult &run, const QList<CellAnalysis> &cells) const
{
    const bool languages = !claim.numerator.language.isEmpty() && !claim.denominator.language.isEmpty();
    ClaimRow row;
    row.kind = ClaimKind::Ratio;
    row.id = languages
        ? u"%1-vs-%2"_s.arg(claim.numerator.language.toLower(), claim.denominator.language.toLower())
        : u"ratio-%1-%2"_s.arg(claim.numerator.serverId.isEmpty() ? claim.numerator.language.toLower()
                                                                  : claim.numerator.serverId,
            claim.denominator.serverId.isEmpty() ? claim.denominator.language.toLower()
                                                 : claim.denominator.serverId);
    row.title = !claim.title.isEmpty() ? claim.title
        : languages ? tr("%1 vs %2 overall (req/s)").arg(claim.numerator.label, claim.denominator.label)
                    : tr("%1 vs %2 (req/s)").arg(claim.numerator.label, claim.denominator.label);
    row.metric = u"ratio"_s;
    row.quote = claim.quote;
    row.numeratorLanguage = languages ? claim.numerator.language : QString();
    row.denominatorLanguage = languages ? claim.denominator.language : QString();
    row.claimed = valueOf(claim.low, rangeText(claim.low, claim.high));
    row.claimed.high = claim.high;

    // The scenario: the claim's, else its fallback when the run has none of the first.
    const auto hasScenario = [&](Scenario scenario) {
        for (int i = 0; i < run.targets.size(); ++i) {
            if (run.targets.at(i).scenario == scenario && usable(cells, i))
                return true;
        }
        return false;
    };
    Scenario scenario = claim.scenario;
    const bool fellBack
        = !hasScenario(scenario) && claim.fallbackScenario && hasScenario(*claim.fallbackScenario);
    if (fellBack)
        scenario = *claim.fallbackScenario;
    row.scenario = scenario;

    // The cells of one side at one connection level.
    const auto sideCells = [&](const RatioSide &side, int connections) {
        QList<int> indices;
        if (!side.serverId.isEmpty()) {
            const int i = cellOf(run, cells, side.serverId, scenario, connections);
            if (i >= 0)
                indices << i;
            return indices;
        }
        for (int i = 0; i < run.targets.size(); ++i) {
            const TargetResult &t = run.targets.at(i);
            if (t.language == side.language && t.scenario == scenario && usable(cells, i)
                && (connections == 0 || t.connections == connections))
                indices << i;
        }
        return indices;
    };
    // The connection level where both sides were measured, with the most cells; the
    // article's 1,000 wins a tie.
    QMap<int, int> levels;
    for (int i = 0; i < run.targets.size(); ++i) {
        if (run.targets.at(i).scenario == scenario && usable(cells, i))
            ++levels[run.targets.at(i).connections];
    }
    int connections = 0;
    int bestCount = 0;
    for (auto it = levels.cbegin(); it != levels.cend(); ++it) {
        const QList<int> a = sideCells(claim.numerator, it.key());
        const QList<int> b = sideCells(claim.denominator, it.key());
        if (a.isEmpty() || b.isEmpty())
            continue;
        const int count = int(a.size() + b.size());
        if (connections == 0 || count > bestCount
            || (count == bestCount && it.key() == kArticleConnections)) {
            connections = it.key();
            bestCount = count;
        }
    }
    if (connections == 0) {
        row.measured = absent();
        row.explanation = languages
            ? tr(
                "Needs at least one %1 and one %2 server measured in the same scenario at the same number of "
                "connections.")
                  .arg(claim.numerator.language, claim.denominator.language)
            : tr("Needs both %1 and %2 measured with the %3 scenario at the same number of connections.")
                  .arg(claim.numerator.label, claim.denominator.label, scenarioTitle(claim.scenario));
        return row;
    }
    const QList<int> a = sideCells(claim.numerator, connections);
    const QList<int> b = sideCells(claim.denominator, connections);
    QList<double> aRps, bRps;
    QStringList aIds, bIds;
    for (int i : a) {
        aRps << run.targets.at(i).requestsPerSecond;
        aIds << run.targets.at(i).targetId;
    }
    for (int i : b) {
        bRps << run.targets.at(i).requestsPerSecond;
        bIds << run.targets.at(i).targetId;
    }
    row.targetIds = aIds + bIds;
    row.cellIndices = a + b;
    row.connections = connections;
    const double measured = geometricMean(aRps) / geometricMean(bRps);
    row.measured = valueOf(measured, fmt::times(measured));
    row.ratio = (claim.low + claim.high) / 2.0 / measured;
    // A saturated generator makes its side's req/s a lower bound: the ratio is a
    // lower bound when it is the numerator's, an upper bound when the denominator's.
    const Doubts numerator = doubtsOf(a, cells);
    const Doubts denominator = doubtsOf(b, cells);
    Doubts doubts;
    doubts.incomparable = numerator.incomparable + denominator.incomparable;
    doubts.saturated = numerator.saturated + denominator.saturated;
    doubts.caveats = numerator.caveats + denominator.caveats;
    const bool boundBothWays = !numerator.saturated.isEmpty() && !denominator.saturated.isEmpty();
    row.bound = !numerator.saturated.isEmpty() && !boundBothWays ? ClaimBound::LowerBound
        : !denominator.saturated.isEmpty() && !boundBothWays     ? ClaimBound::UpperBound
                                                                 : ClaimBound::Exact;
    row.direction = directionOf(measured, claim.low, claim.high, m_ratioTolerance);
    settle(row, doubts, boundBothWays,
        ratioWords(
            row.direction, measured, claim.low, claim.high, claim.numerator.label, claim.denominator.label));
    const QString what = languages
        ? tr("Geometric mean of the %1 servers' req/s (%2) over the %3 servers' (%4)")
              .arg(claim.numerator.language, aIds.join(u", "_s), claim.denominator.language,
                  bIds.join(u", "_s))
        : tr("%1 over %2").arg(claim.numerator.label, claim.denominator.label);
    row.explanation
        = tr("%1, %2 scenario at %3 connections: %4 against the article's %5.%6")
              .arg(what, scenarioTitle(scenario), fmt::number(connections), row.measured.text,
                  row.claimed.text,
                  fellBack ? tr(" The article's figure is for the %1 scenario; this run had none, so the "
                                "%2 scenario stands in.")
                                 .arg(scenarioTitle(claim.scenario), scenarioTitle(scenario))
                           : QString());
    return row;
}

// "The bottleneck is usually the database": the languages' ratio with the
// database in the loop against parity, the JSON ratio of the same run beside it.
ClaimRow ClaimCheck::checkDatabaseGap(
    const DatabaseGapClaim &claim, const RunResult &run, const QList<CellAnalysis> &cells) const
{
    ClaimRow row;
    row.kind = ClaimKind::DatabaseGap;
    row.id = claim.id;
    row.title = !claim.title.isEmpty() ? claim.title
                                       : tr("%1 vs %2 with the database in the loop (req/s)")
                                             .arg(claim.numeratorLanguage, claim.denominatorLanguage);
    row.metric = u"ratio"_s;
    row.quote = claim.quote;
    row.numeratorLanguage = claim.numeratorLanguage;
    row.denominatorLanguage = claim.denominatorLanguage;
    row.claimed = valueOf(claim.value,
        std::abs(claim.value - 1.0) < 1e-9 ? tr("≈ 1× (parity)") : u"≈ "_s + fmt::times(claim.value));

    const DatabaseGap gap
        = DatabaseGap::compute(run, cells, claim.numeratorLanguage, claim.denominatorLanguage);
    QList<const ScenarioGap *> measured;
    QStringList names;
    for (Scenario scenario : claim.scenarios) {
        names << scenarioId(scenario);
        const ScenarioGap *g = gap.scenario(scenario);
        if (g && g->database.measured() && g->json.measured())
            measured << g;
    }
    if (measured.isEmpty()) {
        row.measured = absent();
        row.explanation = tr("Needs at least one %1 and one %2 server measured in the same run with the %3 "
                             "scenario(s) and the JSON scenario, at the same number of connections "
                             "(stackadvisor bench --scenario json,%4).")
                              .arg(claim.numeratorLanguage, claim.denominatorLanguage, names.join(u", "_s),
                                  names.join(u","_s));
        return row;
    }
    QStringList parts, words;
    QList<double> ratios;
    bool holds = true;
    bool narrowed = true;
    for (const ScenarioGap *g : std::as_const(measured)) {
        parts << u"%1 %2"_s.arg(scenarioId(g->database.scenario), fmt::times(g->database.ratio));
        words << tr("%1 (%2)").arg(
            fmt::times(g->database.ratio), scenarioTitle(g->database.scenario).toLower());
        ratios << g->database.ratio;
        holds = holds && g->database.ratio >= claim.value / m_ratioTolerance
            && g->database.ratio <= claim.value * m_ratioTolerance;
        narrowed = narrowed && g->database.ratio < g->json.ratio;
        for (int i : g->database.numeratorCells + g->database.denominatorCells + g->json.numeratorCells
                + g->json.denominatorCells) {
            if (!row.cellIndices.contains(i)) {
                row.cellIndices << i;
                if (!row.targetIds.contains(run.targets.at(i).targetId))
                    row.targetIds << run.targets.at(i).targetId;
            }
        }
    }
    const ScenarioGap *first = measured.constFirst();
    row.scenario = first->database.scenario;
    row.connections = first->database.connections;
    const double mean
        = std::exp(std::accumulate(ratios.cbegin(), ratios.cend(), 0.0, [](double sum, double r) {
              return sum + std::log(r);
          }) / double(ratios.size()));
    row.measured = valueOf(mean, parts.join(u", "_s) + tr(" (json %1)").arg(fmt::times(first->json.ratio)));
    row.measured.high = *std::max_element(ratios.cbegin(), ratios.cend());
    row.ratio = claim.value / mean;
    row.verdict = holds ? ClaimVerdict::Holds : ClaimVerdict::DoesNotHold;
    const QString measuredWords
        = tr("With PostgreSQL in the loop, %1 served %2 %3's requests per second, against %4 for the "
             "in-process JSON API in the same run at %5 connections")
              .arg(claim.numeratorLanguage, words.join(tr(" and ")), claim.denominatorLanguage,
                  fmt::times(first->json.ratio), fmt::number(first->database.connections));
    QString verdict;
    if (holds) {
        verdict = tr("within a factor of %1 of parity: the database, not the language, set the pace, as the "
                     "article says.")
                      .arg(fmt::number(m_ratioTolerance, 2));
    } else if (narrowed) {
        const double left = first->remainingLead();
        verdict = tr("the database narrowed the gap%1 but did not close it: on this machine %2's code, not "
                     "the database, was still the limit, so the claim does not hold here.")
                      .arg(first->json.ratio > 1.0 ? tr(" (%1 % of %2's JSON lead remains)")
                                                         .arg(fmt::percent(left, 0), claim.numeratorLanguage)
                                                   : QString(),
                          mean >= 1.0 ? claim.denominatorLanguage : claim.numeratorLanguage);
    } else {
        verdict = tr("the database did not narrow the gap, so it was not the bottleneck here: the claim "
                     "does not hold on this machine.");
    }
    row.explanation = measuredWords + u": "_s + verdict;
    return row;
}

// Absolute figures: per row of the article's table, its req/s, latency and memory.
QList<ClaimRow> ClaimCheck::checkTable(const RunResult &run, const QList<CellAnalysis> &cells) const
{
    QList<ClaimRow> rows;
    for (const TableRow &claim : m_table) {
        const int index = cellOf(run, cells, claim.targetId, Scenario::Json);
        const TargetResult *cell = index >= 0 ? &run.targets.at(index) : nullptr;
        const QString name = shortName(claim.label);
        const QString notMeasured
            = tr("%1 was not measured with the JSON scenario in this run (or its figures are "
                 "not comparable), so there is nothing to compare.")
                  .arg(name);
        const QString connectionsNote = cell && cell->connections != kArticleConnections
            ? tr(" Measured at %1 connections, not the article's 1,000.").arg(fmt::number(cell->connections))
            : QString();

        ClaimRow rps;
        rps.id = claim.targetId + u"-rps"_s;
        rps.title = tr("%1: requests/sec").arg(name);
        rps.metric = u"requests_per_sec"_s;
        rps.quote = claim.quote;
        rps.targetIds = { claim.targetId };
        rps.claimed = valueOf(claim.requestsPerSec, fmt::number(claim.requestsPerSec) + u" req/s"_s);
        ClaimRow latency = rps;
        latency.id = claim.targetId + u"-latency"_s;
        latency.title = tr("%1: average latency").arg(name);
        latency.metric = u"avg_latency_ms"_s;
        latency.claimed = valueOf(claim.avgLatencyMs, fmt::number(claim.avgLatencyMs, 1) + u" ms"_s);
        ClaimRow memory = rps;
        memory.id = claim.targetId + u"-memory"_s;
        memory.title = tr("%1: memory").arg(name);
        memory.metric = u"memory_mb"_s;
        memory.claimed = valueOf(claim.memoryMB, fmt::number(claim.memoryMB) + u" MB"_s);

        if (!cell) {
            for (ClaimRow *row : { &rps, &latency, &memory }) {
                row->measured = absent();
                row->explanation = notMeasured;
                rows.append(*row);
            }
            continue;
        }
        for (ClaimRow *row : { &rps, &latency, &memory }) {
            row->cellIndices = { index };
            row->connections = cell->connections;
        }

        // Figures of a cell whose generator was saturated: req/s at least this
        // high, latency at most this high; memory is the server's own.
        const Doubts doubts = doubtsOf({ index }, cells);
        const bool saturated = !doubts.saturated.isEmpty();

        const double measuredRps = cell->requestsPerSecond;
        rps.measured = valueOf(measuredRps, fmt::number(measuredRps) + u" req/s"_s);
        rps.ratio = claim.requestsPerSec / measuredRps;
        rps.bound = saturated ? ClaimBound::LowerBound : ClaimBound::Exact;
        rps.direction
            = directionOf(measuredRps, claim.requestsPerSec, claim.requestsPerSec, m_absoluteTolerance);
        settle(rps, doubts, false,
            rps.direction == ClaimDirection::Above       ? tr("Faster here than the article's figure")
                : rps.direction == ClaimDirection::Below ? tr("Slower here than the article's figure")
                                                         : tr("About the article's figure"));
        rps.explanation = tr("%1 served %2 req/s here against the article's %3 (%4 of it).%5")
                              .arg(name, fmt::number(measuredRps), fmt::number(claim.requestsPerSec),
                                  fmt::times(measuredRps / claim.requestsPerSec), connectionsNote);

        const double measuredLatency = cell->latency.meanUs / 1000.0;
        latency.measured = valueOf(measuredLatency, fmt::number(measuredLatency, 1) + u" ms"_s);
        latency.ratio = measuredLatency > 0 ? claim.avgLatencyMs / measuredLatency : 0;
        latency.bound = saturated ? ClaimBound::UpperBound : ClaimBound::Exact;
        latency.direction
            = directionOf(measuredLatency, claim.avgLatencyMs, claim.avgLatencyMs, m_absoluteTolerance);
        settle(latency, doubts, false,
            latency.direction == ClaimDirection::Above       ? tr("Higher latency here than the article's")
                : latency.direction == ClaimDirection::Below ? tr("Lower latency here than the article's")
                                                             : tr("About the article's figure"));
        latency.explanation
            = tr("Average latency %1 ms here against the article's %2 ms.%3")
                  .arg(fmt::number(measuredLatency, 1), fmt::number(claim.avgLatencyMs, 1), connectionsNote);

        // The article says MB; PSS is counted in MiB (2^20 bytes), as everywhere in
        // the app, and compared in the article's unit.
        const double measuredMemory = double(cell->memory.peakPssBytes) / (1024.0 * 1024.0);
        const double measuredMemoryMB = measuredMemory * kMegabytesPerMebibyte;
        memory.measured = valueOf(measuredMemory, fmt::number(measuredMemory) + u" MiB"_s);
        memory.ratio = measuredMemoryMB > 0 ? claim.memoryMB / measuredMemoryMB : 0;
        memory.direction = directionOf(measuredMemoryMB, claim.memoryMB, claim.memoryMB, m_absoluteTolerance);
        Doubts memoryDoubts = doubts;
        memoryDoubts.saturated.clear();
        settle(memory, memoryDoubts, false,
            memory.direction == ClaimDirection::Above       ? tr("More memory here than the article's")
                : memory.direction == ClaimDirection::Below ? tr("Less memory here than the article's")
                                                            : tr("About the article's figure"));
        memory.explanation
            = tr("Peak PSS under load with %1 worker(s): %2 MiB (%3 MB) against the article's %4 MB.%5")
                  .arg(cell->workers)
                  .arg(fmt::number(measuredMemory), fmt::number(measuredMemoryMB),
                      fmt::number(claim.memoryMB), connectionsNote);
        rows << rps << latency << memory;
    }

    return rows;
}

// Deployable sizes (the build's footprint, not a container image).
QList<ClaimRow> ClaimCheck::checkSizes(const RunResult &run) const
{
    QList<ClaimRow> rows;
    for (const SizeClaim &size : m_sizes) {
        ClaimRow row;
        row.id = size.id;
        row.title = tr("%1: deployable size").arg(size.language);
        row.metric = u"deployable_mb"_s;
        row.quote = size.quote;
        row.claimed = size.lowMB > 0
            ? valueOf(size.lowMB, u"%1–%2 MB"_s.arg(fmt::number(size.lowMB), fmt::number(size.highMB)))
            : valueOf(size.highMB, tr("under %1 MB").arg(fmt::number(size.highMB)));
        row.claimed.high = size.highMB;
        QList<double> sizes;
        for (int i = 0; i < run.targets.size(); ++i) {
            const TargetResult &t = run.targets.at(i);
            if (t.language == size.language && t.deployableBytes > 0 && !row.targetIds.contains(t.targetId)) {
                sizes << double(t.deployableBytes) / (1024.0 * 1024.0);
                row.targetIds << t.targetId;
                row.cellIndices << i;
            }
        }
        if (sizes.isEmpty()) {
            row.measured = absent();
            row.explanation = tr("No %1 server with a known deployable size in this run.").arg(size.language);
            rows.append(row);
            continue;
        }
        std::sort(sizes.begin(), sizes.end());
        const double largest = sizes.constLast();
        row.measured = valueOf(largest,
            sizes.size() == 1 ? fmt::number(largest) + u" MiB"_s
                              : u"%1–%2 MiB"_s.arg(fmt::number(sizes.constFirst()), fmt::number(largest)));
        row.measured.number = sizes.constFirst();
        row.measured.high = largest;
        const double largestMB = largest * kMegabytesPerMebibyte;
        row.ratio = size.highMB / largestMB;
        // A lower bound settles the claim only when it is above it: an image is
        // at least this large, so above the article's figure it is larger still;
        // below, the image may yet be the article's size.
        row.bound = ClaimBound::LowerBound;
        row.direction
            = largestMB > size.highMB * m_absoluteTolerance ? ClaimDirection::Above : ClaimDirection::Within;
        if (row.direction == ClaimDirection::Above) {
            row.verdict = ClaimVerdict::DoesNotHold;
            row.verdictText = tr("Larger than the article says, even as a lower bound");
        } else {
            row.verdict = ClaimVerdict::NotComparable;
            row.verdictText = tr("Not comparable: lower bound");
        }
        row.explanation = tr("What the build produced for %1: %2 (%3 MB at most), against the article's %4.")
                              .arg(row.targetIds.join(u", "_s), row.measured.text, fmt::number(largestMB),
                                  row.claimed.text);
        rows.append(row);
    }
    return rows;
}

QList<ClaimRow> ClaimCheck::check(const RunResult &run, const QList<CellAnalysis> &cells) const
{
    QList<ClaimRow> rows = checkTable(run, cells);
    for (const RatioClaim &claim : m_ratios)
        rows.append(checkRatio(claim, run, cells));
    for (const DatabaseGapClaim &claim : m_databaseGaps)
        rows.append(checkDatabaseGap(claim, run, cells));
    rows += checkSizes(run);
    for (ClaimRow &row : rows) {
        if (row.verdictText.isEmpty())
            row.verdictText = claimVerdictTitle(row.verdict);
    }
    return rows;
}

QStringList ClaimCheck::generalNotes() const
{
    return {
        tr("A figure or ratio is about as the article says within a factor of %1 of it (or of its range); "
           "beyond that the verdict says in which direction it differs. A figure built on a target with a "
           "warning says so beside it, and is not comparable when the warning makes it so.")
            .arg(fmt::number(m_ratioTolerance, 2)),
        tr("Absolute figures (req/s, latency, memory) depend on the hardware, which the article does not "
           "state; the ratios between stacks are the fairer test."),
        tr("With a fixed number of connections, latency is roughly connections ÷ throughput, so the latency "
           "rows follow the req/s rows."),
        tr("Memory is the PSS of each server's whole process tree at its peak under load: more workers mean "
           "more memory for Python and Node; a Go server is one process."),
        tr("The article writes MB; this app measures MiB (2^20 bytes, 1 MiB = 1.049 MB) and compares the two "
           "in the article's unit."),
        tr("Deployable sizes are what the build produced (the Go binary; the virtualenv with its "
           "interpreter; "
           "node_modules with node): a lower bound for a container image, which adds a base layer. A lower "
           "bound under the article's figure cannot disprove it, so such a row is not comparable."),
    };
}

QString ClaimCheck::toText(const QList<ClaimRow> &rows, const QStringList &notes)
{
    int titleWidth = 5, claimedWidth = 7, measuredWidth = 8;
    for (const ClaimRow &row : rows) {
        titleWidth = qMax(titleWidth, int(row.title.size()));
        claimedWidth = qMax(claimedWidth, int(row.claimed.text.size()));
        measuredWidth = qMax(measuredWidth, int(row.measured.text.size()));
    }
    QString text = u"%1  %2  %3  %4\n"_s.arg(tr("Claim"), -titleWidth)
                       .arg(tr("Article"), -claimedWidth)
                       .arg(tr("Measured"), -measuredWidth)
                       .arg(tr("Verdict"));
    for (const ClaimRow &row : rows) {
        text += u"%1  %2  %3  %4\n"_s.arg(row.title, -titleWidth)
                    .arg(row.claimed.text, -claimedWidth)
                    .arg(row.measured.text, -measuredWidth)
                    .arg(row.verdictText);
        // A doubt that does not already make the row "not comparable" is said under it.
        if (row.verdict != ClaimVerdict::NotComparable && !row.caveats.isEmpty())
            text += u"%1  ⚠ %2\n"_s.arg(QString(), -titleWidth).arg(row.caveats.join(u"; "_s));
    }
    // The ratios are what test the article: say what each means.
    for (const ClaimRow &row : rows) {
        if ((row.kind == ClaimKind::Ratio || row.kind == ClaimKind::DatabaseGap)
            && row.verdict != ClaimVerdict::NotMeasured)
            text += u"- "_s + row.title + u": "_s + row.explanation + u'\n';
    }
    for (const QString &note : notes)
        text += u"Note: "_s + note + u'\n';
    return text;
}

} // namespace sa::bench
