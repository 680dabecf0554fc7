#pragma once

#include "advisor/comparison.h"

#include <QWidget>

class QLabel;
class QTableWidget;

namespace sa::ui {

// Two answer sets side by side (advisor::Comparison): each verdict with its
// confidence and scores, the sentence that says what moved, the criteria whose
// points differ and the answers that differ.
class ComparisonView final : public QWidget
{
    Q_OBJECT

public:
    explicit ComparisonView(QWidget *parent = nullptr);

    void setComparison(const advisor::Comparison &comparison);
    const advisor::Comparison &comparison() const { return m_comparison; }

    QString verdictText(int side) const; // side 0 = A, 1 = B
    QString summaryText() const;
    QTableWidget *criteriaTable() const { return m_criteria; }
    QTableWidget *answersTable() const { return m_answers; }

private:
    advisor::Comparison m_comparison;
    QLabel *m_names[2] = {};
    QLabel *m_verdicts[2] = {};
    QLabel *m_details[2] = {};
    QLabel *m_summary = nullptr;
    QTableWidget *m_criteria = nullptr;
    QTableWidget *m_answers = nullptr;
};

} // namespace sa::ui
