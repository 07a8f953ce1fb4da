#include "parquet/parquet_column_reader.h"

#include "parquet/parquet_codecs.h"
#include "parquet/parquet_footer.h"
#include "parquet/parquet_page.h"
#include "parquet/parquet_plain_values.h"
#include "parquet/rle_bit_packed_hybrid.h"

#include <QtCore/QtEndian>

#include <algorithm>
#include <optional>

namespace wemoe {

namespace {

// parquet.thrift's Encoding values this reader decodes.
constexpr int kPlain = 0;
constexpr int kPlainDictionary = 2;
constexpr int kRle = 3;
constexpr int kRleDictionary = 8;

bool isSupportedType(int type)
{
    switch (static_cast<ParquetType>(type)) {
    case ParquetType::Boolean:
    case ParquetType::Int32:
    case ParquetType::Int64:
    case ParquetType::ByteArray: return true;
    default: return false;
    }
}

class ChunkReader
{
public:
    ChunkReader(const uchar *file, const ParquetColumn &column, const ParquetColumnChunk &chunk, std::int64_t rowCount,
                const ParquetErrorContext &context)
        : m_file(file)
        , m_column(column)
        , m_chunk(chunk)
        , m_rowCount(rowCount)
        , m_context(context)
        , m_levelBitWidth(parquetLevelBitWidth(column.maxDefinitionLevel))
    {
    }

    ParquetColumnValues read()
    {
        // Pages lie in [start, end); readParquetFooter checked that range is in the file.
        std::int64_t position = parquetChunkStart(m_chunk);
        const std::int64_t end = position + m_chunk.compressedSize;
        while (m_valuesRead < m_rowCount) {
            if (position >= end)
                fail(QStringLiteral("the column chunk's pages end after %1 of its %2 values")
                         .arg(m_valuesRead)
                         .arg(m_rowCount));
            readPage(position, end);
        }
        return std::move(m_values);
    }

private:
    [[noreturn]] void fail(const QString &problem) const { m_context.fail(problem); }

    // Reads the page at `position` and moves `position` past it.
    void readPage(std::int64_t &position, std::int64_t end)
    {
        m_page = ParquetErrorContext{m_context.file,
                                     QStringLiteral("%1: page at byte %2").arg(m_context.where).arg(position)};
        const ParquetPageHeader header = readParquetPageHeader(m_file + position, end - position, m_page);
        const std::int64_t payload = position + header.headerSize;
        if (header.compressedSize > end - payload)
            m_page.fail(QStringLiteral("the page's %1 bytes run past the end of the column chunk at byte %2")
                            .arg(header.compressedSize)
                            .arg(end));
        switch (static_cast<ParquetPageType>(header.type)) {
        case ParquetPageType::Dictionary: readDictionaryPage(header, m_file + payload); break;
        case ParquetPageType::Data: readDataPageV1(header, m_file + payload); break;
        case ParquetPageType::DataV2: readDataPageV2(header, m_file + payload); break;
        case ParquetPageType::Index: break; // holds nothing this reader needs
        default: m_page.fail(QStringLiteral("page type %1 is unknown").arg(header.type));
        }
        position = payload + header.compressedSize;
    }

    void readDictionaryPage(const ParquetPageHeader &header, const uchar *payload)
    {
        if (m_dictionary)
            m_page.fail(QStringLiteral("a second dictionary page"));
        if (m_dataPageSeen)
            m_page.fail(QStringLiteral("a dictionary page after data pages"));
        const ParquetDictionaryPageHeader &dictionary = *header.dictionaryPage;
        // Dictionaries are PLAIN; older writers label that PLAIN_DICTIONARY.
        if (dictionary.encoding != kPlain && dictionary.encoding != kPlainDictionary)
            m_page.fail(QStringLiteral("the dictionary is encoded as %1, which is not supported")
                            .arg(parquetEncodingName(dictionary.encoding)));
        const ParquetPageBytes bytes = decompressParquetPage(m_chunk.codec, payload, header.compressedSize,
                                                             header.uncompressedSize, m_page);
        m_dictionary = decodePlainValues(m_column.type, bytes.data(), bytes.size(), dictionary.valueCount, m_page);
    }

