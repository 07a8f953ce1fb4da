#include "io/data_source.h"

#include "common/error.h"
#include "io/hub_cache.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QDirIterator>
#include <QtCore/QFileInfo>
#include <QtCore/QRegularExpression>

#include <algorithm>
#include <set>

namespace wemoe {

namespace {

bool isParquetFileName(const QString &name)
{
    return name.endsWith(QLatin1String(".parquet"), Qt::CaseInsensitive);
}

// The .parquet files directly in a folder, sorted by name (byte order, so the
// order of shards never depends on the locale).
QStringList parquetFilesIn(const QString &folder)
{
    QStringList files;
    for (const QFileInfo &entry : QDir(folder).entryInfoList(QDir::Files | QDir::NoDotAndDotDot, QDir::Unsorted)) {
        if (isParquetFileName(entry.fileName()))
            files.append(entry.absoluteFilePath());
    }
    std::sort(files.begin(), files.end());
    return files;
}

// The split a file of a dataset snapshot belongs to: the name of a folder on
// its path ("test/0000.parquet") or its name before the first '-' or '.'
// ("test-00000-of-00018.parquet", "test.parquet").
bool belongsToSplit(const QString &relativePath, const QString &split)
{
    const QStringList parts = relativePath.split(QLatin1Char('/'));
    for (int i = 0; i + 1 < parts.size(); ++i) {
        if (parts[i] == split)
            return true;
    }
    const QString name = parts.last();
    return name == split + QLatin1String(".parquet") || name.startsWith(split + QLatin1Char('-'));
}

QString splitNameOf(const QString &relativePath)
{
    const QString name = relativePath.section(QLatin1Char('/'), -1);
    const int end = name.indexOf(QRegularExpression(QStringLiteral("[-.]")));
    return end > 0 ? name.left(end) : name;
}

DataSource fromHubCache(const QString &written, const QString &missingLocally)
{
    const int colon = written.lastIndexOf(QLatin1Char(':'));
    const QString repo = written.left(colon);
    const QString split = written.mid(colon + 1);
    QString snapshot;
    try {
        snapshot = resolveHubSnapshot(repo, HubRepoKind::Dataset);
    } catch (const Error &error) {
        throw Error(written, QCoreApplication::translate("wemoe::Error", "%1, and as a Hugging Face dataset: %2")
                                 .arg(missingLocally, error.message()));
    }

    const QDir root(snapshot);
    QStringList files;
    std::set<QString> folders;
    std::set<QString> splits;
    QDirIterator it(snapshot, {QStringLiteral("*.parquet")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString relative = root.relativeFilePath(it.next());
        if (belongsToSplit(relative, split)) {
            files.append(root.absoluteFilePath(relative));
            folders.insert(QFileInfo(relative).path());
        } else {
            splits.insert(splitNameOf(relative));
        }
    }
    if (files.isEmpty()) {
        const QStringList found(splits.begin(), splits.end());
        throw Error(written,
                    QCoreApplication::translate("wemoe::Error", "no Parquet files of the split '%1' in %2 (%3)")
                        .arg(split, snapshot,
                             found.isEmpty() ? QCoreApplication::translate("wemoe::Error", "it holds no .parquet files")
                                             : QCoreApplication::translate("wemoe::Error", "splits there: %1")
                                                   .arg(found.join(QStringLiteral(", ")))));
    }
    // Several configurations of one dataset each have a test split; mixing them would be wrong.
    if (folders.size() > 1) {
        const QStringList where(folders.begin(), folders.end());
        throw Error(written, QCoreApplication::translate(
                                 "wemoe::Error", "the split '%1' has files in %2 folders of %3 (%4): name the folder "
                                                 "of the one to use as a path instead")
                                 .arg(split)
                                 .arg(where.size())
                                 .arg(snapshot, where.join(QStringLiteral(", "))));
    }
    std::sort(files.begin(), files.end());
    DataSource source;
    source.format = DataSource::Format::Parquet;
    source.written = {written};
    source.paths = files;
    source.hubName = written;
    return source;
}

} // namespace

DataSource DataSource::imageFolder(const QString &folder)
{
    DataSource source;
    source.written = {folder};
    source.paths = {QDir::cleanPath(QFileInfo(folder).absoluteFilePath())};
    return source;
}

QString DataSource::describe() const
{
    if (!hubName.isEmpty())
        return hubName;
    if (paths.size() == 1)
        return paths.first();
    if (paths.isEmpty())
        return QString();
    const QString folder = QFileInfo(paths.first()).absolutePath();
    const bool oneFolder = std::all_of(paths.begin(), paths.end(),
                                       [&](const QString &path) { return QFileInfo(path).absolutePath() == folder; });
    return oneFolder ? QStringLiteral("%1 (%2 Parquet files)").arg(folder).arg(paths.size())
                     : QStringLiteral("%1 Parquet files (%2, ...)").arg(paths.size()).arg(paths.first());
}

bool isHubDatasetName(const QString &text)
{
    static const QRegularExpression split(QStringLiteral("^[A-Za-z0-9_.-]{1,96}$"));
    const int colon = text.lastIndexOf(QLatin1Char(':'));
    return colon > 0 && isHubName(text.left(colon)) && split.match(text.mid(colon + 1)).hasMatch()
           && text.mid(colon + 1) != QLatin1String(".") && text.mid(colon + 1) != QLatin1String("..");
}

bool namesParquetData(const QString &written, const QString &baseFolder)
{
    const QFileInfo info(QDir::cleanPath(QDir(baseFolder).absoluteFilePath(written)));
    if (!info.exists())
        return isHubDatasetName(written);
    if (info.isDir())
        return !parquetFilesIn(info.absoluteFilePath()).isEmpty();
    return isParquetFileName(info.fileName());
}

DataSource resolveDataSource(const QString &written, const QString &baseFolder)
{
    if (written.isEmpty())
        throw Error(QCoreApplication::translate("wemoe::Error", "a data path is empty"));
    const QString local = QDir::cleanPath(QDir(baseFolder).absoluteFilePath(written));
    const QFileInfo info(local);
    if (!info.exists()) {
        const QString missing =
            written == local ? QCoreApplication::translate("wemoe::Error", "no such file or folder")
                             : QCoreApplication::translate("wemoe::Error", "no such file or folder (%1)").arg(local);
        if (isHubDatasetName(written))
            return fromHubCache(written, missing);
        throw Error(written, missing);
    }

    DataSource source;
    source.written = {written};
    if (info.isDir()) {
        const QStringList shards = parquetFilesIn(local);
        if (!shards.isEmpty())
            source.format = DataSource::Format::Parquet;
        source.paths = shards.isEmpty() ? QStringList{local} : shards;
        return source;
    }
    if (!isParquetFileName(local))
        throw Error(written,
                    QCoreApplication::translate(
                        "wemoe::Error", "not test data: expected an image folder (<root>/<class name>/<images>), "
                                        "a .parquet file, a folder of them, or ORG/NAME:SPLIT"));
    source.format = DataSource::Format::Parquet;
    source.paths = {local};
    return source;
}

DataSource resolveDataSource(const QStringList &written, const QString &baseFolder)
{
    if (written.isEmpty())
        throw Error(QCoreApplication::translate("wemoe::Error", "a list of data files is empty"));
    DataSource source;
    source.format = DataSource::Format::Parquet;
    source.written = written;
    for (const QString &file : written) {
        const QString local = QDir::cleanPath(QDir(baseFolder).absoluteFilePath(file));
        const QFileInfo info(local);
        if (!info.exists())
            throw Error(file, written.size() > 1 && file != local
                                  ? QCoreApplication::translate("wemoe::Error", "no such file (%1)").arg(local)
                                  : QCoreApplication::translate("wemoe::Error", "no such file"));
        if (!info.isFile() || !isParquetFileName(local))
            throw Error(
                file, QCoreApplication::translate("wemoe::Error", "a list of data files may only name .parquet files"));
        source.paths.append(local);
    }
    return source;
}

} // namespace wemoe
