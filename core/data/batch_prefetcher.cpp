#include "data/batch_prefetcher.h"

#include "common/error.h"

#include <algorithm>

namespace wemoe {

BatchPrefetcher::BatchPrefetcher(const BatchLoader &loader, int depth)
    : m_loader(loader)
    , m_depth(std::max(1, depth))
{
    requestMore();
}

BatchPrefetcher::~BatchPrefetcher()
{
    for (auto &batch : m_pending) {
        if (batch.valid())
            batch.wait();
    }
}

void BatchPrefetcher::requestMore()
{
    while (m_requested < m_loader.batchCount() && static_cast<int>(m_pending.size()) < m_depth) {
        const int index = m_requested++;
        m_pending.push_back(std::async(std::launch::async, [this, index] { return m_loader.batch(index); }));
    }
}

BatchLoader::Batch BatchPrefetcher::next()
{
    if (m_pending.empty())
        throw Error(QStringLiteral("no batches left (%1 read)").arg(m_delivered));
    std::future<BatchLoader::Batch> batch = std::move(m_pending.front());
    m_pending.pop_front();
    ++m_delivered;
    requestMore(); // the next one decodes while the caller works on this one
    return batch.get();
}

} // namespace wemoe
