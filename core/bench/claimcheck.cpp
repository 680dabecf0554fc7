#include "claimcheck.h"

#include "platform/paths.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <cmath>

namespace sa::bench {

namespace {

// The ratios the article's table implies and that should survive a change of
// machine: numerator first.
struct RatioPair
{
    const char *numerator;
    const char *denominator;
};
constexpr RatioPair kRatioPairs[] = {
    { "go-gin", "python-fastapi" },
    { "go-fiber", "go-gin" },
    { "python-fastapi", "python-django" },
    { "node-express", "python-fastapi" },
};
constexpr int kArticleConnections = 1000;

QString grouped(double value, int decimals = 0)
{
    return QLocale(QLocale::English).toString(value, 'f', decimals);
}

QString times(double value)
{
    return QString::number(value, 'f', value < 10 ? 2 : 1) + QStringLiteral("×");
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
    value.text = QStringLiteral("—");
    return value;
}

// The completed JSON cell of a target, preferring the article's 1,000 connections.
const TargetResult *jsonCell(const RunResult &run, const QString &targetId, int connections = 0)
{
    const TargetResult *best = nullptr;
    for (const TargetResult &t : run.targets) {
        if (t.targetId != targetId || t.scenario != Scenario::Json || t.status != TargetStatus::Completed
            || t.requestsPerSecond <= 0)
            continue;
        if (connections > 0) {
            if (t.connections == connections)
                return &t;
            continue;
        }
        if (!best || t.connections == kArticleConnections
            || (best->connections != kArticleConnections && t.connections > best->connections))
            best = &t;
    }
    return best;
}

QString shortName(const QString &label)
{
    // "Go (Gin)" → "Gin"
    const qsizetype open = label.indexOf(QLatin1Char('('));
    const qsizetype close = label.lastIndexOf(QLatin1Char(')'));
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

} // namespace

QString claimVerdictId(ClaimVerdict verdict)
{
    switch (verdict) {
    case ClaimVerdict::Holds:
        return QStringLiteral("holds");
    case ClaimVerdict::DoesNotHold:
        return QStringLiteral("does-not-hold");
    case ClaimVerdict::NotMeasured:
        return QStringLiteral("not-measured");
    }
    return {};
}

QString claimVerdictTitle(ClaimVerdict verdict)
{
    switch (verdict) {
    case ClaimVerdict::Holds:
        return QStringLiteral("Holds");
    case ClaimVerdict::DoesNotHold:
        return QStringLiteral("Does not hold here");
    case ClaimVerdict::NotMeasured:
        return QStringLiteral("Not measured");
    }
    return {};
}

QString ClaimCheck::defaultClaimsFile()
{
    return Paths::resourceFile(QStringLiteral("claims/article-2026.json"));
}

std::optional<ClaimCheck> ClaimCheck::load(const QString &claimsFile, QString *error)
{
    QFile file(claimsFile);
    if (!file.open(QIODevice::ReadOnly)) {
        *error
            = QStringLiteral("cannot read the article's claims %1: %2").arg(claimsFile, file.errorString());
        return std::nullopt;
    }
    auto check = fromJson(file.readAll(), error);
    if (!check)
        *error = claimsFile + QLatin1String(": ") + *error;
    return check;
}

std::optional<ClaimCheck> ClaimCheck::fromJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = QStringLiteral("not valid JSON (%1)").arg(parseError.errorString());
        return std::nullopt;
    }
    const QJsonValue claims = document.object().value(QLatin1String("claims"));
    if (!claims.isArray()) {
        *error = QStringLiteral("field 'claims' is missing or not an array");
        return std::nullopt;
    }
    ClaimCheck check;
    bool sawRatio = false;
    const QJsonArray array = claims.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject claim = array.at(i).toObject();
        const QString kind = claim.value(QLatin1String("kind")).toString();
        const QString id = claim.value(QLatin1String("id")).toString();
        const auto number = [&claim](const char *key) { return claim.value(QLatin1String(key)).toDouble(); };
        const QString where = QStringLiteral("claims[%1] (%2)").arg(i).arg(id);
        if (kind == QLatin1String("benchmark-row")) {
            TableRow row;
            row.targetId = claim.value(QLatin1String("serverId")).toString();
            row.label = claim.value(QLatin1String("label")).toString();
            row.requestsPerSec = number("requestsPerSec");
            row.avgLatencyMs = number("avgLatencyMs");
            row.memoryMB = number("memoryMB");
            row.quote = claim.value(QLatin1String("quote")).toString();
            if (row.targetId.isEmpty() || row.requestsPerSec <= 0 || row.avgLatencyMs <= 0
                || row.memoryMB <= 0) {
                *error = where
                    + QLatin1String(
                        ": a benchmark row needs serverId, requestsPerSec, avgLatencyMs and memoryMB");
                return std::nullopt;
            }
            if (check.m_tableQuote.isEmpty())
                check.m_tableQuote = claim.value(QLatin1String("context")).toString();
            check.m_table.append(row);
        } else if (kind == QLatin1String("ratio")
            && claim.value(QLatin1String("numerator")).toObject().value(QLatin1String("language")).toString()
                == QLatin1String("Go")) {
            check.m_goVsPythonLow = number("low");
            check.m_goVsPythonHigh = number("high");
            check.m_goVsPythonQuote = claim.value(QLatin1String("quote")).toString();
            if (check.m_goVsPythonLow <= 0 || check.m_goVsPythonHigh < check.m_goVsPythonLow) {
                *error = where + QLatin1String(": a ratio needs 0 < low ≤ high");
                return std::nullopt;
            }
            sawRatio = true;
        } else if (kind == QLatin1String("deploy-size")) {
            SizeClaim size;
            size.id = id;
            size.language = claim.value(QLatin1String("language")).toString();
            size.quote = claim.value(QLatin1String("quote")).toString();
            if (claim.value(QLatin1String("relation")).toString() == QLatin1String("range")) {
                size.lowMB = number("low");
                size.highMB = number("high");
            } else {
                size.highMB = number("value");
            }
            if (size.highMB <= 0) {
                *error = where + QLatin1String(": a deploy-size claim needs a positive value or high");
                return std::nullopt;
            }
            check.m_sizes.append(size);
        }
        // Other kinds (anecdotes, thresholds, repeated throughput figures) are not
        // checked against a run.
    }
    if (check.m_table.isEmpty()) {
        *error = QStringLiteral("no 'benchmark-row' claim: the article's table is missing");
        return std::nullopt;
    }
    if (!sawRatio) {
        *error = QStringLiteral("no Go vs Python 'ratio' claim (the article's \"8–10×\")");
        return std::nullopt;
    }
    return check;
}

