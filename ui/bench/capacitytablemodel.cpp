#include "capacitytablemodel.h"

#include "charts/palette.h"

namespace sa::ui {

using sa::bench::CellAnalysis;
using sa::bench::ResultView;

CapacityTableModel::CapacityTableModel(QObject *parent)
    : QAbstractTableModel(parent), m_columns(sa::bench::capacityColumns(ResultView::Gui))
{ }

void CapacityTableModel::setAnalysis(const sa::bench::RunAnalysis &analysis)
{
    beginResetModel();
    m_analysis = analysis;
    m_rows = sa::bench::sweptCells(m_analysis);
    endResetModel();
}

int CapacityTableModel::column(const QString &key) const
{
    for (int i = 0; i < m_columns.size(); ++i) {
        if (m_columns.at(i).key == key)
            return i;
    }
    return -1;
}

int CapacityTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CapacityTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant CapacityTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CellAnalysis &cell = *m_rows.at(index.row());
    const sa::bench::ResultColumn &column = m_columns.at(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return column.text(m_analysis, cell);
    case SortRole: {
        const QVariant raw = column.raw(m_analysis, cell);
        return raw.isValid() ? raw : QVariant(column.numeric ? QVariant(-1.0) : QVariant(QString()));
    }
    case TargetIdRole:
        return m_analysis.result(cell).targetId;
    case CellIndexRole:
        return cell.index;
    case Qt::TextAlignmentRole:
        return QVariant::fromValue<Qt::Alignment>(
            column.numeric ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::DecorationRole:
        return index.column() == 0 ? QVariant(charts::targetColor(m_analysis.result(cell).targetId))
                                   : QVariant();
    case Qt::ToolTipRole:
        return m_analysis.capacity(cell).summary;
    default:
        return {};
    }
}

QVariant CapacityTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= m_columns.size())
        return QAbstractTableModel::headerData(section, orientation, role);
    const sa::bench::ResultColumn &column = m_columns.at(section);
    switch (role) {
    case Qt::DisplayRole:
        return column.title;
    case Qt::ToolTipRole:
        return column.toolTip.isEmpty() ? QVariant() : QVariant(column.toolTip);
    case ColumnKeyRole:
        return column.key;
    default:
        return {};
    }
}

} // namespace sa::ui
