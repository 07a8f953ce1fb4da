#include "moe/weight_ensembling_mlp.h"

#include "common/error.h"
#include "moe/magnitude_pruning.h"

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

// τ of one MLP weight as the MLP keeps it: the dense stack, or with keep < 1
// each task's tensor pruned by magnitude and the stack stored sparse.
void setTaskWeights(TaskVectorLinear &linear, const std::vector<MlpWeights> &tasks, torch::Tensor MlpWeights::*member,
                    const torch::TensorOptions &taskOptions, const WeightEnsemblingMlpOptions &options)
{
    if (options.keepRatio >= 1.0) {
        linear.taskWeights = stackTasks(tasks, member, taskOptions);
        return;
    }
    // Pruned on float32 magnitudes, then stored in the task vectors' dtype.
    const auto f32 = taskOptions.dtype(torch::kFloat32);
    const auto stacked = stackTasks(tasks, member, f32);
    std::vector<torch::Tensor> keep;
    for (int64_t t = 0; t < stacked.size(0); ++t)
        keep.push_back(magnitudeKeepMask(stacked[t], options.keepRatio));
    linear.sparseTaskWeights = SparseTaskWeights::fromMask(
        stacked, torch::stack(keep), c10::typeMetaToScalarType(taskOptions.dtype()), options.sparseRowBlock);
}

torch::Tensor prunedTaskBiases(const std::vector<MlpWeights> &tasks, torch::Tensor MlpWeights::*member,
                               const torch::TensorOptions &taskOptions, double keepRatio)
{
    if (keepRatio >= 1.0)
        return stackTasks(tasks, member, taskOptions);
    std::vector<torch::Tensor> pruned;
    for (const auto &task : tasks)
        pruned.push_back(pruneByMagnitude((task.*member).to(taskOptions.dtype(torch::kFloat32)), keepRatio));
    return torch::stack(pruned).to(taskOptions).contiguous();
}

void checkKeepRatio(double keepRatio)
{
    if (!(keepRatio > 0.0 && keepRatio <= 1.0))
        throw Error(
            QStringLiteral("weight-ensembling MLP: the task-vector keep ratio %1 is outside (0, 1]").arg(keepRatio));
}

struct MlpWidths
{
    int64_t hidden = 0;
    int64_t intermediate = 0;
};

// Checks θ0's MLP and the keep ratio; the widths every task vector must have.
MlpWidths checkPretrained(const MlpWeights &pretrained, double keepRatio)
{
    if (!pretrained.fc1Weight.defined() || pretrained.fc1Weight.dim() != 2)
        throw Error(
            QStringLiteral("weight-ensembling MLP: pretrained mlp.fc1.weight is %1, expected [intermediate, hidden]")
                .arg(shapeText(pretrained.fc1Weight)));
    checkKeepRatio(keepRatio);
    const MlpWidths widths{pretrained.fc1Weight.size(1), pretrained.fc1Weight.size(0)};
    checkMlp(pretrained, QStringLiteral("pretrained"), widths.hidden, widths.intermediate);
    return widths;
}

// A layer's frozen θ0, float32 on θ0's device, task vectors still to set. The
// clone makes sure we own the storage even when the input already is float32 on device.
TaskVectorLinear pretrainedLinear(const torch::Tensor &weight, const torch::Tensor &bias)
{
    const auto f32 = torch::TensorOptions().dtype(torch::kFloat32).device(weight.device());
    TaskVectorLinear linear;
    linear.weight = weight.to(f32).clone().contiguous();
    linear.bias = bias.to(f32).clone();
    return linear;
}

} // namespace

QString routingModeName(RoutingMode mode)
{
    return mode == RoutingMode::BatchReduce ? QStringLiteral("batch_reduce") : QStringLiteral("per_sample");
}

WeightEnsemblingMlpImpl::WeightEnsemblingMlpImpl(const MlpWeights &pretrained,
                                                 const std::vector<MlpWeights> &taskVectors,
                                                 const WeightEnsemblingMlpOptions &options, Router sharedRouter)
    : m_activation(parseMlpActivation(options.activation))
    , m_linearOptions(options.linear)
{
    const auto [hidden, intermediate] = checkPretrained(pretrained, options.keepRatio);
    if (taskVectors.empty())
        throw Error(QStringLiteral("weight-ensembling MLP: no task vectors (at least one expert is needed)"));
    for (std::size_t t = 0; t < taskVectors.size(); ++t)
        checkMlp(taskVectors[t], QStringLiteral("task vector %1").arg(t), hidden, intermediate);

    const auto taskOptions = torch::TensorOptions()
                                 .dtype(options.bf16TaskVectors ? torch::kBFloat16 : torch::kFloat32)
                                 .device(pretrained.fc1Weight.device());
    auto fc1 = pretrainedLinear(pretrained.fc1Weight, pretrained.fc1Bias);
    auto fc2 = pretrainedLinear(pretrained.fc2Weight, pretrained.fc2Bias);
    setTaskWeights(fc1, taskVectors, &MlpWeights::fc1Weight, taskOptions, options);
    fc1.taskBiases = prunedTaskBiases(taskVectors, &MlpWeights::fc1Bias, taskOptions, options.keepRatio);
    setTaskWeights(fc2, taskVectors, &MlpWeights::fc2Weight, taskOptions, options);
    fc2.taskBiases = prunedTaskBiases(taskVectors, &MlpWeights::fc2Bias, taskOptions, options.keepRatio);
    registerLinear("fc1", m_fc1, std::move(fc1));
    registerLinear("fc2", m_fc2, std::move(fc2));
    setRouter(options, std::move(sharedRouter));
}

