#include "parquet_writer.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

// Written from parquet.thrift, Encodings.md and the Thrift compact protocol
// spec (thrift/doc/specs/thrift-compact-protocol.md). A fixture that cannot be
// written (a bad table) throws std::logic_error: that is a bug in the test.

namespace wemoe::test {

namespace {

using namespace parquet_ids;

// --- little-endian and variable-length integers

void appendLittleEndian(QByteArray &out, std::uint64_t value, int byteCount)
{
    for (int i = 0; i < byteCount; ++i)
        out.append(static_cast<char>((value >> (8 * i)) & 0xff));
}

void appendUleb128(QByteArray &out, std::uint64_t value)
{
    while (value >= 0x80) {
        out.append(static_cast<char>((value & 0x7f) | 0x80));
        value >>= 7;
    }
    out.append(static_cast<char>(value));
}

std::uint64_t zigzag(std::int64_t value)
{
    return (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
}

// Bits needed to write `value` (0 for 0): the width of levels and dictionary indices.
int bitWidthFor(std::int64_t value)
{
    int width = 0;
    while (value > 0) {
        ++width;
        value >>= 1;
    }
    return width;
}

// --- the Thrift compact protocol, as much of it as Parquet's structs use

enum CompactType : int {
    BoolTrue = 1,
    BoolFalse = 2,
    Byte = 3,
    I16 = 4,
    I32 = 5,
    I64 = 6,
    Binary = 8,
    List = 9,
    Struct = 12
};

class CompactWriter
{
public:
    void i32(int id, std::int64_t value)
    {
        fieldHeader(id, I32);
        appendUleb128(m_out, zigzag(value));
    }
    void i64(int id, std::int64_t value)
    {
        fieldHeader(id, I64);
        appendUleb128(m_out, zigzag(value));
    }
    void i16(int id, std::int64_t value)
    {
        fieldHeader(id, I16);
        appendUleb128(m_out, zigzag(value));
    }
    void i8(int id, int value)
    {
        fieldHeader(id, Byte);
        m_out.append(static_cast<char>(value));
    }
    // Compact booleans live in the field header's type nibble.
    void boolean(int id, bool value) { fieldHeader(id, value ? BoolTrue : BoolFalse); }
    void binary(int id, const QByteArray &value)
    {
        fieldHeader(id, Binary);
        binaryValue(value);
    }
    void string(int id, const QString &value) { binary(id, value.toUtf8()); }

    void beginStruct(int id)
    {
        fieldHeader(id, Struct);
        beginStructValue();
    }
    void endStruct()
    {
        m_out.append('\0'); // STOP
        m_lastFieldIds.pop_back();
    }

    // A list field; its elements follow with the *Value calls.
    void beginList(int id, int elementType, std::size_t size)
    {
        fieldHeader(id, List);
        if (size < 15) {
            m_out.append(static_cast<char>((size << 4) | elementType));
        } else {
            m_out.append(static_cast<char>(0xf0 | elementType));
            appendUleb128(m_out, size);
        }
    }
    void i32Value(std::int64_t value) { appendUleb128(m_out, zigzag(value)); }
    void binaryValue(const QByteArray &value)
    {
        appendUleb128(m_out, static_cast<std::uint64_t>(value.size()));
        m_out.append(value);
    }
    void beginStructValue() { m_lastFieldIds.push_back(0); }

    // The outermost struct's STOP.
    QByteArray finish()
    {
        if (m_lastFieldIds.size() != 1)
            throw std::logic_error("parquet fixture: unbalanced Thrift structs");
        m_out.append('\0');
        return m_out;
    }

private:
    // Short form (delta 1..15 in the high nibble) when it fits, else the type
    // then the zigzag i16 id: both are exercised by parquet.thrift's ids.
    void fieldHeader(int id, int type)
    {
        const int delta = id - m_lastFieldIds.back();
        if (delta > 0 && delta <= 15) {
            m_out.append(static_cast<char>((delta << 4) | type));
        } else {
            m_out.append(static_cast<char>(type));
            appendUleb128(m_out, zigzag(id));
        }
        m_lastFieldIds.back() = id;
    }

    QByteArray m_out;
    std::vector<int> m_lastFieldIds{0};
};

// --- the RLE / bit-packed hybrid

// Runs of 8 or more equal values become RLE runs and everything else
// bit-packed runs, so both kinds appear in any varied input. A bit-packed run
// holds whole groups of 8: before an RLE run, the pending literals are topped
// up to a multiple of 8 from the run itself; only the last run is padded.
QByteArray rleHybrid(const std::vector<std::int64_t> &values, int bitWidth)
{
    QByteArray out;
    std::vector<std::int64_t> literals;
    const auto flushLiterals = [&]() {
        if (literals.empty())
            return;
        while (literals.size() % 8 != 0)
            literals.push_back(0);
        appendUleb128(out, ((literals.size() / 8) << 1) | 1);
        QByteArray packed(static_cast<int>(literals.size() / 8 * bitWidth), '\0');
        std::size_t bit = 0;
        for (const std::int64_t value : literals) {
            for (int b = 0; b < bitWidth; ++b, ++bit) {
                if ((value >> b) & 1)
                    packed[static_cast<int>(bit / 8)] = static_cast<char>(packed[static_cast<int>(bit / 8)]
                                                                          | (1 << (bit % 8)));
            }
        }
        out.append(packed);
        literals.clear();
    };
    const int valueBytes = (bitWidth + 7) / 8;
    std::size_t i = 0;
    while (i < values.size()) {
        std::size_t run = 1;
        while (i + run < values.size() && values[i + run] == values[i])
            ++run;
        if (run < 8) {
            literals.insert(literals.end(), values.begin() + i, values.begin() + i + run);
            i += run;
            continue;
        }
        while (literals.size() % 8 != 0) {
            literals.push_back(values[i]);
            ++i;
            --run;
        }
        flushLiterals();
        appendUleb128(out, run << 1);
        appendLittleEndian(out, static_cast<std::uint64_t>(values[i]), valueBytes);
        i += run;
    }
    flushLiterals();
    return out;
}

// --- values

bool isIntegerType(int type)
{
    return type == Boolean || type == Int32 || type == Int64;
}

// PLAIN: booleans bit-packed from the least significant bit, integers little
// endian, byte arrays with a 4-byte length, other types as given.
QByteArray plainValues(int type, const std::vector<std::int64_t> &integers, const std::vector<QByteArray> &bytes)
{
    QByteArray out;
    switch (type) {
    case Boolean:
        out = QByteArray(static_cast<int>((integers.size() + 7) / 8), '\0');
        for (std::size_t i = 0; i < integers.size(); ++i) {
            if (integers[i] != 0)
                out[static_cast<int>(i / 8)] = static_cast<char>(out[static_cast<int>(i / 8)] | (1 << (i % 8)));
        }
        break;
    case Int32:
        for (const std::int64_t value : integers)
            appendLittleEndian(out, static_cast<std::uint64_t>(value), 4);
        break;
    case Int64:
        for (const std::int64_t value : integers)
            appendLittleEndian(out, static_cast<std::uint64_t>(value), 8);
        break;
    case ByteArray:
        for (const QByteArray &value : bytes) {
            appendLittleEndian(out, static_cast<std::uint64_t>(value.size()), 4);
            out.append(value);
        }
        break;
    default:
        for (const QByteArray &value : bytes)
            out.append(value);
        break;
    }
    return out;
}

QByteArray compressed(int codec, const QByteArray &data)
{
    switch (codec) {
    case Snappy: {
        std::size_t size = snappy_max_compressed_length(static_cast<std::size_t>(data.size()));
        QByteArray out(static_cast<int>(size), '\0');
        if (snappy_compress(data.constData(), static_cast<std::size_t>(data.size()), out.data(), &size) != SNAPPY_OK)
            throw std::logic_error("parquet fixture: snappy_compress failed");
        out.resize(static_cast<int>(size));
        return out;
    }
    case Gzip: {
        z_stream stream{};
        // 16 + MAX_WBITS: a gzip wrapper, as Parquet's GZIP codec is specified.
        if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            throw std::logic_error("parquet fixture: deflateInit2 failed");
        QByteArray out(static_cast<int>(deflateBound(&stream, static_cast<uLong>(data.size()))) + 32, '\0');
        stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
        stream.avail_in = static_cast<uInt>(data.size());
        stream.next_out = reinterpret_cast<Bytef *>(out.data());
        stream.avail_out = static_cast<uInt>(out.size());
        const int result = deflate(&stream, Z_FINISH);
        deflateEnd(&stream);
        if (result != Z_STREAM_END)
            throw std::logic_error("parquet fixture: deflate failed");
        out.resize(static_cast<int>(stream.total_out));
        return out;
    }
    case Zstd: {
        QByteArray out(static_cast<int>(ZSTD_compressBound(static_cast<std::size_t>(data.size()))), '\0');
        const std::size_t size = ZSTD_compress(out.data(), static_cast<std::size_t>(out.size()), data.constData(),
                                               static_cast<std::size_t>(data.size()), 3);
        if (ZSTD_isError(size))
            throw std::logic_error("parquet fixture: ZSTD_compress failed");
        out.resize(static_cast<int>(size));
        return out;
    }
    default: // UNCOMPRESSED, and the ids the reader must refuse
        return data;
    }
}

// --- the schema tree

struct SchemaNode
{
    QString name;
    int repetition = Optional;
    int column = -1; // leaf: index into table.columns
    std::vector<SchemaNode> children;
};

int groupRepetition(const ParquetFixtureTable &table, const QString &path)
{
    for (const ParquetFixtureGroup &group : table.groups) {
        if (group.path == path)
            return group.repetition;
    }
    return Optional;
}

SchemaNode schemaTree(const ParquetFixtureTable &table)
{
    SchemaNode root;
    root.name = QStringLiteral("schema");
    root.repetition = Required;
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
        const QStringList parts = table.columns[c].path.split(QLatin1Char('.'));
        SchemaNode *node = &root;
        for (int p = 0; p + 1 < parts.size(); ++p) {
            const bool continuesLastGroup = !node->children.empty() && node->children.back().column < 0
                                            && node->children.back().name == parts[p];
            if (!continuesLastGroup) {
                for (const SchemaNode &child : node->children) {
                    if (child.name == parts[p])
                        throw std::logic_error("parquet fixture: the columns of a group must be next to each other");
                }
                SchemaNode group;
                group.name = parts[p];
                group.repetition = groupRepetition(table, parts.mid(0, p + 1).join(QLatin1Char('.')));
                node->children.push_back(group);
            }
            node = &node->children.back();
        }
        SchemaNode leaf;
        leaf.name = parts.back();
        leaf.repetition = table.columns[c].repetition;
        leaf.column = static_cast<int>(c);
        node->children.push_back(leaf);
    }
    return root;
}

void writeSchemaElements(CompactWriter &thrift, const SchemaNode &node, const ParquetFixtureTable &table, bool isRoot)
{
    thrift.beginStructValue();
    if (node.column >= 0) {
        const ParquetFixtureColumn &column = table.columns[static_cast<std::size_t>(node.column)];
        thrift.i32(1, column.type);
        if (column.type == FixedLenByteArray)
            thrift.i32(2, column.typeLength);
        thrift.i32(3, node.repetition);
        thrift.string(4, node.name);
        if (column.convertedType)
            thrift.i32(6, *column.convertedType);
        if (column.logicalType) {
            thrift.beginStruct(10); // union LogicalType
            thrift.beginStruct(*column.logicalType);
            if (*column.logicalType == Integer) {
                thrift.i8(1, column.type == Int32 ? 32 : 64);
                thrift.boolean(2, true);
            }
            thrift.endStruct();
            thrift.endStruct();
        }
    } else {
        if (!isRoot)
            thrift.i32(3, node.repetition);
        thrift.string(4, node.name);
        thrift.i32(5, static_cast<int>(node.children.size()));
    }
    thrift.endStruct();
    for (const SchemaNode &child : node.children)
        writeSchemaElements(thrift, child, table, false);
}

int countSchemaElements(const SchemaNode &node)
{
    int count = 1;
    for (const SchemaNode &child : node.children)
        count += countSchemaElements(child);
    return count;
}

// The repetitions from the root's child down to the column's leaf.
std::vector<int> repetitionsOnPath(const ParquetFixtureTable &table, int column)
{
    const QStringList parts = table.columns.at(static_cast<std::size_t>(column)).path.split(QLatin1Char('.'));
    std::vector<int> repetitions;
    for (int p = 0; p + 1 < parts.size(); ++p)
        repetitions.push_back(groupRepetition(table, parts.mid(0, p + 1).join(QLatin1Char('.'))));
    repetitions.push_back(table.columns[static_cast<std::size_t>(column)].repetition);
    return repetitions;
}

// --- column chunks

struct ChunkMetadata
{
    QStringList path;
    int type = 0;
    std::set<int> encodings;
    std::int64_t valueCount = 0;
    std::int64_t uncompressedSize = 0;
    std::int64_t compressedSize = 0;
    std::int64_t dataPageOffset = 0;
    std::optional<std::int64_t> dictionaryPageOffset;
    std::int64_t start = 0;
    std::int64_t nullCount = 0;
    std::optional<QByteArray> min, max;
    std::map<std::pair<int, int>, int> pageEncodingCounts; // (page type, encoding) -> pages
};

// Statistics {3: null_count, 5: max_value, 6: min_value}, as PLAIN bytes.
void writeStatistics(CompactWriter &thrift, int id, std::int64_t nullCount, const std::optional<QByteArray> &min,
                     const std::optional<QByteArray> &max)
{
    thrift.beginStruct(id);
    thrift.i64(3, nullCount);
    if (max)
        thrift.binary(5, *max);
    if (min)
        thrift.binary(6, *min);
    thrift.endStruct();
}

// Orders PLAIN-encoded values of one type (integers signed, bytes unsigned).
bool valueLess(int type, const QByteArray &a, const QByteArray &b)
{
    if (type == Int32 || type == Int64 || type == Boolean) {
        const auto decode = [type](const QByteArray &bytes) {
            std::uint64_t value = 0;
            for (int i = bytes.size() - 1; i >= 0; --i)
                value = (value << 8) | static_cast<unsigned char>(bytes[i]);
            return type == Int32 ? static_cast<std::int64_t>(static_cast<std::int32_t>(value))
                                 : static_cast<std::int64_t>(value);
        };
        return decode(a) < decode(b);
    }
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char p, char q) {
        return static_cast<unsigned char>(p) < static_cast<unsigned char>(q);
    });
}

