#include "locust.h"

#include "format.h"
#include "servercatalog.h"

#include "platform/atomicfile.h"
#include "platform/paths.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

namespace sa::bench::locust {

namespace {

const QString kPlanFile = QStringLiteral("stackadvisor-locust.json");
const QString kRunInfoFile = QStringLiteral("stackadvisor-run-info.json");
const QString kPlanSchema = QStringLiteral("stackadvisor-locust-plan");
constexpr int kPlanSchemaVersion = 1;
// How long after its window a cell's Locust run may go on before --run-time ends
// it: the master waits one worker report (3 s) after the window, plus start-up.
constexpr int kRunTimeMarginSeconds = 15;

// One row of `world` as /db and /queries answer it (servers/CONTRACT.md).
constexpr const char *kRowPattern = R"(\{"id":\d+,"randomNumber":\d+\})";

// The prime count of servers/CONTRACT.md, so the export knows /cpu's answer.
qint64 primesBelow(int n)
{
    if (n < 3)
        return 0;
    std::vector<bool> composite(size_t(n), false);
    qint64 count = 0;
    for (qint64 k = 2; k < n; ++k) {
        if (composite[size_t(k)])
            continue;
        ++count;
        for (qint64 m = k * k; m < n; m += k)
            composite[size_t(m)] = true;
    }
    return count;
}

QString locustVersion(const QByteArray &requirements)
{
    static const QRegularExpression pin(
        QStringLiteral("^locust==(\\S+)"), QRegularExpression::MultilineOption);
    return pin.match(QString::fromUtf8(requirements)).captured(1);
}

bool readResource(const QString &name, QByteArray *content, QString *error)
{
    QFile file(Paths::resourceFile(QStringLiteral("locust/") + name));
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1 (%2): the installation is incomplete, reinstall the app")
                     .arg(file.fileName(), file.errorString());
        return false;
    }
    *content = file.readAll();
    return true;
}

QString seconds(double value)
{
    return QString::number(value, 'g', 6);
}

// Locust starts its users at -r per second: all of them within half the warm-up
// (a second at most), or within 0.1 s when there is none, so that the ramp does
// not thin the measured window.
int spawnRate(int users, double warmupSeconds)
{
    const double rampSeconds = warmupSeconds > 0 ? std::min(1.0, warmupSeconds / 2) : 0.1;
    return std::max(1, int(std::ceil(users / rampSeconds)));
}

QString readme(const QJsonObject &plan, const QList<QJsonObject> &cells, const BenchmarkPlan &bench)
{
    const int runTime = int(std::ceil(bench.warmupSeconds + bench.durationSeconds)) + kRunTimeMarginSeconds;
    const QString loop = bench.openLoopRate > 0
        ? QStringLiteral("open loop at %1 requests/s in all (each user paced to its share by Locust's "
                         "`constant_throughput`)")
              .arg(fmt::number(bench.openLoopRate))
        : QStringLiteral("closed loop (each user sends its next request when the last one is answered)");
    QString text;
    text += QStringLiteral("# A Stack Advisor plan for Locust\n\n");
    text += QStringLiteral(
        "Exported by Stack Advisor %1 on %2. %3 cell(s); each cell is one Locust run: %4 s of warm-up "
        "(not counted), then a %5 s measured window, %6, a %7 s timeout per request. Locust %8 is the "
        "version the figures are read back for.\n\n")
                .arg(plan.value(QLatin1String("exportedBy")).toString(),
                    plan.value(QLatin1String("exportedAt")).toString())
                .arg(cells.size())
                .arg(seconds(bench.warmupSeconds), seconds(bench.durationSeconds), loop,
                    seconds(bench.timeoutSeconds), plan.value(QLatin1String("locustVersion")).toString());
    text += QStringLiteral(
        "## 1. Install Locust on every load host\n\n"
        "    python3 -m venv venv && venv/bin/pip install -r requirements.txt\n\n"
        "(On a machine with Stack Advisor, `stackadvisor servers setup --locust` makes the same venv.)\n"
        "Copy this whole folder to every load host: the locustfile reads the plan beside it.\n\n"
        "## 2. Start each server on its host\n\n"
        "    stackadvisor servers serve ID --listen 0.0.0.0:8080 --allow-remote\n\n"
        "prints the address it serves and a second one with the server's memory and CPU. Without\n"
        "`--allow-remote` it listens on loopback only. TARGET below is the server's address as the\n"
        "load hosts reach it, e.g. `TARGET=http://192.0.2.10:8080`.\n\n"
        "## 3. Run each cell\n\n"
        "On one host, a master and one worker per core (`--processes -1`):\n\n");
    const auto common = [&](const QJsonObject &cell) {
        const QString id = cell.value(QLatin1String("id")).toString();
        const int users = cell.value(QLatin1String("connections")).toInt();
        return QStringLiteral("--headless --host \"$TARGET\" -u %1 -r %4 -t %2s --sa-cell %3 "
                              "--csv results/%3/locust --csv-full-history --json-file results/%3/locust "
                              "--only-summary")
            .arg(users)
            .arg(runTime)
            .arg(id)
            .arg(spawnRate(users, bench.warmupSeconds));
    };
    for (const QJsonObject &cell : cells)
        text += QStringLiteral("    venv/bin/locust -f locustfile.py --processes -1 %1\n").arg(common(cell));
    text += QStringLiteral(
        "\nWith a master and N workers on other hosts, on the master (MASTER is its address):\n\n");
    for (const QJsonObject &cell : cells)
        text += QStringLiteral("    venv/bin/locust -f locustfile.py --master --master-bind-host 0.0.0.0 "
                               "--expect-workers N --expect-workers-max-wait 60 %1\n")
                    .arg(common(cell));
    text += QStringLiteral(
        "\nand on each worker host, before or after the master starts:\n\n"
        "    venv/bin/locust -f locustfile.py --worker --master-host MASTER\n\n"
        "The run stops itself when the window ends (the master then waits 4 s for the workers' last\n"
        "reports); `-t` is only a bound.\n\n"
        "## 4. The expected-results check\n\n"
        "Before the load, the master requests each cell's path once and compares the answer with the\n"
        "one servers/CONTRACT.md specifies (status 200, its Content-Type, its exact body). If it differs,\n"
        "nothing is measured and Locust exits with status 3, saying what came back. During the load a\n"
        "response counts as a failure unless its status is 200 and its body has the expected length.\n\n"
        "## 5. Read the results back\n\n"
        "Bring the `results/` folder back into this folder, then:\n\n"
        "    stackadvisor bench --import-locust THIS-FOLDER\n\n"
        "The run joins the history marked \"engine: Locust, N workers\"; the app, the claims check and\n"
        "the PDF read it like any run, and say where its figures differ from the app's own load\n"
        "generator's (percentiles above 100 ms are rounded by Locust; no coordinated-omission correction;\n"
        "memory and CPU only where `servers serve` measured them).\n");
    return text;
}

// ---- reading Locust's output -------------------------------------------------

struct Failure
{
    QString message;
    qint64 occurrences = 0;
};

// One Locust statistics entry (or the sum of several): what a cell is made of.
struct Stats
{
    QString name; // the request's name: our locustfile names it by its path
    qint64 requests = 0; // answered and failed
    qint64 failures = 0;
    double totalResponseMs = 0;
    double minMs = 0, maxMs = 0;
    qint64 contentBytes = 0;
    double startTime = 0, lastRequestTime = 0; // Unix seconds
    std::map<double, qint64> histogram; // rounded response time (ms) -> count
    std::map<qint64, qint64> perSecond; // Unix second -> requests
    // From the CSV (no histogram there): Locust's own percentiles, in ms.
    std::map<double, double> csvPercentiles;
    double csvRequestsPerSecond = 0;
    QList<Failure> failureList;
    std::map<qint64, IntervalSample> history; // Unix second -> Locust's row for it (_stats_history.csv)
    int maxUsers = 0;
};

QString where(const QString &file, qsizetype line = -1)
{
    return line >= 0 ? QStringLiteral("%1:%2: ").arg(file).arg(line) : file + QStringLiteral(": ");
}

// RFC 4180 fields of one line (Locust quotes a field that holds a comma or a quote).
std::optional<QStringList> csvFields(const QString &line)
{
    QStringList fields;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < line.size() && line.at(i + 1) == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"' && field.isEmpty()) {
            quoted = true;
        } else if (c == u',') {
            fields << field;
            field.clear();
        } else {
            field += c;
        }
    }
    if (quoted)
        return std::nullopt;
    fields << field;
    return fields;
}

