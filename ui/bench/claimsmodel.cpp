#include "claimsmodel.h"

#include <QColor>
#include <QFont>
#include <QLocale>

namespace sa::ui {

using sa::bench::ClaimRow;
using sa::bench::ClaimVerdict;

ClaimsModel::ClaimsModel(QObject *parent) : QAbstractTableModel(parent) { }

void ClaimsModel::setRows(const QList<ClaimRow> &rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

int ClaimsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ClaimsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QColor ClaimsModel::verdictColor(ClaimVerdict verdict)
{
    switch (verdict) {
    case ClaimVerdict::Holds:
        return QColor(0x49, 0x50, 0x57);
    case ClaimVerdict::DoesNotHold:
        return QColor(0x1C, 0x7E, 0xD6);
    case ClaimVerdict::NotComparable:
        return QColor(0xE6, 0x77, 0x00);
    case ClaimVerdict::NotMeasured:
        return QColor(0x86, 0x8E, 0x96);
    }
    return {};
}

QVariant ClaimsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ClaimRow &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Claim:
            return row.title;
        case Claimed:
            return row.claimed.present ? row.claimed.text : QStringLiteral("—");
        case Measured:
            return row.measured.present ? row.measured.text : QStringLiteral("—");
        case Ratio:
            return row.ratio > 0
                ? QStringLiteral("%1×").arg(QLocale().toString(row.ratio, 'f', row.ratio < 10 ? 2 : 1))
                : QStringLiteral("—");
        case Verdict:
            // A doubt that did not already make the row "not comparable" is flagged beside it.
            return row.verdict != ClaimVerdict::NotComparable && !row.caveats.isEmpty()
                ? row.verdictText + QStringLiteral(" ⚠")
                : row.verdictText;
        case Meaning:
            return row.explanation;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Claim || index.column() == Claimed)
            return row.quote.isEmpty() ? QVariant() : QVariant(tr("The article: “%1”").arg(row.quote));
        if (index.column() == Meaning)
            return row.explanation;
        if (index.column() == Verdict || index.column() == Measured)
            return row.caveats.isEmpty() ? QVariant() : QVariant(row.caveats.join(QLatin1Char('\n')));
        return {};
    case Qt::DecorationRole:
        return index.column() == Verdict ? QVariant(verdictColor(row.verdict)) : QVariant();
    case Qt::ForegroundRole:
        if (index.column() == Verdict && row.verdict == ClaimVerdict::NotComparable)
            return verdictColor(row.verdict);
        return {};
    case Qt::FontRole:
        if (index.column() == Verdict && row.verdict != ClaimVerdict::NotMeasured) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Claimed || index.column() == Measured || index.column() == Ratio)
            return QVariant::fromValue<Qt::Alignment>(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue<Qt::Alignment>(Qt::AlignLeft | Qt::AlignVCenter);
    case VerdictRole:
        return int(row.verdict);
    case ClaimIdRole:
        return row.id;
    default:
        return {};
    }
}

QVariant ClaimsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Claim:
            return tr("Claim");
        case Claimed:
            return tr("The article");
        case Measured:
            return tr("This machine");
        case Ratio:
            return tr("Article ÷ here");
        case Verdict:
            return tr("Verdict");
        case Meaning:
            return tr("What it means");
        }
    }
    if (role == Qt::ToolTipRole && section == Ratio)
        return tr("The article's figure divided by the one measured here");
    return {};
}

} // namespace sa::ui
