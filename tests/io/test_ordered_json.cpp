// The strict, order-keeping JSON parser behind safetensors headers and shard
// indices, against values worked out by hand from RFC 8259.

#include "io/ordered_json.h"

#include <QtTest/QtTest>

using namespace wemoe;

namespace {

JsonValue parsed(const QByteArray &text)
{
    JsonSyntaxError error;
    const auto value = parseOrderedJson(text, &error);
    if (!value)
        qFatal("unexpected syntax error: %s at byte %d", qPrintable(error.reason), static_cast<int>(error.offset));
    return *value;
}

} // namespace

class TestOrderedJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void membersKeepOrderAndDuplicates()
    {
        const JsonValue v = parsed(R"( {"b": 1, "a": [true, false, null], "b": "x"} )");
        QVERIFY(v.isObject());
        QCOMPARE(v.members.size(), size_t(3));
        QCOMPARE(v.members[0].first, QStringLiteral("b"));
        QCOMPARE(v.members[1].first, QStringLiteral("a"));
        QCOMPARE(v.members[2].first, QStringLiteral("b"));
        QCOMPARE(*v.member(QStringLiteral("b"))->integer, Q_INT64_C(1)); // the first of duplicates
        const JsonValue &a = *v.member(QStringLiteral("a"));
        QCOMPARE(a.items.size(), size_t(3));
        QVERIFY(a.items[0].boolean && !a.items[1].boolean && a.items[2].type == JsonValue::Type::Null);
        QCOMPARE(a.text, QByteArray("[true, false, null]"));
    }

    void integersStayExact()
    {
        QCOMPARE(*parsed("9223372036854775807").integer, std::numeric_limits<qint64>::max());
        QCOMPARE(*parsed("-9223372036854775808").integer, std::numeric_limits<qint64>::min());
        // 2^53 + 1 is not a double; a QJsonValue would have said 2^53.
        QCOMPARE(*parsed("9007199254740993").integer, Q_INT64_C(9007199254740993));
        QVERIFY(!parsed("9223372036854775808").integer); // beyond qint64: a number, not an integer
        QVERIFY(!parsed("1.0").integer);
        QVERIFY(!parsed("1e2").integer);
        QCOMPARE(parsed("1e2").number, 100.0);
        QCOMPARE(parsed("-0.25").number, -0.25);
    }

    void stringsDecodeExactly()
    {
        // A leading U+FEFF, escapes, a surrogate pair and raw UTF-8.
        QCOMPARE(parsed("\"\xef\xbb\xbfw\"").string, QString(QChar(0xfeff)) + QStringLiteral("w"));
        QCOMPARE(parsed("\"\\ufeffw\"").string, QString(QChar(0xfeff)) + QStringLiteral("w"));
        QCOMPARE(parsed("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"").string, QStringLiteral("a\"b\\c/d\b\f\n\r\t"));
        QCOMPARE(parsed("\"\\ud83d\\ude00\"").string, QString::fromUtf8("\xf0\x9f\x98\x80"));
        QCOMPARE(parsed("\"\xe6\x95\xb0\"").string, QString(QChar(0x6570)));
        QCOMPARE(parsed("\"\\u0000\"").string, QString(QChar(0)));
    }

    void syntaxErrors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<int>("offset");
        QTest::newRow("empty") << QByteArray() << "unexpected end of text" << 0;
        QTest::newRow("trailing text") << QByteArray("{} x") << "text after the end of the value" << 3;
        QTest::newRow("invalid escape") << QByteArray("\"a\\qb\"") << "invalid escape '\\q'" << 2;
        QTest::newRow("short \\u") << QByteArray("\"\\u12\"") << "\\u needs four hex digits" << 3;
        QTest::newRow("low surrogate alone") << QByteArray("\"\\udc00\"") << "a low surrogate without a high one" << 7;
        QTest::newRow("high surrogate alone")
            << QByteArray("\"\\ud800x\"") << "a high surrogate without a low one" << 7;
        QTest::newRow("overlong UTF-8") << QByteArray("\"\xc0\xaf\"") << "invalid UTF-8" << 1;
        QTest::newRow("UTF-8 surrogate") << QByteArray("\"\xed\xa0\x80\"") << "invalid UTF-8" << 1;
        QTest::newRow("truncated UTF-8") << QByteArray("\"\xe6\x95") << "invalid UTF-8" << 1;
        QTest::newRow("raw control character")
            << QByteArray("\"a\x01\"") << "control character in a string (it must be escaped)" << 2;
        QTest::newRow("unterminated") << QByteArray("\"abc") << "unterminated string" << 4;
        QTest::newRow("leading zero") << QByteArray("01") << "text after the end of the value" << 1;
        QTest::newRow("bare dot") << QByteArray("1.") << "expected a digit after the decimal point" << 2;
        QTest::newRow("missing colon") << QByteArray(R"({"a" 1})") << "expected ':' after the member's name" << 5;
        QTest::newRow("trailing comma") << QByteArray("[1,]") << "expected a value" << 3;
        QTest::newRow("key not string") << QByteArray("{1: 2}") << "expected a string as the member's name" << 1;
        QTest::newRow("bad literal") << QByteArray("nul") << "unknown literal" << 3;
        QTest::newRow("byte order mark") << QByteArray("\xef\xbb\xbf{}") << "a byte order mark is not allowed" << 0;
        QTest::newRow("65 levels") << QByteArray(65, '[') + QByteArray(65, ']') << "nested deeper than 64 levels" << 64;
    }

    void syntaxErrors()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, reason);
        QFETCH(int, offset);
        JsonSyntaxError error;
        QVERIFY(!parseOrderedJson(text, &error));
        QCOMPARE(error.reason, reason);
        QCOMPARE(error.offset, qsizetype(offset));
    }

    void sixtyFourLevelsAreAllowed()
    {
        JsonSyntaxError error;
        QVERIFY(parseOrderedJson(QByteArray(64, '[') + QByteArray(64, ']'), &error));
    }
};

QTEST_GUILESS_MAIN(TestOrderedJson)
#include "test_ordered_json.moc"
