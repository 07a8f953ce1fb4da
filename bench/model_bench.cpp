#include "model_bench.h"

#include "adaptation_step.h"
#include "naive_per_sample.h"
#include "paired_ratio.h"
#include "step_profile.h"

#include <QtCore/QRegularExpression>

#include <torch/torch.h>

#include <cstdio>

namespace wemoe::bench {

ModelBench::ModelBench(const ModelBenchOptions &options)
    : m_options(options)
{
    std::fprintf(stderr, "building the random WEMoE model (%d experts)...\n", options.model.experts);
    auto config = options.model;
    config.bf16TaskVectors = false;
    m_model = std::make_unique<UpscaledClipModel>(randomUpscaledModel(config));
    if (options.withBf16) {
        std::fprintf(stderr, "building the same model with bfloat16 task vectors...\n");
        config.bf16TaskVectors = true;
        m_modelBf16 = std::make_unique<UpscaledClipModel>(randomUpscaledModel(config));
    }
    // mergedDense holds θ0's MLPs: the dense ViT of the same size, sharing storage.
    m_dense = std::make_unique<ClipVisionModel>(config.vit, m_model->mergedDense(), torch::kCPU);
    m_naive = std::make_unique<ClipVisionModel>(config.vit, m_model->mergedDense(), torch::kCPU);
    m_naive->setMlpOverride([model = m_model.get()](int layer, const torch::Tensor &h) {
        return naiveReferenceMlp(*model->mlp(layer), h);
    });
}

ModelBench::~ModelBench() = default;

torch::Tensor ModelBench::images(int64_t batch) const
{
    const auto &vit = m_options.model.vit;
    auto generator = at::detail::createCPUGenerator(m_options.model.seed + 2000 + uint64_t(batch));
    return at::normal(0.0, 1.0, {batch, vit.numChannels, vit.imageSize, vit.imageSize}, generator);
}

void ModelBench::measureForward(ResultTable &table, int64_t batch)
{
    const QString group = QStringLiteral("forward, %1 blocks").arg(m_options.model.vit.numHiddenLayers);
    torch::NoGradGuard noGrad;
    const auto x = images(batch);
    const auto naiveTiming = batch >= kSlowBatch ? m_options.slowTiming : table.timing();
    table.measure(
        group, kModelNaive, batch, [&] { m_naive->encode(x); }, naiveTiming);
    table.measure(group, kModelPerSample, batch, [&] { m_model->encode(x, RoutingMode::PerSample); });
    if (m_modelBf16)
        table.measure(group, kModelPerSampleBf16, batch, [&] { m_modelBf16->encode(x, RoutingMode::PerSample); });
    table.measure(group, kModelBatchReduce, batch, [&] { m_model->encode(x, RoutingMode::BatchReduce); });
    table.measure(group, kModelDense, batch, [&] { m_dense->encode(x); });
}

void ModelBench::measureAdaptation(ResultTable &table, int64_t batch, int64_t naiveBatch)
{
    const QString group = QStringLiteral("adaptation step (one task's batch)");
    const auto head = randomHead(m_model->featureDim(), m_options.classes, m_options.model.seed + 3000);
    const auto stepOf = [&](const UpscaledClipModel &model, RoutingMode mode) {
        return AdaptationStep(model.routerParameters(), head,
                              [&model, mode](const torch::Tensor &images) { return model.encode(images, mode); });
    };
    if (naiveBatch > 0) {
        // The naive loop's autograd graph keeps gigabytes per sample: it runs at its
        // own (small) batch, and ours is timed at that batch too for the ratio.
        const auto x = images(naiveBatch);
        AdaptationStep naive(m_model->routerParameters(), head,
                             [this](const torch::Tensor &images) { return m_naive->encode(images); });
        table.measure(
            group, kModelNaive, naiveBatch, [&] { naive.run(x); }, m_options.slowTiming);
        if (naiveBatch != batch) {
            auto perSample = stepOf(*m_model, RoutingMode::PerSample);
            table.measure(group, kModelPerSample, naiveBatch, [&] { perSample.run(x); });
        }
    }
    const auto x = images(batch);
    auto perSample = stepOf(*m_model, RoutingMode::PerSample);
    table.measure(group, kModelPerSample, batch, [&] { perSample.run(x); });
    if (m_modelBf16) {
        auto perSampleBf16 = stepOf(*m_modelBf16, RoutingMode::PerSample);
        table.measure(group, kModelPerSampleBf16, batch, [&] { perSampleBf16.run(x); });
    }
    auto batchReduce = stepOf(*m_model, RoutingMode::BatchReduce);
    table.measure(group, kModelBatchReduce, batch, [&] { batchReduce.run(x); });
}

void ModelBench::profileAdaptation(int64_t batch, const TimingOptions &timing, QTextStream &out)
{
    const auto x = images(batch);
    double denseMs = 0;
    {
        torch::NoGradGuard noGrad;
        denseMs = 1000.0 * timeCalls([&] { m_dense->encode(x); }, timing).median;
    }
    const auto head = randomHead(m_model->featureDim(), m_options.classes, m_options.model.seed + 3000);
    std::vector<StepProfile> profiles;
    for (const auto mode : {RoutingMode::PerSample, RoutingMode::BatchReduce}) {
        AdaptationStep step(m_model->routerParameters(), head,
                            [this, mode](const torch::Tensor &images) { return m_model->encode(images, mode); });
        profiles.push_back(profileStep(
            QString::fromUtf8(mode == RoutingMode::PerSample ? kModelPerSample : kModelBatchReduce), step, x, timing));
    }
    // The floor of batch_reduce's step: the dense ViT trained in its MLP
    // weights runs the same matmuls (a weight-sized gradient of every MLP
    // linear, dx where an earlier layer needs it) without routers or τ.
    std::vector<torch::Tensor> mlpWeights;
    TensorMap weights = m_model->mergedDense();
    for (auto &[name, tensor] : weights)
        if (QString::fromStdString(name).contains(QRegularExpression(QStringLiteral("\\.mlp\\.fc[12]\\.weight$"))))
            mlpWeights.push_back(tensor = tensor.detach().clone().requires_grad_(true)); // Adam must not touch θ0
    const ClipVisionModel trained(m_options.model.vit, weights, torch::kCPU);
    AdaptationStep floor(mlpWeights, head, [&trained](const torch::Tensor &images) { return trained.encode(images); });
    profiles.push_back(profileStep(QString::fromUtf8(kModelDenseTrained), floor, x, timing));
    printStepProfiles(profiles, denseMs, batch, out);
}

void ModelBench::measureStepRatios(int64_t batch, const TimingOptions &rounds, QTextStream &out)
{
    const auto x = images(batch);
    const auto head = randomHead(m_model->featureDim(), m_options.classes, m_options.model.seed + 3000);
    std::vector<std::unique_ptr<AdaptationStep>> steps;
    std::vector<std::function<void()>> variants;
    const std::vector<RoutingMode> modes{RoutingMode::PerSample, RoutingMode::BatchReduce};
    for (const auto mode : modes)
        steps.push_back(std::make_unique<AdaptationStep>(
            m_model->routerParameters(), head,
            [this, mode](const torch::Tensor &images) { return m_model->encode(images, mode); }));
    for (auto &step : steps)
        variants.push_back([step = step.get(), &x] { step->run(x); });
    const auto ratios = pairedRatios(
        [&] {
            torch::NoGradGuard noGrad;
            m_dense->encode(x);
        },
        variants, rounds);

    out << "\n### Adaptation step ÷ dense forward, timed in turn (batch " << batch << ")\n\n"
        << "Each round times the dense ViT's forward, a per-sample step, the dense forward, a batch_reduce step and "
           "the dense forward again; each step is divided by the mean of the two dense forwards around it. "
        << rounds.repeats << " rounds after " << rounds.warmup << " warm-up round(s).\n\n"
        << "| variant | step ÷ dense forward (median) | min | max | rounds |\n| --- | ---: | ---: | ---: | ---: |\n";
    for (std::size_t i = 0; i < modes.size(); ++i) {
        const auto number = [](double value) { return QString::number(value, 'f', 2) + QStringLiteral("×"); };
        out << "| " << (modes[i] == RoutingMode::PerSample ? kModelPerSample : kModelBatchReduce) << " | **"
            << number(ratios[i].median()) << "** | " << number(ratios[i].min()) << " | " << number(ratios[i].max())
            << " | " << ratios[i].ratios.size() << " |\n";
    }
}

} // namespace wemoe::bench
