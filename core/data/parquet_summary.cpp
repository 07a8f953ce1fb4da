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

// Each column's codecs and encodings over all row groups, and its levels.
QString describeColumns(const ParquetFile &file)
{
    QString text;
    for (std::size_t c = 0; c < file.columns().size(); ++c) {
        std::set<int> codecs;
        std::set<int> encodings;
        std::int64_t compressed = 0;
        std::int64_t uncompressed = 0;
        for (const ParquetRowGroup &group : file.rowGroups()) {
            const ParquetColumnChunk &chunk = group.columns.at(c);
            codecs.insert(chunk.codec);
            encodings.insert(chunk.encodings.begin(), chunk.encodings.end());
            compressed += chunk.compressedSize;
            uncompressed += chunk.uncompressedSize;
        }
        QStringList codecNames;
        for (const int codec : codecs)
            codecNames << parquetCodecName(codec);
        QStringList encodingNames;
        for (const int encoding : encodings)
            encodingNames << parquetEncodingName(encoding);
        const ParquetColumn &column = file.columns()[c];
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
    std::int64_t totalRows = 0;
    for (const QString &path : source.paths) {
        const ParquetFile file = ParquetFile::open(path);
        totalRows += file.rowCount();
        std::int64_t fewest = 0;
        std::int64_t most = 0;
        for (const ParquetRowGroup &group : file.rowGroups()) {
            fewest = fewest == 0 ? group.rowCount : std::min(fewest, group.rowCount);
            most = std::max(most, group.rowCount);
        }
        text += QStringLiteral("file: %1 (%2)\n")
                    .arg(path, QLocale::c().formattedDataSize(file.fileSize(), 1, QLocale::DataSizeSIFormat));
        text += QStringLiteral("written by: %1, format version %2\n")
                    .arg(file.createdBy().isEmpty() ? QStringLiteral("(not recorded)") : file.createdBy())
                    .arg(file.version());
        text += QStringLiteral("rows: %1 in %2 row group(s) of %3–%4 rows\n")
                    .arg(file.rowCount())
                    .arg(file.rowGroups().size())
                    .arg(fewest)
                    .arg(most);
        text += QStringLiteral("schema:\n") + describeSchema(file);
        text += QStringLiteral("columns:\n") + describeColumns(file);
        if (const auto metadata = file.metadataValue(QStringLiteral("huggingface"))) {
            const HuggingFaceFeatures features = parseHuggingFaceFeatures(*metadata, path);
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
        for (const auto &[key, value] : file.keyValueMetadata()) {
            if (key != QLatin1String("huggingface"))
                otherKeys << key;
        }
        if (!otherKeys.isEmpty())
            text += QStringLiteral("other metadata: %1\n").arg(otherKeys.join(QStringLiteral(", ")));
    }
    if (source.paths.size() > 1)
        text += QStringLiteral("total: %1 rows in %2 files\n").arg(totalRows).arg(source.paths.size());
    return text;
}

} // namespace wemoe
