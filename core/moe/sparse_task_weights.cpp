#include "moe/sparse_task_weights.h"

#include "common/error.h"

#include <torch/torch.h>

#include <algorithm>
#include <limits>

namespace wemoe {

namespace {

QString shapeText(const torch::Tensor &t)
{
    return t.defined() ? QString::fromStdString(c10::str(t.sizes())) : QStringLiteral("(missing)");
}

void checkSizes(int64_t experts, int64_t out, int64_t in, int64_t rowBlock)
{
    if (experts < 1 || out < 1 || in < 1 || rowBlock < 1)
        throw Error(QStringLiteral("sparse task vectors: %1 experts of [%2, %3] in blocks of %4 rows")
                        .arg(experts)
                        .arg(out)
                        .arg(in)
                        .arg(rowBlock));
    // An index counts within one block of every expert: it must fit int32.
    if (experts * std::min(rowBlock, out) * in > std::numeric_limits<int32_t>::max())
        throw Error(QStringLiteral("sparse task vectors: a block of %1 experts × %2 rows × %3 columns is too large "
                                   "for 32-bit indices")
                        .arg(experts)
                        .arg(std::min(rowBlock, out))
                        .arg(in));
}

// dense[indices[i]] = values[i]. On the CPU a plain loop over the int32
// indices: index_copy_ first widens them to int64 and then checks and writes
// one element per TensorIterator step, which left the forward pass 25 %
// slower than dense WEMoE at ViT-B/32 size (docs/PERFORMANCE.md). The indices
// were checked when the storage was built or read.
void scatterOnCpu(torch::Tensor &dense, const torch::Tensor &indices, const torch::Tensor &values)
{
    const auto *index = indices.data_ptr<int32_t>();
    const int64_t count = values.numel();
    AT_DISPATCH_FLOATING_TYPES(dense.scalar_type(), "scatterOnCpu", [&] {
        auto *out = dense.data_ptr<scalar_t>();
        const auto *in = values.data_ptr<scalar_t>();
        for (int64_t i = 0; i < count; ++i)
            out[index[i]] = in[i];
    });
}

} // namespace

int64_t SparseTaskWeights::bytes() const
{
    return values.nbytes() + indices.nbytes() + blockStarts.nbytes();
}

SparseTaskWeights SparseTaskWeights::fromMask(const torch::Tensor &taskWeights, const torch::Tensor &keep,
                                              c10::ScalarType storage, int64_t rowBlock)
{
    if (taskWeights.dim() != 3 || keep.sizes() != taskWeights.sizes() || keep.scalar_type() != torch::kBool)
        throw Error(QStringLiteral("sparse task vectors: a mask %1 for task weights %2 (expected bool, same shape, "
                                   "[T, out, in])")
                        .arg(shapeText(keep), shapeText(taskWeights)));
    SparseTaskWeights sparse;
    sparse.experts = taskWeights.size(0);
    sparse.out = taskWeights.size(1);
    sparse.in = taskWeights.size(2);
    sparse.rowBlock = rowBlock;
    checkSizes(sparse.experts, sparse.out, sparse.in, rowBlock);

    std::vector<torch::Tensor> values, indices;
    std::vector<int64_t> starts{0};
    for (int64_t block = 0; block < sparse.blocks(); ++block) {
        const auto r0 = block * rowBlock;
        const auto rows = sparse.blockRows(block);
        // [T, rows, in] flattened: the block's dense order, so nonzero() lists the
        // entries in the order the kernel scatters them.
        const auto position = keep.narrow(1, r0, rows).contiguous().view(-1).nonzero().squeeze(1);
        values.push_back(taskWeights.narrow(1, r0, rows).contiguous().view(-1).index_select(0, position).to(storage));
        indices.push_back(position.to(torch::kInt32));
        starts.push_back(starts.back() + position.numel());
    }
    sparse.values = torch::cat(values);
    sparse.indices = torch::cat(indices);
    sparse.blockStarts = torch::tensor(starts, torch::TensorOptions().dtype(torch::kInt64));
    return sparse;
}

SparseTaskWeights SparseTaskWeights::fromStorage(const torch::Tensor &values, const torch::Tensor &indices,
                                                 const torch::Tensor &blockStarts, int64_t experts, int64_t out,
                                                 int64_t in, int64_t rowBlock, const c10::Device &device)
{
    checkSizes(experts, out, in, rowBlock);
    SparseTaskWeights sparse;
    sparse.experts = experts;
    sparse.out = out;
    sparse.in = in;
    sparse.rowBlock = rowBlock;
    const auto type = values.defined() ? values.scalar_type() : torch::kFloat32;
    if (!values.defined() || values.dim() != 1
        || (type != torch::kFloat32 && type != torch::kFloat64 && type != torch::kBFloat16))
        throw Error(QStringLiteral("sparse task vectors: values %1 are not a float32, float64 or bfloat16 vector")
                        .arg(shapeText(values)));
    if (!indices.defined() || indices.dim() != 1 || indices.scalar_type() != torch::kInt32
        || indices.numel() != values.numel())
        throw Error(QStringLiteral("sparse task vectors: indices %1 are not an int32 vector as long as the values %2")
                        .arg(shapeText(indices), shapeText(values)));
    if (!blockStarts.defined() || blockStarts.dim() != 1 || blockStarts.scalar_type() != torch::kInt64
        || blockStarts.numel() != sparse.blocks() + 1)
        throw Error(QStringLiteral("sparse task vectors: block starts %1 are not %2 int64 offsets")
                        .arg(shapeText(blockStarts))
                        .arg(sparse.blocks() + 1));
    const auto starts = blockStarts.cpu().contiguous();
    const auto *start = starts.data_ptr<int64_t>();
    if (start[0] != 0 || start[sparse.blocks()] != values.numel())
        throw Error(QStringLiteral("sparse task vectors: block starts run from %1 to %2 for %3 entries")
                        .arg(start[0])
                        .arg(start[sparse.blocks()])
                        .arg(values.numel()));
    for (int64_t block = 0; block < sparse.blocks(); ++block)
        if (start[block + 1] < start[block])
            throw Error(QStringLiteral("sparse task vectors: block %1 ends before it begins").arg(block));
    const auto cpuIndices = indices.cpu().to(torch::kInt64);
    for (int64_t block = 0; block < sparse.blocks(); ++block) {
        const int64_t begin = start[block], end = start[block + 1];
        if (end == begin)
            continue;
        const auto own = cpuIndices.narrow(0, begin, end - begin);
        const int64_t limit = experts * sparse.blockRows(block) * in;
        if (own.min().item<int64_t>() < 0 || own.max().item<int64_t>() >= limit
            || (own.numel() > 1
                && !(own.narrow(0, 1, own.numel() - 1) > own.narrow(0, 0, own.numel() - 1)).all().item<bool>()))
            throw Error(QStringLiteral("sparse task vectors: the indices of block %1 are not ascending within 0 … %2")
                            .arg(block)
                            .arg(limit - 1));
    }
    // Contiguous: the CPU loops index the raw data (a strided view would be read wrong).
    sparse.values = values.to(device).contiguous();
    sparse.indices = indices.to(device).contiguous();
    sparse.blockStarts = starts.clone();
    return sparse;
}

torch::Tensor SparseTaskWeights::denseBlock(int64_t block, c10::ScalarType type) const
{
    const auto rows = blockRows(block);
    auto dense = torch::zeros({experts * rows * in}, values.options().dtype(type));
    const auto *start = blockStarts.data_ptr<int64_t>();
    const int64_t begin = start[block], count = start[block + 1] - begin;
    if (count > 0) {
        const auto blockIndices = indices.narrow(0, begin, count);
        const auto blockValues = values.narrow(0, begin, count).to(type); // a view unless widened from bfloat16
        if (dense.device().is_cpu())
            scatterOnCpu(dense, blockIndices, blockValues);
        else
            dense.index_copy_(0, blockIndices.to(torch::kInt64), blockValues);
    }
    return dense.view({experts, rows, in});
}

void SparseTaskWeights::denseBlockRangeInto(int64_t first, int64_t end, float *to) const
{
    const int64_t rows = std::min(out, end * rowBlock) - first * rowBlock;
    const auto *start = blockStarts.data_ptr<int64_t>();
    const auto *index = indices.data_ptr<int32_t>();
    const auto fill = [&](const auto *value) {
        for (int64_t t = 0; t < experts; ++t) {
            float *slab = to + t * rows * in;
            for (int64_t block = first; block < end; ++block) {
                // The block's entries are ascending in (t, row, column): expert
                // t's are one run, its dense part one run of the slab.
                const int64_t perExpert = blockRows(block) * in;
                const int32_t *begin = std::lower_bound(index + start[block], index + start[block + 1],
                                                        int32_t(t * perExpert));
                const int32_t *stop = std::lower_bound(begin, index + start[block + 1], int32_t((t + 1) * perExpert));
                // Cleared, then scattered into while it is still in cache.
                std::fill(slab, slab + perExpert, 0.0f);
                const int64_t base = t * perExpert;
                for (const int32_t *i = begin; i != stop; ++i)
                    slab[*i - base] = static_cast<float>(value[i - index]);
                slab += perExpert;
            }
        }
    };
    if (values.scalar_type() == torch::kBFloat16)
        fill(values.data_ptr<c10::BFloat16>());
    else
        fill(values.data_ptr<float>());
}

torch::Tensor SparseTaskWeights::dense(c10::ScalarType type) const
{
    std::vector<torch::Tensor> blocks;
    for (int64_t block = 0; block < this->blocks(); ++block)
        blocks.push_back(denseBlock(block, type));
    return torch::cat(blocks, 1);
}

} // namespace wemoe