class FileBuilder
{
public:
    FileBuilder(const ParquetFixtureTable &table, const ParquetWriteOptions &options)
        : m_table(table)
        , m_options(options)
    {
        m_out = QByteArray("PAR1");
    }

    QByteArray build()
    {
        const std::int64_t rows = m_table.rowCount();
        for (const ParquetFixtureColumn &column : m_table.columns) {
            if (column.rowCount() != rows)
                throw std::logic_error("parquet fixture: columns of different lengths");
        }
        const SchemaNode schema = schemaTree(m_table);
        const std::int64_t perGroup = m_options.rowsPerRowGroup > 0 ? m_options.rowsPerRowGroup : rows;
        std::vector<std::vector<ChunkMetadata>> rowGroups;
        std::vector<std::int64_t> rowGroupRows;
        for (std::int64_t first = 0; first < rows; first += perGroup) {
            const std::int64_t end = std::min(rows, first + perGroup);
            std::vector<ChunkMetadata> chunks;
            for (std::size_t c = 0; c < m_table.columns.size(); ++c)
                chunks.push_back(writeChunk(static_cast<int>(c), static_cast<int>(rowGroups.size()), first, end));
            rowGroups.push_back(std::move(chunks));
            rowGroupRows.push_back(end - first);
        }

        CompactWriter thrift;
        thrift.i32(1, m_options.formatVersion);
        thrift.beginList(2, Struct, static_cast<std::size_t>(countSchemaElements(schema)));
        writeSchemaElements(thrift, schema, m_table, true);
        thrift.i64(3, rows);
        thrift.beginList(4, Struct, rowGroups.size());
        for (std::size_t g = 0; g < rowGroups.size(); ++g)
            writeRowGroup(thrift, rowGroups[g], rowGroupRows[g], static_cast<int>(g));
        if (!m_options.keyValueMetadata.empty()) {
            thrift.beginList(5, Struct, m_options.keyValueMetadata.size());
            for (const auto &[key, value] : m_options.keyValueMetadata) {
                thrift.beginStructValue();
                thrift.string(1, key);
                thrift.string(2, value);
                thrift.endStruct();
            }
        }
        if (!m_options.createdBy.isEmpty())
            thrift.string(6, m_options.createdBy);
        // column_orders: a list of unions of empty structs, one more thing to skip.
        thrift.beginList(7, Struct, m_table.columns.size());
        for (std::size_t c = 0; c < m_table.columns.size(); ++c) {
            thrift.beginStructValue();
            thrift.beginStruct(1);
            thrift.endStruct();
            thrift.endStruct();
        }
        const QByteArray footer = thrift.finish();
        m_out.append(footer);
        appendLittleEndian(m_out, static_cast<std::uint64_t>(footer.size()), 4);
        m_out.append("PAR1");
        return m_out;
    }

private:
    void writeRowGroup(CompactWriter &thrift, const std::vector<ChunkMetadata> &chunks, std::int64_t rows, int ordinal)
    {
        thrift.beginStructValue();
        thrift.beginList(1, Struct, chunks.size());
        std::int64_t uncompressed = 0, compressedTotal = 0;
        for (const ChunkMetadata &chunk : chunks) {
            uncompressed += chunk.uncompressedSize;
            compressedTotal += chunk.compressedSize;
            thrift.beginStructValue();
            thrift.i64(2, chunk.start);
            thrift.beginStruct(3);
            thrift.i32(1, chunk.type);
            thrift.beginList(2, I32, chunk.encodings.size());
            for (const int encoding : chunk.encodings)
                thrift.i32Value(encoding);
            thrift.beginList(3, Binary, static_cast<std::size_t>(chunk.path.size()));
            for (const QString &part : chunk.path)
                thrift.binaryValue(part.toUtf8());
            thrift.i32(4, m_options.codec);
            thrift.i64(5, chunk.valueCount);
            thrift.i64(6, chunk.uncompressedSize);
            thrift.i64(7, chunk.compressedSize);
            thrift.i64(9, chunk.dataPageOffset);
            if (chunk.dictionaryPageOffset)
                thrift.i64(11, *chunk.dictionaryPageOffset);
            if (m_options.statistics) {
                writeStatistics(thrift, 12, chunk.nullCount, chunk.min, chunk.max);
                thrift.beginList(13, Struct, chunk.pageEncodingCounts.size());
                for (const auto &[key, count] : chunk.pageEncodingCounts) {
                    thrift.beginStructValue();
                    thrift.i32(1, key.first);
                    thrift.i32(2, key.second);
                    thrift.i32(3, count);
                    thrift.endStruct();
                }
            }
            thrift.endStruct(); // ColumnMetaData
            thrift.endStruct(); // ColumnChunk
        }
        thrift.i64(2, uncompressed);
        thrift.i64(3, rows);
        if (!chunks.empty())
            thrift.i64(5, chunks.front().start);
        thrift.i64(6, compressedTotal);
        thrift.i16(7, ordinal);
        thrift.endStruct();
    }

