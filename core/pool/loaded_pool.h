#pragma once

#include "io/checkpoint.h"
#include "io/classification_head.h"
#include "io/model_pool.h"
#include "jobs/job_context.h"

#include <c10/core/Device.h>

#include <memory>
#include <optional>
#include <vector>

namespace wemoe {

// A pool file as written: this project's JSON, or a FusionBench model-pool
// YAML (core/pool/fusionbench_pool.h), whose tasks take their test data from
// a "data" folder beside it (data/<task>/test) when there is one. Import
// warnings go to the context.
ModelPool openPoolFile(const QString &poolFile, const JobContext &context = {});

// A pool with its checkpoints memory-mapped and its heads read or built,
// checked for consistency: every task checkpoint has the pretrained model's
// architecture (the first differing tensor is named), every head's feature
// size matches the model's output, NaN/Inf tensors are warned about.
//
// Fine-tuned CLIPVisionModels have no visual_projection while the pretrained
// CLIPModel has one: then the pretrained model's projection is set aside (kept
// with its passthrough tensors, so exports shaped like it still carry it),
// every model is compared and merged without it, and zero-shot heads apply it.
struct LoadedPool
{
    ModelPool pool;
    Checkpoint pretrained;
    std::vector<Checkpoint> tasks;
    std::vector<ClassificationHead> heads;
    bool projectionSetAside = false;
    // Quick runs: at most this many test images per task, a seeded random
    // subset (core/data/dataset_subset.h; task t uses seed + t). 0: all.
    int maxTestImagesPerTask = 0;
    quint64 testSubsetSeed = 0;

    // Zero-shot heads are built on `headDevice` (default: the first GPU, else the CPU).
    static LoadedPool load(const QString &poolFile, const JobContext &context = {},
                           std::optional<c10::Device> headDevice = std::nullopt);

    // Another model for this pool (an exported merge, a --model): loaded,
    // its projection set aside like the pretrained one's, checked to have the
    // pool's architecture.
    Checkpoint loadModel(const QString &path) const;

    // The same pool evaluated on at most `maxPerTask` test images per task
    // (0: all); the weights are shared, not copied. `pool` itself when the
    // limit is already that.
    static std::shared_ptr<const LoadedPool> withTestImageLimit(std::shared_ptr<const LoadedPool> pool, int maxPerTask);

    int taskCount() const { return static_cast<int>(tasks.size()); }
    QStringList taskNames() const;
    std::vector<const TensorMap *> taskWeights() const;
};

} // namespace wemoe
