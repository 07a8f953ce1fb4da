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
// Deliberately not the demo zoo's fine-tuner (fineTuneTask, library wemoe_zoo):
// that one runs AdamW with decoupled weight decay on matrices, a warmup +
// cosine learning rate, gradient clipping and seeded, augmented minibatches;
// this one plain Adam at a constant rate on one fixed full batch. Sharing code
// would change the bytes `wemoe pool synth --fine-tune-steps` writes.
TensorMap fineTuneMlps(const ClipVisionConfig &config, const TensorMap &pretrained, const ClassificationHead &head,
                       const torch::Tensor &images, const torch::Tensor &labels, int steps, double learningRate);

} // namespace wemoe
