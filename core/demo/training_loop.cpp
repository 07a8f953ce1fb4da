#include "demo/training_loop.h"

#include "common/error.h"

#include <QtCore/QElapsedTimer>

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace wemoe {

TensorMap trainableWeights(const TensorMap &weights)
{
    TensorMap leaves;
    for (const auto &[name, tensor] : weights)
        leaves.emplace(name,
                       tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous().clone().requires_grad_(true));
    return leaves;
}

TensorMap detachedWeights(const TensorMap &weights)
{
    TensorMap copies;
    for (const auto &[name, tensor] : weights)
        copies.emplace(name, tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous().clone());
    return copies;
}

std::vector<torch::Tensor> tensorList(const TensorMap &weights)
{
    std::vector<torch::Tensor> list;
    list.reserve(weights.size());
    for (const auto &entry : weights)
        list.push_back(entry.second);
    return list;
}

double scheduledLearningRate(const TrainSchedule &schedule, int step)
{
    if (schedule.constantRate)
        return schedule.learningRate;
    if (schedule.warmupSteps > 0 && step < schedule.warmupSteps)
        return schedule.learningRate * double(step + 1) / double(schedule.warmupSteps);
    const int decaySteps = std::max(1, schedule.steps - schedule.warmupSteps);
    const double progress = std::clamp(double(step - schedule.warmupSteps) / double(decaySteps), 0.0, 1.0);
    const double pi = std::acos(-1.0);
    return schedule.learningRate * 0.5 * (1.0 + std::cos(pi * progress));
}

TrainReport trainWithAdamW(const std::vector<torch::Tensor> &parameters, const TrainSchedule &schedule,
                           const std::function<torch::Tensor(int step)> &lossOfStep, const JobContext &context,
                           const QString &what)
{
    if (schedule.steps < 1)
        throw Error(QStringLiteral("%1: training needs at least one step (got %2)").arg(what).arg(schedule.steps));
    if (!(schedule.learningRate > 0.0))
        throw Error(
            QStringLiteral("%1: the learning rate must be positive (got %2)").arg(what).arg(schedule.learningRate));

    // Decay pulls weights towards zero: right for matrices, wrong for layer-norm gains.
    std::vector<torch::Tensor> decayed;
    std::vector<torch::Tensor> plain;
    for (const torch::Tensor &p : parameters)
        (p.dim() >= 2 ? decayed : plain).push_back(p);
    std::vector<torch::optim::OptimizerParamGroup> groups;
    if (!decayed.empty())
        groups.emplace_back(decayed,
                            std::make_unique<torch::optim::AdamWOptions>(
                                torch::optim::AdamWOptions(schedule.learningRate).weight_decay(schedule.weightDecay)));
    if (!plain.empty())
        groups.emplace_back(plain, std::make_unique<torch::optim::AdamWOptions>(
                                       torch::optim::AdamWOptions(schedule.learningRate).weight_decay(0.0)));
    torch::optim::AdamW optimizer(groups, torch::optim::AdamWOptions(schedule.learningRate));

    QElapsedTimer timer;
    timer.start();
    const int window = std::max(1, schedule.steps / 10);
    TrainReport report;
    report.steps = schedule.steps;
    double firstSum = 0.0;
    double finalSum = 0.0;
    context.progress(0, schedule.steps, what);
    for (int step = 0; step < schedule.steps; ++step) {
        context.throwIfCancelled();
        const double lr = scheduledLearningRate(schedule, step);
        for (auto &group : optimizer.param_groups())
            static_cast<torch::optim::AdamWOptions &>(group.options()).lr(lr);

        optimizer.zero_grad();
        const torch::Tensor loss = lossOfStep(step);
        const double value = loss.item<double>();
        if (!std::isfinite(value))
            throw Error(QStringLiteral("%1: the training loss became %2 at step %3 (learning rate %4 too high?)")
                            .arg(what)
                            .arg(value)
                            .arg(step)
                            .arg(lr));
        loss.backward();
        if (schedule.maxGradNorm > 0.0)
            torch::nn::utils::clip_grad_norm_(parameters, schedule.maxGradNorm);
        optimizer.step();

        if (step < window)
            firstSum += value;
        if (step >= schedule.steps - window)
            finalSum += value;
        context.progress(step + 1, schedule.steps, what);
    }
    report.firstLoss = firstSum / window;
    report.finalLoss = finalSum / window;
    report.seconds = timer.elapsed() / 1000.0;
    return report;
}

} // namespace wemoe
