#include "io/ordered_json.h"

#include <algorithm>
#include <limits>

namespace wemoe {

const JsonValue *JsonValue::member(const QString &key) const
{
    for (const auto &[name, value] : members) {
        if (name == key)
            return &value;
    }
    return nullptr;
}

namespace {

// Recursive descent over the bytes; the first error stops everything.
class Parser
{
public:
    explicit Parser(QByteArrayView text)
        : m_begin(text.data())
        , m_p(text.data())
        , m_end(text.data() + text.size())
    {
    }

    std::optional<JsonValue> parseDocument(JsonSyntaxError *error)
    {
        JsonValue value;
        skipWhitespace();
        if (m_p < m_end && static_cast<unsigned char>(*m_p) == 0xef)
            fail(QStringLiteral("a byte order mark is not allowed"));
        else if (parseValue(value, 0)) {
            skipWhitespace();
            if (m_p != m_end)
                fail(QStringLiteral("text after the end of the value"));
        }
        if (m_error.reason.isEmpty())
            return value;
        if (error)
            *error = m_error;
        return std::nullopt;
    }

private:
    bool fail(const QString &reason)
    {
        if (m_error.reason.isEmpty())
            m_error = {reason, m_p - m_begin};
        return false;
    }

    void skipWhitespace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r'))
            ++m_p;
    }

    bool literal(const char *word)
    {
        for (const char *w = word; *w; ++w, ++m_p) {
            if (m_p >= m_end || *m_p != *w)
                return fail(QStringLiteral("unknown literal"));
        }
        return true;
    }

    bool parseValue(JsonValue &value, int depth)
    {
        skipWhitespace();
        if (m_p >= m_end)
            return fail(QStringLiteral("unexpected end of text"));
        const char *start = m_p;
        bool ok = false;
        switch (*m_p) {
        case '{': ok = parseObject(value, depth + 1); break;
        case '[': ok = parseArray(value, depth + 1); break;
        case '"':
            value.type = JsonValue::Type::String;
            ok = parseString(value.string);
            break;
        case 't':
            value.type = JsonValue::Type::Bool;
            value.boolean = true;
            ok = literal("true");
            break;
        case 'f':
            value.type = JsonValue::Type::Bool;
            ok = literal("false");
            break;
        case 'n': ok = literal("null"); break;
        default: ok = parseNumber(value); break;
        }
        if (ok)
            value.text = QByteArray(
                start, static_cast<qsizetype>(std::min<std::ptrdiff_t>(m_p - start, JsonValue::kMaxTextBytes)));
        return ok;
    }

    bool parseObject(JsonValue &value, int depth)
    {
        if (depth > kMaxJsonDepth)
            return fail(QStringLiteral("nested deeper than %1 levels").arg(kMaxJsonDepth));
        value.type = JsonValue::Type::Object;
        ++m_p; // '{'
        skipWhitespace();
        if (m_p < m_end && *m_p == '}') {
            ++m_p;
            return true;
        }
        for (;;) {
            skipWhitespace();
            if (m_p >= m_end || *m_p != '"')
                return fail(QStringLiteral("expected a string as the member's name"));
            QString key;
            if (!parseString(key))
                return false;
            skipWhitespace();
            if (m_p >= m_end || *m_p != ':')
                return fail(QStringLiteral("expected ':' after the member's name"));
            ++m_p;
            JsonValue member;
            if (!parseValue(member, depth))
                return false;
            value.members.emplace_back(std::move(key), std::move(member));
            skipWhitespace();
            if (m_p < m_end && *m_p == ',') {
                ++m_p;
                continue;
            }
            if (m_p < m_end && *m_p == '}') {
                ++m_p;
                return true;
            }
            return fail(QStringLiteral("expected ',' or '}' in an object"));
        }
    }

    bool parseArray(JsonValue &value, int depth)
    {
        if (depth > kMaxJsonDepth)
            return fail(QStringLiteral("nested deeper than %1 levels").arg(kMaxJsonDepth));
        value.type = JsonValue::Type::Array;
        ++m_p; // '['
        skipWhitespace();
        if (m_p < m_end && *m_p == ']') {
            ++m_p;
            return true;
        }
        for (;;) {
            JsonValue item;
            if (!parseValue(item, depth))
                return false;
            value.items.push_back(std::move(item));
            skipWhitespace();
            if (m_p < m_end && *m_p == ',') {
                ++m_p;
                continue;
            }
            if (m_p < m_end && *m_p == ']') {
                ++m_p;
                return true;
            }
            return fail(QStringLiteral("expected ',' or ']' in an array"));
        }
    }

    static bool isDigit(char c) { return c >= '0' && c <= '9'; }

    bool parseNumber(JsonValue &value)
    {
        const char *start = m_p;
        if (m_p < m_end && *m_p == '-')
            ++m_p;
        if (m_p >= m_end || !isDigit(*m_p))
            return fail(QStringLiteral("expected a value"));
        if (*m_p == '0')
            ++m_p;
        else
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        bool whole = true;
        if (m_p < m_end && *m_p == '.') {
            whole = false;
            ++m_p;
            if (m_p >= m_end || !isDigit(*m_p))
                return fail(QStringLiteral("expected a digit after the decimal point"));
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            whole = false;
            ++m_p;
            if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (m_p >= m_end || !isDigit(*m_p))
                return fail(QStringLiteral("expected a digit in the exponent"));
            while (m_p < m_end && isDigit(*m_p))
                ++m_p;
        }
        const QByteArray digits(start, m_p - start);
        value.type = JsonValue::Type::Number;
        value.number = digits.toDouble(); // locale-independent; ±inf beyond the double range
        if (whole) {
            bool ok = false;
            const qint64 integer = digits.toLongLong(&ok);
            if (ok)
                value.integer = integer;
        }
        return true;
    }

