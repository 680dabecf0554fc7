#pragma once

#include "bench/results.h"

#include <QAbstractTableModel>
#include <QList>

namespace sa::ui {

// Every figure of every cell of a run, one row per cell, failures included with
// their reason. Sorted and filtered through a QSortFilterProxyModel: SortRole
// gives the raw number so "12,345" sorts after "9,876".
class ResultsTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Target,
        Language,
        Framework,
        Version,
        Status,
        Connections,
        RequestsPerSecond,
        LatencyP50,
        LatencyP90,
        LatencyP99,
        LatencyP999,
        LatencyMax,
        LatencyMean,
        Requests,
        Errors,
        ErrorRate,
        PeakPss,
        MeanPss,
        IdlePss,
        PeakRss,
        CpuMean,
        CpuPeak,
        Deployable,
        Notes,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        SortRole = Qt::UserRole, // the raw value (double / qint64 / QString)
        TargetIdRole, // the row's target id
        TrustedRole, // false when a warning applies to the row's figures
    };

    explicit ResultsTableModel(QObject *parent = nullptr);

    void setResults(const QList<sa::bench::TargetResult> &results);
    // Adds a finished cell (the live page calls this on cellFinished()).
    void addResult(const sa::bench::TargetResult &result);
    void clear();
    const QList<sa::bench::TargetResult> &results() const { return m_results; }
    const sa::bench::TargetResult &resultAt(int row) const { return m_results.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Why a row's figures cannot be fully trusted (saturated generator, errors
    // above 1 %, a crash); empty when they can.
    static QStringList warnings(const sa::bench::TargetResult &result);

private:
    QVariant displayValue(const sa::bench::TargetResult &result, int column) const;
    QVariant sortValue(const sa::bench::TargetResult &result, int column) const;

    QList<sa::bench::TargetResult> m_results;
};

// The rows and columns of any table model as aligned plain text, in the model's
// (e.g. the proxy's sorted) order: what "Copy table" puts on the clipboard.
QString tableAsText(const QAbstractItemModel &model);

} // namespace sa::ui