struct CsvTable
{
    QStringList header;
    QList<QPair<qsizetype, QStringList>> rows; // line number, fields
};

std::optional<CsvTable> readCsv(const QString &path, const QStringList &requiredColumns, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = where(path) + QStringLiteral("cannot read it (%1)").arg(file.errorString());
        return std::nullopt;
    }
    const QByteArray content = file.readAll();
    if (!content.endsWith('\n')) {
        *error = where(path)
            + QStringLiteral("the file does not end with a line break: it is truncated (was the run still "
                             "going when it was copied?)");
        return std::nullopt;
    }
    const QStringList lines = QString::fromUtf8(content).split(u'\n');
    CsvTable table;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString line = lines.at(i);
        if (line.endsWith(u'\r'))
            line.chop(1);
        if (line.isEmpty() && i == lines.size() - 1)
            break;
        const auto fields = csvFields(line);
        if (!fields) {
            *error = where(path, i + 1) + QStringLiteral("a quoted field is not closed");
            return std::nullopt;
        }
        if (i == 0) {
            table.header = *fields;
            for (const QString &column : requiredColumns) {
                if (!table.header.contains(column)) {
                    *error = where(path, 1)
                        + QStringLiteral("no '%1' column: not the Locust CSV expected here (columns: %2)")
                              .arg(column, table.header.join(QStringLiteral(", ")).left(200));
                    return std::nullopt;
                }
            }
            continue;
        }
        if (fields->size() != table.header.size()) {
            *error = where(path, i + 1)
                + QStringLiteral("%1 fields where the header has %2: the file is damaged or truncated")
                      .arg(fields->size())
                      .arg(table.header.size());
            return std::nullopt;
        }
        table.rows.append({ i + 1, *fields });
    }
    if (table.header.isEmpty()) {
        *error = where(path) + QStringLiteral("the file is empty");
        return std::nullopt;
    }
    return table;
}

// A number of a CSV cell; "N/A" (Locust's "no request yet") reads as 0.
std::optional<double> csvNumber(const CsvTable &table, const QStringList &row, const QString &column)
{
    const QString text = row.at(table.header.indexOf(column)).trimmed();
    if (text == QLatin1String("N/A"))
        return 0.0;
    bool ok = false;
    const double value = text.toDouble(&ok);
    return ok && std::isfinite(value) && value >= 0 ? std::optional<double>(value) : std::nullopt;
}

const QStringList kPercentileColumns { QStringLiteral("50%"), QStringLiteral("75%"), QStringLiteral("90%"),
    QStringLiteral("99%"), QStringLiteral("99.9%"), QStringLiteral("99.99%"), QStringLiteral("100%") };

