#include "comparisoncharts.h"

#include "databasegappanel.h"

#include "charts/charts.h"
#include "charts/chartview.h"

#include <QGridLayout>
#include <QVBoxLayout>

namespace sa::ui {

namespace {
constexpr charts::BarMetric kMetrics[] = { charts::BarMetric::RequestsPerSecond,
    charts::BarMetric::LatencyPercentiles, charts::BarMetric::PeakMemory, charts::BarMetric::CpuPercent };
}

ComparisonCharts::ComparisonCharts(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_databaseGap = new DatabaseGapPanel(this);
    m_databaseGap->setObjectName(QStringLiteral("databaseGap"));
    layout->addWidget(m_databaseGap);
    auto *grid = new QGridLayout;
    layout->addLayout(grid, 1);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(4);
    int i = 0;
    for (const charts::BarMetric metric : kMetrics) {
        auto *view = new ChartView(charts::buildBarChart(metric, sa::bench::RunAnalysis {}), this);
        view->setObjectName(QStringLiteral("barChart%1").arg(i));
        grid->addWidget(view, i / 2, i % 2);
        m_views << view;
        ++i;
    }
}

void ComparisonCharts::setAnalysis(const sa::bench::RunAnalysis &analysis)
{
    charts::rememberColors(analysis.run());
    m_databaseGap->setAnalysis(analysis);
    int i = 0;
    for (const charts::BarMetric metric : kMetrics)
        m_views.at(i++)->replaceChart(charts::buildBarChart(metric, analysis));
}

} // namespace sa::ui
