#pragma once

#include <QtCore/QString>
#include <QtCore/QStringList>

namespace wemoe {

// Where a task's images are: an image folder (root/<class name>/<images>) or
// the Parquet files of a Hugging Face dataset (one row per image: an `image`
// struct of encoded bytes and a `label`).
struct DataSource
{
    enum class Format { ImageFolder, Parquet };
    Format format = Format::ImageFolder;
    // As named in a pool file or on the command line: paths (relative ones kept
    // relative) or one hub name "ORG/NAME[@REV]:SPLIT".
    QStringList written;
    // Absolute: the image folder, or every Parquet file in order.
    QStringList paths;
    // The hub name when the files came from the Hugging Face cache.
    QString hubName;

    static DataSource imageFolder(const QString &folder);
    bool isEmpty() const { return paths.isEmpty(); }
    bool isParquet() const { return format == Format::Parquet; }
    // What a person reads: the folder, the file, the hub name, or
    // "<folder> (3 Parquet files)".
    QString describe() const;
};

// Whether `text` is "ORG/NAME[@REV]:SPLIT" with a hub name before the colon
// and a split name (letters, digits, '_', '-', '.') after it.
bool isHubDatasetName(const QString &text);

// Whether `written` names Parquet data as resolveDataSource reads it: a
// .parquet file, a folder holding .parquet files, or (when no such path
// exists) "ORG/NAME[@REV]:SPLIT". Looks at names and folders only. For
// commands that take a model or data in one argument.
bool namesParquetData(const QString &written, const QString &baseFolder);

// Resolves a data source as written, against `baseFolder`:
// - a .parquet file;
// - a folder that holds .parquet files: those files, sorted by name;
// - any other folder: an image folder;
// - "ORG/NAME[@REV]:SPLIT" (when no such local path exists): the split's
//   Parquet files in that dataset's snapshot in the Hugging Face cache, found
//   offline as models are (core/io/hub_cache.h) — files named SPLIT.parquet or
//   SPLIT-*.parquet, or held in a folder named SPLIT, anywhere in the snapshot
//   (data/test-00000-of-00018.parquet).
// Throws wemoe::Error naming what was written and the cause: a missing path,
// a file that is not .parquet, a hub dataset that is not in the cache (every
// place looked at), a split that has no files (the splits that do), a split
// found in more than one folder of the snapshot.
DataSource resolveDataSource(const QString &written, const QString &baseFolder);
// Several Parquet files, in this order; each must be a .parquet file.
DataSource resolveDataSource(const QStringList &written, const QString &baseFolder);

} // namespace wemoe
