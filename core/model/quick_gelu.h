#pragma once

#include <torch/types.h>

namespace wemoe {

// OpenAI CLIP's activation, x · σ(1.702 x), with a backward of its own.
//
// Written as three tensor ops, autograd runs five passes over the MLP's
// widest tensor in the backward ([B, N, 3072] at ViT-B/32 size), each
// allocating its result. Here the forward is the same three ops (the same
// bits), and the backward one pass over float32 CPU tensors (tensor ops
// elsewhere) that does autograd's multiplications in autograd's order, so the
// gradient is bit for bit the one autograd computes. Forward and backward at
// batch 16, two threads: 8.3–10.8 ms against 4.5–5.4 ms (docs/PERFORMANCE.md).
torch::Tensor quickGelu(const torch::Tensor &x);

} // namespace wemoe
