#pragma once

#include "parquet/parquet_error_context.h"

#include <QtCore/QtGlobal>

#include <cstdint>
#include <optional>

namespace wemoe {

// parquet.thrift's PageType.
enum class ParquetPageType : int { Data = 0, Index = 1, Dictionary = 2, DataV2 = 3 };

struct ParquetDataPageHeader
{
    std::int32_t valueCount = 0; // levels, nulls included
    int encoding = 0;
    int definitionLevelEncoding = 0;
    int repetitionLevelEncoding = 0;
};

struct ParquetDictionaryPageHeader
{
    std::int32_t valueCount = 0;
    int encoding = 0;
};

struct ParquetDataPageHeaderV2
{
    std::int32_t valueCount = 0; // levels, nulls included
    std::int32_t nullCount = 0;
    std::int32_t rowCount = 0;
    int encoding = 0;
    std::int32_t definitionLevelsByteLength = 0;
    std::int32_t repetitionLevelsByteLength = 0;
    bool isCompressed = true; // the values section; the levels never are
};

// A page header (Thrift compact PageHeader), checked only as far as it speaks
// for itself: sizes and counts are not negative, the part for its type is
// there, and a v2 page's level sections fit inside both of its sizes.
struct ParquetPageHeader
{
    int type = 0; // ParquetPageType, or a number it does not know
    std::int32_t uncompressedSize = 0;
    std::int32_t compressedSize = 0; // the bytes that follow the header
    std::optional<ParquetDataPageHeader> dataPage;
    std::optional<ParquetDictionaryPageHeader> dictionaryPage;
    std::optional<ParquetDataPageHeaderV2> dataPageV2;
    qint64 headerSize = 0; // bytes of Thrift before the page's data
};

// Reads the page header at `data`, which has `available` bytes before the
// end of its column chunk. Throws wemoe::Error through `context`.
ParquetPageHeader readParquetPageHeader(const uchar *data, qint64 available, const ParquetErrorContext &context);

} // namespace wemoe
