#include "chartview.h"

#include "charts.h"

#include <QContextMenuEvent>
#include <QDir>
#include <QFileDialog>
#include <QLegend>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>

namespace sa::ui {

ChartView::ChartView(QChart *chart, QWidget *parent) : QChartView(parent)
{
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(240, 180);
    replaceChart(chart);
}

void ChartView::replaceChart(QChart *chart)
{
    QChart *previous = this->chart();
    charts::applyPalette(chart, palette());
    charts::makeLegendClickable(chart);
    if (!m_legendVisible)
        chart->legend()->setVisible(false);
    setChart(chart);
    setAccessibleName(chart->title());
    // QChartView creates a default chart of its own; it and any chart we handed
    // over before belong to the view, so they go.
    if (previous && previous != chart)
        delete previous;
}

void ChartView::setChartLegendVisible(bool visible)
{
    m_legendVisible = visible;
    chart()->legend()->setVisible(visible);
}

QString ChartView::saveWithDialog()
{
    QSettings settings;
    const QString folder = settings.value(QStringLiteral("export/folder"), QDir::homePath()).toString();
    QString name = chart()->title().section(QLatin1Char('('), 0, 0).trimmed().toLower();
    name.replace(QLatin1Char(' '), QLatin1Char('-'));
    const QString path = QFileDialog::getSaveFileName(this, tr("Save chart"),
        QDir(folder).filePath(name + QStringLiteral(".png")), tr("PNG image (*.png);;SVG drawing (*.svg)"));
    if (path.isEmpty())
        return {};
    settings.setValue(QStringLiteral("export/folder"), QFileInfo(path).absolutePath());
    QString error;
    if (!charts::saveChart(chart(), path, QSizeF(size()), &error)) {
        QMessageBox::warning(this, tr("Save chart"), error);
        return {};
    }
    return path;
}

void ChartView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange && chart())
        charts::applyPalette(chart(), palette());
    QChartView::changeEvent(event);
}

void ChartView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    menu.addAction(tr("Save chart as PNG or SVG…"), this, &ChartView::saveWithDialog);
    menu.exec(event->globalPos());
}

} // namespace sa::ui
