#include "historymodel.h"

#include "charts/charts.h"

#include <QColor>
#include <QLocale>

namespace sa::ui {

using sa::store::RunSummary;

HistoryModel::HistoryModel(QObject *parent) : QAbstractTableModel(parent) { }

void HistoryModel::setRuns(const QList<RunSummary> &runs)
{
    beginResetModel();
    m_runs = runs;
    endResetModel();
}

int HistoryModel::rowOf(qint64 id) const
{
    for (int i = 0; i < m_runs.size(); ++i) {
        if (m_runs.at(i).id == id)
            return i;
    }
    return -1;
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int HistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunSummary &run = m_runs.at(index.row());
    const QLocale locale;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Id:
            return run.id;
        case Rounds:
            return run.rounds;
        case Date:
            return locale.toString(run.startedAt.toLocalTime(), QLocale::ShortFormat);
        case Targets:
            return run.targetIds.join(QStringLiteral(", "));
        case Best:
            return run.bestTargetId.isEmpty()
                ? QStringLiteral("–")
                : tr("%1: %2 req/s")
                      .arg(run.bestTargetId, locale.toString(run.bestRequestsPerSecond, 'f', 0));
        case Status: {
            QString text = sa::bench::runStatusId(run.status);
            if (run.failedCount > 0)
                text += tr(", %n failed", nullptr, run.failedCount);
            return text;
        }
        case Machine:
            return run.machine;
        }
        return {};
    case Qt::TextAlignmentRole:
        return QVariant::fromValue<Qt::Alignment>(index.column() == Id || index.column() == Rounds
                ? Qt::AlignRight | Qt::AlignVCenter
                : Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::DecorationRole:
        if (index.column() == Best && !run.bestTargetId.isEmpty())
            return charts::targetColor(run.bestTargetId);
        return {};
    case Qt::ToolTipRole:
        return tr("Run %1 · %2 · %n cell(s)", nullptr, run.cellCount).arg(run.id).arg(run.machine);
    case RunIdRole:
        return run.id;
    case SortRole:
        switch (index.column()) {
        case Date:
            return run.startedAt;
        case Best:
            return run.bestRequestsPerSecond;
        case Id:
            return run.id;
        default:
            return data(index, Qt::DisplayRole);
        }
    default:
        return {};
    }
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Id:
        return tr("Id");
    case Rounds:
        return tr("Rounds");
    case Date:
        return tr("Date");
    case Targets:
        return tr("Targets");
    case Best:
        return tr("Fastest");
    case Status:
        return tr("Status");
    case Machine:
        return tr("Machine");
    }
    return {};
}

} // namespace sa::ui
