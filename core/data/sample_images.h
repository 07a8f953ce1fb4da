#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <map>
#include <memory>

namespace wemoe {

class ParquetFile;
struct ParquetColumnValues;

// The images that datasets' sample names point at, read again to show them
// (the thumbnails of a routing capture): an image file, or "<file>.parquet,
// row N" as ParquetDataset names its rows. The last Parquet row group read is
// kept, so reading one task's rows in order decodes each group once.
class SampleImageReader
{
public:
    SampleImageReader();
    ~SampleImageReader();

    // The encoded image; throws wemoe::Error naming the sample.
    QByteArray read(const QString &sampleName);

private:
    QByteArray readParquetRow(const QString &file, qint64 row);

    std::map<QString, std::shared_ptr<const ParquetFile>> m_files;
    QString m_groupFile;
    int m_group = -1;
    std::shared_ptr<const ParquetColumnValues> m_groupImages;
};

} // namespace wemoe