    void readDataPageV1(const ParquetPageHeader &header, const uchar *payload)
    {
        const ParquetDataPageHeader &page = *header.dataPage;
        const std::int64_t count = startDataPage(page.valueCount);
        // Levels and values are compressed together.
        const ParquetPageBytes bytes = decompressParquetPage(m_chunk.codec, payload, header.compressedSize,
                                                             header.uncompressedSize, m_page);
        qint64 position = 0;
        // Repetition levels would come first; a column with them is refused
        // before any page is read. Definition levels exist only when they can
        // be above 0, behind a 4-byte little-endian length.
        std::vector<std::uint32_t> levels;
        if (m_column.maxDefinitionLevel > 0) {
            if (page.definitionLevelEncoding != kRle)
                m_page.fail(QStringLiteral("definition levels encoded as %1, which is not supported")
                                .arg(parquetEncodingName(page.definitionLevelEncoding)));
            if (bytes.size() < 4)
                m_page.fail(QStringLiteral("the page ends before its definition levels' length"));
            const quint32 length = qFromLittleEndian<quint32>(bytes.data());
            if (length > static_cast<quint64>(bytes.size() - 4))
                m_page.fail(QStringLiteral("definition levels of %1 bytes run past the page's %2 bytes")
                                .arg(length)
                                .arg(bytes.size() - 4));
            levels = decodeRleBitPackedHybrid(bytes.data() + 4, length, m_levelBitWidth, count, "definition levels",
                                              m_page);
            position = 4 + static_cast<qint64>(length);
        }
        decodeValues(page.encoding, levels, count, bytes.data() + position, bytes.size() - position);
    }

    void readDataPageV2(const ParquetPageHeader &header, const uchar *payload)
    {
        const ParquetDataPageHeaderV2 &page = *header.dataPageV2;
        const std::int64_t count = startDataPage(page.valueCount);
        if (page.repetitionLevelsByteLength != 0)
            m_page.fail(QStringLiteral("the page has %1 bytes of repetition levels for a column that has none")
                            .arg(page.repetitionLevelsByteLength));
        if (m_column.maxDefinitionLevel == 0 && page.definitionLevelsByteLength != 0)
            m_page.fail(QStringLiteral("the page has %1 bytes of definition levels for a required column")
                            .arg(page.definitionLevelsByteLength));
        // Levels are stored uncompressed and unprefixed ahead of the values;
        // readParquetPageHeader checked that they fit in both page sizes.
        std::vector<std::uint32_t> levels;
        if (m_column.maxDefinitionLevel > 0)
            levels = decodeRleBitPackedHybrid(payload, page.definitionLevelsByteLength, m_levelBitWidth, count,
                                              "definition levels", m_page);
        const qint64 levelBytes = page.definitionLevelsByteLength;
        const qint64 storedSize = header.compressedSize - levelBytes;
        const qint64 valueSize = header.uncompressedSize - levelBytes;
        if (page.isCompressed) {
            const ParquetPageBytes bytes = decompressParquetPage(m_chunk.codec, payload + levelBytes, storedSize,
                                                                 valueSize, m_page);
            decodeValues(page.encoding, levels, count, bytes.data(), bytes.size());
        } else {
            if (storedSize != valueSize)
                m_page.fail(QStringLiteral("an uncompressed page holds %1 bytes of values, but its header declares %2")
                                .arg(storedSize)
                                .arg(valueSize));
            decodeValues(page.encoding, levels, count, payload + levelBytes, storedSize);
        }
    }

    // Counts a data page's values against the chunk's: returns how many it holds.
    std::int64_t startDataPage(std::int32_t valueCount)
    {
        m_dataPageSeen = true;
        if (valueCount > m_rowCount - m_valuesRead)
            m_page.fail(QStringLiteral("the data pages hold more values than the row group's %1 rows").arg(m_rowCount));
        return valueCount;
    }

    // Decodes a data page's values section and appends one entry per level
    // (per row: the column is not repeated). `levels` is empty when the
    // column cannot be null.
    void decodeValues(int encoding, const std::vector<std::uint32_t> &levels, std::int64_t count, const uchar *data,
                      qint64 size)
    {
        std::int64_t presentCount = count;
        if (!levels.empty()) {
            presentCount = 0;
            for (const std::uint32_t level : levels) {
                if (level > static_cast<std::uint32_t>(m_column.maxDefinitionLevel))
                    m_page.fail(QStringLiteral("definition level %1 is above the column's maximum %2")
                                    .arg(level)
                                    .arg(m_column.maxDefinitionLevel));
                presentCount += level == static_cast<std::uint32_t>(m_column.maxDefinitionLevel) ? 1 : 0;
            }
        }

        if (encoding == kPlain) {
            ParquetPlainValues values = decodePlainValues(m_column.type, data, size, presentCount, m_page);
            append(
                levels, count, [&](std::int64_t i) -> std::int64_t & { return values.integers[size_t(i)]; },
                [&](std::int64_t i) -> QByteArray & { return values.bytes[size_t(i)]; });
        } else if (encoding == kPlainDictionary || encoding == kRleDictionary) {
            if (!m_dictionary)
                m_page.fail(QStringLiteral("a dictionary-encoded data page comes before any dictionary page"));
            const std::vector<std::uint32_t> indices = dictionaryIndices(data, size, presentCount);
            ParquetPlainValues &dictionary = *m_dictionary;
            append(
                levels, count,
                [&](std::int64_t i) -> std::int64_t & { return dictionary.integers[indices[size_t(i)]]; },
                [&](std::int64_t i) -> QByteArray & { return dictionary.bytes[indices[size_t(i)]]; });
        } else {
            m_page.fail(
                QStringLiteral("values encoded as %1, which is not supported").arg(parquetEncodingName(encoding)));
        }
        m_valuesRead += count;
    }

