#pragma once

#include "common/tensor_map.h"
#include "datamerge/calibration_data.h"
#include "io/classification_head.h"
#include "io/clip_config.h"
#include "jobs/job_context.h"
#include "pool/loaded_pool.h"

#include <c10/core/Device.h>
#include <torch/types.h>

#include <QtCore/QString>
#include <QtCore/QVector>

#include <functional>
#include <vector>

namespace wemoe {

// Fisher merging (Matena & Raffel), as FusionBench's fisher_merging for CLIP
// vision models computes it: each fine-tuned model's diagonal Fisher Fᵢ is
// estimated on a few images of its task from the model's own predictions (no
// labels), then every floating parameter (FusionBench excludes none by
// default) is the Fisher-weighted average θ = Σᵢ wᵢ ⊙ θᵢ / Σᵢ wᵢ with
// wᵢ = sᵢ (Fᵢ + ε).
struct FisherMergingOptions
{
    // FusionBench's normalize_fisher_weight: sᵢ = 1 / (‖Fᵢ‖ + ε), ‖Fᵢ‖ the L2
    // norm of model i's whole Fisher (all tensors at once); otherwise sᵢ = 1.
    bool normalize = true;
    // FusionBench's minimal_fisher_weight ε, added to every Fisher entry so no
    // weight is zero. Must be positive.
    double minimalWeight = 1e-6;
    // Where the Fisher passes run (forward and backward); the sums stay on the CPU.
    c10::Device device = c10::kCPU;
};

struct FisherMergingResult
{
    TensorMap merged;           // θ0's names and order, as simpleAverage's result
    QVector<double> fisherNorm; // ‖Fᵢ‖ per task, before ε is added
};

// The images one Fisher pass reads: `count` batches [B, 3, S, S] of
// `images` images in all (the unit of progress).
struct FisherBatches
{
    int count = 0;
    qint64 images = 0;
    std::function<torch::Tensor(int index)> batch;
};

// Task `task`'s calibration images; the batches read `data`, which must outlive them.
FisherBatches calibrationBatches(const CalibrationData &data, int task);

// The diagonal Fisher of one model (vision weights `weights` with `head`) on
// `batches`: for each batch, the gradient g of Σₙ Σ_c √p_nc · log p_nc (p the
// model's softmax, its square root held constant), then F = Σ_batches g² / N.
// Every floating tensor of `weights` gets an entry (zeros where no image
// reaches it), float32 on the CPU. Progress in images; polls the cancel flag
// before each batch. Throws wemoe::Error when there are no images.
TensorMap diagonalFisher(const ClipVisionConfig &config, const TensorMap &weights, const ClassificationHead &head,
                         const FisherBatches &batches, const c10::Device &device, const JobContext &context = {});

// The Fisher-weighted average of `models` (fishers[i] belongs to models[i]),
// shaped like simpleAverage's result: `pretrained`'s names in its order, its
// floating tensors averaged as float32, its other tensors (integer buffers)
// copied. Throws wemoe::Error for a missing or mis-shaped tensor, a Fisher
// that is not finite, or a minimal weight that is not positive.
TensorMap fisherWeightedAverage(const TensorMap &pretrained, const std::vector<const TensorMap *> &models,
                                const std::vector<TensorMap> &fishers, const FisherMergingOptions &options);

// The whole method on a pool: task by task, its Fisher on its calibration
// images, added to the running sums (one task's Fisher in memory at a time).
// Progress counts images over all tasks; throws wemoe::Cancelled between batches.
FisherMergingResult fisherMerging(const LoadedPool &pool, const CalibrationData &data,
                                  const FisherMergingOptions &options, const JobContext &context = {});

// The accuracy table's row: "fisher (256 train images/task)", with the
// settings that differ from FusionBench's defaults after the images.
QString fisherMergingLabel(const FisherMergingOptions &options, const QString &dataDescription);

} // namespace wemoe
