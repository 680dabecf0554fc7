#pragma once

#include "advisor/capacitymodel.h"
#include "advisor/recommendation.h"
#include "bench/runanalysis.h"

#include <QWidget>

#include <optional>

class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QTableWidget;

namespace sa::ui {

// Capacity and cost at the team's stated peak, inside the recommendation: the
// server cores, servers and monthly cost each stack needs (the advisor's
// CapacityEstimate), where the figures come from (measured here, or the
// article's table, published), the price per vCPU-month and server size it
// assumes (editable here), and the measured Go-vs-Python gap beside the article's.
class CapacityPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit CapacityPanel(QWidget *parent = nullptr);

    // The estimate shown is the recommendation's; a recommendation made without
    // one (only answers) is estimated from the run given to setRun().
    void setRecommendation(const sa::advisor::Recommendation &recommendation);
    void setRun(const sa::bench::RunAnalysis &run);

    QString summary() const;
    QString provenance() const; // "Figures: published, not measured here — …"
    QString trafficEvidence() const;
    QString assumptions() const;
    QTableWidget *table() const { return m_table; }
    QDoubleSpinBox *priceEditor() const { return m_price; }
    QSpinBox *coresPerServerEditor() const { return m_coresPerServer; }

Q_SIGNALS:
    // A person changed the price or the server size; the advisor re-estimates with it.
    void costChanged(const sa::advisor::CostAssumptions &cost);

private:
    void update();
    void editCost();
    sa::advisor::CapacityEstimate estimate() const;

    std::optional<sa::advisor::Recommendation> m_recommendation;
    std::optional<sa::bench::RunAnalysis> m_run;
    std::optional<sa::bench::ClaimCheck> m_claims;
    std::optional<sa::advisor::CapacityModel> m_model;
    QLabel *m_provenance = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_traffic = nullptr;
    QTableWidget *m_table = nullptr;
    QDoubleSpinBox *m_price = nullptr;
    QSpinBox *m_coresPerServer = nullptr;
    QLabel *m_priceLabel = nullptr;
    QLabel *m_coresLabel = nullptr;
    QLabel *m_assumption = nullptr;
};

} // namespace sa::ui
