#pragma once

#include "advisor/recommendation.h"
#include "advisor/scorer.h"
#include "bench/runanalysis.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QDialog;
class QLabel;

namespace sa::ui {

class CapacityPanel;
class ComparisonView;
class QuestionnaireForm;
class RecommendationView;

// The Advisor area: the questionnaire on the left, the live recommendation on the
// right, with capacity and cost at the stated peak (from the latest run when there
// is one, else the article's table). Answers can be opened from and saved to JSON
// files, and compared with another file; the last answers and any price the user
// set are kept in QSettings ("advisor/answers", "advisor/cost") and restored at start.
class AdvisorPage final : public QWidget
{
    Q_OBJECT

public:
    explicit AdvisorPage(QWidget *parent = nullptr);

    // Nullptr when the bundled questionnaire could not be loaded (the page then
    // shows the error instead of the form).
    QuestionnaireForm *form() const { return m_form; }
    RecommendationView *recommendationView() const { return m_view; }
    CapacityPanel *capacityPanel() const { return m_capacity; }
    const advisor::Recommendation &recommendation() const;

    // Replaces the answers with the file's; on a bad file nothing changes and
    // *error says what is wrong (file, line:column or field; every problem).
    bool openAnswers(const QString &path, QString *error);
    bool saveAnswers(const QString &path, QString *error) const;
    // Compares the current answers (A) with the file's (B) in a window beside the
    // page; on a bad file nothing opens and *error says why.
    bool compareWith(const QString &path, QString *error);
    // The comparison window's view, once compareWith() opened it.
    ComparisonView *comparisonView() const;
    // What the page told the user last (e.g. stored answers that no longer fit), or empty.
    QString notice() const;
    // The run whose measured figures the capacity criterion reads from now on.
    void setRun(const bench::RunResult &run);

Q_SIGNALS:
    void recommendationChanged(const sa::advisor::Recommendation &recommendation);

private:
    void rescore();
    void setCost(const advisor::CostAssumptions &cost);
    void chooseAndOpen();
    void chooseAndSave();
    void chooseAndCompare();

    std::optional<advisor::Scorer> m_scorer;
    std::optional<bench::RunAnalysis> m_run; // the latest run, read once by core
    std::optional<advisor::CostAssumptions> m_cost;
    QuestionnaireForm *m_form = nullptr;
    RecommendationView *m_view = nullptr;
    CapacityPanel *m_capacity = nullptr;
    QLabel *m_notice = nullptr;
    QPointer<QDialog> m_comparisonDialog;
    ComparisonView *m_comparison = nullptr;
};

} // namespace sa::ui
