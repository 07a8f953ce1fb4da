#include "mlp_bench.h"

#include "naive_per_sample.h"

#include "model/quick_gelu.h"

#include <torch/torch.h>

namespace wemoe::bench {

namespace {

namespace F = torch::nn::functional;

MlpWeights randomMlp(const MlpBenchConfig &c, at::Generator &g, double scale)
{
    const auto o = torch::TensorOptions().dtype(torch::kFloat32);
    return {at::normal(0.0, scale, {c.intermediate, c.hidden}, g, o), at::normal(0.0, scale, {c.intermediate}, g, o),
            at::normal(0.0, scale, {c.hidden, c.intermediate}, g, o), at::normal(0.0, scale, {c.hidden}, g, o)};
}

QString perSampleVariant(PerSampleStrategy s)
{
    return QStringLiteral("per-sample, ") + perSampleStrategyName(s);
}

} // namespace

MlpBench::MlpBench(const MlpBenchConfig &config)
    : m_config(config)
{
    auto g = at::detail::createCPUGenerator(config.seed);
    const auto pretrained = randomMlp(config, g, 0.02);
    std::vector<MlpWeights> tasks;
    for (int64_t t = 0; t < config.experts; ++t)
        tasks.push_back(randomMlp(config, g, 0.002));
    WeightEnsemblingMlpOptions options;
    options.routerDepth = config.routerDepth;
    options.routerSeed = config.seed;
    m_mlp = WeightEnsemblingMlp(pretrained, tasks, options);
    if (config.withBf16) {
        options.bf16TaskVectors = true;
        m_mlpBf16 = WeightEnsemblingMlp(pretrained, tasks, options);
    }
}

torch::Tensor MlpBench::input(int64_t batch, bool requiresGrad) const
{
    auto g = at::detail::createCPUGenerator(m_config.seed + 1000 + uint64_t(batch));
    auto h = at::normal(0.0, 1.0, {batch, m_config.tokens, m_config.hidden}, g,
                        torch::TensorOptions().dtype(torch::kFloat32));
    return h.requires_grad_(requiresGrad);
}

torch::Tensor MlpBench::naiveReferenceForward(const torch::Tensor &h)
{
    return naiveReferenceMlp(*m_mlp, h);
}

torch::Tensor MlpBench::naiveForward(const torch::Tensor &h)
{
    return naiveMatmulMergeMlp(*m_mlp, h);
}

torch::Tensor MlpBench::denseForward(const torch::Tensor &h) const
{
    const auto &fc1 = m_mlp->fc1();
    const auto &fc2 = m_mlp->fc2();
    return F::linear(applyMlpActivation(m_mlp->activation(), F::linear(h, fc1.weight, fc1.bias)), fc2.weight, fc2.bias);
}

torch::Tensor MlpBench::oursForward(const torch::Tensor &h, PerSampleStrategy strategy, RoutingMode mode,
                                    int64_t chunkBytes)
{
    PerSampleLinearOptions options;
    options.strategy = strategy;
    options.chunkBytes = chunkBytes;
    m_mlp->setLinearOptions(options);
    return m_mlp->forward(h, mode).output;
}

void MlpBench::measureForward(ResultTable &table, int64_t batch)
{
    const QString group = QStringLiteral("forward");
    torch::NoGradGuard noGrad;
    const auto h = input(batch);
    table.measure(group, kNaiveReference, batch, [&] { naiveReferenceForward(h); });
    table.measure(group, kNaiveLoop, batch, [&] { naiveForward(h); });
    const auto chosen = choosePerSampleStrategy(
        {batch, m_config.tokens, m_config.experts, m_config.hidden, m_config.intermediate}, h.device());
    table.measure(group, QStringLiteral("per-sample, auto → %1").arg(perSampleStrategyName(chosen)), batch,
                  [&] { oursForward(h, PerSampleStrategy::Auto); });
    for (auto s : {PerSampleStrategy::MergeRowChunks, PerSampleStrategy::Expand})
        table.measure(group, perSampleVariant(s), batch, [&] { oursForward(h, s); });
    if (m_mlpBf16)
        table.measure(group, QStringLiteral("per-sample, auto, bf16 τ"), batch, [&] { m_mlpBf16->forward(h); });
    table.measure(group, QStringLiteral("batch_reduce"), batch,
                  [&] { oursForward(h, PerSampleStrategy::Auto, RoutingMode::BatchReduce); });
    table.measure(group, kDense, batch, [&] { denseForward(h); });
}

void MlpBench::measureForwardBackward(ResultTable &table, int64_t batch)
{
    const QString group = QStringLiteral("forward+backward");
    // h requires grad as it does inside the ViT, where earlier blocks have routers too.
    const auto h = input(batch, true);
    const auto step = [&](const std::function<torch::Tensor()> &forward) {
        return [&, forward] {
            m_mlp->zero_grad();
            h.mutable_grad() = torch::Tensor();
            forward().square().mean().backward();
        };
    };
    table.measure(group, kNaiveReference, batch, step([&] { return naiveReferenceForward(h); }));
    table.measure(group, kNaiveLoop, batch, step([&] { return naiveForward(h); }));
    for (auto s : {PerSampleStrategy::Auto, PerSampleStrategy::MergeRowChunks, PerSampleStrategy::Expand})
        table.measure(group, perSampleVariant(s), batch, step([&, s] { return oursForward(h, s); }));
    table.measure(group, QStringLiteral("batch_reduce"), batch,
                  step([&] { return oursForward(h, PerSampleStrategy::Auto, RoutingMode::BatchReduce); }));
    table.measure(group, kDense, batch, step([&] { return denseForward(h); }));
}

void MlpBench::measureComponents(ResultTable &table, int64_t batch)
{
    const QString group = QStringLiteral("forward, parts");
    torch::NoGradGuard noGrad;
    const auto h = input(batch);
    const auto &fc1 = m_mlp->fc1();
    const auto &fc2 = m_mlp->fc2();
    const auto w = m_mlp->router()->routingWeights(h);
    const auto inner = applyMlpActivation(m_mlp->activation(), F::linear(h, fc1.weight, fc1.bias));
    table.measure(group, QStringLiteral("router (depth %1)").arg(m_config.routerDepth), batch,
                  [&] { m_mlp->router()->routingWeights(h); });
    table.measure(group, QStringLiteral("fc1 per-sample (auto)"), batch, [&] { perSampleLinear(h, w, fc1); });
    table.measure(group, QStringLiteral("fc1 dense"), batch, [&] { F::linear(h, fc1.weight, fc1.bias); });
    table.measure(group, QStringLiteral("activation"), batch, [&] { applyMlpActivation(m_mlp->activation(), inner); });
    table.measure(group, QStringLiteral("fc2 per-sample (auto)"), batch, [&] { perSampleLinear(inner, w, fc2); });
    table.measure(group, QStringLiteral("fc2 dense"), batch, [&] { F::linear(inner, fc2.weight, fc2.bias); });
    if (m_mlp->activation() == MlpActivation::QuickGelu)
        measureActivationBackward(table, inner.detach());
}

void MlpBench::measureActivationBackward(ResultTable &table, const torch::Tensor &inner)
{
    const QString group = QStringLiteral("activation, forward and backward");
    torch::AutoGradMode withGrad(true);
    const auto dy = torch::randn_like(inner);
    const auto stepOf = [&](const std::function<torch::Tensor(const torch::Tensor &)> &activation) {
        return [&, activation] {
            const auto x = inner.detach().requires_grad_(true);
            activation(x).backward(dy);
        };
    };
    const auto batch = inner.size(0);
    table.measure(group, QStringLiteral("x·σ(1.702 x) as tensor ops, autograd's backward"), batch,
                  stepOf([](const torch::Tensor &x) { return x * torch::sigmoid(1.702 * x); }));
    table.measure(group, QStringLiteral("quickGelu, one-pass backward"), batch, stepOf(quickGelu));
}

void MlpBench::measureChunkBudgets(ResultTable &table, int64_t batch, const std::vector<int64_t> &megabytes)
{
    const QString group = QStringLiteral("forward, chunk budget");
    torch::NoGradGuard noGrad;
    const auto h = input(batch);
    for (const auto mb : megabytes)
        table.measure(group, QStringLiteral("merge-row-chunks, %1 MB").arg(mb), batch,
                      [&] { oursForward(h, PerSampleStrategy::MergeRowChunks, RoutingMode::PerSample, mb << 20); });
    table.measure(group, kDense, batch, [&] { denseForward(h); });
}

} // namespace wemoe::bench
