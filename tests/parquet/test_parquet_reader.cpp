// The Parquet reader (core/parquet) against files from the tests' own writer
// (tests/support/parquet_writer, a second implementation of the format), a
// file assembled byte by byte, and damaged files: every supported combination
// reads back value for value, and everything else is a wemoe::Error naming
// the file (and the column and the feature), never a crash.

#include "common/error.h"
#include "parquet/parquet_file.h"
#include "parquet_writer.h"
#include "test_support.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtCore/QtEndian>
#include <QtTest/QtTest>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <thread>
#include <vector>

using namespace wemoe;
using namespace wemoe::test;
namespace ids = wemoe::test::parquet_ids;

Q_DECLARE_METATYPE(wemoe::test::ParquetWriteOptions)

namespace {

// --- expected values, worked out from the rows themselves

struct ExpectedColumn
{
    std::vector<bool> present;
    std::vector<std::int64_t> integers; // BOOLEAN / INT32 / INT64
    std::vector<QByteArray> bytes;      // BYTE_ARRAY
    bool isBytes = false;
};

// The HF columns in schema order: image.bytes, image.path, label.
std::vector<ExpectedColumn> expectedHfColumns(const std::vector<HfImageRow> &rows)
{
    std::vector<ExpectedColumn> columns(3);
    columns[0].isBytes = columns[1].isBytes = true;
    for (const HfImageRow &row : rows) {
        const bool bytes = !row.imageNull && row.bytes.has_value();
        const bool path = !row.imageNull && row.path.has_value();
        columns[0].present.push_back(bytes);
        columns[0].bytes.push_back(bytes ? *row.bytes : QByteArray());
        columns[1].present.push_back(path);
        columns[1].bytes.push_back(path ? row.path->toUtf8() : QByteArray());
        columns[2].present.push_back(row.label.has_value());
        columns[2].integers.push_back(row.label.value_or(0));
    }
    return columns;
}

// From a generic table: a value is there when its row's definition level is the maximum.
ExpectedColumn expectedTableColumn(const ParquetFixtureTable &table, int c, int maxDefinition)
{
    const ParquetFixtureColumn &column = table.columns[static_cast<std::size_t>(c)];
    ExpectedColumn expected;
    expected.isBytes = column.type == ids::ByteArray;
    for (std::int64_t r = 0; r < column.rowCount(); ++r) {
        const std::size_t i = static_cast<std::size_t>(r);
        const bool hasValue = expected.isBytes ? column.bytes[i].has_value() : column.integers[i].has_value();
        const int level = column.definitionLevels.empty() ? (hasValue ? maxDefinition : maxDefinition - 1)
                                                          : column.definitionLevels[i];
        const bool present = maxDefinition == 0 || level == maxDefinition;
        expected.present.push_back(present);
        if (expected.isBytes)
            expected.bytes.push_back(present ? column.bytes[i].value_or(QByteArray()) : QByteArray());
        else
            expected.integers.push_back(present ? column.integers[i].value_or(0) : 0);
    }
    return expected;
}

// "" when `actual` holds rows [first, first + actual.size()) of `expected`; else the first difference.
QString compareValues(const ParquetColumnValues &actual, const ExpectedColumn &expected, std::int64_t first,
                      std::int64_t count)
{
    if (actual.size() != count)
        return QStringLiteral("%1 rows read, %2 expected").arg(actual.size()).arg(count);
    const std::size_t n = static_cast<std::size_t>(count);
    if (expected.isBytes ? actual.bytes.size() != n : actual.integers.size() != n)
        return QStringLiteral("the values are not one per row");
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t row = static_cast<std::size_t>(first) + i;
        if (actual.present[i] != expected.present[row])
            return QStringLiteral("row %1: present %2, expected %3")
                .arg(row)
                .arg(actual.present[i])
                .arg(expected.present[row]);
        if (expected.isBytes && actual.bytes[i] != expected.bytes[row])
            return QStringLiteral("row %1: bytes '%2', expected '%3'")
                .arg(row)
                .arg(QString::fromLatin1(actual.bytes[i].left(40).toHex()),
                     QString::fromLatin1(expected.bytes[row].left(40).toHex()));
        if (!expected.isBytes && actual.integers[i] != expected.integers[row])
            return QStringLiteral("row %1: %2, expected %3")
                .arg(row)
                .arg(actual.integers[i])
                .arg(expected.integers[row]);
    }
    return {};
}

// --- fixtures

// Nulls at every level, in runs and alone, repeated values (dictionary hits,
// RLE runs of indices), empty and long values. Rows 40..79 have no image at
// all and rows 80..119 one label, so that with 40-row groups one chunk has an
// empty dictionary and one a dictionary of one entry (indices 0 bits wide).
std::vector<HfImageRow> sampleHfRows(int count)
{
    std::vector<HfImageRow> rows;
    for (int i = 0; i < count; ++i) {
        HfImageRow row;
        row.imageNull = (i % 11 == 3) || (i >= 40 && i < 80);
        if (i % 7 != 5) {
            QByteArray bytes = "\x89PNG\r\n\x1a\n" + QByteArray::number(i % 17);
            if (i % 13 == 0)
                bytes.clear(); // present but empty, unlike null
            if (i % 29 == 1)
                bytes += QByteArray(300 + i, static_cast<char>(i)); // lengths past one varint byte
            row.bytes = bytes;
        }
        if (i % 5 != 1)
            row.path = QStringLiteral("train/%1/img_%2.jpg")
                           .arg(i % 3 == 0 ? QStringLiteral("chêne") : QStringLiteral("oak"))
                           .arg(i % 23);
        if (i % 9 != 4)
            row.label = (i >= 80 && i < 120) ? 5 : (i / 10) % 7 - 2; // runs, and negative values
        rows.push_back(row);
    }
    return rows;
}

const QStringList kClassNames = {QStringLiteral("oak"), QStringLiteral("chêne \"quoted\""), QStringLiteral("pine")};

// Every physical type of the subset, required and optional, at several depths:
// schema { flag; small; big; name; a { b (required) { c { d } e } }; req (required) { x }; ghost }.
ParquetFixtureTable sampleTypedTable(int count)
{
    using Column = ParquetFixtureColumn;
    ParquetFixtureTable table;
    table.groups = {{QStringLiteral("a"), ids::Optional},
                    {QStringLiteral("a.b"), ids::Required},
                    {QStringLiteral("a.b.c"), ids::Optional},
                    {QStringLiteral("req"), ids::Required}};
    Column flag = Column::ofIntegers(QStringLiteral("flag"), ids::Boolean, {});
    Column small = Column::ofIntegers(QStringLiteral("small"), ids::Int32, {}, ids::Required);
    Column big = Column::ofIntegers(QStringLiteral("big"), ids::Int64, {}, ids::Required);
    Column name = Column::ofBytes(QStringLiteral("name"), {}, ids::Required);
    name.convertedType = ids::Utf8;
    name.logicalType = ids::String;
    Column d = Column::ofIntegers(QStringLiteral("a.b.c.d"), ids::Int32, {});
    Column e = Column::ofBytes(QStringLiteral("a.b.e"), {}, ids::Required);
    Column x = Column::ofIntegers(QStringLiteral("req.x"), ids::Int64, {}, ids::Required);
    x.logicalType = ids::Integer;
    Column ghost = Column::ofIntegers(QStringLiteral("ghost"), ids::Int64, {});
    const std::int32_t int32s[] = {std::numeric_limits<std::int32_t>::min(), -1, 0, 1,
                                   std::numeric_limits<std::int32_t>::max()};
    for (int i = 0; i < count; ++i) {
        flag.integers.push_back(i % 3 == 0 ? std::nullopt : std::optional<std::int64_t>((i / 4) % 2));
        small.integers.push_back(i % 10 < 5 ? int32s[i % 5] : 42); // runs of 42
        // Distinct: a dictionary of hundreds of entries, indices 9 bits wide.
        big.integers.push_back(i == 0 ? std::numeric_limits<std::int64_t>::min()
                                      : (i == 1 ? std::numeric_limits<std::int64_t>::max()
                                                : static_cast<std::int64_t>(i) * 0x100000001LL - 77));
        name.bytes.push_back(i % 6 == 0 ? QByteArray() : QStringLiteral("naïve %1").arg(i % 8).toUtf8());
        // a.b.c.d's level: 0 a null, 1 c null, 2 d null, 3 there; in runs and alone.
        const int level = i % 20 < 9 ? 3 : (i % 4);
        d.definitionLevels.push_back(level);
        d.integers.push_back(level == 3 ? std::optional<std::int64_t>(i - 500) : std::nullopt);
        e.definitionLevels.push_back(level == 0 ? 0 : 1); // a.b.e is there whenever a is
        e.bytes.push_back(level == 0 ? std::nullopt : std::optional<QByteArray>(QByteArray(i % 5, 'e')));
        x.integers.push_back(i % 4 == 0 ? 7 : -i);
        ghost.integers.push_back(std::nullopt);
    }
    table.columns = {flag, small, big, name, d, e, x, ghost};
    return table;
}

