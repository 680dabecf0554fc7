#include "comparisonview.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sa::ui {

namespace {

QTableWidget *makeTable(const QStringList &header, const QString &name, QWidget *parent)
{
    auto *table = new QTableWidget(parent);
    table->setColumnCount(int(header.size()));
    table->setHorizontalHeaderLabels(header);
    table->setAccessibleName(name);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setWordWrap(true);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    return table;
}

QLabel *heading(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    label->setContentsMargins(0, 8, 0, 0);
    return label;
}

} // namespace

ComparisonView::ComparisonView(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_criteria(makeTable({ tr("Criterion"), tr("A: Go"), tr("A: Python"), tr("B: Go"), tr("B: Python"),
                               tr("B moves the lead") },
          tr("Criteria whose points differ"), this))
    , m_answers(makeTable({ tr("Question"), tr("A"), tr("B") }, tr("Answers that differ"), this))
{
    setObjectName(QStringLiteral("comparisonView"));
    setAccessibleName(tr("Comparison of two answer sets"));
    auto *layout = new QVBoxLayout(this);
    auto *sides = new QGridLayout;
    for (int side = 0; side < 2; ++side) {
        m_names[side] = new QLabel(this);
        m_verdicts[side] = new QLabel(this);
        m_details[side] = new QLabel(this);
        QFont font = m_verdicts[side]->font();
        font.setPointSizeF(font.pointSizeF() * 1.4);
        font.setBold(true);
        m_verdicts[side]->setFont(font);
        for (QLabel *label : { m_names[side], m_verdicts[side], m_details[side] }) {
            label->setWordWrap(true);
            label->setTextFormat(Qt::PlainText);
            label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        }
        m_verdicts[side]->setAccessibleName(side == 0 ? tr("Verdict A") : tr("Verdict B"));
        m_details[side]->setForegroundRole(QPalette::PlaceholderText);
        sides->addWidget(m_names[side], 0, side);
        sides->addWidget(m_verdicts[side], 1, side);
        sides->addWidget(m_details[side], 2, side);
        sides->setColumnStretch(side, 1);
    }
    layout->addLayout(sides);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setAccessibleName(tr("What differs"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);
    layout->addWidget(heading(tr("Criteria whose points differ"), this));
    layout->addWidget(m_criteria);
    layout->addWidget(heading(tr("Answers that differ"), this));
    layout->addWidget(m_answers);
    layout->addStretch(1);
}

QString ComparisonView::verdictText(int side) const
{
    return m_verdicts[side == 0 ? 0 : 1]->text();
}

QString ComparisonView::summaryText() const
{
    return m_summary->text();
}

void ComparisonView::setComparison(const advisor::Comparison &comparison)
{
    m_comparison = comparison;
    const advisor::Recommendation *sides[2] = { &comparison.a, &comparison.b };
    const QString names[2] = { comparison.nameA, comparison.nameB };
    for (int side = 0; side < 2; ++side) {
        const advisor::Recommendation &r = *sides[side];
        m_names[side]->setText(
            tr("%1: %2").arg(side == 0 ? QStringLiteral("A") : QStringLiteral("B"), names[side]));
        m_verdicts[side]->setText(r.verdictLine());
        QString details = tr("Go %1, Python %2 points · confidence %3")
                              .arg(advisor::formatPoints(r.goScore), advisor::formatPoints(r.pythonScore),
                                  advisor::confidenceName(r.confidence));
        if (r.headline != advisor::verdictName(r.verdict))
            details += QLatin1Char('\n') + r.headline;
        m_details[side]->setText(details);
    }
    m_summary->setText(comparison.summary);

    m_criteria->setRowCount(int(comparison.criteria.size()));
    for (int row = 0; row < comparison.criteria.size(); ++row) {
        const advisor::Comparison::CriterionDifference &d = comparison.criteria.at(row);
        const QStringList cells { d.title, advisor::formatPoints(d.goA), advisor::formatPoints(d.pythonA),
            advisor::formatPoints(d.goB), advisor::formatPoints(d.pythonB),
            d.leadChange() > 0 ? tr("%1 towards Go").arg(advisor::formatPoints(d.leadChange()))
                               : tr("%1 towards Python").arg(advisor::formatPoints(-d.leadChange())) };
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            if (column > 0 && column < 5)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_criteria->setItem(row, column, item);
        }
    }
    m_answers->setRowCount(int(comparison.answers.size()));
    for (int row = 0; row < comparison.answers.size(); ++row) {
        const advisor::Comparison::AnswerDifference &d = comparison.answers.at(row);
        m_answers->setItem(row, 0, new QTableWidgetItem(d.title));
        m_answers->setItem(row, 1, new QTableWidgetItem(d.textA));
        m_answers->setItem(row, 2, new QTableWidgetItem(d.textB));
    }
    m_criteria->resizeRowsToContents();
    m_answers->resizeRowsToContents();
}

} // namespace sa::ui
