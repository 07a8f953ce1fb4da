#pragma once

#include "io/regular_file.h"

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

namespace wemoe {

// Parses `text` as a JSON object; `path` only names the source in errors
// ("<path>: not valid JSON: <reason> at byte N", "<path>: not a JSON object").
QJsonObject parseJsonObject(const QByteArray &text, const QString &path);

// Reads a JSON object file: a regular file of at most maxBytes (see
// regular_file.h), parsed with parseJsonObject.
QJsonObject readJsonObjectFile(const QString &path, qint64 maxBytes = kMaxJsonFileBytes);

} // namespace wemoe
