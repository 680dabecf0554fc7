#pragma once

#include "advisor/recommendation.h"

#include <QAbstractTableModel>

namespace sa::ui {

// The per-criterion contributions of a Recommendation: criterion, Go and Python
// points, weight (the most points the criterion can give a stack), how much that
// weight would have to change to change the verdict, and why.
class CriteriaModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        CriterionColumn,
        GoColumn,
        PythonColumn,
        WeightColumn,
        SensitivityColumn,
        WhyColumn,
        ColumnCount
    };
    enum Role {
        CriterionIdRole = Qt::UserRole, // QString
        ValueRole, // double for the number columns (sensitivity: the multiplier, or -1), QString otherwise
    };

    explicit CriteriaModel(QObject *parent = nullptr);

    void setContributions(const QList<advisor::Contribution> &contributions);
    const QList<advisor::Contribution> &contributions() const { return m_contributions; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<advisor::Contribution> m_contributions;
};

} // namespace sa::ui
