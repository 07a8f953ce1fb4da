#include "moe/magnitude_pruning.h"

#include "common/error.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace wemoe {

int64_t keptEntryCount(int64_t entries, double keepRatio)
{
    if (!(keepRatio >= 0.0 && keepRatio <= 1.0))
        throw Error(QStringLiteral("task-vector keep ratio %1 is outside 0 … 1").arg(keepRatio));
    return std::clamp<int64_t>(std::llround(keepRatio * double(entries)), 0, entries);
}

torch::Tensor magnitudeKeepMask(const torch::Tensor &tensor, double keepRatio)
{
    const int64_t entries = tensor.numel();
    const int64_t kept = keptEntryCount(entries, keepRatio);
    const auto magnitude = tensor.detach().abs().reshape(-1);
    if (!torch::isfinite(magnitude).all().item<bool>())
        throw Error(QStringLiteral("a task vector holds NaN or infinite values; it cannot be pruned by magnitude"));
    auto mask = torch::zeros({entries}, magnitude.options().dtype(torch::kBool));
    if (kept == entries)
        return mask.fill_(true).view(tensor.sizes());
    if (kept == 0)
        return mask.view(tensor.sizes());
    // The smallest kept magnitude is the kept-th largest, i.e. the
    // (entries − kept + 1)-th smallest: a selection, no full sort.
    const auto threshold = std::get<0>(magnitude.kthvalue(entries - kept + 1));
    mask = magnitude.gt(threshold);
    const int64_t above = mask.sum().item<int64_t>();
    // nonzero() lists positions in ascending order: the ties at the threshold
    // are filled from the lowest index.
    const auto ties = magnitude.eq(threshold).nonzero().squeeze(1);
    mask.index_fill_(0, ties.narrow(0, 0, kept - above), true);
    return mask.view(tensor.sizes());
}

torch::Tensor pruneByMagnitude(const torch::Tensor &tensor, double keepRatio)
{
    // masked_fill, not a product: a pruned entry is +0 whatever its sign was.
    return tensor.masked_fill(magnitudeKeepMask(tensor, keepRatio).logical_not(), 0);
}

} // namespace wemoe
