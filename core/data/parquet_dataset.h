#pragma once

#include "data/image_dataset.h"
#include "io/data_source.h"

#include <QtCore/QVector>

#include <cstdint>
#include <memory>
#include <vector>

namespace wemoe {

class ParquetFile;
class RowGroupCache;

// The images of a Hugging Face dataset in Parquet files (one file or the
// shards of a split, in order): one row per image, an image column (the
// struct `datasets` writes, {bytes, path}, or plain binary) and an integer
// label column. The columns are the metadata's Image and ClassLabel features
// when the files carry `huggingface` metadata, else "image" and "label".
//
// Opening reads the footers and the label columns only; images are read a
// row group at a time when a batch needs them (a bounded cache keeps the
// recently used ones), so a dataset of many gigabytes never sits in memory.
class ParquetDataset : public ImageDataset
{
public:
    // Opens the files of `source` with labels numbered in the order of
    // `classNames` (the head's; matched by name against the files' class
    // names, which may be ordered differently). With no `classNames` the
    // files' own are used; files without class names take `classNames` as
    // they are. Throws wemoe::Error naming the file and the cause: a schema
    // without an image or label column (the columns it has), a label column
    // that is not an integer, a null label or one outside the class names (its
    // row), files whose class names differ, class names that are not the
    // head's, no class names anywhere, no rows.
    static std::shared_ptr<const ParquetDataset> open(const DataSource &source, const QStringList &classNames = {});

    // The class names the files' metadata give (the first file's), or an empty
    // list; reads footers only.
    static QStringList classNamesOf(const DataSource &source);

    ~ParquetDataset() override;

    QString source() const override { return m_source.describe(); }
    const QStringList &classNames() const override { return m_classNames; }
    int size() const override { return static_cast<int>(m_rows.size()); }
    int label(int index) const override { return m_labels.at(static_cast<std::size_t>(index)); }
    // The row's image bytes; a null image is an error naming the row.
    QByteArray encodedImage(int index) const override;
    QString sampleName(int index) const override;

    const DataSource &dataSource() const { return m_source; }
    int fileCount() const;
    const ParquetFile &file(int index) const;
    // Where the images come from: "image.bytes" (or "image").
    const QString &imageColumn() const { return m_imageColumnPath; }
    // The index of a file's image column, found as open() finds it; throws
    // wemoe::Error naming the file (and the columns it has) when it has none.
    static int imageColumnOf(const ParquetFile &file);

private:
    ParquetDataset();

    // Where sample i is: its file, row group and row within the group.
    struct RowAddress
    {
        std::int32_t file = 0;
        std::int32_t rowGroup = 0;
        std::int32_t row = 0;
    };
    struct Shard;

    DataSource m_source;
    QStringList m_classNames;
    QString m_imageColumnPath;
    std::vector<Shard> m_files;
    std::vector<RowAddress> m_rows;
    std::vector<int> m_labels;
    std::unique_ptr<RowGroupCache> m_cache;
};

} // namespace wemoe
