#include "criteriamodel.h"

namespace sa::ui {

CriteriaModel::CriteriaModel(QObject *parent) : QAbstractTableModel(parent) { }

void CriteriaModel::setContributions(const QList<advisor::Contribution> &contributions)
{
    beginResetModel();
    m_contributions = contributions;
    endResetModel();
}

int CriteriaModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_contributions.size());
}

int CriteriaModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CriteriaModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const advisor::Contribution &contribution = m_contributions.at(index.row());
    const auto number = [&]() -> double {
        switch (index.column()) {
        case GoColumn:
            return contribution.go;
        case PythonColumn:
            return contribution.python;
        case WeightColumn:
            return contribution.weight;
        default:
            return 0;
        }
    };
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case CriterionColumn:
            return contribution.title;
        case GoColumn:
        case PythonColumn:
            return QString::number(number(), 'f', 1);
        case WeightColumn:
            return tr("%1%").arg(number(), 0, 'f', 0);
        case WhyColumn:
            return contribution.reason();
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == WhyColumn || index.column() == CriterionColumn)
            return contribution.reason();
        if (index.column() == WeightColumn)
            return tr("Share of all the points your answers awarded that came from this criterion");
        return tr("Score points this criterion gives %1")
            .arg(index.column() == GoColumn ? tr("Go") : tr("Python"));
    case Qt::TextAlignmentRole:
        if (index.column() == GoColumn || index.column() == PythonColumn || index.column() == WeightColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case CriterionIdRole:
        return contribution.criterionId;
    case ValueRole:
        if (index.column() == CriterionColumn)
            return contribution.title;
        if (index.column() == WhyColumn)
            return contribution.reason();
        return number();
    default:
        break;
    }
    return {};
}

QVariant CriteriaModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case CriterionColumn:
        return tr("Criterion");
    case GoColumn:
        return tr("Go");
    case PythonColumn:
        return tr("Python");
    case WeightColumn:
        return tr("Weight");
    case WhyColumn:
        return tr("Why (from the article)");
    }
    return {};
}

} // namespace sa::ui
