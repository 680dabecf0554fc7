#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

// Reading the advisor's JSON files with errors a person can act on: the file,
// the line and column of a syntax error, or the field that is wrong.
namespace sa::advisor::json {

// Parses a whole file (or in-memory text) as one JSON object. On failure returns
// nullopt and sets *error to "<source>:<line>:<column>: <what>".
std::optional<QJsonObject> parseObject(const QByteArray &text, const QString &source, QString *error);
std::optional<QJsonObject> readObjectFile(const QString &path, QString *error);

// Typed field access that names the field on failure: "<field>: expected a string".
// `field` is the dotted path used in messages, e.g. questions[2].options[0].id.
bool readString(const QJsonObject &object, const QString &key, const QString &field, QString *out,
    QString *error, bool required = true);
bool readNumber(const QJsonObject &object, const QString &key, const QString &field, double *out,
    QString *error, bool required = true);
bool readObject(const QJsonObject &object, const QString &key, const QString &field, QJsonObject *out,
    QString *error, bool required = true);
bool readArray(const QJsonObject &object, const QString &key, const QString &field, QJsonArray *out,
    QString *error, bool required = true);

// The JSON type of a value as a word for messages ("a string", "an array"…).
QString typeName(const QJsonValue &value);

// QJsonDocument keeps the last of two equal keys silently; a person who wrote the
// key twice meant one of them. One message per repeated key of any object in
// `text` (which must be valid JSON), in document order:
// "answers.team: the key \"team\" appears twice (lines 6 and 9); keep one".
QStringList duplicateKeys(const QByteArray &text);

// One message per key of `object` that is not in `known`, naming it and the known ones.
QStringList unknownKeys(const QJsonObject &object, const QString &field, const QStringList &known);

} // namespace sa::advisor::json
