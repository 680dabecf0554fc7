#pragma once

#include "bench/runanalysis.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace sa::ui {

class DatabaseGapModel;

// "The bottleneck is usually the database": how much of the Go/Python gap of
// the JSON API remains with PostgreSQL in the loop (core's DatabaseGap), in a
// sentence and a table. Hidden for a run without database scenarios.
class DatabaseGapPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit DatabaseGapPanel(QWidget *parent = nullptr);

    void setAnalysis(const sa::bench::RunAnalysis &analysis);
    QString summaryText() const;
    DatabaseGapModel *model() const { return m_model; }

private:
    QLabel *m_summary = nullptr;
    QTableView *m_table = nullptr;
    DatabaseGapModel *m_model = nullptr;
};

} // namespace sa::ui
