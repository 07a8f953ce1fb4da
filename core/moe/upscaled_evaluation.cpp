#include "moe/upscaled_evaluation.h"

#include "common/error.h"
#include "data/batch_loader.h"
#include "data/batch_prefetcher.h"
#include "eval/evaluator.h"

#include <torch/torch.h>

namespace wemoe {

UpscaledEvaluation evaluateUpscaled(const UpscaledClipModel &model, const LoadedPool &pool, RoutingMode mode,
                                    int batchSize, bool captureRouting, const JobContext &context)
{
    if (batchSize <= 0)
        throw Error(QStringLiteral("batch size must be positive (got %1)").arg(batchSize));
    torch::NoGradGuard noGrad;
    const auto datasets = openTaskDatasets(pool);
    const ImagePreprocessor preprocessor(model.config().imageSize, pool.pool.normalization);
    qint64 total = 0;
    for (const auto &dataset : datasets)
        total += dataset->size();

    UpscaledEvaluation result;
    std::vector<torch::Tensor> routingBatches;
    result.capture.tasks = pool.taskNames();
    result.capture.mode = mode;
    qint64 done = 0;
    for (int t = 0; t < pool.taskCount(); ++t) {
        const auto head = pool.heads.at(t).to(model.device());
        const BatchLoader loader(*datasets[t], preprocessor, batchSize);
        BatchPrefetcher batches(loader);
        qint64 correct = 0;
        while (!batches.atEnd()) {
            context.throwIfCancelled();
            const auto batch = batches.next();
            torch::Tensor routing;
            const auto features = model.encode(batch.images.to(model.device()), mode,
                                               captureRouting ? &routing : nullptr);
            const auto predicted = head.logits(features).argmax(1).cpu();
            correct += predicted.eq(batch.labels).sum().item<int64_t>();
            if (captureRouting) {
                routingBatches.push_back(routing.cpu().to(torch::kFloat32));
                for (size_t i = 0; i < batch.indices.size(); ++i) {
                    const int index = batch.indices[i];
                    result.capture.imageTask.append(t);
                    result.capture.imageIndex.append(index);
                    result.capture.imageFiles.append(datasets[t]->sampleName(index));
                    result.capture.trueLabel.append(static_cast<int>(batch.labels[i].item<int64_t>()));
                    result.capture.predictedLabel.append(static_cast<int>(predicted[i].item<int64_t>()));
                }
            }
            done += static_cast<qint64>(batch.indices.size());
            context.progress(done, total, pool.pool.tasks.at(t).name);
        }
        result.accuracy.append(datasets[t]->size() > 0 ? double(correct) / datasets[t]->size() : 0.0);
    }
    if (captureRouting)
        result.capture.weights = torch::cat(routingBatches, 0);
    return result;
}

QString upscaledLabel(const UpscaleOptions &options, RoutingMode mode, const AdaptationHistory &adaptation)
{
    const UpscaleOptions defaults;
    QString settings;
    // E-WEMoE always names both of its settings: they are what sets it apart.
    if (options.isEfficient())
        settings += QStringLiteral(", keep %1%, %2")
                        .arg(QString::number(options.mlp.keepRatio * 100.0, 'g', 6),
                             options.routers == RouterSharing::Shared ? QStringLiteral("shared router")
                                                                      : QStringLiteral("per-block routers"));
    if (options.scalingFactor != defaults.scalingFactor)
        settings += QStringLiteral(", λ %1").arg(options.scalingFactor);
    if (options.mlp.initLambda != defaults.mlp.initLambda)
        settings += QStringLiteral(", init λ %1").arg(options.mlp.initLambda);
    if (options.mlp.routerSeed != defaults.mlp.routerSeed)
        settings += QStringLiteral(", router seed %1").arg(options.mlp.routerSeed);
    if (options.mlp.bf16TaskVectors)
        settings += QStringLiteral(", bf16 task vectors");
    return QStringLiteral("%1 (depth %2%3, %4, %5 routing)")
        .arg(options.isEfficient() ? QStringLiteral("ewemoe") : QStringLiteral("wemoe"))
        .arg(options.mlp.routerDepth)
        .arg(settings)
        .arg(adaptation.describe())
        .arg(routingModeName(mode));
}

} // namespace wemoe
