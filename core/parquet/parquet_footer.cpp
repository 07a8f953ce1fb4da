#include "parquet/parquet_footer.h"

#include "common/printable_text.h"
#include "parquet/thrift_compact_reader.h"

#include <QtCore/QSet>
#include <QtCore/QStringDecoder>
#include <QtCore/QStringList>

#include <optional>

namespace wemoe {

namespace {

constexpr int kRequired = 0;
constexpr int kRepeated = 2;

// The members of parquet.thrift's LogicalType union, by field id.
QString logicalTypeName(int id)
{
    switch (id) {
    case 1: return QStringLiteral("STRING");
    case 2: return QStringLiteral("MAP");
    case 3: return QStringLiteral("LIST");
    case 4: return QStringLiteral("ENUM");
    case 5: return QStringLiteral("DECIMAL");
    case 6: return QStringLiteral("DATE");
    case 7: return QStringLiteral("TIME");
    case 8: return QStringLiteral("TIMESTAMP");
    case 10: return QStringLiteral("INTEGER");
    case 11: return QStringLiteral("UNKNOWN");
    case 12: return QStringLiteral("JSON");
    case 13: return QStringLiteral("BSON");
    case 14: return QStringLiteral("UUID");
    case 15: return QStringLiteral("FLOAT16");
    case 16: return QStringLiteral("VARIANT");
    case 17: return QStringLiteral("GEOMETRY");
    case 18: return QStringLiteral("GEOGRAPHY");
    case 19: return QStringLiteral("FILE");
    default: return QStringLiteral("logical type %1").arg(id);
    }
}

// A SchemaElement as read, before the tree is checked.
struct RawSchemaElement
{
    ParquetSchemaElement element;
    std::optional<int> repetition;
    std::optional<int> childCount;
};

// What a chunk says about itself that is checked against the schema.
struct ChunkMetadata
{
    int type = 0;
    QStringList path;
};

class FooterReader
{
public:
    FooterReader(const uchar *data, qint64 size, qint64 footerOffset, const QString &file)
        : m_thrift(data, size, ParquetErrorContext{file, QStringLiteral("footer")})
        , m_context{file, QStringLiteral("footer")}
        , m_footerOffset(footerOffset)
    {
    }

    ParquetFooter read()
    {
        ParquetFooter footer;
        std::vector<RawSchemaElement> rawSchema;
        bool encrypted = false;
        const std::uint64_t seen = m_thrift.readStruct([&](const ThriftField &field) {
            switch (field.id) {
            case 1: footer.version = m_thrift.readI32(field.type); return true;
            case 2:
                m_thrift.readList(field.type, ThriftType::Struct,
                                  [&](std::int64_t) { rawSchema.push_back(schemaElement()); });
                return true;
            case 3: footer.rowCount = m_thrift.readI64(field.type); return true;
            case 4:
                m_thrift.readList(field.type, ThriftType::Struct,
                                  [&](std::int64_t) { footer.rowGroups.push_back(rowGroup()); });
                return true;
            case 5:
                m_thrift.readList(field.type, ThriftType::Struct,
                                  [&](std::int64_t) { footer.keyValueMetadata.push_back(keyValue()); });
                return true;
            case 6: footer.createdBy = QString::fromUtf8(m_thrift.readBinary(field.type)); return true;
            case 8: encrypted = true; return false;
            default: return false;
            }
        });
        m_thrift.requireFields(seen, {1, 2, 3, 4}, "FileMetaData");
        if (encrypted)
            fail(QStringLiteral("the file's columns are encrypted, which is not supported"));
        if (footer.rowCount < 0)
            fail(QStringLiteral("the file counts %1 rows").arg(footer.rowCount));
        checkSchema(rawSchema, &footer);
        checkRowGroups(footer);
        return footer;
    }

private:
    [[noreturn]] void fail(const QString &problem) const { m_context.fail(problem); }

    // Names and paths must be text: they become column paths callers look up.
    QString strictText(const QByteArray &bytes, const char *what)
    {
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        QString text = decoder(bytes);
        if (decoder.hasError())
            m_thrift.fail(QStringLiteral("a %1 is not valid UTF-8").arg(QLatin1String(what)));
        return text;
    }

