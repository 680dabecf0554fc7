#include "capacitypanel.h"

#include "advisor/capacity.h"
#include "advisor/evidence.h"
#include "charts/charts.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPixmap>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace sa::ui {

using sa::bench::TargetResult;
using sa::bench::TargetStatus;

namespace {

// Two decimals below one core: "0.0 cores" would read as "free".
QString coresText(double cores)
{
    if (cores > 0 && cores < 0.005) // would round to "0.00"
        return QLatin1String("< ") + QLocale().toString(0.01, 'f', 2);
    return QLocale().toString(cores, 'f', cores < 1 ? 2 : 1);
}

} // namespace

CapacityPanel::CapacityPanel(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_traffic(new QLabel(this))
    , m_table(new QTableWidget(this))
    , m_assumption(new QLabel(this))
{
    setObjectName(QStringLiteral("capacityPanel"));
    QString error;
    m_claims = sa::bench::ClaimCheck::load(sa::bench::ClaimCheck::defaultClaimsFile(), &error);

    for (QLabel *label : { m_summary, m_traffic, m_assumption }) {
        label->setWordWrap(true);
        label->setTextFormat(Qt::PlainText);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    m_summary->setAccessibleName(tr("Measured capacity at your peak"));
    m_traffic->setObjectName(QStringLiteral("trafficEvidence"));
    m_traffic->setAccessibleName(tr("Traffic and throughput: the measured figures"));
    m_assumption->setEnabled(false); // secondary text

    m_table->setObjectName(QStringLiteral("capacityTable"));
    m_table->setAccessibleName(tr("Server cores and servers each stack needs at your peak"));
    m_table->setColumnCount(6);
    m_table->setHorizontalHeaderLabels({ tr("Stack"), tr("Measured req/s"), tr("Server cores"),
        tr("Req/s per core"), tr("Cores at your peak"), tr("Servers") });
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(m_traffic);
    layout->addWidget(m_table);
    layout->addWidget(m_assumption);
    update();
}

void CapacityPanel::setRecommendation(const sa::advisor::Recommendation &recommendation)
{
    m_recommendation = recommendation;
    update();
}

void CapacityPanel::setRun(const sa::bench::RunResult &run)
{
    m_run = run;
    update();
}

QString CapacityPanel::summary() const
{
    return m_summary->text();
}

QString CapacityPanel::trafficEvidence() const
{
    return m_traffic->text();
}

void CapacityPanel::update()
{
    const QLocale locale;
    m_table->setRowCount(0);
    m_traffic->clear();
    m_traffic->setVisible(false);
    m_assumption->clear();
    if (!m_run) {
        m_summary->setText(
            tr("No benchmark yet: run a comparison on the Benchmark page to see how many server "
               "cores each stack needs at your peak, measured on this machine."));
        m_table->setVisible(false);
        return;
    }

    // Traffic and throughput, measured: the fastest Go against the fastest
    // Python of the run, beside the article's Gin vs FastAPI.
    const QList<TargetResult> fastest = sa::advisor::fastestPerLanguage(m_run->targets);
    const auto of = [&fastest](QStringView language) -> const TargetResult * {
        const auto it = std::find_if(
            fastest.begin(), fastest.end(), [&](const TargetResult &t) { return t.language == language; });
        return it == fastest.end() ? nullptr : &*it;
    };
    const TargetResult *go = of(u"Go");
    const TargetResult *python = of(u"Python");
    if (go && python && python->requestsPerSecond > 0) {
        QString text
            = tr("Traffic and throughput, measured here (%1): %2 served %3 req/s and %4 %5 req/s — Go %6× "
                 "Python on this machine.")
                  .arg(locale.toString(m_run->startedAt.toLocalTime(), QLocale::ShortFormat), go->displayName,
                      locale.toString(go->requestsPerSecond, 'f', 0), python->displayName,
                      locale.toString(python->requestsPerSecond, 'f', 0),
                      locale.toString(go->requestsPerSecond / python->requestsPerSecond, 'f', 1));
        if (m_claims) {
            double gin = 0, fastapi = 0;
            for (const sa::bench::ClaimCheck::TableRow &row : m_claims->table()) {
                if (row.targetId == QLatin1String("go-gin"))
                    gin = row.requestsPerSec;
                else if (row.targetId == QLatin1String("python-fastapi"))
                    fastapi = row.requestsPerSec;
            }
            if (gin > 0 && fastapi > 0) {
                text += QLatin1Char(' ')
                    + tr("The article: Gin %1 vs FastAPI %2 req/s (%3×).")
                          .arg(locale.toString(gin, 'f', 0), locale.toString(fastapi, 'f', 0),
                              locale.toString(gin / fastapi, 'f', 1));
            }
        }
        m_traffic->setText(text);
        m_traffic->setVisible(true);
    }

    const double peak = m_recommendation ? sa::advisor::statedPeak(*m_recommendation) : 0;
    if (peak <= 0) {
        m_summary->setText(
            tr("State your peak traffic in the questionnaire to see how many server cores each "
               "measured stack needs."));
        m_table->setVisible(false);
        return;
    }
    const sa::advisor::CapacityEstimate estimate = sa::advisor::estimateCapacity(peak, m_run->targets);
    if (estimate.stacks.isEmpty()) {
        m_summary->setText(tr("No target of the last run completed, so there is no measured rate to scale."));
        m_table->setVisible(false);
        return;
    }
    const sa::advisor::StackCapacity &first = estimate.stacks.first();
    const sa::advisor::StackCapacity &last = estimate.stacks.last();
    const auto serversText
        = [](int servers) { return servers == 1 ? tr("one server") : tr("%1 servers").arg(servers); };
    // The two ends of the range: the fastest and the slowest stack measured.
    QString summary = tr("At your peak of %1 req/s, the fastest stack measured, %2, needs %3 server cores "
                         "(%4 of %5 cores)")
                          .arg(locale.toString(peak, 'f', 0), first.displayName, coresText(first.coresNeeded),
                              serversText(first.servers))
                          .arg(estimate.coresPerServer);
    if (estimate.stacks.size() > 1) {
        summary += tr("; the slowest, %1, needs %2 (%3).")
                       .arg(last.displayName, coresText(last.coresNeeded), serversText(last.servers));
    } else {
        summary += QLatin1Char('.');
    }
    m_summary->setText(summary);
    m_assumption->setText(estimate.assumption);

    m_table->setRowCount(int(estimate.stacks.size()));
    int row = 0;
    for (const sa::advisor::StackCapacity &stack : estimate.stacks) {
        const auto cell = [&](int column, const QString &text, bool number) {
            auto *item = new QTableWidgetItem(text);
            item->setTextAlignment(
                number ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
            m_table->setItem(row, column, item);
            return item;
        };
        QPixmap swatch(12, 12);
        swatch.fill(charts::targetColor(stack.targetId));
        cell(0, stack.displayName, false)->setIcon(QIcon(swatch));
        cell(1, locale.toString(stack.requestsPerSecond, 'f', 0), true);
        cell(2, locale.toString(stack.serverCores), true);
        cell(3, locale.toString(stack.requestsPerCore, 'f', 0), true);
        cell(4, coresText(stack.coresNeeded), true);
        cell(5, locale.toString(stack.servers), true);
        ++row;
    }
    m_table->setVisible(true);
}

} // namespace sa::ui
