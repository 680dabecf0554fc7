#include "resultstablemodel.h"

#include "charts/palette.h"

#include <QColor>
#include <QFont>

using namespace Qt::StringLiterals;

namespace sa::ui {

using sa::bench::CellAnalysis;
using sa::bench::ResultView;
using sa::bench::TargetStatus;

ResultsTableModel::ResultsTableModel(QObject *parent)
    : QAbstractTableModel(parent), m_columns(sa::bench::resultColumns(ResultView::Gui))
{ }

void ResultsTableModel::setAnalysis(const sa::bench::RunAnalysis &analysis)
{
    beginResetModel();
    m_analysis = analysis;
    endResetModel();
}

void ResultsTableModel::clear()
{
    setAnalysis({});
}

int ResultsTableModel::column(const QString &key) const
{
    for (int i = 0; i < m_columns.size(); ++i) {
        if (m_columns.at(i).key == key)
            return i;
    }
    return -1;
}

int ResultsTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_analysis.cells().size());
}

int ResultsTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant ResultsTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CellAnalysis &cell = m_analysis.cells().at(index.row());
    const sa::bench::TargetResult &result = m_analysis.result(cell);
    const sa::bench::ResultColumn &column = m_columns.at(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return column.text(m_analysis, cell);
    case SortRole: {
        const QVariant raw = column.raw(m_analysis, cell);
        // Cells without the figure sort below every figure.
        return raw.isValid() ? raw : QVariant(column.numeric ? QVariant(-1.0) : QVariant(QString()));
    }
    case TargetIdRole:
        return result.targetId;
    case TrustedRole:
        return cell.warnings.isEmpty();
    case Qt::TextAlignmentRole:
        return QVariant::fromValue<Qt::Alignment>(
            column.numeric ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::DecorationRole:
        if (index.column() == 0)
            return charts::targetColor(result.targetId);
        return {};
    case Qt::ToolTipRole:
        if (column.key == u"warnings"_s || column.key == u"status"_s) {
            const QStringList list = cell.warningTexts();
            return list.isEmpty() ? QVariant() : QVariant(list.join(u'\n'));
        }
        return {};
    case Qt::FontRole:
        if (column.key == u"status"_s && result.status != TargetStatus::Completed) {
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
