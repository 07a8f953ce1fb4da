#pragma once

#include "parquet/parquet_error_context.h"

#include <QtCore/QtGlobal>

#include <memory>

namespace wemoe {

// No page may claim more bytes than this once decompressed: a hostile header
// must not make us allocate gigabytes. Writers cut pages at about 1 MB.
constexpr qint64 kMaxParquetPageBytes = 1LL << 30;

// A page's bytes after decompression: a view of the mapping when the page is
// stored uncompressed, else a buffer of its own.
class ParquetPageBytes
{
public:
    ParquetPageBytes(const uchar *view, qint64 size)
        : m_data(view)
        , m_size(size)
    {
    }
    ParquetPageBytes(std::unique_ptr<uchar[]> owned, qint64 size)
        : m_owned(std::move(owned))
        , m_data(m_owned.get())
        , m_size(size)
    {
    }

    const uchar *data() const { return m_data; }
    qint64 size() const { return m_size; }

private:
    std::unique_ptr<uchar[]> m_owned;
    const uchar *m_data;
    qint64 m_size;
};

// Whether this reader decompresses `codec` (UNCOMPRESSED, SNAPPY, GZIP, ZSTD).
bool isSupportedParquetCodec(int codec);

// Decompresses `size` bytes at `data` with `codec` into exactly
// `uncompressedSize` bytes, as the page header declares. Refuses before
// allocating a size above kMaxParquetPageBytes or beyond what the compressed
// bytes can expand to, and refuses output of another size, bytes left over
// after the compressed stream, and any codec error.
ParquetPageBytes decompressParquetPage(int codec, const uchar *data, qint64 size, qint64 uncompressedSize,
                                       const ParquetErrorContext &context);

} // namespace wemoe
