#include "parquet/parquet_codecs.h"

#include "parquet/parquet_file.h"

#include <snappy-c.h>
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY // ZSTD_decompressBound
#include <zstd.h>

#include <limits>

namespace wemoe {

namespace {

// Deflate cannot expand data more than 1032:1 (a 258-byte match in under 2 bits).
constexpr qint64 kMaxDeflateRatio = 1032;

std::unique_ptr<uchar[]> allocate(qint64 size)
{
    // Not zero-filled: every byte is overwritten, or the page is refused.
    return std::unique_ptr<uchar[]>(new uchar[static_cast<size_t>(std::max<qint64>(size, 1))]);
}

ParquetPageBytes snappy(const uchar *data, qint64 size, qint64 uncompressedSize, const ParquetErrorContext &context)
{
    const char *input = reinterpret_cast<const char *>(data);
    size_t length = 0;
    if (snappy_uncompressed_length(input, static_cast<size_t>(size), &length) != SNAPPY_OK)
        context.fail(QStringLiteral("a SNAPPY page does not start with a valid length"));
    if (length != static_cast<size_t>(uncompressedSize))
        context.fail(QStringLiteral("a SNAPPY page holds %1 bytes, but its header declares %2")
                         .arg(length)
                         .arg(uncompressedSize));
    // Checks the whole stream without writing anything, so a damaged one
    // costs no allocation.
    if (snappy_validate_compressed_buffer(input, static_cast<size_t>(size)) != SNAPPY_OK)
        context.fail(QStringLiteral("a SNAPPY page is damaged"));
    auto output = allocate(uncompressedSize);
    if (snappy_uncompress(input, static_cast<size_t>(size), reinterpret_cast<char *>(output.get()), &length)
            != SNAPPY_OK
        || length != static_cast<size_t>(uncompressedSize))
        context.fail(QStringLiteral("a SNAPPY page does not decompress"));
    return ParquetPageBytes(std::move(output), uncompressedSize);
}

ParquetPageBytes gzip(const uchar *data, qint64 size, qint64 uncompressedSize, const ParquetErrorContext &context)
{
    if (uncompressedSize > size * kMaxDeflateRatio)
        context.fail(QStringLiteral("a GZIP page of %1 bytes claims %2 bytes uncompressed, more than deflate can "
                                    "expand to")
                         .arg(size)
                         .arg(uncompressedSize));
    auto output = allocate(uncompressedSize);
    z_stream stream{};
    // 16 + MAX_WBITS: a gzip member (header and CRC), as Parquet's GZIP is.
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK)
        context.fail(QStringLiteral("zlib cannot start inflating"));
    stream.next_in = const_cast<Bytef *>(data);
    stream.avail_in = static_cast<uInt>(size);
    stream.next_out = output.get();
    stream.avail_out = static_cast<uInt>(uncompressedSize);
    const int status = inflate(&stream, Z_FINISH);
    const qint64 produced = static_cast<qint64>(stream.total_out);
    const uInt left = stream.avail_in;
    inflateEnd(&stream);
    if (status != Z_STREAM_END) {
        if (stream.avail_out == 0 && status == Z_BUF_ERROR)
            context.fail(QStringLiteral("a GZIP page decompresses to more than the %1 bytes its header declares")
                             .arg(uncompressedSize));
        context.fail(QStringLiteral("a GZIP page does not decompress (zlib status %1)").arg(status));
    }
    if (produced != uncompressedSize)
        context.fail(QStringLiteral("a GZIP page decompresses to %1 bytes, but its header declares %2")
                         .arg(produced)
                         .arg(uncompressedSize));
    if (left != 0)
        context.fail(QStringLiteral("a GZIP page has %1 bytes after its compressed stream").arg(left));
    return ParquetPageBytes(std::move(output), uncompressedSize);
}

ParquetPageBytes zstd(const uchar *data, qint64 size, qint64 uncompressedSize, const ParquetErrorContext &context)
{
    const unsigned long long contentSize = ZSTD_getFrameContentSize(data, static_cast<size_t>(size));
    if (contentSize == ZSTD_CONTENTSIZE_ERROR)
        context.fail(QStringLiteral("a ZSTD page does not start with a zstd frame"));
    if (contentSize != ZSTD_CONTENTSIZE_UNKNOWN && contentSize != static_cast<unsigned long long>(uncompressedSize))
        context.fail(QStringLiteral("a ZSTD page's frame holds %1 bytes, but its header declares %2")
                         .arg(contentSize)
                         .arg(uncompressedSize));
    // Walks the frames' block headers: what these bytes can expand to at most.
    const unsigned long long bound = ZSTD_decompressBound(data, static_cast<size_t>(size));
    if (bound == ZSTD_CONTENTSIZE_ERROR)
        context.fail(QStringLiteral("a ZSTD page is damaged"));
    if (bound < static_cast<unsigned long long>(uncompressedSize))
        context.fail(QStringLiteral("a ZSTD page of %1 bytes claims %2 bytes uncompressed, more than it can hold")
                         .arg(size)
                         .arg(uncompressedSize));
    auto output = allocate(uncompressedSize);
    const size_t produced = ZSTD_decompress(output.get(), static_cast<size_t>(uncompressedSize), data,
                                            static_cast<size_t>(size));
    if (ZSTD_isError(produced))
        context.fail(
            QStringLiteral("a ZSTD page does not decompress: %1").arg(QLatin1String(ZSTD_getErrorName(produced))));
    if (produced != static_cast<size_t>(uncompressedSize))
        context.fail(QStringLiteral("a ZSTD page decompresses to %1 bytes, but its header declares %2")
                         .arg(produced)
                         .arg(uncompressedSize));
    return ParquetPageBytes(std::move(output), uncompressedSize);
}

} // namespace

