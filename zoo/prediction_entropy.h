#pragma once

#include "jobs/job_context.h"
#include "pool/loaded_pool.h"
#include "zoo/training_images.h"

#include <QtCore/QStringList>
#include <QtCore/QVector>

namespace wemoe {

// How confident every model of a pool is on every task: WEMoE's test-time
// adaptation minimises prediction entropy, so it can only route task u's
// images to expert u if model u is the most confident one there.
struct CrossTaskMeasures
{
    QStringList modelNames; // "pretrained", then the pool's task names (their fine-tuned models)
    QStringList taskNames;
    // [model][task]: mean Shannon entropy of softmax(head_task(model(x))) over
    // the task's test images, divided by ln(classes) so tasks compare (0..1).
    QVector<QVector<double>> normalizedEntropy;
    // [model][task]: top-1 accuracy with the task's head.
    QVector<QVector<double>> accuracy;

    // Task u's fine-tuned model (row u + 1) has the lowest entropy in column u.
    bool ownModelMostConfident(int task) const;
    // Fine-tuned model t's lowest entropy over the tasks is on its own task.
    bool mostConfidentOnOwnTask(int task) const;
};

// Every task's test images of `pool`, in memory and preprocessed.
std::vector<TrainingImages> loadTestSplits(const LoadedPool &pool, const JobContext &context = {});

struct TaskConfidence
{
    double normalizedEntropy = 0.0; // mean entropy of the head's softmax / ln(classes)
    double accuracy = 0.0;
};

// One model (`weights`, of the pool's architecture) on one task's images with its head.
TaskConfidence measureOnTask(const ClipVisionConfig &config, const TensorMap &weights, const ClassificationHead &head,
                             const TrainingImages &test, int batchSize);

// Evaluates the pretrained and every fine-tuned model of `pool` on every
// task's test images (no gradients, batches of `batchSize`).
CrossTaskMeasures measureCrossTask(const LoadedPool &pool, int batchSize = 256, const JobContext &context = {});

} // namespace wemoe
