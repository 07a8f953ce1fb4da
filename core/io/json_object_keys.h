#pragma once

#include <QtCore/QByteArrayView>
#include <QtCore/QStringList>

namespace wemoe {

// Internal to core/io: the keys of a JSON object in the order they appear in
// the text, duplicates included. QJsonDocument silently keeps one of duplicate
// keys and iterates in sorted order, but safetensors must reject duplicates and
// report the first bad entry as written. `json` should already have parsed
// with QJsonDocument; on malformed text the keys read so far are returned.
// With `member` empty, the top-level object's keys; otherwise the keys of the
// object that the top-level member of that name holds (its first occurrence).
QStringList jsonObjectKeysInOrder(QByteArrayView json, const QString &member = {});

} // namespace wemoe
