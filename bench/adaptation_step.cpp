#include "adaptation_step.h"

#include "adapt/entropy_objective.h"

#include <torch/torch.h>

#include <chrono>

namespace wemoe::bench {

AdaptationStep::AdaptationStep(std::vector<torch::Tensor> routerParameters, ClassificationHead head, Encoder encoder)
    : m_parameters(std::move(routerParameters))
    , m_optimizer(m_parameters, torch::optim::AdamOptions(1e-4))
    , m_head(std::move(head))
    , m_encoder(std::move(encoder))
{
}

namespace {

// Milliseconds since `since`, which moves on to now.
double lap(std::chrono::steady_clock::time_point &since)
{
    const auto now = std::chrono::steady_clock::now();
    const double ms = std::chrono::duration<double, std::milli>(now - since).count();
    since = now;
    return ms;
}

} // namespace

double AdaptationStep::run(const torch::Tensor &images)
{
    auto since = std::chrono::steady_clock::now();
    m_optimizer.zero_grad();
    double optimizer = lap(since);
    const auto features = m_encoder(images);
    m_phases.forward = lap(since);
    const auto entropy = meanPredictionEntropy(m_head.logits(features));
    m_phases.entropy = lap(since);
    entropy.backward();
    m_phases.backward = lap(since);
    m_optimizer.step();
    m_phases.optimizer = optimizer + lap(since);
    return entropy.item<double>();
}

} // namespace wemoe::bench
