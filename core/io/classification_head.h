#pragma once

#include "common/tensor_map.h"

#include <torch/types.h>

#include <QtCore/QString>
#include <QtCore/QStringList>

namespace wemoe {

// A task's frozen classification head, stored as a .safetensors file:
//   weight [classes, features] (required), bias [classes] (optional),
//   visual_projection [features, inputs] (optional: CLIP's projection of the
//   pooled image, carried by zero-shot heads for vision towers without one);
//   __metadata__: "class_names" = JSON array of strings (required),
//                 "head_type" = "clip" (default) or "linear",
//                 "logit_scale" = number (default 100, CLIP's exp(log 100)).
// CLIP heads L2-normalise the features and multiply by logit_scale (the
// zero-shot text head); linear heads apply weight and bias as they are.
struct ClassificationHead
{
    torch::Tensor weight;
    torch::Tensor bias;       // undefined when absent
    torch::Tensor projection; // visual_projection; undefined when absent
    QStringList classNames;
    bool clipStyle = true;
    double logitScale = 100.0;

    int numClasses() const { return static_cast<int>(weight.size(0)); }
    // What the head takes: the projection's input width when it has one.
    int featureDim() const { return static_cast<int>(projection.defined() ? projection.size(1) : weight.size(1)); }

    // Throws wemoe::Error naming the file for a missing weight, wrong shapes,
    // missing or malformed class_names, or a class count that differs from weight.
    static ClassificationHead load(const QString &path);
    // `extraMetadata` joins the head's own keys (zero-shot heads record what built them).
    void save(const QString &path, const Metadata &extraMetadata = {}) const;

    // features [B, featureDim] -> logits [B, classes], on the features' device.
    torch::Tensor logits(const torch::Tensor &features) const;
    ClassificationHead to(const c10::Device &device) const;

private:
    torch::Tensor projectedLogits(const torch::Tensor &features) const;
};

// [features] float32: 1 on block `block` of `blocks` equal blocks of the
// feature dimensions (the last block takes the remainder), 0 elsewhere. The
// demo pools give each task's head one block, as CLIP's text heads of
// different tasks point in different directions (docs/ZOO.md).
torch::Tensor taskBlockMask(int64_t features, int block, int blocks);

} // namespace wemoe
