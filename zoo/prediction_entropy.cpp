#include "zoo/prediction_entropy.h"

#include "common/error.h"
#include "model/clip_vision_model.h"

#include <torch/torch.h>

#include <cmath>

namespace wemoe {

bool CrossTaskMeasures::ownModelMostConfident(int task) const
{
    const double own = normalizedEntropy.at(task + 1).at(task);
    for (int model = 0; model < normalizedEntropy.size(); ++model) {
        if (model != task + 1 && normalizedEntropy[model][task] <= own)
            return false;
    }
    return true;
}

bool CrossTaskMeasures::mostConfidentOnOwnTask(int task) const
{
    const QVector<double> &row = normalizedEntropy.at(task + 1);
    for (int other = 0; other < row.size(); ++other) {
        if (other != task && row[other] <= row[task])
            return false;
    }
    return true;
}

std::vector<TrainingImages> loadTestSplits(const LoadedPool &pool, const JobContext &context)
{
    std::vector<TrainingImages> tests;
    for (int t = 0; t < pool.taskCount(); ++t) {
        context.throwIfCancelled();
        JobContext quiet;
        quiet.cancelFlag = context.cancelFlag;
        tests.push_back(loadTrainingImages(pool.pool.tasks[t].testData, pool.heads[size_t(t)].classNames,
                                           pool.pretrained.config.imageSize, pool.pool.normalization, quiet));
    }
    return tests;
}

TaskConfidence measureOnTask(const ClipVisionConfig &config, const TensorMap &weights, const ClassificationHead &head,
                             const TrainingImages &test, int batchSize)
{
    if (batchSize < 1)
        throw Error(QStringLiteral("batch size must be positive (got %1)").arg(batchSize));
    torch::NoGradGuard noGrad;
    const ClipVisionModel model(config, weights, torch::kCPU);
    double entropySum = 0.0;
    qint64 correct = 0;
    for (int64_t first = 0; first < test.size(); first += batchSize) {
        const int64_t count = std::min<int64_t>(batchSize, test.size() - first);
        const torch::Tensor logits = head.logits(model.encode(test.images.narrow(0, first, count)));
        const torch::Tensor logProbs = torch::log_softmax(logits, 1);
        entropySum -= (logProbs.exp() * logProbs).sum().item<double>();
        correct += logits.argmax(1).eq(test.labels.narrow(0, first, count)).sum().item<int64_t>();
    }
    const double images = std::max(1, test.size());
    return {entropySum / images / std::log(double(head.numClasses())), double(correct) / images};
}

CrossTaskMeasures measureCrossTask(const LoadedPool &pool, int batchSize, const JobContext &context)
{
    if (batchSize < 1)
        throw Error(QStringLiteral("batch size must be positive (got %1)").arg(batchSize));
    const int tasks = pool.taskCount();
    const std::vector<TrainingImages> tests = loadTestSplits(pool, context);

    CrossTaskMeasures measures;
    measures.taskNames = pool.taskNames();
    measures.modelNames = QStringList{QStringLiteral("pretrained")} + measures.taskNames;
    const qint64 steps = qint64(tasks + 1) * tasks;
    for (int m = 0; m <= tasks; ++m) {
        const TensorMap &weights = m == 0 ? pool.pretrained.vision : pool.tasks[size_t(m - 1)].vision;
        QVector<double> entropyRow;
        QVector<double> accuracyRow;
        for (int t = 0; t < tasks; ++t) {
            context.throwIfCancelled();
            const TaskConfidence measured = measureOnTask(pool.pretrained.config, weights, pool.heads[size_t(t)],
                                                          tests[size_t(t)], batchSize);
            entropyRow.append(measured.normalizedEntropy);
            accuracyRow.append(measured.accuracy);
            context.progress(qint64(m) * tasks + t + 1, steps, measures.modelNames[m]);
        }
        measures.normalizedEntropy.append(entropyRow);
        measures.accuracy.append(accuracyRow);
    }
    return measures;
}

} // namespace wemoe
