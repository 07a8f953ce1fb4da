#pragma once

#include <torch/types.h>

namespace wemoe {

// Per-sample weights of a block of rows, written by a loop of our own:
//   out[b] = base + Σt routing[b, t] · tasks[t]
// routing [B, T], base [rows, in], tasks [T, rows, in] (each expert's block
// contiguous, the experts at any stride: a row block of τ read in place),
// out [B, rows, in] (each sample's block contiguous, the samples at any
// stride: a slice of a larger chunk). The library's GEMM does this with K = T: it
// first copies base into every sample, packs τ and then reads and writes
// every output again; here τ is read a few KB at a time while every sample
// uses it, and each output is written once. On x86-64 it is compiled twice
// (AVX2 with FMA, and the baseline) and the CPU picks at load.
//
// out is written through (its storage, not the handle). Returns false,
// touching nothing, unless everything is float32 on the CPU in those layouts.
bool mergeRowsOnCpu(const torch::Tensor &routing, const torch::Tensor &base, const torch::Tensor &tasks,
                    const torch::Tensor &out);

// The same merge on any device and dtype: the loop above where it applies,
// else one GEMM with K = T (the same sums) written into out.
void mergeRows(const torch::Tensor &routing, const torch::Tensor &base, const torch::Tensor &tasks,
               const torch::Tensor &out);

} // namespace wemoe
