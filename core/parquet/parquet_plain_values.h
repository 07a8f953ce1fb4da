#pragma once

#include "parquet/parquet_error_context.h"

#include <QtCore/QByteArray>
#include <QtCore/QtGlobal>

#include <cstdint>
#include <vector>

namespace wemoe {

// Values in the order a page or a dictionary stores them: `integers` for
// BOOLEAN (0/1), INT32 and INT64, `bytes` for BYTE_ARRAY.
struct ParquetPlainValues
{
    std::vector<std::int64_t> integers;
    std::vector<QByteArray> bytes;
    std::int64_t size() const { return static_cast<std::int64_t>(integers.size() + bytes.size()); }
};

// Decodes `count` PLAIN values of ParquetType `type` (BOOLEAN: bits, least
// significant first; INT32, INT64: little-endian; BYTE_ARRAY: a 4-byte
// little-endian length, then the bytes) that fill exactly the `size` bytes at
// `data`: running out and bytes left over are both errors.
ParquetPlainValues decodePlainValues(int type, const uchar *data, qint64 size, qint64 count,
                                     const ParquetErrorContext &context);

} // namespace wemoe
