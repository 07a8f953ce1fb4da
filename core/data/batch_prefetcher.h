#pragma once

#include "data/batch_loader.h"

#include <deque>
#include <future>

namespace wemoe {

// Reads a loader's batches in order, decoding up to `depth` batches ahead on
// a background thread while the caller computes on the current one, so a
// model never waits for images when there are spare cores. The batches are
// the loader's, whatever the timing. Destroying it waits for the batches in
// flight (at most `depth`).
class BatchPrefetcher
{
public:
    explicit BatchPrefetcher(const BatchLoader &loader, int depth = 1);
    ~BatchPrefetcher();
    BatchPrefetcher(const BatchPrefetcher &) = delete;
    BatchPrefetcher &operator=(const BatchPrefetcher &) = delete;

    bool atEnd() const { return m_delivered >= m_loader.batchCount(); }
    // The next batch; rethrows what decoding it threw.
    BatchLoader::Batch next();

private:
    void requestMore();

    const BatchLoader &m_loader;
    int m_depth;
    int m_requested = 0;
    int m_delivered = 0;
    std::deque<std::future<BatchLoader::Batch>> m_pending;
};

} // namespace wemoe
