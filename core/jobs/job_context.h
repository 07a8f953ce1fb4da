#pragma once

#include <QtCore/QString>

#include <atomic>
#include <functional>

namespace wemoe {

// What a long-running engine call gets from its caller: where to report
// progress and warnings, and a flag to poll for cancellation. Every member is
// optional; a default-constructed context runs silently and cannot be cancelled.
// The engine never blocks on the caller: callbacks must return quickly (the UI
// forwards them to its thread with queued signals).
struct JobContext
{
    // done/total in units of the job's choosing (tensors, images, steps).
    std::function<void(qint64 done, qint64 total, const QString &what)> onProgress;
    std::function<void(const QString &warning)> onWarning;
    const std::atomic<bool> *cancelFlag = nullptr;

    void progress(qint64 done, qint64 total, const QString &what) const
    {
        if (onProgress)
            onProgress(done, total, what);
    }
    void warn(const QString &warning) const
    {
        if (onWarning)
            onWarning(warning);
    }
    bool isCancelled() const { return cancelFlag && cancelFlag->load(std::memory_order_relaxed); }
    // Throws wemoe::Cancelled when the flag is set; call between units of work.
    void throwIfCancelled() const;
};

} // namespace wemoe
