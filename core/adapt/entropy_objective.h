#pragma once

#include "data/batch_loader.h"
#include "data/image_dataset.h"
#include "data/image_preprocessor.h"

#include <torch/types.h>

#include <QtCore/QVector>

#include <future>
#include <vector>

namespace wemoe {

// Mean over the batch of the Shannon entropy (nats) of softmax(logits):
// the unsupervised objective of AdaMerging and WEMoE's test-time adaptation.
torch::Tensor meanPredictionEntropy(const torch::Tensor &logits);

// Shannon entropy (nats) of the batch's mean prediction, mean over the batch
// of softmax(logits). High when the batch's images are spread over the
// classes, 0 when every image is predicted as the same class: subtracting it
// from the mean entropy (information maximisation, as in SHOT) makes sending
// a whole task to one class cost instead of pay.
torch::Tensor batchPredictionEntropy(const torch::Tensor &logits);

// An endless stream of shuffled, unlabeled batches per task: each task's test
// images in a seeded random order, reshuffled (with the next seed) after every
// pass. Labels are never used. The same seed gives the same batches. A task's
// next batch is decoded in the background while the caller works on the
// current one.
class UnlabeledTaskBatches
{
public:
    UnlabeledTaskBatches(const TaskDatasets &datasets, const ImagePreprocessor &preprocessor, int batchSize,
                         quint64 seed);

    int taskCount() const { return static_cast<int>(m_tasks.size()); }
    // The next batch of task t's images, [B, 3, S, S] on the CPU.
    torch::Tensor next(int task);

private:
    struct TaskStream
    {
        SharedImageDataset dataset;
        std::vector<int> order;
        int position = 0;
        quint64 pass = 0;
        std::future<torch::Tensor> ahead; // the next batch, being decoded
    };
    void reshuffle(int task);
    std::future<torch::Tensor> decodeNext(int task);

    ImagePreprocessor m_preprocessor;
    int m_batchSize;
    quint64 m_seed;
    std::vector<TaskStream> m_tasks;
};

} // namespace wemoe
