#pragma once

#include "io/classification_head.h"
#include "io/clip_config.h"
#include "moe/upscaled_clip_model.h"

#include <QtCore/QtGlobal>

#include <cstdint>

namespace wemoe::bench {

// What the model-level benchmark builds: a CLIP ViT with random weights whose
// every block's MLP is upscaled into a weight-ensembling MoE.
struct RandomModelConfig
{
    ClipVisionConfig vit = vitB32Config();
    int experts = 8;
    int routerDepth = 2;
    bool bf16TaskVectors = false;
    double keepRatio = 1.0;                          // < 1: E-WEMoE's pruned, sparse task vectors
    RouterSharing routers = RouterSharing::PerBlock; // Shared: E-WEMoE's one router
    quint64 seed = 0;

    // ViT-B/32: D 768, MLP 3072, 12 blocks, 12 heads, 224 px / patch 32 (50 tokens), projection 512.
    static ClipVisionConfig vitB32Config();
};

// The WEMoE model with random θ0 (std 0.02) and random task vectors (std 0.002),
// assembled directly (no pool on disk, no fine-tuned copies held): speed and
// memory do not depend on the values. The same seed gives the same model.
UpscaledClipModel randomUpscaledModel(const RandomModelConfig &config);

// A random zero-shot-style head (unit rows, CLIP logit scale) on the model's features.
ClassificationHead randomHead(int featureDim, int classes, quint64 seed);

// Bytes of the stacked task vectors (weights and biases of fc1 and fc2 of every
// block), computed from the shapes alone: the cross-check of the memory figures.
int64_t taskVectorBytesFromShapes(const RandomModelConfig &config);

// Bytes actually held by the model's task-vector buffers (sparse ones as stored:
// values, indices and block starts).
int64_t taskVectorBytesHeld(const UpscaledClipModel &model);

} // namespace wemoe::bench