QList<ClaimRow> ClaimCheck::check(const RunResult &run) const
{
    QList<ClaimRow> rows;
    const auto tableRow = [this](const QString &targetId) -> const TableRow * {
        for (const TableRow &row : m_table) {
            if (row.targetId == targetId)
                return &row;
        }
        return nullptr;
    };

    // Absolute figures, one row per figure of the article's table.
    for (const TableRow &claim : m_table) {
        const TargetResult *cell = jsonCell(run, claim.targetId);
        const QString name = shortName(claim.label);
        const QString notMeasured = QStringLiteral(
            "%1 was not measured with the JSON scenario in this run (or it failed), so there is "
            "nothing to compare.")
                                        .arg(name);
        const QString connectionsNote = cell && cell->connections != kArticleConnections
            ? QStringLiteral(" Measured at %1 connections, not the article's 1,000.").arg(cell->connections)
            : QString();

        ClaimRow rps;
        rps.id = claim.targetId + QLatin1String("-rps");
        rps.title = name + QLatin1String(": requests/sec");
        rps.metric = QStringLiteral("requests_per_sec");
        rps.quote = claim.quote;
        rps.targetIds = { claim.targetId };
        rps.claimed = valueOf(claim.requestsPerSec, grouped(claim.requestsPerSec) + QLatin1String(" req/s"));
        ClaimRow latency = rps;
        latency.id = claim.targetId + QLatin1String("-latency");
        latency.title = name + QLatin1String(": average latency");
        latency.metric = QStringLiteral("avg_latency_ms");
        latency.claimed = valueOf(claim.avgLatencyMs, grouped(claim.avgLatencyMs, 1) + QLatin1String(" ms"));
        ClaimRow memory = rps;
        memory.id = claim.targetId + QLatin1String("-memory");
        memory.title = name + QLatin1String(": memory");
        memory.metric = QStringLiteral("memory_mb");
        memory.claimed = valueOf(claim.memoryMB, grouped(claim.memoryMB) + QLatin1String(" MB"));

        if (!cell) {
            for (ClaimRow *row : { &rps, &latency, &memory }) {
                row->measured = absent();
                row->explanation = notMeasured;
                rows.append(*row);
            }
            continue;
        }

        const double measuredRps = cell->requestsPerSecond;
        rps.measured = valueOf(measuredRps, grouped(measuredRps) + QLatin1String(" req/s"));
        rps.ratio = claim.requestsPerSec / measuredRps;
        rps.verdict = measuredRps >= claim.requestsPerSec / kAbsoluteTolerance ? ClaimVerdict::Holds
                                                                               : ClaimVerdict::DoesNotHold;
        rps.explanation
            = QStringLiteral("%1 served %2 req/s here against the article's %3 (%4 of it). Absolute "
                             "figures depend on the hardware, which the article does not state; the "
                             "ratios below are the fairer test.%5")
                  .arg(name, grouped(measuredRps), grouped(claim.requestsPerSec),
                      times(measuredRps / claim.requestsPerSec), connectionsNote);

        const double measuredLatency = cell->latency.meanUs / 1000.0;
        latency.measured = valueOf(measuredLatency, grouped(measuredLatency, 1) + QLatin1String(" ms"));
        latency.ratio = measuredLatency > 0 ? claim.avgLatencyMs / measuredLatency : 0;
        latency.verdict = measuredLatency > 0 && measuredLatency <= claim.avgLatencyMs * kAbsoluteTolerance
            ? ClaimVerdict::Holds
            : ClaimVerdict::DoesNotHold;
        latency.explanation
            = QStringLiteral("Average latency %1 ms here against the article's %2 ms. With a "
                             "fixed number of connections, latency is roughly connections ÷ "
                             "throughput, so it follows the requests/sec figure.%3")
                  .arg(grouped(measuredLatency, 1), grouped(claim.avgLatencyMs, 1), connectionsNote);

        const double measuredMemory = double(cell->memory.peakPssBytes) / (1024.0 * 1024.0);
        memory.measured = valueOf(measuredMemory, grouped(measuredMemory) + QLatin1String(" MB"));
        memory.ratio = measuredMemory > 0 ? claim.memoryMB / measuredMemory : 0;
        memory.verdict = measuredMemory > 0 && measuredMemory <= claim.memoryMB * kAbsoluteTolerance
            ? ClaimVerdict::Holds
            : ClaimVerdict::DoesNotHold;
        memory.explanation
            = QStringLiteral("Peak memory under load, PSS summed over the server's whole process "
                             "tree (%1 worker(s)): %2 MB against the article's %3 MB. More workers "
                             "mean more memory for Python and Node; Go uses one process.")
                  .arg(cell->workers)
                  .arg(grouped(measuredMemory), grouped(claim.memoryMB));
        rows << rps << latency << memory;
    }

    // Ratios that should hold on any machine.
    for (const RatioPair &pair : kRatioPairs) {
        const TableRow *a = tableRow(QLatin1String(pair.numerator));
        const TableRow *b = tableRow(QLatin1String(pair.denominator));
        if (!a || !b)
            continue;
        ClaimRow row;
        row.kind = ClaimKind::Ratio;
        row.id = QStringLiteral("ratio-%1-%2")
                     .arg(QLatin1String(pair.numerator), QLatin1String(pair.denominator));
        row.title = QStringLiteral("%1 vs %2 (req/s)").arg(shortName(a->label), shortName(b->label));
        row.metric = QStringLiteral("ratio");
        row.quote = a->quote + QLatin1String(" / ") + b->quote;
        row.targetIds = { a->targetId, b->targetId };
        const double claimed = a->requestsPerSec / b->requestsPerSec;
        row.claimed = valueOf(claimed, times(claimed));
        // The same connection level for both sides.
        const TargetResult *cellA = jsonCell(run, a->targetId);
        const TargetResult *cellB = cellA ? jsonCell(run, b->targetId, cellA->connections) : nullptr;
        if (!cellB) {
            cellB = jsonCell(run, b->targetId);
            cellA = cellB ? jsonCell(run, a->targetId, cellB->connections) : nullptr;
        }
        if (!cellA || !cellB) {
            row.measured = absent();
            row.explanation
                = QStringLiteral("Needs both %1 and %2 measured with the JSON scenario at the same "
                                 "number of connections.")
                      .arg(shortName(a->label), shortName(b->label));
            rows.append(row);
            continue;
        }
        const double measured = cellA->requestsPerSecond / cellB->requestsPerSecond;
        row.measured = valueOf(measured, times(measured));
        row.ratio = claimed / measured;
        const bool holds = measured >= claimed / kRatioTolerance && measured <= claimed * kRatioTolerance;
        row.verdict = holds ? ClaimVerdict::Holds : ClaimVerdict::DoesNotHold;
        const QString direction = measured < claimed ? QStringLiteral("smaller") : QStringLiteral("larger");
        row.explanation
            = QStringLiteral("Here %1 served %2 the requests of %3 (%4 connections); the article's table "
                             "implies %5. %6")
                  .arg(shortName(a->label), times(measured), shortName(b->label))
                  .arg(cellA->connections)
                  .arg(times(claimed),
                      holds ? QStringLiteral("Within a factor of %1, so the relation holds on this machine.")
                                  .arg(kRatioTolerance)
                            : QStringLiteral("The gap is %1 than the article says, beyond a factor "
                                             "of %2: the claim does not hold on this machine.")
                                  .arg(direction)
                                  .arg(kRatioTolerance));
        rows.append(row);
    }

    // Go vs Python overall, against "8–10×". The article says I/O-heavy: prefer the io scenario.
    {
        ClaimRow row;
        row.kind = ClaimKind::Ratio;
        row.id = QStringLiteral("go-vs-python");
        row.title = QStringLiteral("Go vs Python overall (req/s)");
        row.metric = QStringLiteral("ratio");
        row.quote = m_goVsPythonQuote;
        row.claimed
            = valueOf(m_goVsPythonLow, QStringLiteral("%1–%2×").arg(m_goVsPythonLow).arg(m_goVsPythonHigh));
        row.claimed.high = m_goVsPythonHigh;
        bool hasIo = false;
        for (const TargetResult &t : run.targets)
            hasIo = hasIo || (t.scenario == Scenario::Io && t.status == TargetStatus::Completed);
        const Scenario scenario = hasIo ? Scenario::Io : Scenario::Json;
        // The connection level with the most completed cells of that scenario.
        QMap<int, int> levels;
        for (const TargetResult &t : run.targets) {
            if (t.scenario == scenario && t.status == TargetStatus::Completed)
                ++levels[t.connections];
        }
        int connections = 0;
        for (auto it = levels.cbegin(); it != levels.cend(); ++it) {
            if (connections == 0 || it.value() > levels.value(connections)
                || (it.value() == levels.value(connections) && it.key() == kArticleConnections))
                connections = it.key();
        }
        QList<double> goRps, pythonRps;
        QStringList goIds, pythonIds;
        for (const TargetResult &t : run.targets) {
            if (t.scenario != scenario || t.connections != connections || t.status != TargetStatus::Completed
                || t.requestsPerSecond <= 0)
                continue;
            if (t.language == QLatin1String("Go")) {
                goRps << t.requestsPerSecond;
                goIds << t.targetId;
            } else if (t.language == QLatin1String("Python")) {
                pythonRps << t.requestsPerSecond;
                pythonIds << t.targetId;
            }
        }
        row.targetIds = goIds + pythonIds;
        if (goRps.isEmpty() || pythonRps.isEmpty()) {
            row.measured = absent();
            row.explanation
                = QStringLiteral("Needs at least one Go and one Python server measured in the same "
                                 "scenario at the same number of connections.");
        } else {
            const double measured = geometricMean(goRps) / geometricMean(pythonRps);
            row.measured = valueOf(measured, times(measured));
            row.ratio = (m_goVsPythonLow + m_goVsPythonHigh) / 2.0 / measured;
            const bool holds = measured >= m_goVsPythonLow / kRatioTolerance
                && measured <= m_goVsPythonHigh * kRatioTolerance;
            row.verdict = holds ? ClaimVerdict::Holds : ClaimVerdict::DoesNotHold;
            row.explanation
                = QStringLiteral(
                    "Geometric mean of the Go servers' req/s (%1) over the Python servers' (%2), %3 "
                    "scenario at %4 connections: %5 against the article's %6.%7 %8")
                      .arg(goIds.join(QStringLiteral(", ")), pythonIds.join(QStringLiteral(", ")),
                          scenarioTitle(scenario))
                      .arg(connections)
                      .arg(times(measured), row.claimed.text,
                          hasIo ? QString()
                                : QStringLiteral(
                                    " The article speaks of I/O-heavy work; this run had no io scenario, "
                                    "so the JSON scenario stands in."),
                          holds ? QStringLiteral("Within a factor of %1 of the range: holds on this machine.")
                                      .arg(kRatioTolerance)
                                : QStringLiteral(
                                    "Outside the range by more than a factor of %1: does not hold on "
                                    "this machine.")
                                      .arg(kRatioTolerance));
        }
        rows.append(row);
    }

    // Deployable sizes (the build's footprint, not a container image).
    for (const SizeClaim &size : m_sizes) {
        ClaimRow row;
        row.id = size.id;
        row.title = size.language + QLatin1String(": deployable size");
        row.metric = QStringLiteral("deployable_mb");
        row.quote = size.quote;
        row.claimed = size.lowMB > 0
            ? valueOf(size.lowMB, QStringLiteral("%1–%2 MB").arg(size.lowMB).arg(size.highMB))
            : valueOf(size.highMB, QStringLiteral("under %1 MB").arg(size.highMB));
        row.claimed.high = size.highMB;
        QList<double> sizes;
        for (const TargetResult &t : run.targets) {
            if (t.language == size.language && t.deployableBytes > 0 && !row.targetIds.contains(t.targetId)) {
                sizes << double(t.deployableBytes) / (1024.0 * 1024.0);
                row.targetIds << t.targetId;
            }
        }
        if (sizes.isEmpty()) {
            row.measured = absent();
            row.explanation
                = QStringLiteral("No %1 server with a known deployable size in this run.").arg(size.language);
            rows.append(row);
            continue;
        }
        std::sort(sizes.begin(), sizes.end());
        const double largest = sizes.constLast();
        row.measured = valueOf(largest,
            sizes.size() == 1
                ? grouped(largest) + QLatin1String(" MB")
                : QStringLiteral("%1–%2 MB").arg(grouped(sizes.constFirst()), grouped(largest)));
        row.measured.number = sizes.constFirst();
        row.measured.high = largest;
        row.ratio = size.highMB / largest;
        const bool holds = largest <= size.highMB * kAbsoluteTolerance
            && (size.lowMB <= 0 || sizes.constFirst() >= size.lowMB / kAbsoluteTolerance);
        row.verdict = holds ? ClaimVerdict::Holds : ClaimVerdict::DoesNotHold;
        row.explanation
            = QStringLiteral("What the build produced (%1), a lower bound for a container image, which "
                             "adds a base layer. The article's figure is about images.")
                  .arg(row.targetIds.join(QStringLiteral(", ")));
        rows.append(row);
    }
    return rows;
}

