#pragma once

#include "data/image_dataset.h"
#include "data/image_preprocessor.h"
#include "jobs/job_context.h"

#include <torch/types.h>

#include <vector>

namespace wemoe {

// Cuts a dataset into batches of preprocessed images, decoding the images of a
// batch on all of ATen's intra-op threads (at::parallel_for; the project is
// compiled with OpenMP so it really runs in parallel). The order is the
// dataset's unless one is given (for shuffled, seeded batches).
class BatchLoader
{
public:
    struct Batch
    {
        torch::Tensor images;     // [B, 3, S, S] float32, CPU
        torch::Tensor labels;     // [B] int64
        std::vector<int> indices; // dataset indices of the batch's samples
    };

    BatchLoader(const ImageDataset &dataset, const ImagePreprocessor &preprocessor, int batchSize,
                std::vector<int> order = {});

    int batchCount() const;
    int sampleCount() const { return static_cast<int>(m_order.size()); }
    Batch batch(int index) const;

    // A seeded permutation of 0..n-1 (std::mt19937_64, identical on every machine).
    static std::vector<int> shuffledOrder(int n, quint64 seed);

private:
    const ImageDataset &m_dataset;
    ImagePreprocessor m_preprocessor;
    int m_batchSize;
    std::vector<int> m_order;
};

} // namespace wemoe
