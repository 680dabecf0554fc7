#include "targetlegend.h"

#include "charts.h"

namespace sa::ui {

TargetLegend::TargetLegend(QWidget *parent) : QLabel(parent)
{
    setTextFormat(Qt::RichText);
    setWordWrap(true);
    setAccessibleName(tr("Legend: the colour of each target; click a name to hide or show its lines"));
    setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    connect(this, &QLabel::linkActivated, this, &TargetLegend::toggle);
}

void TargetLegend::setTargets(const QList<std::pair<QString, QString>> &targets)
{
    m_targets = targets;
    m_hidden.clear();
    render();
    setVisible(!targets.isEmpty());
}

void TargetLegend::setBandNote(const QString &note)
{
    m_bandNote = note;
    render();
}

void TargetLegend::toggle(const QString &targetId)
{
    const bool visible = m_hidden.contains(targetId);
    if (visible)
        m_hidden.remove(targetId);
    else
        m_hidden.insert(targetId);
    render();
    Q_EMIT targetToggled(targetId, visible);
}

void TargetLegend::render()
{
    QStringList items;
    QStringList plain;
    const QString ink = palette().color(QPalette::WindowText).name();
    for (const auto &[id, name] : std::as_const(m_targets)) {
        const bool hidden = m_hidden.contains(id);
        const QString label = name.toHtmlEscaped().replace(QLatin1Char(' '), QStringLiteral("&nbsp;"));
        items << QStringLiteral("<a href=\"%1\" style=\"text-decoration:%2; color:%3\">"
                                "<span style=\"color:%4; font-size:large\">■</span>&nbsp;%5</a>")
                     .arg(id.toHtmlEscaped(),
                         hidden ? QStringLiteral("line-through") : QStringLiteral("none"),
                         hidden ? palette().color(QPalette::PlaceholderText).name() : ink,
                         hidden ? palette().color(QPalette::PlaceholderText).name()
                                : charts::targetColor(id).name(),
                         label);
        plain << name;
    }
    if (!m_bandNote.isEmpty() && !m_targets.isEmpty())
        items << QStringLiteral("<span style=\"color:#868E96; font-size:large\">▮</span>&nbsp;%1")
                     .arg(m_bandNote.toHtmlEscaped());
    setText(items.join(QStringLiteral("&nbsp;&nbsp;&nbsp; ")));
    setAccessibleDescription(plain.join(QStringLiteral(", ")));
}

} // namespace sa::ui
