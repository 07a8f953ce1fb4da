#include "eval/evaluator.h"

#include "common/error.h"
#include "data/batch_loader.h"
#include "data/batch_prefetcher.h"
#include "data/dataset_subset.h"
#include "data/open_dataset.h"

#include <torch/torch.h>

namespace wemoe {

TaskAccuracy evaluateTask(const ClipVisionModel &model, const ClassificationHead &head, const ImageDataset &dataset,
                          const ImagePreprocessor &preprocessor, int batchSize, const JobContext &context)
{
    torch::NoGradGuard noGrad;
    const auto headOnDevice = head.to(model.device());
    const BatchLoader loader(dataset, preprocessor, batchSize);
    BatchPrefetcher batches(loader);
    TaskAccuracy accuracy;
    accuracy.total = loader.sampleCount();
    qint64 done = 0;
    while (!batches.atEnd()) {
        context.throwIfCancelled();
        const auto batch = batches.next();
        const auto logits = headOnDevice.logits(model.encode(batch.images));
        const auto predicted = logits.argmax(1).cpu();
        accuracy.correct += predicted.eq(batch.labels).sum().item<int64_t>();
        done += batch.labels.size(0);
        context.progress(done, accuracy.total, dataset.source());
    }
    return accuracy;
}

TaskDatasets openTaskDatasets(const LoadedPool &pool)
{
    TaskDatasets datasets;
    for (int t = 0; t < pool.taskCount(); ++t) {
        const SharedImageDataset all = openImageDataset(pool.pool.tasks.at(t).testData, pool.heads.at(t).classNames);
        datasets.push_back(seededSubset(all, pool.maxTestImagesPerTask, pool.testSubsetSeed + quint64(t)));
    }
    return datasets;
}

PoolEvaluator::PoolEvaluator(const LoadedPool &pool, const EvalOptions &options)
    : m_pool(pool)
    , m_options(options)
    , m_datasets(openTaskDatasets(pool))
{
    if (options.batchSize <= 0)
        throw Error(QStringLiteral("batch size must be positive (got %1)").arg(options.batchSize));
}

qint64 PoolEvaluator::totalImages() const
{
    qint64 total = 0;
    for (const auto &dataset : m_datasets)
        total += dataset->size();
    return total;
}

double PoolEvaluator::evaluateOnTask(const ClipVisionModel &model, int task, qint64 imagesBefore,
                                     const JobContext &context) const
{
    // Report progress over all tasks of this evaluation, not per task.
    JobContext taskContext = context;
    const qint64 total = totalImages();
    const QString what = m_pool.pool.tasks.at(task).name;
    taskContext.onProgress = [&context, imagesBefore, total, what](qint64 done, qint64, const QString &) {
        context.progress(imagesBefore + done, total, what);
    };
    const ImagePreprocessor preprocessor(m_pool.pretrained.config.imageSize, m_pool.pool.normalization);
    return evaluateTask(model, m_pool.heads.at(task), *m_datasets.at(task), preprocessor, m_options.batchSize,
                        taskContext)
        .fraction();
}

QVector<double> PoolEvaluator::evaluateModel(const TensorMap &vision, const JobContext &context) const
{
    const ClipVisionModel model(m_pool.pretrained.config, vision, m_options.device);
    QVector<double> accuracy;
    qint64 before = 0;
    for (int t = 0; t < m_pool.taskCount(); ++t) {
        accuracy.append(evaluateOnTask(model, t, before, context));
        before += m_datasets.at(t)->size();
    }
    return accuracy;
}

QVector<double> PoolEvaluator::evaluateMethod(const MergeSpec &spec, const JobContext &context) const
{
    switch (spec.method) {
    case MergeSpec::Method::Pretrained: return evaluateModel(m_pool.pretrained.vision, context);
    case MergeSpec::Method::Individual: {
        QVector<double> accuracy;
        qint64 before = 0;
        for (int t = 0; t < m_pool.taskCount(); ++t) {
            const ClipVisionModel model(m_pool.pretrained.config, m_pool.tasks.at(t).vision, m_options.device);
            accuracy.append(evaluateOnTask(model, t, before, context));
            before += m_datasets.at(t)->size();
        }
        return accuracy;
    }
    default: {
        MergeInputs inputs;
        inputs.pretrained = &m_pool.pretrained.vision;
        inputs.finetuned = m_pool.taskWeights();
        // Merging is quick next to evaluation; it reports no progress of its own here.
        JobContext mergeContext;
        mergeContext.cancelFlag = context.cancelFlag;
        mergeContext.onWarning = context.onWarning;
        return evaluateModel(spec.merge(inputs, mergeContext), context);
    }
    }
}

} // namespace wemoe
