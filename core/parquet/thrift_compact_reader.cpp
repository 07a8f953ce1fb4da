#include "parquet/thrift_compact_reader.h"

#include <QtCore/QtEndian>

#include <cstring>

namespace wemoe {

namespace {

// Compact protocol type nibbles that are not ThriftType values.
constexpr int kStop = 0;
constexpr int kBoolTrue = 1;
constexpr int kBoolFalse = 2;

std::int64_t zigzag(std::uint64_t value)
{
    return static_cast<std::int64_t>(value >> 1) ^ -static_cast<std::int64_t>(value & 1);
}

} // namespace

const char *thriftTypeName(ThriftType type)
{
    switch (type) {
    case ThriftType::Bool: return "bool";
    case ThriftType::Byte: return "byte";
    case ThriftType::I16: return "i16";
    case ThriftType::I32: return "i32";
    case ThriftType::I64: return "i64";
    case ThriftType::Double: return "double";
    case ThriftType::Binary: return "binary";
    case ThriftType::List: return "list";
    case ThriftType::Set: return "set";
    case ThriftType::Map: return "map";
    case ThriftType::Struct: return "struct";
    }
    return "unknown";
}

ThriftCompactReader::ThriftCompactReader(const uchar *data, qint64 size, ParquetErrorContext context)
    : m_data(data)
    , m_size(size)
    , m_context(std::move(context))
{
}

void ThriftCompactReader::fail(const QString &problem) const
{
    m_context.fail(QStringLiteral("Thrift data: %1 at byte %2").arg(problem).arg(m_position));
}

void ThriftCompactReader::requireFields(std::uint64_t seen, std::initializer_list<int> required,
                                        const char *structName) const
{
    for (const int id : required) {
        if (!(seen & (std::uint64_t(1) << id)))
            fail(QStringLiteral("%1 lacks its required field %2").arg(QLatin1String(structName)).arg(id));
    }
}

void ThriftCompactReader::enter()
{
    // Skipping recurses once per level: the limit keeps hostile nesting off the stack.
    if (++m_depth > kMaxNesting)
        fail(QStringLiteral("structs and lists nest deeper than %1 levels").arg(kMaxNesting));
}

quint8 ThriftCompactReader::readRawByte()
{
    if (m_position >= m_size)
        fail(QStringLiteral("the data ends early"));
    return m_data[m_position++];
}

std::uint64_t ThriftCompactReader::readVarint(int maxBytes)
{
    // ULEB128: 7 bits a byte, least significant first. The last byte allowed
    // may only hold the bits that are left (4 of a 32-bit, 1 of a 64-bit value).
    const int bits = maxBytes == 5 ? 32 : 64;
    std::uint64_t value = 0;
    for (int i = 0; i < maxBytes; ++i) {
        const quint8 byte = readRawByte();
        if (i == maxBytes - 1 && (byte >> (bits - 7 * i)) != 0)
            fail(QStringLiteral("a varint overflows %1 bits").arg(bits));
        value |= std::uint64_t(byte & 0x7f) << (7 * i);
        if (!(byte & 0x80))
            return value;
    }
    fail(QStringLiteral("a varint runs longer than %1 bytes").arg(maxBytes));
}

ThriftType ThriftCompactReader::wireType(int nibble, bool allowStop) const
{
    if (nibble == kBoolTrue || nibble == kBoolFalse)
        return ThriftType::Bool;
    if (nibble >= static_cast<int>(ThriftType::Byte) && nibble <= static_cast<int>(ThriftType::Struct))
        return static_cast<ThriftType>(nibble);
    if (!(allowStop && nibble == kStop))
        fail(QStringLiteral("unknown type %1").arg(nibble));
    return ThriftType::Struct; // unused: a stop or an empty list's element type
}

void ThriftCompactReader::expect(ThriftType actual, ThriftType expected) const
{
    if (actual != expected)
        fail(QStringLiteral("expected %1, found %2")
                 .arg(QLatin1String(thriftTypeName(expected)), QLatin1String(thriftTypeName(actual))));
}

bool ThriftCompactReader::readFieldHeader(int *lastId, ThriftField *field)
{
    const quint8 byte = readRawByte();
    if (byte == kStop)
        return false;
    const int nibble = byte & 0x0f;
    field->type = wireType(nibble, false);
    field->boolValue = nibble == kBoolTrue;
    // Short form: the id is the previous one plus the high nibble. Long form
    // (nibble 0): a zigzag i16 follows.
    if (const int delta = byte >> 4; delta != 0) {
        field->id = *lastId + delta;
        if (field->id > 32767)
            fail(QStringLiteral("a field id exceeds 32767"));
    } else {
        field->id = readI16(ThriftType::I16);
    }
    *lastId = field->id;
    return true;
}

bool ThriftCompactReader::readBool(const ThriftField &field) const
{
    expect(field.type, ThriftType::Bool);
    return field.boolValue;
}

std::int8_t ThriftCompactReader::readByte(ThriftType type)
{
    expect(type, ThriftType::Byte);
    return static_cast<std::int8_t>(readRawByte());
}

std::int16_t ThriftCompactReader::readI16(ThriftType type)
{
    expect(type, ThriftType::I16);
    const std::int64_t value = zigzag(readVarint(5));
    if (value < -32768 || value > 32767)
        fail(QStringLiteral("an i16 holds %1").arg(value));
    return static_cast<std::int16_t>(value);
}

std::int32_t ThriftCompactReader::readI32(ThriftType type)
{
    expect(type, ThriftType::I32);
    return static_cast<std::int32_t>(zigzag(readVarint(5)));
}

std::int64_t ThriftCompactReader::readI64(ThriftType type)
{
    expect(type, ThriftType::I64);
    return zigzag(readVarint(10));
}

double ThriftCompactReader::readDouble(ThriftType type)
{
    expect(type, ThriftType::Double);
    if (remaining() < 8)
        fail(QStringLiteral("the data ends inside a double"));
    const quint64 bits = qFromLittleEndian<quint64>(m_data + m_position);
    m_position += 8;
    double value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

QByteArray ThriftCompactReader::readBinary(ThriftType type)
{
    expect(type, ThriftType::Binary);
    const std::uint64_t length = readVarint(5);
    if (length > static_cast<std::uint64_t>(remaining()))
        fail(QStringLiteral("a binary of %1 bytes runs past the end (%2 bytes left)").arg(length).arg(remaining()));
    const QByteArray bytes(reinterpret_cast<const char *>(m_data + m_position), static_cast<qsizetype>(length));
    m_position += static_cast<qint64>(length);
    return bytes;
}

std::int64_t ThriftCompactReader::readListHeader(ThriftType type, ThriftType elementType)
{
    if (type != ThriftType::Set)
        expect(type, ThriftType::List);
    const quint8 byte = readRawByte();
    std::uint64_t count = byte >> 4;
    if (count == 15)
        count = readVarint(5);
    // Every element takes at least one byte: a larger count is a lie that
    // must not drive a loop or an allocation.
    if (count > static_cast<std::uint64_t>(remaining()))
        fail(QStringLiteral("a list of %1 elements cannot fit in the %2 bytes left").arg(count).arg(remaining()));
    const ThriftType actual = wireType(byte & 0x0f, count == 0);
    if (count > 0)
        expect(actual, elementType);
    return static_cast<std::int64_t>(count);
}

void ThriftCompactReader::skipField(const ThriftField &field)
{
    // A field's bool is its type nibble: nothing follows.
    if (field.type != ThriftType::Bool)
        skip(field.type, false);
}

void ThriftCompactReader::skipValue(ThriftType type)
{
    skip(type, true);
}

void ThriftCompactReader::skip(ThriftType type, bool inCollection)
{
    switch (type) {
    case ThriftType::Bool:
        if (inCollection) {
            if (const quint8 value = readRawByte(); value > kBoolFalse)
                fail(QStringLiteral("a bool element holds %1").arg(value));
        }
        return;
    case ThriftType::Byte: readRawByte(); return;
    case ThriftType::I16:
    case ThriftType::I32: readVarint(5); return;
    case ThriftType::I64: readVarint(10); return;
    case ThriftType::Double:
        if (remaining() < 8)
            fail(QStringLiteral("the data ends inside a double"));
        m_position += 8;
        return;
    case ThriftType::Binary: readBinary(ThriftType::Binary); return;
    case ThriftType::List:
    case ThriftType::Set: {
        const quint8 byte = readRawByte();
        std::uint64_t count = byte >> 4;
        if (count == 15)
            count = readVarint(5);
        if (count > static_cast<std::uint64_t>(remaining()))
            fail(QStringLiteral("a list of %1 elements cannot fit in the %2 bytes left").arg(count).arg(remaining()));
        const ThriftType elementType = wireType(byte & 0x0f, count == 0);
        enter();
        for (std::uint64_t i = 0; i < count; ++i)
            skip(elementType, true);
        leave();
        return;
    }
    case ThriftType::Map: {
        const std::uint64_t count = readVarint(5);
        if (count == 0)
            return;
        // A key and a value: at least two bytes an entry.
        if (count > static_cast<std::uint64_t>(remaining()) / 2)
            fail(QStringLiteral("a map of %1 entries cannot fit in the %2 bytes left").arg(count).arg(remaining()));
        const quint8 types = readRawByte();
        const ThriftType keyType = wireType(types >> 4, false);
        const ThriftType valueType = wireType(types & 0x0f, false);
        enter();
        for (std::uint64_t i = 0; i < count; ++i) {
            skip(keyType, true);
            skip(valueType, true);
        }
        leave();
        return;
    }
    case ThriftType::Struct: readStruct([](const ThriftField &) { return false; }); return;
    }
}

} // namespace wemoe
