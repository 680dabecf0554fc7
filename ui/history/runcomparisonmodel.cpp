#include "runcomparisonmodel.h"

#include "charts/charts.h"

#include "bench/format.h"
#include "bench/runanalysis.h"

#include <QColor>
#include <QLocale>

#include <cmath>

namespace sa::ui {

using sa::store::CellComparison;

namespace {

QString changeText(bool both, double percent)
{
    if (!both)
        return QStringLiteral("–");
    return QStringLiteral("%1%2 %").arg(
        percent > 0 ? QStringLiteral("+") : QString(), sa::fmt::number(percent, 1));
}

} // namespace

RunComparisonModel::RunComparisonModel(QObject *parent) : QAbstractTableModel(parent) { }

void RunComparisonModel::setComparison(const sa::store::RunComparison &comparison)
{
    beginResetModel();
    m_comparison = comparison;
    endResetModel();
}

int RunComparisonModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_comparison.cells.size());
}

int RunComparisonModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunComparisonModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CellComparison &cell = m_comparison.cells.at(index.row());
    const bool both = cell.inA && cell.inB;
    const QLocale locale;
    const QString none = QStringLiteral("–");
    const auto ms
        = [&](bool present, double us) { return present ? locale.toString(us / 1000.0, 'f', 2) : none; };
    const auto mb = [&](bool present, qint64 bytes) {
        return present ? locale.toString(double(bytes) / (1024.0 * 1024.0), 'f', 1) : none;
    };
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Target:
            return QStringLiteral("%1 · %2 · %3")
                .arg(cell.targetId, sa::bench::scenarioId(cell.scenario))
                .arg(cell.connections);
        case RpsA:
            return cell.inA ? locale.toString(cell.requestsPerSecondA, 'f', 0) : none;
        case RpsB:
            return cell.inB ? locale.toString(cell.requestsPerSecondB, 'f', 0) : none;
        case RpsChange:
            return changeText(both, cell.requestsPerSecondChangePercent);
        case P99A:
            return ms(cell.inA, cell.p99UsA);
        case P99B:
            return ms(cell.inB, cell.p99UsB);
        case P99Change:
            return changeText(both, cell.p99ChangePercent);
        case PssA:
            return mb(cell.inA, cell.peakPssBytesA);
        case PssB:
            return mb(cell.inB, cell.peakPssBytesB);
        case PssChange:
            return changeText(both, cell.peakPssChangePercent);
        }
        return {};
    }
    if (role == SortRole) {
        switch (index.column()) {
        case RpsA:
            return cell.requestsPerSecondA;
        case RpsB:
            return cell.requestsPerSecondB;
        case RpsChange:
            return cell.requestsPerSecondChangePercent;
        case P99A:
            return cell.p99UsA;
        case P99B:
            return cell.p99UsB;
        case P99Change:
            return cell.p99ChangePercent;
        case PssA:
            return cell.peakPssBytesA;
        case PssB:
            return cell.peakPssBytesB;
        case PssChange:
            return cell.peakPssChangePercent;
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::DecorationRole && index.column() == Target)
        return charts::targetColor(cell.targetId);
    if ((role == Qt::ForegroundRole || role == Qt::ToolTipRole || role == ChangeRole) && both) {
        // Up is better for req/s, down for p99 and memory; within the noise of a
        // shared machine (TrustPolicy::kNoiseChange) it is neither.
        double change = 0;
        bool higherIsBetter = false;
        switch (index.column()) {
        case RpsChange:
            change = cell.requestsPerSecondChangePercent;
            higherIsBetter = true;
            break;
        case P99Change:
            change = cell.p99ChangePercent;
            break;
        case PssChange:
            change = cell.peakPssChangePercent;
            break;
        default:
            return {};
        }
        const int judgement = std::abs(change) <= sa::bench::TrustPolicy::kNoiseChange * 100.0 ? 0
            : (change > 0) == higherIsBetter                                                   ? 1
                                                                                               : -1;
        if (role == ChangeRole)
            return judgement;
        if (role == Qt::ToolTipRole)
            return judgement == 0 ? tr("Within %1 %: run-to-run noise, neither better nor worse")
                                        .arg(sa::fmt::percent(sa::bench::TrustPolicy::kNoiseChange, 0))
                : judgement > 0 ? tr("Better")
                                : tr("Worse");
        return judgement == 0 ? QVariant()
                              : QVariant(judgement > 0 ? QColor(0x2B, 0x8A, 0x3E) : QColor(0xC9, 0x2A, 0x2A));
    }
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue<Qt::Alignment>(
            index.column() == Target ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && !both)
        return cell.inA ? tr("Only in the first run") : tr("Only in the second run");
    return {};
}

QVariant RunComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    const QString a = tr("run %1").arg(m_comparison.a.id);
    const QString b = tr("run %1").arg(m_comparison.b.id);
    switch (section) {
    case Target:
        return tr("Target · scenario · connections");
    case RpsA:
        return tr("Req/s, %1").arg(a);
    case RpsB:
        return tr("Req/s, %1").arg(b);
    case RpsChange:
        return tr("Req/s change");
    case P99A:
        return tr("p99 ms, %1").arg(a);
    case P99B:
        return tr("p99 ms, %1").arg(b);
    case P99Change:
        return tr("p99 change");
    case PssA:
        return tr("Peak PSS MB, %1").arg(a);
    case PssB:
        return tr("Peak PSS MB, %1").arg(b);
    case PssChange:
        return tr("PSS change");
    }
    return {};
}

} // namespace sa::ui
