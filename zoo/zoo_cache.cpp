#include "zoo/zoo_cache.h"

#include "common/error.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QStandardPaths>

namespace wemoe {

namespace {

void removeFolder(const QString &path)
{
    if (QFileInfo::exists(path))
        QDir(path).removeRecursively();
}

QString siblingFolder(const QString &finalFolder, const QString &suffix)
{
    const QFileInfo info(finalFolder);
    return info.absoluteDir().filePath(QLatin1Char('.') + info.fileName() + suffix);
}

} // namespace

QString defaultZooCacheFolder()
{
    const QString cache = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation);
    if (cache.isEmpty())
        throw Error(QStringLiteral("this system names no cache folder (QStandardPaths::GenericCacheLocation)"));
    return QDir(cache).filePath(QStringLiteral("wemoe-studio"));
}

QString zooCompleteMarker(const QString &zooFolder)
{
    return QDir(zooFolder).filePath(QStringLiteral(".zoo-complete"));
}

bool isCompleteZoo(const QString &zooFolder)
{
    return QFileInfo(zooCompleteMarker(zooFolder)).isFile();
}

ZooStaging::ZooStaging(QString finalFolder)
    : m_final(QFileInfo(finalFolder).absoluteFilePath())
    , m_staging(siblingFolder(m_final, QStringLiteral(".partial")))
{
    const QString parent = QFileInfo(m_final).absolutePath();
    if (!QDir().mkpath(parent))
        throw Error(parent, QStringLiteral("cannot create the zoo cache folder"));
    removeFolder(m_staging); // left by a build that was killed
    if (QFileInfo::exists(m_staging))
        throw Error(m_staging, QStringLiteral("a stale unfinished zoo cannot be removed"));
    if (!QDir().mkpath(m_staging))
        throw Error(m_staging, QStringLiteral("cannot create the folder to build the zoo in"));
}

ZooStaging::~ZooStaging()
{
    if (!m_committed)
        removeFolder(m_staging);
}

void ZooStaging::commit(const QByteArray &marker)
{
    const QString markerFile = zooCompleteMarker(m_staging);
    QFile file(markerFile);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(marker) != marker.size() || !file.flush())
        throw Error(markerFile, QStringLiteral("cannot be written: %1").arg(file.errorString()));
    file.close();
    if (file.error() != QFileDevice::NoError)
        throw Error(markerFile, QStringLiteral("cannot be written: %1").arg(file.errorString()));

    // The old folder is moved aside first, so a failed rename can put it back.
    const QString old = siblingFolder(m_final, QStringLiteral(".old"));
    const bool replacing = QFileInfo::exists(m_final);
    if (replacing) {
        removeFolder(old);
        if (!QDir().rename(m_final, old))
            throw Error(m_final, QStringLiteral("cannot be moved aside to be replaced by the new zoo"));
    }
    if (!QDir().rename(m_staging, m_final)) {
        if (replacing)
            QDir().rename(old, m_final);
        throw Error(m_staging, QStringLiteral("cannot be renamed to %1").arg(m_final));
    }
    m_committed = true;
    removeFolder(old);
}

} // namespace wemoe
