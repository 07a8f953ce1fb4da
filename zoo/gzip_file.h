#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace wemoe {

// Inflates gzip data (RFC 1952, one or more members, as `gzip` writes them);
// qUncompress reads only zlib streams with Qt's own length prefix. `origin`
// names the data in errors. Throws wemoe::Error on corrupt or truncated data.
QByteArray gunzip(const QByteArray &compressed, const QString &origin);

// Reads and inflates a .gz file.
QByteArray readGzipFile(const QString &file);

} // namespace wemoe
