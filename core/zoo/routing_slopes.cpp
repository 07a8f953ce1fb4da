#include "zoo/routing_slopes.h"

#include "common/error.h"
#include "wemoe/upscaled_clip_model.h"
#include "zoo/prediction_entropy.h"

#include <torch/torch.h>

namespace wemoe {

namespace {

// θ0 + λ·Σ τ_t outside the MLPs, θ0 + Σ mlpWeights[t]·τ_t in them.
TensorMap mergedWeights(const LoadedPool &pool, double lambda, const std::vector<double> &mlpWeights)
{
    torch::NoGradGuard noGrad;
    TensorMap merged;
    for (const auto &[name, base] : pool.pretrained.vision) {
        const torch::Tensor pretrained = base.to(torch::kFloat32);
        torch::Tensor weight = pretrained.clone();
        for (int t = 0; t < pool.taskCount(); ++t) {
            const torch::Tensor taskVector = pool.tasks[size_t(t)].vision.at(name).to(torch::kFloat32) - pretrained;
            const double scale = isUpscaledMlpTensor(name) ? mlpWeights[size_t(t)] : lambda;
            weight.add_(taskVector, scale);
        }
        merged.emplace(name, weight);
    }
    return merged;
}

} // namespace

bool RoutingSlopes::ownExpertSteepest(int task) const
{
    const QVector<double> &row = slope.at(task);
    if (!(row[task] < 0.0))
        return false;
    for (int expert = 0; expert < row.size(); ++expert) {
        if (expert != task && row[expert] <= row[task])
            return false;
    }
    return true;
}

RoutingSlopes measureRoutingSlopes(const LoadedPool &pool, double lambda, double epsilon, int batchSize,
                                   const JobContext &context)
{
    if (pool.taskCount() < 1)
        throw Error(pool.pool.path, QStringLiteral("the pool has no tasks"));
    if (!(epsilon > 0.0))
        throw Error(QStringLiteral("routing slopes: the step must be positive (got %1)").arg(epsilon));
    const int tasks = pool.taskCount();
    const ClipVisionConfig &config = pool.pretrained.config;
    const std::vector<TrainingImages> tests = loadTestSplits(pool, context);

    RoutingSlopes slopes;
    slopes.taskNames = pool.taskNames();
    slopes.lambda = lambda;
    slopes.epsilon = epsilon;
    slopes.slope = QVector<QVector<double>>(tasks, QVector<double>(tasks, 0.0));
    const qint64 steps = qint64(tasks + 2) * tasks;
    // expert -1: task arithmetic itself.
    for (int expert = -1; expert < tasks; ++expert) {
        context.throwIfCancelled();
        std::vector<double> mlpWeights(size_t(tasks), lambda);
        if (expert >= 0)
            mlpWeights[size_t(expert)] += epsilon;
        const TensorMap weights = mergedWeights(pool, lambda, mlpWeights);
        for (int u = 0; u < tasks; ++u) {
            context.throwIfCancelled();
            const TaskConfidence measured = measureOnTask(config, weights, pool.heads[size_t(u)], tests[size_t(u)], batchSize);
            if (expert < 0) {
                slopes.entropyAtStart.append(measured.normalizedEntropy);
                slopes.accuracyAtStart.append(measured.accuracy);
            } else {
                slopes.slope[u][expert] = (measured.normalizedEntropy - slopes.entropyAtStart[u]) / epsilon;
            }
            context.progress(qint64(expert + 1) * tasks + u + 1, steps,
                             expert < 0 ? QStringLiteral("task arithmetic") : slopes.taskNames[expert]);
        }
    }
    for (int u = 0; u < tasks; ++u) {
        context.throwIfCancelled();
        std::vector<double> oneHot(size_t(tasks), 0.0);
        oneHot[size_t(u)] = 1.0;
        slopes.ownExpertAccuracy.append(
            measureOnTask(config, mergedWeights(pool, lambda, oneHot), pool.heads[size_t(u)], tests[size_t(u)], batchSize)
                .accuracy);
        context.progress(qint64(tasks + 1) * tasks + u + 1, steps, QStringLiteral("own experts"));
    }
    return slopes;
}

} // namespace wemoe
