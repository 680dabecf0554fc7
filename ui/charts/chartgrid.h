#pragma once

#include <QList>
#include <QWidget>

class QGridLayout;

namespace sa::ui {

class ChartView;

// Charts side by side in as many columns as the width allows (each at least
// minimumColumnWidth wide), each as tall as its rows need (minimumChartHeight()),
// in a scroll area: at a narrow window the charts stack rather than shrink
// until their axes are "…".
class ChartGrid final : public QWidget
{
    Q_OBJECT

public:
    explicit ChartGrid(QWidget *parent = nullptr);

    void addView(ChartView *view);
    QList<ChartView *> views() const { return m_views; }
    int columns() const { return m_columns; }
    // Sets each view's minimum height from its chart; call after replacing charts.
    void updateHeights();

    static constexpr int kMinimumColumnWidth = 300;
    static constexpr int kMinimumChartHeight = 230;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void arrange(int columns);

    QGridLayout *m_grid = nullptr;
    QList<ChartView *> m_views;
    int m_columns = 0;
};

// A ChartGrid in a scroll area that scrolls only vertically.
QWidget *scrollingChartGrid(ChartGrid *grid, QWidget *parent);

} // namespace sa::ui
