#include "data/parquet_summary.h"

#include "data/hugging_face_features.h"
#include "parquet/parquet_file.h"

#include <QtCore/QLocale>

#include <algorithm>
#include <set>

namespace wemoe {

namespace {

QString repetitionName(int repetition)
{
    switch (repetition) {
    case 0: return QStringLiteral("required");
    case 1: return QStringLiteral("optional");
    case 2: return QStringLiteral("repeated");
    default: return QStringLiteral("repetition %1").arg(repetition);
    }
}

QString describeSchema(const ParquetFile &file)
{
    QString text;
    for (std::size_t i = 1; i < file.schema().size(); ++i) { // 0 is the root
        const ParquetSchemaElement &element = file.schema()[i];
        text += QString(2 * element.depth, QLatin1Char(' ')) + repetitionName(element.repetition) + QLatin1Char(' ');
        if (element.childCount > 0)
            text += QStringLiteral("group %1\n").arg(element.name);
        else
            text += QStringLiteral("%1 %2%3\n")
                        .arg(element.type ? parquetTypeName(*element.type) : QStringLiteral("(no type)"), element.name,
                             element.logicalType.isEmpty() ? QString()
                                                           : QStringLiteral(" (%1)").arg(element.logicalType));
    }
    return text;
}

// Each column's codecs and encodings over every row group of every file, and its levels.
QString describeColumns(const std::vector<ParquetFile> &files)
{
    QString text;
    const ParquetFile &first = files.front();
    for (std::size_t c = 0; c < first.columns().size(); ++c) {
        std::set<int> codecs;
        std::set<int> encodings;
        std::int64_t compressed = 0;
        std::int64_t uncompressed = 0;
        for (const ParquetFile &file : files) {
            if (file.columns().size() != first.columns().size())
                continue; // another schema: its rows are not this column's
            for (const ParquetRowGroup &group : file.rowGroups()) {
                const ParquetColumnChunk &chunk = group.columns.at(c);
                codecs.insert(chunk.codec);
                encodings.insert(chunk.encodings.begin(), chunk.encodings.end());
                compressed += chunk.compressedSize;
                uncompressed += chunk.uncompressedSize;
            }
        }
        QStringList codecNames;
        for (const int codec : codecs)
            codecNames << parquetCodecName(codec);
        QStringList encodingNames;
        for (const int encoding : encodings)
            encodingNames << parquetEncodingName(encoding);
        const ParquetColumn &column = first.columns()[c];
        text += QStringLiteral("  %1: %2, levels def %3 rep %4, %5, %6; %7 (%8 uncompressed)\n")
                    .arg(column.path, parquetTypeName(column.type))
                    .arg(column.maxDefinitionLevel)
                    .arg(column.maxRepetitionLevel)
                    .arg(codecNames.join(QLatin1Char('+')), encodingNames.join(QLatin1Char('+')),
                         QLocale::c().formattedDataSize(compressed, 1, QLocale::DataSizeSIFormat),
                         QLocale::c().formattedDataSize(uncompressed, 1, QLocale::DataSizeSIFormat));
    }
    return text;
}

} // namespace

QString describeParquetFiles(const DataSource &source)
{
    QString text;
    if (!source.hubName.isEmpty())
        text += QStringLiteral("dataset: %1 (Hugging Face cache)\n").arg(source.hubName);
    // One line per file; the schema, columns and features once, from the first
    // (the columns' codecs and sizes summed over all).
    std::vector<ParquetFile> files;
    std::int64_t totalRows = 0;
    for (const QString &path : source.paths) {
        files.push_back(ParquetFile::open(path));
        const ParquetFile &file = files.back();
        totalRows += file.rowCount();
        std::int64_t fewest = 0;
        std::int64_t most = 0;
        for (const ParquetRowGroup &group : file.rowGroups()) {
            fewest = fewest == 0 ? group.rowCount : std::min(fewest, group.rowCount);
            most = std::max(most, group.rowCount);
        }
        text += QStringLiteral("file: %1 (%2): %3 rows in %4 row group(s) of %5–%6 rows\n")
                    .arg(path, QLocale::c().formattedDataSize(file.fileSize(), 1, QLocale::DataSizeSIFormat))
                    .arg(file.rowCount())
                    .arg(file.rowGroups().size())
                    .arg(fewest)
                    .arg(most);
    }
    if (files.empty())
        return text;
    if (files.size() > 1)
        text += QStringLiteral("total: %1 rows in %2 files\n").arg(totalRows).arg(files.size());
    const ParquetFile &first = files.front();
    text += QStringLiteral("written by: %1, format version %2\n")
                .arg(first.createdBy().isEmpty() ? QStringLiteral("(not recorded)") : first.createdBy())
                .arg(first.version());
    text += QStringLiteral("schema:\n") + describeSchema(first);
    text += QStringLiteral("columns:\n") + describeColumns(files);
    if (const auto metadata = first.metadataValue(QStringLiteral("huggingface"))) {
        const HuggingFaceFeatures features = parseHuggingFaceFeatures(*metadata, first.path());
        text += QStringLiteral("image column: %1\nlabel column: %2\n")
                    .arg(features.imageColumn.isEmpty() ? QStringLiteral("(none)") : features.imageColumn,
                         features.labelColumn.isEmpty() ? QStringLiteral("(none)") : features.labelColumn);
        text += QStringLiteral("classes: %1%2\n")
                    .arg(features.classNames.size())
                    .arg(features.classNames.isEmpty()
                             ? QString()
                             : QStringLiteral(" (%1)").arg(features.classNames.join(QStringLiteral(", "))));
    } else {
        text += QStringLiteral("classes: not recorded (no \"huggingface\" metadata)\n");
    }
    QStringList otherKeys;
    for (const auto &[key, value] : first.keyValueMetadata()) {
        if (key != QLatin1String("huggingface"))
            otherKeys << key;
    }
    if (!otherKeys.isEmpty())
        text += QStringLiteral("other metadata: %1\n").arg(otherKeys.join(QStringLiteral(", ")));
    return text;
}

} // namespace wemoe
