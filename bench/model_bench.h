#pragma once

#include "bench_harness.h"
#include "random_upscaled_model.h"

#include "model/clip_vision_model.h"

#include <QtCore/QTextStream>

#include <torch/types.h>

#include <memory>

namespace wemoe::bench {

// Variant names of the model-level table, shared with its baselines.
inline const char *kModelNaive = "(a) naive per-sample loop (reference)";
inline const char *kModelPerSample = "(b) ours, per-sample routing";
inline const char *kModelPerSampleBf16 = "(b) ours, per-sample routing, bf16 τ";
inline const char *kModelBatchReduce = "(c) batch_reduce";
inline const char *kModelDense = "(d) dense ViT";
inline const char *kModelDenseTrained = "(d) dense ViT, backward into its MLP weights";

struct ModelBenchOptions
{
    RandomModelConfig model;
    bool withBf16 = true;           // also a model with τ in bfloat16
    TimingOptions slowTiming{0, 1}; // the naive loop from kSlowBatch on and its adaptation step
    int classes = 10;               // of the random head used by the adaptation step
};

// The naive loop takes seconds per image here: from this batch on it is timed with slowTiming.
constexpr int64_t kSlowBatch = 16;

// The full ViT (12 blocks at ViT-B/32 sizes by default) with random weights,
// timed four ways: (a) the naive per-sample loop inside every block, as the
// reference runs it (MLP bench's naiveReferenceMlp), (b) our batched
// per-sample routing, (c) batch_reduce, (d) the plain dense ViT; and one
// test-time-adaptation step.
class ModelBench
{
public:
    explicit ModelBench(const ModelBenchOptions &options);
    ~ModelBench();

    // Inference (no autograd), every variant, at one batch size.
    void measureForward(ResultTable &table, int64_t batch);
    // One adaptation step for one task's batch (forward, entropy, backward into
    // the routers, Adam); the naive loop too, at naiveBatch (0 = skip): its graph
    // holds ~3.7 GB per image at ViT-B/32 size, so batch 16 does not fit in 24 GB.
    void measureAdaptation(ResultTable &table, int64_t batch, int64_t naiveBatch);
    // The adaptation step taken apart (phases, then op by op), per-sample and
    // batch_reduce, against the dense forward of the same batch; and beside
    // them the dense ViT stepped in its MLP weights: batch_reduce's matmuls
    // without routers or τ, the floor its forward and backward can reach.
    void profileAdaptation(int64_t batch, const TimingOptions &timing, QTextStream &out);
    // Each adaptation step (per-sample and batch_reduce) divided by the dense
    // ViT's forward of the same batch, the two timed in turn (pairedRatios):
    // the ratio the adaptation's speed goals are stated in.
    void measureStepRatios(int64_t batch, const TimingOptions &rounds, QTextStream &out);

    torch::Tensor images(int64_t batch) const;
    const UpscaledClipModel &model() const { return *m_model; }

private:
    ModelBenchOptions m_options;
    std::unique_ptr<UpscaledClipModel> m_model;
    std::unique_ptr<UpscaledClipModel> m_modelBf16;
    std::unique_ptr<ClipVisionModel> m_dense; // same weights, plain MLPs
    std::unique_ptr<ClipVisionModel> m_naive; // same weights, m_model's MoE MLPs run by the naive loop
};

} // namespace wemoe::bench