    ChunkMetadata writeChunk(int columnIndex, int rowGroup, std::int64_t first, std::int64_t end)
    {
        const ParquetFixtureColumn &column = m_table.columns[static_cast<std::size_t>(columnIndex)];
        const int maxDefinition = maxDefinitionLevel(m_table, columnIndex);
        const int maxRepetition = maxRepetitionLevel(m_table, columnIndex);
        const bool integers = isIntegerType(column.type);

        ChunkMetadata chunk;
        chunk.path = column.path.split(QLatin1Char('.'));
        chunk.type = column.type;
        chunk.start = m_out.size();
        chunk.valueCount = end - first;

        // Levels and the PLAIN bytes of each present value (the dictionary's key).
        std::vector<std::int64_t> definitionLevels;
        std::vector<std::optional<QByteArray>> plain;
        for (std::int64_t row = first; row < end; ++row) {
            const std::size_t r = static_cast<std::size_t>(row);
            const bool hasValue = integers ? column.integers[r].has_value() : column.bytes[r].has_value();
            int level = hasValue ? maxDefinition : std::max(0, maxDefinition - 1);
            if (!column.definitionLevels.empty())
                level = column.definitionLevels[r];
            definitionLevels.push_back(level);
            if (level < maxDefinition) {
                plain.emplace_back();
                ++chunk.nullCount;
                continue;
            }
            const QByteArray bytes = integers ? plainValues(column.type, {column.integers[r].value_or(0)}, {})
                                              : plainValues(column.type, {}, {column.bytes[r].value_or(QByteArray())});
            plain.emplace_back(column.type == ByteArray ? bytes.mid(4) : bytes);
            if (column.type != Boolean) {
                const QByteArray &value = *plain.back();
                if (!chunk.min || valueLess(column.type, value, *chunk.min))
                    chunk.min = value;
                if (!chunk.max || valueLess(column.type, *chunk.max, value))
                    chunk.max = value;
            }
        }

        const bool dictionary = m_options.dictionary && column.type != Boolean;
        std::map<QByteArray, int> dictionaryIndex;
        std::vector<std::optional<std::int64_t>> presentIntegers;
        int pageIndex = 0;
        if (dictionary) {
            std::vector<std::int64_t> dictionaryIntegers;
            std::vector<QByteArray> dictionaryBytes;
            for (std::size_t i = 0; i < plain.size(); ++i) {
                if (!plain[i] || dictionaryIndex.count(*plain[i]))
                    continue;
                dictionaryIndex.emplace(*plain[i], static_cast<int>(dictionaryIndex.size()));
                const std::size_t r = static_cast<std::size_t>(first) + i;
                if (integers)
                    dictionaryIntegers.push_back(column.integers[r].value_or(0));
                else
                    dictionaryBytes.push_back(column.bytes[r].value_or(QByteArray()));
            }
            const QByteArray body = plainValues(column.type, dictionaryIntegers, dictionaryBytes);
            ParquetPageFixture page;
            page.column = column.path;
            page.rowGroup = rowGroup;
            page.pageIndex = pageIndex++;
            page.type = DictionaryPage;
            page.uncompressedSize = body.size();
            page.valueCount = static_cast<int>(dictionaryIndex.size());
            page.encoding = m_options.legacyDictionaryEncoding ? PlainDictionary : Plain;
            page.body = compressed(m_options.codec, body);
            page.compressedSize = page.body.size();
            chunk.dictionaryPageOffset = m_out.size();
            writePage(page, chunk);
        }

        const std::int64_t perPage = m_options.rowsPerPage > 0 ? m_options.rowsPerPage
                                                               : std::max<std::int64_t>(1, end - first);
        const int valueEncoding = m_options.forcedValueEncoding.value_or(
            dictionary ? (m_options.legacyDictionaryEncoding ? PlainDictionary : RleDictionary) : Plain);
        chunk.dataPageOffset = -1;
        for (std::int64_t pageFirst = 0; pageFirst < end - first || (pageFirst == 0 && end == first);
             pageFirst += perPage) {
            const std::int64_t pageEnd = std::min(end - first, pageFirst + perPage);
            std::vector<std::int64_t> levels(definitionLevels.begin() + pageFirst, definitionLevels.begin() + pageEnd);
            std::vector<QByteArray> values;
            std::vector<std::int64_t> valueIntegers;
            for (std::int64_t i = pageFirst; i < pageEnd; ++i) {
                if (!plain[static_cast<std::size_t>(i)])
                    continue;
                values.push_back(*plain[static_cast<std::size_t>(i)]);
                valueIntegers.push_back(integers ? column.integers[static_cast<std::size_t>(first + i)].value_or(0)
                                                 : 0);
            }
            const int dropped = std::min<int>(m_options.faults.droppedValuesPerPage, static_cast<int>(values.size()));
            values.resize(values.size() - static_cast<std::size_t>(dropped));
            valueIntegers.resize(values.size());

            QByteArray valueBytes;
            if (dictionary) {
                std::vector<std::int64_t> indices;
                for (const QByteArray &value : values)
                    indices.push_back(dictionaryIndex.at(value) + m_options.faults.dictionaryIndexShift);
                const int width = bitWidthFor(std::max<std::int64_t>(
                    0, static_cast<std::int64_t>(dictionaryIndex.size()) - 1 + m_options.faults.dictionaryIndexShift));
                valueBytes.append(static_cast<char>(width));
                valueBytes.append(rleHybrid(indices, width));
            } else if (integers) {
                valueBytes = plainValues(column.type, valueIntegers, {});
            } else {
                valueBytes = plainValues(column.type, {}, values);
            }

            const QByteArray repetitionBytes = maxRepetition > 0
                                                   ? rleHybrid(std::vector<std::int64_t>(levels.size(), 0),
                                                               bitWidthFor(maxRepetition))
                                                   : QByteArray();
            const QByteArray definitionBytes = maxDefinition > 0 ? rleHybrid(levels, bitWidthFor(maxDefinition))
                                                                 : QByteArray();
            const int lengthDelta = m_options.faults.definitionLevelsLengthDelta;

            ParquetPageFixture page;
            page.column = column.path;
            page.rowGroup = rowGroup;
            page.pageIndex = pageIndex++;
            page.valueCount = static_cast<int>(levels.size());
            page.encoding = valueEncoding;
            page.nullCount = static_cast<int>(
                std::count_if(levels.begin(), levels.end(), [&](std::int64_t level) { return level < maxDefinition; }));
            page.rowCount = page.valueCount;
            if (m_options.pageVersion == 2) {
                page.type = DataPageV2;
                page.repetitionLevelsByteLength = repetitionBytes.size();
                page.definitionLevelsByteLength = definitionBytes.size() + (maxDefinition > 0 ? lengthDelta : 0);
                page.isCompressed = m_options.compressedV2Values;
                const QByteArray values = page.isCompressed ? compressed(m_options.codec, valueBytes) : valueBytes;
                page.uncompressedSize = repetitionBytes.size() + definitionBytes.size() + valueBytes.size();
                page.body = repetitionBytes + definitionBytes + values;
            } else {
                page.type = DataPage;
                QByteArray body;
                if (maxRepetition > 0) {
                    appendLittleEndian(body, static_cast<std::uint64_t>(repetitionBytes.size()), 4);
                    body.append(repetitionBytes);
                }
                if (maxDefinition > 0) {
                    appendLittleEndian(body, static_cast<std::uint64_t>(definitionBytes.size() + lengthDelta), 4);
                    body.append(definitionBytes);
                }
                body.append(valueBytes);
                page.uncompressedSize = body.size();
                page.body = compressed(m_options.codec, body);
            }
            page.compressedSize = page.body.size();

            std::optional<QByteArray> min, max;
            for (const QByteArray &value : values) {
                if (column.type == Boolean)
                    break;
                if (!min || valueLess(column.type, value, *min))
                    min = value;
                if (!max || valueLess(column.type, *max, value))
                    max = value;
            }
            if (chunk.dataPageOffset < 0)
                chunk.dataPageOffset = m_out.size();
            writePage(page, chunk, page.nullCount, min, max);
            if (pageEnd == end - first)
                break;
        }
        chunk.encodings.insert(Rle); // the levels', as Arrow lists it even without levels
        return chunk;
    }

