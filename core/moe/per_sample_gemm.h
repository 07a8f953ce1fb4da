#pragma once

#include <cstdint>

namespace wemoe {

// The per-sample matmuls of a weight-ensembling linear layer with the merge
// folded in: no [B, out, in] weights are ever written to memory.
//
// With W(b) = W0 + Σt w[b,t] τt, a library GEMM per sample needs W(b) formed
// first (written and read back from memory, since B of them do not fit in a
// cache) and then packs it again; its M is only the N tokens of one sample.
// These loops take a block of τ small enough to stay in the L2 cache, merge
// one sample's weights for that block into an L1/L2-sized buffer, and use
// them at once, sample after sample: τ is read from memory once per call,
// and each merged block is read from the cache (docs/PERFORMANCE.md).
//
// float32 on x86-64 with AVX2 and FMA only (perSampleGemmAvailable); the
// caller keeps the library path for everything else. Every sum is taken in an
// order fixed by the shapes alone, never by threads.

// One layer's operands for a range of its output rows. All row-major.
struct PerSampleGemmProblem
{
    const float *x = nullptr; // x[b][i][k] at x + b·xBatchStride + i·xTokenStride + k
    int64_t xBatchStride = 0;
    int64_t xTokenStride = 0;       // ≥ in
    const float *routing = nullptr; // [batch][experts]
    const float *base = nullptr;    // W0's rows of the range, [rows][in]
    const float *tasks = nullptr;   // τ's rows of the range: expert t's row r at tasks + t·taskStride + r·in
    int64_t taskStride = 0;
    int64_t batch = 0;
    int64_t tokens = 0;
    int64_t experts = 0;
    int64_t in = 0;   // a multiple of 8
    int64_t rows = 0; // output rows in the range
};

// Input columns of one backward block. Callers that split the columns among
// threads split at multiples of it, so that every block is whole.
constexpr int64_t kPerSampleGemmBackwardColumns = 192;

// Whether this CPU and build can run the loops below.
bool perSampleGemmAvailable();

// Whether the shapes suit them (in a multiple of 8, everything non-empty).
bool perSampleGemmFits(int64_t in);

// y[b][i][r] = Σk x[b][i][k] · W(b)[r][k] for the range's rows, written (not
// added) at y + b·yBatchStride + i·yTokenStride + r.
void perSampleGemmForward(const PerSampleGemmProblem &p, float *y, int64_t yBatchStride, int64_t yTokenStride);

// The backward for the range's rows and the input columns [k0, k1) (multiples
// of 8, or k1 = in), given dy at dy + b·dyBatchStride + i·dyTokenStride + r:
//   dx[b][i][k] += Σr dy[b][i][r] · W(b)[r][k]          (dx [batch][tokens][in]; skipped when null)
//   dRouting[b][t] += Σr,k (Σi dy[b][i][r] x[b][i][k]) · τt[r][k]   ([batch][experts]; skipped when null)
// dRouting is summed in double.
void perSampleGemmBackward(const PerSampleGemmProblem &p, const float *dy, int64_t dyBatchStride, int64_t dyTokenStride,
                           int64_t k0, int64_t k1, float *dx, double *dRouting);

} // namespace wemoe