    // A bit-width byte, then the RLE / bit-packed hybrid indices (no length prefix).
    std::vector<std::uint32_t> dictionaryIndices(const uchar *data, qint64 size, std::int64_t count)
    {
        if (size == 0 && count == 0)
            return {};
        if (size == 0)
            m_page.fail(QStringLiteral("the page ends before its dictionary indices' bit width"));
        std::vector<std::uint32_t> indices = decodeRleBitPackedHybrid(data + 1, size - 1, data[0], count,
                                                                      "dictionary indices", m_page);
        const std::int64_t dictionarySize = m_dictionary->size();
        for (const std::uint32_t index : indices) {
            if (index >= dictionarySize)
                m_page.fail(QStringLiteral("dictionary index %1 is out of range (the dictionary holds %2 values)")
                                .arg(index)
                                .arg(dictionarySize));
        }
        return indices;
    }

    // Appends `count` rows: a row at the maximum definition level takes the
    // next present value (integer(i) or bytes(i) for the i-th), others are
    // absent and hold 0 / empty.
    template<typename Integer, typename Bytes>
    void append(const std::vector<std::uint32_t> &levels, std::int64_t count, Integer integer, Bytes bytes)
    {
        const bool byteArray = m_column.type == static_cast<int>(ParquetType::ByteArray);
        const auto maxLevel = static_cast<std::uint32_t>(m_column.maxDefinitionLevel);
        std::int64_t next = 0;
        for (std::int64_t row = 0; row < count; ++row) {
            const bool present = levels.empty() || levels[size_t(row)] == maxLevel;
            m_values.present.push_back(present);
            if (byteArray)
                m_values.bytes.push_back(present ? bytes(next) : QByteArray());
            else
                m_values.integers.push_back(present ? integer(next) : 0);
            next += present ? 1 : 0;
        }
    }

    const uchar *m_file;
    const ParquetColumn &m_column;
    const ParquetColumnChunk &m_chunk;
    std::int64_t m_rowCount;
    const ParquetErrorContext &m_context;
    ParquetErrorContext m_page; // m_context and the page being read
    int m_levelBitWidth;
    std::int64_t m_valuesRead = 0;
    bool m_dataPageSeen = false;
    std::optional<ParquetPlainValues> m_dictionary;
    ParquetColumnValues m_values;
};

} // namespace

ParquetColumnValues readParquetColumnChunk(const uchar *file, qint64 fileSize, const ParquetColumn &column,
                                           const ParquetColumnChunk &chunk, std::int64_t rowCount,
                                           const ParquetErrorContext &context)
{
    if (column.maxRepetitionLevel > 0)
        context.fail(QStringLiteral("repeated columns (lists) are not supported"));
    if (!isSupportedType(column.type))
        context.fail(
            QStringLiteral("values of type %1, which is not supported (BOOLEAN, INT32, INT64 and BYTE_ARRAY are)")
                .arg(parquetTypeName(column.type)));
    if (!isSupportedParquetCodec(chunk.codec))
        context.fail(
            QStringLiteral("pages compressed with %1, which is not supported (UNCOMPRESSED, SNAPPY, GZIP and ZSTD are)")
                .arg(parquetCodecName(chunk.codec)));
    if (chunk.valueCount != rowCount)
        context.fail(QStringLiteral("the column chunk holds %1 values for the row group's %2 rows")
                         .arg(chunk.valueCount)
                         .arg(rowCount));
    const std::int64_t rowLimit = std::max<std::int64_t>(kMinParquetRowLimit, fileSize * 8);
    if (rowCount > rowLimit)
        context.fail(QStringLiteral("the row group claims %1 rows, more than a file of %2 bytes can hold")
                         .arg(rowCount)
                         .arg(fileSize));
    return ChunkReader(file, column, chunk, rowCount, context).read();
}

} // namespace wemoe
