#include "demo/mlp_finetuning.h"

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
    torch::optim::Adam optimizer(trained, torch::optim::AdamOptions(learningRate));
    for (int step = 0; step < steps; ++step) {
        // The model only holds references to the tensors, so it sees every update.
        const ClipVisionModel model(config, weights, torch::kCPU);
        optimizer.zero_grad();
        const auto loss = torch::cross_entropy_loss(head.logits(model.encode(images)), labels);
        loss.backward();
        optimizer.step();
    }
    for (auto &[name, tensor] : weights)
        tensor = tensor.detach();
    return weights;
}

} // namespace wemoe