bool readStatsCsv(const QString &path, Stats *stats, QString *error)
{
    const QStringList required { QStringLiteral("Type"), QStringLiteral("Name"),
        QStringLiteral("Request Count"), QStringLiteral("Failure Count"),
        QStringLiteral("Average Response Time"), QStringLiteral("Min Response Time"),
        QStringLiteral("Max Response Time"), QStringLiteral("Average Content Size"),
        QStringLiteral("Requests/s") };
    const auto table = readCsv(path, required + kPercentileColumns, error);
    if (!table)
        return false;
    QStringList names;
    bool aggregated = false;
    for (const auto &[line, row] : table->rows) {
        const QString name = row.at(table->header.indexOf(QStringLiteral("Name")));
        QStringList numeric = required.mid(2) + kPercentileColumns;
        std::map<QString, double> values;
        for (const QString &column : numeric) {
            const auto value = csvNumber(*table, row, column);
            if (!value) {
                *error = where(path, line)
                    + QStringLiteral("'%1' is not a number in column '%2'")
                          .arg(row.at(table->header.indexOf(column)), column);
                return false;
            }
            values[column] = *value;
        }
        if (name != QLatin1String("Aggregated")) {
            names << name;
            continue;
        }
        aggregated = true;
        stats->requests = qint64(values[QStringLiteral("Request Count")]);
        stats->failures = qint64(values[QStringLiteral("Failure Count")]);
        stats->totalResponseMs = values[QStringLiteral("Average Response Time")] * double(stats->requests);
        stats->minMs = values[QStringLiteral("Min Response Time")];
        stats->maxMs = values[QStringLiteral("Max Response Time")];
        stats->contentBytes
            = qint64(std::llround(values[QStringLiteral("Average Content Size")] * double(stats->requests)));
        stats->csvRequestsPerSecond = values[QStringLiteral("Requests/s")];
        for (const QString &column : kPercentileColumns)
            stats->csvPercentiles[column.chopped(1).toDouble() / 100.0] = values[column];
    }
    if (!aggregated) {
        *error = where(path)
            + QStringLiteral("no 'Aggregated' row: the file is truncated (Locust writes that row last)");
        return false;
    }
    stats->name = names.join(QStringLiteral(", "));
    return true;
}

bool readFailuresCsv(const QString &path, Stats *stats, QString *error)
{
    const auto table = readCsv(
        path, { QStringLiteral("Name"), QStringLiteral("Error"), QStringLiteral("Occurrences") }, error);
    if (!table)
        return false;
    for (const auto &[line, row] : table->rows) {
        const auto count = csvNumber(*table, row, QStringLiteral("Occurrences"));
        if (!count) {
            *error = where(path, line) + QStringLiteral("'Occurrences' is not a whole number");
            return false;
        }
        stats->failureList.append({ row.at(table->header.indexOf(QStringLiteral("Error"))), qint64(*count) });
    }
    return true;
}

bool readHistoryCsv(const QString &path, Stats *stats, QString *error)
{
    const QStringList required { QStringLiteral("Timestamp"), QStringLiteral("User Count"),
        QStringLiteral("Name"), QStringLiteral("Requests/s"), QStringLiteral("Failures/s"),
        QStringLiteral("50%"), QStringLiteral("90%"), QStringLiteral("99%"), QStringLiteral("100%") };
    const auto table = readCsv(path, required, error);
    if (!table)
        return false;
    for (const auto &[line, row] : table->rows) {
        if (row.at(table->header.indexOf(QStringLiteral("Name"))) != QLatin1String("Aggregated"))
            continue;
        std::map<QString, double> values;
        for (const QString &column : required) {
            if (column == QLatin1String("Name"))
                continue;
            const auto value = csvNumber(*table, row, column);
            if (!value) {
                *error = where(path, line) + QStringLiteral("'%1' is not a number").arg(column);
                return false;
            }
            values[column] = *value;
        }
        stats->maxUsers = std::max(stats->maxUsers, int(values[QStringLiteral("User Count")]));
        IntervalSample sample;
        sample.requestsPerSecond = values[QStringLiteral("Requests/s")];
        sample.requests = qint64(std::llround(sample.requestsPerSecond));
        sample.errors.status = qint64(std::llround(values[QStringLiteral("Failures/s")]));
        sample.p50Us = values[QStringLiteral("50%")] * 1000.0;
        sample.p90Us = values[QStringLiteral("90%")] * 1000.0;
        sample.p99Us = values[QStringLiteral("99%")] * 1000.0;
        sample.maxUs = values[QStringLiteral("100%")] * 1000.0;
        stats->history[qint64(values[QStringLiteral("Timestamp")])] = sample;
    }
    return true;
}

std::optional<double> jsonNumber(const QJsonObject &o, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isDouble() && std::isfinite(v.toDouble()) && v.toDouble() >= 0
        ? std::optional<double>(v.toDouble())
        : std::nullopt;
}

