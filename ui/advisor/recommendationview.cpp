#include "recommendationview.h"

#include "criteriamodel.h"
#include "decisiontablemodel.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace sa::ui {

namespace {

// A table as tall as its rows, without its own scroll bar: the page scrolls as a
// whole, and word-wrapped rows re-measure when the width changes.
class FittedTableView final : public QTableView
{
public:
    using QTableView::QTableView;

    QSize sizeHint() const override
    {
        int height = 2 * frameWidth() + horizontalHeader()->sizeHint().height();
        for (int row = 0; model() && row < model()->rowCount(); ++row)
            height += rowHeight(row);
        return { QTableView::sizeHint().width(), height };
    }
    QSize minimumSizeHint() const override { return { 200, sizeHint().height() }; }

    void refit() { updateGeometry(); }

    // Word-wrapped rows depend on the column widths, which the header settles
    // after the view's own resize: the vertical header sizes rows to their
    // contents, and the view's height follows every row resize.
    void fitRowsToContents()
    {
        verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        connect(verticalHeader(), &QHeaderView::sectionResized, this, [this] { updateGeometry(); });
    }
};

FittedTableView *makeTable(QAbstractItemModel *model, const QString &name, QWidget *parent)
{
    auto *view = new FittedTableView(parent);
    view->setModel(model);
    view->setAccessibleName(name);
    view->setWordWrap(true);
    view->setAlternatingRowColors(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    view->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    view->verticalHeader()->hide();
    view->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    view->fitRowsToContents();
    return view;
}

QProgressBar *makeBar(const QString &name, QWidget *parent)
{
    auto *bar = new QProgressBar(parent);
    bar->setRange(0, 100);
    bar->setAccessibleName(name);
    // The number sits in a label beside the bar: drawn over the bar it straddles the fill edge.
    bar->setTextVisible(false);
    return bar;
}

} // namespace

RecommendationView::RecommendationView(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QVBoxLayout(this))
    , m_verdict(new QLabel(this))
    , m_confidence(new QLabel(this))
    , m_explanation(new QLabel(this))
    , m_goBar(makeBar(tr("Go score"), this))
    , m_pythonBar(makeBar(tr("Python score"), this))
    , m_goValue(new QLabel(this))
    , m_pythonValue(new QLabel(this))
    , m_flips(new QLabel(this))
    , m_notes(new QLabel(this))
    , m_criteriaModel(new CriteriaModel(this))
    , m_decisionModel(new DecisionTableModel(this))
{
    setAccessibleName(tr("Recommendation"));

    QFont verdictFont = m_verdict->font();
    verdictFont.setPointSizeF(verdictFont.pointSizeF() * 1.6);
    verdictFont.setBold(true);
    m_verdict->setFont(verdictFont);
    m_verdict->setWordWrap(true);
    m_verdict->setAccessibleName(tr("Verdict"));
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_layout->addWidget(m_verdict);

    m_confidence->setWordWrap(true);
    m_confidence->setTextFormat(Qt::PlainText);
    m_confidence->setObjectName(QStringLiteral("confidence"));
    m_confidence->setAccessibleName(tr("Confidence"));
    m_confidence->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_confidence->setFrameShape(QFrame::StyledPanel);
    m_confidence->setMargin(6);
    m_layout->addWidget(m_confidence);

    m_explanation->setWordWrap(true);
    m_explanation->setAccessibleName(tr("Why this verdict"));
    m_explanation->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_layout->addWidget(m_explanation);

    auto *scores = new QGridLayout;
    auto *goLabel = new QLabel(tr("Go"), this);
    auto *pythonLabel = new QLabel(tr("Python"), this);
    goLabel->setBuddy(m_goBar);
    pythonLabel->setBuddy(m_pythonBar);
    scores->addWidget(goLabel, 0, 0);
    scores->addWidget(m_goBar, 0, 1);
    scores->addWidget(pythonLabel, 1, 0);
    scores->addWidget(m_pythonBar, 1, 1);
    scores->addWidget(m_goValue, 0, 2);
    scores->addWidget(m_pythonValue, 1, 2);
    scores->setColumnStretch(1, 1);
    m_layout->addLayout(scores);
    m_sectionInsertIndex = m_layout->count();

    addHeading(tr("Why, criterion by criterion"));
    auto *criteria = makeTable(m_criteriaModel, tr("Criteria"), this);
    m_criteriaView = criteria;
    QHeaderView *header = criteria->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(CriteriaModel::WhyColumn, QHeaderView::Stretch);
    m_layout->addWidget(criteria);

    addHeading(tr("What would change the verdict"));
    m_flips->setWordWrap(true);
    m_flips->setTextFormat(Qt::PlainText);
    m_flips->setAccessibleName(tr("What would change the verdict"));
    m_flips->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_layout->addWidget(m_flips);

    addHeading(tr("The article's decision table (your rows highlighted)"));
    auto *decision = makeTable(m_decisionModel, tr("Decision table"), this);
    m_decisionView = decision;
    decision->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_layout->addWidget(decision);
    m_notes->setWordWrap(true);
    m_notes->setTextFormat(Qt::PlainText);
    m_notes->setAccessibleName(tr("Notes on the decision table"));
    m_notes->setForegroundRole(QPalette::PlaceholderText);
    m_layout->addWidget(m_notes);
    m_layout->addStretch(1);
}

QLabel *RecommendationView::addHeading(const QString &text)
{
    auto *heading = new QLabel(text, this);
    QFont font = heading->font();
    font.setBold(true);
    heading->setFont(font);
    heading->setContentsMargins(0, 8, 0, 0);
    m_layout->addWidget(heading);
    return heading;
}

void RecommendationView::addSection(const QString &title, QWidget *widget)
{
    auto *heading = new QLabel(title, this);
    QFont font = heading->font();
    font.setBold(true);
    heading->setFont(font);
    heading->setContentsMargins(0, 8, 0, 0);
    widget->setParent(this);
    m_layout->insertWidget(m_sectionInsertIndex++, heading);
    m_layout->insertWidget(m_sectionInsertIndex++, widget);
}

QString RecommendationView::verdictText() const
{
    return m_verdict->text();
}

QString RecommendationView::confidenceText() const
{
    return m_confidence->text();
}

QString RecommendationView::flipsText() const
{
    return m_flips->text();
}

void RecommendationView::setRecommendation(const advisor::Recommendation &recommendation)
{
    m_recommendation = recommendation;
    m_verdict->setText(recommendation.verdictLine());
    const bool low = recommendation.confidence == advisor::Confidence::Low;
    m_confidence->setText(
        tr("Confidence: %1. %2")
            .arg(advisor::confidenceName(recommendation.confidence), recommendation.confidenceText));
    // Low confidence stands out: the verdict is a leaning, not an answer.
    m_confidence->setForegroundRole(low ? QPalette::BrightText : QPalette::WindowText);
    m_confidence->setBackgroundRole(low ? QPalette::Highlight : QPalette::AlternateBase);
    m_confidence->setAutoFillBackground(true);
    // The Hybrid headline names the parts: it reads better at text size, above the why.
    const QString headline = recommendation.headline == advisor::verdictName(recommendation.verdict)
        ? QString()
        : recommendation.headline.section(QLatin1String(": "), 1) + QLatin1String(".\n");
    m_explanation->setText(headline + recommendation.explanation);
    // One scale for both bars, in tenths of a point: the same points are the same length.
    const double scale = std::max(recommendation.maximumGo, recommendation.maximumPython);
    for (QProgressBar *bar : { m_goBar, m_pythonBar })
        bar->setRange(0, std::max(1, int(std::lround(scale * 10))));
    m_goBar->setValue(int(std::lround(recommendation.goScore * 10)));
    m_pythonBar->setValue(int(std::lround(recommendation.pythonScore * 10)));
    m_goValue->setText(tr("%1 points").arg(advisor::formatPoints(recommendation.goScore)));
    m_pythonValue->setText(tr("%1 points").arg(advisor::formatPoints(recommendation.pythonScore)));
    m_goBar->setAccessibleDescription(
        tr("Go scores %1 points").arg(advisor::formatPoints(recommendation.goScore)));
    m_pythonBar->setAccessibleDescription(
        tr("Python scores %1 points").arg(advisor::formatPoints(recommendation.pythonScore)));

    m_criteriaModel->setContributions(recommendation.contributions);
    static_cast<FittedTableView *>(m_criteriaView)->refit();

    QStringList flips;
    for (const advisor::Flip &flip : recommendation.flips)
        flips << QStringLiteral("• ") + flip.sentence;
    if (flips.isEmpty())
        flips << tr("No single change of answer changes the verdict.");
    if (recommendation.closest)
        flips << tr("The closest: %1").arg(recommendation.closest->sentence);
    QStringList sensitivities;
    for (const advisor::Contribution &c : recommendation.contributions) {
        if (c.sensitivity)
            sensitivities << QStringLiteral("• ") + c.sensitivity->sentence;
    }
    if (!sensitivities.isEmpty())
        flips << QString() << tr("Sensitivity of the weights:") << sensitivities;
    m_flips->setText(flips.join(QLatin1Char('\n')));

    m_decisionModel->setTable(recommendation.decisionTable, recommendation.relevantRows);
    static_cast<FittedTableView *>(m_decisionView)->refit();
    QStringList notes;
    for (const advisor::DecisionRow &row : recommendation.decisionTable) {
        for (const QString &note : row.notes())
            notes << QStringLiteral("* %1 — %2").arg(row.need, note);
    }
    m_notes->setText(notes.join(QLatin1Char('\n')));
    m_notes->setVisible(!notes.isEmpty());
}

} // namespace sa::ui
