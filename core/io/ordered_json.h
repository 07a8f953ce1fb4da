#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QString>

#include <optional>
#include <utility>
#include <vector>

namespace wemoe {

// A JSON value exactly as written, for formats where QJsonDocument loses what
// matters: the safetensors header and the shard index must reject duplicate
// keys and report the first bad entry in file order (QJsonObject keeps one of
// duplicates and sorts), integers up to 2^63 must stay exact (QJsonValue goes
// through a double), and names must read back as written (QJsonDocument drops
// a U+FEFF at the start of a string, so a tensor named "\uFEFFw" came back
// as "w"). One parser reads keys and values, so they cannot disagree.
struct JsonValue
{
    enum class Type { Null, Bool, Number, String, Array, Object };

    Type type = Type::Null;
    bool boolean = false;
    double number = 0.0;
    std::optional<qint64> integer; // a Number written without fraction or exponent that fits qint64
    QString string;
    std::vector<JsonValue> items;                       // Array
    std::vector<std::pair<QString, JsonValue>> members; // Object, in order, duplicates kept
    QByteArray text; // the value's source text (at most kMaxTextBytes of it), for messages

    static constexpr int kMaxTextBytes = 120;

    bool isObject() const { return type == Type::Object; }
    bool isArray() const { return type == Type::Array; }
    bool isString() const { return type == Type::String; }
    bool isNumber() const { return type == Type::Number; }
    // The first member named `key`, or nullptr.
    const JsonValue *member(const QString &key) const;
    // The source text for messages ("[1, 2]", "\"F32\"", "null").
    QString sourceText() const { return QString::fromUtf8(text); }
};

struct JsonSyntaxError
{
    QString reason;
    qsizetype offset = 0; // byte offset into the parsed text
};

// Parses `text` as one JSON value (RFC 8259, strictly: UTF-8 only, no byte
// order mark, no invalid escapes, no lone surrogates, no control characters
// in strings, nesting at most kMaxJsonDepth). Returns nullopt and fills
// `error` when the text is not such a value.
std::optional<JsonValue> parseOrderedJson(QByteArrayView text, JsonSyntaxError *error);

constexpr int kMaxJsonDepth = 64;

} // namespace wemoe
