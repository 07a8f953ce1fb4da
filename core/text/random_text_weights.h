#pragma once

#include "common/tensor_map.h"
#include "text/clip_text_config.h"

namespace wemoe {

// Seeded random CLIP text-tower weights (file keys of a CLIPModel) for a
// config: matrices, biases and embeddings ~ N(0, std), layer-norm weights 1
// and biases 0. For tests and benchmarks; the same seed gives the same
// weights on every machine (drawn on the CPU).
TensorMap randomClipTextWeights(const ClipTextConfig &config, quint64 seed, double std = 0.02);

// A tiny text tower for tests: vocabulary 50, 12 tokens, width 16, 2 blocks,
// 2 heads, MLP 32, projection 8, quick_gelu, pooled at the largest id as
// openai's configs are (eos_token_id 2).
ClipTextConfig tinyClipTextConfig();

} // namespace wemoe