bool isSupportedParquetCodec(int codec)
{
    switch (static_cast<ParquetCodec>(codec)) {
    case ParquetCodec::Uncompressed:
    case ParquetCodec::Snappy:
    case ParquetCodec::Gzip:
    case ParquetCodec::Zstd: return true;
    default: return false;
    }
}

ParquetPageBytes decompressParquetPage(int codec, const uchar *data, qint64 size, qint64 uncompressedSize,
                                       const ParquetErrorContext &context)
{
    if (size < 0 || uncompressedSize < 0)
        context.fail(QStringLiteral("a page has a negative size"));
    if (uncompressedSize > kMaxParquetPageBytes)
        context.fail(QStringLiteral("a page claims %1 bytes uncompressed, more than the limit of %2")
                         .arg(uncompressedSize)
                         .arg(kMaxParquetPageBytes));
    if (!isSupportedParquetCodec(codec))
        context.fail(
            QStringLiteral("pages compressed with %1, which is not supported (UNCOMPRESSED, SNAPPY, GZIP and ZSTD are)")
                .arg(parquetCodecName(codec)));
    // Nothing to decompress (a v2 page of nulls only): writers may skip the
    // codec's framing, and no codec can expand nothing into something.
    if (size == 0 && uncompressedSize == 0)
        return ParquetPageBytes(data, 0);
    switch (static_cast<ParquetCodec>(codec)) {
    case ParquetCodec::Uncompressed:
        if (size != uncompressedSize)
            context.fail(QStringLiteral("an uncompressed page holds %1 bytes, but its header declares %2")
                             .arg(size)
                             .arg(uncompressedSize));
        return ParquetPageBytes(data, size);
    case ParquetCodec::Snappy: return snappy(data, size, uncompressedSize, context);
    case ParquetCodec::Gzip: return gzip(data, size, uncompressedSize, context);
    case ParquetCodec::Zstd: return zstd(data, size, uncompressedSize, context);
    default: break;
    }
    context.fail(
        QStringLiteral("pages compressed with %1, which is not supported (UNCOMPRESSED, SNAPPY, GZIP and ZSTD are)")
            .arg(parquetCodecName(codec)));
}

} // namespace wemoe