WeightEnsemblingMlpImpl::WeightEnsemblingMlpImpl(const MlpWeights &pretrained, const SparseMlpTaskVectors &taskVectors,
                                                 const WeightEnsemblingMlpOptions &options, Router sharedRouter)
    : m_activation(parseMlpActivation(options.activation))
    , m_linearOptions(options.linear)
{
    const auto [hidden, intermediate] = checkPretrained(pretrained, options.keepRatio);
    const auto experts = taskVectors.fc1Weights.experts;
    if (experts < 1 || taskVectors.fc2Weights.experts != experts || taskVectors.fc1Weights.out != intermediate
        || taskVectors.fc1Weights.in != hidden || taskVectors.fc2Weights.out != hidden
        || taskVectors.fc2Weights.in != intermediate)
        throw Error(QStringLiteral("weight-ensembling MLP: sparse task vectors of %1 and %2 experts do not fit an MLP "
                                   "of width %3 and %4")
                        .arg(experts)
                        .arg(taskVectors.fc2Weights.experts)
                        .arg(hidden)
                        .arg(intermediate));
    checkTensor(taskVectors.fc1Biases, QStringLiteral("task vectors' mlp.fc1.bias"), {experts, intermediate});
    checkTensor(taskVectors.fc2Biases, QStringLiteral("task vectors' mlp.fc2.bias"), {experts, hidden});

    const auto device = pretrained.fc1Weight.device();
    auto fc1 = pretrainedLinear(pretrained.fc1Weight, pretrained.fc1Bias);
    auto fc2 = pretrainedLinear(pretrained.fc2Weight, pretrained.fc2Bias);
    fc1.sparseTaskWeights = taskVectors.fc1Weights;
    fc1.taskBiases = taskVectors.fc1Biases.to(device).contiguous();
    fc2.sparseTaskWeights = taskVectors.fc2Weights;
    fc2.taskBiases = taskVectors.fc2Biases.to(device).contiguous();
    registerLinear("fc1", m_fc1, std::move(fc1));
    registerLinear("fc2", m_fc2, std::move(fc2));
    setRouter(options, std::move(sharedRouter));
}

void WeightEnsemblingMlpImpl::registerLinear(const std::string &prefix, TaskVectorLinear &target,
                                             TaskVectorLinear source)
{
    // Buffers: frozen, moved by ->to(), never in parameters().
    target.weight = register_buffer(prefix + "_weight", source.weight);
    target.bias = register_buffer(prefix + "_bias", source.bias);
    if (source.isSparse()) {
        auto &sparse = source.sparseTaskWeights;
        sparse.values = register_buffer(prefix + "_task_values", sparse.values);
        sparse.indices = register_buffer(prefix + "_task_indices", sparse.indices);
        // Registered (a copy) only so that files hold it; the kernel reads the
        // CPU copy, which ->to() leaves where it is.
        register_buffer(prefix + "_task_block_starts", sparse.blockStarts.clone());
        target.sparseTaskWeights = sparse;
    } else {
        target.taskWeights = register_buffer(prefix + "_task_weights", source.taskWeights);
    }
    target.taskBiases = register_buffer(prefix + "_task_biases", source.taskBiases);
}

RouterOptions routerOptionsFor(const WeightEnsemblingMlpOptions &options, int64_t hiddenSize, int64_t experts)
{
    RouterOptions routerOptions;
    routerOptions.hiddenSize = hiddenSize;
    routerOptions.experts = experts;
    routerOptions.depth = options.routerDepth;
    routerOptions.initLambda = options.initLambda;
    routerOptions.seed = options.routerSeed;
    return routerOptions;
}

void WeightEnsemblingMlpImpl::setRouter(const WeightEnsemblingMlpOptions &options, Router sharedRouter)
{
    if (sharedRouter) {
        if (sharedRouter->options().hiddenSize != hiddenSize() || sharedRouter->options().experts != experts())
            throw Error(QStringLiteral("weight-ensembling MLP: a shared router for width %1 and %2 experts, the MLP "
                                       "has %3 and %4")
                            .arg(sharedRouter->options().hiddenSize)
                            .arg(sharedRouter->options().experts)
                            .arg(hiddenSize())
                            .arg(experts()));
        m_router = register_module("router", std::move(sharedRouter));
    } else {
        m_router = register_module("router", Router(routerOptionsFor(options, hiddenSize(), experts())));
    }
    m_router->to(m_fc1.weight.device());
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
