#include "adaptation_step.h"

#include "adapt/entropy_objective.h"

#include <torch/torch.h>

namespace wemoe::bench {

AdaptationStep::AdaptationStep(std::vector<torch::Tensor> routerParameters, ClassificationHead head, Encoder encoder)
    : m_parameters(std::move(routerParameters))
    , m_optimizer(m_parameters, torch::optim::AdamOptions(1e-4))
    , m_head(std::move(head))
    , m_encoder(std::move(encoder))
{
}

double AdaptationStep::run(const torch::Tensor &images)
{
    m_optimizer.zero_grad();
    const auto entropy = meanPredictionEntropy(m_head.logits(m_encoder(images)));
    entropy.backward();
    m_optimizer.step();
    return entropy.item<double>();
}

} // namespace wemoe::bench
