#include "zoo/gzip_file.h"

#include "common/error.h"

#include <QtCore/QFile>

#include <zlib.h>

#include <limits>

namespace wemoe {

QByteArray gunzip(const QByteArray &compressed, const QString &origin)
{
    if (compressed.size() < 18 || static_cast<unsigned char>(compressed[0]) != 0x1f
        || static_cast<unsigned char>(compressed[1]) != 0x8b)
        throw Error(origin, QStringLiteral("is not gzip data (no 1f 8b magic)"));
    if (compressed.size() > std::numeric_limits<uInt>::max())
        throw Error(origin, QStringLiteral("gzip data larger than 4 GB"));

    z_stream stream{};
    // 16 + MAX_WBITS: expect a gzip header and trailer, not a zlib one.
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK)
        throw Error(origin, QStringLiteral("zlib could not start inflating"));
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(compressed.constData()));
    stream.avail_in = static_cast<uInt>(compressed.size());

    QByteArray out;
    char chunk[1 << 16];
    int status = Z_OK;
    while (true) {
        stream.next_out = reinterpret_cast<Bytef *>(chunk);
        stream.avail_out = sizeof(chunk);
        status = inflate(&stream, Z_NO_FLUSH);
        if (status != Z_OK && status != Z_STREAM_END) {
            const QString reason = stream.msg ? QString::fromUtf8(stream.msg) : QStringLiteral("code %1").arg(status);
            inflateEnd(&stream);
            throw Error(origin, QStringLiteral("corrupt gzip data after %1 bytes: %2").arg(out.size()).arg(reason));
        }
        out.append(chunk, static_cast<qsizetype>(sizeof(chunk) - stream.avail_out));
        if (status == Z_STREAM_END) {
            // A further member may follow (concatenated .gz files).
            if (stream.avail_in == 0)
                break;
            if (inflateReset(&stream) != Z_OK) {
                inflateEnd(&stream);
                throw Error(origin, QStringLiteral("zlib could not restart at the next gzip member"));
            }
        } else if (stream.avail_in == 0 && stream.avail_out != 0) {
            inflateEnd(&stream);
            throw Error(origin,
                        QStringLiteral("gzip data ends early (truncated after %1 inflated bytes)").arg(out.size()));
        }
    }
    inflateEnd(&stream);
    return out;
}

QByteArray readGzipFile(const QString &file)
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        throw Error(file, QStringLiteral("cannot be read: %1").arg(in.errorString()));
    return gunzip(in.readAll(), file);
}

} // namespace wemoe
