#include "comparisoncharts.h"

#include "charts/charts.h"
#include "charts/chartview.h"

#include <QGridLayout>

namespace sa::ui {

namespace {
constexpr charts::BarMetric kMetrics[] = { charts::BarMetric::RequestsPerSecond,
    charts::BarMetric::LatencyPercentiles, charts::BarMetric::PeakMemory, charts::BarMetric::CpuPercent };
}

ComparisonCharts::ComparisonCharts(QWidget *parent) : QWidget(parent)
{
    auto *grid = new QGridLayout(this);
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
    int i = 0;
    for (const charts::BarMetric metric : kMetrics)
        m_views.at(i++)->replaceChart(charts::buildBarChart(metric, analysis));
}

} // namespace sa::ui
