#include "decisionrow.h"

using namespace Qt::StringLiterals;

namespace sa::advisor {

QString DecisionCell::displayText() const
{
    if (readingText.isEmpty())
        return text;
    return QStringLiteral("%1 (read as: %2)").arg(text, readingText);
}

QJsonObject DecisionCell::toJson() const
{
    QJsonObject object { { u"text"_s, text }, { u"quote"_s, quote } };
    if (!readingText.isEmpty())
        object.insert(u"readingText"_s, readingText);
    if (!note.isEmpty())
        object.insert(u"note"_s, note);
    return object;
}

DecisionCell DecisionCell::fromJson(const QJsonObject &object)
{
    DecisionCell cell;
    cell.text = object.value(u"text"_s).toString();
    cell.readingText = object.value(u"readingText"_s).toString();
    cell.note = object.value(u"note"_s).toString();
    cell.quote = object.value(u"quote"_s).toString();
    return cell;
}

QStringList DecisionRow::notes() const
{
    QStringList result;
    if (!go.note.isEmpty())
        result << QStringLiteral("Go: ") + go.note;
    if (!python.note.isEmpty())
        result << QStringLiteral("Python: ") + python.note;
    return result;
}

QJsonObject DecisionRow::toJson() const
{
    return QJsonObject { { u"id"_s, id }, { u"need"_s, need }, { u"favours"_s, favours },
        { u"go"_s, go.toJson() }, { u"python"_s, python.toJson() } };
}

DecisionRow DecisionRow::fromJson(const QJsonObject &object)
{
    DecisionRow row;
    row.id = object.value(u"id"_s).toString();
    row.need = object.value(u"need"_s).toString();
    row.favours = object.value(u"favours"_s).toString();
    row.go = DecisionCell::fromJson(object.value(u"go"_s).toObject());
    row.python = DecisionCell::fromJson(object.value(u"python"_s).toObject());
    return row;
}

} // namespace sa::advisor
