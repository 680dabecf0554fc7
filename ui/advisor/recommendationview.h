#pragma once

#include "advisor/recommendation.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QTableView;
class QVBoxLayout;

namespace sa::ui {

class CriteriaModel;
class DecisionTableModel;

// Shows a Recommendation: the verdict (or "Too close to call — leaning …"), its
// confidence and what would decide it, the two scores as bars on one scale, the
// per-criterion table with each weight's sensitivity, the flip sentences and the
// article's decision table with the relevant rows highlighted. Takes only the
// Recommendation; addSection() appends more (capacity and cost).
class RecommendationView final : public QWidget
{
    Q_OBJECT

public:
    explicit RecommendationView(QWidget *parent = nullptr);

    void setRecommendation(const advisor::Recommendation &recommendation);
    const advisor::Recommendation &recommendation() const { return m_recommendation; }

    // Adds a titled section below the scores; the view takes ownership of `widget`.
    void addSection(const QString &title, QWidget *widget);

    // For tests and for embedding: the models behind the two tables.
    CriteriaModel *criteriaModel() const { return m_criteriaModel; }
    DecisionTableModel *decisionTableModel() const { return m_decisionModel; }
    QString verdictText() const;
    QString confidenceText() const;
    QString flipsText() const;

private:
    QLabel *addHeading(const QString &text);

    advisor::Recommendation m_recommendation;
    QVBoxLayout *m_layout = nullptr;
    int m_sectionInsertIndex = 0; // where addSection() puts the next section
    QLabel *m_verdict = nullptr;
    QLabel *m_confidence = nullptr;
    QLabel *m_explanation = nullptr;
    QProgressBar *m_goBar = nullptr;
    QProgressBar *m_pythonBar = nullptr;
    QLabel *m_goValue = nullptr;
    QLabel *m_pythonValue = nullptr;
    QLabel *m_flips = nullptr;
    QLabel *m_notes = nullptr;
    CriteriaModel *m_criteriaModel = nullptr;
    DecisionTableModel *m_decisionModel = nullptr;
    QTableView *m_criteriaView = nullptr;
    QTableView *m_decisionView = nullptr;
};

} // namespace sa::ui
