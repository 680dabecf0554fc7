#include "questionnaireform.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QGroupBox>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QRadioButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>
#include <vector>

namespace sa::ui {

using advisor::Question;

QuestionnaireForm::QuestionnaireForm(const advisor::Questionnaire &questionnaire, QWidget *parent)
    : QWidget(parent), m_questionnaire(questionnaire)
{
    setAccessibleName(tr("Questionnaire"));
    auto *layout = new QVBoxLayout(this);
    for (const Question &question : m_questionnaire.questions())
        addQuestion(question);
    layout->addStretch(1);
    setAnswers(advisor::Answers::defaults(m_questionnaire));
}

void QuestionnaireForm::addQuestion(const Question &question)
{
    auto *group = new QGroupBox(question.title, this);
    group->setObjectName(QLatin1String("question-") + question.id);
    group->setAccessibleName(question.title);
    group->setAccessibleDescription(question.help);
    auto *layout = new QVBoxLayout(group);

    auto *help = new QLabel(question.help, group);
    help->setWordWrap(true);
    help->setTextFormat(Qt::PlainText);
    // Secondary text: the palette's placeholder colour keeps it readable in every theme.
    help->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(help);

    switch (question.type) {
    case Question::Type::Number: {
        auto *row = new QHBoxLayout;
        auto *spinBox = new QSpinBox(group);
        spinBox->setObjectName(QLatin1String("question-") + question.id);
        spinBox->setAccessibleName(question.title);
        spinBox->setAccessibleDescription(question.help);
        spinBox->setRange(int(std::max<qint64>(question.min, std::numeric_limits<int>::min())),
            int(std::min<qint64>(question.max, std::numeric_limits<int>::max())));
        spinBox->setSingleStep(1000);
        spinBox->setGroupSeparatorShown(true);
        spinBox->setLocale(
            QLocale(QLocale::English, QLocale::UnitedStates)); // "10,000", as the article writes it
        spinBox->setKeyboardTracking(false); // score when the typing is done, not per digit
        if (!question.unit.isEmpty())
            spinBox->setSuffix(QLatin1Char(' ') + question.unit);
        spinBox->setMinimumWidth(160);
        auto *band = new QLabel(group);
        band->setForegroundRole(QPalette::PlaceholderText);
        m_spinBoxes.insert(question.id, spinBox);
        m_bandLabels.insert(question.id, band);
        row->addWidget(spinBox);
        row->addWidget(band, 1);
        layout->addLayout(row);
        connect(spinBox, &QSpinBox::valueChanged, this, [this, question] {
            updateBandLabel(question);
            Q_EMIT answersChanged();
        });
        break;
    }
    case Question::Type::Choice:
    case Question::Type::Multi: {
        const bool multi = question.type == Question::Type::Multi;
        auto *buttons = new QButtonGroup(group);
        buttons->setExclusive(!multi);
        QList<QAbstractButton *> list;
        for (const advisor::AnswerOption &option : question.options) {
            QAbstractButton *button = multi
                ? static_cast<QAbstractButton *>(new QCheckBox(option.label, group))
                : static_cast<QAbstractButton *>(new QRadioButton(option.label, group));
            button->setObjectName(QLatin1String("option-") + question.id + QLatin1Char('-') + option.id);
            button->setAccessibleName(option.label);
            button->setAccessibleDescription(question.title);
            button->setToolTip(option.effect.reason);
            buttons->addButton(button);
            layout->addWidget(button);
            list << button;
        }
        m_buttons.insert(question.id, list);
        connect(buttons, &QButtonGroup::buttonToggled, this, [this, multi](QAbstractButton *, bool checked) {
            // An exclusive group toggles two buttons per click: report the new one only.
            if (checked || multi)
                Q_EMIT answersChanged();
        });
        break;
    }
    }
    static_cast<QVBoxLayout *>(this->layout())->addWidget(group);
}

void QuestionnaireForm::updateBandLabel(const Question &question)
{
    QLabel *label = m_bandLabels.value(question.id);
    const QSpinBox *spinBox = m_spinBoxes.value(question.id);
    if (!label || !spinBox)
        return;
    const advisor::NumberBand *band = question.band(spinBox->value());
    label->setText(band ? band->phrase : QString());
}

advisor::Answers QuestionnaireForm::answers() const
{
    advisor::Answers answers;
    for (const Question &question : m_questionnaire.questions()) {
        switch (question.type) {
        case Question::Type::Number:
            answers.setValue(question.id, double(m_spinBoxes.value(question.id)->value()));
            break;
        case Question::Type::Choice: {
            const QList<QAbstractButton *> buttons = m_buttons.value(question.id);
            for (qsizetype i = 0; i < buttons.size(); ++i) {
                if (buttons.at(i)->isChecked())
                    answers.setValue(question.id, question.options.at(i).id);
            }
            break;
        }
        case Question::Type::Multi: {
            QJsonArray ids;
            const QList<QAbstractButton *> buttons = m_buttons.value(question.id);
            for (qsizetype i = 0; i < buttons.size(); ++i) {
                if (buttons.at(i)->isChecked())
                    ids.append(question.options.at(i).id);
            }
            answers.setValue(question.id, ids);
            break;
        }
        }
    }
    return answers;
}

void QuestionnaireForm::setAnswers(const advisor::Answers &answers)
{
    {
        std::vector<QSignalBlocker> blockers;
        for (QSpinBox *spinBox : std::as_const(m_spinBoxes))
            blockers.emplace_back(spinBox);
        for (const QList<QAbstractButton *> &buttons : std::as_const(m_buttons)) {
            if (!buttons.isEmpty() && buttons.constFirst()->group())
                blockers.emplace_back(buttons.constFirst()->group());
        }
        for (const Question &question : m_questionnaire.questions()) {
            const QJsonValue value = answers.value(question.id);
            if (question.type == Question::Type::Number) {
                m_spinBoxes.value(question.id)->setValue(int(value.toDouble()));
                updateBandLabel(question);
                continue;
            }
            const QList<QAbstractButton *> buttons = m_buttons.value(question.id);
            const QJsonArray ids = value.toArray();
            for (qsizetype i = 0; i < buttons.size(); ++i) {
                const QString id = question.options.at(i).id;
                buttons.at(i)->setChecked(question.type == Question::Type::Choice
                        ? value.toString() == id
                        : ids.contains(QJsonValue(id)));
            }
        }
    }
    Q_EMIT answersChanged();
}

} // namespace sa::ui
