#pragma once

#include <QtCore/QString>
#include <QtCore/QStringList>

namespace wemoe {

// The command that installs every package the demo zoo reads.
QString demoDataInstallCommand();

// `path` (absolute, e.g. /usr/share/...) under `systemRoot`; throws
// wemoe::Error naming the file, the Debian package that installs it and the
// command to install it when the file is missing.
QString requirePackageFile(const QString &systemRoot, const QString &path, const QString &package);
// The same for a folder.
QString requirePackageFolder(const QString &systemRoot, const QString &path, const QString &package);

// The error requirePackageFile throws, for callers that find a file missing
// in another way (an empty folder, a file named in an index).
QString missingPackageFileMessage(const QString &package);

// Files under `folder` (recursively when asked) whose names end in one of
// `suffixes` (case-insensitive), sorted by path in code-unit order so every
// locale sees the same order.
QStringList filesUnder(const QString &folder, const QStringList &suffixes, bool recursive);

} // namespace wemoe