bool readStatsJson(const QString &path, Stats *stats, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = where(path) + QStringLiteral("cannot read it (%1)").arg(file.errorString());
        return false;
    }
    QJsonParseError parse;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parse);
    if (parse.error != QJsonParseError::NoError) {
        *error = where(path)
            + QStringLiteral("not valid JSON at byte %1 (%2): truncated or damaged")
                  .arg(parse.offset)
                  .arg(parse.errorString());
        return false;
    }
    if (!document.isArray() || document.array().isEmpty()) {
        *error = where(path)
            + QStringLiteral("not Locust's --json-file output: expected a list of request statistics");
        return false;
    }
    QStringList names;
    const QJsonArray entries = document.array();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QJsonObject e = entries.at(i).toObject();
        const QString at = QStringLiteral("entry %1: ").arg(i);
        const auto requests = jsonNumber(e, "num_requests"), failures = jsonNumber(e, "num_failures"),
                   total = jsonNumber(e, "total_response_time"), start = jsonNumber(e, "start_time"),
                   last = jsonNumber(e, "last_request_timestamp"),
                   content = jsonNumber(e, "total_content_length");
        if (!requests || !failures || !total || !start || !content) {
            *error = where(path) + at
                + QStringLiteral("num_requests, num_failures, total_response_time, start_time and "
                                 "total_content_length must be numbers");
            return false;
        }
        if (!e.value(QLatin1String("response_times")).isObject()
            || !e.value(QLatin1String("num_reqs_per_sec")).isObject()) {
            *error = where(path) + at + QStringLiteral("response_times and num_reqs_per_sec must be objects");
            return false;
        }
        names << e.value(QLatin1String("name")).toString();
        const bool firstEntry = stats->requests == 0 && stats->startTime == 0;
        stats->requests += qint64(*requests);
        stats->failures += qint64(*failures);
        stats->totalResponseMs += *total;
        stats->contentBytes += qint64(*content);
        stats->startTime = firstEntry ? *start : std::min(stats->startTime, *start);
        stats->lastRequestTime = std::max(stats->lastRequestTime, last.value_or(0));
        const double minMs = jsonNumber(e, "min_response_time").value_or(0);
        stats->minMs = firstEntry ? minMs : std::min(stats->minMs, minMs);
        stats->maxMs = std::max(stats->maxMs, jsonNumber(e, "max_response_time").value_or(0));
        const QJsonObject times = e.value(QLatin1String("response_times")).toObject();
        for (auto it = times.begin(); it != times.end(); ++it) {
            bool ok = false;
            const double ms = it.key().toDouble(&ok);
            if (!ok || !it.value().isDouble() || it.value().toDouble() < 0) {
                *error = where(path) + at
                    + QStringLiteral("response_times has '%1': %2, not a time and a count")
                          .arg(it.key(), it.value().toVariant().toString());
                return false;
            }
            stats->histogram[ms] += qint64(it.value().toDouble());
        }
        const QJsonObject perSecond = e.value(QLatin1String("num_reqs_per_sec")).toObject();
        for (auto it = perSecond.begin(); it != perSecond.end(); ++it) {
            bool ok = false;
            const qint64 second = it.key().toLongLong(&ok);
            if (!ok || !it.value().isDouble()) {
                *error = where(path) + at
                    + QStringLiteral("num_reqs_per_sec has '%1', not a second").arg(it.key());
                return false;
            }
            stats->perSecond[second] += qint64(it.value().toDouble());
        }
    }
    stats->name = names.join(QStringLiteral(", "));
    return true;
}

double histogramPercentile(const std::map<double, qint64> &histogram, qint64 total, double p)
{
    if (total <= 0 || histogram.empty())
        return 0;
    const qint64 rank = std::max<qint64>(1, qint64(std::ceil(p * double(total))));
    qint64 seen = 0;
    for (const auto &[ms, count] : histogram) {
        seen += count;
        if (seen >= rank)
            return ms;
    }
    return histogram.rbegin()->first;
}

LatencySummary latencyOf(const Stats &stats)
{
    LatencySummary l;
    const auto us = [](double ms) { return ms * 1000.0; };
    l.minUs = us(stats.minMs);
    l.maxUs = us(stats.maxMs);
    l.meanUs = stats.requests > 0 ? us(stats.totalResponseMs / double(stats.requests)) : 0;
    const auto percentile = [&](double p) {
        if (!stats.histogram.empty())
            return us(histogramPercentile(stats.histogram, stats.requests, p));
        const auto it = stats.csvPercentiles.find(p);
        return it != stats.csvPercentiles.end() ? us(it->second) : 0.0;
    };
    l.p50Us = percentile(0.5);
    l.p75Us = percentile(0.75);
    l.p90Us = percentile(0.9);
    l.p99Us = percentile(0.99);
    l.p999Us = percentile(0.999);
    l.p9999Us = percentile(0.9999);
    if (!stats.histogram.empty() && stats.requests > 1) {
        double sum = 0;
        qint64 n = 0;
        for (const auto &[ms, count] : stats.histogram) {
            sum += double(count) * (us(ms) - l.meanUs) * (us(ms) - l.meanUs);
            n += count;
        }
        l.stdevUs = n > 1 ? std::sqrt(sum / double(n - 1)) : 0;
    }
    return l;
}

// Locust's failure messages, sorted into the app's error kinds.
ErrorCounts errorsOf(const Stats &stats)
{
    ErrorCounts errors;
    qint64 classified = 0;
    for (const Failure &f : stats.failureList) {
        const QString m = f.message.toLower();
        if (m.contains(QLatin1String("timeout")) || m.contains(QLatin1String("timed out")))
            errors.timeout += f.occurrences;
        else if (m.contains(QLatin1String("refused")) || m.contains(QLatin1String("connecterror"))
            || m.contains(QLatin1String("name or service")))
            errors.connect += f.occurrences;
        else if (m.contains(QLatin1String("reset")) || m.contains(QLatin1String("broken pipe"))
            || m.contains(QLatin1String("remotedisconnected"))
            || m.contains(QLatin1String("connection closed")))
            errors.read += f.occurrences;
        else if (m.contains(QLatin1String("status")))
            errors.status += f.occurrences;
        else
            errors.parse += f.occurrences; // a body of the wrong length, an unreadable answer
        classified += f.occurrences;
    }
    // Failures the failures file does not list (none read, or a foreign run):
    // counted as answers that were not the expected ones.
    if (stats.failures > classified)
        errors.status += stats.failures - classified;
    return errors;
}

