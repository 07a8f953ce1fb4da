#pragma once

#include <torch/types.h>

#include <cstdint>

namespace wemoe {

// E-WEMoE's pruning of a task vector (docs/METHOD.md, "E-WEMoE"): each tensor
// on its own keeps its entries of largest magnitude.

// How many of `entries` a keep ratio keeps: round(keepRatio · entries). For
// distinct magnitudes FusionBench's `|τ| > quantile(|τ|, 1 − keep)` keeps
// ceil(keep · (entries − 1)), the same count up to one entry; rounding keeps
// every entry at ratio 1, where the quantile would drop the smallest.
int64_t keptEntryCount(int64_t entries, double keepRatio);

// A bool mask of tensor's shape with exactly keptEntryCount(numel, keepRatio)
// entries set: those of largest |value|. Among entries whose magnitude equals
// the smallest kept one, the lowest flat indices are kept, so the mask never
// depends on the sort or the device. Throws wemoe::Error for a ratio outside
// [0, 1] or a tensor holding NaN or infinity.
torch::Tensor magnitudeKeepMask(const torch::Tensor &tensor, double keepRatio);

// tensor with every entry outside magnitudeKeepMask set to zero.
torch::Tensor pruneByMagnitude(const torch::Tensor &tensor, double keepRatio);

} // namespace wemoe
