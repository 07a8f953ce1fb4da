#pragma once

#include <QtCore/QString>

namespace wemoe {

// Names read from files become file and folder names: a pool's task names
// (collapsed exports write OUTPUT/<task>/), the shard names of a safetensors
// index. A downloaded file must not be able to steer a write (or a read)
// outside the folder it is meant for, so such a name must be one plain path
// component.

// Longest name we accept, in UTF-8 bytes: the usual file system limit (NAME_MAX).
constexpr int kMaxPathComponentBytes = 255;

// Why `name` cannot be used as one path component, or an empty string when it
// can: it is empty, "." or "..", starts with '.', holds '/', '\\' or a control
// character, or is longer than kMaxPathComponentBytes.
QString pathComponentProblem(const QString &name);

// Throws wemoe::Error "<file>: <what> '<name>' cannot be a file or folder
// name: <problem>" when pathComponentProblem finds one. The name is shown with
// control characters escaped.
void requirePathComponent(const QString &name, const QString &file, const QString &what);

} // namespace wemoe
