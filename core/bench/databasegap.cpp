#include "databasegap.h"

#include "format.h"
#include "runanalysis.h"

#include <QCoreApplication>
#include <QMap>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace sa::bench {

namespace {

constexpr int kArticleConnections = 1000;

QString tr(const char *text)
{
    return QCoreApplication::translate("sa::bench::DatabaseGap", text);
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

struct Reader
{
    const RunResult &run;
    const QList<CellAnalysis> &cells;

    bool comparable(int i) const { return i >= 0 && i < cells.size() && cells.at(i).comparable; }

    QList<int> languageCells(const QString &language, Scenario scenario, int connections) const
    {
        QList<int> list;
        for (int i = 0; i < run.targets.size(); ++i) {
            const TargetResult &t = run.targets.at(i);
            if (t.language == language && t.scenario == scenario && t.connections == connections
                && comparable(i) && t.requestsPerSecond > 0)
                list << i;
        }
        return list;
    }

    LanguageRatio ratio(
        const QString &numerator, const QString &denominator, Scenario scenario, int connections) const
    {
        LanguageRatio r;
        r.scenario = scenario;
        r.connections = connections;
        r.numeratorCells = languageCells(numerator, scenario, connections);
        r.denominatorCells = languageCells(denominator, scenario, connections);
        if (r.numeratorCells.isEmpty() || r.denominatorCells.isEmpty())
            return r;
        QList<double> a, b;
        for (int i : std::as_const(r.numeratorCells))
            a << run.targets.at(i).requestsPerSecond;
        for (int i : std::as_const(r.denominatorCells))
            b << run.targets.at(i).requestsPerSecond;
        r.ratio = geometricMean(a) / geometricMean(b);
        return r;
    }
};

// "single query", "20 queries per request", "fortunes": the scenario inside a sentence.
QString scenarioPhrase(Scenario scenario, int queriesN)
{
    switch (scenario) {
    case Scenario::Db:
        return tr("one query per request");
    case Scenario::Queries:
        return tr("%1 queries per request").arg(queriesN);
    case Scenario::Fortunes:
        return tr("fortunes");
    default:
        return scenarioTitle(scenario);
    }
}

} // namespace

double ScenarioGap::remainingLead() const
{
    if (!json.measured() || !database.measured() || json.ratio <= 1.0)
        return 0;
    return (database.ratio - 1.0) / (json.ratio - 1.0);
}

const TargetDatabaseFigures::Entry *TargetDatabaseFigures::entry(Scenario scenario) const
{
    for (const Entry &e : database) {
        if (e.scenario == scenario)
            return &e;
    }
    return nullptr;
}

DatabaseGap DatabaseGap::compute(const RunResult &run, const QList<CellAnalysis> &cells,
    const QString &numeratorLanguage, const QString &denominatorLanguage)
{
    DatabaseGap gap;
    gap.m_numerator = numeratorLanguage;
    gap.m_denominator = denominatorLanguage;
    gap.m_queriesN = run.plan.queriesN;
    const Reader reader { run, cells };

    // Per target and connection level, in run order.
    for (int i = 0; i < run.targets.size(); ++i) {
        const TargetResult &t = run.targets.at(i);
        if (!isDatabaseScenario(t.scenario) || !reader.comparable(i))
            continue;
        auto figures
            = std::find_if(gap.m_targets.begin(), gap.m_targets.end(), [&](const TargetDatabaseFigures &f) {
                  return f.targetId == t.targetId && f.connections == t.connections;
              });
        if (figures == gap.m_targets.end()) {
            TargetDatabaseFigures f;
            f.targetId = t.targetId;
            f.name = t.displayName.isEmpty() ? t.targetId : t.displayName;
            f.language = t.language;
            f.connections = t.connections;
            for (int j = 0; j < run.targets.size(); ++j) {
                const TargetResult &json = run.targets.at(j);
                if (json.targetId == t.targetId && json.scenario == Scenario::Json
                    && json.connections == t.connections && reader.comparable(j)) {
                    f.jsonCell = j;
                    f.jsonRequestsPerSecond = json.requestsPerSecond;
                    break;
                }
            }
            gap.m_targets << f;
            figures = std::prev(gap.m_targets.end());
        }
        TargetDatabaseFigures::Entry entry;
        entry.scenario = t.scenario;
        entry.cell = i;
        entry.requestsPerSecond = t.requestsPerSecond;
        entry.p99Us = t.latency.p99Us;
        entry.shareOfJson
            = figures->jsonRequestsPerSecond > 0 ? t.requestsPerSecond / figures->jsonRequestsPerSecond : 0;
        if (!figures->entry(t.scenario))
            figures->database << entry;
    }
    const QList<Scenario> &order = allScenarios();
    for (TargetDatabaseFigures &f : gap.m_targets) {
        std::sort(f.database.begin(), f.database.end(), [&](const auto &a, const auto &b) {
            return order.indexOf(a.scenario) < order.indexOf(b.scenario);
        });
    }

    // Per database scenario: the connection level where both languages were
    // measured in it, preferring one where the JSON baseline was too, then the
    // most cells; the article's 1,000 wins a tie.
    for (Scenario scenario : order) {
        if (!isDatabaseScenario(scenario))
            continue;
        QMap<int, int> levels;
        for (int i = 0; i < run.targets.size(); ++i) {
            if (run.targets.at(i).scenario == scenario && reader.comparable(i))
                ++levels[run.targets.at(i).connections];
        }
        if (levels.isEmpty())
            continue;
        ScenarioGap best;
        int bestScore = -1;
        for (auto it = levels.cbegin(); it != levels.cend(); ++it) {
            ScenarioGap candidate;
            candidate.database = reader.ratio(numeratorLanguage, denominatorLanguage, scenario, it.key());
            candidate.json = reader.ratio(numeratorLanguage, denominatorLanguage, Scenario::Json, it.key());
            const int score = (candidate.database.measured() ? 2000000 : 0)
                + (candidate.json.measured() ? 1000000 : 0)
                + int(candidate.database.numeratorCells.size() + candidate.database.denominatorCells.size())
                    * 2
                + (it.key() == kArticleConnections ? 1 : 0);
            if (score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        gap.m_scenarios << best;
    }
    return gap;
}

const ScenarioGap *DatabaseGap::scenario(Scenario scenario) const
{
    for (const ScenarioGap &gap : m_scenarios) {
        if (gap.database.scenario == scenario)
            return &gap;
    }
    return nullptr;
}

QList<const ScenarioGap *> DatabaseGap::measuredScenarios() const
{
    QList<const ScenarioGap *> list;
    for (const ScenarioGap &gap : m_scenarios) {
        if (gap.database.measured() && gap.json.measured())
            list << &gap;
    }
    return list;
}

QString DatabaseGap::summary() const
{
    const QList<const ScenarioGap *> measured = measuredScenarios();
    if (measured.isEmpty())
        return {};
    bool oneLevel = true;
    for (const ScenarioGap *gap : measured)
        oneLevel = oneLevel && gap->database.connections == measured.constFirst()->database.connections;
    QStringList ratios, remaining;
    for (const ScenarioGap *gap : measured) {
        const QString where = scenarioPhrase(gap->database.scenario, m_queriesN);
        ratios << (oneLevel ? tr("%1 with %2").arg(fmt::times(gap->database.ratio), where)
                            : tr("%1 with %2 (JSON %3 at %4 connections)")
                                  .arg(fmt::times(gap->database.ratio), where, fmt::times(gap->json.ratio),
                                      fmt::number(gap->database.connections)));
        if (gap->json.ratio > 1.0) {
            const double left = gap->remainingLead();
            remaining << (left < 0 ? tr("%1 is ahead with %2").arg(m_denominator, where)
                                   : tr("%1 % of it remains with %2").arg(fmt::percent(left, 0), where));
        }
    }
    const ScenarioGap *first = measured.constFirst();
    QString text = oneLevel
        ? tr("With PostgreSQL in the loop, %1 served %2 %3's requests per second; for the in-process JSON "
             "API of the same run, at the same %4 connections, %5.")
              .arg(m_numerator, ratios.join(u", "_s), m_denominator, fmt::number(first->database.connections),
                  fmt::times(first->json.ratio))
        : tr("With PostgreSQL in the loop, %1 served %2 %3's requests per second.")
              .arg(m_numerator, ratios.join(u", "_s), m_denominator);
    if (!remaining.isEmpty())
        text += u' ' + tr("Of %1's JSON lead, %2.").arg(m_numerator, remaining.join(u"; "_s));
    else
        text += u' ' + tr("%1 had no lead over %2 for JSON to keep.").arg(m_numerator, m_denominator);
    return text;
}

DatabaseGapTable DatabaseGap::table(bool byId) const
{
    DatabaseGapTable t;
    QList<Scenario> scenarios;
    for (const ScenarioGap &gap : m_scenarios)
        scenarios << gap.database.scenario;
    t.header << (byId ? tr("Id") : tr("Target")) << tr("Conns") << tr("JSON req/s");
    t.numericColumns << 1 << 2;
    for (Scenario scenario : std::as_const(scenarios)) {
        t.numericColumns << int(t.header.size()) << int(t.header.size() + 1);
        t.header << tr("%1 req/s").arg(scenarioTitle(scenario)) << tr("of JSON");
    }
    for (const TargetDatabaseFigures &f : m_targets) {
        QStringList row { byId ? f.targetId : f.name, fmt::number(f.connections),
            f.jsonCell >= 0 ? fmt::number(f.jsonRequestsPerSecond) : fmt::none() };
        QList<QVariant> raw { byId ? f.targetId : f.name, f.connections,
            f.jsonCell >= 0 ? QVariant(f.jsonRequestsPerSecond) : QVariant() };
        for (Scenario scenario : std::as_const(scenarios)) {
            const TargetDatabaseFigures::Entry *e = f.entry(scenario);
            row << (e ? fmt::number(e->requestsPerSecond) : fmt::none())
                << (e && e->shareOfJson > 0 ? fmt::percent(e->shareOfJson, 0) + u" %"_s : fmt::none());
            raw << (e ? QVariant(e->requestsPerSecond) : QVariant())
                << (e && e->shareOfJson > 0 ? QVariant(e->shareOfJson) : QVariant());
        }
        t.rows << row;
        t.raw << raw;
        t.rowTargetIds << f.targetId;
    }
    return t;
}

QString DatabaseGap::toText() const
{
    if (isEmpty())
        return {};
    const DatabaseGapTable t = table(true);
    QList<QStringList> rows { t.header };
    rows += t.rows;
    QList<int> widths(t.header.size(), 0);
    for (const QStringList &row : std::as_const(rows)) {
        for (qsizetype i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], int(row.at(i).size()));
    }
    QString text;
    for (const QStringList &row : std::as_const(rows)) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i) {
            line += t.numericColumns.contains(int(i)) ? row.at(i).rightJustified(widths[i])
                                                      : row.at(i).leftJustified(widths[i]);
            if (i + 1 < row.size())
                line += u"  "_s;
        }
        text += line.trimmed() + u'\n';
    }
    const QString words = summary();
    if (!words.isEmpty())
        text += words + u'\n';
    return text;
}

} // namespace sa::bench
