#pragma once

#include "parquet/parquet_error_context.h"

#include <QtCore/QtGlobal>

#include <cstdint>
#include <vector>

namespace wemoe {

// The bit width of levels up to `maxLevel`: 0 for 0, 1 for 1, 2 for 2..3, ...
int parquetLevelBitWidth(int maxLevel);

// Decodes `count` values of `bitWidth` bits (0..32) from Parquet's RLE /
// bit-packed hybrid encoding (Encodings.md: runs of one repeated value, and
// bit-packed groups of 8 values, least significant bit first) occupying
// exactly the `size` bytes at `data` — for levels and dictionary indices the
// caller has already taken any length or bit-width prefix off. Values the
// last run holds beyond `count` are padding and ignored; a run that passes
// the end of the bytes, a run of no values, a repeated value wider than
// `bitWidth`, too few values and bytes left after the last run needed are
// errors ("<what>: <problem>").
std::vector<std::uint32_t> decodeRleBitPackedHybrid(const uchar *data, qint64 size, int bitWidth, qint64 count,
                                                    const char *what, const ParquetErrorContext &context);

} // namespace wemoe
