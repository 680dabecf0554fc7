#pragma once

#include <QLabel>

namespace sa::ui {

// One legend for several charts: a colour swatch and the name of each target, in
// the target's colour of the whole app, wrapping over as many lines as needed
// (a chart's own legend shrinks to bare swatches with eight targets).
class TargetLegend final : public QLabel
{
    Q_OBJECT

public:
    explicit TargetLegend(QWidget *parent = nullptr);

    // (target id, display name) in the order to show.
    void setTargets(const QList<std::pair<QString, QString>> &targets);
};

} // namespace sa::ui
