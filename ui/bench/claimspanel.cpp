#include "claimspanel.h"

#include "claimsmodel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
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
    , m_details(new QLabel(this))
{
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
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(ClaimsModel::Claim, QHeaderView::Stretch);
    // The sentence of what a claim means is read below the table, for the
    // selected claim: as a column it would squeeze to a few letters per line.
    m_table->setColumnHidden(ClaimsModel::Meaning, true);

    m_details->setObjectName(QStringLiteral("claimDetails"));
    m_details->setAccessibleName(tr("What the selected claim means"));
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::PlainText);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setFrameShape(QFrame::StyledPanel);
    m_details->setMargin(6);
    m_details->setMinimumHeight(m_details->fontMetrics().lineSpacing() * 4 + 12);
    m_details->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) { showDetails(current.row()); });

    m_notes = new QLabel(this);
    m_notes->setObjectName(QStringLiteral("claimNotes"));
    m_notes->setAccessibleName(tr("What every claim shares"));
    m_notes->setWordWrap(true);
    m_notes->setTextFormat(Qt::PlainText);
    m_notes->setEnabled(false); // secondary text, in the palette's disabled colour
    m_notes->setVisible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_details);
    layout->addWidget(m_notes);
    clear();
}

void ClaimsPanel::showDetails(int row)
{
    if (row < 0 || row >= m_model->rowCount()) {
        m_details->setText(tr("Select a claim to read what it means."));
        return;
    }
    const ClaimRow &claim = m_model->rows().at(row);
    QString text = QStringLiteral("%1 — %2. %3").arg(claim.title, claim.verdictText, claim.explanation);
    if (!claim.caveats.isEmpty())
        text += QLatin1Char('\n') + QStringLiteral("⚠ ") + claim.caveats.join(QStringLiteral("; "));
    if (!claim.quote.isEmpty())
        text += QLatin1Char('\n') + tr("The article: “%1”").arg(claim.quote);
    m_details->setText(text);
}

QString ClaimsPanel::details() const
{
    return m_details->text();
}

void ClaimsPanel::clear()
{
    m_model->setRows({});
    m_notes->clear();
    m_notes->setVisible(false);
    showDetails(-1);
    QString error;
    m_summary->setText(sa::bench::ClaimCheck::standard(&error)
            ? tr("Run a comparison to check the article's figures on this machine.")
            : tr("The article's figures could not be read: %1").arg(error));
}

void ClaimsPanel::setAnalysis(const sa::bench::RunAnalysis &analysis)
{
    if (!analysis.claimsChecked()) {
        clear();
        m_summary->setText(tr("The article's figures could not be read: %1").arg(analysis.claimsError()));
        return;
    }
    QList<ClaimRow> rows = analysis.claims();
    // What this run could check comes first; the rest stays for reference.
    std::stable_partition(rows.begin(), rows.end(),
        [](const ClaimRow &row) { return row.verdict != ClaimVerdict::NotMeasured; });
    m_model->setRows(rows);
    if (!rows.isEmpty())
        m_table->setCurrentIndex(m_model->index(0, 0));
    showDetails(rows.isEmpty() ? -1 : 0);

    int ratiosMeasured = 0, ratiosHold = 0, absoluteMeasured = 0, absoluteHold = 0, undecided = 0;
    for (const ClaimRow &row : rows) {
        if (row.verdict == ClaimVerdict::NotMeasured)
            continue;
        if (row.verdict == ClaimVerdict::NotComparable) {
            ++undecided;
            continue;
        }
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
    if (ratiosMeasured + absoluteMeasured == 0 && undecided > 0) {
        text = tr("None of the claims this run measured can be settled: the warnings of the targets they "
                  "rest on leave them not comparable (see each row).");
    } else if (ratiosMeasured + absoluteMeasured == 0) {
        QStringList frameworks;
        if (const sa::bench::ClaimCheck *check = sa::bench::ClaimCheck::standard()) {
            for (const sa::bench::ClaimCheck::TableRow &row : check->table())
                frameworks << row.label;
        }
        text = tr("None of the article's claims could be checked with this run: it measured no framework "
                  "from the article's table with comparable figures. Include %1 in the JSON scenario to "
                  "check them.")
                   .arg(frameworks.join(QStringLiteral(", ")));
    } else {
        text = tr("%1 of %2 comparisons between frameworks are about as the article says; so are %3 of %4 "
                  "absolute figures.")
                   .arg(ratiosHold)
                   .arg(ratiosMeasured)
                   .arg(absoluteHold)
                   .arg(absoluteMeasured);
        if (undecided > 0)
            text += QLatin1Char(' ')
                + tr("%n more cannot be settled: not comparable (see the row).", nullptr, undecided);
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
            text += tr("Some of the article's gaps between frameworks are confirmed here, others differ: "
                       "see each row.");
    }
    m_summary->setText(text);
    // What every row shares, said once.
    m_notes->setText(analysis.claimNotes().join(QLatin1Char('\n')));
    m_notes->setVisible(!analysis.claimNotes().isEmpty());
}

QString ClaimsPanel::summary() const
{
    return m_summary->text();
}

QString ClaimsPanel::notes() const
{
    return m_notes->text();
}

} // namespace sa::ui
