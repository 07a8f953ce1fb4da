#include "moe/upscaled_clip_model.h"

#include "common/error.h"
#include "merge/merge_methods.h"
#include "model/clip_vision_model.h"

#include <torch/torch.h>

namespace wemoe {

namespace {

const char *const kMlpSuffixes[] = {"mlp.fc1.weight", "mlp.fc1.bias", "mlp.fc2.weight", "mlp.fc2.bias"};

MlpWeights mlpOf(int layer, const std::function<torch::Tensor(const std::string &)> &get)
{
    MlpWeights w;
    w.fc1Weight = get(blockTensorName(layer, "mlp.fc1.weight"));
    w.fc1Bias = get(blockTensorName(layer, "mlp.fc1.bias"));
    w.fc2Weight = get(blockTensorName(layer, "mlp.fc2.weight"));
    w.fc2Bias = get(blockTensorName(layer, "mlp.fc2.bias"));
    return w;
}

// Per-call state of encode(): the override reads it. encode() is not reentrant
// (one model, one caller at a time), which the adaptation and evaluation loops respect.
struct EncodeState
{
    RoutingMode mode = RoutingMode::PerSample;
    std::vector<torch::Tensor> *routing = nullptr;
};

thread_local EncodeState t_encodeState;

} // namespace

QString routerSharingName(RouterSharing sharing)
{
    return sharing == RouterSharing::Shared ? QStringLiteral("shared") : QStringLiteral("per_block");
}

bool isUpscaledMlpTensor(const std::string &name)
{
    return name.rfind("encoder.layers.", 0) == 0 && name.find(".mlp.") != std::string::npos;
}

UpscaledClipModel UpscaledClipModel::upscale(const ClipVisionConfig &config, const MergeInputs &inputs,
                                             const QStringList &taskNames, const UpscaleOptions &options,
                                             const c10::Device &device, const JobContext &context)
{
    if (inputs.taskCount() == 0)
        throw Error(QStringLiteral("WEMoE needs at least one fine-tuned model (the pool has no tasks)"));
    if (taskNames.size() != inputs.taskCount())
        throw Error(
            QStringLiteral("WEMoE: %1 task names for %2 task models").arg(taskNames.size()).arg(inputs.taskCount()));

    // Task arithmetic over everything but the MLPs: filtered views of the maps
    // (tensor handles, no copies), so the MLPs are not merged for nothing.
    TensorMap denseBase;
    std::vector<TensorMap> denseTasks(inputs.taskCount());
    for (const auto &[name, tensor] : *inputs.pretrained) {
        if (isUpscaledMlpTensor(name))
            continue;
        denseBase.emplace(name, tensor);
        for (int t = 0; t < inputs.taskCount(); ++t) {
            const auto it = inputs.finetuned[t]->find(name);
            if (it == inputs.finetuned[t]->end())
                throw Error(QStringLiteral("WEMoE: task %1 has no tensor '%2'")
                                .arg(taskNames.at(t), QString::fromStdString(name)));
            denseTasks[t].emplace(name, it->second);
        }
    }
    MergeInputs denseInputs;
    denseInputs.pretrained = &denseBase;
    for (const auto &map : denseTasks)
        denseInputs.finetuned.push_back(&map);
    TensorMap merged = taskArithmetic(denseInputs, options.scalingFactor, context);

    Router sharedRouter{nullptr};
    if (options.routers == RouterSharing::Shared) // block 0's seed: at step 0 it is block 0's own router
        sharedRouter = Router(routerOptionsFor(options.mlp, config.hiddenSize, inputs.taskCount()));
    std::vector<WeightEnsemblingMlp> mlps;
    for (int layer = 0; layer < config.numHiddenLayers; ++layer) {
        context.throwIfCancelled();
        const auto base = mlpOf(layer, [&](const std::string &name) {
            const auto it = inputs.pretrained->find(name);
            if (it == inputs.pretrained->end())
                throw Error(
                    QStringLiteral("WEMoE: the pretrained model has no tensor '%1'").arg(QString::fromStdString(name)));
            return it->second.to(device, torch::kFloat32);
        });
        std::vector<MlpWeights> taskVectors;
        for (int t = 0; t < inputs.taskCount(); ++t)
            taskVectors.push_back(
                mlpOf(layer, [&](const std::string &name) { return inputs.taskVector(t, name).to(device); }));
        WeightEnsemblingMlpOptions mlpOptions = options.mlp;
        mlpOptions.activation = config.hiddenAct;
        mlpOptions.routerSeed = options.mlp.routerSeed + static_cast<uint64_t>(layer);
        mlps.emplace_back(base, taskVectors, mlpOptions, sharedRouter);
        for (const char *suffix : kMlpSuffixes) {
            const auto name = blockTensorName(layer, suffix);
            merged[name] = inputs.pretrained->at(name).to(torch::kFloat32);
        }
        context.progress(layer + 1, config.numHiddenLayers, QStringLiteral("upscaling MLPs"));
    }
    return UpscaledClipModel(config, merged, std::move(mlps), taskNames, options, device);
}

UpscaledClipModel::UpscaledClipModel(const ClipVisionConfig &config, const TensorMap &mergedDense,
                                     std::vector<WeightEnsemblingMlp> mlps, QStringList taskNames,
                                     UpscaleOptions options, const c10::Device &device)
    : m_taskNames(std::move(taskNames))
    , m_options(std::move(options))
    , m_mergedDense(mergedDense)
    , m_mlps(std::make_shared<std::vector<WeightEnsemblingMlp>>(std::move(mlps)))
{
    if (static_cast<int>(m_mlps->size()) != config.numHiddenLayers)
        throw Error(
            QStringLiteral("WEMoE model: %1 MoE MLPs for %2 blocks").arg(m_mlps->size()).arg(config.numHiddenLayers));
    for (auto &mlp : *m_mlps) {
        if (mlp->experts() != m_taskNames.size())
            throw Error(QStringLiteral("WEMoE model: an MoE MLP has %1 experts for %2 tasks")
                            .arg(mlp->experts())
                            .arg(m_taskNames.size()));
        mlp->to(device);
    }
    if (m_options.routers == RouterSharing::Shared)
        for (const auto &mlp : *m_mlps)
            if (mlp->router().ptr() != m_mlps->front()->router().ptr())
                throw Error(QStringLiteral("WEMoE model: shared routing, but the blocks hold different routers"));
    m_model = std::make_unique<ClipVisionModel>(config, mergedDense, device);
    // The MLP of every block is the weight-ensembling MoE; the routing mode and
    // the capture target come from the encode() call in progress.
    m_model->setMlpOverride([mlps = m_mlps](int layer, const torch::Tensor &h) {
        auto result = mlps->at(layer)->forward(h, t_encodeState.mode);
        if (t_encodeState.routing)
            t_encodeState.routing->push_back(result.routingWeights.detach());
        return result.output;
    });
}

UpscaledClipModel::~UpscaledClipModel() = default;
UpscaledClipModel::UpscaledClipModel(UpscaledClipModel &&other) noexcept = default;
UpscaledClipModel &UpscaledClipModel::operator=(UpscaledClipModel &&other) noexcept = default;

const ClipVisionConfig &UpscaledClipModel::config() const
{
    return m_model->config();
}

c10::Device UpscaledClipModel::device() const
{
    return m_model->device();
}

int UpscaledClipModel::featureDim() const
{
    return m_model->featureDim();
}

torch::Tensor UpscaledClipModel::encode(const torch::Tensor &images, RoutingMode mode, torch::Tensor *routing) const
{
    std::vector<torch::Tensor> perLayer;
    const EncodeState previous = t_encodeState;
    t_encodeState = EncodeState{mode, routing ? &perLayer : nullptr};
    torch::Tensor features;
    try {
        features = m_model->encode(images);
    } catch (...) {
        t_encodeState = previous;
        throw;
    }
    t_encodeState = previous;
    if (routing)
        *routing = torch::stack(perLayer, 1); // [B, layers, experts]
    return features;
}

std::vector<torch::Tensor> UpscaledClipModel::routerParameters() const
{
    // Once, not per block: Adam would otherwise step a shared router once per block.
    if (m_options.routers == RouterSharing::Shared)
        return m_mlps->front()->router()->parameters();
    std::vector<torch::Tensor> parameters;
    for (const auto &mlp : *m_mlps)
        for (const auto &p : mlp->parameters())
            parameters.push_back(p);
    return parameters;
}

namespace {

// Where router state names its routers: "shared." or "layers.N.".
std::string routerPrefix(RouterSharing sharing, size_t layer)
{
    return sharing == RouterSharing::Shared ? std::string("shared.") : "layers." + std::to_string(layer) + ".";
}

} // namespace

TensorMap UpscaledClipModel::routerState() const
{
    TensorMap state;
    const size_t routers = m_options.routers == RouterSharing::Shared ? 1 : m_mlps->size();
    for (size_t layer = 0; layer < routers; ++layer)
        for (const auto &item : (*m_mlps)[layer]->router()->named_parameters())
            state.emplace(routerPrefix(m_options.routers, layer) + item.key(), item.value().detach().cpu().clone());
    return state;
}

void UpscaledClipModel::loadRouterState(const TensorMap &state, const QString &source)
{
    torch::NoGradGuard noGrad;
    size_t expected = 0;
    const size_t routers = m_options.routers == RouterSharing::Shared ? 1 : m_mlps->size();
    for (size_t layer = 0; layer < routers; ++layer) {
        for (auto &item : (*m_mlps)[layer]->router()->named_parameters()) {
            const std::string name = routerPrefix(m_options.routers, layer) + item.key();
            ++expected;
            const auto it = state.find(name);
            if (it == state.end())
                throw Error(source, QStringLiteral("router tensor '%1' is missing (router depth, sharing or layer "
                                                   "count differs from the model's)")
                                        .arg(QString::fromStdString(name)));
            if (it->second.sizes() != item.value().sizes())
                throw Error(source,
                            QStringLiteral("router tensor '%1' has shape %2, the model needs %3")
                                .arg(QString::fromStdString(name), QString::fromStdString(c10::str(it->second.sizes())),
                                     QString::fromStdString(c10::str(item.value().sizes()))));
            item.value().copy_(it->second.to(item.value().device(), item.value().scalar_type()));
        }
    }
    if (state.size() != expected)
        throw Error(source, QStringLiteral("%1 router tensors for a model with %2 (router depth differs?)")
                                .arg(state.size())
                                .arg(expected));
}

TensorMap UpscaledClipModel::collapse(const torch::Tensor &routingPerLayer) const
{
    if (routingPerLayer.dim() != 2 || routingPerLayer.size(0) != layers() || routingPerLayer.size(1) != experts())
        throw Error(QStringLiteral("collapse: routing weights %1, expected [%2 layers, %3 experts]")
                        .arg(QString::fromStdString(c10::str(routingPerLayer.sizes())))
                        .arg(layers())
                        .arg(experts()));
    torch::NoGradGuard noGrad;
    TensorMap dense;
    for (const auto &[name, tensor] : m_mergedDense)
        dense.emplace(name, tensor.to(torch::kFloat32).cpu());
    const auto w = routingPerLayer.to(torch::kFloat32).cpu();
    for (int layer = 0; layer < layers(); ++layer) {
        const auto &mlp = (*m_mlps)[layer];
        const auto fold = [&](const TaskVectorLinear &linear, const char *weightName, const char *biasName) {
            const auto wl = w[layer];
            const auto tasks = linear.denseTaskWeights(torch::kFloat32).cpu();
            dense[blockTensorName(layer, weightName)] = linear.weight.cpu() + torch::tensordot(wl, tasks, {0}, {0});
            dense[blockTensorName(layer, biasName)] = linear.bias.cpu()
                                                      + torch::matmul(wl, linear.taskBiases.to(torch::kFloat32).cpu());
        };
        fold(mlp->fc1(), "mlp.fc1.weight", "mlp.fc1.bias");
        fold(mlp->fc2(), "mlp.fc2.weight", "mlp.fc2.bias");
    }
    return dense;
}

} // namespace wemoe
