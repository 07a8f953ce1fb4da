#pragma once

#include "data/image_dataset.h"
#include "data/image_preprocessor.h"
#include "pool/loaded_pool.h"

#include <torch/types.h>

#include <QtCore/QString>
#include <QtCore/QVector>

namespace wemoe {

// Where a data-based merge (RegMean, RegMean++, Fisher) takes its images from.
enum class CalibrationImages {
    Train,       // every task's train_data; a task without one is an error
    TrainOrTest, // train_data where a task names it, its test images where not
    Test,        // the test images, for pools that have no training images at all
};

// "train", "train_or_test", "test": as written in a method call.
QString calibrationImagesName(CalibrationImages images);

struct CalibrationOptions
{
    CalibrationImages images = CalibrationImages::Train;
    int examplesPerTask = 256; // FusionBench's num_regmean_examples / num_fisher_examples
    int batchSize = 32;
    quint64 seed = 0; // which examples: task t draws its subset with seed + t
};

// The accuracy table's words for them: "256 train images/task",
// "256 test images/task", "256 train-or-test images/task" (a TrainOrTest run
// warns which tasks had no train_data).
QString describeCalibration(const CalibrationOptions &options);

// The images each task's statistics are computed from: at most
// examplesPerTask of them per task, a seeded random subset (the same seed
// picks the same images on every machine), in batches, with their labels
// left unread (the data-based merges use no labels).
class CalibrationData
{
public:
    // Throws wemoe::Error naming the task when it has no train_data and the
    // options do not allow test images, or when its images cannot be read.
    static CalibrationData open(const LoadedPool &pool, const CalibrationOptions &options);

    int taskCount() const { return static_cast<int>(m_datasets.size()); }
    const ImageDataset &dataset(int task) const { return *m_datasets.at(size_t(task)); }
    // Task t learns from its test images (no train_data, or Test asked for).
    bool usesTestImages(int task) const { return m_fromTest.at(task); }
    int batchCount(int task) const;
    // Batch b of task t: [B, 3, S, S] float32 on the CPU; the last may be short.
    torch::Tensor batch(int task, int index) const;
    // Images over all tasks: the unit of progress reports.
    qint64 totalImages() const;

    // The tasks that learn from test images, for the warning a TrainOrTest run gives.
    QStringList tasksUsingTestImages() const;

private:
    explicit CalibrationData(const ImagePreprocessor &preprocessor)
        : m_preprocessor(preprocessor)
    {
    }

    TaskDatasets m_datasets;
    QVector<bool> m_fromTest;
    QStringList m_taskNames;
    int m_batchSize = 32;
    ImagePreprocessor m_preprocessor;
};

} // namespace wemoe
