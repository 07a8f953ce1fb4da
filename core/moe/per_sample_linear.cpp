#include "moe/per_sample_linear.h"

#include "common/chunk_parallel.h"
#include "common/error.h"
#include "moe/fused_per_sample.h"
#include "moe/merged_rows.h"
#include "moe/sparse_per_sample_linear.h"

#include <torch/torch.h>

#include <algorithm>

namespace wemoe {

namespace {

using torch::Tensor;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// ---------------------------------------------------------------------------
// Cost model. Units: floating-point operations at the speed of one large GEMM.
// P = in·out weights per expert, B batch, N tokens, T experts, C chunks.
//
// MergeRowChunks:  kSampleGemm·2·B·N·P     the per-sample matmuls: B GEMMs with only M = N
//                                          rows each, and x re-packed for every chunk
//                + kMergeCost·B·T·P        forming W(b): a GEMM with K = T whose cost is
//                                          writing B·P floats, not its B·T·P multiply-adds
//                + kStreamCost·T·P         reading τ once
//                + kCallCost·C·(B + 2)     a merge, B GEMMs and a broadcast per chunk
// Expand:          2·B·N·P·(T + 1)         x·W0ᵀ and x·τtᵀ for every expert (M = B·N: efficient)
//                + kScaleCost·B·N·out·T    scaling and adding each expert's output
//                + kStreamCost·T·P         reading τ once
//                + kCallCost·C·2·T         a GEMM and a scaled add per expert and chunk
// Merging costs about kMergeCost·T / 2N of the matmul and expanding T times the
// matmul, so MergeRowChunks wins as soon as a sample has more than a couple of
// tokens (ViT: N = 50, T = 8); Expand wins for one or two tokens per sample and
// for tiny layers where call overheads dominate. Either backward costs about
// twice its forward, so the forward decides. Constants measured on the
// project's 2-core CPU with `wemoe-bench --level mlp --parts` (docs/PERFORMANCE.md):
// at B = 16, N = 50, T = 8 forming W(b) costs ~0.3 of the dense matmul of
// the layer and the per-sample GEMMs 1.1–1.7× the dense one; at B = 16, T = 8 Expand is 1.9× faster for N = 1,
// 1.2× for N = 2, and 1.06× slower for N = 4 (the model's crossover is N ≈ 3).
// A wrong constant only costs speed, never correctness.
constexpr double kSampleGemm = 1.3;
constexpr double kMergeCost = 4.0;
constexpr double kStreamCost = 8.0;
constexpr double kScaleCost = 4.0;
constexpr double kCallCost = 2.0e5;

// Chunk size. A chunk is one thread's unit of work (forEachChunk) and its
// per-sample weights [B, rows, in] are written, packed by the BLAS and read at
// once, so they should stay near the core; but a chunk re-packs x for each of
// its B GEMMs and a GEMM with few output rows is inefficient, so chunks keep at
// least kMinChunkRows rows (up to kMaxChunkBytes). Measured on the project's
// CPU (wemoe-bench --level mlp --chunk-sweep), one thread per chunk: 64-384 rows are about equally
// good, 16-32 rows 10-30 % slower. On a GPU chunks only need to be large
// enough to keep the kernels busy.
constexpr int64_t kCpuChunkBytes = int64_t(8) << 20;
constexpr int64_t kGpuChunkBytes = int64_t(256) << 20;
constexpr int64_t kMaxChunkBytes = int64_t(64) << 20;
constexpr int64_t kMinChunkRows = 64;
constexpr int64_t kChunksPerThread = 4;

int64_t chunkCount(int64_t out, int64_t rows)
{
    return (out + rows - 1) / rows;
}

double mergeRowChunksCost(const PerSampleShape &s, int64_t chunks)
{
    const double p = double(s.in) * double(s.out);
    return kSampleGemm * 2.0 * s.batch * s.tokens * p + kMergeCost * s.batch * s.experts * p
           + kStreamCost * s.experts * p + kCallCost * chunks * (s.batch + 2);
}

double expandCost(const PerSampleShape &s, int64_t chunks)
{
    const double p = double(s.in) * double(s.out);
    return 2.0 * s.batch * s.tokens * p * (s.experts + 1) + kScaleCost * double(s.batch) * s.tokens * s.out * s.experts
           + kStreamCost * s.experts * p + kCallCost * chunks * 2.0 * s.experts;
}

// ---------------------------------------------------------------------------
// Kernels. They run on detached tensors (inside the autograd Function) and keep
// every temporary on the inputs' device. All but one use only tensor ops; the
// fused one (float32 on AVX2 CPUs, fused_per_sample.h) is our own loops, which
// merge W(b) as they multiply, so the constants above do not price it. Merging cuts
// the output rows into chunks, forward and backward, because τ's rows are
// contiguous: τ is read in place, never copied. Expand's backward cuts the
// input columns. Sums over chunks (dw, and merging's dx) are added in a fixed
// order, so results do not depend on thread timing.

// τ rows [r0, r0 + rows) of every expert, [T, rows, in], in the compute dtype:
// a view, or for bfloat16 storage this chunk alone widened.
Tensor taskRows(const Tensor &taskWeights, int64_t r0, int64_t rows, c10::ScalarType type)
{
    const auto block = taskWeights.narrow(1, r0, rows);
    return block.scalar_type() == type ? block : block.to(type);
}

// τ columns [k0, k0 + cols) of every expert, [T, out, cols], contiguous, in the
// compute dtype (a strided block, so always a copy of this chunk).
Tensor taskColumns(const Tensor &taskWeights, int64_t k0, int64_t cols, c10::ScalarType type)
{
    return taskWeights.narrow(2, k0, cols).to(type).contiguous();
}

// Per-sample weights of one block: base + Σt w[:,t] τt, [B, a, b], from the
// block of W0 and the task block [T, a, b] (each expert's block contiguous).
// Our own loop on the CPU, tensor ops elsewhere (merged_rows.h).
Tensor mergedBlock(const Tensor &routing, const Tensor &base, const Tensor &tasks)
{
    auto merged = at::empty({routing.size(0), tasks.size(1), tasks.size(2)}, tasks.options());
    mergeRows(routing, base, tasks, merged);
    return merged;
}

Tensor mergeRowChunksForward(const Tensor &x, const Tensor &routing, const Tensor &weight, const Tensor &taskWeights,
                             int64_t chunkRows)
{
    const auto out = weight.size(0);
    const auto chunks = chunkCount(out, chunkRows);
    // Each chunk writes a contiguous [B, N, rows] of its own and one cat joins
    // them: bmm into a column slice of y would compute into a temporary and
    // copy it, chunk by chunk (ATen's out= kernels want their own strides).
    std::vector<Tensor> parts(static_cast<std::size_t>(chunks));
    forEachChunk(chunks, x.device(), [&](int64_t c) {
        const auto r0 = c * chunkRows;
        const auto rows = std::min(chunkRows, out - r0);
        // taskRows is a view of contiguous rows: the merge reads τ in place.
        const auto w = mergedBlock(routing, weight.narrow(0, r0, rows),
                                   taskRows(taskWeights, r0, rows, x.scalar_type()));
        parts[std::size_t(c)] = at::bmm(x, w.transpose(1, 2));
    });
    return chunks == 1 ? parts.front() : at::cat(parts, 2);
}

// Row groups of the backward: each sums the dx of its chunks, in chunk order,
// into a buffer of its own ([B, N, in]); the groups are fixed ranges of chunks
// (not whichever thread is free), so the sums do not depend on thread timing.
// Two groups per thread, so that a thread the OS delays can be made up for:
// measured with `wemoe-bench --level mlp`, forward+backward at batch 16 took
// 299 ms with two and 321 ms with four (more partial sums to add).
constexpr int64_t kGroupsPerThread = 2;

int64_t backwardGroups(int64_t chunks, const c10::Device &device)
{
    return std::clamp<int64_t>(int64_t(chunkThreads(device)) * kGroupsPerThread, 1, chunks);
}

// The backward by blocks R of output rows, where τ's rows are contiguous (read
// in place, never copied): per block, with W(b)_R merged again,
// dx[b] += dy[b][:, R] · W(b)_R and dw[b,t] += Σ (dy[b][:, R]ᵀ x[b]) ⊙ τt_R.
void mergeRowChunksBackward(const Tensor &dy, const Tensor &x, const Tensor &routing, const Tensor &weight,
                            const Tensor &taskWeights, int64_t chunkRows, Tensor *dx, Tensor *dRouting)
{
    const auto batch = x.size(0), in = x.size(2), out = weight.size(0), experts = taskWeights.size(0);
    const auto chunks = chunkCount(out, chunkRows);
    const auto groups = backwardGroups(chunks, x.device());
    std::vector<Tensor> dxParts(static_cast<std::size_t>(groups));
    std::vector<Tensor> dRoutingParts(static_cast<std::size_t>(chunks));
    forEachChunk(groups, x.device(), [&](int64_t g) {
        const auto first = g * chunks / groups, last = (g + 1) * chunks / groups;
        for (int64_t c = first; c < last; ++c) {
            const auto r0 = c * chunkRows;
            const auto rows = std::min(chunkRows, out - r0);
            const auto tasks = taskRows(taskWeights, r0, rows, x.scalar_type());
            const auto dyRows = dy.narrow(2, r0, rows); // [B, N, rows], rows of stride out: BLAS reads it in place
            if (dx) {
                const auto w = mergedBlock(routing, weight.narrow(0, r0, rows), tasks);
                auto &part = dxParts[std::size_t(g)];
                if (c == first)
                    part = at::bmm(dyRows, w);
                else
                    part.baddbmm_(dyRows, w);
            }
            if (dRouting) {
                const auto dW = at::bmm(dyRows.transpose(1, 2), x); // [B, rows, in]
                dRoutingParts[std::size_t(c)] = dW.view({batch, rows * in}).mm(tasks.reshape({experts, rows * in}).t());
            }
        }
    });
    if (dx)
        *dx = sumInChunkOrder(dxParts);
    if (dRouting)
        *dRouting = sumInChunkOrder(dRoutingParts);
}

// One routing row for every token (batch_reduce, or a batch of one): one
// merged weight W = W0 + Σt w[t] τt, merged by row chunks (τ read in place)
// into one tensor, so the matmuls are single large GEMMs on every thread.
Tensor sharedWeight(const Tensor &routing, const Tensor &weight, const Tensor &taskWeights, int64_t chunkRows,
                    c10::ScalarType type)
{
    const auto out = weight.size(0), in = weight.size(1);
    auto merged = at::empty({out, in}, weight.options().dtype(type));
    forEachChunk(chunkCount(out, chunkRows), weight.device(), [&](int64_t c) {
        const auto r0 = c * chunkRows;
        const auto rows = std::min(chunkRows, out - r0);
        mergeRows(routing, weight.narrow(0, r0, rows), taskRows(taskWeights, r0, rows, type),
                  merged.narrow(0, r0, rows).view({1, rows, in}));
    });
    return merged;
}

Tensor sharedWeightForward(const Tensor &x, const Tensor &routing, const Tensor &weight, const Tensor &taskWeights,
                           int64_t chunkRows)
{
    const auto merged = sharedWeight(routing, weight, taskWeights, chunkRows, x.scalar_type());
    return at::matmul(x, merged.t());
}

// dx = dy · W (W merged again), dw[t] = Σ (dyᵀ x) ⊙ τt with dyᵀ x one GEMM over
// every token, and its products with τ summed by row chunks in chunk order.
// The merge and the products read the same rows of τ in one pass over the
// chunks, so the second read comes from the cache: τ is read from memory
// once per backward, not twice (the pass is memory-bound).
void sharedWeightBackward(const Tensor &dy, const Tensor &x, const Tensor &routing, const Tensor &weight,
                          const Tensor &taskWeights, int64_t chunkRows, Tensor *dx, Tensor *dRouting)
{
    const auto in = x.size(2), out = weight.size(0), experts = taskWeights.size(0);
    const auto type = x.scalar_type();
    const auto chunks = chunkCount(out, chunkRows);
    Tensor merged, dW;
    if (dx)
        merged = at::empty({out, in}, weight.options().dtype(type));
    if (dRouting)
        dW = at::mm(dy.reshape({-1, out}).t(), x.reshape({-1, in})); // [out, in]
    std::vector<Tensor> parts(static_cast<std::size_t>(chunks));
    forEachChunk(chunks, x.device(), [&](int64_t c) {
        const auto r0 = c * chunkRows;
        const auto rows = std::min(chunkRows, out - r0);
        const auto tasks = taskRows(taskWeights, r0, rows, type);
        if (dx)
            mergeRows(routing, weight.narrow(0, r0, rows), tasks, merged.narrow(0, r0, rows).view({1, rows, in}));
        if (dRouting)
            parts[std::size_t(c)] =
                dW.narrow(0, r0, rows).reshape({1, rows * in}).mm(tasks.reshape({experts, rows * in}).t());
    });
    if (dx)
        *dx = at::matmul(dy, merged);
    if (dRouting)
        *dRouting = sumInChunkOrder(parts);
}

Tensor expandForward(const Tensor &x, const Tensor &routing, const Tensor &weight, const Tensor &taskWeights,
                     int64_t chunkRows)
{
    const auto batch = x.size(0), tokens = x.size(1), in = x.size(2);
    const auto out = weight.size(0), experts = taskWeights.size(0);
    const auto flatX = x.reshape({batch * tokens, in});
    auto y = flatX.mm(weight.t()).view({batch, tokens, out});
    forEachChunk(chunkCount(out, chunkRows), x.device(), [&](int64_t c) {
        const auto r0 = c * chunkRows;
        const auto rows = std::min(chunkRows, out - r0);
        const auto tasks = taskRows(taskWeights, r0, rows, x.scalar_type());
        auto yChunk = y.narrow(2, r0, rows);
        for (int64_t t = 0; t < experts; ++t) {
            const auto z = flatX.mm(tasks[t].t()).view({batch, tokens, rows});
            yChunk.addcmul_(z, routing.select(1, t).view({batch, 1, 1}));
        }
    });
    return y;
}

// Per column block k, with g_t = dy · τt[:, k]:
// dx[:, :, k] = dy · W0[:, k] + Σt w[:,t] g_t and dw[b,t] += Σ x[b][:, k] ⊙ g_t[b].
void expandBackward(const Tensor &dy, const Tensor &x, const Tensor &routing, const Tensor &weight,
                    const Tensor &taskWeights, int64_t chunkCols, Tensor *dx, Tensor *dRouting)
{
    const auto batch = x.size(0), tokens = x.size(1), in = x.size(2);
    const auto out = weight.size(0), experts = taskWeights.size(0);
    const auto flatDy = dy.reshape({batch * tokens, out});
    const auto chunks = chunkCount(in, chunkCols);
    if (dx)
        *dx = at::empty(x.sizes(), x.options());
    std::vector<Tensor> dRoutingParts(static_cast<std::size_t>(chunks));
    forEachChunk(chunks, x.device(), [&](int64_t c) {
        const auto k0 = c * chunkCols;
        const auto cols = std::min(chunkCols, in - k0);
        const auto tasks = taskColumns(taskWeights, k0, cols, x.scalar_type());
        const auto xChunk = x.narrow(2, k0, cols);
        Tensor dxChunk;
        if (dx) {
            dxChunk = dx->narrow(2, k0, cols);
            auto flatDxChunk = dxChunk.view({batch * tokens, cols});
            at::mm_out(flatDxChunk, flatDy, weight.narrow(1, k0, cols));
        }
        if (dRouting)
            dRoutingParts[c] = at::zeros({batch, experts}, routing.options());
        for (int64_t t = 0; t < experts; ++t) {
            const auto g = flatDy.mm(tasks[t]).view({batch, tokens, cols});
            if (dx)
                dxChunk.addcmul_(g, routing.select(1, t).view({batch, 1, 1}));
            if (dRouting)
                dRoutingParts[c].select(1, t).copy_((g * xChunk).sum({1, 2}));
        }
    });
    if (dRouting)
        *dRouting = sumInChunkOrder(dRoutingParts);
}

// The kernels behind a strategy: merging rows becomes one shared weight when
// a single routing row serves every token, and our own fused matmuls where
// they apply.
enum class Kernel { MergeRowChunks, FusedMergeRows, SharedWeight, Expand };

Kernel kernelFor(PerSampleStrategy strategy, const Tensor &x, const Tensor &routing, const Tensor &weight,
                 const Tensor &taskWeights)
{
    if (strategy == PerSampleStrategy::Expand)
        return Kernel::Expand;
    if (routing.size(0) == 1)
        return Kernel::SharedWeight;
    return fusedPerSampleApplies(x, routing, weight, taskWeights) ? Kernel::FusedMergeRows : Kernel::MergeRowChunks;
}

// x·W(b)ᵀ without the biases, with a hand-written backward (see the header).
class PerSampleMatmul : public torch::autograd::Function<PerSampleMatmul>
{
public:
    static Tensor forward(AutogradContext *ctx, const Tensor &x, const Tensor &routing, const Tensor &weight,
                          const Tensor &taskWeights, int64_t strategy, int64_t chunkRows, int64_t backwardChunkCols)
    {
        // Named in profiles (the backward is named after the Function by autograd).
        RECORD_FUNCTION("wemoe::per_sample_matmul", std::vector<c10::IValue>());
        ctx->save_for_backward({x, routing});
        // θ0 and τ are frozen: kept by reference, not as saved variables.
        ctx->saved_data["weight"] = weight;
        ctx->saved_data["taskWeights"] = taskWeights;
        ctx->saved_data["strategy"] = strategy;
        ctx->saved_data["chunkRows"] = chunkRows;
        ctx->saved_data["chunkCols"] = backwardChunkCols;
        // Detached, so work on other threads can never record a graph.
        switch (kernelFor(static_cast<PerSampleStrategy>(strategy), x, routing, weight, taskWeights)) {
        case Kernel::Expand: return expandForward(x.detach(), routing.detach(), weight, taskWeights, chunkRows);
        case Kernel::SharedWeight:
            return sharedWeightForward(x.detach(), routing.detach(), weight, taskWeights, chunkRows);
        case Kernel::FusedMergeRows:
            return fusedLayerForward(x.detach(), routing.detach(), weight, taskWeights, chunkRows);
        case Kernel::MergeRowChunks: break;
        }
        return mergeRowChunksForward(x.detach(), routing.detach(), weight, taskWeights, chunkRows);
    }

