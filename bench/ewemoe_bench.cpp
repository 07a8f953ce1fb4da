#include "ewemoe_bench.h"

#include "adaptation_step.h"

#include <torch/torch.h>

#include <cstdio>

namespace wemoe::bench {

namespace {

const char *const kWemoe = "WEMoE (dense τ, a router per block)";
const char *const kEwemoe = "E-WEMoE (sparse τ, shared router)";

QString megabytes(int64_t bytes)
{
    return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1);
}

QString goal(bool met)
{
    return met ? QStringLiteral("met") : QStringLiteral("missed");
}

// "| what | batch | E-WEMoE / WEMoE speed | goal |" rows.
void printSpeedRatios(const ResultTable &table, const QString &group, long long batch, QTextStream &out)
{
    const auto *dense = table.find(group, QString::fromUtf8(kWemoe), batch);
    const auto *sparse = table.find(group, QString::fromUtf8(kEwemoe), batch);
    if (!dense || !sparse)
        return;
    const double ratio = dense->seconds / sparse->seconds;
    out << "| " << group << " | " << batch << " | " << QString::number(ratio, 'f', 2)
        << "× | ≥ 0.9×: " << goal(ratio >= 0.9) << " |\n";
}

} // namespace

void runEwemoeBench(const EwemoeBenchOptions &options, const TimingOptions &timing, QTextStream &out)
{
    std::fprintf(stderr, "building the random WEMoE model (%d experts)...\n", options.model.experts);
    const auto wemoe = randomUpscaledModel(options.model);
    std::fprintf(stderr, "building the same model as E-WEMoE (keep %g)...\n", options.keepRatio);
    auto config = options.model;
    config.keepRatio = options.keepRatio;
    config.routers = RouterSharing::Shared;
    const auto ewemoe = randomUpscaledModel(config);

    ResultTable table(timing);
    table.setBaselines({QString::fromUtf8(kWemoe)});
    const auto &vit = options.model.vit;
    const QString forward = QStringLiteral("forward, %1 blocks, per-sample routing").arg(vit.numHiddenLayers);
    const auto images = [&](int64_t batch) {
        auto generator = at::detail::createCPUGenerator(options.model.seed + 2000 + uint64_t(batch));
        return at::normal(0.0, 1.0, {batch, vit.numChannels, vit.imageSize, vit.imageSize}, generator);
    };
    {
        torch::NoGradGuard noGrad;
        for (const auto batch : options.batches) {
            const auto x = images(batch);
            table.measure(forward, QString::fromUtf8(kWemoe), batch, [&] { wemoe.encode(x); });
            table.measure(forward, QString::fromUtf8(kEwemoe), batch, [&] { ewemoe.encode(x); });
        }
    }
    const QString adaptation = QStringLiteral("adaptation step (one task's batch)");
    if (options.adaptBatch > 0) {
        const auto head = randomHead(wemoe.featureDim(), options.classes, options.model.seed + 3000);
        const auto x = images(options.adaptBatch);
        const auto stepOf = [&](const UpscaledClipModel &model) {
            return AdaptationStep(model.routerParameters(), head,
                                  [&model](const torch::Tensor &batch) { return model.encode(batch); });
        };
        auto denseStep = stepOf(wemoe);
        auto sparseStep = stepOf(ewemoe);
        table.measure(adaptation, QString::fromUtf8(kWemoe), options.adaptBatch, [&] { denseStep.run(x); });
        table.measure(adaptation, QString::fromUtf8(kEwemoe), options.adaptBatch, [&] { sparseStep.run(x); });
    }

    const int64_t denseBytes = taskVectorBytesHeld(wemoe), sparseBytes = taskVectorBytesHeld(ewemoe);
    const double memoryRatio = double(sparseBytes) / double(denseBytes);
    out << "## E-WEMoE vs WEMoE: " << vit.describe() << ", " << options.model.experts << " experts, router depth "
        << options.model.routerDepth << ", keep " << options.keepRatio * 100.0 << " %, random weights\n\n";
    out << "| model | MLP task vectors held (MB) | router parameters |\n| --- | ---: | ---: |\n";
    for (const auto *model : {&wemoe, &ewemoe}) {
        int64_t routerParameters = 0;
        for (const auto &p : model->routerParameters())
            routerParameters += p.numel();
        out << "| " << (model == &wemoe ? kWemoe : kEwemoe) << " | " << megabytes(taskVectorBytesHeld(*model)) << " | "
            << routerParameters << " |\n";
    }
    out << "\nE-WEMoE holds " << QString::number(memoryRatio, 'f', 3)
        << "× the task-vector bytes (goal ≤ 0.25×: " << goal(memoryRatio <= 0.25)
        << "): values (float32) and int32 indices of the kept entries, block starts, "
        << "and the pruned biases dense.\n\n";
    out << "Median of " << timing.repeats << " after " << timing.warmup
        << " warm-up call(s). \"× vs\" = how many times faster than WEMoE.\n\n";
    table.printMarkdown(out);
    out << "\n| measurement | batch | E-WEMoE speed / WEMoE speed | goal |\n| --- | ---: | ---: | --- |\n";
    for (const auto batch : options.batches)
        printSpeedRatios(table, forward, batch, out);
    if (options.adaptBatch > 0)
        printSpeedRatios(table, adaptation, options.adaptBatch, out);
}

} // namespace wemoe::bench
