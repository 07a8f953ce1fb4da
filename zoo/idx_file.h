#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QVector>

namespace wemoe {

// An array in the idx format of (Fashion-)MNIST: a big-endian magic
// 00 00 <type> <rank>, rank big-endian u32 dimensions, then the elements row
// major. Only unsigned bytes (type 0x08) occur in those files and are read.
struct IdxArray
{
    QVector<int> dims;
    QByteArray data; // dims[0]·dims[1]·… unsigned bytes

    qsizetype count() const { return dims.isEmpty() ? 0 : dims[0]; }
    // Bytes per first-axis entry (28·28 for an image file, 1 for labels).
    qsizetype itemSize() const;
    const unsigned char *item(qsizetype index) const
    {
        return reinterpret_cast<const unsigned char *>(data.constData()) + index * itemSize();
    }
};

// Parses idx bytes; `origin` names them in errors (wrong magic, element type,
// dimensions that do not match the length).
IdxArray parseIdx(const QByteArray &bytes, const QString &origin);

// Reads an idx file, gunzipping it when its name ends in .gz.
IdxArray readIdxFile(const QString &file);

} // namespace wemoe
