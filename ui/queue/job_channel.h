#pragma once

#include "queue/job.h"

#include <QtCore/QObject>

#include <any>
#include <functional>
#include <memory>
#include <utility>

namespace wemoe::ui {

// A typed stream of partial results (sweep points, adaptation steps) from a
// job's work on the worker thread to a receiver on the GUI thread.
//
//   JobChannel<Point> points;
//   Job *job = queue->enqueue(title, [points](const JobContext &c) { ... points.send(point); ... });
//   points.connect(job, this, [this](const Point &p) { ... });
//
// The queue starts a job from the event loop, so connecting right after
// enqueue() comes before the work runs. Values arrive in the order they were
// sent, before the job's finished(); none arrive once the receiver or the job
// is gone (the connection dies with either). Channels of different types can
// share a job; two channels of one type on one job would see each other's values.
template<typename T>
class JobChannel
{
public:
    JobChannel()
        : m_job(std::make_shared<Job *>(nullptr))
    {
    }

    // GUI thread, before the job runs.
    void connect(Job *job, QObject *receiver, std::function<void(const T &)> onValue) const
    {
        *m_job = job;
        QObject::connect(job, &Job::partialResult, receiver, [onValue = std::move(onValue)](const std::any &value) {
            if (const T *typed = std::any_cast<T>(&value))
                onValue(*typed);
        });
    }

    // The job's worker thread, while the job runs.
    void send(T value) const
    {
        if (Job *job = *m_job)
            Q_EMIT job->partialResult(std::any(std::move(value)));
    }

private:
    std::shared_ptr<Job *> m_job; // shared by the copies the work captures
};

} // namespace wemoe::ui
