#include "decisiontablemodel.h"

#include <QBrush>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>

namespace sa::ui {

DecisionTableModel::DecisionTableModel(QObject *parent) : QAbstractTableModel(parent) { }

void DecisionTableModel::setTable(const QList<advisor::DecisionRow> &rows, const QStringList &relevantRowIds)
{
    const QSet<QString> relevant(relevantRowIds.cbegin(), relevantRowIds.cend());
    // Same rows, new highlight: a dataChanged keeps the view's selection and scroll position.
    bool sameRows = rows.size() == m_rows.size();
    for (qsizetype i = 0; sameRows && i < rows.size(); ++i)
        sameRows = rows.at(i).id == m_rows.at(i).id;
    if (sameRows) {
        if (relevant == m_relevant)
            return;
        m_relevant = relevant;
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = rows;
    m_relevant = relevant;
    endResetModel();
}

int DecisionTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DecisionTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DecisionTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const advisor::DecisionRow &row = m_rows.at(index.row());
    const bool relevant = m_relevant.contains(row.id);
    const advisor::DecisionCell *cell = index.column() == GoColumn ? &row.go
        : index.column() == PythonColumn                           ? &row.python
                                                                   : nullptr;
    switch (role) {
    case Qt::DisplayRole:
        if (cell)
            return cell->note.isEmpty() ? cell->text : cell->displayText() + QLatin1String(" *");
        return row.need;
    case Qt::ToolTipRole:
        if (cell) {
            QString tip = cell->quote.isEmpty() ? QString() : tr("“%1”").arg(cell->quote);
            if (!cell->note.isEmpty())
                tip += (tip.isEmpty() ? QString() : QStringLiteral("\n\n")) + QLatin1String("* ")
                    + cell->note;
            return tip;
        }
        return relevant ? tr("Relevant to your answers") : QVariant();
    case Qt::AccessibleDescriptionRole:
        return relevant ? tr("Relevant to your answers") : tr("Not touched by your answers");
    case Qt::FontRole:
        if (relevant) {
            QFont font;
            font.setBold(true);
            return font;
        }
        break;
    case Qt::BackgroundRole:
        if (relevant) {
            // A tint of the palette's highlight stays readable in light and dark themes.
            QColor color = QGuiApplication::palette().color(QPalette::Highlight);
            color.setAlpha(60);
            return QBrush(color);
        }
        break;
    case RowIdRole:
        return row.id;
    case RelevantRole:
        return relevant;
    case FavoursRole:
        return row.favours;
    case NoteRole:
        return cell ? cell->note : QString();
    default:
        break;
    }
    return {};
}

QVariant DecisionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NeedColumn:
        return tr("Need");
    case GoColumn:
        return tr("Go");
    case PythonColumn:
        return tr("Python");
    }
    return {};
}

} // namespace sa::ui
