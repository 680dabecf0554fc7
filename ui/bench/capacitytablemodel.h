#pragma once

#include "bench/runanalysis.h"

#include <QAbstractTableModel>
#include <QList>

namespace sa::ui {

// A capacity run's figures, one row per cell that ran steps. The columns are
// core's (sa::bench::capacityColumns(ResultView::Gui)): every figure reads as in
// `stackadvisor bench --capacity` and the PDF. SortRole gives the raw value.
class CapacityTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role {
        SortRole = Qt::UserRole,
        TargetIdRole,
        CellIndexRole, // the row's index in RunResult::targets
        ColumnKeyRole, // header data: "sustainable_rps"
    };

    explicit CapacityTableModel(QObject *parent = nullptr);

    void setAnalysis(const sa::bench::RunAnalysis &analysis);
    const sa::bench::RunAnalysis &analysis() const { return m_analysis; }
    // The column of a key of capacityColumns(), or -1.
    int column(const QString &key) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    sa::bench::RunAnalysis m_analysis;
    QList<const sa::bench::CellAnalysis *> m_rows;
    QList<sa::bench::ResultColumn> m_columns;
};

} // namespace sa::ui
