#include "comparisoncharts.h"

#include "databasegappanel.h"

#include "charts/chartgrid.h"
#include "charts/charts.h"
#include "charts/chartview.h"

#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace sa::ui {

namespace {
constexpr charts::BarMetric kMetrics[] = { charts::BarMetric::RequestsPerSecond,
    charts::BarMetric::LatencyPercentiles, charts::BarMetric::PeakMemory, charts::BarMetric::CpuPercent };
}

ComparisonCharts::ComparisonCharts(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_hint(new QLabel(this))
    , m_grid(new ChartGrid)
    , m_emptyText(
          tr("No comparison yet: run the comparison (Ctrl+R), and each server joins these charts when "
             "it finishes."))
{
    m_hint->setObjectName(QStringLiteral("comparisonHint"));
    m_hint->setWordWrap(true);
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setTextFormat(Qt::PlainText);
    m_hint->setMargin(24);
    m_hint->setText(m_emptyText);
    int i = 0;
    for (const charts::BarMetric metric : kMetrics) {
        auto *view = new ChartView(charts::buildBarChart(metric, sa::bench::RunAnalysis {}));
        view->setObjectName(QStringLiteral("barChart%1").arg(i++));
        m_grid->addView(view);
    }
    auto *histogram = new ChartView(charts::buildLatencyHistogram(sa::bench::RunAnalysis {}));
    histogram->setObjectName(QStringLiteral("latencyHistogram"));
    m_grid->addView(histogram);
    m_stack->addWidget(m_hint);
    m_stack->addWidget(scrollingChartGrid(m_grid, m_stack));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_databaseGap = new DatabaseGapPanel(this);
    m_databaseGap->setObjectName(QStringLiteral("databaseGap"));
    layout->addWidget(m_databaseGap);
    layout->addWidget(m_stack, 1);
}

void ComparisonCharts::setEmptyText(const QString &text)
{
    m_emptyText = text;
    if (showsHint())
        m_hint->setText(text);
}

QList<ChartView *> ComparisonCharts::views() const
{
    return m_grid->views();
}

bool ComparisonCharts::showsHint() const
{
    return m_stack->currentWidget() == m_hint;
}

QString ComparisonCharts::hintText() const
{
    return m_hint->text();
}

void ComparisonCharts::setAnalysis(const sa::bench::RunAnalysis &analysis)
{
    charts::rememberColors(analysis.run());
    m_databaseGap->setAnalysis(analysis);
    const QList<ChartView *> views = m_grid->views();
    int i = 0;
    for (const charts::BarMetric metric : kMetrics)
        views.at(i++)->replaceChart(charts::buildBarChart(metric, analysis));
    views.at(i)->replaceChart(charts::buildLatencyHistogram(analysis));
    m_grid->updateHeights();
    if (analysis.anyComparable()) {
        m_stack->setCurrentIndex(1);
        return;
    }
    m_hint->setText(analysis.isEmpty()
            ? m_emptyText
            : tr("No target of this run has comparable figures, so there is nothing "
                 "to chart side by side. Why: see the warnings above and the Table "
                 "tab."));
    m_stack->setCurrentWidget(m_hint);
}

} // namespace sa::ui