    RawSchemaElement schemaElement()
    {
        RawSchemaElement raw;
        ParquetSchemaElement &element = raw.element;
        const std::uint64_t seen = m_thrift.readStruct([&](const ThriftField &field) {
            switch (field.id) {
            case 1: element.type = m_thrift.readI32(field.type); return true;
            case 3: raw.repetition = m_thrift.readI32(field.type); return true;
            case 4: element.name = strictText(m_thrift.readBinary(field.type), "schema name"); return true;
            case 5: raw.childCount = m_thrift.readI32(field.type); return true;
            case 6: element.convertedType = m_thrift.readI32(field.type); return true;
            case 10: element.logicalType = logicalType(field.type); return true;
            default: return false; // type_length, scale, precision, field_id
            }
        });
        m_thrift.requireFields(seen, {4}, "SchemaElement");
        return raw;
    }

    // The LogicalType union: its one member's name; the member's own fields
    // (bit widths, units) are not needed.
    QString logicalType(ThriftType type)
    {
        if (type != ThriftType::Struct)
            m_thrift.fail(
                QStringLiteral("a logicalType is a %1, not a struct").arg(QLatin1String(thriftTypeName(type))));
        int members = 0;
        QString name;
        m_thrift.readStruct([&](const ThriftField &field) {
            ++members;
            name = logicalTypeName(field.id);
            return false;
        });
        if (members > 1)
            m_thrift.fail(QStringLiteral("a LogicalType union sets %1 members").arg(members));
        return name;
    }

    std::pair<QString, QString> keyValue()
    {
        std::pair<QString, QString> entry;
        const std::uint64_t seen = m_thrift.readStruct([&](const ThriftField &field) {
            switch (field.id) {
            case 1: entry.first = QString::fromUtf8(m_thrift.readBinary(field.type)); return true;
            case 2: entry.second = QString::fromUtf8(m_thrift.readBinary(field.type)); return true;
            default: return false;
            }
        });
        m_thrift.requireFields(seen, {1}, "KeyValue");
        return entry;
    }

    ParquetRowGroup rowGroup()
    {
        ParquetRowGroup group;
        const std::uint64_t seen = m_thrift.readStruct([&](const ThriftField &field) {
            switch (field.id) {
            case 1:
                m_thrift.readList(field.type, ThriftType::Struct,
                                  [&](std::int64_t) { group.columns.push_back(columnChunk()); });
                return true;
            case 2: group.totalByteSize = m_thrift.readI64(field.type); return true;
            case 3: group.rowCount = m_thrift.readI64(field.type); return true;
            default: return false;
            }
        });
        m_thrift.requireFields(seen, {1, 2, 3}, "RowGroup");
        m_chunkMetadata.resize(m_chunkMetadata.size() + 1);
        std::swap(m_chunkMetadata.back(), m_pendingChunks);
        return group;
    }

    ParquetColumnChunk columnChunk()
    {
        ParquetColumnChunk chunk;
        QByteArray filePath;
        std::optional<ChunkMetadata> metadata;
        const std::uint64_t seen = m_thrift.readStruct([&](const ThriftField &field) {
            switch (field.id) {
            case 1: filePath = m_thrift.readBinary(field.type); return true;
            case 2: m_thrift.readI64(field.type); return true; // file_offset: where the writer put a copy
            case 3:
                if (field.type != ThriftType::Struct)
                    m_thrift.fail(QStringLiteral("a ColumnChunk's meta_data is a %1, not a struct")
                                      .arg(QLatin1String(thriftTypeName(field.type))));
                metadata = columnMetadata(&chunk);
                return true;
            default: return false;
            }
        });
        m_thrift.requireFields(seen, {2}, "ColumnChunk");
        if (!filePath.isEmpty())
            fail(QStringLiteral("a column chunk is stored in another file ('%1'), which is not supported")
                     .arg(printableText(QString::fromUtf8(filePath))));
        if (!metadata)
            fail(QStringLiteral("a column chunk has no meta_data"));
        m_pendingChunks.push_back(std::move(*metadata));
        return chunk;
    }

