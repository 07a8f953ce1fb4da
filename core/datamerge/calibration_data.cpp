#include "datamerge/calibration_data.h"

#include "common/error.h"
#include "data/batch_loader.h"
#include "data/dataset_subset.h"
#include "data/open_dataset.h"

#include <QtCore/QCoreApplication>

namespace wemoe {

QString calibrationImagesName(CalibrationImages images)
{
    switch (images) {
    case CalibrationImages::Train: return QStringLiteral("train");
    case CalibrationImages::TrainOrTest: return QStringLiteral("train_or_test");
    case CalibrationImages::Test: return QStringLiteral("test");
    }
    return {};
}

QString describeCalibration(const CalibrationOptions &options)
{
    switch (options.images) {
    case CalibrationImages::Train: return QStringLiteral("%1 train images/task").arg(options.examplesPerTask);
    case CalibrationImages::TrainOrTest:
        return QStringLiteral("%1 train-or-test images/task").arg(options.examplesPerTask);
    case CalibrationImages::Test: return QStringLiteral("%1 test images/task").arg(options.examplesPerTask);
    }
    return {};
}

CalibrationData CalibrationData::open(const LoadedPool &pool, const CalibrationOptions &options)
{
    if (options.examplesPerTask < 1)
        throw Error(QStringLiteral("the examples per task must be at least 1 (got %1)").arg(options.examplesPerTask));
    if (options.batchSize < 1)
        throw Error(QStringLiteral("the batch size must be at least 1 (got %1)").arg(options.batchSize));
    CalibrationData data(ImagePreprocessor(pool.pretrained.config.imageSize, pool.pool.normalization));
    data.m_batchSize = options.batchSize;
    for (int t = 0; t < pool.taskCount(); ++t) {
        const PoolTask &task = pool.pool.tasks.at(t);
        const bool hasTrain = !task.trainData.isEmpty();
        const bool fromTest = options.images == CalibrationImages::Test
                              || (options.images == CalibrationImages::TrainOrTest && !hasTrain);
        if (!fromTest && !hasTrain)
            throw Error(pool.pool.path,
                        QCoreApplication::translate("wemoe::Error",
                                                    "task '%1' names no train_data, and this method learns from "
                                                    "training images; name them in the pool, or allow its test "
                                                    "images with data=train_or_test")
                            .arg(task.name));
        const SharedImageDataset all = openImageDataset(fromTest ? task.testData : task.trainData,
                                                        pool.heads.at(t).classNames);
        data.m_datasets.push_back(seededSubset(all, options.examplesPerTask, options.seed + quint64(t)));
        data.m_fromTest << fromTest;
        data.m_taskNames << task.name;
    }
    return data;
}

int CalibrationData::batchCount(int task) const
{
    const int size = dataset(task).size();
    return (size + m_batchSize - 1) / m_batchSize;
}

torch::Tensor CalibrationData::batch(int task, int index) const
{
    return BatchLoader(dataset(task), m_preprocessor, m_batchSize).batch(index).images;
}

qint64 CalibrationData::totalImages() const
{
    qint64 total = 0;
    for (const auto &dataset : m_datasets)
        total += dataset->size();
    return total;
}

QStringList CalibrationData::tasksUsingTestImages() const
{
    QStringList tasks;
    for (int t = 0; t < m_taskNames.size(); ++t) {
        if (m_fromTest.at(t))
            tasks << m_taskNames.at(t);
    }
    return tasks;
}

} // namespace wemoe
