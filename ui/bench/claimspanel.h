#pragma once

#include "bench/runanalysis.h"

#include <QWidget>

#include <optional>

class QLabel;
class QTableView;

namespace sa::ui {

class ClaimsModel;

// "Claims vs. measured": the article's benchmark table beside this machine's
// figures, with the ratios, a verdict per claim and a plain summary on top.
class ClaimsPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit ClaimsPanel(QWidget *parent = nullptr);

    // The claims the analysis checked (the article's, and the user's claims file).
    void setAnalysis(const sa::bench::RunAnalysis &analysis);
    void clear();

    ClaimsModel *model() const { return m_model; }
    QString summary() const;
    // The notes every claim shares (ClaimCheck::generalNotes()), shown once under the details.
    QString notes() const;
    // What the selected claim means, with the article's sentence.
    QString details() const;

private:
    void showDetails(int row);

    ClaimsModel *m_model = nullptr;
    QLabel *m_summary = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_details = nullptr;
    QLabel *m_notes = nullptr;
};

} // namespace sa::ui
