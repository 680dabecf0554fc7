#pragma once

#include "bench/capacityanalysis.h"
#include "bench/results.h"

#include <QAbstractTableModel>
#include <QList>

namespace sa::ui {

// The steps behind one cell's capacity figures, lowest offered rate first (a step
// run again counts once, as its last run): the first column marks the sustainable
// step and the knee, the others are core's (sa::bench::capacityStepColumns()).
// The live page feeds it step by step; after the run it shows a cell of the analysis.
class CapacityStepsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role {
        SortRole = Qt::UserRole,
        SustainedRole, // the step's verdict
        StepIndexRole, // in the cell's steps, in run order
    };

    explicit CapacityStepsModel(QObject *parent = nullptr);

    void setSteps(const QList<sa::bench::CapacityStep> &steps, const sa::bench::CapacityPlan &plan);
    void clear();
    const sa::bench::SweepReading &reading() const { return m_reading; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<sa::bench::CapacityStep> m_steps;
    sa::bench::SweepReading m_reading;
};

} // namespace sa::ui
