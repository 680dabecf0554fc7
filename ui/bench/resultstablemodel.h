#pragma once

#include "bench/runanalysis.h"

#include <QAbstractTableModel>
#include <QList>

namespace sa::ui {

// Every figure of every cell of a run, one row per cell, failures included with
// their reason. The columns are core's (sa::bench::resultColumns(ResultView::Gui)),
// so every figure reads as it does in `stackadvisor bench` and the PDF. Sorted
// through a QSortFilterProxyModel: SortRole gives the raw value, so "12,345"
// sorts after "9,876".
class ResultsTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role {
        SortRole = Qt::UserRole, // the raw value (double / qint64 / QString)
        TargetIdRole, // the row's target id
        TrustedRole, // false when a warning applies to the row's figures
        ColumnKeyRole, // the column's key (header data): "requests_per_sec"
    };

    explicit ResultsTableModel(QObject *parent = nullptr);

    // The run so far (the live page calls this again on every finished cell).
    void setAnalysis(const sa::bench::RunAnalysis &analysis);
    void clear();
    const sa::bench::RunAnalysis &analysis() const { return m_analysis; }

    // The column of a key of sa::bench::resultColumns(), or -1.
    int column(const QString &key) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    sa::bench::RunAnalysis m_analysis;
    QList<sa::bench::ResultColumn> m_columns;
};

// The rows and columns of any table model as aligned plain text, in the model's
// (e.g. the proxy's sorted) order: what "Copy table" puts on the clipboard.
QString tableAsText(const QAbstractItemModel &model);

} // namespace sa::ui
