#pragma once

#include "common/tensor_map.h"
#include "merge/merge_methods.h"

#include <torch/torch.h>

#include <vector>

namespace wemoe::test {

// FusionBench's ties_merging transcribed as directly as possible, with the whole
// model concatenated into one row per task: the reference the streaming
// implementation is checked against (fine for the tiny models of the tests).
inline torch::Tensor naiveTopKMask(const torch::Tensor &rows, double topK)
{
    const int64_t d = rows.size(1);
    int64_t k = static_cast<int64_t>(static_cast<double>(d) * topK);
    k = d - k; // keep the top k instead of the bottom k
    const auto kth = std::get<0>(rows.abs().kthvalue(k, 1, true));
    return rows.abs() >= kth;
}

inline TensorMap naiveTies(const TensorMap &theta0, const std::vector<TensorMap> &tasks, const TiesOptions &options)
{
    std::vector<std::string> names;
    for (const auto &[name, tensor] : theta0) {
        if (torch::isFloatingType(tensor.scalar_type()))
            names.push_back(name);
    }
    std::vector<torch::Tensor> rows;
    for (const auto &task : tasks) {
        std::vector<torch::Tensor> parts;
        for (const auto &name : names)
            parts.push_back((task.at(name).to(torch::kFloat32) - theta0.at(name).to(torch::kFloat32)).flatten());
        rows.push_back(torch::cat(parts));
    }
    auto m = torch::stack(rows); // [tasks, d]

    if (options.topK < 1.0) {
        if (options.perTensorTopK) {
            std::vector<torch::Tensor> trimmed;
            int64_t offset = 0;
            for (const auto &name : names) {
                const int64_t n = theta0.at(name).numel();
                const auto block = m.narrow(1, offset, n);
                trimmed.push_back(block * naiveTopKMask(block, options.topK));
                offset += n;
            }
            m = torch::cat(trimmed, 1);
        } else {
            m = m * naiveTopKMask(m, options.topK);
        }
    }

    // resolve_sign with resolve_zero_signs(..., "majority")
    auto sign = torch::sign(m.sum(0));
    const auto majority = torch::sign(sign.sum());
    sign = torch::where(sign == 0, majority, sign);

    // disjoint_merge
    const auto keep = torch::where(sign.unsqueeze(0) > 0, m > 0, m < 0);
    const auto selected = m * keep;
    torch::Tensor merged;
    switch (options.mergeFunction) {
    case TiesMergeFunction::Sum: merged = selected.sum(0); break;
    case TiesMergeFunction::Mean:
        merged = selected.sum(0) / torch::clamp((selected != 0).sum(0).to(torch::kFloat32), 1);
        break;
    case TiesMergeFunction::Max: merged = std::get<0>(selected.abs().max(0)) * sign; break;
    }

    TensorMap out;
    int64_t offset = 0;
    for (const auto &name : names) {
        const auto &base = theta0.at(name);
        const int64_t n = base.numel();
        const auto delta = merged.narrow(0, offset, n).reshape(base.sizes());
        out[name] = base.to(torch::kFloat32) + options.scalingFactor * delta;
        offset += n;
    }
    return out;
}

} // namespace wemoe::test
