#pragma once

#include "bench/runanalysis.h"

#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace sa::ui {

class ResultsTableModel;

// The sortable table of every figure of a run, with "Copy table", "Export JSON…"
// and "Export CSV…". Used by the benchmark page and the history page.
class ResultsPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit ResultsPanel(QWidget *parent = nullptr);

    // A run's analysis: a whole run (history, or the live run when it ends:
    // complete), or the run so far (its finished cells: not complete).
    void setAnalysis(const sa::bench::RunAnalysis &analysis, bool complete);
    void clear();

    ResultsTableModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }

    // The table as aligned text, in the order shown.
    QString text() const;
    void copyToClipboard() const;
    // Writes the run (as JSON or CSV by the file's suffix) whole or not at all.
    bool exportTo(const QString &filePath, QString *error) const;
    // Asks for a file, then exportTo(); errors go to a message box.
    void exportWithDialog();

private:
    void updateButtons();

    bool m_complete = false;
    ResultsTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QWidget *m_copy = nullptr;
    QWidget *m_export = nullptr;
};

} // namespace sa::ui
