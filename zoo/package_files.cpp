#include "zoo/package_files.h"

#include "common/error.h"

#include <QtCore/QDir>
#include <QtCore/QDirIterator>
#include <QtCore/QFileInfo>

#include <algorithm>

namespace wemoe {

namespace {

QString underRoot(const QString &systemRoot, const QString &path)
{
    if (systemRoot.isEmpty() || systemRoot == QLatin1String("/"))
        return path;
    return QDir::cleanPath(systemRoot + QLatin1Char('/') + path);
}

} // namespace

QString demoDataInstallCommand()
{
    return QStringLiteral("packaging/install-deps.sh --demo-data");
}

QString missingPackageFileMessage(const QString &package)
{
    return QStringLiteral("not found; it comes with the Debian package %1 (install the demo data packages with "
                          "`%2`, or `apt-get install %1`)")
        .arg(package, demoDataInstallCommand());
}

QString requirePackageFile(const QString &systemRoot, const QString &path, const QString &package)
{
    const QString file = underRoot(systemRoot, path);
    const QFileInfo info(file);
    if (!info.exists())
        throw Error(file, missingPackageFileMessage(package));
    if (!info.isFile())
        throw Error(file, QStringLiteral("is not a file (expected the file of Debian package %1)").arg(package));
    return file;
}

QString requirePackageFolder(const QString &systemRoot, const QString &path, const QString &package)
{
    const QString folder = underRoot(systemRoot, path);
    const QFileInfo info(folder);
    if (!info.exists())
        throw Error(folder, missingPackageFileMessage(package));
    if (!info.isDir())
        throw Error(folder, QStringLiteral("is not a folder (expected the folder of Debian package %1)").arg(package));
    return folder;
}

QStringList filesUnder(const QString &folder, const QStringList &suffixes, bool recursive)
{
    QStringList files;
    QDirIterator it(folder, QDir::Files, recursive ? QDirIterator::Subdirectories : QDirIterator::NoIteratorFlags);
    while (it.hasNext()) {
        const QString file = it.next();
        for (const QString &suffix : suffixes) {
            if (file.endsWith(suffix, Qt::CaseInsensitive)) {
                files.append(file);
                break;
            }
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace wemoe
