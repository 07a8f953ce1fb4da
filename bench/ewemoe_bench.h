#pragma once

#include "bench_harness.h"
#include "random_upscaled_model.h"

#include <QtCore/QTextStream>

#include <cstdint>
#include <vector>

namespace wemoe::bench {

struct EwemoeBenchOptions
{
    RandomModelConfig model;          // the dense WEMoE model; E-WEMoE is the same weights pruned
    double keepRatio = 0.1;           // E-WEMoE's keep ratio (FusionBench's default prune ratio 0.9)
    std::vector<int64_t> batches{16}; // forward batch sizes
    int64_t adaptBatch = 16;          // batch of the adaptation step (0 = skip)
    int classes = 10;                 // of the random head used by the adaptation step
};

// E-WEMoE against WEMoE on one random ViT (ViT-B/32 sizes by default): the
// bytes of the MLP task vectors each holds, and the speed of the per-sample
// forward and of one adaptation step (one task's batch: forward, entropy,
// backward into the routers, Adam). E-WEMoE is the same θ0 and τ, τ pruned
// to keepRatio and stored sparse, with one shared router. Prints Markdown
// with the goals: ≤ 0.25× the memory, ≥ 0.9× the speed.
void runEwemoeBench(const EwemoeBenchOptions &options, const TimingOptions &timing, QTextStream &out);

} // namespace wemoe::bench
