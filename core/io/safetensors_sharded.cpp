#include "io/safetensors.h"

#include "common/error.h"
#include "io/atomic_file.h"
#include "io/json_object_keys.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSet>

#include <torch/torch.h>

namespace wemoe {

namespace {

const QString kSingleFileName = QStringLiteral("model.safetensors");
const QString kIndexFileName = QStringLiteral("model.safetensors.index.json");

// Reads a Hugging Face index: every shard it names must exist and hold exactly
// the tensors the weight_map assigns to it, and no tensor may appear twice.
SafetensorsContents readIndexedCheckpoint(const QString &indexPath)
{
    QFile file(indexPath);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(indexPath, QStringLiteral("cannot open: %1").arg(file.errorString()));
    const QByteArray text = file.readAll();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        throw Error(indexPath, QStringLiteral("not valid JSON: %1 at byte %2")
                                   .arg(parseError.errorString())
                                   .arg(parseError.offset));
    if (!document.isObject() || !document.object().value(QLatin1String("weight_map")).isObject())
        throw Error(indexPath, QStringLiteral("not a safetensors index (expected an object with a \"weight_map\" object)"));
    const QJsonObject weightMap = document.object().value(QLatin1String("weight_map")).toObject();

    // QJsonObject keeps one of duplicate keys; a tensor listed twice must still fail.
    QSet<QString> listed;
    for (const QString &name : jsonObjectKeysInOrder(text, QStringLiteral("weight_map"))) {
        if (listed.contains(name))
            throw Error(indexPath, QStringLiteral("weight_map lists tensor '%1' twice").arg(name));
        listed.insert(name);
    }

    QStringList shards; // in first-mention order, so errors and reads are deterministic
    for (auto it = weightMap.begin(); it != weightMap.end(); ++it) {
        if (!it.value().isString() || it.value().toString().isEmpty())
            throw Error(indexPath, QStringLiteral("weight_map entry of tensor '%1' is not a file name").arg(it.key()));
        if (!shards.contains(it.value().toString()))
            shards << it.value().toString();
    }
    if (shards.isEmpty())
        throw Error(indexPath, QStringLiteral("weight_map is empty"));

    const QDir folder = QFileInfo(indexPath).absoluteDir();
    for (const QString &shard : shards) {
        if (!QFileInfo(folder.filePath(shard)).isFile())
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
            const QJsonValue assigned = weightMap.value(tensorName);
            if (assigned.isUndefined())
                throw Error(indexPath, QStringLiteral("tensor '%1' of shard '%2' is not in weight_map")
                                           .arg(tensorName, shard));
            if (assigned.toString() != shard)
                throw Error(indexPath, QStringLiteral("tensor '%1' is in shard '%2', but weight_map names shard '%3'")
                                           .arg(tensorName, shard, assigned.toString()));
            foundIn.emplace(name, shard);
            contents.tensors.emplace(name, std::move(tensor));
        }
        for (auto &[key, value] : part.metadata)
            contents.metadata[key] = value;
    }
    for (auto it = weightMap.begin(); it != weightMap.end(); ++it) {
        if (foundIn.count(it.key().toStdString()) == 0)
            throw Error(indexPath, QStringLiteral("weight_map puts tensor '%1' in shard '%2', which does not hold it")
                                       .arg(it.key(), it.value().toString()));
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
        QString hint;
        if (QFileInfo(folder.filePath(QStringLiteral("pytorch_model.bin"))).exists())
            hint = QStringLiteral(" (pytorch_model.bin is not read; convert the model to safetensors)");
        throw Error(pathOrFolder, QStringLiteral("holds neither %1 nor %2%3").arg(kSingleFileName, kIndexFileName, hint));
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
            shardContext.onProgress = [&context, tensorsBefore, totalTensors](qint64 done, qint64, const QString &what) {
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
