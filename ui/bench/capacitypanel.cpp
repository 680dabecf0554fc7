#include "capacitypanel.h"

#include "advisor/capacity.h"
#include "advisor/evidence.h"
#include "advisor/runcapacityevidence.h"
#include "charts/charts.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPixmap>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace sa::ui {

using sa::advisor::formatCores;
using sa::advisor::formatMoney;
using sa::advisor::formatRequestRate;

namespace {

enum Column {
    StackColumn,
    RateColumn,
    CoresColumn,
    PerCoreColumn,
    AtPeakColumn,
    ServersColumn,
    CostColumn,
    SourceColumn
};

QLabel *secondary(QLabel *label)
{
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

CapacityPanel::CapacityPanel(QWidget *parent)
    : QWidget(parent)
    , m_provenance(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_traffic(new QLabel(this))
    , m_table(new QTableWidget(this))
    , m_price(new QDoubleSpinBox(this))
    , m_coresPerServer(new QSpinBox(this))
    , m_priceLabel(new QLabel(this))
    , m_coresLabel(new QLabel(this))
    , m_assumption(new QLabel(this))
{
    setObjectName(QStringLiteral("capacityPanel"));
    QString error;
    m_claims = sa::bench::ClaimCheck::load(sa::bench::ClaimCheck::defaultClaimsFile(), &error);
    m_model = sa::advisor::CapacityModel::fromResources(&error);

    for (QLabel *label : { m_provenance, m_summary, m_traffic, m_assumption, m_priceLabel, m_coresLabel }) {
        label->setWordWrap(true);
        label->setTextFormat(Qt::PlainText);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    QFont bold = m_provenance->font();
    bold.setBold(true);
    m_provenance->setFont(bold);
    m_provenance->setObjectName(QStringLiteral("capacityProvenance"));
    m_provenance->setAccessibleName(tr("Where the capacity figures come from"));
    m_summary->setAccessibleName(tr("Capacity and cost at your peak"));
    m_traffic->setObjectName(QStringLiteral("trafficEvidence"));
    m_traffic->setAccessibleName(tr("Traffic and throughput: the measured figures"));
    m_assumption->setAccessibleName(tr("What the estimate assumes"));
    secondary(m_assumption);
    secondary(m_priceLabel);
    secondary(m_coresLabel);

    m_table->setObjectName(QStringLiteral("capacityTable"));
    m_table->setAccessibleName(tr("Server cores, servers and monthly cost each stack needs at your peak"));
    m_table->setColumnCount(8);
    // Short headers: the table fits the recommendation's width; tooltips say the rest.
    m_table->setHorizontalHeaderLabels({ tr("Stack"), tr("Req/s"), tr("Cores"), tr("Per core"),
        tr("At your peak"), tr("Servers"), tr("Cost / month"), tr("Figures") });
    m_table->horizontalHeaderItem(PerCoreColumn)
        ->setToolTip(tr("Requests per second one server core served"));
    m_table->horizontalHeaderItem(AtPeakColumn)->setToolTip(tr("Server cores needed at your stated peak"));
    m_table->horizontalHeaderItem(CostColumn)
        ->setToolTip(tr("The cores at your peak × the price per vCPU-month"));
    m_table->horizontalHeaderItem(CoresColumn)->setToolTip(tr("The server cores the figure was served with"));
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_price->setObjectName(QStringLiteral("pricePerVcpuMonth"));
    m_price->setAccessibleName(tr("Price per vCPU-month"));
    m_price->setRange(0.01, 100000);
    m_price->setDecimals(2);
    m_price->setKeyboardTracking(false);
    m_coresPerServer->setObjectName(QStringLiteral("coresPerServer"));
    m_coresPerServer->setAccessibleName(tr("Cores per server"));
    m_coresPerServer->setRange(1, 1024);
    m_coresPerServer->setKeyboardTracking(false);
    auto *editors = new QHBoxLayout;
    auto *priceCaption = new QLabel(tr("Price per vCPU-month:"), this);
    priceCaption->setBuddy(m_price);
    auto *coresCaption = new QLabel(tr("Cores per server:"), this);
    coresCaption->setBuddy(m_coresPerServer);
    editors->addWidget(priceCaption);
    editors->addWidget(m_price);
    editors->addWidget(m_priceLabel, 1);
    editors->addWidget(coresCaption);
    editors->addWidget(m_coresPerServer);
    editors->addWidget(m_coresLabel, 1);
    connect(m_price, &QDoubleSpinBox::valueChanged, this, &CapacityPanel::editCost);
    connect(m_coresPerServer, &QSpinBox::valueChanged, this, &CapacityPanel::editCost);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_provenance);
    layout->addWidget(m_summary);
    layout->addWidget(m_traffic);
    layout->addWidget(m_table);
    layout->addLayout(editors);
    layout->addWidget(m_assumption);
    update();
}

void CapacityPanel::setRecommendation(const sa::advisor::Recommendation &recommendation)
{
    m_recommendation = recommendation;
    update();
}

void CapacityPanel::setRun(const sa::bench::RunAnalysis &run)
{
    m_run = run;
    update();
}

QString CapacityPanel::summary() const
{
    return m_summary->text();
}

QString CapacityPanel::provenance() const
{
    return m_provenance->text();
}

QString CapacityPanel::trafficEvidence() const
{
    return m_traffic->text();
}

QString CapacityPanel::assumptions() const
{
    return m_assumption->text();
}

sa::advisor::CapacityEstimate CapacityPanel::estimate() const
{
    if (m_recommendation && m_recommendation->capacity.isValid())
        return m_recommendation->capacity;
    // A recommendation made from answers alone: the same estimate from the run's (or the article's) figures.
    if (!m_model)
        return {};
    const double peak = m_recommendation ? sa::advisor::statedPeak(*m_recommendation) : 0;
    return sa::advisor::estimateCapacity(peak > 0 ? std::optional<double>(peak) : std::nullopt,
        m_run ? sa::advisor::capacityEvidenceFromRun(*m_run, *m_model) : m_model->published(),
        m_model->defaultCost(), 0, 0, m_model->scaling());
}

void CapacityPanel::editCost()
{
    // From the data's defaults each time: back at the data's figure, its label and source return.
    sa::advisor::CostAssumptions cost = m_model ? m_model->defaultCost() : estimate().cost;
    if (std::abs(m_price->value() - cost.pricePerVcpuMonth) >= 0.005)
        cost = cost.withPrice(m_price->value());
    if (m_coresPerServer->value() != cost.coresPerServer)
        cost = cost.withCoresPerServer(m_coresPerServer->value());
    Q_EMIT costChanged(cost);
}

void CapacityPanel::update()
{
    m_table->setRowCount(0);
    m_traffic->clear();
    m_traffic->setVisible(false);
    const sa::advisor::CapacityEstimate shown = estimate();
    if (shown.evidence.stacks.isEmpty()) {
        m_provenance->setText(tr("The capacity figures could not be loaded."));
        m_summary->setText(
            tr("State your peak traffic in the questionnaire to see how many server cores each "
               "stack needs."));
        m_table->setVisible(false);
        return;
    }

    // Traffic and throughput, measured: core's Go-vs-Python reading of the run
    // (the same row the claims check and the report show), beside the article's.
    if (m_run) {
        if (const sa::bench::ClaimRow *row = m_run->goVsPython();
            row && row->verdict != sa::bench::ClaimVerdict::NotMeasured) {
            m_traffic->setText(
                tr("Traffic and throughput, measured here (%1): Go %2 Python (%3), against the "
                   "article's %4 — %5.")
                    .arg(QLocale().toString(m_run->run().startedAt.toLocalTime(), QLocale::ShortFormat),
                        row->measured.text, row->targetIds.join(QStringLiteral(", ")), row->claimed.text,
                        sa::bench::claimVerdictTitle(row->verdict).toLower()));
            m_traffic->setToolTip(row->explanation);
            m_traffic->setVisible(true);
        }
    }

    const sa::advisor::CapacityEvidence &evidence = shown.evidence;
    QString provenance
        = tr("Figures: %1 (%2)")
              .arg(evidence.label, sa::advisor::throughputTitle(evidence.stacks.constFirst().throughput));
    if (!evidence.fallbackReason.isEmpty())
        provenance += QLatin1String(" — ") + evidence.fallbackReason;
    m_provenance->setText(provenance);

    const auto serversText
        = [](int servers) { return servers == 1 ? tr("one server") : tr("%1 servers").arg(servers); };
    const auto *go = shown.stack(u"Go");
    const auto *python = shown.stack(u"Python");
    if (!shown.peak) {
        m_summary->setText(
            tr("State your peak traffic in the questionnaire to see how many server cores each stack "
               "needs, and what they cost. Per server core:"));
    } else if (go && python) {
        const auto *more = shown.extraCores >= 0 ? python : go;
        const auto *fewer = shown.extraCores >= 0 ? go : python;
        m_summary->setText(
            tr("At your peak of %1 req/s, %2 needs %3 server cores (%4 of %5 cores) and %6 needs %7 (%8): "
               "%9 more cores, about %10 a month more at %11 per vCPU-month.")
                .arg(formatRequestRate(*shown.peak), fewer->evidence.server, formatCores(fewer->coresNeeded),
                    serversText(fewer->servers))
                .arg(shown.cost.coresPerServer)
                .arg(more->evidence.server, formatCores(more->coresNeeded), serversText(more->servers),
                    formatCores(std::abs(shown.extraCores)),
                    formatMoney(std::abs(shown.extraMonthlyCost), shown.cost.currency),
                    formatMoney(shown.cost.pricePerVcpuMonth, shown.cost.currency)));
    }

    m_table->setRowCount(int(shown.stacks.size()));
    int row = 0;
    for (const sa::advisor::StackCapacity &stack : shown.stacks) {
        const auto cell = [&](int column, const QString &text, bool number) {
            auto *item = new QTableWidgetItem(text);
            item->setTextAlignment(
                number ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
            m_table->setItem(row, column, item);
            return item;
        };
        QTableWidgetItem *name = cell(StackColumn, stack.evidence.server, false);
        if (!stack.evidence.targetId.isEmpty()) {
            QPixmap swatch(12, 12);
            swatch.fill(charts::targetColor(stack.evidence.targetId));
            name->setIcon(QIcon(swatch));
        }
        name->setToolTip(stack.evidence.source);
        cell(RateColumn, formatRequestRate(stack.evidence.requestsPerSecond), true);
        QTableWidgetItem *cores
            = cell(CoresColumn, QLocale().toString(stack.evidence.serverCores, 'g', 3), true);
        if (stack.evidence.coresProvenance == sa::advisor::Provenance::Assumed) {
            cores->setText(cores->text() + QLatin1String(" *"));
            cores->setToolTip(tr("Assumed: the article does not state its hardware"));
        }
        cell(PerCoreColumn, formatRequestRate(stack.evidence.requestsPerCore), true);
        cell(AtPeakColumn, shown.peak ? formatCores(stack.coresNeeded) : tr("—"), true);
        cell(ServersColumn, shown.peak ? QLocale().toString(stack.servers) : tr("—"), true);
        cell(CostColumn, shown.peak ? formatMoney(stack.monthlyCost, shown.cost.currency) : tr("—"), true)
            ->setToolTip(tr("Whole servers: %1 a month")
                             .arg(formatMoney(stack.serversMonthlyCost, shown.cost.currency)));
        cell(SourceColumn, sa::advisor::provenanceTitle(stack.evidence.provenance), false)
            ->setToolTip(stack.evidence.source);
        ++row;
    }
    m_table->setVisible(true);

    {
        const QSignalBlocker priceBlocker(m_price);
        const QSignalBlocker coresBlocker(m_coresPerServer);
        m_price->setPrefix(shown.cost.currency == QLatin1String("USD") ? QStringLiteral("$") : QString());
        m_price->setSuffix(
            shown.cost.currency == QLatin1String("USD") ? QString() : QLatin1Char(' ') + shown.cost.currency);
        m_price->setValue(shown.cost.pricePerVcpuMonth);
        m_coresPerServer->setValue(shown.cost.coresPerServer);
    }
    m_priceLabel->setText(tr("(%1)").arg(shown.cost.priceLabel));
    m_priceLabel->setToolTip(shown.cost.priceSource);
    m_price->setToolTip(shown.cost.priceSource);
    m_coresLabel->setText(tr("(%1)").arg(shown.cost.coresPerServerLabel));
    m_coresLabel->setToolTip(shown.cost.coresPerServerSource);
    m_coresPerServer->setToolTip(shown.cost.coresPerServerSource);

    QStringList notes;
    for (const sa::advisor::StackCapacity &stack : shown.stacks)
        notes << tr("%1: %2, %3.")
                     .arg(stack.evidence.server, sa::advisor::provenanceTitle(stack.evidence.provenance),
                         stack.evidence.source);
    notes << evidence.note;
    notes << tr("Price: %1 per vCPU-month, %2: %3")
                 .arg(formatMoney(shown.cost.pricePerVcpuMonth, shown.cost.currency), shown.cost.priceLabel,
                     shown.cost.priceSource);
    notes << tr("Server size: %1 cores, %2: %3")
                 .arg(shown.cost.coresPerServer)
                 .arg(shown.cost.coresPerServerLabel, shown.cost.coresPerServerSource);
    if (shown.needFrom > 0 && shown.articleLine > 0) {
        notes << tr("On these figures the capacity criterion gives half its points, and Go's capacity need "
                    "starts, at "
                    "%1 req/s; the article's line is %2 req/s on its own figures.")
                     .arg(formatRequestRate(shown.needFrom), formatRequestRate(shown.articleLine));
    }
    if (m_recommendation && m_recommendation->capacity.isValid()) {
        notes << tr("Latency target: p99 ≤ %1 ms (%2); the figures above are %3, not yet held to it.")
                     .arg(m_recommendation->latencyTarget.milliseconds)
                     .arg(m_recommendation->latencyTarget.source,
                         sa::advisor::throughputTitle(evidence.stacks.constFirst().throughput));
    }
    notes << shown.scaling;
    m_assumption->setText(notes.join(QLatin1Char('\n')));
}

} // namespace sa::ui