    static variable_list backward(AutogradContext *ctx, variable_list gradOutputs)
    {
        const auto saved = ctx->get_saved_variables();
        // Detached: this backward is not itself differentiable (no double backward).
        const auto x = saved[0].detach();
        const auto routing = saved[1].detach();
        const auto weight = ctx->saved_data["weight"].toTensor();
        const auto taskWeights = ctx->saved_data["taskWeights"].toTensor();
        const auto kernel = kernelFor(static_cast<PerSampleStrategy>(ctx->saved_data["strategy"].toInt()), x, routing,
                                      weight, taskWeights);
        const auto chunkRows = ctx->saved_data["chunkRows"].toInt();
        const auto chunkCols = ctx->saved_data["chunkCols"].toInt();
        // A gradient may arrive expanded (stride 0) from a sum; BLAS wants real strides.
        const auto dy = gradOutputs[0].contiguous();

        Tensor dx, dRouting;
        Tensor *dxOut = ctx->needs_input_grad(0) ? &dx : nullptr;
        Tensor *dRoutingOut = ctx->needs_input_grad(1) ? &dRouting : nullptr;
        if (dxOut || dRoutingOut) {
            switch (kernel) {
            case Kernel::Expand:
                expandBackward(dy, x, routing, weight, taskWeights, chunkCols, dxOut, dRoutingOut);
                break;
            case Kernel::SharedWeight:
                sharedWeightBackward(dy, x, routing, weight, taskWeights, chunkRows, dxOut, dRoutingOut);
                break;
            case Kernel::FusedMergeRows:
                fusedLayerBackward(dy, x, routing, weight, taskWeights, dxOut, dRoutingOut);
                break;
            case Kernel::MergeRowChunks:
                mergeRowChunksBackward(dy, x, routing, weight, taskWeights, chunkRows, dxOut, dRoutingOut);
                break;
            }
        }
        return {dx, dRouting, Tensor(), Tensor(), Tensor(), Tensor(), Tensor()};
    }
};

QString shapeText(const Tensor &t)
{
    return QString::fromStdString(c10::str(t.sizes()));
}

QString typeText(c10::ScalarType type)
{
    return QString::fromLatin1(c10::toString(type));
}

void checkDenseTasks(const TaskVectorLinear &layer)
{
    const auto &w = layer.weight;
    const auto &tau = layer.taskWeights;
    if (!tau.defined() || tau.dim() != 3 || tau.size(0) < 1 || tau.size(1) != w.size(0) || tau.size(2) != w.size(1))
        throw Error(
            QStringLiteral(
                "per-sample linear: task weights %1 do not stack on a pretrained weight %2 (expected [T, %3, %4])")
                .arg(tau.defined() ? shapeText(tau) : QStringLiteral("(none)"), shapeText(w))
                .arg(w.size(0))
                .arg(w.size(1)));
    if (tau.scalar_type() != w.scalar_type() && tau.scalar_type() != torch::kBFloat16)
        throw Error(QStringLiteral("per-sample linear: task weights are %1; expected %2 or bfloat16")
                        .arg(typeText(tau.scalar_type()), typeText(w.scalar_type())));
    if (!tau.is_contiguous() || !w.is_contiguous())
        throw Error(QStringLiteral("per-sample linear: the pretrained and task weights must be contiguous"));
    if (tau.device() != w.device())
        throw Error(QStringLiteral("per-sample linear: task weights are on %1 but the pretrained weight is on %2")
                        .arg(QString::fromStdString(tau.device().str()), QString::fromStdString(w.device().str())));
}

void checkSparseTasks(const TaskVectorLinear &layer)
{
    const auto &w = layer.weight;
    const auto &tau = layer.sparseTaskWeights;
    if (layer.taskWeights.defined())
        throw Error(QStringLiteral("per-sample linear: task weights are both dense and sparse"));
    if (tau.experts < 1 || tau.out != w.size(0) || tau.in != w.size(1))
        throw Error(QStringLiteral("per-sample linear: sparse task weights of %1 experts × [%2, %3] do not stack on a "
                                   "pretrained weight %4")
                        .arg(tau.experts)
                        .arg(tau.out)
                        .arg(tau.in)
                        .arg(shapeText(w)));
    if (tau.values.scalar_type() != w.scalar_type() && tau.values.scalar_type() != torch::kBFloat16)
        throw Error(QStringLiteral("per-sample linear: sparse task weights are %1; expected %2 or bfloat16")
                        .arg(typeText(tau.values.scalar_type()), typeText(w.scalar_type())));
    if (!w.is_contiguous())
        throw Error(QStringLiteral("per-sample linear: the pretrained weight must be contiguous"));
    if (tau.values.device() != w.device() || tau.indices.device() != w.device() || !tau.blockStarts.device().is_cpu())
        throw Error(
            QStringLiteral("per-sample linear: sparse task weights are on %1 but the pretrained weight is on "
                           "%2 (and the block starts must stay on the CPU)")
                .arg(QString::fromStdString(tau.values.device().str()), QString::fromStdString(w.device().str())));
}

void checkLayer(const TaskVectorLinear &layer)
{
    const auto &w = layer.weight;
    if (!w.defined() || w.dim() != 2)
        throw Error(QStringLiteral("per-sample linear: the pretrained weight must be a matrix [out, in]"));
    if (!w.is_floating_point() || w.scalar_type() == torch::kBFloat16 || w.scalar_type() == torch::kHalf)
        throw Error(QStringLiteral("per-sample linear: the pretrained weight must be float32 or float64, not %1")
                        .arg(typeText(w.scalar_type())));
    if (layer.isSparse())
        checkSparseTasks(layer);
    else
        checkDenseTasks(layer);
    if (layer.bias.defined() != layer.taskBiases.defined())
        throw Error(QStringLiteral("per-sample linear: a bias needs task biases and task biases need a bias"));
    if (layer.bias.defined()) {
        if (layer.bias.dim() != 1 || layer.bias.size(0) != w.size(0))
            throw Error(QStringLiteral("per-sample linear: bias %1 does not fit a weight %2")
                            .arg(shapeText(layer.bias), shapeText(w)));
        if (layer.taskBiases.dim() != 2 || layer.taskBiases.size(0) != layer.experts()
            || layer.taskBiases.size(1) != w.size(0))
            throw Error(QStringLiteral("per-sample linear: task biases %1 do not fit %2 experts of %3 outputs")
                            .arg(shapeText(layer.taskBiases))
                            .arg(layer.experts())
                            .arg(w.size(0)));
        if (layer.bias.scalar_type() != w.scalar_type())
            throw Error(QStringLiteral("per-sample linear: the bias dtype differs from the weight's"));
    }
}

void checkInputs(const Tensor &x, const Tensor &routing, const TaskVectorLinear &layer)
{
    if (!x.defined() || x.dim() != 3 || x.size(2) != layer.inFeatures())
        throw Error(QStringLiteral("per-sample linear: input %1 is not [batch, tokens, %2]")
                        .arg(x.defined() ? shapeText(x) : QStringLiteral("(none)"))
                        .arg(layer.inFeatures()));
    if (!routing.defined() || routing.dim() != 2 || routing.size(0) != x.size(0) || routing.size(1) != layer.experts())
        throw Error(QStringLiteral("per-sample linear: routing weights %1 are not [%2, %3] (batch, experts)")
                        .arg(routing.defined() ? shapeText(routing) : QStringLiteral("(none)"))
                        .arg(x.size(0))
                        .arg(layer.experts()));
    if (x.scalar_type() != layer.weight.scalar_type() || routing.scalar_type() != layer.weight.scalar_type())
        throw Error(
            QStringLiteral("per-sample linear: input (%1) and routing weights (%2) must have the weight's dtype (%3)")
                .arg(QString::fromLatin1(c10::toString(x.scalar_type())),
                     QString::fromLatin1(c10::toString(routing.scalar_type())),
                     QString::fromLatin1(c10::toString(layer.weight.scalar_type()))));
    if (x.device() != layer.weight.device() || routing.device() != layer.weight.device())
        throw Error(
            QStringLiteral("per-sample linear: input on %1 and routing weights on %2, but the weights are on %3")
                .arg(QString::fromStdString(x.device().str()), QString::fromStdString(routing.device().str()),
                     QString::fromStdString(layer.weight.device().str())));
}

} // namespace

torch::Tensor TaskVectorLinear::denseTaskWeights(c10::ScalarType type) const
{
    return isSparse() ? sparseTaskWeights.dense(type) : taskWeights.to(type);
}

int64_t TaskVectorLinear::taskVectorBytes() const
{
    const int64_t biases = taskBiases.defined() ? taskBiases.nbytes() : 0;
    return biases + (isSparse() ? sparseTaskWeights.bytes() : taskWeights.nbytes());
}

QString perSampleStrategyName(PerSampleStrategy strategy)
{
    switch (strategy) {
    case PerSampleStrategy::Auto: return QStringLiteral("auto");
    case PerSampleStrategy::MergeRowChunks: return QStringLiteral("merge-row-chunks");
    case PerSampleStrategy::Expand: return QStringLiteral("expand");
    }
    return {};
}

int64_t defaultChunkRows(PerSampleStrategy strategy, const PerSampleShape &shape, const c10::Device &device,
                         int64_t chunkBytes)
{
    const int64_t budget = chunkBytes > 0 ? chunkBytes : device.is_cpu() ? kCpuChunkBytes : kGpuChunkBytes;
    // MergeRowChunks holds B·rows·in merged weights per chunk; Expand holds only
    // one expert's widened rows·in at a time.
    const int64_t bytesPerRow = std::max<int64_t>(1, int64_t(sizeof(float)) * shape.in
                                                         * (strategy == PerSampleStrategy::Expand ? 1 : shape.batch));
    const int64_t out = std::max<int64_t>(1, shape.out);
    // Within the budget, but at least kMinChunkRows unless those exceed kMaxChunkBytes.
    const int64_t budgetRows = budget / bytesPerRow;
    const int64_t minRows = std::min(kMinChunkRows, std::max(budget, kMaxChunkBytes) / bytesPerRow);
    const int64_t rows = std::clamp<int64_t>(std::max(budgetRows, minRows), 1, out);
    // With several threads, a few chunks per thread (when rows allow) so that a
    // thread the OS delays can be made up for, and a multiple of the thread
    // count; then spread the rows evenly.
    const int64_t threads = chunkThreads(device);
    int64_t chunks = chunkCount(out, rows);
    if (threads > 1)
        chunks = std::max(chunks, std::min(kChunksPerThread * threads, out / kMinChunkRows));
    chunks = std::clamp<int64_t>((chunks + threads - 1) / threads * threads, 1, out);
    return chunkCount(out, chunks);
}

PerSampleStrategy choosePerSampleStrategy(const PerSampleShape &shape, const c10::Device &device)
{
    const auto mergeChunks = chunkCount(shape.out, defaultChunkRows(PerSampleStrategy::MergeRowChunks, shape, device));
    const auto expandChunks = chunkCount(shape.out, defaultChunkRows(PerSampleStrategy::Expand, shape, device));
    return expandCost(shape, expandChunks) < mergeRowChunksCost(shape, mergeChunks) ? PerSampleStrategy::Expand
                                                                                    : PerSampleStrategy::MergeRowChunks;
}

Tensor perSampleLinear(const Tensor &x, const Tensor &routing, const TaskVectorLinear &layer,
                       const PerSampleLinearOptions &options)
{
    checkLayer(layer);
    checkInputs(x, routing, layer);
    const PerSampleShape shape{x.size(0), x.size(1), layer.experts(), layer.inFeatures(), layer.outFeatures()};
    auto strategy = options.strategy;
    if (strategy == PerSampleStrategy::Auto)
        strategy = choosePerSampleStrategy(shape, x.device());
    // Expand's backward cuts the input columns: the same sizing on the transposed layer.
    const PerSampleShape transposed{shape.batch, shape.tokens, shape.experts, shape.out, shape.in};
    const auto chunkRows = options.chunkRows > 0 ? std::min(options.chunkRows, shape.out)
                                                 : defaultChunkRows(strategy, shape, x.device(), options.chunkBytes);
    const auto chunkCols = options.chunkRows > 0
                               ? std::min(options.chunkRows, shape.in)
                               : defaultChunkRows(strategy, transposed, x.device(), options.chunkBytes);

    auto y = layer.isSparse()
                 ? sparsePerSampleMatmul(x, routing, layer.weight, layer.sparseTaskWeights, strategy, chunkRows)
                 : PerSampleMatmul::apply(x, routing, layer.weight, layer.taskWeights, static_cast<int64_t>(strategy),
                                          chunkRows, chunkCols);
    if (!layer.bias.defined())
        return y;
    // The biases are tiny ([T, out]): plain autograd is cheap here.
    const auto taskBiases = layer.taskBiases.to(layer.bias.scalar_type());
    const auto bias = at::addmm(layer.bias.unsqueeze(0), routing, taskBiases); // [B, out]
    return y + bias.unsqueeze(1);
}

} // namespace wemoe
