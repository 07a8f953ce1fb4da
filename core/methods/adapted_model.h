#pragma once

#include "adapt/adamerging_coefficients.h"
#include "common/tensor_map.h"
#include "moe/adaptation_history.h"
#include "moe/upscaled_clip_model.h"

#include <torch/types.h>

#include <QtCore/QString>
#include <QtCore/QStringList>

#include <memory>
#include <optional>

namespace wemoe {

// A model an adaptive method produced, kept in memory under its
// accuracy-table row (the studio's session) so it can be exported without
// adapting again.
struct AdaptedModel
{
    QString label;    // the row
    QString poolPath; // the pool it was adapted and measured on (absolute)
    QStringList tasks;
    // AdaMerging: the plain merged model at the learned coefficients, and those
    // coefficients (written beside the model when it is exported).
    TensorMap merged;
    std::optional<AdaMergingCoefficients> coefficients;
    // WEMoE: the adapted model, how it was adapted, and the routing weights
    // averaged over each task's test images [tasks, layers, experts] (what
    // collapsing into per-task models needs).
    std::shared_ptr<const UpscaledClipModel> wemoe;
    AdaptationHistory adaptation;
    torch::Tensor meanRouting;
    QString routingMode;

    bool isWemoe() const { return wemoe != nullptr; }
};

} // namespace wemoe