    void writePage(ParquetPageFixture &page, ChunkMetadata &chunk, std::int64_t nullCount = 0,
                   const std::optional<QByteArray> &min = {}, const std::optional<QByteArray> &max = {})
    {
        if (m_options.editPage)
            m_options.editPage(page);
        CompactWriter thrift;
        thrift.i32(1, page.type);
        thrift.i32(2, page.uncompressedSize);
        thrift.i32(3, page.compressedSize);
        if (page.type == DataPage) {
            thrift.beginStruct(5);
            thrift.i32(1, page.valueCount);
            thrift.i32(2, page.encoding);
            thrift.i32(3, Rle);
            thrift.i32(4, Rle);
            if (m_options.statistics)
                writeStatistics(thrift, 5, nullCount, min, max);
            thrift.endStruct();
        } else if (page.type == DictionaryPage) {
            thrift.beginStruct(7);
            thrift.i32(1, page.valueCount);
            thrift.i32(2, page.encoding);
            thrift.boolean(3, false);
            thrift.endStruct();
        } else if (page.type == DataPageV2) {
            thrift.beginStruct(8);
            thrift.i32(1, page.valueCount);
            thrift.i32(2, page.nullCount);
            thrift.i32(3, page.rowCount);
            thrift.i32(4, page.encoding);
            thrift.i32(5, page.definitionLevelsByteLength);
            thrift.i32(6, page.repetitionLevelsByteLength);
            thrift.boolean(7, page.isCompressed);
            if (m_options.statistics)
                writeStatistics(thrift, 8, nullCount, min, max);
            thrift.endStruct();
        } // any other type (a test's INDEX_PAGE or unknown id): the header alone
        const QByteArray header = thrift.finish();
        m_out.append(header);
        m_out.append(page.body);
        chunk.encodings.insert(page.encoding);
        chunk.uncompressedSize += header.size() + page.uncompressedSize;
        chunk.compressedSize += header.size() + page.body.size();
        ++chunk.pageEncodingCounts[{page.type, page.encoding}];
    }

