#include "claimspanel.h"

#include "claimsmodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace sa::ui {

using sa::bench::ClaimKind;
using sa::bench::ClaimRow;
using sa::bench::ClaimVerdict;

ClaimsPanel::ClaimsPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new ClaimsModel(this))
    , m_summary(new QLabel(this))
    , m_table(new QTableView(this))
{
    m_check = sa::bench::ClaimCheck::load(sa::bench::ClaimCheck::defaultClaimsFile(), &m_loadError);

    m_summary->setObjectName(QStringLiteral("claimsSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setAccessibleName(tr("Claims summary"));

    m_table->setObjectName(QStringLiteral("claimsTable"));
    m_table->setAccessibleName(tr("The article's claims beside this machine's figures"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(true);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(ClaimsModel::Meaning, QHeaderView::Stretch);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);
    clear();
}

void ClaimsPanel::clear()
{
    m_model->setRows({});
    m_summary->setText(m_check ? tr("Run a comparison to check the article's figures on this machine.")
                               : tr("The article's figures could not be read: %1").arg(m_loadError));
}

void ClaimsPanel::setRun(const sa::bench::RunResult &run)
{
    if (!m_check) {
        clear();
        return;
    }
    QList<ClaimRow> rows = m_check->check(run);
    // What this run could check comes first; the rest stays for reference.
    std::stable_partition(rows.begin(), rows.end(),
                          [](const ClaimRow &row) { return row.verdict != ClaimVerdict::NotMeasured; });
    m_model->setRows(rows);

    int ratiosMeasured = 0, ratiosHold = 0, absoluteMeasured = 0, absoluteHold = 0;
    for (const ClaimRow &row : rows) {
        if (row.verdict == ClaimVerdict::NotMeasured)
            continue;
        const bool holds = row.verdict == ClaimVerdict::Holds;
        if (row.kind == ClaimKind::Ratio) {
            ++ratiosMeasured;
            ratiosHold += holds;
        } else {
            ++absoluteMeasured;
            absoluteHold += holds;
        }
    }
    QString text;
    if (ratiosMeasured + absoluteMeasured == 0) {
        text = tr("None of the article's claims could be checked with this run: it measured "
                  "no framework from the article's table. Include Gin, Fiber, FastAPI, Django or "
                  "Express in the JSON scenario to check them.");
    } else {
        text = tr("%1 of %2 comparisons between frameworks hold here; %3 of %4 absolute figures are reached.")
                   .arg(ratiosHold).arg(ratiosMeasured).arg(absoluteHold).arg(absoluteMeasured);
        text += QLatin1Char(' ');
        if (ratiosMeasured == 0)
            text += tr("Absolute figures depend on the hardware; run two frameworks from the table to test "
                       "the article's comparisons, which should hold on any machine.");
        else if (ratiosHold == ratiosMeasured)
            text += tr("The article's comparisons carry over to this machine.");
        else if (ratiosHold == 0)
            text += tr("On this machine the gaps between frameworks differ from the article's: "
                       "judge by the figures measured here.");
        else
            text += tr("Some of the article's gaps between frameworks are confirmed here, others are not: "
                       "see each row.");
    }
    m_summary->setText(text);
}

QString ClaimsPanel::summary() const
{
    return m_summary->text();
}

} // namespace sa::ui
