#include "zoo/idx_file.h"

#include "common/error.h"
#include "zoo/gzip_file.h"

#include <QtCore/QFile>

#include <limits>

namespace wemoe {

namespace {

quint32 bigEndian32(const QByteArray &bytes, qsizetype offset)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.constData()) + offset;
    return (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
}

} // namespace

qsizetype IdxArray::itemSize() const
{
    qsizetype size = 1;
    for (int i = 1; i < dims.size(); ++i)
        size *= dims[i];
    return size;
}

IdxArray parseIdx(const QByteArray &bytes, const QString &origin)
{
    if (bytes.size() < 4)
        throw Error(origin, QStringLiteral("too short for an idx header (%1 bytes)").arg(bytes.size()));
    const auto *magic = reinterpret_cast<const unsigned char *>(bytes.constData());
    if (magic[0] != 0 || magic[1] != 0)
        throw Error(origin, QStringLiteral("not an idx file (magic %1 %2 %3 %4, expected 00 00 <type> <rank>)")
                                .arg(magic[0], 2, 16, QLatin1Char('0'))
                                .arg(magic[1], 2, 16, QLatin1Char('0'))
                                .arg(magic[2], 2, 16, QLatin1Char('0'))
                                .arg(magic[3], 2, 16, QLatin1Char('0')));
    if (magic[2] != 0x08)
        throw Error(
            origin,
            QStringLiteral("idx element type 0x%1 is not unsigned byte (0x08)").arg(magic[2], 2, 16, QLatin1Char('0')));
    const int rank = magic[3];
    if (rank < 1)
        throw Error(origin, QStringLiteral("idx rank 0"));
    const qsizetype headerSize = 4 + 4 * qsizetype(rank);
    if (bytes.size() < headerSize)
        throw Error(origin, QStringLiteral("idx header of rank %1 needs %2 bytes, the file has %3")
                                .arg(rank)
                                .arg(headerSize)
                                .arg(bytes.size()));
    IdxArray array;
    qsizetype elements = 1;
    for (int i = 0; i < rank; ++i) {
        const quint32 dim = bigEndian32(bytes, 4 + 4 * i);
        if (dim > quint32(std::numeric_limits<int>::max()))
            throw Error(origin, QStringLiteral("idx dimension %1 is %2, too large").arg(i).arg(dim));
        array.dims.append(int(dim));
        elements *= qsizetype(dim);
        if (elements > bytes.size())
            break;
    }
    if (bytes.size() - headerSize != elements)
        throw Error(origin, QStringLiteral("idx dimensions promise %1 bytes of data, the file holds %2")
                                .arg(elements)
                                .arg(bytes.size() - headerSize));
    array.data = bytes.mid(headerSize);
    return array;
}

IdxArray readIdxFile(const QString &file)
{
    if (file.endsWith(QLatin1String(".gz")))
        return parseIdx(readGzipFile(file), file);
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        throw Error(file, QStringLiteral("cannot be read: %1").arg(in.errorString()));
    return parseIdx(in.readAll(), file);
}

} // namespace wemoe
