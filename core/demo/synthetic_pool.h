#pragma once

#include "io/clip_config.h"
#include "jobs/job_context.h"

#include <QtCore/QString>

namespace wemoe {

// A small model pool made from random numbers, for tests and for trying the
// command line before any real checkpoint is at hand. It is built so that the
// accuracy table means something: task t's images are labelled by task t's own
// fine-tuned model (individual accuracy is 100 % by construction), the
// pretrained model and merges of the task vectors agree with those labels only
// partly, and the gap between them is the interference merging has to fight.
struct SyntheticPoolOptions
{
    ClipVisionConfig config; // architecture of every checkpoint
    int tasks = 3;
    int classes = 4;
    int imagesPerClass = 8;      // test images per class (fewer when a class is rare)
    double weightStd = 0.1;      // pretrained weights ~ N(0, weightStd)
    double taskVectorStd = 0.05; // task vectors ~ N(0, taskVectorStd)
    double logitScale = 10.0;    // of the CLIP-style heads, unless calibrated:
    // > 0: the heads' logit scale is set so that each fine-tuned model's mean
    // top-class probability on its candidate images is this.
    double targetConfidence = 0.0;
    // The fine-tuned models differ from the pretrained one in the MLPs only:
    // the case where WEMoE's experts can reproduce every fine-tuned model.
    bool taskVectorsInMlpOnly = false;
    // > 0: instead of random task vectors, each task's images come in classes
    // (a colour pattern per class), its head is made of the pretrained
    // model's class centroids, and its MLPs are fine-tuned for this many
    // full-batch Adam steps on other images of the same classes (labels are
    // the classes; individual accuracy is then measured, not 100 % by
    // construction).
    int fineTuneSteps = 0;
    double fineTuneLearningRate = 3e-3;
    // With fineTuneSteps: task t's head reads only the t-th of `tasks` equal
    // blocks of the feature dimensions, as CLIP's text heads of different
    // tasks point in different directions. Fine-tuning task u then moves
    // features mostly inside block u, where other tasks' heads do not look.
    bool taskSubspaceHeads = false;
    // With fineTuneSteps: also write the images the MLPs were fine-tuned on
    // (data/<name>/train/<class>/<n>.png) and name them as the task's
    // train_data, for the merges that learn from training images (RegMean, Fisher).
    bool writeTrainImages = false;
    quint64 seed = 1;

    SyntheticPoolOptions();
};

// Writes pool.json, pretrained/, tasks/<name>/ (Hugging Face CLIP vision
// folders with the "vision_model." prefix), heads/<name>.safetensors and
// data/<name>/test/<class>/<n>.png (and data/<name>/train when asked) into `folder` (created; must be empty or
// absent). Returns the pool file's path. Deterministic for a seed.
QString writeSyntheticPool(const QString &folder, const SyntheticPoolOptions &options, const JobContext &context = {});

} // namespace wemoe
