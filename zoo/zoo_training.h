#pragma once

#include "common/tensor_map.h"
#include "demo/training_loop.h"
#include "io/classification_head.h"
#include "jobs/job_context.h"
#include "zoo/training_images.h"
#include "zoo/zoo_training_recipe.h"

#include <QtCore/QVector>

namespace wemoe {

// The three stages that turn the demo datasets into a model pool
// (docs/ZOO.md), each deterministic for the recipe's seed on a given machine
// and thread count.

struct PretextResult
{
    TensorMap weights; // the "pretrained" ViT (canonical names, float32, no gradients)
    TrainReport report;
    // Measured on the last tenth of the training batches (augmented): how
    // often a view's nearest other view is its twin, and the accuracy of the
    // which-task head (0 when that loss is off).
    double contrastiveAccuracy = 0.0;
    double taskAccuracy = 0.0;
    double classAccuracy = 0.0;
};

// Stage 1, playing CLIP's pretraining: from seeded random weights, on the
// union of the TRAIN splits only, minimise the recipe's weighted pretext
// losses (contrastive views, which task) on the projected features. Batches
// are balanced over the tasks. The linear which-task head is thrown away
// afterwards.
PretextResult pretrainWithPretext(const ZooTrainingRecipe &recipe, const QVector<TrainingImages> &trainSplits,
                                  const JobContext &context = {});

// Stage 2, playing CLIP's zero-shot text head: per class the mean of the
// L2-normalised features (of the first imagesPerClass train images per
// class; 0 = all), as a "clip" head with the given logit scale.
struct CentroidHeadOptions
{
    double logitScale = 20.0;
    int imagesPerClass = 0;
    // taskBlocks > 0: the head reads only block `taskBlock` of `taskBlocks`
    // equal blocks of the features (the last takes the remainder); the
    // centroids are zeroed outside it.
    int taskBlock = 0;
    int taskBlocks = 0;
    // Subtract the mean of the normalised class centroids (in the block),
    // then normalise again. A weak
    // pretrained model puts every class of a task in nearly one direction
    // (cosines 0.99 between house-number classes), which leaves fine-tuning
    // through the frozen head almost no margin to work with; centred, the
    // class directions spread like CLIP's text embeddings of different
    // class names (docs/ZOO.md, recipe 3).
    bool centred = false;
    // > 0: ignore logitScale and choose the scale at which the pretrained
    // model's mean prediction entropy over the head's images, divided by
    // ln(classes), equals this (0 < target < 1). Fixed scales make some tasks'
    // heads confident before any fine-tuning and others nearly uniform; a
    // common starting confidence lets the entropy of each task's predictions
    // mean the same thing on every task, which WEMoE's routers learn from.
    double targetEntropy = 0.0;
};

ClassificationHead centroidHead(const ClipVisionConfig &config, const TensorMap &pretrained,
                                const TrainingImages &train, const CentroidHeadOptions &options,
                                const JobContext &context = {});

struct FinetuneResult
{
    TensorMap weights;
    TrainReport report;
    double trainAccuracy = 0.0; // on the last tenth of the (augmented) training batches
};

// Stage 3: the encoder trained from the pretrained weights with cross-entropy
// through the task's FROZEN head, on the task's train split: all of it, or
// with recipe.finetuneMlpOnly only the MLPs (every other tensor stays the
// pretrained one bit for bit). AdamW with the recipe's warmup + cosine
// schedule, weight decay and clipping on seeded, augmented minibatches
// (trainWithAdamW, core/demo: the same loop `pool synth` fine-tunes with, there
// at a constant rate on one full batch).
FinetuneResult fineTuneTask(const ZooTrainingRecipe &recipe, const TensorMap &pretrained,
                            const ClassificationHead &head, const TrainingImages &train, int taskIndex,
                            const JobContext &context = {});

} // namespace wemoe