QString codecName(int codec)
{
    switch (codec) {
    case ids::Uncompressed: return QStringLiteral("UNCOMPRESSED");
    case ids::Snappy: return QStringLiteral("SNAPPY");
    case ids::Gzip: return QStringLiteral("GZIP");
    case ids::Zstd: return QStringLiteral("ZSTD");
    default: return QStringLiteral("codec %1").arg(codec);
    }
}

const int kSupportedCodecs[] = {ids::Uncompressed, ids::Snappy, ids::Gzip, ids::Zstd};

enum DictionaryMode : int { NoDictionary, RleDictionary, PlainDictionary };

ParquetWriteOptions roundTripOptions(int pageVersion, int dictionary, int codec, bool split)
{
    ParquetWriteOptions options;
    options.pageVersion = pageVersion;
    options.dictionary = dictionary != NoDictionary;
    options.legacyDictionaryEncoding = dictionary == PlainDictionary;
    options.codec = codec;
    if (split) {
        options.rowsPerRowGroup = 40;
        options.rowsPerPage = 9;
    }
    return options;
}

// The chunk's encodings the writer lists: the values', the dictionary page's and RLE for the levels.
std::vector<int> expectedEncodings(int dictionary, bool dictionaryUsed)
{
    if (!dictionaryUsed || dictionary == NoDictionary)
        return {ids::Plain, ids::Rle};
    if (dictionary == PlainDictionary)
        return {ids::PlainDictionary, ids::Rle};
    return {ids::Plain, ids::Rle, ids::RleDictionary};
}

std::vector<int> sorted(std::vector<int> values)
{
    std::sort(values.begin(), values.end());
    return values;
}

// The row counts of the row groups of `rows` rows, `perGroup` (0: all) at a time.
std::vector<std::int64_t> rowGroupSizes(std::int64_t rows, int perGroup)
{
    std::vector<std::int64_t> sizes;
    const std::int64_t step = perGroup > 0 ? perGroup : rows;
    for (std::int64_t first = 0; first < rows; first += step)
        sizes.push_back(std::min(step, rows - first));
    return sizes;
}

QByteArray littleEndian32(quint32 value)
{
    QByteArray bytes(4, '\0');
    qToLittleEndian<quint32>(value, bytes.data());
    return bytes;
}

// The footer (FileMetaData) of a file from the writer.
QByteArray footerOf(const QByteArray &file)
{
    const quint32 length = qFromLittleEndian<quint32>(file.constData() + file.size() - 8);
    return file.mid(file.size() - 8 - static_cast<int>(length), static_cast<int>(length));
}

// `file` with its footer replaced (its pages kept).
QByteArray withFooter(const QByteArray &file, const QByteArray &footer)
{
    const int pagesEnd = file.size() - 8 - footerOf(file).size();
    return file.left(pagesEnd) + footer + littleEndian32(static_cast<quint32>(footer.size())) + "PAR1";
}

// A minimal file assembled by hand from parquet.thrift, one INT32 column "x"
// (REQUIRED) holding 7, -1, 300 in one PLAIN data page. Compact protocol: a
// field header is (id delta << 4) | type (5 i32, 6 i64, 8 binary, 9 list, 12
// struct); i32 / i64 are zigzag varints; 0x00 ends a struct.
const unsigned char kHandMadeFile[] = {'P', 'A', 'R', '1', // offset 0: magic
                                       // offset 4: PageHeader
                                       0x15, 0x00, //   1: type = DATA_PAGE (0)
                                       0x15, 0x18, //   2: uncompressed_page_size = 12
                                       0x15, 0x18, //   3: compressed_page_size = 12
                                       0x2c,       //   5: data_page_header (delta 2, struct)
                                       0x15, 0x06, //     1: num_values = 3
                                       0x15, 0x00, //     2: encoding = PLAIN
                                       0x15, 0x06, //     3: definition_level_encoding = RLE (3)
                                       0x15, 0x06, //     4: repetition_level_encoding = RLE
                                       0x00,       //   end of DataPageHeader
                                       0x00,       // end of PageHeader (17 bytes)
                                       // offset 21: the values, INT32 little endian (no levels: the column is required)
                                       0x07, 0x00, 0x00, 0x00, // 7
                                       0xff, 0xff, 0xff, 0xff, // -1
                                       0x2c, 0x01, 0x00, 0x00, // 300
                                       // offset 33: FileMetaData
                                       0x15, 0x02, // 1: version = 1
                                       0x19, 0x2c, // 2: schema, list of 2 structs
                                       0x48, 0x06, 's', 'c', 'h', 'e', 'm',
                                       'a',             //   4: name = "schema" (the root: no type, no repetition)
                                       0x15, 0x02,      //   5: num_children = 1
                                       0x00,            //   end
                                       0x15, 0x02,      //   1: type = INT32
                                       0x25, 0x00,      //   3: repetition_type = REQUIRED (delta 2)
                                       0x18, 0x01, 'x', //   4: name = "x"
                                       0x00,            //   end
                                       0x16, 0x06,      // 3: num_rows = 3 (i64)
                                       0x19, 0x1c,      // 4: row_groups, list of 1 struct
                                       0x19, 0x1c,      //   1: columns, list of 1 struct
                                       0x26, 0x08,      //     2: file_offset = 4 (delta 2, i64)
                                       0x1c,            //     3: meta_data (struct)
                                       0x15, 0x02,      //       1: type = INT32
                                       0x19, 0x25, 0x00, 0x06, //       2: encodings, list of 2 i32: PLAIN, RLE
                                       0x19, 0x18, 0x01, 'x',  //       3: path_in_schema, list of 1 binary: "x"
                                       0x15, 0x00,             //       4: codec = UNCOMPRESSED
                                       0x16, 0x06,             //       5: num_values = 3
                                       0x16, 0x3a,      //       6: total_uncompressed_size = 29 (header + values)
                                       0x16, 0x3a,      //       7: total_compressed_size = 29
                                       0x26, 0x08,      //       9: data_page_offset = 4 (delta 2)
                                       0x00,            //       end of ColumnMetaData
                                       0x00,            //     end of ColumnChunk
                                       0x16, 0x3a,      //   2: total_byte_size = 29
                                       0x16, 0x06,      //   3: num_rows = 3
                                       0x00,            //   end of RowGroup
                                       0x19, 0x1c,      // 5: key_value_metadata, list of 1 struct
                                       0x18, 0x01, 'k', //   1: key = "k"
                                       0x18, 0x01, 'v', //   2: value = "v"
                                       0x00,            //   end
                                       0x18, 0x04, 'h', 'a', 'n', 'd', // 6: created_by = "hand"
                                       0x00,                           // end of FileMetaData (75 bytes)
                                       0x4b, 0x00, 0x00, 0x00,         // footer length = 75
                                       'P', 'A', 'R', '1'};
constexpr int kHandMadeNumChildrenOffset = 33 + 4 + 9; // the root's num_children value

QByteArray handMadeFile()
{
    return QByteArray(reinterpret_cast<const char *>(kHandMadeFile), sizeof kHandMadeFile);
}

// Damage the reader must notice in a page of the column.
enum class Fixture : int { HfImages, FloatColumn, DoubleColumn, Int96Column, FixedColumn, RepeatedLeaf, RepeatedGroup };

