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
        case SensitivityColumn:
            return contribution.sensitivity ? contribution.sensitivity->shownMultiplier : -1;
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
        case WeightColumn:
            return advisor::formatPoints(number());
        case SensitivityColumn:
            if (!contribution.sensitivity)
                return tr("—");
            return tr("×%1 or %2 → %3")
                .arg(QString::number(contribution.sensitivity->shownMultiplier, 'f', 2),
                    contribution.sensitivity->orMore ? tr("more") : tr("less"),
                    advisor::verdictName(contribution.sensitivity->verdict));
        case WhyColumn:
            return contribution.reason();
        }
        break;
    case Qt::ToolTipRole:
        switch (index.column()) {
        case CriterionColumn:
        case WhyColumn:
            return contribution.reason();
        case WeightColumn:
            return tr("The most points this criterion can give a stack");
        case SensitivityColumn:
            return contribution.sensitivity
                ? contribution.sensitivity->sentence
                : tr("No change of this criterion's weight alone changes the verdict");
        default:
            return tr("Points this criterion gives %1")
                .arg(index.column() == GoColumn ? tr("Go") : tr("Python"));
        }
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
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case WeightColumn:
            return tr("The most points this criterion can give a stack");
        case SensitivityColumn:
            return tr(
                "The factor this criterion's weight would have to be multiplied by to change the verdict");
        default:
            return tr("Points: the same for both stacks, and they add up to the scores");
        }
    }
    switch (section) {
    case CriterionColumn:
        return tr("Criterion");
    case GoColumn:
        return tr("Go");
    case PythonColumn:
        return tr("Python");
    case WeightColumn:
        return tr("Weight");
    case SensitivityColumn:
        return tr("Weight to change the verdict");
    case WhyColumn:
        return tr("Why (from the article)");
    }
    return {};
}

} // namespace sa::ui
