#include "parquet/parquet_file.h"

#include "common/error.h"
#include "common/printable_text.h"
#include "io/mapped_file.h"
#include "parquet/parquet_column_reader.h"
#include "parquet/parquet_footer.h"

#include <QtCore/QtEndian>

#include <cstring>

namespace wemoe {

namespace {

constexpr char kMagic[] = "PAR1";
// Footer-encrypted files end in "PARE" instead.
constexpr char kEncryptedMagic[] = "PARE";
constexpr qint64 kMagicBytes = 4;
// "PAR1" at the start, and the footer length and "PAR1" at the end.
constexpr qint64 kMinFileBytes = 2 * kMagicBytes + 4;

} // namespace

ParquetFile ParquetFile::open(const QString &path)
{
    auto mapping = std::make_shared<MappedFile>(path);
    const qint64 size = mapping->size();
    if (size < kMinFileBytes)
        throw Error(path, QStringLiteral("not a Parquet file: it is %1 bytes, shorter than the %2 bytes of the "
                                         "format's frame")
                              .arg(size)
                              .arg(kMinFileBytes));
    if (const QString problem = mapping->map(); !problem.isEmpty())
        throw Error(path, QStringLiteral("cannot memory-map: %1").arg(problem));
    const uchar *data = mapping->data();
    const uchar *tail = data + size - kMagicBytes;
    if (std::memcmp(tail, kEncryptedMagic, kMagicBytes) == 0)
        throw Error(path, QStringLiteral("the Parquet file's footer is encrypted, which is not supported"));
    if (std::memcmp(data, kMagic, kMagicBytes) != 0 || std::memcmp(tail, kMagic, kMagicBytes) != 0)
        throw Error(path, QStringLiteral("not a Parquet file: no \"PAR1\" at its start and end"));
    const quint32 footerSize = qFromLittleEndian<quint32>(tail - 4);
    if (footerSize > static_cast<quint64>(size - kMinFileBytes))
        throw Error(path, QStringLiteral("the Parquet footer's length %1 runs past the start of the file (%2 bytes)")
                              .arg(footerSize)
                              .arg(size));
    const qint64 footerOffset = size - kMagicBytes - 4 - footerSize;
    ParquetFooter footer = readParquetFooter(data + footerOffset, footerSize, footerOffset, path);

    ParquetFile file;
    file.m_path = path;
    file.m_file = std::move(mapping);
    file.m_rowCount = footer.rowCount;
    file.m_version = footer.version;
    file.m_createdBy = std::move(footer.createdBy);
    file.m_schema = std::move(footer.schema);
    file.m_columns = std::move(footer.columns);
    file.m_rowGroups = std::move(footer.rowGroups);
    file.m_keyValueMetadata = std::move(footer.keyValueMetadata);
    return file;
}

std::int64_t ParquetFile::fileSize() const
{
    return m_file ? m_file->size() : 0;
}

std::optional<QString> ParquetFile::metadataValue(const QString &key) const
{
    for (const auto &[entryKey, value] : m_keyValueMetadata) {
        if (entryKey == key)
            return value;
    }
    return std::nullopt;
}

int ParquetFile::columnIndex(const QString &path) const
{
    for (std::size_t i = 0; i < m_columns.size(); ++i) {
        if (m_columns[i].path == path)
            return static_cast<int>(i);
    }
    return -1;
}

QStringList ParquetFile::columnPaths() const
{
    QStringList paths;
    for (const ParquetColumn &column : m_columns)
        paths << column.path;
    return paths;
}

ParquetColumnValues ParquetFile::readColumn(int rowGroup, int column) const
{
    if (!m_file)
        throw Error(m_path, QStringLiteral("the Parquet file is not open"));
    if (rowGroup < 0 || static_cast<std::size_t>(rowGroup) >= m_rowGroups.size())
        throw Error(
            m_path,
            QStringLiteral("row group %1 does not exist (the file has %2)").arg(rowGroup).arg(m_rowGroups.size()));
    if (column < 0 || static_cast<std::size_t>(column) >= m_columns.size())
        throw Error(m_path,
                    QStringLiteral("column %1 does not exist (the file has %2)").arg(column).arg(m_columns.size()));
    const ParquetColumn &leaf = m_columns[static_cast<std::size_t>(column)];
    const ParquetRowGroup &group = m_rowGroups[static_cast<std::size_t>(rowGroup)];
    const ParquetErrorContext context{
        m_path, QStringLiteral("column '%1', row group %2").arg(printableText(leaf.path)).arg(rowGroup)};
    return readParquetColumnChunk(m_file->data(), m_file->size(), leaf, group.columns[static_cast<std::size_t>(column)],
                                  group.rowCount, context);
}

} // namespace wemoe
