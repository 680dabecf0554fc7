#pragma once

#include "advisor/answers.h"
#include "advisor/questionnaire.h"

#include <QHash>
#include <QWidget>

class QAbstractButton;
class QCheckBox;
class QLabel;
class QSpinBox;

namespace sa::ui {

// The questionnaire as a form generated from questionnaire.json: a spin box for a
// number (it takes "25,000", "25 000" or "25k", and a "Not sure yet" box), radio
// buttons for a choice (its "Not sure / no preference" among them), check boxes
// for a multi-choice, each in a group with the article's help text. Editors are
// named for tests and accessibility: "question-<id>" (spin box, group) and
// "option-<id>-<option>" (the number's "Not sure" box is "option-<id>-unsure").
class QuestionnaireForm final : public QWidget
{
    Q_OBJECT

public:
    explicit QuestionnaireForm(const advisor::Questionnaire &questionnaire, QWidget *parent = nullptr);

    advisor::Answers answers() const;
    // `answers` must be valid for the questionnaire; emits answersChanged() once.
    void setAnswers(const advisor::Answers &answers);

Q_SIGNALS:
    void answersChanged();

private:
    void addQuestion(const advisor::Question &question);
    void updateHint(const advisor::Question &question);

    advisor::Questionnaire m_questionnaire;
    QHash<QString, QSpinBox *> m_spinBoxes; // question id -> editor
    QHash<QString, QCheckBox *> m_unsureBoxes; // number question id -> "Not sure yet"
    QHash<QString, QLabel *> m_hints; // question id -> where the value stands against the article's line
    QHash<QString, QList<QAbstractButton *>> m_buttons; // question id -> one per option, in order
};

} // namespace sa::ui
