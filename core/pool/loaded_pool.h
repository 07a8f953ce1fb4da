#pragma once

#include "io/checkpoint.h"
#include "io/classification_head.h"
#include "io/model_pool.h"
#include "jobs/job_context.h"

#include <vector>

namespace wemoe {

// A pool with its checkpoints memory-mapped and its heads read, checked for
// consistency: every task checkpoint has the pretrained model's architecture
// (the first differing tensor is named), every head's feature size matches the
// model's output, NaN/Inf tensors are warned about.
struct LoadedPool
{
    ModelPool pool;
    Checkpoint pretrained;
    std::vector<Checkpoint> tasks;
    std::vector<ClassificationHead> heads;

    static LoadedPool load(const QString &poolFile, const JobContext &context = {});

    int taskCount() const { return static_cast<int>(tasks.size()); }
    QStringList taskNames() const;
    std::vector<const TensorMap *> taskWeights() const;
};

} // namespace wemoe
