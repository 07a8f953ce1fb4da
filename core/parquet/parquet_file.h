#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace wemoe {

class MappedFile;

// Apache Parquet files as Hugging Face's `datasets` writes them: read natively,
// strictly, and only as far as asked. The footer (Thrift compact FileMetaData)
// is read when the file is opened; a column of a row group is decoded only when
// asked for, from the memory-mapped file, so a 2 GB file never sits in memory
// whole.
//
// The subset read: data pages v1 and v2 and dictionary pages; PLAIN,
// PLAIN_DICTIONARY and RLE_DICTIONARY values; RLE/bit-packed hybrid levels;
// optional and nested struct (group) columns; BOOLEAN, INT32, INT64 and
// BYTE_ARRAY values; UNCOMPRESSED, SNAPPY, GZIP and ZSTD pages. Anything else
// (another encoding, codec or type, a repeated column) is refused when that
// column is read, by a wemoe::Error naming the file, the column and the
// feature. Every message has the shape "<file>: <problem>".

// Parquet's physical types and codecs, numbered as in parquet.thrift.
enum class ParquetType : int {
    Boolean = 0,
    Int32 = 1,
    Int64 = 2,
    Int96 = 3,
    Float = 4,
    Double = 5,
    ByteArray = 6,
    FixedLenByteArray = 7
};
enum class ParquetCodec : int {
    Uncompressed = 0,
    Snappy = 1,
    Gzip = 2,
    Lzo = 3,
    Brotli = 4,
    Lz4 = 5,
    Zstd = 6,
    Lz4Raw = 7
};
// Names as parquet.thrift spells them ("BYTE_ARRAY", "SNAPPY", "RLE_DICTIONARY";
// "type 12" / "codec 9" / "encoding 11" for numbers it does not know).
QString parquetTypeName(int type);
QString parquetCodecName(int codec);
QString parquetEncodingName(int encoding);

// One element of the flattened schema tree (FileMetaData.schema), depth-first.
struct ParquetSchemaElement
{
    QString name;
    int depth = 0;           // 0 for the root
    int repetition = 0;      // 0 REQUIRED, 1 OPTIONAL, 2 REPEATED (the root: 0)
    int childCount = 0;      // > 0 for a group
    std::optional<int> type; // ParquetType of a leaf
    std::optional<int> convertedType;
    QString logicalType; // "STRING", "INTEGER", ... or empty
};

// A leaf column: the path through the groups and its levels.
struct ParquetColumn
{
    QString path; // dotted: "image.bytes"
    int type = 0; // ParquetType (may be one outside the subset)
    int maxDefinitionLevel = 0;
    int maxRepetitionLevel = 0;
};

// The footer's description of one column chunk.
struct ParquetColumnChunk
{
    int codec = 0; // ParquetCodec
    std::vector<int> encodings;
    std::int64_t valueCount = 0;
    std::int64_t compressedSize = 0;
    std::int64_t uncompressedSize = 0;
    std::int64_t dataPageOffset = 0;
    std::optional<std::int64_t> dictionaryPageOffset;
};

struct ParquetRowGroup
{
    std::int64_t rowCount = 0;
    std::int64_t totalByteSize = 0;
    std::vector<ParquetColumnChunk> columns; // one per leaf column, in column order
};

// The values of one column of one row group, one entry per row. A row whose
// definition level is below the column's maximum (the value or a group above
// it is null) is not present; its value is 0 / empty.
struct ParquetColumnValues
{
    std::vector<bool> present;
    std::vector<std::int64_t> integers; // BOOLEAN (0/1), INT32 and INT64 columns
    std::vector<QByteArray> bytes;      // BYTE_ARRAY columns
    std::int64_t size() const { return static_cast<std::int64_t>(present.size()); }
};

class ParquetFile
{
public:
    // Maps `path` and reads its footer. Throws wemoe::Error naming the file for
    // anything that is not a well-formed Parquet footer: no "PAR1" at either
    // end, a footer length past the file, Thrift that runs past its buffer or
    // nests too deep, a schema whose children do not add up, row groups whose
    // column chunks do not match the schema or lie outside the file.
    static ParquetFile open(const QString &path);

    const QString &path() const { return m_path; }
    std::int64_t fileSize() const;
    std::int64_t rowCount() const { return m_rowCount; }
    int version() const { return m_version; }
    const QString &createdBy() const { return m_createdBy; }
    const std::vector<ParquetSchemaElement> &schema() const { return m_schema; }
    const std::vector<ParquetColumn> &columns() const { return m_columns; }
    const std::vector<ParquetRowGroup> &rowGroups() const { return m_rowGroups; }
    const std::vector<std::pair<QString, QString>> &keyValueMetadata() const { return m_keyValueMetadata; }
    // The value of a key-value metadata entry ("huggingface"), or nullopt.
    std::optional<QString> metadataValue(const QString &key) const;
    // The index of the leaf column with this dotted path, or -1.
    int columnIndex(const QString &path) const;
    // Every leaf column's dotted path, in column order.
    QStringList columnPaths() const;

    // Decodes column `column` of row group `rowGroup`. Thread-safe: it only
    // reads the mapping. Throws wemoe::Error("<file>: column 'image.bytes',
    // row group 3: <problem>") for a feature outside the subset or damaged
    // pages: sizes that disagree with the page header, a dictionary index out
    // of range, levels that overrun the values, a value count that does not
    // match the row group, a page that does not decompress, a row group that
    // claims more rows than the file's bytes could back (kMinParquetRowLimit
    // in parquet_column_reader.h), a page above 1 GiB uncompressed.
    ParquetColumnValues readColumn(int rowGroup, int column) const;

private:
    QString m_path;
    std::shared_ptr<const MappedFile> m_file;
    std::int64_t m_rowCount = 0;
    int m_version = 0;
    QString m_createdBy;
    std::vector<ParquetSchemaElement> m_schema;
    std::vector<ParquetColumn> m_columns;
    std::vector<ParquetRowGroup> m_rowGroups;
    std::vector<std::pair<QString, QString>> m_keyValueMetadata;
};

} // namespace wemoe
