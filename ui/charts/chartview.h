#pragma once

#include <QChartView>

namespace sa::ui {

// A chart view that owns its chart, follows the palette (light or dark), and
// offers "Save chart as PNG/SVG…" in its context menu.
class ChartView final : public QChartView
{
    Q_OBJECT

public:
    explicit ChartView(QChart *chart, QWidget *parent = nullptr);

    // Shows a new chart and deletes the previous one.
    void replaceChart(QChart *chart);
    // Hides the chart's own legend (now and for later charts) where a shared
    // TargetLegend names the series.
    void setChartLegendVisible(bool visible);
    // Asks for a file name (PNG or SVG) and saves the chart; errors are shown in a
    // message box. Returns the path written, "" when cancelled or failed.
    QString saveWithDialog();

protected:
    void changeEvent(QEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    bool m_legendVisible = true;
};

} // namespace sa::ui
