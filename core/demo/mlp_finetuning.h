#pragma once

#include "common/tensor_map.h"
#include "io/classification_head.h"
#include "io/clip_config.h"

#include <torch/types.h>

namespace wemoe {

// A fine-tuned copy of `pretrained` in which only the MLP tensors of every
// block have been trained: full-batch Adam on the cross-entropy of the frozen
// `head` over `images` [N, 3, H, W] and `labels` [N]. Everything else is
// returned as it is in `pretrained`, so the task vectors live in the MLPs, the
// case WEMoE's experts reproduce exactly. Deterministic on the CPU.
// It runs the demo models' one training loop (trainWithAdamW, as the demo
// zoo's fine-tuning does) at a constant rate, without weight decay or
// clipping, on one fixed full batch; the zoo's recipe adds a schedule,
// decay, clipping and augmented minibatches.
TensorMap fineTuneMlps(const ClipVisionConfig &config, const TensorMap &pretrained, const ClassificationHead &head,
                       const torch::Tensor &images, const torch::Tensor &labels, int steps, double learningRate);

} // namespace wemoe
