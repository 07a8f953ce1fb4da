#pragma once

#include "io/classification_head.h"

#include <torch/optim/adam.h>
#include <torch/types.h>

#include <functional>
#include <vector>

namespace wemoe::bench {

// One test-time-adaptation step as adaptRouters() takes it for one task:
// forward, mean prediction entropy through the task's head, backward into the
// routers, Adam step (lr 1e-4). The encoder is a function so the naive loop
// and our model are stepped the same way.
class AdaptationStep
{
public:
    // Wall time of the last run's parts, in milliseconds.
    struct Phases
    {
        double forward = 0;   // the encoder, recording the autograd graph
        double entropy = 0;   // head logits and the mean prediction entropy
        double backward = 0;  // into the routers, through every block
        double optimizer = 0; // zero_grad and Adam's update
    };

    using Encoder = std::function<torch::Tensor(const torch::Tensor &images)>;

    AdaptationStep(std::vector<torch::Tensor> routerParameters, ClassificationHead head, Encoder encoder);

    // Returns the loss (the entropy before the step).
    double run(const torch::Tensor &images);
    const Phases &lastPhases() const { return m_phases; }

private:
    std::vector<torch::Tensor> m_parameters;
    torch::optim::Adam m_optimizer;
    ClassificationHead m_head;
    Encoder m_encoder;
    Phases m_phases;
};

} // namespace wemoe::bench
