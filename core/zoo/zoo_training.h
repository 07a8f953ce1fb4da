#pragma once

#include "common/tensor_map.h"
#include "io/classification_head.h"
#include "jobs/job_context.h"
#include "zoo/training_images.h"
#include "zoo/vit_trainer.h"
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

// Stage 2, playing CLIP's zero-shot text head: the L2-normalised mean of the
// L2-normalised features of each class (of the first imagesPerClass train
// images per class; 0 = all), as a "clip" head with the given logit scale.
// With taskBlocks > 0 the head reads only block `taskBlock` of `taskBlocks`
// equal blocks of the features (the last takes the remainder): the centroids
// are zeroed outside it, then normalised again.
ClassificationHead centroidHead(const ClipVisionConfig &config, const TensorMap &pretrained,
                                const TrainingImages &train, double logitScale, int imagesPerClass,
                                const JobContext &context = {}, int taskBlock = 0, int taskBlocks = 0);

struct FinetuneResult
{
    TensorMap weights;
    TrainReport report;
    double trainAccuracy = 0.0; // on the last tenth of the (augmented) training batches
};

// Stage 3: the whole encoder trained from the pretrained weights with
// cross-entropy through the task's FROZEN head, on the task's train split.
FinetuneResult fineTuneTask(const ZooTrainingRecipe &recipe, const TensorMap &pretrained,
                            const ClassificationHead &head, const TrainingImages &train, int taskIndex,
                            const JobContext &context = {});

} // namespace wemoe
