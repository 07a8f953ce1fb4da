#pragma once

#include <torch/types.h>

#include <algorithm>
#include <cstdint>

namespace wemoe {

// The stacked weight task vectors τ [T, out, in] of one linear layer after
// magnitude pruning (E-WEMoE), stored as values and indices. The rows are cut
// into blocks of rowBlock rows; a block's entries, for every expert, are one
// contiguous range, ordered expert, row, column. That is the order of the
// dense block [T, rows, in], so the per-sample kernel rebuilds a block with a
// single scatter and then merges it exactly like dense task vectors, and an
// index within its block fits int32 whatever the layer's size.
struct SparseTaskWeights
{
    static constexpr int64_t kDefaultRowBlock = 64; // rows per block: the per-sample kernel's unit of work

    torch::Tensor values;      // [kept], the compute dtype or bfloat16
    torch::Tensor indices;     // [kept] int32: (expert · rows + row in block) · in + column, ascending in each block
    torch::Tensor blockStarts; // [blocks + 1] int64, always on the CPU: block j's entries are
                               // [blockStarts[j], blockStarts[j + 1])
    int64_t experts = 0;
    int64_t out = 0;
    int64_t in = 0;
    int64_t rowBlock = kDefaultRowBlock;

    bool defined() const { return values.defined(); }
    int64_t blocks() const { return (out + rowBlock - 1) / rowBlock; }
    int64_t blockRows(int64_t block) const { return std::min(rowBlock, out - block * rowBlock); }
    int64_t keptEntries() const { return values.numel(); }
    // Bytes held: values, indices and block starts.
    int64_t bytes() const;

    // The entries of τ [T, out, in] where keep [T, out, in] is true, values
    // stored as `storage` (the compute dtype or bfloat16) on τ's device.
    static SparseTaskWeights fromMask(const torch::Tensor &taskWeights, const torch::Tensor &keep,
                                      c10::ScalarType storage, int64_t rowBlock = kDefaultRowBlock);
    // Values, indices and block starts read back from a file (on the CPU):
    // checked (sizes, dtypes, block starts, every index inside its block and
    // ascending) and moved to `device`. Throws wemoe::Error saying what does not fit.
    static SparseTaskWeights fromStorage(const torch::Tensor &values, const torch::Tensor &indices,
                                         const torch::Tensor &blockStarts, int64_t experts, int64_t out, int64_t in,
                                         int64_t rowBlock, const c10::Device &device);

    // Block `block` of every expert as dense rows, [T, blockRows(block), in] in
    // `type`, zeros where pruned.
    torch::Tensor denseBlock(int64_t block, c10::ScalarType type) const;
    // Blocks [first, end) of every expert as dense float32 rows written into
    // `to`, [T, rows of those blocks, in] contiguous, for the fused per-sample
    // kernel (a chunk of blocks at a time). Every element of `to` is written;
    // each expert's block is cleared and scattered into while in cache. CPU
    // only; values float32 or bfloat16.
    void denseBlockRangeInto(int64_t first, int64_t end, float *to) const;
    // All of τ densified, [T, out, in] (collapse, tests).
    torch::Tensor dense(c10::ScalarType type) const;
};

} // namespace wemoe
