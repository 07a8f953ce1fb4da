#include "parquet/parquet_file.h"

namespace wemoe {

namespace {

// Spelled as in parquet.thrift; a null entry is a number it leaves unused.
constexpr const char *kTypeNames[] = {"BOOLEAN", "INT32",  "INT64",      "INT96",
                                      "FLOAT",   "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"};
constexpr const char *kCodecNames[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"};
constexpr const char *kEncodingNames[] = {"PLAIN",
                                          "GROUP_VAR_INT",
                                          "PLAIN_DICTIONARY",
                                          "RLE",
                                          "BIT_PACKED",
                                          "DELTA_BINARY_PACKED",
                                          "DELTA_LENGTH_BYTE_ARRAY",
                                          "DELTA_BYTE_ARRAY",
                                          "RLE_DICTIONARY",
                                          "BYTE_STREAM_SPLIT",
                                          "ALP"};

template<std::size_t N>
QString nameOrNumber(const char *const (&names)[N], int value, const char *kind)
{
    if (value >= 0 && static_cast<std::size_t>(value) < N)
        return QLatin1String(names[value]);
    return QStringLiteral("%1 %2").arg(QLatin1String(kind)).arg(value);
}

} // namespace

QString parquetTypeName(int type)
{
    return nameOrNumber(kTypeNames, type, "type");
}

QString parquetCodecName(int codec)
{
    return nameOrNumber(kCodecNames, codec, "codec");
}

QString parquetEncodingName(int encoding)
{
    return nameOrNumber(kEncodingNames, encoding, "encoding");
}

} // namespace wemoe
