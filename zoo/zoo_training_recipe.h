#pragma once

#include "io/clip_config.h"

#include <QtCore/QJsonObject>
#include <QtCore/QMap>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace wemoe {

// Every setting that decides what the demo zoo's models become: the ViT, the
// data counts, the pretext pretraining, the fixed heads and the fine-tunes.
// Two recipes exist: the standard one (about three minutes on two cores) and
// the quick one (under a minute, for tests and CI). The cache key
// (version()) hashes all of these settings, so changing any of them builds a
// new zoo beside the old one instead of reusing a stale one.
struct ZooTrainingRecipe
{
    bool quick = false;
    quint64 seed = 1;
    // Intra-op threads of LibTorch while training, and threads drawing the images.
    int threads = 2;

    // The "pretrained" model and every fine-tuned copy: CLIP's vision layout at 32 px.
    ClipVisionConfig model;
    double initStd = 0.02;

    // Images per class of every task (0: the dataset recipe's default).
    int trainPerClass = 0;
    int testPerClass = 0;
    // Horizontal flips only on the tasks named here (a flipped digit or road
    // sign changes meaning), in the pretext views and the fine-tuning batches.
    QStringList mirrorSafeTasks;

    // Pretext pretraining on the union of the TRAIN splits, batches balanced
    // over the tasks. The loss is a weighted sum of SimCLR's contrastive loss
    // between two random views of each image (temperature below), which
    // spreads the features over the sphere so class centroids differ, and the
    // cross-entropy of telling which task an image comes from.
    int pretextSteps = 0;
    // > 0: the pretext trains its own projection head of this size, which is
    // then discarded (as SimCLR discards its projection head): the pretrained
    // model's visual projection becomes a seeded random rotation of the
    // post-layernorm features (model.projectionDim orthonormal rows, at most
    // the width), so no direction of the feature space is favoured.
    // 0: the pretext trains model's projection, which is kept.
    int pretextProjectionDim = 0;
    int pretextBatch = 64; // images; the contrastive loss sees two views of each
    double pretextLearningRate = 1e-3;
    int pretextWarmupSteps = 0;
    double contrastiveWeight = 1.0;
    double taskWeight = 1.0;
    double classWeight = 0.0;
    double contrastiveTemperature = 0.2;
    // The views: crops of at least this share of the area, brightness and
    // contrast jitter, some grey views.
    double viewMinArea = 0.35;
    double viewJitter = 0.4;
    double viewGrayProbability = 0.2;

    // The fixed zero-shot-like head of each task: L2-normalised class
    // centroids of the pretrained model's projected features on the train
    // split, used as a CLIP head with this logit scale.
    double headLogitScale = 20.0;
    int headImagesPerClass = 0; // 0: the whole train split
    // Each task's head reads only its own block of the features (task t: the
    // t-th of T equal blocks), as CLIP's text heads of different tasks point
    // in different directions. Fine-tuning task u then moves features mostly
    // where other tasks' heads do not look, so a fine-tuned model is not
    // confidently wrong on other tasks and entropy can route (docs/ZOO.md).
    bool headTaskBlocks = false;
    // Centroids minus their mean over the task's classes (CentroidHeadOptions::centred).
    bool headCentred = false;
    // > 0: each head's logit scale is chosen so that the pretrained model's
    // mean normalised entropy on the train split is this (CentroidHeadOptions::targetEntropy);
    // headLogitScale is then unused.
    double headTargetEntropy = 0.0;

    // Fine-tuning per task, head frozen: the whole encoder, or only the MLPs
    // (the tensors WEMoE upscales; everything else stays the pretrained
    // tensor, as if attention were shared knowledge). docs/ZOO.md, recipe 3.
    bool finetuneMlpOnly = false;
    int finetuneSteps = 0;
    // Tasks that learn slowly get more steps (the rest take finetuneSteps):
    // the house numbers and objects fit their train split to 14–33 % in 200
    // steps, where the other tasks reach 60–95 % (docs/ZOO.md, recipe 4).
    QMap<QString, int> finetuneStepsByTask;
    int finetuneBatch = 64;
    double finetuneLearningRate = 5e-4;
    int finetuneWarmupSteps = 0;
    // Random crops after zero padding by this many pixels. Small: at patch 8
    // a shift of half a patch changes every token, and larger shifts undid
    // what the fine-tunes learned.
    int finetuneCropPadding = 0;
    // Tasks whose fine-tuning batches are the pretext's views instead
    // (randomResizedView with viewMinArea, viewJitter, viewGrayProbability):
    // the textures' test images come from held-out sources, and with crops
    // alone their fine-tune memorised the training sources (docs/ZOO.md, recipe 5).
    QStringList finetuneViewTasks;

    double weightDecay = 0.05;
    double maxGradNorm = 1.0;

    // Fine-tuning steps of one task.
    int finetuneStepsOf(const QString &task) const { return finetuneStepsByTask.value(task, finetuneSteps); }

    // All of the above, for zoo.json, the README and the cache key.
    QJsonObject toJson() const;
    // "r<revision>-<8 hex digits of a hash of toJson()>": the cache key.
    QString version() const;
};

// Bumped by hand whenever the training or dataset CODE changes what a recipe
// produces, dataset defaults included (the settings are covered by the hash in
// version()). Revision 6 trains the same weights as 5; its pool names each
// task's train split as train_data (for RegMean and Fisher merging), which an
// r5 cache lacks.
constexpr int kZooTrainingRevision = 6;

ZooTrainingRecipe standardZooRecipe();
ZooTrainingRecipe quickZooRecipe();

} // namespace wemoe
