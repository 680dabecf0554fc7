#include "databasegapmodel.h"

#include "charts/palette.h"

namespace sa::ui {

DatabaseGapModel::DatabaseGapModel(QObject *parent) : QAbstractTableModel(parent) { }

void DatabaseGapModel::setGap(const sa::bench::DatabaseGap &gap)
{
    beginResetModel();
    m_table = gap.table();
    endResetModel();
}

int DatabaseGapModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_table.rows.size());
}

int DatabaseGapModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_table.header.size());
}

QVariant DatabaseGapModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const bool numeric = m_table.numericColumns.contains(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return m_table.rows.at(index.row()).value(index.column());
    case SortRole: {
        const QVariant raw = m_table.raw.at(index.row()).value(index.column());
        // Cells without the figure sort below every figure.
        return raw.isValid() ? raw : QVariant(numeric ? QVariant(-1.0) : QVariant(QString()));
    }
    case TargetIdRole:
        return m_table.rowTargetIds.at(index.row());
    case Qt::TextAlignmentRole:
        return QVariant::fromValue<Qt::Alignment>(
            numeric ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::DecorationRole:
        if (index.column() == 0)
            return charts::targetColor(m_table.rowTargetIds.at(index.row()));
        return {};
    default:
        return {};
    }
}

QVariant DatabaseGapModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= m_table.header.size())
        return {};
    if (role == Qt::DisplayRole)
        return m_table.header.at(section);
    if (role == Qt::ToolTipRole && section > 2)
        return section % 2 == 1
            ? tr("Requests per second with PostgreSQL in the loop")
            : tr("The database scenario's req/s as a share of the same target's JSON req/s");
    return {};
}

} // namespace sa::ui
