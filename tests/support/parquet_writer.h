#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wemoe::test {

// A small Parquet writer for the tests' fixtures: a second implementation of
// the format, written from parquet.thrift and the encoding spec, independent of
// core/parquet (it shares no code with the reader). It writes every
// combination the reader supports so that round trips cover them, and a few
// things outside the subset (other types, codec and encoding ids, repeated
// columns) and deliberate damage so that refusals are covered too.

// Numbers as parquet.thrift gives them (the writer takes plain ints so that a
// test can write an id the reader does not know).
namespace parquet_ids {
enum Type : int {
    Boolean = 0,
    Int32 = 1,
    Int64 = 2,
    Int96 = 3,
    Float = 4,
    Double = 5,
    ByteArray = 6,
    FixedLenByteArray = 7
};
enum Repetition : int { Required = 0, Optional = 1, Repeated = 2 };
enum Codec : int { Uncompressed = 0, Snappy = 1, Gzip = 2, Lzo = 3, Brotli = 4, Lz4 = 5, Zstd = 6, Lz4Raw = 7 };
enum Encoding : int {
    Plain = 0,
    PlainDictionary = 2,
    Rle = 3,
    BitPacked = 4,
    DeltaBinaryPacked = 5,
    DeltaLengthByteArray = 6,
    DeltaByteArray = 7,
    RleDictionary = 8,
    ByteStreamSplit = 9
};
enum PageType : int { DataPage = 0, IndexPage = 1, DictionaryPage = 2, DataPageV2 = 3 };
enum ConvertedType : int { Utf8 = 0 };
enum LogicalType : int { String = 1, Integer = 10 };
} // namespace parquet_ids

// One page as it is about to be written, handed to ParquetWriteOptions::editPage
// so that a test can damage it: every header field and the body (after
// compression) are written as they stand when the hook returns.
struct ParquetPageFixture
{
    QString column; // dotted path
    int rowGroup = 0;
    int pageIndex = 0; // within the chunk, the dictionary page first
    int type = 0;      // parquet_ids::PageType
    int uncompressedSize = 0;
    int compressedSize = 0;
    int valueCount = 0; // num_values of the data or dictionary page header
    int encoding = 0;   // of the values
    int nullCount = 0;  // DATA_PAGE_V2 only, as the rest of this group
    int rowCount = 0;
    int definitionLevelsByteLength = 0;
    int repetitionLevelsByteLength = 0;
    bool isCompressed = true;
    QByteArray body; // what follows the header
};

// Deliberate damage that the page hook cannot express after the fact.
struct ParquetFaults
{
    int dictionaryIndexShift = 0;        // added to every dictionary index (out of range for > 0)
    int droppedValuesPerPage = 0;        // the last non-null values of each data page are left out
    int definitionLevelsLengthDelta = 0; // added to the definition levels' length (v1 prefix, v2 header)
};

struct ParquetWriteOptions
{
    int codec = 0;                         // ParquetCodec: 0 UNCOMPRESSED, 1 SNAPPY, 2 GZIP, 6 ZSTD; any
                                           // other id is written as given, with the pages left uncompressed
    int pageVersion = 1;                   // 1: DATA_PAGE, 2: DATA_PAGE_V2
    bool dictionary = false;               // dictionary page + dictionary-encoded data pages (not BOOLEAN)
    bool legacyDictionaryEncoding = false; // PLAIN_DICTIONARY instead of RLE_DICTIONARY
    int rowsPerRowGroup = 0;               // 0: one row group
    int rowsPerPage = 0;                   // 0: one data page per column chunk
    std::vector<std::pair<QString, QString>> keyValueMetadata;

    QString createdBy = QStringLiteral("parquet-cpp-arrow version 14.0.2");
    int formatVersion = 2;                  // FileMetaData.version
    bool compressedV2Values = true;         // DATA_PAGE_V2.is_compressed
    std::optional<int> forcedValueEncoding; // data pages claim this encoding (their values stay PLAIN)
    bool statistics = true;                 // min/max/null count in page headers and column metadata, as
                                            // Arrow writes them (fields the reader has to skip)
    ParquetFaults faults;
    std::function<void(ParquetPageFixture &)> editPage; // called for every page before it is written
};

