#pragma once

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace wemoe {

struct ParquetColumnValues;

// The decoded image columns of recently used Parquet row groups. The threads
// that decode a batch ask for rows of the same few row groups at once: the
// first to need one reads it, the others wait for that read instead of
// repeating it. The least recently used are dropped beyond a byte budget.
class RowGroupCache
{
public:
    using Values = std::shared_ptr<const ParquetColumnValues>;

    explicit RowGroupCache(std::int64_t byteBudget);

    // The values under `key`, read with `read` when they are not held. A read
    // that throws rethrows in every caller that waited for it, and the next
    // call tries again.
    Values get(std::uint64_t key, const std::function<ParquetColumnValues()> &read);

private:
    struct Entry
    {
        std::shared_future<Values> values;
        std::int64_t bytes = 0;
        std::uint64_t lastUse = 0;
        bool ready = false;
    };
    void evictBeyondBudget(std::uint64_t keep);

    std::mutex m_mutex;
    std::unordered_map<std::uint64_t, Entry> m_entries;
    std::int64_t m_byteBudget;
    std::int64_t m_bytes = 0;
    std::uint64_t m_clock = 0;
};

} // namespace wemoe
