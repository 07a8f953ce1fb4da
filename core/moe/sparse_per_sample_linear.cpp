#include "moe/sparse_per_sample_linear.h"

#include "common/chunk_parallel.h"
#include "moe/fused_per_sample.h"
#include "moe/merged_rows.h"

#include <torch/torch.h>

#include <algorithm>

namespace wemoe {

namespace {

using torch::Tensor;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Per-lane dx sums the backward keeps: a few per thread, so that a thread the
// OS delays can be made up for, but not one [B, N, in] tensor per chunk.
constexpr int64_t kLanesPerThread = 2;

// Which blocks of τ a chunk covers.
struct ChunkPlan
{
    const SparseTaskWeights &tasks;
    int64_t blocksPerChunk = 1;

    int64_t chunks() const { return (tasks.blocks() + blocksPerChunk - 1) / blocksPerChunk; }
    int64_t firstBlock(int64_t chunk) const { return chunk * blocksPerChunk; }
    int64_t endBlock(int64_t chunk) const { return std::min(tasks.blocks(), (chunk + 1) * blocksPerChunk); }
    int64_t firstRow(int64_t chunk) const { return firstBlock(chunk) * tasks.rowBlock; }
    int64_t rows(int64_t chunk) const
    {
        return std::min(tasks.out, endBlock(chunk) * tasks.rowBlock) - firstRow(chunk);
    }
};

// The chunk's blocks of τ, dense, [T, rows of the block, in] each.
std::vector<Tensor> denseBlocks(const ChunkPlan &plan, int64_t chunk, c10::ScalarType type)
{
    std::vector<Tensor> blocks;
    for (int64_t block = plan.firstBlock(chunk); block < plan.endBlock(chunk); ++block)
        blocks.push_back(plan.tasks.denseBlock(block, type));
    return blocks;
}

// Per-sample weights of the chunk's rows, [B, rows, in]: W0 rows + Σt w[:,t] τt
// rows, merged block by block as the dense kernel merges (merged_rows.h).
Tensor mergedRows(const ChunkPlan &plan, int64_t chunk, const std::vector<Tensor> &blocks, const Tensor &routing,
                  const Tensor &weight)
{
    const auto batch = routing.size(0), in = plan.tasks.in;
    auto merged = at::empty({batch, plan.rows(chunk), in}, weight.options());
    int64_t offset = 0;
    for (const auto &block : blocks) {
        const auto rows = block.size(1), r0 = plan.firstRow(chunk) + offset;
        mergeRows(routing, weight.narrow(0, r0, rows), block, merged.narrow(1, offset, rows));
        offset += rows;
    }
    return merged;
}

Tensor mergeRowChunksForward(const ChunkPlan &plan, const Tensor &x, const Tensor &routing, const Tensor &weight)
{
    auto y = at::empty({x.size(0), x.size(1), plan.tasks.out}, x.options());
    forEachChunk(plan.chunks(), x.device(), [&](int64_t c) {
        const auto merged = mergedRows(plan, c, denseBlocks(plan, c, x.scalar_type()), routing, weight);
        auto yChunk = y.narrow(2, plan.firstRow(c), plan.rows(c));
        at::bmm_out(yChunk, x, merged.transpose(1, 2));
    });
    return y;
}

// The chunk's rows of τ as one dense [T, rows, in] float32 tensor, for our
// fused matmuls (fused_per_sample.h): they merge and multiply the chunk at once.
Tensor denseChunk(const ChunkPlan &plan, int64_t chunk)
{
    auto dense = at::empty({plan.tasks.experts, plan.rows(chunk), plan.tasks.in},
                           torch::TensorOptions().dtype(torch::kFloat32));
    plan.tasks.denseBlockRangeInto(plan.firstBlock(chunk), plan.endBlock(chunk), dense.data_ptr<float>());
    return dense;
}

Tensor fusedForward(const ChunkPlan &plan, const Tensor &x, const Tensor &routing, const Tensor &weight)
{
    auto y = at::empty({x.size(0), x.size(1), plan.tasks.out}, x.options());
    forEachChunk(plan.chunks(), x.device(),
                 [&](int64_t c) { fusedForwardRows(x, routing, weight, denseChunk(plan, c), plan.firstRow(c), y); });
    return y;
}

Tensor expandForward(const ChunkPlan &plan, const Tensor &x, const Tensor &routing, const Tensor &weight)
{
    const auto batch = x.size(0), tokens = x.size(1);
    const auto flatX = x.reshape({batch * tokens, plan.tasks.in});
    auto y = flatX.mm(weight.t()).view({batch, tokens, plan.tasks.out});
    forEachChunk(plan.chunks(), x.device(), [&](int64_t c) {
        int64_t r0 = plan.firstRow(c);
        for (const auto &block : denseBlocks(plan, c, x.scalar_type())) {
            const auto rows = block.size(1);
            auto yBlock = y.narrow(2, r0, rows);
            for (int64_t t = 0; t < plan.tasks.experts; ++t)
                yBlock.addcmul_(flatX.mm(block[t].t()).view({batch, tokens, rows}),
                                routing.select(1, t).view({batch, 1, 1}));
            r0 += rows;
        }
    });
    return y;
}

// The backward walks the chunks of output rows like the forward. Chunk c's
// part of dx goes to lane c mod lanes; dRouting is kept per chunk.
struct BackwardSums
{
    std::vector<Tensor> dxLanes;
    std::vector<Tensor> dRoutingParts;
};

template<typename ChunkWork>
BackwardSums walkChunksBackward(const ChunkPlan &plan, const Tensor &x, const Tensor &routing, bool wantDx,
                                bool wantDRouting, const ChunkWork &work)
{
    const auto chunks = plan.chunks();
    const auto lanes = std::clamp<int64_t>(kLanesPerThread * chunkThreads(x.device()), 1, chunks);
    BackwardSums sums;
    sums.dxLanes.resize(static_cast<std::size_t>(lanes));
    sums.dRoutingParts.resize(static_cast<std::size_t>(chunks));
    forEachChunk(lanes, x.device(), [&](int64_t lane) {
        Tensor &dx = sums.dxLanes[lane];
        if (wantDx)
            dx = at::zeros(x.sizes(), x.options());
        for (int64_t c = lane; c < chunks; c += lanes) {
            Tensor &dRouting = sums.dRoutingParts[c];
            if (wantDRouting)
                dRouting = at::zeros(routing.sizes(), routing.options());
            work(c, wantDx ? &dx : nullptr, wantDRouting ? &dRouting : nullptr);
        }
    });
    return sums;
}

// dx[b] += dy[b][:, rows] · W(b)[rows, :]; dw[b,t] += Σ (dy[b][:, rows]ᵀ x[b]) ⊙ τt[rows, :].
void mergeRowChunksBackward(const ChunkPlan &plan, const Tensor &dy, const Tensor &x, const Tensor &routing,
                            const Tensor &weight, Tensor *dx, Tensor *dRouting)
{
    const auto batch = x.size(0), in = plan.tasks.in;
    const auto sums = walkChunksBackward(
        plan, x, routing, dx != nullptr, dRouting != nullptr, [&](int64_t c, Tensor *dxLane, Tensor *dRoutingPart) {
            const auto blocks = denseBlocks(plan, c, x.scalar_type());
            const auto dyRows = dy.narrow(2, plan.firstRow(c), plan.rows(c)); // [B, N, rows]
            if (dxLane)
                dxLane->baddbmm_(dyRows, mergedRows(plan, c, blocks, routing, weight));
            if (dRoutingPart) {
                const auto dW = at::bmm(dyRows.transpose(1, 2), x); // [B, rows, in]
                int64_t offset = 0;
                for (const auto &block : blocks) {
                    const auto rows = block.size(1);
                    dRoutingPart->addmm_(dW.narrow(1, offset, rows).reshape({batch, rows * in}),
                                         block.view({block.size(0), rows * in}).t());
                    offset += rows;
                }
            }
        });
    if (dx)
        *dx = sumInChunkOrder(sums.dxLanes);
    if (dRouting)
        *dRouting = sumInChunkOrder(sums.dRoutingParts);
}

// The same sums with our fused matmuls: each chunk's dense rows of τ, merged
// and multiplied at once; dx by lanes as above, the routing gradient per chunk.
// One chunk per lane: every call packs all of x again for its routing
// gradient, so few large chunks beat the forward's many small ones (with
// ViT-B/32's fc2, 12 chunks packed 118 MB per backward, measured slower).
void fusedBackward(const ChunkPlan &forwardPlan, const Tensor &dy, const Tensor &x, const Tensor &routing,
                   const Tensor &weight, Tensor *dx, Tensor *dRouting)
{
    const auto blocks = forwardPlan.tasks.blocks();
    const auto lanes = std::clamp<int64_t>(kLanesPerThread * chunkThreads(x.device()), 1, blocks);
    const ChunkPlan plan{forwardPlan.tasks, std::max(forwardPlan.blocksPerChunk, (blocks + lanes - 1) / lanes)};
    std::vector<std::vector<double>> parts(static_cast<std::size_t>(dRouting ? plan.chunks() : 0));
    const auto sums = walkChunksBackward(
        plan, x, routing, dx != nullptr, false, [&](int64_t c, Tensor *dxLane, Tensor *) {
            double *part = nullptr;
            if (dRouting) {
                parts[std::size_t(c)].assign(std::size_t(routing.numel()), 0.0);
                part = parts[std::size_t(c)].data();
            }
            fusedBackwardRows(dy, x, routing, weight, denseChunk(plan, c), plan.firstRow(c), 0, plan.tasks.in,
                              dxLane ? dxLane->data_ptr<float>() : nullptr, part);
        });
    if (dx)
        *dx = sumInChunkOrder(sums.dxLanes);
    if (dRouting)
        *dRouting = sumRoutingGradients(parts, routing);
}

// With g_t = dy[:, rows] · τt[rows, :] and z_t = x · τt[rows, :]ᵀ:
// dx = dy · W0 + Σt w[:,t] g_t and dw[b,t] += Σ dy[b][:, rows] ⊙ z_t[b].
void expandBackward(const ChunkPlan &plan, const Tensor &dy, const Tensor &x, const Tensor &routing,
                    const Tensor &weight, Tensor *dx, Tensor *dRouting)
{
    const auto batch = x.size(0), tokens = x.size(1), in = plan.tasks.in;
    const auto flatX = x.reshape({batch * tokens, in});
    const auto flatDy = dy.reshape({batch * tokens, plan.tasks.out});
    const auto sums = walkChunksBackward(
        plan, x, routing, dx != nullptr, dRouting != nullptr, [&](int64_t c, Tensor *dxLane, Tensor *dRoutingPart) {
            int64_t r0 = plan.firstRow(c);
            for (const auto &block : denseBlocks(plan, c, x.scalar_type())) {
                const auto rows = block.size(1);
                const auto dyBlock = flatDy.narrow(1, r0, rows); // [B·N, rows]
                for (int64_t t = 0; t < plan.tasks.experts; ++t) {
                    if (dxLane)
                        dxLane->addcmul_(dyBlock.mm(block[t]).view({batch, tokens, in}),
                                         routing.select(1, t).view({batch, 1, 1}));
                    if (dRoutingPart) {
                        const auto z = flatX.mm(block[t].t()).view({batch, tokens, rows});
                        dRoutingPart->select(1, t).add_((z * dy.narrow(2, r0, rows)).sum({1, 2}));
                    }
                }
                r0 += rows;
            }
        });
    if (dx)
        *dx = flatDy.mm(weight).view({batch, tokens, in}).add_(sumInChunkOrder(sums.dxLanes));
    if (dRouting)
        *dRouting = sumInChunkOrder(sums.dRoutingParts);
}

class SparsePerSampleMatmul : public torch::autograd::Function<SparsePerSampleMatmul>
{
public:
    static Tensor forward(AutogradContext *ctx, const Tensor &x, const Tensor &routing, const Tensor &weight,
                          const Tensor &values, const Tensor &indices, const Tensor &blockStarts,
                          std::vector<int64_t> sizes, int64_t strategy, int64_t blocksPerChunk)
    {
        // Named in profiles (the backward is named after the Function by autograd).
        RECORD_FUNCTION("wemoe::sparse_per_sample_matmul", std::vector<c10::IValue>());
        ctx->save_for_backward({x, routing});
        // θ0 and τ are frozen: kept by reference, not as saved variables.
        ctx->saved_data["weight"] = weight;
        ctx->saved_data["values"] = values;
        ctx->saved_data["indices"] = indices;
        ctx->saved_data["blockStarts"] = blockStarts;
        ctx->saved_data["sizes"] = sizes;
        ctx->saved_data["strategy"] = strategy;
        ctx->saved_data["blocksPerChunk"] = blocksPerChunk;
        const auto tasks = tasksOf(values, indices, blockStarts, sizes);
        const ChunkPlan plan{tasks, blocksPerChunk};
        // Detached, so work on other threads can never record a graph.
        if (static_cast<PerSampleStrategy>(strategy) == PerSampleStrategy::Expand)
            return expandForward(plan, x.detach(), routing.detach(), weight);
        if (fusedPerSampleApplies(x, routing, weight))
            return fusedForward(plan, x.detach(), routing.detach(), weight);
        return mergeRowChunksForward(plan, x.detach(), routing.detach(), weight);
    }