// A supported INT64 column "id" next to one the reader refuses.
ParquetFixtureTable unsupportedColumnTable(Fixture fixture)
{
    ParquetFixtureTable table;
    std::vector<std::optional<std::int64_t>> ids;
    std::vector<std::optional<QByteArray>> values;
    const int size = fixture == Fixture::FloatColumn ? 4 : (fixture == Fixture::Int96Column ? 12 : 8);
    for (int i = 0; i < 12; ++i) {
        ids.push_back(i);
        values.push_back(i % 4 == 2 ? std::nullopt : std::optional<QByteArray>(QByteArray(size, static_cast<char>(i))));
    }
    table.columns.push_back(ParquetFixtureColumn::ofIntegers(QStringLiteral("id"), ids::Int64, ids));
    switch (fixture) {
    case Fixture::FloatColumn:
        table.columns.push_back(
            ParquetFixtureColumn::ofBytes(QStringLiteral("score"), values, ids::Optional, ids::Float));
        break;
    case Fixture::DoubleColumn:
        table.columns.push_back(
            ParquetFixtureColumn::ofBytes(QStringLiteral("score"), values, ids::Optional, ids::Double));
        break;
    case Fixture::Int96Column:
        table.columns.push_back(
            ParquetFixtureColumn::ofBytes(QStringLiteral("score"), values, ids::Optional, ids::Int96));
        break;
    case Fixture::FixedColumn:
        table.columns.push_back(
            ParquetFixtureColumn::ofBytes(QStringLiteral("score"), values, ids::Optional, ids::FixedLenByteArray));
        table.columns.back().typeLength = size;
        break;
    case Fixture::RepeatedLeaf:
        table.columns.push_back(ParquetFixtureColumn::ofBytes(QStringLiteral("score"), values, ids::Repeated));
        break;
    case Fixture::RepeatedGroup:
        // list { repeated group list { optional binary element } }, as Arrow writes a list.
        table.groups = {{QStringLiteral("score"), ids::Optional}, {QStringLiteral("score.list"), ids::Repeated}};
        table.columns.push_back(ParquetFixtureColumn::ofBytes(QStringLiteral("score.list.element"), values));
        break;
    case Fixture::HfImages: break;
    }
    return table;
}

QByteArray fixtureBytes(Fixture fixture, const ParquetWriteOptions &options)
{
    if (fixture == Fixture::HfImages)
        return huggingFaceImageParquet(sampleHfRows(30), kClassNames, options);
    return parquetFileBytes(unsupportedColumnTable(fixture), options);
}

// Applies `edit` to the data pages (not the dictionary page) of `column`.
std::function<void(ParquetPageFixture &)> onDataPages(const QString &column,
                                                      std::function<void(ParquetPageFixture &)> edit)
{
    return [column, edit](ParquetPageFixture &page) {
        if (page.column == column && page.type != ids::DictionaryPage)
            edit(page);
    };
}

// Every column of every row group, decoded; what a caller of the reader does.
void readEverything(const QString &path)
{
    const ParquetFile file = ParquetFile::open(path);
    for (int g = 0; g < static_cast<int>(file.rowGroups().size()); ++g) {
        for (int c = 0; c < static_cast<int>(file.columns().size()); ++c)
            file.readColumn(g, c);
    }
}

// The error of reading `path` whole: "" when it reads, and a note when something
// other than a wemoe::Error escapes (a crash would end the test outright).
QString readEverythingError(const QString &path)
{
    try {
        readEverything(path);
    } catch (const Error &e) {
        return e.message();
    } catch (const std::exception &e) {
        return QStringLiteral("NOT A wemoe::Error: ") + QString::fromUtf8(e.what());
    }
    return {};
}

bool containsAll(const QString &message, const QStringList &words)
{
    return std::all_of(words.begin(), words.end(),
                       [&](const QString &word) { return message.contains(word, Qt::CaseInsensitive); });
}

} // namespace

