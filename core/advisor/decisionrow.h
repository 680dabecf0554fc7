#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace sa::advisor {

// One cell of the article's decision table: its literal text and the article
// sentence behind it. The cells are shown, not scored: the scorer's points come
// from the questionnaire, whose options cite the rows they lean with.
struct DecisionCell
{
    QString text; // verbatim from the article
    QString readingText; // what the cell means when it differs from `text` (else empty)
    QString note; // why the reading differs, or why no sentence supports the cell (else empty)
    QString quote; // the article sentence supporting the cell; empty only with a note saying why

    // The text to show: the literal text, plus the corrected reading when there is one.
    QString displayText() const;
    QJsonObject toJson() const;
    static DecisionCell fromJson(const QJsonObject &object);
};

struct DecisionRow
{
    QString id; // e.g. "high-traffic-api"
    QString need; // e.g. "High-traffic API"
    QString favours; // "go" or "python": the stack whose cell is the better one
    DecisionCell go;
    DecisionCell python;

    // The notes of both cells, for showing wherever the row is shown.
    QStringList notes() const;
    QJsonObject toJson() const;
    static DecisionRow fromJson(const QJsonObject &object);
};

} // namespace sa::advisor
