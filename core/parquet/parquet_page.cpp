#include "parquet/parquet_page.h"

#include "parquet/thrift_compact_reader.h"

namespace wemoe {

namespace {

ParquetDataPageHeader dataPageHeader(ThriftCompactReader &thrift)
{
    ParquetDataPageHeader header;
    const std::uint64_t seen = thrift.readStruct([&](const ThriftField &field) {
        switch (field.id) {
        case 1: header.valueCount = thrift.readI32(field.type); return true;
        case 2: header.encoding = thrift.readI32(field.type); return true;
        case 3: header.definitionLevelEncoding = thrift.readI32(field.type); return true;
        case 4: header.repetitionLevelEncoding = thrift.readI32(field.type); return true;
        default: return false; // statistics
        }
    });
    thrift.requireFields(seen, {1, 2, 3, 4}, "DataPageHeader");
    return header;
}

ParquetDictionaryPageHeader dictionaryPageHeader(ThriftCompactReader &thrift)
{
    ParquetDictionaryPageHeader header;
    const std::uint64_t seen = thrift.readStruct([&](const ThriftField &field) {
        switch (field.id) {
        case 1: header.valueCount = thrift.readI32(field.type); return true;
        case 2: header.encoding = thrift.readI32(field.type); return true;
        default: return false; // is_sorted
        }
    });
    thrift.requireFields(seen, {1, 2}, "DictionaryPageHeader");
    return header;
}

ParquetDataPageHeaderV2 dataPageHeaderV2(ThriftCompactReader &thrift)
{
    ParquetDataPageHeaderV2 header;
    const std::uint64_t seen = thrift.readStruct([&](const ThriftField &field) {
        switch (field.id) {
        case 1: header.valueCount = thrift.readI32(field.type); return true;
        case 2: header.nullCount = thrift.readI32(field.type); return true;
        case 3: header.rowCount = thrift.readI32(field.type); return true;
        case 4: header.encoding = thrift.readI32(field.type); return true;
        case 5: header.definitionLevelsByteLength = thrift.readI32(field.type); return true;
        case 6: header.repetitionLevelsByteLength = thrift.readI32(field.type); return true;
        case 7: header.isCompressed = thrift.readBool(field); return true;
        default: return false; // statistics
        }
    });
    thrift.requireFields(seen, {1, 2, 3, 4, 5, 6}, "DataPageHeaderV2");
    return header;
}

// The sub-header of a struct field, which must be a struct.
template<typename Read>
auto subHeader(ThriftCompactReader &thrift, const ThriftField &field, Read read)
{
    if (field.type != ThriftType::Struct)
        thrift.fail(QStringLiteral("page header field %1 is a %2, not a struct")
                        .arg(field.id)
                        .arg(QLatin1String(thriftTypeName(field.type))));
    return read(thrift);
}

} // namespace

ParquetPageHeader readParquetPageHeader(const uchar *data, qint64 available, const ParquetErrorContext &context)
{
    ThriftCompactReader thrift(data, available, context);
    ParquetPageHeader header;
    const std::uint64_t seen = thrift.readStruct([&](const ThriftField &field) {
        switch (field.id) {
        case 1: header.type = thrift.readI32(field.type); return true;
        case 2: header.uncompressedSize = thrift.readI32(field.type); return true;
        case 3: header.compressedSize = thrift.readI32(field.type); return true;
        case 5: header.dataPage = subHeader(thrift, field, dataPageHeader); return true;
        case 7: header.dictionaryPage = subHeader(thrift, field, dictionaryPageHeader); return true;
        case 8: header.dataPageV2 = subHeader(thrift, field, dataPageHeaderV2); return true;
        default: return false; // crc, index_page_header
        }
    });
    thrift.requireFields(seen, {1, 2, 3}, "PageHeader");
    header.headerSize = thrift.position();

    if (header.uncompressedSize < 0 || header.compressedSize < 0)
        context.fail(QStringLiteral("a page header gives sizes %1 (uncompressed) and %2 (compressed)")
                         .arg(header.uncompressedSize)
                         .arg(header.compressedSize));
    const auto requirePart = [&](bool present, const char *part) {
        if (!present)
            context.fail(QStringLiteral("a %1 page has no %2")
                             .arg(QLatin1String(header.type == 2 ? "dictionary" : "data"), QLatin1String(part)));
    };
    switch (static_cast<ParquetPageType>(header.type)) {
    case ParquetPageType::Data:
        requirePart(header.dataPage.has_value(), "data_page_header");
        if (header.dataPage->valueCount < 0)
            context.fail(QStringLiteral("a data page counts %1 values").arg(header.dataPage->valueCount));
        break;
    case ParquetPageType::Dictionary:
        requirePart(header.dictionaryPage.has_value(), "dictionary_page_header");
        if (header.dictionaryPage->valueCount < 0)
            context.fail(QStringLiteral("a dictionary page counts %1 values").arg(header.dictionaryPage->valueCount));
        break;
    case ParquetPageType::DataV2: {
        requirePart(header.dataPageV2.has_value(), "data_page_header_v2");
        const ParquetDataPageHeaderV2 &v2 = *header.dataPageV2;
        if (v2.valueCount < 0 || v2.nullCount < 0 || v2.rowCount < 0 || v2.definitionLevelsByteLength < 0
            || v2.repetitionLevelsByteLength < 0)
            context.fail(QStringLiteral("a data page v2 header holds a negative count or length"));
        // The levels are stored uncompressed ahead of the values: both sizes include them.
        const qint64 levels = qint64(v2.definitionLevelsByteLength) + v2.repetitionLevelsByteLength;
        if (levels > header.compressedSize || levels > header.uncompressedSize)
            context.fail(QStringLiteral("a data page v2 has %1 bytes of levels, more than its sizes %2 and %3")
                             .arg(levels)
                             .arg(header.compressedSize)
                             .arg(header.uncompressedSize));
        break;
    }
    case ParquetPageType::Index: break;
    }
    return header;
}

} // namespace wemoe
