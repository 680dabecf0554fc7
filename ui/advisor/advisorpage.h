#pragma once

#include "advisor/recommendation.h"
#include "advisor/scorer.h"
#include "bench/results.h"

#include <QWidget>

#include <optional>

class QLabel;

namespace sa::ui {

class QuestionnaireForm;
class RecommendationView;

// The Advisor area: the questionnaire on the left, the live recommendation on the
// right. Answers can be opened from and saved to JSON files; the last answers
// are kept in QSettings ("advisor/answers") and restored at start.
class AdvisorPage final : public QWidget
{
    Q_OBJECT

public:
    explicit AdvisorPage(QWidget *parent = nullptr);

    // Nullptr when the bundled questionnaire could not be loaded (the page then
    // shows the error instead of the form).
    QuestionnaireForm *form() const { return m_form; }
    RecommendationView *recommendationView() const { return m_view; }
    const advisor::Recommendation &recommendation() const;

    // Replaces the answers with the file's; on a bad file nothing changes and
    // *error says what is wrong (file, line:column or field).
    bool openAnswers(const QString &path, QString *error);
    bool saveAnswers(const QString &path, QString *error) const;
    // What the page told the user last (e.g. stored answers that no longer fit), or empty.
    QString notice() const;
    // The run whose measured figures the high-traffic criterion cites from now on.
    void setRun(const bench::RunResult &run);

Q_SIGNALS:
    void recommendationChanged(const sa::advisor::Recommendation &recommendation);

private:
    void rescore();
    void chooseAndOpen();
    void chooseAndSave();

    std::optional<advisor::Scorer> m_scorer;
    std::optional<bench::RunResult> m_run;
    QuestionnaireForm *m_form = nullptr;
    RecommendationView *m_view = nullptr;
    QLabel *m_notice = nullptr;
};

} // namespace sa::ui
