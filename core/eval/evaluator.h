#pragma once

#include "common/tensor_map.h"
#include "data/image_dataset.h"
#include "data/image_preprocessor.h"
#include "jobs/job_context.h"
#include "merge/merge_spec.h"
#include "model/clip_vision_model.h"
#include "pool/loaded_pool.h"

#include <c10/core/Device.h>

#include <QtCore/QVector>

#include <memory>

namespace wemoe {

struct EvalOptions
{
    c10::Device device = c10::Device(c10::kCPU);
    int batchSize = 64;
};

// Top-1 accuracy of `model` + `head` on a dataset (no gradients).
struct TaskAccuracy
{
    qint64 correct = 0;
    qint64 total = 0;
    double fraction() const { return total > 0 ? double(correct) / double(total) : 0.0; }
};
TaskAccuracy evaluateTask(const ClipVisionModel &model, const ClassificationHead &head, const ImageDataset &dataset,
                          const ImagePreprocessor &preprocessor, int batchSize, const JobContext &context = {});

// Every task's test images (an image folder or Parquet files), opened with its
// head's class order, cut to the pool's seeded subset when it asks for one
// (throws wemoe::Error naming the folder or file when its classes differ from
// the head's).
TaskDatasets openTaskDatasets(const LoadedPool &pool);

// Evaluates models on every task of a loaded pool. Each task's test folder is
// opened once (class folders checked against its head) when the evaluator is made.
class PoolEvaluator
{
public:
    PoolEvaluator(const LoadedPool &pool, const EvalOptions &options);

    const LoadedPool &pool() const { return m_pool; }
    // One model (canonical vision names) on every task: accuracy per task.
    QVector<double> evaluateModel(const TensorMap &vision, const JobContext &context = {}) const;
    // A method of MergeSpec on every task; Individual evaluates task t's own
    // fine-tuned model on task t.
    QVector<double> evaluateMethod(const MergeSpec &spec, const JobContext &context = {}) const;
    const ImageDataset &dataset(int task) const { return *m_datasets.at(task); }
    // Test images over all tasks: the unit of progress reports.
    qint64 totalImages() const;

private:
    double evaluateOnTask(const ClipVisionModel &model, int task, qint64 imagesBefore, const JobContext &context) const;

    const LoadedPool &m_pool;
    EvalOptions m_options;
    TaskDatasets m_datasets;
};

} // namespace wemoe
