#include "moe/weight_ensembling_mlp.h"

#include "common/error.h"

#include <torch/torch.h>

namespace wemoe {

namespace {

QString shapeText(const torch::Tensor &t)
{
    return t.defined() ? QString::fromStdString(c10::str(t.sizes())) : QStringLiteral("(missing)");
}

void checkTensor(const torch::Tensor &t, const QString &name, std::vector<int64_t> shape)
{
    if (!t.defined() || t.sizes() != c10::IntArrayRef(shape) || !t.is_floating_point())
        throw Error(QStringLiteral("weight-ensembling MLP: %1 is %2, expected a floating-point tensor of shape %3")
                        .arg(name, shapeText(t), QString::fromStdString(c10::str(c10::IntArrayRef(shape)))));
}

void checkMlp(const MlpWeights &mlp, const QString &what, int64_t hidden, int64_t intermediate)
{
    checkTensor(mlp.fc1Weight, what + QStringLiteral(" mlp.fc1.weight"), {intermediate, hidden});
    checkTensor(mlp.fc1Bias, what + QStringLiteral(" mlp.fc1.bias"), {intermediate});
    checkTensor(mlp.fc2Weight, what + QStringLiteral(" mlp.fc2.weight"), {hidden, intermediate});
    checkTensor(mlp.fc2Bias, what + QStringLiteral(" mlp.fc2.bias"), {hidden});
}

// The T task vectors of one tensor, [T, ...], converted one by one so a
// bfloat16 stack never passes through a float32 stack.
torch::Tensor stackTasks(const std::vector<MlpWeights> &tasks, torch::Tensor MlpWeights::*member,
                         const torch::TensorOptions &options)
{
    std::vector<torch::Tensor> converted;
    converted.reserve(tasks.size());
    for (const auto &task : tasks)
        converted.push_back((task.*member).to(options));
    return torch::stack(converted).contiguous();
}

} // namespace

QString routingModeName(RoutingMode mode)
{
    return mode == RoutingMode::BatchReduce ? QStringLiteral("batch_reduce") : QStringLiteral("per_sample");
}

WeightEnsemblingMlpImpl::WeightEnsemblingMlpImpl(const MlpWeights &pretrained,
                                                 const std::vector<MlpWeights> &taskVectors,
                                                 const WeightEnsemblingMlpOptions &options)
    : m_activation(parseMlpActivation(options.activation))
    , m_linearOptions(options.linear)
{
    if (!pretrained.fc1Weight.defined() || pretrained.fc1Weight.dim() != 2)
        throw Error(
            QStringLiteral("weight-ensembling MLP: pretrained mlp.fc1.weight is %1, expected [intermediate, hidden]")
                .arg(shapeText(pretrained.fc1Weight)));
    if (taskVectors.empty())
        throw Error(QStringLiteral("weight-ensembling MLP: no task vectors (at least one expert is needed)"));
    const auto intermediate = pretrained.fc1Weight.size(0);
    const auto hidden = pretrained.fc1Weight.size(1);
    checkMlp(pretrained, QStringLiteral("pretrained"), hidden, intermediate);
    for (std::size_t t = 0; t < taskVectors.size(); ++t)
        checkMlp(taskVectors[t], QStringLiteral("task vector %1").arg(t), hidden, intermediate);

    const auto device = pretrained.fc1Weight.device();
    const auto f32 = torch::TensorOptions().dtype(torch::kFloat32).device(device);
    const auto taskOptions = f32.dtype(options.bf16TaskVectors ? torch::kBFloat16 : torch::kFloat32);
    // Buffers: frozen, moved by ->to(), never in parameters(). The clone makes
    // sure we own the storage even when the input already is float32 on device.
    m_fc1.weight = register_buffer("fc1_weight", pretrained.fc1Weight.to(f32).clone().contiguous());
    m_fc1.bias = register_buffer("fc1_bias", pretrained.fc1Bias.to(f32).clone());
    m_fc1.taskWeights = register_buffer("fc1_task_weights",
                                        stackTasks(taskVectors, &MlpWeights::fc1Weight, taskOptions));
    m_fc1.taskBiases = register_buffer("fc1_task_biases", stackTasks(taskVectors, &MlpWeights::fc1Bias, taskOptions));
    m_fc2.weight = register_buffer("fc2_weight", pretrained.fc2Weight.to(f32).clone().contiguous());
    m_fc2.bias = register_buffer("fc2_bias", pretrained.fc2Bias.to(f32).clone());
    m_fc2.taskWeights = register_buffer("fc2_task_weights",
                                        stackTasks(taskVectors, &MlpWeights::fc2Weight, taskOptions));
    m_fc2.taskBiases = register_buffer("fc2_task_biases", stackTasks(taskVectors, &MlpWeights::fc2Bias, taskOptions));

    RouterOptions routerOptions;
    routerOptions.hiddenSize = hidden;
    routerOptions.experts = static_cast<int64_t>(taskVectors.size());
    routerOptions.depth = options.routerDepth;
    routerOptions.initLambda = options.initLambda;
    routerOptions.seed = options.routerSeed;
    m_router = register_module("router", Router(routerOptions));
    m_router->to(device);
}

EnsembledMlpOutput WeightEnsemblingMlpImpl::forward(const torch::Tensor &h, RoutingMode mode)
{
    const auto weights = m_router->routingWeights(h);
    if (mode == RoutingMode::BatchReduce) {
        const auto mean = weights.mean(0, /*keepdim=*/true);
        return {forwardWithRouting(h, mean), mean.expand_as(weights)};
    }
    return {forwardWithRouting(h, weights), weights};
}

torch::Tensor WeightEnsemblingMlpImpl::forwardWithRouting(const torch::Tensor &h, const torch::Tensor &routing)
{
    if (!h.defined() || h.dim() != 3 || h.size(2) != hiddenSize())
        throw Error(QStringLiteral("weight-ensembling MLP: input %1 is not [batch, tokens, %2]")
                        .arg(shapeText(h))
                        .arg(hiddenSize()));
    const auto batch = h.size(0), tokens = h.size(1);
    const auto rows = routing.defined() && routing.dim() == 1 ? routing.unsqueeze(0) : routing;
    if (!rows.defined() || rows.dim() != 2 || rows.size(1) != experts() || (rows.size(0) != batch && rows.size(0) != 1))
        throw Error(QStringLiteral("weight-ensembling MLP: routing weights %1 are neither [%2, %3] nor [1, %3]")
                        .arg(shapeText(routing))
                        .arg(batch)
                        .arg(experts()));

    const auto mlp = [this](const torch::Tensor &x, const torch::Tensor &w) {
        const auto inner = applyMlpActivation(m_activation, perSampleLinear(x, w, m_fc1, m_linearOptions));
        return perSampleLinear(inner, w, m_fc2, m_linearOptions);
    };
    if (rows.size(0) == batch)
        return mlp(h, rows);
    // One merged MLP for the whole batch: the batch is a single "sample" whose
    // tokens are all the batch's tokens.
    return mlp(h.reshape({1, batch * tokens, hiddenSize()}), rows).view({batch, tokens, hiddenSize()});
}

} // namespace wemoe