    const ParquetFixtureTable &m_table;
    const ParquetWriteOptions &m_options;
    QByteArray m_out;
};

} // namespace

std::int64_t ParquetFixtureColumn::rowCount() const
{
    return static_cast<std::int64_t>(isIntegerType(type) ? integers.size() : bytes.size());
}

ParquetFixtureColumn ParquetFixtureColumn::ofIntegers(const QString &path, int type,
                                                      std::vector<std::optional<std::int64_t>> values, int repetition)
{
    ParquetFixtureColumn column;
    column.path = path;
    column.type = type;
    column.repetition = repetition;
    column.integers = std::move(values);
    return column;
}

ParquetFixtureColumn ParquetFixtureColumn::ofBytes(const QString &path, std::vector<std::optional<QByteArray>> values,
                                                   int repetition, int type)
{
    ParquetFixtureColumn column;
    column.path = path;
    column.type = type;
    column.repetition = repetition;
    column.bytes = std::move(values);
    return column;
}

std::int64_t ParquetFixtureTable::rowCount() const
{
    return columns.empty() ? 0 : columns.front().rowCount();
}

int maxDefinitionLevel(const ParquetFixtureTable &table, int column)
{
    const std::vector<int> repetitions = repetitionsOnPath(table, column);
    return static_cast<int>(
        std::count_if(repetitions.begin(), repetitions.end(), [](int repetition) { return repetition != Required; }));
}

