#pragma once

// What a person reads on a chart: every visible piece of text in its scene (axis
// labels and titles, the chart's title, legend entries, bar figures) with the
// rectangle its glyphs take. The tests check that no two of them touch and that
// none was elided to "…".

#include <QChart>
#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QList>
#include <QRectF>
#include <QString>
#include <QTextDocument>

namespace sa::test {

struct ChartLabel
{
    QString text;
    QRectF rect; // in scene coordinates
};

inline bool reallyVisible(const QGraphicsItem *item)
{
    for (const QGraphicsItem *i = item; i; i = i->parentItem()) {
        if (!i->isVisible() || i->opacity() <= 0)
            return false;
    }
    return true;
}

inline QList<ChartLabel> chartLabels(QChart *chart)
{
    QList<ChartLabel> labels;
    if (!chart->scene())
        return labels;
    const QRectF bounds = chart->sceneBoundingRect();
    const QList<QGraphicsItem *> items = chart->scene()->items();
    for (const QGraphicsItem *item : items) {
        QString text;
        QRectF local;
        if (const auto *t = dynamic_cast<const QGraphicsTextItem *>(item)) {
            text = t->toPlainText();
            const double margin = t->document()->documentMargin();
            local = QRectF(QPointF(margin, margin), QFontMetricsF(t->font()).size(0, text));
        } else if (const auto *s = dynamic_cast<const QGraphicsSimpleTextItem *>(item)) {
            text = s->text();
            local = QRectF(QPointF(0, 0), QFontMetricsF(s->font()).size(0, text));
        } else {
            continue;
        }
        if (text.trimmed().isEmpty() || !reallyVisible(item))
            continue;
        const QRectF rect = item->mapRectToScene(local);
        if (!bounds.intersects(rect))
            continue; // a chart of another view in the same scene
        labels.append({ text, rect });
    }
    return labels;
}

// "a" / "b" for the first two labels that overlap, or "".
inline QString firstOverlap(const QList<ChartLabel> &labels)
{
    for (qsizetype i = 0; i < labels.size(); ++i) {
        for (qsizetype j = i + 1; j < labels.size(); ++j) {
            // Half a pixel of anti-aliasing either way is not an overlap.
            if (labels.at(i)
                    .rect.adjusted(0.5, 0.5, -0.5, -0.5)
                    .intersects(labels.at(j).rect.adjusted(0.5, 0.5, -0.5, -0.5)))
                return QStringLiteral("\"%1\" %2 / \"%3\" %4")
                    .arg(labels.at(i).text)
                    .arg(QStringLiteral("(%1,%2 %3×%4)")
                             .arg(labels.at(i).rect.x())
                             .arg(labels.at(i).rect.y())
                             .arg(labels.at(i).rect.width())
                             .arg(labels.at(i).rect.height()))
                    .arg(labels.at(j).text)
                    .arg(QStringLiteral("(%1,%2 %3×%4)")
                             .arg(labels.at(j).rect.x())
                             .arg(labels.at(j).rect.y())
                             .arg(labels.at(j).rect.width())
                             .arg(labels.at(j).rect.height()));
        }
    }
    return {};
}

inline QString firstElided(const QList<ChartLabel> &labels)
{
    for (const ChartLabel &label : labels) {
        if (label.text.contains(QChar(0x2026)) || label.text.contains(QLatin1String("...")))
            return label.text;
    }
    return {};
}

} // namespace sa::test
