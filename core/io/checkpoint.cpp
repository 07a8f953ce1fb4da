#include "io/checkpoint.h"

#include "common/error.h"
#include "io/json_file.h"
#include "io/model_weights.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>

#include <torch/torch.h>

namespace wemoe {

namespace {

const std::string kVisionPrefix = "vision_model.";
const std::string kProjectionName = "visual_projection.weight";
const std::string kPositionIdsName = "embeddings.position_ids";

bool startsWith(const std::string &text, const std::string &prefix)
{
    return text.compare(0, prefix.size(), prefix) == 0;
}

// Canonical vision names without a prefix: the children of CLIPVisionTransformer.
bool looksLikeUnprefixedVisionName(const std::string &name)
{
    for (const char *root : {"embeddings.", "encoder.", "pre_layrnorm.", "post_layernorm."}) {
        if (startsWith(name, root))
            return true;
    }
    return false;
}

QString shapeText(c10::IntArrayRef shape)
{
    QStringList parts;
    for (const int64_t d : shape)
        parts << QString::number(d);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

QJsonObject readConfigJson(const QString &configPath)
{
    if (!QFileInfo::exists(configPath) && !QFileInfo(configPath).isSymLink())
        throw Error(configPath, QCoreApplication::translate(
                                    "wemoe::Error",
                                    "not found (a Hugging Face model folder holds config.json beside its weights)"));
    return readJsonObjectFile(configPath);
}

} // namespace

std::map<std::string, std::vector<int64_t>> expectedVisionShapes(const ClipVisionConfig &config)
{
    const int64_t d = config.hiddenSize;
    const int64_t mlp = config.intermediateSize;
    std::map<std::string, std::vector<int64_t>> shapes{
        {"embeddings.class_embedding", {d}},
        // A convolution without bias: [D, C, p, p].
        {"embeddings.patch_embedding.weight", {d, config.numChannels, config.patchSize, config.patchSize}},
        {"embeddings.position_embedding.weight", {config.numPositions(), d}},
        {"pre_layrnorm.weight", {d}}, // sic, as Hugging Face spells it
        {"pre_layrnorm.bias", {d}},
        {"post_layernorm.weight", {d}},
        {"post_layernorm.bias", {d}},
    };
    for (int layer = 0; layer < config.numHiddenLayers; ++layer) {
        const std::string block = "encoder.layers." + std::to_string(layer) + ".";
        for (const char *projection : {"q_proj", "k_proj", "v_proj", "out_proj"}) {
            shapes[block + "self_attn." + projection + ".weight"] = {d, d};
            shapes[block + "self_attn." + projection + ".bias"] = {d};
        }
        for (const char *norm : {"layer_norm1", "layer_norm2"}) {
            shapes[block + norm + ".weight"] = {d};
            shapes[block + norm + ".bias"] = {d};
        }
        shapes[block + "mlp.fc1.weight"] = {mlp, d};
        shapes[block + "mlp.fc1.bias"] = {mlp};
        shapes[block + "mlp.fc2.weight"] = {d, mlp};
        shapes[block + "mlp.fc2.bias"] = {d};
    }
    if (config.projectionDim > 0)
        shapes[kProjectionName] = {config.projectionDim, d};
    return shapes;
}

Checkpoint Checkpoint::load(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        throw Error(path, QCoreApplication::translate("wemoe::Error", "does not exist"));
    const QDir folder = info.isDir() ? QDir(info.absoluteFilePath()) : info.absoluteDir();
    if (!info.isDir() && !isModelWeightsFileName(path))
        throw Error(path,
                    QCoreApplication::translate("wemoe::Error", "is neither a model folder nor a weights file (%1)")
                        .arg(modelWeightsFileKinds()));

    Checkpoint checkpoint;
    checkpoint.path = path;
    const QString configPath = folder.filePath(QStringLiteral("config.json"));
    checkpoint.configJson = readConfigJson(configPath);
    checkpoint.config = ClipVisionConfig::fromJson(checkpoint.configJson, configPath);
    WeightsContents contents = readModelWeights(path);
    // Tensor problems name the weights file itself, not just the folder.
    const QString weightsPath = contents.path;
    checkpoint.metadata = std::move(contents.metadata);

    bool prefixed = false;
    for (const auto &entry : contents.tensors)
        prefixed = prefixed || startsWith(entry.first, kVisionPrefix);
    checkpoint.keyPrefix = prefixed ? QString::fromStdString(kVisionPrefix) : QString();

    for (auto &[key, tensor] : contents.tensors) {
        std::string canonical;
        if (key == kProjectionName) {
            canonical = key;
        } else if (prefixed && startsWith(key, kVisionPrefix)) {
            canonical = key.substr(kVisionPrefix.size());
        } else if (looksLikeUnprefixedVisionName(key)) {
            if (prefixed)
                throw Error(weightsPath,
                            QCoreApplication::translate(
                                "wemoe::Error", "mixes vision tensor names with and without the \"vision_model.\" "
                                                "prefix (tensor '%1')")
                                .arg(QString::fromStdString(key)));
            canonical = key;
        } else {
            checkpoint.passthrough.emplace(key, std::move(tensor));
            continue;
        }
        // A buffer of token indices, not a weight; models rebuild it.
        if (canonical == kPositionIdsName)
            continue;
        checkpoint.vision.emplace(canonical, std::move(tensor));
    }

    // The projection exists when the file has it, whatever the config declares.
    const auto projection = checkpoint.vision.find(kProjectionName);
    if (projection == checkpoint.vision.end())
        checkpoint.config.projectionDim = 0;
    else if (checkpoint.config.projectionDim <= 0 && projection->second.dim() >= 1)
        checkpoint.config.projectionDim = static_cast<int>(projection->second.size(0));

    const auto expected = expectedVisionShapes(checkpoint.config);
    for (const auto &[name, shape] : expected) {
        const QString key = QString::fromStdString(checkpoint.fileKey(name));
        const auto found = checkpoint.vision.find(name);
        if (found == checkpoint.vision.end())
            throw Error(weightsPath,
                        QCoreApplication::translate("wemoe::Error", "vision tensor '%1' is missing").arg(key));
        if (found->second.sizes() != c10::IntArrayRef(shape))
            throw Error(weightsPath, QCoreApplication::translate("wemoe::Error",
                                                                 "tensor '%1' has shape %2, but config.json implies %3")
                                         .arg(key, shapeText(found->second.sizes()), shapeText(shape)));
        if (!found->second.is_floating_point())
            throw Error(weightsPath, QCoreApplication::translate(
                                         "wemoe::Error", "tensor '%1' has dtype %2, expected a floating-point dtype")
                                         .arg(key, QLatin1String(c10::toString(found->second.scalar_type()))));
    }
    for (const auto &entry : checkpoint.vision) {
        if (expected.count(entry.first) == 0)
            throw Error(weightsPath,
                        QCoreApplication::translate("wemoe::Error",
                                                    "unexpected vision tensor '%1' (not part of a CLIP vision model "
                                                    "with this config.json)")
                            .arg(QString::fromStdString(checkpoint.fileKey(entry.first))));
    }
    return checkpoint;
}

std::string Checkpoint::fileKey(const std::string &canonicalName) const
{
    // CLIPModel keeps the projection beside vision_model, not inside it.
    if (canonicalName == kProjectionName)
        return canonicalName;
    return keyPrefix.toStdString() + canonicalName;
}

// Both counts cover the vision tensors only: what merging works on.
qint64 Checkpoint::parameterCount() const
{
    qint64 count = 0;
    for (const auto &entry : vision)
        count += static_cast<qint64>(entry.second.numel());
    return count;
}

qint64 Checkpoint::byteSize() const
{
    qint64 bytes = 0;
    for (const auto &entry : vision)
        bytes += static_cast<qint64>(entry.second.numel()) * entry.second.element_size();
    return bytes;
}

} // namespace wemoe
