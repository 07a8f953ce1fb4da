#include "random_upscaled_model.h"

#include "model/clip_vision_model.h"
#include "model/random_weights.h"

#include <torch/torch.h>

namespace wemoe::bench {

ClipVisionConfig RandomModelConfig::vitB32Config()
{
    ClipVisionConfig c; // the defaults are ViT-B/32's
    c.hiddenSize = 768;
    c.intermediateSize = 3072;
    c.numHiddenLayers = 12;
    c.numAttentionHeads = 12;
    c.imageSize = 224;
    c.patchSize = 32;
    c.numChannels = 3;
    c.hiddenAct = QStringLiteral("quick_gelu");
    c.projectionDim = 512;
    return c;
}

UpscaledClipModel randomUpscaledModel(const RandomModelConfig &config)
{
    const auto &vit = config.vit;
    const TensorMap dense = randomClipVisionWeights(vit, config.seed);
    auto generator = at::detail::createCPUGenerator(config.seed + 1);
    const auto taskTensor = [&](std::vector<int64_t> shape) { return at::normal(0.0, 0.002, shape, generator); };
    const int64_t hidden = vit.hiddenSize, intermediate = vit.intermediateSize;

    UpscaleOptions options;
    options.mlp.activation = vit.hiddenAct;
    options.mlp.routerDepth = config.routerDepth;
    options.mlp.bf16TaskVectors = config.bf16TaskVectors;
    options.mlp.keepRatio = config.keepRatio;
    options.mlp.routerSeed = config.seed;
    options.routers = config.routers;
    Router sharedRouter{nullptr};
    if (config.routers == RouterSharing::Shared) {
        RouterOptions routerOptions;
        routerOptions.hiddenSize = hidden;
        routerOptions.experts = config.experts;
        routerOptions.depth = config.routerDepth;
        routerOptions.seed = config.seed;
        sharedRouter = Router(routerOptions);
    }
    std::vector<WeightEnsemblingMlp> mlps;
    for (int layer = 0; layer < vit.numHiddenLayers; ++layer) {
        MlpWeights base{
            dense.at(blockTensorName(layer, "mlp.fc1.weight")), dense.at(blockTensorName(layer, "mlp.fc1.bias")),
            dense.at(blockTensorName(layer, "mlp.fc2.weight")), dense.at(blockTensorName(layer, "mlp.fc2.bias"))};
        // One block's task vectors at a time: only the stacked copy outlives the loop.
        std::vector<MlpWeights> tasks;
        for (int t = 0; t < config.experts; ++t)
            tasks.push_back({taskTensor({intermediate, hidden}), taskTensor({intermediate}),
                             taskTensor({hidden, intermediate}), taskTensor({hidden})});
        WeightEnsemblingMlpOptions mlpOptions = options.mlp;
        mlpOptions.routerSeed = config.seed + static_cast<uint64_t>(layer);
        mlps.emplace_back(base, tasks, mlpOptions, sharedRouter);
    }
    QStringList names;
    for (int t = 0; t < config.experts; ++t)
        names << QStringLiteral("task%1").arg(t + 1);
    return UpscaledClipModel(vit, dense, std::move(mlps), names, options, torch::kCPU);
}

ClassificationHead randomHead(int featureDim, int classes, quint64 seed)
{
    auto generator = at::detail::createCPUGenerator(seed);
    ClassificationHead head;
    const auto w = at::normal(0.0, 1.0, {classes, featureDim}, generator);
    head.weight = w / w.norm(2, {1}, true);
    for (int c = 0; c < classes; ++c)
        head.classNames << QStringLiteral("class%1").arg(c);
    return head;
}

int64_t taskVectorBytesFromShapes(const RandomModelConfig &config)
{
    const int64_t d = config.vit.hiddenSize, i = config.vit.intermediateSize;
    const int64_t perExpertPerBlock = 2 * d * i + i + d;
    const int64_t bytes = config.bf16TaskVectors ? 2 : 4;
    return int64_t(config.vit.numHiddenLayers) * config.experts * perExpertPerBlock * bytes;
}

int64_t taskVectorBytesHeld(const UpscaledClipModel &model)
{
    int64_t bytes = 0;
    for (int layer = 0; layer < model.layers(); ++layer)
        for (const auto *linear : {&model.mlp(layer)->fc1(), &model.mlp(layer)->fc2()})
            bytes += linear->taskVectorBytes();
    return bytes;
}

} // namespace wemoe::bench
