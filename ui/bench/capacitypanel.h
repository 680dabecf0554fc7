#pragma once

#include "advisor/recommendation.h"
#include "bench/claimcheck.h"
#include "bench/results.h"

#include <QWidget>

#include <optional>

class QLabel;
class QTableWidget;

namespace sa::ui {

// The evidence inside the recommendation: at the team's stated peak, how many
// server cores (and servers) each measured stack needs at the req/s per core it
// served on this machine, and the measured Go-vs-Python gap beside the
// article's. Shown as a section of the Advisor's RecommendationView.
class CapacityPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit CapacityPanel(QWidget *parent = nullptr);

    void setRecommendation(const sa::advisor::Recommendation &recommendation);
    void setRun(const sa::bench::RunResult &run);

    QString summary() const;
    QString trafficEvidence() const;
    QTableWidget *table() const { return m_table; }

private:
    void update();

    std::optional<sa::advisor::Recommendation> m_recommendation;
    std::optional<sa::bench::RunResult> m_run;
    std::optional<sa::bench::ClaimCheck> m_claims;
    QLabel *m_summary = nullptr;
    QLabel *m_traffic = nullptr;
    QTableWidget *m_table = nullptr;
    QLabel *m_assumption = nullptr;
};

} // namespace sa::ui