    ChunkMetadata columnMetadata(ParquetColumnChunk *chunk)
    {
        ChunkMetadata metadata;
        const std::uint64_t seen = m_thrift.readStruct([&](const ThriftField &field) {
            switch (field.id) {
            case 1: metadata.type = m_thrift.readI32(field.type); return true;
            case 2:
                m_thrift.readList(field.type, ThriftType::I32,
                                  [&](std::int64_t) { chunk->encodings.push_back(m_thrift.readI32(ThriftType::I32)); });
                return true;
            case 3:
                m_thrift.readList(field.type, ThriftType::Binary, [&](std::int64_t) {
                    metadata.path << strictText(m_thrift.readBinary(ThriftType::Binary), "path_in_schema entry");
                });
                return true;
            case 4: chunk->codec = m_thrift.readI32(field.type); return true;
            case 5: chunk->valueCount = m_thrift.readI64(field.type); return true;
            case 6: chunk->uncompressedSize = m_thrift.readI64(field.type); return true;
            case 7: chunk->compressedSize = m_thrift.readI64(field.type); return true;
            case 9: chunk->dataPageOffset = m_thrift.readI64(field.type); return true;
            case 11: chunk->dictionaryPageOffset = m_thrift.readI64(field.type); return true;
            default: return false; // key_value_metadata, index page, statistics, bloom filter, ...
            }
        });
        m_thrift.requireFields(seen, {1, 2, 3, 4, 5, 6, 7, 9}, "ColumnMetaData");
        return metadata;
    }

    // Walks the depth-first element list as a tree: each group is followed
    // by its children's subtrees, and the root's subtree is the whole list.
    void checkSchema(const std::vector<RawSchemaElement> &raw, ParquetFooter *footer)
    {
        if (raw.empty())
            fail(QStringLiteral("the schema is empty"));
        const RawSchemaElement &root = raw.front();
        if (root.element.type || !root.childCount || *root.childCount < 0)
            fail(QStringLiteral("the schema's root '%1' is not a group").arg(printableText(root.element.name)));

        struct Group
        {
            int childrenLeft;
            int definitionLevel;
            int repetitionLevel;
            QStringList path;
        };
        std::vector<Group> open{{*root.childCount, 0, 0, {}}};
        ParquetSchemaElement rootElement = root.element;
        rootElement.childCount = *root.childCount;
        footer->schema.push_back(rootElement);
        QSet<QString> paths;
        std::size_t index = 1;
        while (!open.empty()) {
            if (open.back().childrenLeft == 0) {
                open.pop_back();
                continue;
            }
            if (index >= raw.size()) {
                // The root's path is empty: name it by its own name.
                const QString group = open.size() == 1 ? root.element.name : open.back().path.join(QLatin1Char('.'));
                fail(
                    QStringLiteral("the schema ends before group '%1' has all its children").arg(printableText(group)));
            }
            --open.back().childrenLeft;
            const RawSchemaElement &current = raw[index];
            const QString name = printableText(current.element.name);
            if (!current.repetition || *current.repetition < kRequired || *current.repetition > kRepeated)
                fail(QStringLiteral("schema element '%1' has no valid repetition type").arg(name));
            const Group &parent = open.back();
            Group group{0, parent.definitionLevel + (*current.repetition != kRequired ? 1 : 0),
                        parent.repetitionLevel + (*current.repetition == kRepeated ? 1 : 0),
                        parent.path + QStringList{current.element.name}};

            ParquetSchemaElement element = current.element;
            element.depth = static_cast<int>(open.size());
            element.repetition = *current.repetition;
            const int children = current.childCount.value_or(0);
            if (children < 0)
                fail(QStringLiteral("schema element '%1' has %2 children").arg(name).arg(children));
            element.childCount = children;
            footer->schema.push_back(element);
            ++index;

            if (children > 0) {
                if (element.type)
                    fail(QStringLiteral("schema element '%1' has both a type and children").arg(name));
                if (element.depth >= kMaxParquetSchemaDepth)
                    fail(QStringLiteral("the schema nests deeper than %1 levels").arg(kMaxParquetSchemaDepth));
                group.childrenLeft = children;
                open.push_back(std::move(group));
                continue;
            }
            if (!element.type)
                fail(QStringLiteral("schema element '%1' has neither a type nor children").arg(name));
            ParquetColumn column;
            column.path = group.path.join(QLatin1Char('.'));
            column.type = *element.type;
            column.maxDefinitionLevel = group.definitionLevel;
            column.maxRepetitionLevel = group.repetitionLevel;
            if (paths.contains(column.path))
                fail(QStringLiteral("two columns have the path '%1'").arg(printableText(column.path)));
            paths.insert(column.path);
            m_leafPaths.push_back(group.path);
            footer->columns.push_back(column);
        }
        if (index != raw.size())
            fail(QStringLiteral("the schema has %1 elements after its root's subtree ends").arg(raw.size() - index));
    }

