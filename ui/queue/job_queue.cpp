#include "queue/job_queue.h"

namespace wemoe::ui {

namespace {

// Finished jobs kept for the jobs panel; older ones are forgotten.
constexpr int kHistory = 100;

} // namespace

JobQueue::JobQueue(QObject *parent)
    : QObject(parent)
{
    m_worker.setMaxThreadCount(1);
    m_worker.setObjectName(QStringLiteral("wemoe job worker"));
}

JobQueue::~JobQueue()
{
    cancelAll();
    m_worker.waitForDone();
}

Job *JobQueue::enqueue(const QString &title, Job::Work work)
{
    auto *job = new Job(m_nextId++, title, std::move(work), this);
    m_pending.append(job);
    m_all.append(job);
    Q_EMIT jobAdded(job);
    updateBusy();
    // Started from the event loop, so a caller that enqueues several jobs
    // can connect to each before anything runs.
    QMetaObject::invokeMethod(this, &JobQueue::startNext, Qt::QueuedConnection);
    return job;
}

void JobQueue::startNext()
{
    while (!m_current && !m_pending.isEmpty()) {
        Job *job = m_pending.takeFirst();
        if (job->isCancelRequested()) {
            job->markDone({Job::State::Cancelled, {}});
            Q_EMIT jobFinished(job);
            continue;
        }
        m_current = job;
        job->markStarted();
        Q_EMIT jobStarted(job);
        m_worker.start([this, job] {
            const Job::Outcome outcome = job->execute();
            QMetaObject::invokeMethod(
                this, [this, job, outcome] { onJobDone(job, outcome); }, Qt::QueuedConnection);
        });
    }
    if (!isBusy())
        trimHistory();
    updateBusy();
}

void JobQueue::updateBusy()
{
    const bool busy = isBusy();
    if (busy == m_announcedBusy)
        return;
    m_announcedBusy = busy;
    Q_EMIT busyChanged(busy);
    if (!busy)
        Q_EMIT idle();
}

void JobQueue::onJobDone(Job *job, const Job::Outcome &outcome)
{
    m_current = nullptr;
    // The job's own `finished` handlers (the controllers) run before the next job starts.
    job->markDone(outcome);
    Q_EMIT jobFinished(job);
    startNext();
}

void JobQueue::cancel(Job *job)
{
    if (!job || job->isDone())
        return;
    job->requestCancel();
    if (job != m_current && m_pending.removeOne(job)) {
        job->markDone({Job::State::Cancelled, {}});
        Q_EMIT jobFinished(job);
        updateBusy();
    }
}

void JobQueue::cancelCurrent()
{
    if (m_current)
        m_current->requestCancel();
}

void JobQueue::cancelAll()
{
    const QList<Job *> queued = m_pending;
    for (Job *job : queued)
        cancel(job);
    cancelCurrent();
}

void JobQueue::clearFinished()
{
    for (auto it = m_all.begin(); it != m_all.end();) {
        Job *job = *it;
        if (job->isDone()) {
            it = m_all.erase(it);
            Q_EMIT jobRemoved(job);
            job->deleteLater();
        } else {
            ++it;
        }
    }
}

void JobQueue::trimHistory()
{
    int excess = m_all.size() - kHistory;
    for (auto it = m_all.begin(); it != m_all.end() && excess > 0;) {
        Job *job = *it;
        if (job->isDone()) {
            it = m_all.erase(it);
            Q_EMIT jobRemoved(job);
            job->deleteLater();
            --excess;
        } else {
            ++it;
        }
    }
}

} // namespace wemoe::ui
