#include "resultstablemodel.h"

#include "charts/charts.h"

#include <QColor>
#include <QFont>
#include <QLocale>

namespace sa::ui {

using sa::bench::TargetResult;
using sa::bench::TargetStatus;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

bool isNumeric(int column)
{
    return column >= ResultsTableModel::Connections && column <= ResultsTableModel::Deployable;
}

QString milliseconds(double microseconds)
{
    return QLocale().toString(microseconds / 1000.0, 'f', microseconds < 10000 ? 2 : 1);
}

QString megabytes(qint64 bytes)
{
    return bytes > 0 ? QLocale().toString(double(bytes) / kMiB, 'f', 1) : QStringLiteral("–");
}

QString statusText(TargetStatus status)
{
    switch (status) {
    case TargetStatus::Completed:
        return QObject::tr("completed");
    case TargetStatus::Failed:
        return QObject::tr("failed");
    case TargetStatus::Cancelled:
        return QObject::tr("cancelled");
    }
    return {};
}

} // namespace

ResultsTableModel::ResultsTableModel(QObject *parent) : QAbstractTableModel(parent) { }

void ResultsTableModel::setResults(const QList<TargetResult> &results)
{
    beginResetModel();
    m_results = results;
    endResetModel();
}

void ResultsTableModel::addResult(const TargetResult &result)
{
    beginInsertRows({}, int(m_results.size()), int(m_results.size()));
    m_results.append(result);
    endInsertRows();
}

void ResultsTableModel::clear()
{
    setResults({});
}

int ResultsTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_results.size());
}

int ResultsTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QStringList ResultsTableModel::warnings(const TargetResult &result)
{
    QStringList list;
    if (result.status == TargetStatus::Failed)
        list << tr("Failed: %1")
                    .arg(result.failureReason.isEmpty() ? tr("no reason given") : result.failureReason);
    if (result.status == TargetStatus::Cancelled)
        list << tr("Cancelled before the window ended: figures are partial.");
    if (result.generatorSaturated) {
        list << tr("The load generator was saturated%1: the server may be faster than measured.")
                    .arg(result.saturationReason.isEmpty()
                            ? QString()
                            : QStringLiteral(" (%1)").arg(result.saturationReason));
    }
    if (result.errorRate() > 0.01) {
        list << tr("%1 % of requests failed (above 1 %): the latency and throughput are not comparable.")
                    .arg(QLocale().toString(result.errorRate() * 100.0, 'f', 1));
    }
    return list;
}

QVariant ResultsTableModel::displayValue(const TargetResult &r, int column) const
{
    const bool measured = r.status != TargetStatus::Failed;
    const QLocale locale;
    const QString none = QStringLiteral("–");
    switch (column) {
    case Target:
        return r.displayName.isEmpty() ? r.targetId : r.displayName;
    case Language:
        return r.language;
    case Framework:
        return r.framework;
    case Version:
        return r.frameworkVersion;
    case Status:
        return statusText(r.status);
    case Connections:
        return locale.toString(r.connections);
    case RequestsPerSecond:
        return measured ? locale.toString(r.requestsPerSecond, 'f', 0) : none;
    case LatencyP50:
        return measured ? milliseconds(r.latency.p50Us) : none;
    case LatencyP90:
        return measured ? milliseconds(r.latency.p90Us) : none;
    case LatencyP99:
        return measured ? milliseconds(r.latency.p99Us) : none;
    case LatencyP999:
        return measured ? milliseconds(r.latency.p999Us) : none;
    case LatencyMax:
        return measured ? milliseconds(r.latency.maxUs) : none;
    case LatencyMean:
        return measured ? milliseconds(r.latency.meanUs) : none;
    case Requests:
        return measured ? locale.toString(r.requests) : none;
    case Errors:
        return measured ? locale.toString(r.errors.total()) : none;
    case ErrorRate:
        return measured ? locale.toString(r.errorRate() * 100.0, 'f', 2) : none;
    case PeakPss:
        return megabytes(r.memory.peakPssBytes);
    case MeanPss:
        return megabytes(r.memory.meanPssBytes);
    case IdlePss:
        return megabytes(r.memory.idlePssBytes);
    case PeakRss:
        return megabytes(r.memory.peakRssBytes);
    case CpuMean:
        return measured ? locale.toString(r.cpuPercentMean, 'f', 0) : none;
    case CpuPeak:
        return measured ? locale.toString(r.cpuPercentPeak, 'f', 0) : none;
    case Deployable:
        return megabytes(r.deployableBytes);
    case Notes:
        return warnings(r).join(QLatin1Char(' '));
    }
    return {};
}

