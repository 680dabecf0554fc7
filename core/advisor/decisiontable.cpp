#include "decisiontable.h"

#include "jsonfile.h"

#include <QFile>
#include <QSet>

using namespace Qt::StringLiterals;

namespace sa::advisor {

namespace {

bool readCell(const QJsonObject &rowObject, const QString &key, const QString &field, DecisionCell *cell,
    QString *error)
{
    QJsonObject object;
    if (!json::readObject(rowObject, key, field, &object, error))
        return false;
    if (!json::readString(object, u"text"_s, field + u".text"_s, &cell->text, error)
        || !json::readString(object, u"quote"_s, field + u".quote"_s, &cell->quote, error)
        || !json::readString(
            object, u"readingText"_s, field + u".readingText"_s, &cell->readingText, error, false)
        || !json::readString(object, u"note"_s, field + u".note"_s, &cell->note, error, false))
        return false;
    if (cell->text.isEmpty()) {
        *error = u"%1.text: must not be empty"_s.arg(field);
        return false;
    }
    // A cell cited without a sentence would pass the table off as its own evidence.
    if (cell->quote.isEmpty() && cell->note.isEmpty()) {
        *error
            = u"%1.quote: empty; give the article sentence behind the cell, or a note saying there is none"_s
                  .arg(field);
        return false;
    }
    // A corrected reading without its reason would be a silent edit of the article.
    if (!cell->readingText.isEmpty() && cell->note.isEmpty()) {
        *error
            = u"%1.note: missing; a readingText that differs from the article's text needs a note saying why"_s
                  .arg(field);
        return false;
    }
    if (const QStringList unknown
        = json::unknownKeys(object, field, { u"text"_s, u"quote"_s, u"readingText"_s, u"note"_s });
        !unknown.isEmpty()) {
        *error = unknown.constFirst();
        return false;
    }
    return true;
}

} // namespace

std::optional<DecisionTable> DecisionTable::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"%1: cannot read the decision table: %2"_s.arg(path, file.errorString());
        return std::nullopt;
    }
    return fromJson(file.readAll(), path, error);
}

std::optional<DecisionTable> DecisionTable::fromJson(
    const QByteArray &text, const QString &source, QString *error)
{
    const std::optional<QJsonObject> root = json::parseObject(text, source, error);
    if (!root)
        return std::nullopt;
    const auto fail = [&](const QString &message) {
        *error = source + u": "_s + message;
        return std::nullopt;
    };
    QString message;
    QString format;
    if (!json::readString(*root, u"format"_s, u"format"_s, &format, &message))
        return fail(message);
    if (format != u"stackadvisor-decision-table"_s)
        return fail(u"format: expected \"stackadvisor-decision-table\", found \"%1\""_s.arg(format));
    if (const QStringList duplicates = json::duplicateKeys(text); !duplicates.isEmpty())
        return fail(duplicates.constFirst());

    DecisionTable table;
    json::readString(*root, u"source"_s, u"source"_s, &table.m_source, &message, false);
    QJsonArray rows;
    if (!json::readArray(*root, u"rows"_s, u"rows"_s, &rows, &message))
        return fail(message);
    if (rows.isEmpty())
        return fail(u"rows: the table has no rows"_s);
    QSet<QString> ids;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QString field = u"rows[%1]"_s.arg(i);
        if (!rows.at(i).isObject())
            return fail(u"%1: expected an object, found %2"_s.arg(field, json::typeName(rows.at(i))));
        const QJsonObject object = rows.at(i).toObject();
        DecisionRow row;
        if (!json::readString(object, u"id"_s, field + u".id"_s, &row.id, &message)
            || !json::readString(object, u"need"_s, field + u".need"_s, &row.need, &message)
            || !json::readString(object, u"favours"_s, field + u".favours"_s, &row.favours, &message)
            || !readCell(object, u"go"_s, field + u".go"_s, &row.go, &message)
            || !readCell(object, u"python"_s, field + u".python"_s, &row.python, &message))
            return fail(message);
        if (row.favours != u"go"_s && row.favours != u"python"_s)
            return fail(u"%1.favours: \"%2\" is neither \"go\" nor \"python\""_s.arg(field, row.favours));
        if (row.id.isEmpty() || ids.contains(row.id))
            return fail(u"%1.id: \"%2\" is empty or used twice; row ids must be unique"_s.arg(field, row.id));
        ids.insert(row.id);
        table.m_rows.append(row);
    }
    return table;
}

const DecisionRow *DecisionTable::row(const QString &id) const
{
    for (const DecisionRow &candidate : m_rows) {
        if (candidate.id == id)
            return &candidate;
    }
    return nullptr;
}

} // namespace sa::advisor
