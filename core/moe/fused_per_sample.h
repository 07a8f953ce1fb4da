#pragma once

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace wemoe {

// Tensor-level entry to our fused per-sample matmuls (per_sample_gemm.h),
// shared by the dense (per_sample_linear) and sparse (sparse_per_sample_linear)
// kernels. Tensors are detached, [B, N, in] inputs, [B, T] routing, W0
// [out, in]; taskRows is τ's rows [r0, r0 + rows) of every expert, [T, rows, in],
// each expert's rows contiguous (a row slice of dense τ, or a dense block of
// sparse τ).

// Whether these tensors suit the loops: float32 on a CPU with AVX2 and FMA,
// contiguous, in a multiple of 8 (and τ float32 and contiguous when given).
bool fusedPerSampleApplies(const torch::Tensor &x, const torch::Tensor &routing, const torch::Tensor &weight,
                           const torch::Tensor &taskWeights = {});

// y[:, :, r0 : r0 + rows] = x[b] · W(b)[rows]ᵀ, written into y ([B, N, out], contiguous).
void fusedForwardRows(const torch::Tensor &x, const torch::Tensor &routing, const torch::Tensor &weight,
                      const torch::Tensor &taskRows, int64_t r0, const torch::Tensor &y);

// The backward of those rows for the input columns [k0, k1), added into dx
// ([B, N, in] float32, contiguous; skipped when null) and dRouting (B · T
// doubles; skipped when null). dy is [B, N, out], contiguous.
void fusedBackwardRows(const torch::Tensor &dy, const torch::Tensor &x, const torch::Tensor &routing,
                       const torch::Tensor &weight, const torch::Tensor &taskRows, int64_t r0, int64_t k0, int64_t k1,
                       float *dx, double *dRouting);

// The whole layer on dense τ ([T, out, in]), as per_sample_linear runs it:
// the forward by chunks of chunkRows output rows, each written in place into
// y; the backward by fixed units of kPerSampleGemmBackwardColumns input
// columns, each owning its columns of dx, their routing gradients added in
// unit order (results do not depend on the thread count). dx and dRouting
// are skipped when null.
torch::Tensor fusedLayerForward(const torch::Tensor &x, const torch::Tensor &routing, const torch::Tensor &weight,
                                const torch::Tensor &taskWeights, int64_t chunkRows);
void fusedLayerBackward(const torch::Tensor &dy, const torch::Tensor &x, const torch::Tensor &routing,
                        const torch::Tensor &weight, const torch::Tensor &taskWeights, torch::Tensor *dx,
                        torch::Tensor *dRouting);

// Per-unit routing-gradient sums (B · T doubles each) added in unit order, as
// a [B, T] tensor of routing's dtype: results do not depend on which thread
// ran which unit.
torch::Tensor sumRoutingGradients(const std::vector<std::vector<double>> &parts, const torch::Tensor &routing);

} // namespace wemoe
