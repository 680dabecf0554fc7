#pragma once

#include "store/resultstore.h"

#include <QAbstractTableModel>

namespace sa::ui {

// Two runs side by side: each target's figures in both and the change in %.
class RunComparisonModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Target, RpsA, RpsB, RpsChange, P99A, P99B, P99Change, PssA, PssB, PssChange, ColumnCount };
    Q_ENUM(Column)
    // ChangeRole: +1 better, -1 worse, 0 within the noise (change columns only).
    enum Role { SortRole = Qt::UserRole, ChangeRole };

    explicit RunComparisonModel(QObject *parent = nullptr);

    void setComparison(const sa::store::RunComparison &comparison);
    const sa::store::RunComparison &comparison() const { return m_comparison; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    sa::store::RunComparison m_comparison;
};

} // namespace sa::ui
