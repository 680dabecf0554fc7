#pragma once

#include "bench/claimcheck.h"

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

    // Checks the run against the article (resources/claims/article-2026.json).
    void setRun(const sa::bench::RunResult &run);
    void clear();

    ClaimsModel *model() const { return m_model; }
    QString summary() const;
    // What the selected claim means, with the article's sentence.
    QString details() const;

private:
    void showDetails(int row);

    std::optional<sa::bench::ClaimCheck> m_check;
    QString m_loadError;
    ClaimsModel *m_model = nullptr;
    QLabel *m_summary = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_details = nullptr;
};

} // namespace sa::ui
