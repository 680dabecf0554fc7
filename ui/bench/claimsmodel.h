#pragma once

#include "bench/claimcheck.h"

#include <QAbstractTableModel>

namespace sa::ui {

// The article's figures beside this machine's, one row per claim (ClaimCheck).
class ClaimsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Claim, Claimed, Measured, Ratio, Verdict, Meaning, ColumnCount };
    Q_ENUM(Column)
    enum Role { VerdictRole = Qt::UserRole, ClaimIdRole }; // VerdictRole: int(ClaimVerdict)

    explicit ClaimsModel(QObject *parent = nullptr);

    void setRows(const QList<sa::bench::ClaimRow> &rows);
    const QList<sa::bench::ClaimRow> &rows() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Neutral colours: a figure above or below the article's is a finding, not a
    // fault, so neither is red or green; amber marks a row its cells' warnings
    // leave undecided. Always with the verdict's words beside it.
    static QColor verdictColor(sa::bench::ClaimVerdict verdict);

private:
    QList<sa::bench::ClaimRow> m_rows;
};

} // namespace sa::ui
