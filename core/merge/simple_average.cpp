#include "merge/merge_methods.h"

#include "merge/merge_support.h"

#include <torch/torch.h>

namespace wemoe {

TensorMap simpleAverage(const MergeInputs &inputs, const JobContext &context)
{
    const QString rule = QStringLiteral("simple_average");
    checkMergeInputs(inputs, rule);
    const int tasks = inputs.taskCount();
    MergeProgress progress(context, static_cast<qint64>(inputs.pretrained->size()));
    const auto mergeOne = [&](int, const std::string &name) {
        // Sum then divide, as FusionBench does; one float32 accumulator per tensor.
        auto sum = inputs.finetuned[0]->at(name).to(torch::kCPU, torch::kFloat32, false, /*copy=*/true);
        for (int task = 1; task < tasks; ++task)
            sum.add_(inputs.finetuned[static_cast<std::size_t>(task)]->at(name).to(torch::kCPU, torch::kFloat32));
        return sum.div_(tasks);
    };
    return assembleMergedModel(inputs, mergeOne, progress, rule);
}

} // namespace wemoe
