#include "data/sample_images.h"

#include "common/error.h"
#include "data/image_preprocessor.h"
#include "data/parquet_dataset.h"
#include "parquet/parquet_file.h"

#include <QtCore/QRegularExpression>

namespace wemoe {

SampleImageReader::SampleImageReader() = default;
SampleImageReader::~SampleImageReader() = default;

QByteArray SampleImageReader::read(const QString &sampleName)
{
    static const QRegularExpression parquetRow(QStringLiteral("^(.*\\.parquet), row (\\d+)$"),
                                               QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = parquetRow.match(sampleName);
    if (!match.hasMatch())
        return readImageFile(sampleName);
    return readParquetRow(match.captured(1), match.captured(2).toLongLong());
}

QByteArray SampleImageReader::readParquetRow(const QString &path, qint64 row)
{
    auto &file = m_files[path];
    if (!file)
        file = std::make_shared<const ParquetFile>(ParquetFile::open(path));
    std::int64_t first = 0;
    for (int group = 0; group < static_cast<int>(file->rowGroups().size()); ++group) {
        const std::int64_t rows = file->rowGroups()[static_cast<std::size_t>(group)].rowCount;
        if (row < first + rows) {
            if (m_groupFile != path || m_group != group) {
                m_groupImages = std::make_shared<const ParquetColumnValues>(
                    file->readColumn(group, ParquetDataset::imageColumnOf(*file)));
                m_groupFile = path;
                m_group = group;
            }
            const auto at = static_cast<std::size_t>(row - first);
            if (!m_groupImages->present.at(at))
                throw Error(QStringLiteral("%1, row %2").arg(path).arg(row), QStringLiteral("the image is null"));
            return m_groupImages->bytes.at(at);
        }
        first += rows;
    }
    throw Error(path, QStringLiteral("has no row %1 (%2 rows)").arg(row).arg(first));
}

} // namespace wemoe
