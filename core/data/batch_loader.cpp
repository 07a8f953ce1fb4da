#include "data/batch_loader.h"

#include "common/error.h"

#include <torch/torch.h>

#include <ATen/Parallel.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <mutex>
#include <numeric>
#include <optional>
#include <random>

namespace wemoe {

namespace {

// A uniform draw from [0, bound) by rejection: the top 2^64 mod bound values
// would make the low residues more likely, so they are redrawn. Written out
// (not std::uniform_int_distribution) because the standard leaves that
// algorithm to each library, and seeded orders must match across machines.
std::uint64_t uniformBelow(std::mt19937_64 &engine, std::uint64_t bound)
{
    const std::uint64_t rejectBelow = (std::numeric_limits<std::uint64_t>::max() - bound + 1) % bound; // 2^64 mod bound
    for (;;) {
        const std::uint64_t draw = engine();
        if (draw >= rejectBelow)
            return draw % bound;
    }
}

// The first failure of a parallel batch, by position in the batch, so the
// reported error does not depend on thread scheduling.
class FirstFailure
{
public:
    void record(std::int64_t position, const Error &error)
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (!m_error || position < m_position) {
            m_position = position;
            m_error = error;
        }
    }
    void rethrow() const
    {
        if (m_error)
            throw *m_error;
    }

private:
    std::mutex m_mutex;
    std::int64_t m_position = 0;
    std::optional<Error> m_error;
};

} // namespace

BatchLoader::BatchLoader(const ImageDataset &dataset, const ImagePreprocessor &preprocessor, int batchSize,
                         std::vector<int> order)
    : m_dataset(dataset)
    , m_preprocessor(preprocessor)
    , m_batchSize(batchSize)
    , m_order(std::move(order))
{
    if (batchSize <= 0)
        throw Error(dataset.source(), QStringLiteral("batch size must be positive, got %1").arg(batchSize));
    if (m_order.empty()) {
        m_order.resize(dataset.size());
        std::iota(m_order.begin(), m_order.end(), 0);
    }
    for (const int index : m_order) {
        if (index < 0 || index >= dataset.size())
            throw Error(dataset.source(), QStringLiteral("sample index %1 in the batch order is outside the dataset "
                                                         "(%2 images)")
                                              .arg(index)
                                              .arg(dataset.size()));
    }
}

int BatchLoader::batchCount() const
{
    return static_cast<int>((m_order.size() + m_batchSize - 1) / m_batchSize);
}

BatchLoader::Batch BatchLoader::batch(int index) const
{
    if (index < 0 || index >= batchCount())
        throw Error(m_dataset.source(),
                    QStringLiteral("batch %1 does not exist (%2 batches)").arg(index).arg(batchCount()));

    const int first = index * m_batchSize;
    const int count = std::min<int>(m_batchSize, static_cast<int>(m_order.size()) - first);
    const int size = m_preprocessor.imageSize();
    const std::int64_t imageFloats = 3LL * size * size;

    Batch batch;
    batch.indices.assign(m_order.begin() + first, m_order.begin() + first + count);
    batch.images = torch::empty({count, 3, size, size}, torch::kFloat32);
    batch.labels = torch::empty({count}, torch::kInt64);
    auto *labels = batch.labels.data_ptr<std::int64_t>();
    for (int i = 0; i < count; ++i)
        labels[i] = m_dataset.label(batch.indices[i]);

    float *images = batch.images.data_ptr<float>();
    FirstFailure failure;
    // Exceptions must not leave the parallel region (an OpenMP worker would
    // terminate the process): each one is kept and the first rethrown below.
    at::parallel_for(0, count, 1, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) {
            const int sample = batch.indices[i];
            try {
                const torch::Tensor image = m_preprocessor.fromEncoded(m_dataset.encodedImage(sample),
                                                                       m_dataset.sampleName(sample));
                std::memcpy(images + i * imageFloats, image.data_ptr<float>(), sizeof(float) * imageFloats);
            } catch (const Error &e) {
                failure.record(i, e);
            } catch (const std::exception &e) {
                failure.record(i, Error(m_dataset.sampleName(sample),
                                        QStringLiteral("cannot load image: %1").arg(QString::fromUtf8(e.what()))));
            } catch (...) {
                failure.record(i,
                               Error(m_dataset.sampleName(sample), QStringLiteral("cannot load image: unknown error")));
            }
        }
    });
    failure.rethrow();
    return batch;
}

std::vector<int> BatchLoader::shuffledOrder(int n, quint64 seed)
{
    if (n < 0)
        throw Error(QStringLiteral("cannot shuffle a negative number of samples (%1)").arg(n));
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 engine(seed);
    // Fisher–Yates from the back: position i takes a uniform pick of 0..i.
    for (int i = n - 1; i > 0; --i) {
        const auto j = static_cast<int>(uniformBelow(engine, static_cast<std::uint64_t>(i) + 1));
        std::swap(order[i], order[j]);
    }
    return order;
}

} // namespace wemoe
