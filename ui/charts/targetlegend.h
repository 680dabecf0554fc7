#pragma once

#include <QLabel>
#include <QSet>

namespace sa::ui {

// One legend for several charts: a colour swatch and the name of each target, in
// the target's colour of the whole app, wrapping over as many lines as needed
// (a chart's own legend shrinks to bare swatches with eight targets). A click on
// a name hides that target's lines in every chart the legend serves, another
// shows them again (targetToggled); a hidden name is struck through.
class TargetLegend final : public QLabel
{
    Q_OBJECT

public:
    explicit TargetLegend(QWidget *parent = nullptr);

    // (target id, display name) in the order to show; every target shown again.
    void setTargets(const QList<std::pair<QString, QString>> &targets);
    // Says what the shaded band of the timelines is, after the targets.
    void setBandNote(const QString &note);
    bool isHidden(const QString &targetId) const { return m_hidden.contains(targetId); }
    void toggle(const QString &targetId);

Q_SIGNALS:
    void targetToggled(const QString &targetId, bool visible);

private:
    void render();

    QList<std::pair<QString, QString>> m_targets;
    QSet<QString> m_hidden;
    QString m_bandNote;
};

} // namespace sa::ui
