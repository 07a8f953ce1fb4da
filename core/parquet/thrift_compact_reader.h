#pragma once

#include "parquet/parquet_error_context.h"

#include <QtCore/QByteArray>
#include <QtCore/QtGlobal>

#include <cstdint>
#include <initializer_list>

namespace wemoe {

// The value types of the Thrift compact protocol as they appear on the wire.
// A field's boolean travels in its type nibble (1 true, 2 false); both read
// as Bool.
enum class ThriftType : quint8 {
    Bool = 1,
    Byte = 3,
    I16 = 4,
    I32 = 5,
    I64 = 6,
    Double = 7,
    Binary = 8,
    List = 9,
    Set = 10,
    Map = 11,
    Struct = 12,
};

struct ThriftField
{
    int id = 0;
    ThriftType type = ThriftType::Struct;
    bool boolValue = false; // a Bool field's value
};

// Reads Thrift compact protocol data (Parquet's footer and page headers) from
// a bounded byte span. Nothing is trusted: every length is checked against the
// bytes left, every type against the one expected, and nesting is limited, so
// bad bytes end in one wemoe::Error ("<file>: <where>: <problem> at byte N")
// and never in a read past the span or a runaway recursion.
class ThriftCompactReader
{
public:
    static constexpr int kMaxNesting = 64;

    ThriftCompactReader(const uchar *data, qint64 size, ParquetErrorContext context);

    qint64 position() const { return m_position; }
    qint64 remaining() const { return m_size - m_position; }

    // Reads one struct. `handler(const ThriftField &)` reads the value of a
    // field it knows with the read functions below and returns true, or
    // returns false to have the field skipped. Returns the set of field ids
    // (1..63) the handler read; one of them appearing twice is an error.
    template<typename Handler>
    std::uint64_t readStruct(Handler &&handler)
    {
        enter();
        std::uint64_t seen = 0;
        int lastId = 0;
        ThriftField field;
        while (readFieldHeader(&lastId, &field)) {
            const std::uint64_t bit = field.id > 0 && field.id < 64 ? std::uint64_t(1) << field.id : 0;
            if (!handler(static_cast<const ThriftField &>(field))) {
                skipField(field);
                continue;
            }
            if (seen & bit)
                fail(QStringLiteral("field %1 appears twice in one struct").arg(field.id));
            seen |= bit;
        }
        leave();
        return seen;
    }

    // Fails naming `structName` unless every id in `required` is in `seen`.
    void requireFields(std::uint64_t seen, std::initializer_list<int> required, const char *structName) const;

    // Values, each of the type the wire says it is (`type`: the field's or
    // the list's element type); a different type is an error.
    bool readBool(const ThriftField &field) const;
    std::int8_t readByte(ThriftType type);
    std::int16_t readI16(ThriftType type);
    std::int32_t readI32(ThriftType type);
    std::int64_t readI64(ThriftType type);
    double readDouble(ThriftType type);
    QByteArray readBinary(ThriftType type);

    // Reads a list (or set) whose elements must be of `elementType`:
    // `element(std::int64_t index)` reads each one.
    template<typename Element>
    void readList(ThriftType type, ThriftType elementType, Element &&element)
    {
        const std::int64_t count = readListHeader(type, elementType);
        enter();
        for (std::int64_t i = 0; i < count; ++i)
            element(i);
        leave();
    }

    // Skips one value of `type` that is not a field's (a bool is a byte).
    void skipValue(ThriftType type);

    [[noreturn]] void fail(const QString &problem) const;

private:
    bool readFieldHeader(int *lastId, ThriftField *field);
    void skipField(const ThriftField &field);
    void skip(ThriftType type, bool inCollection);
    std::int64_t readListHeader(ThriftType type, ThriftType elementType);
    ThriftType wireType(int nibble, bool allowStop) const;
    void expect(ThriftType actual, ThriftType expected) const;
    std::uint64_t readVarint(int maxBytes);
    quint8 readRawByte();
    void enter();
    void leave() { --m_depth; }

    const uchar *m_data;
    qint64 m_size;
    qint64 m_position = 0;
    int m_depth = 0;
    ParquetErrorContext m_context;
};

// The name of a wire type for messages ("i32", "struct").
const char *thriftTypeName(ThriftType type);

} // namespace wemoe
