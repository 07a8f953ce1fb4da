#include "moe/upscaled_model_file.h"

#include "common/error.h"
#include "io/safetensors.h"
#include "model/clip_vision_model.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <torch/torch.h>

namespace wemoe {

namespace {

const std::string kDense = "dense.";
const std::string kMoe = "moe.layers.";
const std::string kRouter = "router.";

std::string moeName(int layer, const std::string &buffer)
{
    return kMoe + std::to_string(layer) + "." + buffer;
}

const std::string &metadataValue(const Metadata &metadata, const char *key, const QString &path)
{
    const auto it = metadata.find(key);
    if (it == metadata.end())
        throw Error(path, QStringLiteral("not a WEMoE model file: metadata '%1' is missing").arg(QLatin1String(key)));
    return it->second;
}

const torch::Tensor &tensorAt(const TensorMap &tensors, const std::string &name, const QString &path)
{
    const auto it = tensors.find(name);
    if (it == tensors.end())
        throw Error(path, QStringLiteral("WEMoE model file: tensor '%1' is missing").arg(QString::fromStdString(name)));
    return it->second;
}

AdaptationHistory adaptationOf(const Metadata &metadata, const QString &path)
{
    const int steps = QString::fromStdString(metadataValue(metadata, "adapted_steps", path)).toInt();
    const auto history = metadata.find("adaptation_history");
    if (history == metadata.end()) // written before the history: the steps are all we know
        return steps > 0 ? AdaptationHistory{{AdaptationRun{steps, 0.0, 0.0}}} : AdaptationHistory{};
    AdaptationHistory adaptation = AdaptationHistory::fromJson(history->second, path);
    if (adaptation.totalSteps() != steps)
        throw Error(path, QStringLiteral("WEMoE model file: adapted_steps says %1, its adaptation history %2")
                              .arg(steps)
                              .arg(adaptation.totalSteps()));
    return adaptation;
}

// Format 2's settings: the keep ratio, the sparse row block and the router sharing.
void readEfficientOptions(const Metadata &metadata, const QString &path, UpscaleOptions &options)
{
    bool ok = false;
    options.mlp.keepRatio = QString::fromStdString(metadataValue(metadata, "task_vector_keep", path)).toDouble(&ok);
    if (!ok || !(options.mlp.keepRatio > 0.0 && options.mlp.keepRatio <= 1.0))
        throw Error(path, QStringLiteral("WEMoE model file: task_vector_keep is not a ratio in (0, 1]"));
    options.mlp.sparseRowBlock =
        QString::fromStdString(metadataValue(metadata, "sparse_row_block", path)).toLongLong(&ok);
    if (!ok || options.mlp.sparseRowBlock < 1)
        throw Error(path, QStringLiteral("WEMoE model file: sparse_row_block is not a positive row count"));
    const std::string &sharing = metadataValue(metadata, "router_sharing", path);
    if (sharing != "shared" && sharing != "per_block")
        throw Error(path, QStringLiteral("WEMoE model file: router_sharing '%1' is neither shared nor per_block")
                              .arg(QString::fromStdString(sharing)));
    options.routers = sharing == "shared" ? RouterSharing::Shared : RouterSharing::PerBlock;
}

// Block `layer`'s pruned task vectors as stored, checked.
SparseMlpTaskVectors sparseTaskVectorsOf(const TensorMap &tensors, int layer, int experts,
                                         const ClipVisionConfig &config, const UpscaleOptions &options,
                                         const c10::Device &device, const QString &path)
{
    const auto get = [&](const std::string &buffer) { return tensorAt(tensors, moeName(layer, buffer), path); };
    const auto sparse = [&](const std::string &prefix, int64_t out, int64_t in) {
        try {
            return SparseTaskWeights::fromStorage(get(prefix + "_task_values"), get(prefix + "_task_indices"),
                                                  get(prefix + "_task_block_starts"), experts, out, in,
                                                  options.mlp.sparseRowBlock, device);
        } catch (const Error &error) {
            throw Error(
                path,
                QStringLiteral("block %1 %2: %3").arg(layer).arg(QString::fromStdString(prefix), error.message()));
        }
    };
    const int64_t hidden = config.hiddenSize, intermediate = config.intermediateSize;
    return SparseMlpTaskVectors{sparse("fc1", intermediate, hidden), get("fc1_task_biases").to(device),
                                sparse("fc2", hidden, intermediate), get("fc2_task_biases").to(device)};
}

} // namespace

void saveUpscaledModel(const QString &path, const UpscaledClipModel &model, const AdaptationHistory &adaptation,
                       const JobContext &context)
{
    TensorMap tensors;
    for (const auto &[name, tensor] : model.mergedDense())
        tensors.emplace(kDense + name, tensor.detach().cpu());
    for (int layer = 0; layer < model.layers(); ++layer)
        for (const auto &item : model.mlp(layer)->named_buffers())
            tensors.emplace(moeName(layer, item.key()), item.value().detach().cpu());
    for (const auto &[name, tensor] : model.routerState())
        tensors.emplace(kRouter + name, tensor);

    const auto &options = model.options();
    Metadata metadata;
    // A WEMoE model keeps format 1, byte for byte; E-WEMoE's pruned task
    // vectors and shared router are format 2, which readers of 1 refuse by its number.
    metadata["wemoe_format"] = options.isEfficient() ? "2" : "1";
    if (options.isEfficient()) {
        metadata["task_vector_keep"] = QString::number(options.mlp.keepRatio, 'g', 17).toStdString();
        metadata["sparse_row_block"] = std::to_string(options.mlp.sparseRowBlock);
        metadata["router_sharing"] = routerSharingName(options.routers).toStdString();
    }
    metadata["config"] = QJsonDocument(model.config().toJson()).toJson(QJsonDocument::Compact).toStdString();
    metadata["tasks"] =
        QJsonDocument(QJsonArray::fromStringList(model.taskNames())).toJson(QJsonDocument::Compact).toStdString();
    metadata["scaling_factor"] = QString::number(options.scalingFactor, 'g', 17).toStdString();
    metadata["router_depth"] = std::to_string(options.mlp.routerDepth);
    metadata["init_lambda"] = QString::number(options.mlp.initLambda, 'g', 17).toStdString();
    metadata["router_seed"] = std::to_string(options.mlp.routerSeed);
    metadata["bf16_task_vectors"] = options.mlp.bf16TaskVectors ? "true" : "false";
    metadata["adapted_steps"] = std::to_string(adaptation.totalSteps());
    metadata["adaptation_history"] = adaptation.toJson();
    writeSafetensors(path, tensors, metadata, context);
}

LoadedUpscaledModel loadUpscaledModel(const QString &path, const c10::Device &device)
{
    const auto contents = readSafetensors(path);
    const auto &metadata = contents.metadata;
    const std::string &format = metadataValue(metadata, "wemoe_format", path);
    if (format != "1" && format != "2")
        throw Error(path, QStringLiteral("WEMoE model file of an unknown format version '%1' (this program reads 1 "
                                         "and 2)")
                              .arg(QString::fromStdString(format)));
    const auto configJson = QJsonDocument::fromJson(QByteArray::fromStdString(metadataValue(metadata, "config", path)));
    const auto config = ClipVisionConfig::fromJson(configJson.object(), path);
    QStringList tasks;
    for (const auto &t :
         QJsonDocument::fromJson(QByteArray::fromStdString(metadataValue(metadata, "tasks", path))).array())
        tasks << t.toString();
    if (tasks.isEmpty())
        throw Error(path, QStringLiteral("WEMoE model file names no tasks"));

    UpscaleOptions options;
    options.scalingFactor = QString::fromStdString(metadataValue(metadata, "scaling_factor", path)).toDouble();
    options.mlp.routerDepth = QString::fromStdString(metadataValue(metadata, "router_depth", path)).toInt();
    options.mlp.initLambda = QString::fromStdString(metadataValue(metadata, "init_lambda", path)).toDouble();
    options.mlp.routerSeed = QString::fromStdString(metadataValue(metadata, "router_seed", path)).toULongLong();
    options.mlp.bf16TaskVectors = metadataValue(metadata, "bf16_task_vectors", path) == "true";
    options.mlp.activation = config.hiddenAct;
    if (format == "2")
        readEfficientOptions(metadata, path, options);
    const AdaptationHistory adaptation = adaptationOf(metadata, path);

    TensorMap dense;
    TensorMap routers;
    for (const auto &[name, tensor] : contents.tensors) {
        if (name.rfind(kDense, 0) == 0)
            dense.emplace(name.substr(kDense.size()), tensor);
        else if (name.rfind(kRouter, 0) == 0)
            routers.emplace(name.substr(kRouter.size()), tensor);
        else if (name.rfind(kMoe, 0) != 0)
            throw Error(path,
                        QStringLiteral("WEMoE model file: unexpected tensor '%1'").arg(QString::fromStdString(name)));
    }

    Router sharedRouter{nullptr};
    if (options.routers == RouterSharing::Shared)
        sharedRouter = Router(routerOptionsFor(options.mlp, config.hiddenSize, tasks.size()));
    std::vector<WeightEnsemblingMlp> mlps;
    for (int layer = 0; layer < config.numHiddenLayers; ++layer) {
        const auto get = [&](const char *buffer) {
            return tensorAt(contents.tensors, moeName(layer, buffer), path).to(device);
        };
        MlpWeights base{get("fc1_weight"), get("fc1_bias"), get("fc2_weight"), get("fc2_bias")};
        WeightEnsemblingMlpOptions mlpOptions = options.mlp;
        mlpOptions.routerSeed = options.mlp.routerSeed + static_cast<uint64_t>(layer);
        if (options.mlp.keepRatio < 1.0) {
            mlps.emplace_back(base,
                              sparseTaskVectorsOf(contents.tensors, layer, tasks.size(), config, options, device, path),
                              mlpOptions, sharedRouter);
            continue;
        }
        const auto fc1Tasks = get("fc1_task_weights");
        const auto fc1TaskBiases = get("fc1_task_biases");
        const auto fc2Tasks = get("fc2_task_weights");
        const auto fc2TaskBiases = get("fc2_task_biases");
        if (fc1Tasks.dim() != 3 || fc1Tasks.size(0) != tasks.size())
            throw Error(path, QStringLiteral("WEMoE model file: block %1 has %2 experts for %3 tasks")
                                  .arg(layer)
                                  .arg(fc1Tasks.dim() == 3 ? fc1Tasks.size(0) : -1)
                                  .arg(tasks.size()));
        std::vector<MlpWeights> taskVectors;
        for (int t = 0; t < tasks.size(); ++t)
            taskVectors.push_back(MlpWeights{fc1Tasks[t], fc1TaskBiases[t], fc2Tasks[t], fc2TaskBiases[t]});
        mlps.emplace_back(base, taskVectors, mlpOptions, sharedRouter);
    }
    UpscaledClipModel model(config, dense, std::move(mlps), tasks, options, device);
    model.loadRouterState(routers, path);
    return LoadedUpscaledModel{std::move(model), adaptation};
}

} // namespace wemoe