    static variable_list backward(AutogradContext *ctx, variable_list gradOutputs)
    {
        const auto saved = ctx->get_saved_variables();
        // Detached: this backward is not itself differentiable (no double backward).
        const auto x = saved[0].detach();
        const auto routing = saved[1].detach();
        const auto weight = ctx->saved_data["weight"].toTensor();
        const auto tasks = tasksOf(ctx->saved_data["values"].toTensor(), ctx->saved_data["indices"].toTensor(),
                                   ctx->saved_data["blockStarts"].toTensor(), ctx->saved_data["sizes"].toIntVector());
        const ChunkPlan plan{tasks, ctx->saved_data["blocksPerChunk"].toInt()};
        const auto kind = static_cast<PerSampleStrategy>(ctx->saved_data["strategy"].toInt());
        // A gradient may arrive expanded (stride 0) from a sum; BLAS wants real strides.
        const auto dy = gradOutputs[0].contiguous();

        Tensor dx, dRouting;
        Tensor *dxOut = ctx->needs_input_grad(0) ? &dx : nullptr;
        Tensor *dRoutingOut = ctx->needs_input_grad(1) ? &dRouting : nullptr;
        if (dxOut || dRoutingOut) {
            if (kind == PerSampleStrategy::Expand)
                expandBackward(plan, dy, x, routing, weight, dxOut, dRoutingOut);
            else if (fusedPerSampleApplies(x, routing, weight) && dy.scalar_type() == torch::kFloat32)
                fusedBackward(plan, dy, x, routing, weight, dxOut, dRoutingOut);
            else
                mergeRowChunksBackward(plan, dy, x, routing, weight, dxOut, dRoutingOut);
        }
        return {dx, dRouting, Tensor(), Tensor(), Tensor(), Tensor(), Tensor(), Tensor(), Tensor()};
    }

private:
    static SparseTaskWeights tasksOf(const Tensor &values, const Tensor &indices, const Tensor &blockStarts,
                                     const std::vector<int64_t> &sizes)
    {
        SparseTaskWeights tasks;
        tasks.values = values;
        tasks.indices = indices;
        tasks.blockStarts = blockStarts;
        tasks.experts = sizes.at(0);
        tasks.out = sizes.at(1);
        tasks.in = sizes.at(2);
        tasks.rowBlock = sizes.at(3);
        return tasks;
    }
};

} // namespace

Tensor sparsePerSampleMatmul(const Tensor &x, const Tensor &routing, const Tensor &weight,
                             const SparseTaskWeights &tasks, PerSampleStrategy strategy, int64_t chunkRows)
{
    const int64_t blocksPerChunk = std::max<int64_t>(1, (chunkRows + tasks.rowBlock - 1) / tasks.rowBlock);
    return SparsePerSampleMatmul::apply(x, routing, weight, tasks.values, tasks.indices, tasks.blockStarts,
                                        std::vector<int64_t>{tasks.experts, tasks.out, tasks.in, tasks.rowBlock},
                                        static_cast<int64_t>(strategy), blocksPerChunk);
}

} // namespace wemoe
