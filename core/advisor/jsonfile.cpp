#include "jsonfile.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>

namespace sa::advisor::json {

namespace {

// QJsonParseError gives a byte offset; people need line and column.
QString position(const QByteArray &text, qsizetype offset)
{
    int line = 1;
    int column = 1;
    for (qsizetype i = 0; i < offset && i < text.size(); ++i) {
        if (text.at(i) == '\n') {
            ++line;
            column = 1;
        } else if ((uchar(text.at(i)) & 0xC0) != 0x80) { // count characters, not UTF-8 continuation bytes
            ++column;
        }
    }
    return QStringLiteral("%1:%2").arg(line).arg(column);
}

bool missing(const QString &field, QString *error)
{
    *error = QStringLiteral("%1: missing (this field is required)").arg(field);
    return false;
}

bool wrongType(const QString &field, const QJsonValue &value, const char *expected, QString *error)
{
    *error = QStringLiteral("%1: expected %2, found %3").arg(field, QLatin1String(expected), typeName(value));
    return false;
}

} // namespace

QString typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

std::optional<QJsonObject> parseObject(const QByteArray &text, const QString &source, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("%1:%2: malformed JSON: %3")
                     .arg(source, position(text, parseError.offset), parseError.errorString());
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = QStringLiteral("%1: expected a JSON object at the top level").arg(source);
        return std::nullopt;
    }
    return document.object();
}

std::optional<QJsonObject> readObjectFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot read the file: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    return parseObject(file.readAll(), path, error);
}

bool readString(const QJsonObject &object, const QString &key, const QString &field, QString *out,
    QString *error, bool required)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return required ? missing(field, error) : true;
    if (!value.isString())
        return wrongType(field, value, "a string", error);
    *out = value.toString();
    return true;
}

bool readNumber(const QJsonObject &object, const QString &key, const QString &field, double *out,
    QString *error, bool required)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return required ? missing(field, error) : true;
    if (!value.isDouble())
        return wrongType(field, value, "a number", error);
    *out = value.toDouble();
    return true;
}

bool readObject(const QJsonObject &object, const QString &key, const QString &field, QJsonObject *out,
    QString *error, bool required)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return required ? missing(field, error) : true;
    if (!value.isObject())
        return wrongType(field, value, "an object", error);
    *out = value.toObject();
    return true;
}

bool readArray(const QJsonObject &object, const QString &key, const QString &field, QJsonArray *out,
    QString *error, bool required)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return required ? missing(field, error) : true;
    if (!value.isArray())
        return wrongType(field, value, "an array", error);
    *out = value.toArray();
    return true;
}

} // namespace sa::advisor::json