// A group on the path of some column; a group not listed is OPTIONAL.
struct ParquetFixtureGroup
{
    QString path; // dotted: "image"
    int repetition = parquet_ids::Optional;
};

// One leaf column, one entry per row. A row's definition level is the
// column's maximum when its value is there and one less when it is null,
// unless `definitionLevels` says otherwise (a null group above the leaf).
struct ParquetFixtureColumn
{
    QString path; // dotted; the groups of its prefixes are created as needed
    int type = parquet_ids::Int64;
    int repetition = parquet_ids::Optional;
    std::optional<int> convertedType;
    std::optional<int> logicalType; // parquet_ids::LogicalType: String, or Integer (signed, of the type's width)
    int typeLength = 0;             // FIXED_LEN_BYTE_ARRAY
    // Values of BOOLEAN (0/1), INT32 and INT64 columns ...
    std::vector<std::optional<std::int64_t>> integers;
    // ... and of BYTE_ARRAY columns; for FLOAT, DOUBLE, INT96 and
    // FIXED_LEN_BYTE_ARRAY each entry is the value's PLAIN bytes, written as they are.
    std::vector<std::optional<QByteArray>> bytes;
    std::vector<int> definitionLevels; // empty: from the values

    std::int64_t rowCount() const;

    static ParquetFixtureColumn ofIntegers(const QString &path, int type,
                                           std::vector<std::optional<std::int64_t>> values,
                                           int repetition = parquet_ids::Optional);
    static ParquetFixtureColumn ofBytes(const QString &path, std::vector<std::optional<QByteArray>> values,
                                        int repetition = parquet_ids::Optional, int type = parquet_ids::ByteArray);
};

// Leaf columns in schema order: columns under one group must be next to each other.
struct ParquetFixtureTable
{
    std::vector<ParquetFixtureGroup> groups;
    std::vector<ParquetFixtureColumn> columns;

    std::int64_t rowCount() const;
};

// The bytes of a Parquet file holding `table`. Zero rows give a file with no row groups.
QByteArray parquetFileBytes(const ParquetFixtureTable &table, const ParquetWriteOptions &options = {});

// The maximum definition / repetition level of a column of `table`.
int maxDefinitionLevel(const ParquetFixtureTable &table, int column);
int maxRepetitionLevel(const ParquetFixtureTable &table, int column);

// One row of a Hugging Face image dataset: image {bytes, path} (a nullable
// struct of two nullable binaries), label (nullable int64).
struct HfImageRow
{
    bool imageNull = false;
    std::optional<QByteArray> bytes;
    std::optional<QString> path;
    std::optional<std::int64_t> label;
};

// The `huggingface` metadata value `datasets` writes for an image dataset
// with a ClassLabel column: {"info": {"features": {"image": {"_type": "Image"},
// "label": {"names": [...], "_type": "ClassLabel"}}}}.
QString huggingFaceImageMetadata(const QStringList &classNames);

// The table of an image classification dataset as `datasets` lays it out
// (root { optional group image { optional binary bytes; optional binary path
// (STRING) } optional int64 label }).
ParquetFixtureTable huggingFaceImageTable(const std::vector<HfImageRow> &rows);

// The bytes of a Parquet file with the schema `datasets` writes for an image
// classification dataset (root { optional group image { optional binary bytes;
// optional binary path (STRING) } optional int64 label }). `classNames`, when
// not empty, go into the `huggingface` key-value metadata (after any entries
// of options.keyValueMetadata).
QByteArray huggingFaceImageParquet(const std::vector<HfImageRow> &rows, const QStringList &classNames,
                                   const ParquetWriteOptions &options = {});

// Writes bytes to path (creating the folder); QFAIL-free: returns false on error.
bool writeFileBytes(const QString &path, const QByteArray &bytes);

} // namespace wemoe::test