// One sample per whole second of the window: the counts of Locust's JSON, or
// (from a CSV alone) the rate of its history file; the history's percentiles are
// those of a sliding window Locust keeps, not of the second alone.
QList<IntervalSample> timelineOf(const Stats &stats, double windowStart)
{
    const double start = windowStart > 0 ? windowStart : stats.startTime;
    const double end = stats.lastRequestTime;
    QList<IntervalSample> timeline;
    const auto inWindow
        = [&](qint64 second) { return double(second) >= start && (end <= 0 || double(second + 1) <= end); };
    if (!stats.perSecond.empty()) {
        for (const auto &[second, count] : stats.perSecond) {
            if (!inWindow(second))
                continue;
            IntervalSample sample;
            if (const auto h = stats.history.find(second + 1); h != stats.history.end())
                sample = h->second;
            sample.tSeconds = double(second + 1) - start;
            sample.requests = count;
            sample.requestsPerSecond = double(count);
            timeline << sample;
        }
        return timeline;
    }
    for (const auto &[second, row] : stats.history) {
        if (start > 0 && double(second) < start + 1)
            continue;
        IntervalSample sample = row;
        sample.tSeconds = start > 0 ? double(second) - start : double(timeline.size() + 1);
        timeline << sample;
    }
    return timeline;
}

std::optional<Scenario> scenarioOfPath(const QString &path)
{
    static const QRegularExpression pattern(
        QStringLiteral("^/(json|plaintext|io\\?ms=\\d+|cpu\\?n=\\d+|db|queries\\?n=\\d+|fortunes)$"));
    const QRegularExpressionMatch m = pattern.match(path);
    if (!m.hasMatch())
        return std::nullopt;
    return scenarioFromId(m.captured(1).section(u'?', 0, 0));
}

struct CellSource
{
    QJsonObject planCell; // empty for a foreign Locust output
    QString jsonPath, csvPath; // one of them
    QJsonObject runInfo; // empty when the run did not write one
};

std::optional<QJsonObject> readJsonObject(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = where(path) + QStringLiteral("cannot read it (%1)").arg(file.errorString());
        return std::nullopt;
    }
    QJsonParseError parse;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parse);
    if (parse.error != QJsonParseError::NoError || !document.isObject()) {
        *error = where(path)
            + (parse.error != QJsonParseError::NoError ? QStringLiteral("not valid JSON at byte %1 (%2)")
                                                             .arg(parse.offset)
                                                             .arg(parse.errorString())
                                                       : QStringLiteral("expected a JSON object"));
        return std::nullopt;
    }
    return document.object();
}

// The results of one Locust run in a folder: the JSON when there is one (it is
// written after the last report; the CSV may be a second behind), else the CSV.
void findOutputs(const QString &folder, CellSource *source)
{
    const QDir dir(folder);
    const QStringList json = dir.entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
    for (const QString &name : json) {
        if (name != kRunInfoFile && name != kPlanFile) {
            source->jsonPath = dir.filePath(name);
            break;
        }
    }
    const QStringList csv = dir.entryList({ QStringLiteral("*_stats.csv") }, QDir::Files, QDir::Name);
    if (!csv.isEmpty())
        source->csvPath = dir.filePath(csv.constFirst());
}

bool readCell(const CellSource &source, const BenchmarkPlan &plan, TargetResult *t, QString *error)
{
    const double windowStart = source.runInfo.value(QLatin1String("windowStartedAt")).toDouble();
    Stats stats;
    const QString stem
        = !source.csvPath.isEmpty() ? source.csvPath.chopped(int(qstrlen("_stats.csv"))) : QString();
    if (!source.jsonPath.isEmpty()) {
        if (!readStatsJson(source.jsonPath, &stats, error))
            return false;
    } else if (!readStatsCsv(source.csvPath, &stats, error)) {
        return false;
    }
    if (!stem.isEmpty()) {
        if (QFileInfo::exists(stem + QStringLiteral("_failures.csv"))
            && !readFailuresCsv(stem + QStringLiteral("_failures.csv"), &stats, error))
            return false;
        if (QFileInfo::exists(stem + QStringLiteral("_stats_history.csv"))
            && !readHistoryCsv(stem + QStringLiteral("_stats_history.csv"), &stats, error))
            return false;
    }
    const QString file = !source.jsonPath.isEmpty() ? source.jsonPath : source.csvPath;

    const QJsonObject &cell = source.planCell;
    if (!cell.isEmpty()) {
        t->targetId = cell.value(QLatin1String("targetId")).toString();
        t->displayName = cell.value(QLatin1String("name")).toString();
        t->language = cell.value(QLatin1String("language")).toString();
        t->framework = cell.value(QLatin1String("framework")).toString();
        t->frameworkVersion = cell.value(QLatin1String("frameworkVersion")).toString();
        t->color = cell.value(QLatin1String("color")).toString();
        t->scenario
            = scenarioFromId(cell.value(QLatin1String("scenario")).toString()).value_or(Scenario::Json);
        t->connections = cell.value(QLatin1String("connections")).toInt();
    } else {
        const auto scenario = scenarioOfPath(stats.name);
        if (!scenario) {
            *error = where(file)
                + QStringLiteral("requests to '%1' are not one of the app's scenarios (/json, /plaintext, "
                                 "/io?ms=N, /cpu?n=N, /db, /queries?n=N, /fortunes): run the plan that "
                                 "`stackadvisor bench --export-locust` writes")
                      .arg(stats.name);
            return false;
        }
        t->targetId = QStringLiteral("locust");
        t->displayName = QFileInfo(file).completeBaseName();
        t->scenario = *scenario;
        t->connections = source.runInfo.value(QLatin1String("users")).toInt(stats.maxUsers);
    }
    t->loadThreads = source.runInfo.value(QLatin1String("processes")).toInt();
    t->requests = stats.requests - stats.failures;
    t->errors = errorsOf(stats);
    t->bytesRead = stats.contentBytes;
    t->latency = latencyOf(stats);
    // The window the exported locustfile kept, on the master's clock; else Locust's
    // own reading: from the statistics' start to the last request.
    const double windowEnd = source.runInfo.value(QLatin1String("windowEndedAt")).toDouble();
    t->durationSeconds = windowStart > 0 && windowEnd > windowStart ? windowEnd - windowStart
        : stats.lastRequestTime > stats.startTime
        ? stats.lastRequestTime - stats.startTime
        : (stats.csvRequestsPerSecond > 0 ? double(stats.requests) / stats.csvRequestsPerSecond
                                          : plan.durationSeconds);
    t->requestsPerSecond = t->durationSeconds > 0 ? double(t->requests) / t->durationSeconds : 0;
    t->timeline = timelineOf(stats, windowStart);
    t->memory.idleCgroupBytes = t->memory.meanCgroupBytes = t->memory.peakCgroupBytes = -1;
    if (source.runInfo.isEmpty())
        t->warnings << QStringLiteral(
            "Locust's output without the exported locustfile's record: the warm-up may be inside the figures "
            "and the answers were not checked");
    if (t->requests > 0) {
        t->status = TargetStatus::Completed;
    } else {
        t->status = TargetStatus::Failed;
        t->failureReason = stats.failures > 0
            ? QStringLiteral("every one of Locust's %1 requests failed").arg(stats.failures)
            : QStringLiteral("Locust recorded no request in the window");
    }
    return true;
}

