#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace wemoe {

// Writes `bytes` to `path` through QSaveFile: the file appears complete or not
// at all. Throws wemoe::Error naming the file when it cannot be written.
void writeFileAtomically(const QString &path, const QByteArray &bytes);

} // namespace wemoe
