#pragma once

#include "parquet/parquet_file.h"

#include <QtCore/QString>
#include <QtCore/QtGlobal>

#include <cstdint>
#include <utility>
#include <vector>

namespace wemoe {

// What a Parquet footer (Thrift compact FileMetaData) says, checked: the
// schema tree is whole, every row group has one chunk per leaf column with
// that column's path and type, and every chunk lies between the leading
// "PAR1" and the footer.
struct ParquetFooter
{
    int version = 0;
    std::int64_t rowCount = 0;
    QString createdBy;
    std::vector<ParquetSchemaElement> schema;
    std::vector<ParquetColumn> columns;
    std::vector<ParquetRowGroup> rowGroups;
    std::vector<std::pair<QString, QString>> keyValueMetadata;
};

// Schema groups nested deeper than this are refused (datasets nests 2 or 3).
constexpr int kMaxParquetSchemaDepth = 100;

// Reads the footer's `size` bytes at `data`; they start at `footerOffset` in
// the file, where every column chunk must have ended. Throws wemoe::Error
// "<file>: footer: <problem>".
ParquetFooter readParquetFooter(const uchar *data, qint64 size, qint64 footerOffset, const QString &file);

// Where a chunk's pages start: its dictionary page when the footer gives a
// plausible offset for one (before the first data page), else its first data
// page. Its pages fill [start, start + compressedSize).
std::int64_t parquetChunkStart(const ParquetColumnChunk &chunk);

} // namespace wemoe
