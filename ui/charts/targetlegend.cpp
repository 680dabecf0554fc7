#include "targetlegend.h"

#include "charts.h"

namespace sa::ui {

TargetLegend::TargetLegend(QWidget *parent) : QLabel(parent)
{
    setTextFormat(Qt::RichText);
    setWordWrap(true);
    setAccessibleName(tr("Legend: the colour of each target"));
}

void TargetLegend::setTargets(const QList<std::pair<QString, QString>> &targets)
{
    QStringList items;
    QStringList plain;
    for (const auto &[id, name] : targets) {
        items << QStringLiteral("<span style=\"color:%1; font-size:large\">■</span>&nbsp;%2")
                     .arg(charts::targetColor(id).name(),
                         name.toHtmlEscaped().replace(QLatin1Char(' '), QStringLiteral("&nbsp;")));
        plain << name;
    }
    setText(items.join(QStringLiteral("&nbsp;&nbsp;&nbsp; ")));
    setAccessibleDescription(plain.join(QStringLiteral(", ")));
    setVisible(!targets.isEmpty());
}

} // namespace sa::ui
