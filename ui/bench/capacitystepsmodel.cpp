#include "capacitystepsmodel.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace sa::ui {

namespace {

// Column 0 is the mark; the rest are core's step columns.
const QList<sa::bench::StepColumn> &columns()
{
    return sa::bench::capacityStepColumns();
}

} // namespace

CapacityStepsModel::CapacityStepsModel(QObject *parent) : QAbstractTableModel(parent) { }

void CapacityStepsModel::setSteps(
    const QList<sa::bench::CapacityStep> &steps, const sa::bench::CapacityPlan &plan)
{
    beginResetModel();
    m_steps = steps;
    m_reading = sa::bench::readSweep(m_steps, plan);
    endResetModel();
}

void CapacityStepsModel::clear()
{
    setSteps({}, {});
}

int CapacityStepsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_reading.byRate.size());
}

int CapacityStepsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : 1 + int(columns().size());
}

QVariant CapacityStepsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int step = m_reading.byRate.at(index.row());
    const sa::bench::CapacityStep &s = m_steps.at(step);
    const sa::bench::StepVerdict &verdict = m_reading.verdicts.at(step);
    if (role == SustainedRole)
        return verdict.sustained;
    if (role == StepIndexRole)
        return step;
    if (role == Qt::ForegroundRole && !verdict.sustained)
        return QBrush(QColor(0xB0, 0x3A, 0x2E));
    if (role == Qt::FontRole && step == m_reading.sustainable) {
        QFont font;
        font.setBold(true);
        return font;
    }
    if (index.column() == 0) {
        if (role == Qt::DisplayRole)
            return step == m_reading.sustainable ? tr("sustainable")
                : step == m_reading.knee         ? tr("knee")
                                                 : QString();
        if (role == SortRole)
            return s.offeredRate;
        return {};
    }
    const sa::bench::StepColumn &column = columns().at(index.column() - 1);
    switch (role) {
    case Qt::DisplayRole:
        return column.text(s, verdict);
    case SortRole: {
        const QVariant raw = column.raw(s, verdict);
        return raw.isValid() ? raw : QVariant(-1.0);
    }
    case Qt::TextAlignmentRole:
        return QVariant::fromValue<Qt::Alignment>(
            column.numeric ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        return verdict.text;
    default:
        return {};
    }
}

QVariant CapacityStepsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section > columns().size())
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section == 0)
        return role == Qt::DisplayRole ? QVariant(QString()) : QVariant();
    const sa::bench::StepColumn &column = columns().at(section - 1);
    switch (role) {
    case Qt::DisplayRole:
        return column.title;
    case Qt::ToolTipRole:
        return column.toolTip.isEmpty() ? QVariant() : QVariant(column.toolTip);
    default:
        return {};
    }
}

} // namespace sa::ui