class TestParquetReader : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;

    QString write(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir->filePath(name);
        if (!writeFileBytes(path, bytes))
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    // The HF schema, columns and metadata of a file from huggingFaceImageParquet.
    static QString describeHfLayoutMismatch(const ParquetFile &file)
    {
        const std::vector<ParquetSchemaElement> &schema = file.schema();
        if (schema.size() != 5)
            return QStringLiteral("%1 schema elements").arg(schema.size());
        struct Element
        {
            const char *name;
            int depth, repetition, childCount, type, convertedType;
            const char *logicalType;
        };
        const Element expected[] = {{"schema", 0, 0, 2, -1, -1, ""},
                                    {"image", 1, 1, 2, -1, -1, ""},
                                    {"bytes", 2, 1, 0, 6, -1, ""},
                                    {"path", 2, 1, 0, 6, 0, "STRING"},
                                    {"label", 1, 1, 0, 2, -1, ""}};
        for (int i = 0; i < 5; ++i) {
            const ParquetSchemaElement &actual = schema[static_cast<std::size_t>(i)];
            const Element &want = expected[i];
            if (actual.name != QLatin1String(want.name) || actual.depth != want.depth
                || actual.repetition != want.repetition || actual.childCount != want.childCount
                || actual.type.value_or(-1) != want.type || actual.convertedType.value_or(-1) != want.convertedType
                || actual.logicalType != QLatin1String(want.logicalType))
                return QStringLiteral("schema element %1 (%2) differs").arg(i).arg(actual.name);
        }
        if (file.columnPaths() != QStringList({"image.bytes", "image.path", "label"}))
            return QStringLiteral("columns: ") + file.columnPaths().join(QLatin1Char(','));
        const int maxDefinitions[] = {2, 2, 1};
        const int types[] = {ids::ByteArray, ids::ByteArray, ids::Int64};
        for (int c = 0; c < 3; ++c) {
            const ParquetColumn &column = file.columns()[static_cast<std::size_t>(c)];
            if (column.maxDefinitionLevel != maxDefinitions[c] || column.maxRepetitionLevel != 0
                || column.type != types[c])
                return QStringLiteral("column %1: levels %2/%3, type %4")
                    .arg(column.path)
                    .arg(column.maxDefinitionLevel)
                    .arg(column.maxRepetitionLevel)
                    .arg(column.type);
        }
        if (file.columnIndex(QStringLiteral("label")) != 2 || file.columnIndex(QStringLiteral("image")) != -1
            || file.columnIndex(QStringLiteral("nope")) != -1)
            return QStringLiteral("columnIndex");
        if (file.metadataValue(QStringLiteral("huggingface")) != huggingFaceImageMetadata(kClassNames))
            return QStringLiteral("huggingface metadata: ")
                   + file.metadataValue(QStringLiteral("huggingface")).value_or(QStringLiteral("(none)"));
        if (file.metadataValue(QStringLiteral("absent")).has_value())
            return QStringLiteral("a metadata key that is not there");
        if (file.createdBy() != QLatin1String("parquet-cpp-arrow version 14.0.2") || file.version() != 2)
            return QStringLiteral("created_by / version");
        return {};
    }

    // Row groups and chunks as the writer laid them out.
    static QString describeRowGroupMismatch(const ParquetFile &file, const std::vector<std::int64_t> &groupRows,
                                            int codec, int dictionary, const std::vector<int> &dictionaryColumns)
    {
        if (file.rowGroups().size() != groupRows.size())
            return QStringLiteral("%1 row groups, %2 expected").arg(file.rowGroups().size()).arg(groupRows.size());
        for (std::size_t g = 0; g < groupRows.size(); ++g) {
            const ParquetRowGroup &group = file.rowGroups()[g];
            if (group.rowCount != groupRows[g] || group.columns.size() != file.columns().size()
                || group.totalByteSize <= 0)
                return QStringLiteral("row group %1: %2 rows, %3 chunks")
                    .arg(g)
                    .arg(group.rowCount)
                    .arg(group.columns.size());
            for (std::size_t c = 0; c < group.columns.size(); ++c) {
                const ParquetColumnChunk &chunk = group.columns[c];
                const bool dictionaryUsed =
                    std::count(dictionaryColumns.begin(), dictionaryColumns.end(), static_cast<int>(c)) > 0;
                const QString where = QStringLiteral("row group %1, column %2: ").arg(g).arg(c);
                if (chunk.codec != codec)
                    return where + QStringLiteral("codec %1").arg(chunk.codec);
                if (sorted(chunk.encodings) != expectedEncodings(dictionary, dictionaryUsed))
                    return where + QStringLiteral("encodings");
                if (chunk.valueCount != groupRows[g])
                    return where + QStringLiteral("%1 values").arg(chunk.valueCount);
                if (chunk.dictionaryPageOffset.has_value() != (dictionary != NoDictionary && dictionaryUsed))
                    return where + QStringLiteral("dictionary page offset");
                const std::int64_t start = chunk.dictionaryPageOffset.value_or(chunk.dataPageOffset);
                if (start < 4 || chunk.dataPageOffset < start || chunk.compressedSize <= 0
                    || start + chunk.compressedSize > file.fileSize() || chunk.uncompressedSize <= 0)
                    return where + QStringLiteral("offsets and sizes");
                if (codec == ids::Uncompressed && chunk.compressedSize != chunk.uncompressedSize)
                    return where + QStringLiteral("sizes of an uncompressed chunk differ");
            }
        }
        return {};
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void cleanup() { m_dir.reset(); }

    void namesFollowParquetThrift()
    {
        QCOMPARE(parquetTypeName(ids::ByteArray), QStringLiteral("BYTE_ARRAY"));
        QCOMPARE(parquetTypeName(ids::Int96), QStringLiteral("INT96"));
        QCOMPARE(parquetTypeName(12), QStringLiteral("type 12"));
        QCOMPARE(parquetCodecName(ids::Snappy), QStringLiteral("SNAPPY"));
        QCOMPARE(parquetCodecName(ids::Lz4Raw), QStringLiteral("LZ4_RAW"));
        QCOMPARE(parquetCodecName(9), QStringLiteral("codec 9"));
        QCOMPARE(parquetEncodingName(ids::RleDictionary), QStringLiteral("RLE_DICTIONARY"));
        QCOMPARE(parquetEncodingName(ids::DeltaBinaryPacked), QStringLiteral("DELTA_BINARY_PACKED"));
        QCOMPARE(parquetEncodingName(11), QStringLiteral("encoding 11"));
    }

    // --- round trips

    void roundTripsHuggingFaceImages_data()
    {
        QTest::addColumn<int>("pageVersion");
        QTest::addColumn<int>("dictionary");
        QTest::addColumn<int>("codec");
        QTest::addColumn<bool>("split");
        QTest::addColumn<bool>("compressedV2Values");
        const char *dictionaryNames[] = {"plain", "rle-dictionary", "plain-dictionary"};
        for (const int pageVersion : {1, 2}) {
            for (const int dictionary : {NoDictionary, RleDictionary, PlainDictionary}) {
                for (const int codec : kSupportedCodecs) {
                    for (const bool split : {false, true}) {
                        QTest::addRow("v%d/%s/%s/%s", pageVersion, dictionaryNames[dictionary],
                                      qPrintable(codecName(codec)), split ? "groups-of-40,pages-of-9" : "one-page")
                            << pageVersion << dictionary << codec << split << true;
                    }
                }
            }
        }
        // DATA_PAGE_V2 may leave its values uncompressed whatever the chunk's codec.
        for (const int codec : {ids::Snappy, ids::Gzip, ids::Zstd})
            QTest::addRow("v2/rle-dictionary/%s/values-not-compressed", qPrintable(codecName(codec)))
                << 2 << int(RleDictionary) << codec << true << false;
    }

    void roundTripsHuggingFaceImages()
    {
        QFETCH(int, pageVersion);
        QFETCH(int, dictionary);
        QFETCH(int, codec);
        QFETCH(bool, split);
        QFETCH(bool, compressedV2Values);
        ParquetWriteOptions options = roundTripOptions(pageVersion, dictionary, codec, split);
        options.compressedV2Values = compressedV2Values;
        options.keyValueMetadata = {{QStringLiteral("ARROW:schema"), QStringLiteral("/////")}};
        const std::vector<HfImageRow> rows = sampleHfRows(130);
        const QString path = write(QStringLiteral("images.parquet"),
                                   huggingFaceImageParquet(rows, kClassNames, options));

        const ParquetFile file = ParquetFile::open(path);
        QCOMPARE(file.path(), path);
        QCOMPARE(file.fileSize(), QFileInfo(path).size());
        QCOMPARE(file.rowCount(), std::int64_t(130));
        const QString layout = describeHfLayoutMismatch(file);
        QVERIFY2(layout.isEmpty(), qPrintable(layout));
        QCOMPARE(file.keyValueMetadata().size(), std::size_t(2));
        QCOMPARE(file.keyValueMetadata()[0].first, QStringLiteral("ARROW:schema"));
        QCOMPARE(file.keyValueMetadata()[0].second, QStringLiteral("/////"));
        const std::vector<std::int64_t> groupRows = rowGroupSizes(130, options.rowsPerRowGroup);
        const QString groups = describeRowGroupMismatch(file, groupRows, codec, dictionary, {0, 1, 2});
        QVERIFY2(groups.isEmpty(), qPrintable(groups));

        const std::vector<ExpectedColumn> expected = expectedHfColumns(rows);
        std::int64_t first = 0;
        for (std::size_t g = 0; g < groupRows.size(); ++g) {
            for (int c = 0; c < 3; ++c) {
                const QString mismatch = compareValues(file.readColumn(static_cast<int>(g), c),
                                                       expected[static_cast<std::size_t>(c)], first, groupRows[g]);
                QVERIFY2(
                    mismatch.isEmpty(),
                    qPrintable(QStringLiteral("row group %1, %2: %3").arg(g).arg(file.columnPaths()[c], mismatch)));
            }
            first += groupRows[g];
        }
    }

    void roundTripsEveryPhysicalType_data()
    {
        QTest::addColumn<int>("pageVersion");
        QTest::addColumn<int>("dictionary");
        QTest::addColumn<int>("codec");
        QTest::addColumn<bool>("split");
        const char *dictionaryNames[] = {"plain", "rle-dictionary", "plain-dictionary"};
        for (const int pageVersion : {1, 2}) {
            for (const int dictionary : {NoDictionary, RleDictionary, PlainDictionary}) {
                for (const int codec : kSupportedCodecs) {
                    for (const bool split : {false, true}) {
                        QTest::addRow("v%d/%s/%s/%s", pageVersion, dictionaryNames[dictionary],
                                      qPrintable(codecName(codec)), split ? "groups-of-40,pages-of-9" : "one-page")
                            << pageVersion << dictionary << codec << split;
                    }
                }
            }
        }
    }

    void roundTripsEveryPhysicalType()
    {
        QFETCH(int, pageVersion);
        QFETCH(int, dictionary);
        QFETCH(int, codec);
        QFETCH(bool, split);
        const ParquetWriteOptions options = roundTripOptions(pageVersion, dictionary, codec, split);
        const ParquetFixtureTable table = sampleTypedTable(300);
        const QString path = write(QStringLiteral("typed.parquet"), parquetFileBytes(table, options));

        const ParquetFile file = ParquetFile::open(path);
        QCOMPARE(file.rowCount(), std::int64_t(300));
        QVERIFY(file.keyValueMetadata().empty());
        QVERIFY(!file.metadataValue(QStringLiteral("huggingface")).has_value());

        // schema { flag; small; big; name; a { b { c { d } e } }; req { x }; ghost }, depth first.
        struct Element
        {
            const char *name;
            int depth, repetition, childCount, type, convertedType;
            const char *logicalType;
        };
        const Element expectedSchema[] = {
            {"schema", 0, 0, 7, -1, -1, ""}, {"flag", 1, 1, 0, 0, -1, ""},      {"small", 1, 0, 0, 1, -1, ""},
            {"big", 1, 0, 0, 2, -1, ""},     {"name", 1, 0, 0, 6, 0, "STRING"}, {"a", 1, 1, 1, -1, -1, ""},
            {"b", 2, 0, 2, -1, -1, ""},      {"c", 3, 1, 1, -1, -1, ""},        {"d", 4, 1, 0, 1, -1, ""},
            {"e", 3, 0, 0, 6, -1, ""},       {"req", 1, 0, 1, -1, -1, ""},      {"x", 2, 0, 0, 2, -1, "INTEGER"},
            {"ghost", 1, 1, 0, 2, -1, ""}};
        QCOMPARE(file.schema().size(), std::size(expectedSchema));
        for (std::size_t i = 0; i < file.schema().size(); ++i) {
            const ParquetSchemaElement &actual = file.schema()[i];
            const Element &want = expectedSchema[i];
            QCOMPARE(actual.name, QString::fromLatin1(want.name));
            QCOMPARE(actual.depth, want.depth);
            QCOMPARE(actual.repetition, want.repetition);
            QCOMPARE(actual.childCount, want.childCount);
            QCOMPARE(actual.type.value_or(-1), want.type);
            QCOMPARE(actual.convertedType.value_or(-1), want.convertedType);
            QCOMPARE(actual.logicalType, QString::fromLatin1(want.logicalType));
        }
        const QStringList paths = {"flag", "small", "big", "name", "a.b.c.d", "a.b.e", "req.x", "ghost"};
        const int maxDefinitions[] = {1, 0, 0, 0, 3, 1, 0, 1};
        QCOMPARE(file.columnPaths(), paths);
        for (int c = 0; c < paths.size(); ++c) {
            const ParquetColumn &column = file.columns()[static_cast<std::size_t>(c)];
            QCOMPARE(column.path, paths[c]);
            QCOMPARE(column.type, table.columns[static_cast<std::size_t>(c)].type);
            QCOMPARE(column.maxDefinitionLevel, maxDefinitions[c]);
            QCOMPARE(column.maxRepetitionLevel, 0);
            QCOMPARE(file.columnIndex(paths[c]), c);
        }

        const std::vector<std::int64_t> groupRows = rowGroupSizes(300, options.rowsPerRowGroup);
        // BOOLEAN columns are never dictionary-encoded (as Arrow, so does the writer).
        const QString groups = describeRowGroupMismatch(file, groupRows, codec, dictionary, {1, 2, 3, 4, 5, 6, 7});
        QVERIFY2(groups.isEmpty(), qPrintable(groups));
        std::int64_t first = 0;
        for (std::size_t g = 0; g < groupRows.size(); ++g) {
            for (int c = 0; c < paths.size(); ++c) {
                const ExpectedColumn expected = expectedTableColumn(table, c, maxDefinitions[c]);
                const QString mismatch = compareValues(file.readColumn(static_cast<int>(g), c), expected, first,
                                                       groupRows[g]);
                QVERIFY2(mismatch.isEmpty(),
                         qPrintable(QStringLiteral("row group %1, %2: %3").arg(g).arg(paths[c], mismatch)));
            }
            first += groupRows[g];
        }
    }

    // Files Arrow would never write but the format allows: no statistics,
    // format version 1, a single row, zero rows.
    void readsPlainerAndSmallerFiles()
    {
        ParquetWriteOptions options;
        options.statistics = false;
        options.formatVersion = 1;
        options.createdBy.clear();
        const std::vector<HfImageRow> one = {{false, QByteArray("x"), QStringLiteral("p"), 3}};
        const ParquetFile single = ParquetFile::open(
            write(QStringLiteral("one.parquet"), huggingFaceImageParquet(one, {}, options)));
        QCOMPARE(single.version(), 1);
        QVERIFY(single.createdBy().isEmpty());
        QVERIFY(single.keyValueMetadata().empty());
        QCOMPARE(single.rowCount(), std::int64_t(1));
        QCOMPARE(single.readColumn(0, 0).bytes, std::vector<QByteArray>{"x"});
        QCOMPARE(single.readColumn(0, 1).bytes, std::vector<QByteArray>{"p"});
        QCOMPARE(single.readColumn(0, 2).integers, std::vector<std::int64_t>{3});

        const ParquetFile empty = ParquetFile::open(
            write(QStringLiteral("empty.parquet"), huggingFaceImageParquet({}, kClassNames)));
        QCOMPARE(empty.rowCount(), std::int64_t(0));
        QVERIFY(empty.rowGroups().empty());
        QCOMPARE(empty.columnPaths(), QStringList({"image.bytes", "image.path", "label"}));
        QVERIFY(empty.metadataValue(QStringLiteral("huggingface")).has_value());
    }

    // Dictionary indices 17 bits wide (RLE values of 3 bytes) and runs too
    // long for a one-byte header, in both page versions.
    void readsWideIndicesAndLongRuns()
    {
        const int rows = 80000;
        std::vector<std::optional<std::int64_t>> distinct, constant;
        for (int i = 0; i < rows; ++i) {
            // 70000 distinct values, then runs of a new one (index 70000) and an old one (index 5).
            distinct.push_back(i < 70000 ? i : (i < 75000 ? -1 : 5));
            constant.push_back(i % 40000 == 39999 ? std::nullopt : std::optional<std::int64_t>(-3));
        }
        ParquetFixtureTable table;
        table.columns = {ParquetFixtureColumn::ofIntegers(QStringLiteral("distinct"), ids::Int32, distinct),
                         ParquetFixtureColumn::ofIntegers(QStringLiteral("constant"), ids::Int64, constant)};
        for (const int pageVersion : {1, 2}) {
            const ParquetWriteOptions options = roundTripOptions(pageVersion, RleDictionary, ids::Zstd, false);
            const ParquetFile file = ParquetFile::open(
                write(QStringLiteral("wide.parquet"), parquetFileBytes(table, options)));
            for (int c = 0; c < 2; ++c) {
                const QString mismatch = compareValues(file.readColumn(0, c), expectedTableColumn(table, c, 1), 0,
                                                       rows);
                QVERIFY2(mismatch.isEmpty(),
                         qPrintable(QStringLiteral("v%1, column %2: %3").arg(pageVersion).arg(c).arg(mismatch)));
            }
        }
    }

    // One file read from two threads at once gives what one thread reads.
    void readsColumnsConcurrently()
    {
        ParquetWriteOptions options = roundTripOptions(2, RleDictionary, ids::Zstd, true);
        const std::vector<HfImageRow> rows = sampleHfRows(400);
        const ParquetFile file = ParquetFile::open(
            write(QStringLiteral("images.parquet"), huggingFaceImageParquet(rows, kClassNames, options)));
        const std::vector<ExpectedColumn> expected = expectedHfColumns(rows);
        std::vector<QString> mismatches(2);
        std::vector<std::thread> threads;
        for (int t = 0; t < 2; ++t) {
            threads.emplace_back([&, t]() {
                try {
                    for (int repeat = 0; repeat < 5; ++repeat) {
                        for (int g = 0; g < static_cast<int>(file.rowGroups().size()); ++g) {
                            for (int c = (t + g) % 3, n = 0; n < 3; c = (c + 1) % 3, ++n) {
                                const QString mismatch = compareValues(file.readColumn(g, c),
                                                                       expected[static_cast<std::size_t>(c)], g * 40,
                                                                       file.rowGroups()[g].rowCount);
                                if (!mismatch.isEmpty() && mismatches[t].isEmpty())
                                    mismatches[t] = mismatch;
                            }
                        }
                    }
                } catch (const std::exception &e) {
                    mismatches[t] = QString::fromUtf8(e.what());
                }
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        QVERIFY2(mismatches[0].isEmpty(), qPrintable(mismatches[0]));
        QVERIFY2(mismatches[1].isEmpty(), qPrintable(mismatches[1]));
    }

    // --- a file assembled by hand

    void readsAHandAssembledFile()
    {
        const QByteArray bytes = handMadeFile();
        QCOMPARE(qFromLittleEndian<quint32>(bytes.constData() + bytes.size() - 8), quint32(bytes.size() - 33 - 8));
        const QString path = write(QStringLiteral("hand.parquet"), bytes);
        const ParquetFile file = ParquetFile::open(path);
        QCOMPARE(file.fileSize(), std::int64_t(116));
        QCOMPARE(file.version(), 1);
        QCOMPARE(file.rowCount(), std::int64_t(3));
        QCOMPARE(file.createdBy(), QStringLiteral("hand"));
        QCOMPARE(file.keyValueMetadata().size(), std::size_t(1));
        QCOMPARE(file.keyValueMetadata()[0].first, QStringLiteral("k"));
        QCOMPARE(file.keyValueMetadata()[0].second, QStringLiteral("v"));
        QCOMPARE(file.metadataValue(QStringLiteral("k")), std::optional<QString>(QStringLiteral("v")));

        QCOMPARE(file.schema().size(), std::size_t(2));
        const ParquetSchemaElement &root = file.schema()[0];
        QCOMPARE(root.name, QStringLiteral("schema"));
        QCOMPARE(root.depth, 0);
        QCOMPARE(root.childCount, 1);
        QVERIFY(!root.type.has_value());
        const ParquetSchemaElement &leaf = file.schema()[1];
        QCOMPARE(leaf.name, QStringLiteral("x"));
        QCOMPARE(leaf.depth, 1);
        QCOMPARE(leaf.repetition, 0);
        QCOMPARE(leaf.childCount, 0);
        QCOMPARE(leaf.type, std::optional<int>(ids::Int32));
        QVERIFY(!leaf.convertedType.has_value());
        QVERIFY(leaf.logicalType.isEmpty());

        QCOMPARE(file.columnPaths(), QStringList{"x"});
        QCOMPARE(file.columns()[0].type, int(ids::Int32));
        QCOMPARE(file.columns()[0].maxDefinitionLevel, 0);
        QCOMPARE(file.columns()[0].maxRepetitionLevel, 0);

        QCOMPARE(file.rowGroups().size(), std::size_t(1));
        const ParquetRowGroup &group = file.rowGroups()[0];
        QCOMPARE(group.rowCount, std::int64_t(3));
        QCOMPARE(group.totalByteSize, std::int64_t(29));
        QCOMPARE(group.columns.size(), std::size_t(1));
        const ParquetColumnChunk &chunk = group.columns[0];
        QCOMPARE(chunk.codec, int(ids::Uncompressed));
        QCOMPARE(chunk.encodings, (std::vector<int>{ids::Plain, ids::Rle}));
        QCOMPARE(chunk.valueCount, std::int64_t(3));
        QCOMPARE(chunk.compressedSize, std::int64_t(29));
        QCOMPARE(chunk.uncompressedSize, std::int64_t(29));
        QCOMPARE(chunk.dataPageOffset, std::int64_t(4));
        QVERIFY(!chunk.dictionaryPageOffset.has_value());

        const ParquetColumnValues values = file.readColumn(0, 0);
        QCOMPARE(values.present, std::vector<bool>(3, true));
        QCOMPARE(values.integers, (std::vector<std::int64_t>{7, -1, 300}));
        QVERIFY(values.bytes.empty());
    }

    // --- files that are not (well-formed) Parquet

    void refusesMalformedFiles_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QStringList>("words"); // besides the path, in the message
        const QByteArray valid = huggingFaceImageParquet(sampleHfRows(20), kClassNames);
        const QByteArray footer = footerOf(valid);
        const int footerLengthAt = valid.size() - 8;
        const auto withFooterLength = [&](quint32 length) {
            return valid.left(footerLengthAt) + littleEndian32(length) + "PAR1";
        };

        QTest::newRow("empty file") << QByteArray() << QStringList();
        QTest::newRow("text") << QByteArray("label,image\n1,cat.jpg\n") << QStringList();
        QTest::newRow("magic alone") << QByteArray("PAR1") << QStringList();
        QTest::newRow("two magics, no footer length") << QByteArray("PAR1PAR1") << QStringList();
        QTest::newRow("footer of length 0") << QByteArray("PAR1") + littleEndian32(0) + "PAR1" << QStringList();
        QTest::newRow("no PAR1 at the start") << QByteArray("PAR0") + valid.mid(4) << QStringList();
        QTest::newRow("no PAR1 at the end") << valid.left(valid.size() - 1) + "2" << QStringList();
        QTest::newRow("encrypted footer (PARE)") << valid.left(valid.size() - 4) + "PARE" << QStringList();
        QTest::newRow("footer length past the file") << withFooterLength(0x7fffffff) << QStringList();
        QTest::newRow("footer length 0xffffffff") << withFooterLength(0xffffffff) << QStringList();
        QTest::newRow("footer length one past the pages")
            << withFooterLength(static_cast<quint32>(valid.size() - 8 - 4 + 1)) << QStringList();
        QTest::newRow("footer over the leading magic")
            << withFooterLength(static_cast<quint32>(valid.size() - 8)) << QStringList();
        QTest::newRow("footer over the pages")
            << withFooterLength(static_cast<quint32>(valid.size() - 8 - 4)) << QStringList();
        QTest::newRow("Thrift past its buffer") << withFooter(valid, footer.left(footer.size() / 2)) << QStringList();
        QTest::newRow("footer of zeros") << withFooter(valid, QByteArray(footer.size(), '\0')) << QStringList();
        QTest::newRow("footer of 0xff") << withFooter(valid, QByteArray(footer.size(), '\xff')) << QStringList();

        // FileMetaData { 1: version; 100: struct { 1: struct { 1: struct ... } } }, 1000 deep.
        QByteArray deep("\x15\x02\x0c\xc8\x01");
        deep += QByteArray(1000, '\x1c') + QByteArray(1002, '\0');
        QTest::newRow("Thrift nested too deep") << withFooter(valid, deep) << QStringList();
        QByteArray deepLists("\x15\x02\x0c\xc8\x01"); // lists of lists of ...
        deepLists += "\x19\x19" + QByteArray(1000, '\x19') + QByteArray(1002, '\0');
        QTest::newRow("Thrift lists nested too deep") << withFooter(valid, deepLists) << QStringList();

        // The root says it has two children; only one follows.
        QByteArray children = handMadeFile();
        children[kHandMadeNumChildrenOffset] = '\x04';
        QTest::newRow("schema children do not add up") << children << QStringList();
        // The only leaf becomes a group with no children.
        QByteArray childless = handMadeFile();
        childless[kHandMadeNumChildrenOffset] = '\x00';
        QTest::newRow("schema without leaves") << childless << QStringList();

        // The pages cut out, the footer kept: chunks lie past the end of the file.
        std::vector<HfImageRow> big = sampleHfRows(4);
        big[0].bytes = QByteArray(5000, 'j');
        const QByteArray bigFile = huggingFaceImageParquet(big, {});
        QTest::newRow("chunks past the end of the file")
            << QByteArray("PAR1") + footerOf(bigFile) + littleEndian32(static_cast<quint32>(footerOf(bigFile).size()))
                   + "PAR1"
            << QStringList();
    }

    void refusesMalformedFiles()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QStringList, words);
        const QString path = write(QStringLiteral("bad.parquet"), bytes);
        // A file refused when opened, or at the latest when its columns are read.
        const QString message = readEverythingError(path);
        QVERIFY2(!message.isEmpty(), "the file was read");
        QVERIFY2(message.startsWith(path + QStringLiteral(": ")), qPrintable(message));
        QVERIFY2(containsAll(message, words), qPrintable(message));
        QVERIFY2(!message.contains(QStringLiteral("NOT A wemoe::Error")), qPrintable(message));
    }

    // The footer problems above are found when the file is opened, not later.
    void refusesBadFootersWhenOpening()
    {
        const QByteArray valid = huggingFaceImageParquet(sampleHfRows(20), kClassNames);
        QByteArray deep("\x15\x02\x0c\xc8\x01");
        deep += QByteArray(600, '\x1c') + QByteArray(602, '\0');
        const QByteArray bad[] = {QByteArray(), QByteArray("PAR1"), valid.left(valid.size() - 1),
                                  withFooter(valid, footerOf(valid).left(10)), withFooter(valid, deep)};
        for (const QByteArray &bytes : bad) {
            const QString path = write(QStringLiteral("bad.parquet"), bytes);
            const QString message = errorOf([&]() { ParquetFile::open(path); });
            QVERIFY2(message.startsWith(path + QStringLiteral(": ")), qPrintable(message));
        }
    }

    // Every cut of a valid footer runs the Thrift reader out of bytes somewhere.
    void refusesEveryTruncatedFooter()
    {
        const QByteArray valid = huggingFaceImageParquet(sampleHfRows(20), kClassNames,
                                                         roundTripOptions(1, RleDictionary, ids::Snappy, true));
        const QByteArray footer = footerOf(valid);
        const QString path = m_dir->filePath(QStringLiteral("cut.parquet"));
        for (int length = 0; length < footer.size(); ++length) {
            QVERIFY(writeFileBytes(path, withFooter(valid, footer.left(length))));
            const QString message = errorOf([&]() { ParquetFile::open(path); });
            QVERIFY2(message.startsWith(path + QStringLiteral(": ")),
                     qPrintable(QStringLiteral("footer cut to %1 bytes: '%2'").arg(length).arg(message)));
        }
    }

    // A file cut anywhere is refused, and so is one whose pages are cut short
    // under an intact footer.
    void refusesEveryTruncatedFile()
    {
        const QByteArray valid = huggingFaceImageParquet(sampleHfRows(24), kClassNames,
                                                         roundTripOptions(2, RleDictionary, ids::Gzip, true));
        const QString path = m_dir->filePath(QStringLiteral("cut.parquet"));
        for (int length = 0; length < valid.size(); ++length) {
            QVERIFY(writeFileBytes(path, valid.left(length)));
            const QString message = readEverythingError(path);
            QVERIFY2(message.startsWith(path + QStringLiteral(": ")),
                     qPrintable(QStringLiteral("cut to %1 bytes: '%2'").arg(length).arg(message)));
        }
        // The pages cut short under an intact footer: refused where a chunk now
        // runs past the end of the file; elsewhere it may read the footer's
        // bytes as values, but it fails only with a wemoe::Error.
        const int tail = 8 + footerOf(valid).size();
        const int pagesEnd = valid.size() - tail;
        const std::int64_t lastChunkEnd = [&]() {
            const ParquetFile file = ParquetFile::open(write(QStringLiteral("whole.parquet"), valid));
            std::int64_t end = 0;
            for (const ParquetRowGroup &group : file.rowGroups()) {
                for (const ParquetColumnChunk &chunk : group.columns)
                    end = std::max(end,
                                   chunk.dictionaryPageOffset.value_or(chunk.dataPageOffset) + chunk.compressedSize);
            }
            return end;
        }();
        QCOMPARE(lastChunkEnd, std::int64_t(pagesEnd));
        for (int length = 4; length < pagesEnd; ++length) {
            QVERIFY(writeFileBytes(path, valid.left(length) + valid.right(tail)));
            const QString message = readEverythingError(path);
            const bool pastTheEnd = pagesEnd > length + tail;
            QVERIFY2(pastTheEnd ? message.startsWith(path + QStringLiteral(": "))
                                : (message.isEmpty() || message.startsWith(path + QStringLiteral(": "))),
                     qPrintable(QStringLiteral("pages cut to %1 bytes: '%2'").arg(length).arg(message)));
        }
    }

    // Any single byte changed anywhere: read, or a wemoe::Error, never a crash
    // or another exception (a small fuzz run with fixed inputs).
    void survivesEveryByteChanged_data()
    {
        QTest::addColumn<ParquetWriteOptions>("options");
        QTest::newRow("v1 plain UNCOMPRESSED") << roundTripOptions(1, NoDictionary, ids::Uncompressed, true);
        QTest::newRow("v1 rle-dictionary SNAPPY") << roundTripOptions(1, RleDictionary, ids::Snappy, true);
        QTest::newRow("v2 plain-dictionary GZIP") << roundTripOptions(2, PlainDictionary, ids::Gzip, true);
        QTest::newRow("v2 plain ZSTD") << roundTripOptions(2, NoDictionary, ids::Zstd, true);
    }

    void survivesEveryByteChanged()
    {
        QFETCH(ParquetWriteOptions, options);
        options.rowsPerRowGroup = 7;
        options.rowsPerPage = 3;
        const QByteArray valid = huggingFaceImageParquet(sampleHfRows(14), kClassNames, options);
        const QString path = m_dir->filePath(QStringLiteral("changed.parquet"));
        int refused = 0;
        for (int at = 0; at < valid.size(); ++at) {
            for (const int change : {0x01, 0x80, 0xff}) {
                QByteArray bytes = valid;
                bytes[at] = static_cast<char>(bytes[at] ^ change);
                QVERIFY(writeFileBytes(path, bytes));
                const QString message = readEverythingError(path);
                QVERIFY2(!message.contains(QStringLiteral("NOT A wemoe::Error")),
                         qPrintable(QStringLiteral("byte %1 ^ %2: %3").arg(at).arg(change).arg(message)));
                QVERIFY2(message.isEmpty() || message.startsWith(path + QStringLiteral(": ")), qPrintable(message));
                refused += message.isEmpty() ? 0 : 1;
            }
        }
        QVERIFY(refused > 0);
    }

    // --- columns outside the subset, and damaged pages

    void refusesColumnsItCannotRead_data()
    {
        QTest::addColumn<int>("fixture");
        QTest::addColumn<ParquetWriteOptions>("options");
        QTest::addColumn<QString>("column");
        QTest::addColumn<QStringList>("words"); // besides the path and the column, in the message
        const auto options = [](int pageVersion, int codec, bool dictionary = false) {
            ParquetWriteOptions o;
            o.pageVersion = pageVersion;
            o.codec = codec;
            o.dictionary = dictionary;
            return o;
        };
        const int hf = int(Fixture::HfImages);
        const QString bytes = QStringLiteral("image.bytes");
        const QString label = QStringLiteral("label");

        // Codecs, encodings and types outside the subset.
        QTest::newRow("codec LZ4") << hf << options(1, ids::Lz4) << bytes << QStringList{"LZ4"};
        QTest::newRow("codec BROTLI") << hf << options(2, ids::Brotli) << label << QStringList{"BROTLI"};
        QTest::newRow("codec LZO") << hf << options(1, ids::Lzo) << bytes << QStringList{"LZO"};
        QTest::newRow("codec LZ4_RAW") << hf << options(1, ids::Lz4Raw) << bytes << QStringList{"LZ4_RAW"};
        QTest::newRow("codec 42") << hf << options(1, 42) << bytes << QStringList{"codec 42"};
        for (const auto &[encoding, name] : std::vector<std::pair<int, QString>>{
                 {ids::DeltaBinaryPacked, QStringLiteral("DELTA_BINARY_PACKED")},
                 {ids::DeltaByteArray, QStringLiteral("DELTA_BYTE_ARRAY")},
                 {ids::DeltaLengthByteArray, QStringLiteral("DELTA_LENGTH_BYTE_ARRAY")},
                 {ids::ByteStreamSplit, QStringLiteral("BYTE_STREAM_SPLIT")},
                 {ids::BitPacked, QStringLiteral("BIT_PACKED")},
                 {77, QStringLiteral("encoding 77")}}) {
            ParquetWriteOptions forced = options(1, ids::Uncompressed);
            forced.forcedValueEncoding = encoding;
            QTest::addRow("encoding %s", qPrintable(name)) << hf << forced << label << QStringList{name};
            forced.pageVersion = 2;
            QTest::addRow("encoding %s, page v2", qPrintable(name)) << hf << forced << bytes << QStringList{name};
        }
        const QString score = QStringLiteral("score");
        QTest::newRow("type FLOAT") << int(Fixture::FloatColumn) << options(1, 0) << score << QStringList{"FLOAT"};
        QTest::newRow("type DOUBLE") << int(Fixture::DoubleColumn) << options(1, 1) << score << QStringList{"DOUBLE"};
        QTest::newRow("type INT96") << int(Fixture::Int96Column) << options(2, 0) << score << QStringList{"INT96"};
        QTest::newRow("type FIXED_LEN_BYTE_ARRAY")
            << int(Fixture::FixedColumn) << options(1, 6) << score << QStringList{"FIXED_LEN_BYTE_ARRAY"};
        QTest::newRow("repeated column") << int(Fixture::RepeatedLeaf) << options(1, 0) << score
                                         << QStringList{"repeated"};
        QTest::newRow("repeated group") << int(Fixture::RepeatedGroup) << options(2, 0)
                                        << QStringLiteral("score.list.element") << QStringList{"repeated"};

        // Page sizes that disagree with the header.
        for (const int pageVersion : {1, 2}) {
            for (const int codec : kSupportedCodecs) {
                const QString name = QStringLiteral("v%1 %2").arg(pageVersion).arg(codecName(codec));
                ParquetWriteOptions past = options(pageVersion, codec);
                past.editPage = onDataPages(label, [](ParquetPageFixture &page) { page.compressedSize += 1000; });
                QTest::addRow("compressed size past the chunk, %s", qPrintable(name))
                    << hf << past << label << QStringList();
                ParquetWriteOptions shorter = options(pageVersion, codec);
                shorter.editPage = onDataPages(label, [](ParquetPageFixture &page) { page.compressedSize -= 1; });
                QTest::addRow("compressed size one short, %s", qPrintable(name))
                    << hf << shorter << label << QStringList();
                ParquetWriteOptions larger = options(pageVersion, codec);
                larger.editPage = onDataPages(bytes, [](ParquetPageFixture &page) { page.uncompressedSize += 1; });
                QTest::addRow("uncompressed size one more, %s", qPrintable(name))
                    << hf << larger << bytes << QStringList();
                ParquetWriteOptions smaller = options(pageVersion, codec);
                smaller.editPage = onDataPages(bytes, [](ParquetPageFixture &page) { page.uncompressedSize -= 1; });
                QTest::addRow("uncompressed size one less, %s", qPrintable(name))
                    << hf << smaller << bytes << QStringList();
                ParquetWriteOptions negative = options(pageVersion, codec);
                negative.editPage = onDataPages(bytes, [](ParquetPageFixture &page) { page.compressedSize = -5; });
                QTest::addRow("negative compressed size, %s", qPrintable(name))
                    << hf << negative << bytes << QStringList();
            }
        }
        // Compressed pages that do not decompress: cut in half, or overwritten.
        for (const int codec : {ids::Snappy, ids::Gzip, ids::Zstd}) {
            for (const int pageVersion : {1, 2}) {
                ParquetWriteOptions cut = options(pageVersion, codec);
                cut.editPage = onDataPages(bytes, [pageVersion](ParquetPageFixture &page) {
                    const int levels = pageVersion == 2 ? page.definitionLevelsByteLength : 0;
                    page.body.truncate(levels + (page.body.size() - levels) / 2);
                    page.compressedSize = page.body.size();
                });
                QTest::addRow("%s page cut in half, v%d", qPrintable(codecName(codec)), pageVersion)
                    << hf << cut << bytes << QStringList{codecName(codec)};
                ParquetWriteOptions garbage = options(pageVersion, codec);
                garbage.editPage = onDataPages(bytes, [pageVersion](ParquetPageFixture &page) {
                    const int levels = pageVersion == 2 ? page.definitionLevelsByteLength : 0;
                    for (int i = levels; i < page.body.size(); ++i)
                        page.body[i] = static_cast<char>(0xa5 ^ i);
                });
                QTest::addRow("%s page overwritten, v%d", qPrintable(codecName(codec)), pageVersion)
                    << hf << garbage << bytes << QStringList{codecName(codec)};
            }
        }
        ParquetWriteOptions dictionaryCut = options(1, ids::Zstd, true);
        dictionaryCut.editPage = [](ParquetPageFixture &page) {
            if (page.type == ids::DictionaryPage && page.column == QLatin1String("image.path")) {
                page.body.chop(3);
                page.compressedSize = page.body.size();
            }
        };
        QTest::newRow("ZSTD dictionary page cut")
            << hf << dictionaryCut << QStringLiteral("image.path") << QStringList{"ZSTD"};

        // Dictionary indices out of range, levels and values that do not add up.
        for (const int pageVersion : {1, 2}) {
            for (const bool legacy : {false, true}) {
                ParquetWriteOptions shifted = options(pageVersion, ids::Snappy, true);
                shifted.legacyDictionaryEncoding = legacy;
                shifted.faults.dictionaryIndexShift = 1;
                QTest::addRow("dictionary index out of range, v%d%s", pageVersion, legacy ? ", PLAIN_DICTIONARY" : "")
                    << hf << shifted << label << QStringList{"dictionary index"};
            }
            // The dictionary page turned into an index page (which readers skip): indices with no dictionary.
            ParquetWriteOptions noDictionary = options(pageVersion, ids::Uncompressed, true);
            noDictionary.editPage = [](ParquetPageFixture &page) {
                if (page.type == ids::DictionaryPage)
                    page.type = ids::IndexPage;
            };
            QTest::addRow("dictionary-encoded pages without a dictionary, v%d", pageVersion)
                << hf << noDictionary << label << QStringList{"dictionary"};
            ParquetWriteOptions unknownPage = options(pageVersion, ids::Snappy);
            unknownPage.editPage = onDataPages(bytes, [](ParquetPageFixture &page) { page.type = 99; });
            QTest::addRow("page of an unknown type, v%d", pageVersion)
                << hf << unknownPage << bytes << QStringList{"99"};
            for (const QString &column : {bytes, label}) {
                ParquetWriteOptions overrun = options(pageVersion, ids::Uncompressed);
                overrun.faults.definitionLevelsLengthDelta = 1000;
                QTest::addRow("definition levels past the page, v%d, %s", pageVersion, qPrintable(column))
                    << hf << overrun << column << QStringList{"levels"};
                for (const bool dictionary : {false, true}) {
                    ParquetWriteOptions dropped = options(pageVersion, ids::Gzip, dictionary);
                    // Indices end in a bit-packed run padded to 8: fewer than 8 missing may hide in the padding.
                    dropped.faults.droppedValuesPerPage = dictionary ? 8 : 1;
                    QTest::addRow("values run out, v%d, %s%s", pageVersion, qPrintable(column),
                                  dictionary ? ", dictionary" : "")
                        << hf << dropped << column << QStringList();
                }
                ParquetWriteOptions fewer = options(pageVersion, ids::Uncompressed);
                fewer.editPage = onDataPages(column, [](ParquetPageFixture &page) {
                    page.valueCount -= 1;
                    page.rowCount -= 1;
                });
                QTest::addRow("value count short of the row group, v%d, %s", pageVersion, qPrintable(column))
                    << hf << fewer << column << QStringList();
                ParquetWriteOptions more = options(pageVersion, ids::Uncompressed);
                more.editPage = onDataPages(column, [](ParquetPageFixture &page) {
                    page.valueCount += 1000;
                    page.rowCount += 1000;
                });
                QTest::addRow("value count past the levels, v%d, %s", pageVersion, qPrintable(column))
                    << hf << more << column << QStringList();
            }
        }
    }

    void refusesColumnsItCannotRead()
    {
        QFETCH(int, fixture);
        QFETCH(ParquetWriteOptions, options);
        QFETCH(QString, column);
        QFETCH(QStringList, words);
        const QString path = write(QStringLiteral("bad.parquet"), fixtureBytes(static_cast<Fixture>(fixture), options));

        // The footer is fine: the file opens, and the column fails when read.
        std::optional<ParquetFile> file;
        const QString openMessage = errorOf([&]() { file = ParquetFile::open(path); });
        QVERIFY2(openMessage.isEmpty(), qPrintable(openMessage));
        const int index = file->columnIndex(column);
        QVERIFY(index >= 0);
        QString message;
        for (int g = 0; g < static_cast<int>(file->rowGroups().size()) && message.isEmpty(); ++g)
            message = errorOf([&]() { file->readColumn(g, index); });
        QVERIFY2(!message.isEmpty(), "the column was read");
        QVERIFY2(message.startsWith(path + QStringLiteral(": ")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("'%1'").arg(column)), qPrintable(message));
        QVERIFY2(containsAll(message, words), qPrintable(message));

        // The supported column next to a refused type still reads.
        if (static_cast<Fixture>(fixture) != Fixture::HfImages) {
            const ParquetColumnValues idValues = file->readColumn(0, file->columnIndex(QStringLiteral("id")));
            QCOMPARE(idValues.size(), std::int64_t(12));
            QCOMPARE(idValues.integers[11], std::int64_t(11));
        }
    }

    // --- the fuzz targets' seed corpus

    // WEMOE_PARQUET_CORPUS=DIR: small files of every kind, for tests/fuzz/corpus/parquet/.
    void writesSeedCorpusWhenAsked()
    {
        const QString folder = qEnvironmentVariable("WEMOE_PARQUET_CORPUS");
        if (folder.isEmpty())
            QSKIP("WEMOE_PARQUET_CORPUS is not set");
        const std::vector<HfImageRow> rows = sampleHfRows(12);
        const auto save = [&](const QString &name, const QByteArray &bytes) {
            QVERIFY2(writeFileBytes(QDir(folder).filePath(name), bytes), qPrintable(name));
            QVERIFY2(readEverythingError(QDir(folder).filePath(name)).isEmpty(), qPrintable(name));
        };
        for (const int codec : kSupportedCodecs) {
            for (const int pageVersion : {1, 2}) {
                ParquetWriteOptions options = roundTripOptions(pageVersion, NoDictionary, codec, false);
                options.rowsPerPage = 5;
                save(QStringLiteral("%1_v%2.parquet").arg(codecName(codec).toLower()).arg(pageVersion),
                     huggingFaceImageParquet(rows, kClassNames, options));
            }
        }
        ParquetWriteOptions dictionary = roundTripOptions(1, RleDictionary, ids::Snappy, false);
        dictionary.rowsPerRowGroup = 6;
        save(QStringLiteral("dictionary_rle.parquet"), huggingFaceImageParquet(rows, kClassNames, dictionary));
        dictionary = roundTripOptions(2, PlainDictionary, ids::Uncompressed, false);
        save(QStringLiteral("dictionary_plain.parquet"), huggingFaceImageParquet(rows, kClassNames, dictionary));
        std::vector<HfImageRow> nulls = rows;
        for (std::size_t i = 0; i < nulls.size(); ++i) {
            nulls[i].imageNull = i % 3 == 0;
            if (i % 3 == 1)
                nulls[i].bytes.reset();
            if (i % 2 == 0)
                nulls[i].label.reset();
        }
        save(QStringLiteral("nulls.parquet"), huggingFaceImageParquet(nulls, kClassNames));
        save(QStringLiteral("types.parquet"),
             parquetFileBytes(sampleTypedTable(20), roundTripOptions(2, RleDictionary, ids::Zstd, true)));
        save(QStringLiteral("hand_made.parquet"), handMadeFile());
    }
};

QTEST_GUILESS_MAIN(TestParquetReader)
#include "test_parquet_reader.moc"
