#include "io/safetensors.h"

#include "common/error.h"
#include "io/atomic_file.h"
#include "io/json_file.h"
#include "io/ordered_json.h"
#include "io/path_component.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSet>

#include <torch/torch.h>

#include <map>

namespace wemoe {

namespace {

const QString kSingleFileName = QStringLiteral("model.safetensors");
const QString kIndexFileName = QStringLiteral("model.safetensors.index.json");

// Reads a Hugging Face index: every shard it names must exist and hold exactly
// the tensors the weight_map assigns to it, and no tensor may appear twice.
SafetensorsContents readIndexedCheckpoint(const QString &indexPath)
{
    const QByteArray text = readRegularFile(indexPath, kMaxJsonFileBytes);
    JsonSyntaxError syntaxError;
    const std::optional<JsonValue> document = parseOrderedJson(text, &syntaxError);
    if (!document)
        throw Error(indexPath,
                    QStringLiteral("not valid JSON: %1 at byte %2").arg(syntaxError.reason).arg(syntaxError.offset));
    const JsonValue *weightMapValue = document->isObject() ? document->member(QStringLiteral("weight_map")) : nullptr;
    if (!weightMapValue || !weightMapValue->isObject())
        throw Error(indexPath,
                    QStringLiteral("not a safetensors index (expected an object with a \"weight_map\" object)"));

    // Read as written, so a tensor listed twice fails (QJsonObject would keep one).
    std::map<QString, QString> weightMap;
    QStringList shards; // in first-mention order, so errors and reads are deterministic
    for (const auto &[name, shard] : weightMapValue->members) {
        if (!shard.isString() || shard.string.isEmpty())
            throw Error(indexPath, QStringLiteral("weight_map entry of tensor '%1' is not a file name").arg(name));
        if (!weightMap.emplace(name, shard.string).second)
            throw Error(indexPath, QStringLiteral("weight_map lists tensor '%1' twice").arg(name));
        if (!shards.contains(shard.string)) {
            // A downloaded index must not make us read files outside its folder.
            requirePathComponent(shard.string, indexPath, QStringLiteral("shard"));
            shards << shard.string;
        }
    }
    if (shards.isEmpty())
        throw Error(indexPath, QStringLiteral("weight_map is empty"));

    const QDir folder = QFileInfo(indexPath).absoluteDir();
    for (const QString &shard : shards) {
        // Only a missing shard is reported here; a FIFO or device in its place
        // is refused by the reader, naming what it is.
        const QFileInfo info(folder.filePath(shard));
        if (!info.exists() && !info.isSymLink())
            throw Error(indexPath, QStringLiteral("shard '%1' named in weight_map does not exist").arg(shard));
    }

    SafetensorsContents contents;
    std::map<std::string, QString> foundIn;
    for (const QString &shard : shards) {
        SafetensorsContents part = readSafetensors(folder.filePath(shard));
        for (auto &[name, tensor] : part.tensors) {
            const QString tensorName = QString::fromStdString(name);
            if (const auto previous = foundIn.find(name); previous != foundIn.end())
                throw Error(indexPath, QStringLiteral("tensor '%1' appears in both shard '%2' and shard '%3'")
                                           .arg(tensorName, previous->second, shard));
            const auto assigned = weightMap.find(tensorName);
            if (assigned == weightMap.end())
                throw Error(indexPath,
                            QStringLiteral("tensor '%1' of shard '%2' is not in weight_map").arg(tensorName, shard));
            if (assigned->second != shard)
                throw Error(indexPath, QStringLiteral("tensor '%1' is in shard '%2', but weight_map names shard '%3'")
                                           .arg(tensorName, shard, assigned->second));
            foundIn.emplace(name, shard);
            contents.tensors.emplace(name, std::move(tensor));
        }
        for (auto &[key, value] : part.metadata)
            contents.metadata[key] = value;
    }
    for (const auto &[name, shard] : weightMap) {
        if (foundIn.count(name.toStdString()) == 0)
            throw Error(
                indexPath,
                QStringLiteral("weight_map puts tensor '%1' in shard '%2', which does not hold it").arg(name, shard));
    }
    return contents;
}

} // namespace

SafetensorsContents readSafetensorsCheckpoint(const QString &pathOrFolder)
{
    const QFileInfo info(pathOrFolder);
    if (!info.exists())
        throw Error(pathOrFolder, QStringLiteral("does not exist"));
    if (info.isDir()) {
        const QDir folder(pathOrFolder);
        if (QFileInfo(folder.filePath(kSingleFileName)).isFile())
            return readSafetensors(folder.filePath(kSingleFileName));
        if (QFileInfo(folder.filePath(kIndexFileName)).isFile())
            return readIndexedCheckpoint(folder.filePath(kIndexFileName));
        // Model folders with pytorch_model.bin go through readModelWeights.
        throw Error(pathOrFolder, QStringLiteral("holds neither %1 nor %2").arg(kSingleFileName, kIndexFileName));
    }
    if (pathOrFolder.endsWith(QLatin1String(".index.json")))
        return readIndexedCheckpoint(pathOrFolder);
    return readSafetensors(pathOrFolder);
}

QStringList writeSafetensorsCheckpoint(const QString &folder, const QString &baseName, const TensorMap &tensors,
                                       const Metadata &metadata, qint64 maxShardBytes, const JobContext &context)
{
    if (!QDir().mkpath(folder))
        throw Error(folder, QStringLiteral("cannot create the folder"));
    const QDir dir(folder);

    // Group tensors in name order; a tensor larger than the limit gets a shard of its own.
    std::vector<TensorMap> shards(1);
    qint64 shardBytes = 0;
    qint64 totalBytes = 0;
    for (const auto &[name, tensor] : tensors) {
        const qint64 bytes = tensor.defined() ? static_cast<qint64>(tensor.numel()) * tensor.element_size() : 0;
        if (maxShardBytes > 0 && !shards.back().empty() && shardBytes + bytes > maxShardBytes) {
            shards.emplace_back();
            shardBytes = 0;
        }
        shards.back().emplace(name, tensor);
        shardBytes += bytes;
        totalBytes += bytes;
    }

    if (shards.size() == 1) {
        const QString fileName = baseName + QStringLiteral(".safetensors");
        writeSafetensors(dir.filePath(fileName), tensors, metadata, context);
        return {fileName};
    }

    const int count = static_cast<int>(shards.size());
    const qint64 totalTensors = static_cast<qint64>(tensors.size());
    QStringList written;
    QJsonObject weightMap;
    try {
        qint64 tensorsBefore = 0;
        for (int i = 0; i < count; ++i) {
            const QString fileName = QStringLiteral("%1-%2-of-%3.safetensors")
                                         .arg(baseName)
                                         .arg(i + 1, 5, 10, QLatin1Char('0'))
                                         .arg(count, 5, 10, QLatin1Char('0'));
            // Progress counts tensors over the whole checkpoint, not per shard.
            JobContext shardContext = context;
            shardContext.onProgress = [&context, tensorsBefore, totalTensors](qint64 done, qint64,
                                                                              const QString &what) {
                context.progress(tensorsBefore + done, totalTensors, what);
            };
            writeSafetensors(dir.filePath(fileName), shards[i], metadata, shardContext);
            written << fileName;
            for (const auto &entry : shards[i])
                weightMap.insert(QString::fromStdString(entry.first), fileName);
            tensorsBefore += static_cast<qint64>(shards[i].size());
        }
        context.throwIfCancelled();
        QJsonObject index;
        index.insert(QStringLiteral("metadata"), QJsonObject{{QStringLiteral("total_size"), totalBytes}});
        index.insert(QStringLiteral("weight_map"), weightMap);
        const QString indexName = baseName + QStringLiteral(".safetensors.index.json");
        writeFileAtomically(dir.filePath(indexName), QJsonDocument(index).toJson(QJsonDocument::Indented));
        written << indexName;
    } catch (...) {
        // No half checkpoint: shards without their index are removed again.
        for (const QString &fileName : written)
            QFile::remove(dir.filePath(fileName));
        throw;
    }
    return written;
}

} // namespace wemoe
