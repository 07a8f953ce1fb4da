#include "data/row_group_cache.h"

#include "parquet/parquet_file.h"

namespace wemoe {

namespace {

std::int64_t bytesHeld(const ParquetColumnValues &values)
{
    std::int64_t bytes = static_cast<std::int64_t>(values.integers.size() * sizeof(std::int64_t));
    for (const QByteArray &value : values.bytes)
        bytes += value.size();
    return bytes;
}

} // namespace

RowGroupCache::RowGroupCache(std::int64_t byteBudget)
    : m_byteBudget(byteBudget)
{
}

RowGroupCache::Values RowGroupCache::get(std::uint64_t key, const std::function<ParquetColumnValues()> &read)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    const auto found = m_entries.find(key);
    if (found != m_entries.end()) {
        found->second.lastUse = ++m_clock;
        const std::shared_future<Values> values = found->second.values;
        lock.unlock();
        return values.get(); // waits outside the lock for a read in progress
    }
    std::promise<Values> promise;
    Entry entry;
    entry.values = promise.get_future().share();
    entry.lastUse = ++m_clock;
    m_entries.emplace(key, entry);
    lock.unlock();

    Values values;
    try {
        values = std::make_shared<const ParquetColumnValues>(read());
    } catch (...) {
        promise.set_exception(std::current_exception());
        lock.lock();
        m_entries.erase(key);
        throw;
    }
    promise.set_value(values);
    lock.lock();
    const auto held = m_entries.find(key);
    if (held != m_entries.end()) {
        held->second.bytes = bytesHeld(*values);
        held->second.ready = true;
        m_bytes += held->second.bytes;
        evictBeyondBudget(key);
    }
    return values;
}

void RowGroupCache::evictBeyondBudget(std::uint64_t keep)
{
    while (m_bytes > m_byteBudget) {
        auto oldest = m_entries.end();
        for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
            if (it->first != keep && it->second.ready
                && (oldest == m_entries.end() || it->second.lastUse < oldest->second.lastUse))
                oldest = it;
        }
        if (oldest == m_entries.end())
            return; // only the newest (or reads in progress) left
        m_bytes -= oldest->second.bytes;
        m_entries.erase(oldest);
    }
}

} // namespace wemoe
