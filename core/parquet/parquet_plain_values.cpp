#include "parquet/parquet_plain_values.h"

#include "parquet/parquet_file.h"

#include <QtCore/QtEndian>

#include <limits>

namespace wemoe {

namespace {

// The bytes `count` values of `width` bytes take must be exactly `size`.
// Counts come from page headers (32-bit), so the product cannot overflow.
void requireFixedSize(qint64 count, qint64 width, qint64 size, const char *type, const ParquetErrorContext &context)
{
    if (count * width != size)
        context.fail(QStringLiteral("%1 PLAIN %2 values need %3 bytes, but the page holds %4")
                         .arg(count)
                         .arg(QLatin1String(type))
                         .arg(count * width)
                         .arg(size));
}

} // namespace

ParquetPlainValues decodePlainValues(int type, const uchar *data, qint64 size, qint64 count,
                                     const ParquetErrorContext &context)
{
    if (count < 0 || count > std::numeric_limits<std::int32_t>::max())
        context.fail(QStringLiteral("%1 values asked for").arg(count));
    ParquetPlainValues values;
    switch (static_cast<ParquetType>(type)) {
    case ParquetType::Boolean: {
        const qint64 bytes = count / 8 + (count % 8 != 0 ? 1 : 0);
        if (bytes != size)
            context.fail(QStringLiteral("%1 PLAIN BOOLEAN values need %2 bytes, but the page holds %3")
                             .arg(count)
                             .arg(bytes)
                             .arg(size));
        values.integers.resize(static_cast<size_t>(count));
        for (qint64 i = 0; i < count; ++i)
            values.integers[static_cast<size_t>(i)] = (data[i >> 3] >> (i & 7)) & 1;
        return values;
    }
    case ParquetType::Int32:
        requireFixedSize(count, 4, size, "INT32", context);
        values.integers.resize(static_cast<size_t>(count));
        for (qint64 i = 0; i < count; ++i)
            values.integers[static_cast<size_t>(i)] = qFromLittleEndian<qint32>(data + 4 * i);
        return values;
    case ParquetType::Int64:
        requireFixedSize(count, 8, size, "INT64", context);
        values.integers.resize(static_cast<size_t>(count));
        for (qint64 i = 0; i < count; ++i)
            values.integers[static_cast<size_t>(i)] = qFromLittleEndian<qint64>(data + 8 * i);
        return values;
    case ParquetType::ByteArray: {
        // Each value takes at least its 4-byte length: more cannot fit.
        if (count > size / 4)
            context.fail(QStringLiteral("%1 PLAIN BYTE_ARRAY values cannot fit in %2 bytes").arg(count).arg(size));
        values.bytes.reserve(static_cast<size_t>(count));
        qint64 position = 0;
        for (qint64 i = 0; i < count; ++i) {
            if (size - position < 4)
                context.fail(QStringLiteral("BYTE_ARRAY value %1 of %2 has no room for its length").arg(i).arg(count));
            const quint32 length = qFromLittleEndian<quint32>(data + position);
            position += 4;
            if (length > static_cast<quint64>(size - position))
                context.fail(QStringLiteral("BYTE_ARRAY value %1 of %2 is %3 bytes long, past the end of the page")
                                 .arg(i)
                                 .arg(count)
                                 .arg(length));
            values.bytes.emplace_back(reinterpret_cast<const char *>(data + position), static_cast<qsizetype>(length));
            position += length;
        }
        if (position != size)
            context.fail(
                QStringLiteral("%1 bytes are left after %2 BYTE_ARRAY values").arg(size - position).arg(count));
        return values;
    }
    default: break;
    }
    context.fail(QStringLiteral("PLAIN values of type %1 are not supported").arg(parquetTypeName(type)));
}

} // namespace wemoe
