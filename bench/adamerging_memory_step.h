#pragma once

#include "io/classification_head.h"
#include "io/clip_config.h"
#include "merge/held_task_vectors.h"

#include <QtCore/QtGlobal>

#include <torch/optim/adam.h>
#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace wemoe::bench {

// One layer-wise AdaMerging step for the memory probe, without a pool on disk:
// random θ0 (std 0.02) and T random task vectors (std 0.002) held as
// adaMerging() holds them, one batch of random images and one random head per
// task, Adam on λ [tensors, T]. Two ways to get λ's gradient:
// - jointBackward: the way adaMerging() took before issue 17 (every task's
//   entropy summed, one backward, so every task's activation graph is alive at
//   once), kept here as the reference;
// - otherwise the engine's accumulateCoefficientGradient (one task's graph at a time).
class AdaMergingMemoryStep
{
public:
    AdaMergingMemoryStep(const ClipVisionConfig &config, int tasks, int64_t batch, quint64 seed, bool jointBackward);

    // Returns the summed entropy before the step.
    double run();

    int64_t taskVectorBytesHeld() const;
    // T × (every tensor of the config's ViT) in fp32, from the shapes alone (the cross-check).
    int64_t taskVectorBytesFromShapes() const;

private:
    ClipVisionConfig m_config;
    int m_tasks;
    bool m_jointBackward;
    HeldTaskVectors m_held;
    std::vector<ClassificationHead> m_heads;
    std::vector<torch::Tensor> m_images;
    torch::Tensor m_coefficients;
    std::unique_ptr<torch::optim::Adam> m_optimizer;
};

} // namespace wemoe::bench
