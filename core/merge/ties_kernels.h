#pragma once

#include "merge/merge_methods.h"

#include <torch/types.h>

#include <cstdint>

namespace wemoe {

// The element-wise steps of TIES as fused loops over contiguous float32 CPU
// tensors: each would otherwise take several full-size torch temporaries per
// task and tensor, and TIES runs them over every entry of every task vector.

// Entries with |x| < threshold become 0 (FusionBench keeps |x| >= threshold).
// Makes x contiguous first if it is not.
void trimBelow(torch::Tensor &x, float threshold);

// Counts the entries of an elected sum that are > 0 and < 0.
struct SignCounts
{
    std::int64_t positive = 0;
    std::int64_t negative = 0;
};
SignCounts countSigns(const torch::Tensor &sum);

// In place: sum → its sign, with zeros replaced by majoritySign.
void electSigns(torch::Tensor &sum, float majoritySign);

// Adds the entries of τ that agree with the elected sign (FusionBench's
// where(sign > 0, τ > 0, τ < 0)) into merged: Sum and Mean add them (Mean
// also counts them in count), Max keeps the largest magnitude.
void accumulateAgreeing(const torch::Tensor &sign, const torch::Tensor &tau, torch::Tensor &merged,
                        torch::Tensor &count, TiesMergeFunction function);

} // namespace wemoe