int maxRepetitionLevel(const ParquetFixtureTable &table, int column)
{
    const std::vector<int> repetitions = repetitionsOnPath(table, column);
    return static_cast<int>(std::count(repetitions.begin(), repetitions.end(), static_cast<int>(Repeated)));
}

QByteArray parquetFileBytes(const ParquetFixtureTable &table, const ParquetWriteOptions &options)
{
    return FileBuilder(table, options).build();
}

QString huggingFaceImageMetadata(const QStringList &classNames)
{
    QStringList quoted;
    for (const QString &name : classNames) {
        // A one-element JSON array, brackets dropped: the name quoted and escaped.
        const QByteArray array = QJsonDocument(QJsonArray{name}).toJson(QJsonDocument::Compact);
        quoted << QString::fromUtf8(array.mid(1, array.size() - 2));
    }
    // Keys in the order `datasets` writes them, and its ", " / ": " separators.
    return QStringLiteral("{\"info\": {\"features\": {\"image\": {\"_type\": \"Image\"}, \"label\": {\"names\": [")
           + quoted.join(QStringLiteral(", ")) + QStringLiteral("], \"_type\": \"ClassLabel\"}}}}");
}

ParquetFixtureTable huggingFaceImageTable(const std::vector<HfImageRow> &rows)
{
    ParquetFixtureTable table;
    table.groups.push_back({QStringLiteral("image"), Optional});
    ParquetFixtureColumn bytes = ParquetFixtureColumn::ofBytes(QStringLiteral("image.bytes"), {});
    ParquetFixtureColumn path = ParquetFixtureColumn::ofBytes(QStringLiteral("image.path"), {});
    path.convertedType = Utf8;
    path.logicalType = String;
    ParquetFixtureColumn label = ParquetFixtureColumn::ofIntegers(QStringLiteral("label"), Int64, {});
    for (const HfImageRow &row : rows) {
        bytes.bytes.push_back(row.imageNull ? std::nullopt : row.bytes);
        path.bytes.push_back(row.imageNull || !row.path ? std::nullopt : std::optional(row.path->toUtf8()));
        // 0: the image is null; 1: the image is there, this field is null; 2: the value is there.
        bytes.definitionLevels.push_back(row.imageNull ? 0 : (row.bytes ? 2 : 1));
        path.definitionLevels.push_back(row.imageNull ? 0 : (row.path ? 2 : 1));
        label.integers.push_back(row.label);
    }
    table.columns = {bytes, path, label};
    return table;
}

QByteArray huggingFaceImageParquet(const std::vector<HfImageRow> &rows, const QStringList &classNames,
                                   const ParquetWriteOptions &options)
{
    ParquetWriteOptions withMetadata = options;
    if (!classNames.isEmpty())
        withMetadata.keyValueMetadata.emplace_back(QStringLiteral("huggingface"), huggingFaceImageMetadata(classNames));
    return parquetFileBytes(huggingFaceImageTable(rows), withMetadata);
}

bool writeFileBytes(const QString &path, const QByteArray &bytes)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return false;
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size() && file.flush();
}

} // namespace wemoe::test