QVariant ResultsTableModel::sortValue(const TargetResult &r, int column) const
{
    switch (column) {
    case Connections:
        return r.connections;
    case RequestsPerSecond:
        return r.requestsPerSecond;
    case LatencyP50:
        return r.latency.p50Us;
    case LatencyP90:
        return r.latency.p90Us;
    case LatencyP99:
        return r.latency.p99Us;
    case LatencyP999:
        return r.latency.p999Us;
    case LatencyMax:
        return r.latency.maxUs;
    case LatencyMean:
        return r.latency.meanUs;
    case Requests:
        return r.requests;
    case Errors:
        return r.errors.total();
    case ErrorRate:
        return r.errorRate();
    case PeakPss:
        return r.memory.peakPssBytes;
    case MeanPss:
        return r.memory.meanPssBytes;
    case IdlePss:
        return r.memory.idlePssBytes;
    case PeakRss:
        return r.memory.peakRssBytes;
    case CpuMean:
        return r.cpuPercentMean;
    case CpuPeak:
        return r.cpuPercentPeak;
    case Deployable:
        return r.deployableBytes;
    default:
        return displayValue(r, column);
    }
}

QVariant ResultsTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TargetResult &result = m_results.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(result, column);
    case SortRole:
        return sortValue(result, column);
    case TargetIdRole:
        return result.targetId;
    case TrustedRole:
        return warnings(result).isEmpty();
    case Qt::TextAlignmentRole:
        return QVariant::fromValue<Qt::Alignment>(
            isNumeric(column) ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::DecorationRole:
        if (column == Target)
            return charts::targetColor(result.targetId);
        return {};
    case Qt::ToolTipRole:
        if (column == Notes || column == Status) {
            const QStringList list = warnings(result);
            return list.isEmpty() ? QVariant() : QVariant(list.join(QLatin1Char('\n')));
        }
        return {};
    case Qt::FontRole:
        if (column == Status && result.status != TargetStatus::Completed) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    default:
        return {};
    }
}

QVariant ResultsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Target:
            return tr("Target");
        case Language:
            return tr("Language");
        case Framework:
            return tr("Framework");
        case Version:
            return tr("Version");
        case Status:
            return tr("Status");
        case Connections:
            return tr("Connections");
        case RequestsPerSecond:
            return tr("Req/s");
        case LatencyP50:
            return tr("p50 ms");
        case LatencyP90:
            return tr("p90 ms");
        case LatencyP99:
            return tr("p99 ms");
        case LatencyP999:
            return tr("p99.9 ms");
        case LatencyMax:
            return tr("Max ms");
        case LatencyMean:
            return tr("Mean ms");
        case Requests:
            return tr("Requests");
        case Errors:
            return tr("Errors");
        case ErrorRate:
            return tr("Errors %");
        case PeakPss:
            return tr("Peak PSS MB");
        case MeanPss:
            return tr("Mean PSS MB");
        case IdlePss:
            return tr("Idle PSS MB");
        case PeakRss:
            return tr("Peak RSS MB");
        case CpuMean:
            return tr("CPU mean %");
        case CpuPeak:
            return tr("CPU peak %");
        case Deployable:
            return tr("Deployable MB");
        case Notes:
            return tr("Notes");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case PeakPss:
            return tr("Proportional set size of the server's whole process tree at its peak");
        case CpuMean:
            return tr("Server CPU over the measured window; 100 % = one core busy");
        case Deployable:
            return tr(
                "What you would ship: binary, or virtualenv and interpreter, or node_modules and runtime");
        case Notes:
            return tr("Why a figure cannot be trusted, or why a target failed");
        default:
            return {};
        }
    }
    return {};
}

QString tableAsText(const QAbstractItemModel &model)
{
    const int rows = model.rowCount();
    const int columns = model.columnCount();
    QList<QStringList> cells;
    QStringList header;
    for (int c = 0; c < columns; ++c)
        header << model.headerData(c, Qt::Horizontal).toString();
    cells << header;
    for (int r = 0; r < rows; ++r) {
        QStringList row;
        for (int c = 0; c < columns; ++c)
            row << model.index(r, c).data().toString();
        cells << row;
    }
    // The notes column is free text; only the columns before it are padded.
    QList<int> widths(columns, 0);
    for (const QStringList &row : std::as_const(cells)) {
        for (int c = 0; c < columns; ++c)
            widths[c] = std::max(widths[c], int(row.at(c).size()));
    }
    QString text;
    for (const QStringList &row : std::as_const(cells)) {
        QString line;
        for (int c = 0; c < columns; ++c) {
            const bool last = c == columns - 1;
            const bool right
                = model.index(0, c).data(Qt::TextAlignmentRole).value<Qt::Alignment>() & Qt::AlignRight;
            const QString &cell = row.at(c);
            line += last ? cell : (right ? cell.rightJustified(widths[c]) : cell.leftJustified(widths[c]));
            if (!last)
                line += QStringLiteral("  ");
        }
        text += line.trimmed() + QLatin1Char('\n');
    }
    return text;
}

} // namespace sa::ui
