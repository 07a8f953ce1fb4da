#include "io/json_object_keys.h"

#include <functional>

namespace wemoe {

namespace {

// A forward-only reader over JSON text that only understands as much as it
// needs to walk objects: strings (with escapes decoded, so "a" and "\u0061"
// compare equal), nesting, and scalars skipped as opaque runs.
class KeyScanner
{
public:
    explicit KeyScanner(QByteArrayView text)
        : m_p(text.data())
        , m_end(text.data() + text.size())
    {
    }

    bool failed() const { return m_failed; }

    char peek()
    {
        skipWhitespace();
        return m_p < m_end ? *m_p : '\0';
    }

    // At '{': calls onKey for each key with the scanner placed at its value;
    // onKey must consume the value.
    void readObject(const std::function<void(const QString &key)> &onKey)
    {
        if (peek() != '{')
            return fail();
        ++m_p;
        if (peek() == '}') {
            ++m_p;
            return;
        }
        while (!m_failed) {
            QString key;
            if (peek() != '"' || !readString(&key))
                return fail();
            if (peek() != ':')
                return fail();
            ++m_p;
            skipWhitespace();
            onKey(key);
            const char next = peek();
            ++m_p;
            if (next == '}')
                return;
            if (next != ',')
                return fail();
        }
    }

    void skipValue()
    {
        const char c = peek();
        if (c == '"') {
            if (!readString(nullptr))
                fail();
            return;
        }
        if (c == '{' || c == '[')
            return skipNested();
        // A number or literal: runs until a delimiter.
        const char *start = m_p;
        while (m_p < m_end && !isDelimiter(*m_p))
            ++m_p;
        if (m_p == start)
            fail();
    }

private:
    static bool isWhitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
    static bool isDelimiter(char c) { return c == ',' || c == '}' || c == ']' || isWhitespace(c); }

    void fail()
    {
        m_failed = true;
        m_p = m_end;
    }

    void skipWhitespace()
    {
        while (m_p < m_end && isWhitespace(*m_p))
            ++m_p;
    }

    void skipNested()
    {
        int depth = 0;
        while (m_p < m_end) {
            const char c = *m_p;
            if (c == '"') {
                if (!readString(nullptr))
                    return fail();
                continue;
            }
            ++m_p;
            if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return;
            }
        }
        fail();
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

    // At '"': reads the string, decoding escapes into `out` when given.
    bool readString(QString *out)
    {
        ++m_p; // the opening quote
        QByteArray utf8; // raw bytes since the last escape
        const auto flush = [&] {
            if (out && !utf8.isEmpty())
                out->append(QString::fromUtf8(utf8));
            utf8.clear();
        };
        while (m_p < m_end) {
            const char c = *m_p++;
            if (c == '"') {
                flush();
                return true;
            }
            if (c != '\\') {
                if (out)
                    utf8.append(c);
                continue;
            }
            if (m_p >= m_end)
                return false;
            const char e = *m_p++;
            char plain = 0;
            switch (e) {
            case '"': plain = '"'; break;
            case '\\': plain = '\\'; break;
            case '/': plain = '/'; break;
            case 'b': plain = '\b'; break;
            case 'f': plain = '\f'; break;
            case 'n': plain = '\n'; break;
            case 'r': plain = '\r'; break;
            case 't': plain = '\t'; break;
            case 'u': {
                if (m_end - m_p < 4)
                    return false;
                int unit = 0;
                for (int i = 0; i < 4; ++i) {
                    const int h = hexValue(*m_p++);
                    if (h < 0)
                        return false;
                    unit = unit * 16 + h;
                }
                // UTF-16 units appended one by one pair up into surrogates by themselves.
                flush();
                if (out)
                    out->append(QChar(static_cast<char16_t>(unit)));
                continue;
            }
            default:
                return false;
            }
            if (out)
                utf8.append(plain);
        }
        return false;
    }

    const char *m_p;
    const char *m_end;
    bool m_failed = false;
};

} // namespace

QStringList jsonObjectKeysInOrder(QByteArrayView json, const QString &member)
{
    KeyScanner scanner(json);
    QStringList keys;
    const auto collect = [&](const QString &key) {
        keys.append(key);
        scanner.skipValue();
    };
    if (member.isEmpty()) {
        scanner.readObject(collect);
        return keys;
    }
    bool found = false;
    scanner.readObject([&](const QString &key) {
        if (!found && key == member && scanner.peek() == '{') {
            found = true;
            scanner.readObject(collect);
        } else {
            scanner.skipValue();
        }
    });
    return keys;
}

} // namespace wemoe
