#pragma once

#include "common/tensor_map.h"
#include "io/clip_config.h"

namespace wemoe {

// Seeded random CLIP vision weights (canonical names) for a config: matrices
// ~ N(0, std), layer-norm weights 1 and biases 0, embeddings ~ N(0, std).
// For tests, synthetic pools and benchmarks; the same seed gives the same
// weights on every machine (drawn on the CPU).
TensorMap randomClipVisionWeights(const ClipVisionConfig &config, quint64 seed, double std = 0.02);

// A tiny config for tests: 16 px images, patch 4 (17 tokens), width 32,
// 2 blocks, 2 heads, MLP 64, projection 16, quick_gelu.
ClipVisionConfig tinyClipConfig();

} // namespace wemoe