    void checkRowGroups(const ParquetFooter &footer) const
    {
        std::int64_t rows = 0;
        for (std::size_t g = 0; g < footer.rowGroups.size(); ++g) {
            const ParquetRowGroup &group = footer.rowGroups[g];
            const auto where = [g](const QString &problem) {
                return QStringLiteral("row group %1 %2").arg(g).arg(problem);
            };
            if (group.rowCount < 0 || group.totalByteSize < 0)
                fail(where(QStringLiteral("counts %1 rows of %2 bytes").arg(group.rowCount).arg(group.totalByteSize)));
            if (__builtin_add_overflow(rows, group.rowCount, &rows))
                fail(where(QStringLiteral("overflows the file's row count")));
            if (group.columns.size() != footer.columns.size())
                fail(where(QStringLiteral("has %1 column chunks for %2 columns")
                               .arg(group.columns.size())
                               .arg(footer.columns.size())));
            for (std::size_t c = 0; c < group.columns.size(); ++c)
                checkChunk(group.columns[c], m_chunkMetadata[g][c], footer.columns[c], c, where);
        }
        if (rows != footer.rowCount)
            fail(QStringLiteral("the row groups hold %1 rows, but the file counts %2").arg(rows).arg(footer.rowCount));
    }

    template<typename Where>
    void checkChunk(const ParquetColumnChunk &chunk, const ChunkMetadata &metadata, const ParquetColumn &column,
                    std::size_t index, const Where &where) const
    {
        const QString name = printableText(column.path);
        if (metadata.path != m_leafPaths[index])
            fail(where(QStringLiteral("has chunk %1 for path '%2' where column '%3' belongs")
                           .arg(index)
                           .arg(printableText(metadata.path.join(QLatin1Char('.'))), name)));
        if (metadata.type != column.type)
            fail(where(QStringLiteral("stores column '%1' as %2, but the schema says %3")
                           .arg(name, parquetTypeName(metadata.type), parquetTypeName(column.type))));
        if (chunk.valueCount < 0 || chunk.compressedSize < 0 || chunk.uncompressedSize < 0)
            fail(where(QStringLiteral("gives column '%1' negative counts").arg(name)));
        // Pages lie after the leading "PAR1" and end before the footer.
        const std::int64_t start = parquetChunkStart(chunk);
        if (start < 4 || start > m_footerOffset || chunk.compressedSize > m_footerOffset - start)
            fail(where(QStringLiteral("places column '%1' at bytes [%2, +%3), outside the data before the footer "
                                      "at %4")
                           .arg(name)
                           .arg(start)
                           .arg(chunk.compressedSize)
                           .arg(m_footerOffset)));
    }

    ThriftCompactReader m_thrift;
    ParquetErrorContext m_context;
    qint64 m_footerOffset;
    std::vector<QStringList> m_leafPaths;                    // per column, its schema path
    std::vector<std::vector<ChunkMetadata>> m_chunkMetadata; // per row group, per chunk
    std::vector<ChunkMetadata> m_pendingChunks;              // the row group being read
};

} // namespace

std::int64_t parquetChunkStart(const ParquetColumnChunk &chunk)
{
    if (chunk.dictionaryPageOffset && *chunk.dictionaryPageOffset > 0
        && *chunk.dictionaryPageOffset < chunk.dataPageOffset)
        return *chunk.dictionaryPageOffset;
    return chunk.dataPageOffset;
}

ParquetFooter readParquetFooter(const uchar *data, qint64 size, qint64 footerOffset, const QString &file)
{
    return FooterReader(data, size, footerOffset, file).read();
}

} // namespace wemoe