bool readPlan(
    const QJsonObject &o, const QString &path, BenchmarkPlan *plan, QList<QJsonObject> *cells, QString *error)
{
    if (o.value(QLatin1String("schema")).toString() != kPlanSchema
        || o.value(QLatin1String("schemaVersion")).toInt() != kPlanSchemaVersion) {
        *error = where(path)
            + QStringLiteral("not a plan this version reads: 'schema' must be \"%1\" and 'schemaVersion' %2")
                  .arg(kPlanSchema)
                  .arg(kPlanSchemaVersion);
        return false;
    }
    plan->targetIds.clear();
    plan->scenarios.clear();
    plan->connectionLevels.clear();
    plan->warmupSeconds = o.value(QLatin1String("warmupSeconds")).toDouble();
    plan->durationSeconds = o.value(QLatin1String("durationSeconds")).toDouble();
    plan->openLoopRate = o.value(QLatin1String("openLoopRate")).toDouble();
    plan->timeoutSeconds = o.value(QLatin1String("timeoutSeconds")).toDouble();
    plan->ioMilliseconds = o.value(QLatin1String("ioMilliseconds")).toInt(plan->ioMilliseconds);
    plan->cpuN = o.value(QLatin1String("cpuN")).toInt(plan->cpuN);
    plan->queriesN = o.value(QLatin1String("queriesN")).toInt(plan->queriesN);
    const QJsonArray list = o.value(QLatin1String("cells")).toArray();
    if (list.isEmpty() || plan->durationSeconds <= 0) {
        *error = where(path) + QStringLiteral("the plan has no cells or no measured window");
        return false;
    }
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonObject cell = list.at(i).toObject();
        const auto scenario = scenarioFromId(cell.value(QLatin1String("scenario")).toString());
        const QString id = cell.value(QLatin1String("id")).toString();
        if (!scenario || id.isEmpty() || id.contains(QLatin1String("..")) || id.startsWith(u'/')
            || cell.value(QLatin1String("targetId")).toString().isEmpty()) {
            *error = where(path) + QStringLiteral("cells[%1] needs an id, a targetId and a scenario").arg(i);
            return false;
        }
        if (!plan->targetIds.contains(cell.value(QLatin1String("targetId")).toString()))
            plan->targetIds << cell.value(QLatin1String("targetId")).toString();
        if (!plan->scenarios.contains(*scenario))
            plan->scenarios << *scenario;
        if (!plan->connectionLevels.contains(cell.value(QLatin1String("connections")).toInt()))
            plan->connectionLevels << cell.value(QLatin1String("connections")).toInt();
        *cells << cell;
    }
    return true;
}

void applyRunInfo(const QJsonObject &info, RunResult *run)
{
    if (info.isEmpty())
        return;
    run->engine.version = info.value(QLatin1String("locustVersion")).toString(run->engine.version);
    run->engine.workers = std::max(run->engine.workers, info.value(QLatin1String("workers")).toInt());
    const double started = info.value(QLatin1String("startedAt")).toDouble();
    const double stopped = info.value(QLatin1String("stoppedAt")).toDouble();
    const QDateTime start = QDateTime::fromMSecsSinceEpoch(qint64(started * 1000), Qt::UTC);
    const QDateTime stop = QDateTime::fromMSecsSinceEpoch(qint64(stopped * 1000), Qt::UTC);
    if (started > 0 && (!run->startedAt.isValid() || start < run->startedAt))
        run->startedAt = start;
    if (stopped > 0 && (!run->finishedAt.isValid() || stop > run->finishedAt))
        run->finishedAt = stop;
    const QJsonObject machine = info.value(QLatin1String("machine")).toObject();
    if (!machine.isEmpty() && run->machine.logicalCores == 0) {
        run->machine.cpuModel = machine.value(QLatin1String("cpuModel")).toString();
        run->machine.logicalCores = machine.value(QLatin1String("logicalCores")).toInt();
        run->machine.memoryBytes = machine.value(QLatin1String("memoryBytes")).toInteger();
        run->machine.os = machine.value(QLatin1String("os")).toString();
        run->machine.versions.insert(
            QStringLiteral("python"), machine.value(QLatin1String("python")).toString());
    }
}

} // namespace

