#include "demo/mlp_finetuning.h"

#include "demo/training_loop.h"
#include "model/clip_vision_model.h"

#include <torch/torch.h>

namespace wemoe {

TensorMap fineTuneMlps(const ClipVisionConfig &config, const TensorMap &pretrained, const ClassificationHead &head,
                       const torch::Tensor &images, const torch::Tensor &labels, int steps, double learningRate)
{
    torch::AutoGradMode enableGrad(true);
    TensorMap weights;
    std::vector<torch::Tensor> trained;
    for (const auto &[name, tensor] : pretrained) {
        if (name.find(".mlp.") == std::string::npos) {
            weights.emplace(name, tensor);
            continue;
        }
        auto copy = tensor.detach().clone().requires_grad_(true);
        trained.push_back(copy);
        weights.emplace(name, copy);
    }
    // Full-batch Adam at a constant rate: the demo zoo's loop with no schedule, decay or clipping.
    TrainSchedule schedule;
    schedule.steps = steps;
    schedule.learningRate = learningRate;
    schedule.constantRate = true;
    schedule.weightDecay = 0.0;
    schedule.maxGradNorm = 0.0;
    trainWithAdamW(
        trained, schedule,
        [&](int) {
            // The model only holds references to the tensors, so it sees every update.
            const ClipVisionModel model(config, weights, torch::kCPU);
            return torch::cross_entropy_loss(head.logits(model.encode(images)), labels);
        },
        {}, QStringLiteral("fine-tuning the MLPs"));
    for (auto &[name, tensor] : weights)
        tensor = tensor.detach();
    return weights;
}

} // namespace wemoe
