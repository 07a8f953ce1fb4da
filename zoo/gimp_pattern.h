#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <opencv2/core/mat.hpp>

namespace wemoe {

// A GIMP pattern (.pat): a big-endian header of u32 header_size, version (1),
// width, height, bytes per pixel (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA), the
// magic "GPAT", then a NUL-terminated UTF-8 name filling the header, then
// width·height·bpp raw bytes row by row.
struct GimpPattern
{
    QString name;
    int bytesPerPixel = 0;
    cv::Mat image; // 8-bit BGR (alpha dropped; patterns are tiles, opaque in practice)
};

// Parses .pat bytes; `origin` names them in errors.
GimpPattern parseGimpPattern(const QByteArray &bytes, const QString &origin);
GimpPattern readGimpPatternFile(const QString &file);

} // namespace wemoe
