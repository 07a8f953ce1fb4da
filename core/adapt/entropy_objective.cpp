#include "adapt/entropy_objective.h"

#include "common/error.h"

#include <torch/torch.h>

namespace wemoe {

torch::Tensor meanPredictionEntropy(const torch::Tensor &logits)
{
    const auto logProbabilities = torch::log_softmax(logits, 1);
    return -(logProbabilities.exp() * logProbabilities).sum(1).mean();
}

torch::Tensor batchPredictionEntropy(const torch::Tensor &logits)
{
    const auto meanProbabilities = torch::softmax(logits, 1).mean(0);
    return -(meanProbabilities * torch::log(meanProbabilities.clamp_min(1e-12))).sum();
}

UnlabeledTaskBatches::UnlabeledTaskBatches(const TaskDatasets &datasets, const ImagePreprocessor &preprocessor,
                                           int batchSize, quint64 seed)
    : m_preprocessor(preprocessor)
    , m_batchSize(batchSize)
    , m_seed(seed)
{
    if (batchSize <= 0)
        throw Error(QStringLiteral("adaptation batch size must be positive (got %1)").arg(batchSize));
    for (const auto &dataset : datasets) {
        if (dataset->size() == 0)
            throw Error(dataset->source(), QStringLiteral("no images to adapt on"));
        m_tasks.push_back(TaskStream{dataset, {}, 0, 0});
        reshuffle(static_cast<int>(m_tasks.size()) - 1);
    }
}

void UnlabeledTaskBatches::reshuffle(int task)
{
    auto &stream = m_tasks[task];
    // Distinct, reproducible seeds per task and pass.
    const quint64 seed = m_seed * 1000003ULL + static_cast<quint64>(task) * 7919ULL + stream.pass;
    stream.order = BatchLoader::shuffledOrder(stream.dataset->size(), seed);
    stream.position = 0;
    ++stream.pass;
}

torch::Tensor UnlabeledTaskBatches::next(int task)
{
    auto &stream = m_tasks.at(task);
    if (!stream.ahead.valid())
        stream.ahead = decodeNext(task);
    torch::Tensor images = stream.ahead.get();
    stream.ahead = decodeNext(task);
    return images;
}

std::future<torch::Tensor> UnlabeledTaskBatches::decodeNext(int task)
{
    auto &stream = m_tasks.at(task);
    std::vector<int> indices;
    while (static_cast<int>(indices.size()) < m_batchSize) {
        if (stream.position >= static_cast<int>(stream.order.size()))
            reshuffle(task);
        indices.push_back(stream.order[stream.position++]);
        if (static_cast<int>(indices.size()) == stream.dataset->size())
            break; // a task smaller than the batch: one of each image
    }
    // The order is fixed here, on the caller's thread; only decoding moves.
    return std::async(std::launch::async,
                      [dataset = stream.dataset, preprocessor = m_preprocessor, indices = std::move(indices)] {
                          const int size = static_cast<int>(indices.size());
                          return BatchLoader(*dataset, preprocessor, size, indices).batch(0).images;
                      });
}

} // namespace wemoe
