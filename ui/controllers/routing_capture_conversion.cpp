#include "controllers/routing_capture_conversion.h"

#include "common/error.h"
#include "moe/routing_capture.h"
#include "pool/loaded_pool.h"

#include <torch/torch.h>

#include <cstring>

namespace wemoe::ui {

RoutingCapture toUiCapture(const wemoe::RoutingCapture &capture, const LoadedPool &pool)
{
    RoutingCapture ui;
    ui.tasks = capture.tasks;
    ui.layers = capture.layers();
    ui.experts = capture.experts();
    if (capture.weights.defined() && capture.weights.numel() > 0) {
        if (capture.weights.dim() != 3 || capture.weights.size(2) != capture.experts())
            throw Error(QStringLiteral("routing capture"), QStringLiteral("weights of an unexpected shape"));
        const torch::Tensor weights = capture.weights.to(torch::kCPU, torch::kFloat32).contiguous();
        ui.weights.resize(weights.numel());
        std::memcpy(ui.weights.data(), weights.data_ptr<float>(), sizeof(float) * weights.numel());
    }
    ui.imageTask = capture.imageTask;
    ui.imageFiles = capture.imageFiles;
    ui.trueLabel = capture.trueLabel;
    ui.predictedLabel = capture.predictedLabel;
    for (const ClassificationHead &head : pool.heads)
        ui.classNames.append(head.classNames);
    ui.validate();
    return ui;
}

} // namespace wemoe::ui
