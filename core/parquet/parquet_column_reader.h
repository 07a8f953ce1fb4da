#pragma once

#include "parquet/parquet_error_context.h"
#include "parquet/parquet_file.h"

#include <QtCore/QtGlobal>

#include <cstdint>

namespace wemoe {

// A row group may hold at most this many rows, or one per bit of the file if
// that is more, when a column of it is read: RLE runs let a few bytes stand
// for millions of values, so a row count is only believed as far as data
// could back it. The floor covers small files of constant columns.
constexpr std::int64_t kMinParquetRowLimit = std::int64_t(1) << 24;

// Decodes the pages of one column chunk of a mapped file (`file`, `fileSize`
// bytes) into one value per row of its row group (`rowCount` rows). The chunk
// has been checked to lie inside the file by readParquetFooter; its pages are
// read only inside it. Refuses, through `context`, anything outside the
// subset ParquetFile documents and any page that disagrees with itself, the
// chunk or the row group.
ParquetColumnValues readParquetColumnChunk(const uchar *file, qint64 fileSize, const ParquetColumn &column,
                                           const ParquetColumnChunk &chunk, std::int64_t rowCount,
                                           const ParquetErrorContext &context);

} // namespace wemoe
