#include "jsonfile.h"

#include <QFile>
#include <QHash>
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

// Walks text that QJsonDocument has accepted, remembering the keys of every
// object, to find the repeats QJsonDocument drops without a word.
class DuplicateScanner
{
public:
    explicit DuplicateScanner(const QByteArray &text) : m_text(text) { }

    QStringList run()
    {
        value(QString());
        return m_problems;
    }

private:
    bool atEnd() const { return m_pos >= m_text.size(); }
    char current() const { return atEnd() ? '\0' : m_text.at(m_pos); }

    void skipSpace()
    {
        while (
            !atEnd() && (current() == ' ' || current() == '\t' || current() == '\r' || current() == '\n')) {
            if (current() == '\n')
                ++m_line;
            ++m_pos;
        }
    }

    QString string()
    {
        ++m_pos; // the opening quote
        const qsizetype start = m_pos;
        while (!atEnd() && current() != '"')
            m_pos += current() == '\\' ? 2 : 1;
        const QByteArray raw = m_text.mid(start, m_pos - start);
        ++m_pos; // the closing quote
        // Keys compare as decoded text, escapes resolved.
        return QJsonDocument::fromJson("[\"" + raw + "\"]").array().at(0).toString();
    }

    void value(const QString &path)
    {
        skipSpace();
        switch (current()) {
        case '{':
            object(path);
            break;
        case '[':
            array(path);
            break;
        case '"':
            string();
            break;
        default:
            while (!atEnd() && !QByteArrayView(",]} \t\r\n").contains(current()))
                ++m_pos;
            break;
        }
    }

    void object(const QString &path)
    {
        ++m_pos;
        QHash<QString, int> firstLine;
        skipSpace();
        while (!atEnd() && current() != '}') {
            skipSpace();
            const int line = m_line;
            const QString key = string();
            const QString field = path.isEmpty() ? key : path + QLatin1Char('.') + key;
            if (const auto it = firstLine.constFind(key); it != firstLine.constEnd()) {
                const QString where = *it == line ? QStringLiteral("on line %1").arg(line)
                                                  : QStringLiteral("(lines %1 and %2)").arg(*it).arg(line);
                m_problems
                    << QStringLiteral("%1: the key \"%2\" appears twice %3; keep one").arg(field, key, where);
            } else {
                firstLine.insert(key, line);
            }
            skipSpace();
            ++m_pos; // ':'
            value(field);
            skipSpace();
            if (current() == ',')
                ++m_pos;
            skipSpace();
        }
        ++m_pos;
    }

    void array(const QString &path)
    {
        ++m_pos;
        skipSpace();
        for (int index = 0; !atEnd() && current() != ']'; ++index) {
            value(QStringLiteral("%1[%2]").arg(path).arg(index));
            skipSpace();
            if (current() == ',')
                ++m_pos;
            skipSpace();
        }
        ++m_pos;
    }

    const QByteArray &m_text;
    qsizetype m_pos = 0;
    int m_line = 1;
    QStringList m_problems;
};

} // namespace

QStringList duplicateKeys(const QByteArray &text)
{
    return DuplicateScanner(text).run();
}

QStringList unknownKeys(const QJsonObject &object, const QString &field, const QStringList &known)
{
    QStringList problems;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (known.contains(it.key()))
            continue;
        const QString name = field.isEmpty() ? it.key() : field + QLatin1Char('.') + it.key();
        problems << QStringLiteral("%1: unknown field; the fields here are: %2")
                        .arg(name, known.join(QLatin1String(", ")));
    }
    return problems;
}

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
