#include "chartgrid.h"

#include "charts.h"
#include "chartview.h"

#include <QGridLayout>
#include <QResizeEvent>
#include <QScrollArea>

#include <algorithm>

namespace sa::ui {

ChartGrid::ChartGrid(QWidget *parent) : QWidget(parent), m_grid(new QGridLayout(this))
{
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setSpacing(4);
}

void ChartGrid::addView(ChartView *view)
{
    view->setParent(this);
    m_views << view;
    m_columns = 0; // re-arranged at the next resize, or now
    arrange(std::max(1, width() / kMinimumColumnWidth));
    updateHeights();
}

void ChartGrid::updateHeights()
{
    for (ChartView *view : std::as_const(m_views))
        view->setMinimumHeight(std::max(kMinimumChartHeight, charts::minimumChartHeight(view->chart())));
}

void ChartGrid::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    arrange(std::clamp(event->size().width() / kMinimumColumnWidth, 1, 2));
}

void ChartGrid::arrange(int columns)
{
    columns = std::clamp(columns, 1, 2);
    if (columns == m_columns)
        return;
    m_columns = columns;
    for (ChartView *view : std::as_const(m_views))
        m_grid->removeWidget(view);
    for (int i = 0; i < m_views.size(); ++i)
        m_grid->addWidget(m_views.at(i), i / columns, i % columns);
    for (int c = 0; c < 2; ++c)
        m_grid->setColumnStretch(c, c < columns ? 1 : 0);
}

QWidget *scrollingChartGrid(ChartGrid *grid, QWidget *parent)
{
    auto *scroll = new QScrollArea(parent);
    scroll->setWidget(grid);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    return scroll;
}

} // namespace sa::ui
