#pragma once

#include "common/tensor_map.h"
#include "jobs/job_context.h"
#include "merge/merge_inputs.h"
#include "merge/merge_methods.h"

#include <QtCore/QString>

#include <torch/types.h>

#include <functional>
#include <string>
#include <vector>

namespace wemoe {

// Building blocks shared by the merge rules (internal to core/merge).

// Checks what every rule needs before it starts a long pass: θ0 present, at
// least one task, and every floating tensor of θ0 present in every fine-tuned
// map with the same shape. `rule` prefixes the message ("ties: ...").
void checkMergeInputs(const MergeInputs &inputs, const QString &rule);

// How a rule reads τt[name]: plain θt − θ0, or sparsified (DARE). It must give
// the same values every time it is asked (TIES reads each task vector several
// times), as a fresh float32 CPU tensor the caller may modify in place.
// tensorIndex is the position of name in MergeInputs::mergeableNames().
using TaskVectorSource = std::function<torch::Tensor(int task, int tensorIndex, const std::string &name)>;

TaskVectorSource plainTaskVectors(const MergeInputs &inputs);

// Counts tensors across all passes of a rule and polls the cancel flag.
class MergeProgress
{
public:
    MergeProgress(const JobContext &context, qint64 total);
    // Call before each tensor: throws wemoe::Cancelled when asked to stop.
    void checkCancelled() const { m_context.throwIfCancelled(); }
    // Call after each tensor.
    void step(const QString &what);

private:
    const JobContext &m_context;
    qint64 m_done = 0;
    qint64 m_total;
};

// The last pass every rule shares: walks θ0 in order, asks mergeOne for each
// floating tensor (tensorIndex as in mergeableNames()), copies the others, and
// returns contiguous CPU tensors with θ0's names.
using MergeOneTensor = std::function<torch::Tensor(int tensorIndex, const std::string &name)>;
TensorMap assembleMergedModel(const MergeInputs &inputs, const MergeOneTensor &mergeOne, MergeProgress &progress,
                              const QString &rule);

// θ = θ0 + λ Σt τt over the task vectors a source gives (task arithmetic, DARE+TA).
TensorMap taskArithmeticFromSource(const MergeInputs &inputs, const TaskVectorSource &source, double scalingFactor,
                                   const JobContext &context, const QString &rule);

// TIES over the task vectors a source gives (TIES, DARE+TIES).
TensorMap tiesMergingFromSource(const MergeInputs &inputs, const TaskVectorSource &source, const TiesOptions &options,
                                const JobContext &context, const QString &rule);

// Throws wemoe::Error unless λ is finite.
void checkScalingFactor(double scalingFactor, const QString &rule);

} // namespace wemoe