ExpectedAnswer expectedAnswer(Scenario scenario, const BenchmarkPlan &plan)
{
    switch (scenario) {
    case Scenario::Json:
        return { QStringLiteral("application/json"), QByteArrayLiteral("{\"message\":\"Hello, World!\"}"),
            {} };
    case Scenario::Plaintext:
        return { QStringLiteral("text/plain"), QByteArrayLiteral("Hello, World!"), {} };
    case Scenario::Io:
        return { QStringLiteral("application/json"),
            QByteArray("{\"waited_ms\":") + QByteArray::number(plan.ioMilliseconds) + '}', {} };
    case Scenario::Cpu:
        return { QStringLiteral("application/json"),
            QByteArray("{\"n\":") + QByteArray::number(plan.cpuN)
                + ",\"primes\":" + QByteArray::number(primesBelow(plan.cpuN)) + '}',
            {} };
    case Scenario::Db:
        return { QStringLiteral("application/json"), {}, QString::fromLatin1(kRowPattern) };
    case Scenario::Queries:
        return { QStringLiteral("application/json"), {},
            QStringLiteral("\\[%1(,%1){%2}\\]")
                .arg(QString::fromLatin1(kRowPattern))
                .arg(std::max(0, plan.queriesN - 1)) };
    case Scenario::Fortunes:
        return { QStringLiteral("text/html"), {},
            QStringLiteral("(?s).*<table>.*Additional fortune added at request time\\..*</table>.*") };
    }
    return {};
}

QString cellId(const QString &targetId, Scenario scenario, int connections)
{
    return QStringLiteral("%1/%2-c%3").arg(targetId, scenarioId(scenario)).arg(connections);
}

bool exportPlan(const BenchmarkPlan &plan, const ServerCatalog &catalog, const QString &directory,
    ExportedPlan *exported, QString *error)
{
    const QDir dir(directory);
    if (QFileInfo(directory).exists() && !QFileInfo(directory).isDir()) {
        *error
            = QStringLiteral("%1 is a file: --export-locust needs a folder (a new one, or an earlier export)")
                  .arg(directory);
        return false;
    }
    if (dir.exists() && !dir.isEmpty() && !dir.exists(kPlanFile)) {
        *error
            = QStringLiteral("%1 is not empty and holds no earlier export (%2): choose a new or empty folder")
                  .arg(directory, kPlanFile);
        return false;
    }
    if (!dir.exists() && !QDir().mkpath(directory)) {
        *error = QStringLiteral("cannot create the folder %1: check that its parent exists and is writable")
                     .arg(directory);
        return false;
    }
    QByteArray locustfile, requirements;
    if (!readResource(QStringLiteral("locustfile.py"), &locustfile, error)
        || !readResource(QStringLiteral("requirements.txt"), &requirements, error))
        return false;

    QList<QJsonObject> cells;
    QJsonArray cellArray;
    ExportedPlan result;
    result.directory = dir.absolutePath();
    for (const QString &targetId : plan.targetIds) {
        const ServerEntry *entry = catalog.find(targetId);
        if (!entry) {
            *error = QStringLiteral("unknown target '%1'").arg(targetId);
            return false;
        }
        for (const Scenario scenario : plan.scenarios) {
            const ExpectedAnswer expected = expectedAnswer(scenario, plan);
            for (const int connections : plan.connectionLevels) {
                const QJsonObject cell { { QStringLiteral("id"), cellId(targetId, scenario, connections) },
                    { QStringLiteral("targetId"), targetId }, { QStringLiteral("name"), entry->name },
                    { QStringLiteral("language"), entry->language },
                    { QStringLiteral("framework"), entry->framework },
                    { QStringLiteral("frameworkVersion"), entry->frameworkVersion },
                    { QStringLiteral("color"), entry->color },
                    { QStringLiteral("scenario"), scenarioId(scenario) },
                    { QStringLiteral("connections"), connections },
                    { QStringLiteral("path"), scenarioPath(scenario, plan) },
                    { QStringLiteral("expected"),
                        expected.bodyPattern.isEmpty()
                            ? QJsonObject { { QStringLiteral("contentType"), expected.contentType },
                                { QStringLiteral("body"), QString::fromUtf8(expected.body) } }
                            : QJsonObject { { QStringLiteral("contentType"), expected.contentType },
                                { QStringLiteral("bodyPattern"), expected.bodyPattern } } } };
                cells << cell;
                cellArray.append(cell);
                result.cellIds << cell.value(QLatin1String("id")).toString();
            }
        }
    }
    const QJsonObject planObject { { QStringLiteral("schema"), kPlanSchema },
        { QStringLiteral("schemaVersion"), kPlanSchemaVersion },
        { QStringLiteral("exportedBy"), Paths::appVersion() },
        { QStringLiteral("exportedAt"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate) },
        { QStringLiteral("locustVersion"), locustVersion(requirements) },
        { QStringLiteral("warmupSeconds"), plan.warmupSeconds },
        { QStringLiteral("durationSeconds"), plan.durationSeconds },
        { QStringLiteral("openLoopRate"), plan.openLoopRate },
        { QStringLiteral("timeoutSeconds"), plan.timeoutSeconds },
        { QStringLiteral("ioMilliseconds"), plan.ioMilliseconds }, { QStringLiteral("cpuN"), plan.cpuN },
        { QStringLiteral("queriesN"), plan.queriesN }, { QStringLiteral("cells"), cellArray } };
    const QList<QPair<QString, QByteArray>> files {
        { kPlanFile, QJsonDocument(planObject).toJson(QJsonDocument::Indented) },
        { QStringLiteral("locustfile.py"), locustfile },
        { QStringLiteral("requirements.txt"), requirements },
        { QStringLiteral("README.md"), readme(planObject, cells, plan).toUtf8() },
    };
    for (const auto &[name, content] : files) {
        if (!platform::writeFileAtomically(dir.filePath(name), content, error))
            return false;
        result.files << name;
    }
    if (exported)
        *exported = result;
    return true;
}

