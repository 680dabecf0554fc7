#include "questionnaireform.h"

#include "advisor/capacity.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QGroupBox>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>
#include <vector>

namespace sa::ui {

using advisor::Question;

namespace {

// Reads what people type for a rate: "25,000", "25 000", "25k" (one parser, in core).
class RateSpinBox final : public QSpinBox
{
public:
    using QSpinBox::QSpinBox;

protected:
    QValidator::State validate(QString &input, int &) const override
    {
        const QString text = input.trimmed();
        if (text.isEmpty())
            return QValidator::Intermediate;
        if (const std::optional<qint64> value = advisor::parseWholeNumber(text))
            return *value >= minimum() && *value <= maximum() ? QValidator::Acceptable
                                                              : QValidator::Intermediate;
        // Half typed: "25,", "2.5", "1 0".
        static const QRegularExpression partial(QStringLiteral("^[0-9][0-9,_ .\\x{00A0}\\x{202F}]*[kKmM]?$"));
        return partial.match(text).hasMatch() ? QValidator::Intermediate : QValidator::Invalid;
    }

    int valueFromText(const QString &text) const override
    {
        return int(advisor::parseWholeNumber(text).value_or(value()));
    }
};

} // namespace

QuestionnaireForm::QuestionnaireForm(const advisor::Questionnaire &questionnaire, QWidget *parent)
    : QWidget(parent), m_questionnaire(questionnaire)
{
    setAccessibleName(tr("Questionnaire"));
    auto *layout = new QVBoxLayout(this);
    for (const Question &question : m_questionnaire.questions())
        addQuestion(question);
    layout->addStretch(1);
    setAnswers(advisor::Answers::unsure(m_questionnaire));
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
        auto *spinBox = new RateSpinBox(group);
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
        spinBox->setToolTip(tr("Type 25000, 25,000, 25 000 or 25k"));
        spinBox->setMinimumWidth(140);
        auto *unit = new QLabel(question.unit, group);
        auto *hint = new QLabel(group);
        hint->setForegroundRole(QPalette::PlaceholderText);
        hint->setWordWrap(true);
        m_spinBoxes.insert(question.id, spinBox);
        m_hints.insert(question.id, hint);
        row->addWidget(spinBox);
        row->addWidget(unit);
        if (question.offersUnsure()) {
            auto *unsure = new QCheckBox(question.unsureLabel, group);
            unsure->setObjectName(QLatin1String("option-") + question.id + QLatin1String("-unsure"));
            unsure->setAccessibleName(question.unsureLabel);
            unsure->setAccessibleDescription(question.title);
            unsure->setToolTip(question.unsureReason);
            m_unsureBoxes.insert(question.id, unsure);
            row->addWidget(unsure);
            connect(unsure, &QCheckBox::toggled, this, [this, question, spinBox](bool checked) {
                spinBox->setEnabled(!checked);
                if (!checked)
                    spinBox->setFocus();
                updateHint(question);
                Q_EMIT answersChanged();
            });
        }
        row->addStretch(1);
        layout->addLayout(row);
        layout->addWidget(hint);
        connect(spinBox, &QSpinBox::valueChanged, this, [this, question] {
            updateHint(question);
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

void QuestionnaireForm::updateHint(const Question &question)
{
    QLabel *label = m_hints.value(question.id);
    const QSpinBox *spinBox = m_spinBoxes.value(question.id);
    if (!label || !spinBox)
        return;
    const QCheckBox *unsure = m_unsureBoxes.value(question.id);
    const double line = question.capacity.halfAtRequestsPerSecond;
    if (unsure && unsure->isChecked()) {
        label->setText(question.unsureReason);
        return;
    }
    label->setText(spinBox->value() > line
            ? tr("Above the article's line of %1 %2.").arg(advisor::formatRequestRate(line), question.unit)
            : tr("At or below the article's line of %1 %2.")
                  .arg(advisor::formatRequestRate(line), question.unit));
}

advisor::Answers QuestionnaireForm::answers() const
{
    advisor::Answers answers;
    for (const Question &question : m_questionnaire.questions()) {
        switch (question.type) {
        case Question::Type::Number: {
            const QCheckBox *unsure = m_unsureBoxes.value(question.id);
            answers.setValue(question.id,
                unsure && unsure->isChecked() ? question.unsureValue()
                                              : QJsonValue(double(m_spinBoxes.value(question.id)->value())));
            break;
        }
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
        for (QCheckBox *box : std::as_const(m_unsureBoxes))
            blockers.emplace_back(box);
        for (const QList<QAbstractButton *> &buttons : std::as_const(m_buttons)) {
            if (!buttons.isEmpty() && buttons.constFirst()->group())
                blockers.emplace_back(buttons.constFirst()->group());
        }
        for (const Question &question : m_questionnaire.questions()) {
            const QJsonValue value = answers.value(question.id);
            if (question.type == Question::Type::Number) {
                QSpinBox *spinBox = m_spinBoxes.value(question.id);
                if (value.isDouble())
                    spinBox->setValue(int(value.toDouble()));
                else
                    spinBox->setValue(int(question.suggested)); // where typing starts from
                if (QCheckBox *unsure = m_unsureBoxes.value(question.id))
                    unsure->setChecked(!value.isDouble());
                spinBox->setEnabled(value.isDouble());
                updateHint(question);
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
