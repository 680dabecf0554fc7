#pragma once

#include "store/resultstore.h"

#include <QAbstractTableModel>

namespace sa::ui {

// The past runs of the ResultStore, newest first: date, machine, targets and the
// headline figure.
class HistoryModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    // Id first: the CLI takes it (stackadvisor bench --show ID, --compare A,B).
    enum Column { Id, Date, Targets, Rounds, Best, Status, Machine, ColumnCount };
    Q_ENUM(Column)
    enum Role { RunIdRole = Qt::UserRole, SortRole };

    explicit HistoryModel(QObject *parent = nullptr);

    void setRuns(const QList<sa::store::RunSummary> &runs);
    const QList<sa::store::RunSummary> &runs() const { return m_runs; }
    // The row of a run id, -1 when absent.
    int rowOf(qint64 id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<sa::store::RunSummary> m_runs;
};

} // namespace sa::ui
