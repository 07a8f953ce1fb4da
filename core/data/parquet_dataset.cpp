#include "data/parquet_dataset.h"

#include "common/error.h"
#include "data/hugging_face_features.h"
#include "data/row_group_cache.h"
#include "parquet/parquet_file.h"

#include <QtCore/QHash>

#include <limits>

namespace wemoe {

namespace {

// Row groups of images held at once per dataset: a batch read in order spans
// one or two, and the shards of `datasets` hold about 100 images per group.
constexpr std::int64_t kCacheBytes = 128LL << 20;

// How the columns of one file are named.
struct Columns
{
    int image = -1;
    int label = -1;
    QString imagePath;
    QStringList classNames;
};

Columns findColumns(const ParquetFile &file)
{
    HuggingFaceFeatures features;
    if (const auto metadata = file.metadataValue(QStringLiteral("huggingface")))
        features = parseHuggingFaceFeatures(*metadata, file.path());
    const QString image = features.imageColumn.isEmpty() ? QStringLiteral("image") : features.imageColumn;
    const QString label = features.labelColumn.isEmpty() ? QStringLiteral("label") : features.labelColumn;

    Columns columns;
    columns.classNames = features.classNames;
    // `datasets` stores an Image as a struct {bytes, path}; plain binary works too.
    for (const QString &path : {image + QStringLiteral(".bytes"), image}) {
        const int index = file.columnIndex(path);
        if (index >= 0) {
            columns.image = index;
            columns.imagePath = path;
            break;
        }
    }
    columns.label = file.columnIndex(label);
    if (columns.image < 0 || columns.label < 0) {
        QStringList missing;
        if (columns.image < 0)
            missing << QStringLiteral("image column '%1' (a struct of bytes and path, or binary)").arg(image);
        if (columns.label < 0)
            missing << QStringLiteral("label column '%1'").arg(label);
        throw Error(file.path(),
                    QStringLiteral("not an image classification dataset: it has no %1; its columns are: "
                                   "%2")
                        .arg(missing.join(QStringLiteral(" and no ")), file.columnPaths().join(QStringLiteral(", "))));
    }
    const int imageType = file.columns().at(static_cast<std::size_t>(columns.image)).type;
    if (imageType != static_cast<int>(ParquetType::ByteArray))
        throw Error(file.path(), QStringLiteral("the image column '%1' holds %2 values, not encoded image bytes")
                                     .arg(columns.imagePath, parquetTypeName(imageType)));
    const int labelType = file.columns().at(static_cast<std::size_t>(columns.label)).type;
    if (labelType != static_cast<int>(ParquetType::Int32) && labelType != static_cast<int>(ParquetType::Int64))
        throw Error(file.path(), QStringLiteral("the label column '%1' holds %2 values, not integers")
                                     .arg(label, parquetTypeName(labelType)));
    return columns;
}

QString spaced(QString name)
{
    return name.replace(QLatin1Char('_'), QLatin1Char(' '));
}

// For each of the files' labels, the head's label of the same class name ("sea
// lake" and "sea_lake" are the same class, as for image folders).
std::vector<int> labelsByName(const QStringList &fileClasses, const QStringList &headClasses, const QString &file)
{
    QHash<QString, int> head;
    for (int i = 0; i < headClasses.size(); ++i)
        head.insert(spaced(headClasses[i]), i);
    std::vector<int> mapping;
    QString missing;
    for (const QString &name : fileClasses) {
        const int index = head.value(spaced(name), -1);
        if (index < 0 && missing.isEmpty())
            missing = name;
        mapping.push_back(index);
    }
    if (!missing.isEmpty() || fileClasses.size() != headClasses.size()) {
        QString problem = QStringLiteral("the file's classes are not the head's: %1 classes in the file, %2 in the "
                                         "head")
                              .arg(fileClasses.size())
                              .arg(headClasses.size());
        if (!missing.isEmpty())
            problem += QStringLiteral("; the head has no class '%1'").arg(missing);
        throw Error(file, problem);
    }
    return mapping;
}

} // namespace

struct ParquetDataset::Shard
{
    ParquetFile file;
    int imageColumn = -1;
    std::vector<std::int64_t> firstRowOfGroup;
};

ParquetDataset::ParquetDataset()
    : m_cache(std::make_unique<RowGroupCache>(kCacheBytes))
{
}

ParquetDataset::~ParquetDataset() = default;

QStringList ParquetDataset::classNamesOf(const DataSource &source)
{
    if (source.paths.isEmpty())
        return {};
    return findColumns(ParquetFile::open(source.paths.first())).classNames;
}

std::shared_ptr<const ParquetDataset> ParquetDataset::open(const DataSource &source, const QStringList &classNames)
{
    if (source.paths.isEmpty())
        throw Error(QStringLiteral("no Parquet files to open"));
    std::shared_ptr<ParquetDataset> dataset(new ParquetDataset);
    dataset->m_source = source;

    // The footers first: the columns, and the class names every file must share.
    std::vector<Columns> columns;
    for (const QString &path : source.paths) {
        Shard shard;
        shard.file = ParquetFile::open(path);
        columns.push_back(findColumns(shard.file));
        shard.imageColumn = columns.back().image;
        if (columns.back().classNames != columns.front().classNames)
            throw Error(path, QStringLiteral("its class names (%1) differ from those of %2 (%3)")
                                  .arg(columns.back().classNames.size())
                                  .arg(source.paths.first())
                                  .arg(columns.front().classNames.size()));
        dataset->m_files.push_back(std::move(shard));
    }
    dataset->m_imageColumnPath = columns.front().imagePath;
    const QStringList fileClasses = columns.front().classNames;
    if (fileClasses.isEmpty() && classNames.isEmpty())
        throw Error(source.paths.first(), QStringLiteral("its metadata names no classes (no Hugging Face ClassLabel "
                                                         "feature): give the class names (a list of classes)"));
    dataset->m_classNames = classNames.isEmpty() ? fileClasses : classNames;
    std::vector<int> toHeadLabel;
    if (!fileClasses.isEmpty() && !classNames.isEmpty())
        toHeadLabel = labelsByName(fileClasses, classNames, source.paths.first());
    const auto classCount = static_cast<std::int64_t>(fileClasses.isEmpty() ? classNames.size() : fileClasses.size());

    // Then the labels, a row group at a time.
    for (std::size_t f = 0; f < dataset->m_files.size(); ++f) {
        Shard &shard = dataset->m_files[f];
        const ParquetFile &file = shard.file;
        std::int64_t row = 0;
        for (int group = 0; group < static_cast<int>(file.rowGroups().size()); ++group) {
            shard.firstRowOfGroup.push_back(row);
            const ParquetColumnValues labels = file.readColumn(group, columns[f].label);
            for (std::int64_t i = 0; i < labels.size(); ++i, ++row) {
                if (!labels.present[static_cast<std::size_t>(i)])
                    throw Error(file.path(), QStringLiteral("row %1: the label is null").arg(row));
                const std::int64_t label = labels.integers[static_cast<std::size_t>(i)];
                if (label < 0 || label >= classCount)
                    throw Error(file.path(), QStringLiteral("row %1: label %2 is outside the %3 class names")
                                                 .arg(row)
                                                 .arg(label)
                                                 .arg(classCount));
                if (dataset->m_rows.size() >= static_cast<std::size_t>(std::numeric_limits<int>::max()))
                    throw Error(file.path(),
                                QStringLiteral("more than %1 rows in all").arg(std::numeric_limits<int>::max()));
                dataset->m_rows.push_back(
                    RowAddress{static_cast<std::int32_t>(f), group, static_cast<std::int32_t>(i)});
                dataset->m_labels.push_back(toHeadLabel.empty() ? static_cast<int>(label)
                                                                : toHeadLabel[static_cast<std::size_t>(label)]);
            }
        }
    }
    if (dataset->m_rows.empty())
        throw Error(source.describe(), QStringLiteral("no rows (no images)"));
    return dataset;
}

int ParquetDataset::imageColumnOf(const ParquetFile &file)
{
    return findColumns(file).image;
}

int ParquetDataset::fileCount() const
{
    return static_cast<int>(m_files.size());
}

const ParquetFile &ParquetDataset::file(int index) const
{
    return m_files.at(static_cast<std::size_t>(index)).file;
}

QString ParquetDataset::sampleName(int index) const
{
    const RowAddress &at = m_rows.at(static_cast<std::size_t>(index));
    const Shard &shard = m_files[static_cast<std::size_t>(at.file)];
    return QStringLiteral("%1, row %2")
        .arg(shard.file.path())
        .arg(shard.firstRowOfGroup[static_cast<std::size_t>(at.rowGroup)] + at.row);
}

QByteArray ParquetDataset::encodedImage(int index) const
{
    const RowAddress &at = m_rows.at(static_cast<std::size_t>(index));
    const Shard &shard = m_files[static_cast<std::size_t>(at.file)];
    const std::uint64_t key = (static_cast<std::uint64_t>(at.file) << 32) | static_cast<std::uint32_t>(at.rowGroup);
    const auto images = m_cache->get(key, [&] { return shard.file.readColumn(at.rowGroup, shard.imageColumn); });
    const auto row = static_cast<std::size_t>(at.row);
    if (row >= images->bytes.size() || !images->present[row])
        throw Error(sampleName(index), QStringLiteral("the image is null"));
    return images->bytes[row];
}

} // namespace wemoe
