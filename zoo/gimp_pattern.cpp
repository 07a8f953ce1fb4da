#include "zoo/gimp_pattern.h"

#include "common/error.h"
#include "zoo/image_ops.h"

#include <QtCore/QFile>

#include <opencv2/imgproc.hpp>

namespace wemoe {

namespace {

constexpr qsizetype kFixedHeader = 24; // five u32 and the magic

quint32 bigEndian32(const QByteArray &bytes, qsizetype offset)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.constData()) + offset;
    return (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
}

} // namespace

GimpPattern parseGimpPattern(const QByteArray &bytes, const QString &origin)
{
    if (bytes.size() < kFixedHeader)
        throw Error(origin, QStringLiteral("too short for a GIMP pattern header (%1 bytes)").arg(bytes.size()));
    if (bytes.mid(20, 4) != QByteArrayLiteral("GPAT"))
        throw Error(origin, QStringLiteral("no GPAT magic at byte 20: not a GIMP pattern"));
    const quint32 headerSize = bigEndian32(bytes, 0);
    const quint32 version = bigEndian32(bytes, 4);
    const quint32 width = bigEndian32(bytes, 8);
    const quint32 height = bigEndian32(bytes, 12);
    const quint32 bpp = bigEndian32(bytes, 16);
    if (version != 1)
        throw Error(origin, QStringLiteral("GIMP pattern version %1 (only version 1 exists)").arg(version));
    if (headerSize < kFixedHeader || headerSize > quint32(bytes.size()))
        throw Error(
            origin,
            QStringLiteral("header size %1 lies outside the file (%2 bytes)").arg(headerSize).arg(bytes.size()));
    if (bpp < 1 || bpp > 4)
        throw Error(origin, QStringLiteral("%1 bytes per pixel (a pattern has 1 to 4)").arg(bpp));
    if (width == 0 || height == 0 || width > 65536 || height > 65536)
        throw Error(origin, QStringLiteral("pattern size %1×%2 is not plausible").arg(width).arg(height));
    const qsizetype pixelBytes = qsizetype(width) * height * bpp;
    if (bytes.size() - qsizetype(headerSize) < pixelBytes)
        throw Error(origin,
                    QStringLiteral("%1×%2×%3 pixel bytes run past the end of the file (%4 bytes after the header)")
                        .arg(width)
                        .arg(height)
                        .arg(bpp)
                        .arg(bytes.size() - qsizetype(headerSize)));

    GimpPattern pattern;
    const QByteArray name = bytes.mid(kFixedHeader, qsizetype(headerSize) - kFixedHeader);
    const qsizetype nul = name.indexOf('\0');
    pattern.name = QString::fromUtf8(nul >= 0 ? name.left(nul) : name);
    pattern.bytesPerPixel = int(bpp);

    static const int types[] = {CV_8UC1, CV_8UC2, CV_8UC3, CV_8UC4};
    const cv::Mat raw(int(height), int(width), types[bpp - 1], const_cast<char *>(bytes.constData() + headerSize));
    cv::Mat ordered = raw;
    // The file stores RGB(A); OpenCV works in BGR(A).
    if (bpp == 3)
        cv::cvtColor(raw, ordered, cv::COLOR_RGB2BGR);
    else if (bpp == 4)
        cv::cvtColor(raw, ordered, cv::COLOR_RGBA2BGRA);
    pattern.image = toBgr(ordered); // copies: the result does not point into `bytes`
    return pattern;
}

GimpPattern readGimpPatternFile(const QString &file)
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        throw Error(file, QStringLiteral("cannot be read: %1").arg(in.errorString()));
    return parseGimpPattern(in.readAll(), file);
}

} // namespace wemoe