QString ClaimCheck::toText(const QList<ClaimRow> &rows)
{
    int titleWidth = 5, claimedWidth = 7, measuredWidth = 8;
    for (const ClaimRow &row : rows) {
        titleWidth = qMax(titleWidth, int(row.title.size()));
        claimedWidth = qMax(claimedWidth, int(row.claimed.text.size()));
        measuredWidth = qMax(measuredWidth, int(row.measured.text.size()));
    }
    QString text = QStringLiteral("%1  %2  %3  %4\n")
                       .arg(QStringLiteral("Claim"), -titleWidth)
                       .arg(QStringLiteral("Article"), -claimedWidth)
                       .arg(QStringLiteral("Measured"), -measuredWidth)
                       .arg(QStringLiteral("Verdict"));
    for (const ClaimRow &row : rows) {
        text += QStringLiteral("%1  %2  %3  %4\n")
                    .arg(row.title, -titleWidth)
                    .arg(row.claimed.text, -claimedWidth)
                    .arg(row.measured.text, -measuredWidth)
                    .arg(claimVerdictTitle(row.verdict));
    }
    // The ratios are what test the article: say what each means.
    for (const ClaimRow &row : rows) {
        if (row.kind == ClaimKind::Ratio)
            text += QLatin1String("- ") + row.title + QLatin1String(": ") + row.explanation
                + QLatin1Char('\n');
    }
    return text;
}

} // namespace sa::bench
