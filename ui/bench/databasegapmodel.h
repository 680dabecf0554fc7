#pragma once

#include "bench/databasegap.h"

#include <QAbstractTableModel>

namespace sa::ui {

// Each target's JSON req/s beside its req/s with the database in the loop
// (core's DatabaseGap::table()), one row per target and connection level.
class DatabaseGapModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role { SortRole = Qt::UserRole, TargetIdRole };

    explicit DatabaseGapModel(QObject *parent = nullptr);

    void setGap(const sa::bench::DatabaseGap &gap);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    sa::bench::DatabaseGapTable m_table;
};

} // namespace sa::ui