std::optional<RunResult> importRun(const QString &path, QString *error)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        *error = where(path) + QStringLiteral("no such file or folder");
        return std::nullopt;
    }
    RunResult run;
    run.engine.name = QStringLiteral("locust");
    run.engine.importedFrom = info.absoluteFilePath();
    run.plan.connectionLevels.clear();
    run.plan.scenarios.clear();

    QList<CellSource> sources;
    if (info.isDir() && QDir(path).exists(kPlanFile)) {
        const QString planPath = QDir(path).filePath(kPlanFile);
        const auto planObject = readJsonObject(planPath, error);
        QList<QJsonObject> cells;
        if (!planObject || !readPlan(*planObject, planPath, &run.plan, &cells, error))
            return std::nullopt;
        run.engine.version = planObject->value(QLatin1String("locustVersion")).toString();
        for (const QJsonObject &cell : std::as_const(cells)) {
            CellSource source;
            source.planCell = cell;
            const QString folder = QDir(path).filePath(
                QStringLiteral("results/") + cell.value(QLatin1String("id")).toString());
            findOutputs(folder, &source);
            if (source.jsonPath.isEmpty() && source.csvPath.isEmpty())
                continue; // a cell that has not been run (yet)
            if (QFileInfo::exists(QDir(folder).filePath(kRunInfoFile))) {
                const auto runInfo = readJsonObject(QDir(folder).filePath(kRunInfoFile), error);
                if (!runInfo)
                    return std::nullopt;
                source.runInfo = *runInfo;
            }
            sources << source;
        }
        if (sources.isEmpty()) {
            *error = where(path)
                + QStringLiteral("no cell has results yet: run the commands of its README.md, which write "
                                 "results/<cell>/, then import again");
            return std::nullopt;
        }
    } else {
        CellSource source;
        if (info.isDir()) {
            findOutputs(path, &source);
            if (source.jsonPath.isEmpty() && source.csvPath.isEmpty()) {
                *error = where(path)
                    + QStringLiteral("neither an export (%1) nor a folder with Locust's --json-file or --csv "
                                     "output")
                          .arg(kPlanFile);
                return std::nullopt;
            }
        } else if (path.endsWith(QLatin1String("_stats.csv"))) {
            source.csvPath = path;
        } else if (path.endsWith(QLatin1String(".json"))) {
            source.jsonPath = path;
        } else {
            *error = where(path)
                + QStringLiteral("not a Locust output: give the --json-file JSON, the --csv *_stats.csv, or "
                                 "an export folder");
            return std::nullopt;
        }
        const QString runInfoPath = QFileInfo(!source.jsonPath.isEmpty() ? source.jsonPath : source.csvPath)
                                        .dir()
                                        .filePath(kRunInfoFile);
        if (QFileInfo::exists(runInfoPath)) {
            const auto runInfo = readJsonObject(runInfoPath, error);
            if (!runInfo)
                return std::nullopt;
            source.runInfo = *runInfo;
        }
        sources << source;
    }

    for (const CellSource &source : std::as_const(sources)) {
        TargetResult t;
        if (!readCell(source, run.plan, &t, error))
            return std::nullopt;
        applyRunInfo(source.runInfo, &run);
        if (source.planCell.isEmpty()) {
            run.plan.targetIds = { t.targetId };
            run.plan.scenarios = { t.scenario };
            run.plan.connectionLevels = { t.connections };
            const QJsonObject &info = source.runInfo;
            run.plan.durationSeconds
                = info.value(QLatin1String("durationSeconds")).toDouble(t.durationSeconds);
            run.plan.warmupSeconds = info.value(QLatin1String("warmupSeconds")).toDouble();
            run.plan.openLoopRate = info.value(QLatin1String("openLoopRate")).toDouble();
            run.plan.timeoutSeconds
                = info.value(QLatin1String("timeoutSeconds")).toDouble(run.plan.timeoutSeconds);
        }
        run.plan.loadThreads = std::max(run.plan.loadThreads, t.loadThreads);
        run.targets << t;
    }
    if (run.engine.version.isEmpty())
        run.engine.version = QStringLiteral("unknown");
    run.machine.versions.insert(QStringLiteral("locust"), run.engine.version);
    run.machine.versions.insert(QStringLiteral("stackadvisor"), Paths::appVersion());
    if (!run.startedAt.isValid())
        run.startedAt = QFileInfo(path).lastModified().toUTC();
    if (!run.finishedAt.isValid())
        run.finishedAt = run.startedAt;
    const bool anyCompleted = std::any_of(run.targets.cbegin(), run.targets.cend(),
        [](const TargetResult &t) { return t.status == TargetStatus::Completed; });
    run.status = anyCompleted ? RunStatus::Completed : RunStatus::Failed;
    return run;
}

} // namespace sa::bench::locust
