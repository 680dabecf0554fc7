#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace sa::advisor {

// One cell of the article's decision table: its literal text, the numeric
// reading of it (0 poor .. 1 best choice) and the article sentence behind it.
struct DecisionCell
{
    QString text; // verbatim from the article
    double reading = 0; // 0..1
    QString readingText; // what the reading means when it differs from `text` (else empty)
    QString note; // why the reading differs from the literal text (else empty)
    QString quote; // the article sentence supporting the reading

    // The text to show: the literal text, plus the corrected reading when there is one.
    QString displayText() const;
    QJsonObject toJson() const;
    static DecisionCell fromJson(const QJsonObject &object);
};

struct DecisionRow
{
    QString id; // e.g. "high-traffic-api"
    QString need; // e.g. "High-traffic API"
    DecisionCell go;
    DecisionCell python;

    // The notes of both cells, for showing wherever the row is shown.
    QStringList notes() const;
    QJsonObject toJson() const;
    static DecisionRow fromJson(const QJsonObject &object);
};

} // namespace sa::advisor