    static int hexValue(char c)
    {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    }

    bool readHex4(char32_t &unit)
    {
        if (m_end - m_p < 4)
            return fail(QStringLiteral("\\u needs four hex digits"));
        unit = 0;
        for (int i = 0; i < 4; ++i, ++m_p) {
            const int h = hexValue(*m_p);
            if (h < 0)
                return fail(QStringLiteral("\\u needs four hex digits"));
            unit = unit * 16 + static_cast<char32_t>(h);
        }
        return true;
    }

    static void append(QString &out, char32_t codePoint)
    {
        if (codePoint < 0x10000) {
            out.append(QChar(static_cast<char16_t>(codePoint)));
        } else {
            out.append(QChar(QChar::highSurrogate(codePoint)));
            out.append(QChar(QChar::lowSurrogate(codePoint)));
        }
    }

    // One UTF-8 sequence, strictly (no overlong forms, no surrogates, at most U+10FFFF).
    bool readUtf8(char32_t &codePoint)
    {
        const auto lead = static_cast<unsigned char>(*m_p);
        int length = 0;
        char32_t minimum = 0;
        if (lead >= 0xc2 && lead <= 0xdf) {
            length = 2;
            codePoint = lead & 0x1f;
            minimum = 0x80;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            length = 3;
            codePoint = lead & 0x0f;
            minimum = 0x800;
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            length = 4;
            codePoint = lead & 0x07;
            minimum = 0x10000;
        } else {
            return fail(QStringLiteral("invalid UTF-8"));
        }
        if (m_end - m_p < length)
            return fail(QStringLiteral("invalid UTF-8"));
        for (int i = 1; i < length; ++i) {
            const auto byte = static_cast<unsigned char>(m_p[i]);
            if ((byte & 0xc0) != 0x80)
                return fail(QStringLiteral("invalid UTF-8"));
            codePoint = (codePoint << 6) | (byte & 0x3f);
        }
        if (codePoint < minimum || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff))
            return fail(QStringLiteral("invalid UTF-8"));
        m_p += length;
        return true;
    }

    bool parseString(QString &out)
    {
        ++m_p; // the opening quote
        for (;;) {
            if (m_p >= m_end)
                return fail(QStringLiteral("unterminated string"));
            const auto c = static_cast<unsigned char>(*m_p);
            if (c == '"') {
                ++m_p;
                return true;
            }
            if (c < 0x20)
                return fail(QStringLiteral("control character in a string (it must be escaped)"));
            if (c < 0x80 && c != '\\') {
                out.append(QLatin1Char(static_cast<char>(c)));
                ++m_p;
                continue;
            }
            if (c >= 0x80) {
                char32_t codePoint = 0;
                if (!readUtf8(codePoint))
                    return false;
                append(out, codePoint);
                continue;
            }
            ++m_p; // the backslash
            if (m_p >= m_end)
                return fail(QStringLiteral("unterminated string"));
            const char e = *m_p++;
            switch (e) {
            case '"': out.append(QLatin1Char('"')); break;
            case '\\': out.append(QLatin1Char('\\')); break;
            case '/': out.append(QLatin1Char('/')); break;
            case 'b': out.append(QLatin1Char('\b')); break;
            case 'f': out.append(QLatin1Char('\f')); break;
            case 'n': out.append(QLatin1Char('\n')); break;
            case 'r': out.append(QLatin1Char('\r')); break;
            case 't': out.append(QLatin1Char('\t')); break;
            case 'u': {
                char32_t unit = 0;
                if (!readHex4(unit))
                    return false;
                if (unit >= 0xdc00 && unit <= 0xdfff)
                    return fail(QStringLiteral("a low surrogate without a high one"));
                if (unit >= 0xd800 && unit <= 0xdbff) {
                    char32_t low = 0;
                    if (m_end - m_p < 2 || m_p[0] != '\\' || m_p[1] != 'u')
                        return fail(QStringLiteral("a high surrogate without a low one"));
                    m_p += 2;
                    if (!readHex4(low))
                        return false;
                    if (low < 0xdc00 || low > 0xdfff)
                        return fail(QStringLiteral("a high surrogate without a low one"));
                    unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
                }
                append(out, unit);
                break;
            }
            default:
                m_p -= 2; // point at the backslash
                return fail(QStringLiteral("invalid escape '\\%1'").arg(QChar::fromLatin1(e)));
            }
        }
    }

    const char *m_begin;
    const char *m_p;
    const char *m_end;
    JsonSyntaxError m_error;
};

} // namespace

std::optional<JsonValue> parseOrderedJson(QByteArrayView text, JsonSyntaxError *error)
{
    return Parser(text).parseDocument(error);
}

} // namespace wemoe
