#include "parquet/rle_bit_packed_hybrid.h"

namespace wemoe {

int parquetLevelBitWidth(int maxLevel)
{
    int width = 0;
    while (width < 32 && (std::uint64_t(1) << width) <= static_cast<std::uint64_t>(maxLevel))
        ++width;
    return width;
}

std::vector<std::uint32_t> decodeRleBitPackedHybrid(const uchar *data, qint64 size, int bitWidth, qint64 count,
                                                    const char *what, const ParquetErrorContext &context)
{
    const auto fail = [&](const QString &problem) {
        context.fail(QStringLiteral("%1: %2").arg(QLatin1String(what), problem));
    };
    if (bitWidth < 0 || bitWidth > 32)
        fail(QStringLiteral("bit width %1 is outside 0..32").arg(bitWidth));
    if (count < 0)
        fail(QStringLiteral("%1 values asked for").arg(count));

    // Runs hold at most 2^31 - 1 values (Encodings.md), so no run can grow
    // the output past what was asked for by more than that; the caller's
    // `count` is bounded, and only what the runs really decode is stored.
    std::vector<std::uint32_t> values;
    values.reserve(static_cast<size_t>(std::min<qint64>(count, size * 8 + 64)));
    const std::uint64_t valueMask = bitWidth == 32 ? 0xffffffffu : (std::uint64_t(1) << bitWidth) - 1;
    qint64 position = 0;
    while (static_cast<qint64>(values.size()) < count) {
        if (position >= size)
            fail(QStringLiteral("the runs end after %1 of %2 values").arg(values.size()).arg(count));
        // The run header: a ULEB128 varint of at most 32 bits.
        std::uint64_t header = 0;
        for (int shift = 0;; shift += 7) {
            if (position >= size)
                fail(QStringLiteral("a run header is cut short"));
            if (shift == 35)
                fail(QStringLiteral("a run header is longer than 5 bytes"));
            const uchar byte = data[position++];
            header |= std::uint64_t(byte & 0x7f) << shift;
            if (!(byte & 0x80))
                break;
        }
        if (header > 0xffffffffu)
            fail(QStringLiteral("a run header overflows 32 bits"));
        const qint64 wanted = count - static_cast<qint64>(values.size());

        if (header & 1) {
            // Bit-packed: header >> 1 groups of 8 values, bitWidth bytes a group.
            const qint64 groups = static_cast<qint64>(header >> 1);
            const qint64 runValues = groups * 8;
            const qint64 runBytes = groups * bitWidth;
            if (groups == 0)
                fail(QStringLiteral("a bit-packed run holds no values"));
            if (runValues > 0x7fffffff)
                fail(QStringLiteral("a bit-packed run of %1 values is longer than 2^31 - 1").arg(runValues));
            if (runBytes > size - position)
                fail(QStringLiteral("a bit-packed run of %1 bytes passes the end (%2 bytes left)")
                         .arg(runBytes)
                         .arg(size - position));
            const uchar *run = data + position;
            const qint64 take = std::min(runValues, wanted);
            for (qint64 i = 0; i < take; ++i) {
                // Value i occupies bits [i * w, (i + 1) * w), LSB first: at most 5 bytes.
                const qint64 firstBit = i * bitWidth;
                const qint64 firstByte = firstBit >> 3;
                const qint64 lastByte = (firstBit + bitWidth + 7) >> 3; // exclusive
                std::uint64_t window = 0;
                for (qint64 b = firstByte; b < lastByte; ++b)
                    window |= std::uint64_t(run[b]) << (8 * (b - firstByte));
                values.push_back(static_cast<std::uint32_t>((window >> (firstBit & 7)) & valueMask));
            }
            position += runBytes;
        } else {
            // RLE: header >> 1 repeats of one value stored in ceil(w / 8) bytes, little-endian.
            const qint64 repeats = static_cast<qint64>(header >> 1);
            const int valueBytes = (bitWidth + 7) / 8;
            if (repeats == 0)
                fail(QStringLiteral("a repeated run holds no values"));
            if (valueBytes > size - position)
                fail(QStringLiteral("a repeated run's value passes the end"));
            std::uint64_t value = 0;
            for (int b = 0; b < valueBytes; ++b)
                value |= std::uint64_t(data[position + b]) << (8 * b);
            position += valueBytes;
            if (value > valueMask)
                fail(QStringLiteral("a repeated value %1 is wider than %2 bits").arg(value).arg(bitWidth));
            values.insert(values.end(), static_cast<size_t>(std::min(repeats, wanted)),
                          static_cast<std::uint32_t>(value));
        }
    }
    if (position != size)
        fail(QStringLiteral("%1 bytes are left after the last run").arg(size - position));
    return values;
}

} // namespace wemoe
