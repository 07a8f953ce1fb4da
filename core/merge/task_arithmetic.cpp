#include "merge/merge_methods.h"

#include "merge/merge_support.h"

#include <torch/torch.h>

namespace wemoe {

TensorMap taskArithmeticFromSource(const MergeInputs &inputs, const TaskVectorSource &source, double scalingFactor,
                                   const JobContext &context, const QString &rule)
{
    checkScalingFactor(scalingFactor, rule);
    checkMergeInputs(inputs, rule);
    MergeProgress progress(context, static_cast<qint64>(inputs.pretrained->size()));
    const auto mergeOne = [&](int tensorIndex, const std::string &name) {
        // FusionBench's order: Σt τt, then ×λ, then + θ0. Only one τ is alive at a time.
        auto sum = source(0, tensorIndex, name);
        for (int task = 1; task < inputs.taskCount(); ++task)
            sum.add_(source(task, tensorIndex, name));
        sum.mul_(scalingFactor);
        return sum.add_(inputs.base(name));
    };
    return assembleMergedModel(inputs, mergeOne, progress, rule);
}

TensorMap taskArithmetic(const MergeInputs &inputs, double scalingFactor, const JobContext &context)
{
    return taskArithmeticFromSource(inputs, plainTaskVectors(inputs), scalingFactor, context,
                                    QStringLiteral("task_arithmetic"));
}

} // namespace wemoe
