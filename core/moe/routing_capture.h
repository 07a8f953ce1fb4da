#pragma once

#include "moe/weight_ensembling_mlp.h"

#include <torch/types.h>

#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVector>

namespace wemoe {

// The routing weights a WEMoE model applied while it was evaluated: per image
// and per block, one weight per expert (task). What the studio's heatmaps show.
struct RoutingCapture
{
    QStringList tasks; // expert t is task t's task vector
    RoutingMode mode = RoutingMode::PerSample;
    torch::Tensor weights;   // [images, layers, experts] float32, CPU
    QVector<int> imageTask;  // the task whose test set the image is from
    QVector<int> imageIndex; // its index in that test set
    QStringList imageFiles;
    QVector<int> trueLabel;
    QVector<int> predictedLabel;

    int images() const { return imageTask.size(); }
    int layers() const { return weights.defined() ? static_cast<int>(weights.size(1)) : 0; }
    int experts() const { return tasks.size(); }

    // Mean and standard deviation over each task's images: [tasks, layers, experts].
    torch::Tensor meanPerTask() const;
    torch::Tensor stdPerTask() const;
    // The paper's "first choice" share: for task t and layer l, the fraction of
    // task t's images whose largest routing weight at layer l is expert t. [tasks, layers]
    torch::Tensor firstChoice() const;

    // `basePath`.safetensors (weights + every per-image field in metadata) and
    // `basePath`.csv (one row per image and layer). Both atomic.
    void save(const QString &basePath) const;
    // Reads a .safetensors written by save(); throws wemoe::Error naming the file.
    static RoutingCapture load(const QString &safetensorsPath);
    // Per task and layer: mean and std of every expert's weight, and the first-choice share.
    QString summaryCsv() const;
};

} // namespace wemoe
