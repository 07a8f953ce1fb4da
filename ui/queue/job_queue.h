#pragma once

#include "queue/job.h"

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QThreadPool>

namespace wemoe::ui {

// Runs jobs one at a time, in the order they were added, on one worker
// thread. Everything here is called on the GUI thread, which never waits: a
// finished job comes back as a queued call, then the next one starts.
class JobQueue : public QObject
{
    Q_OBJECT

public:
    explicit JobQueue(QObject *parent = nullptr);
    // Cancels what is left and, as a last resort at shutdown, waits for the
    // worker (the window closes only once the queue is idle, so normally
    // there is nothing to wait for).
    ~JobQueue() override;

    // The queue owns the job; it starts when the jobs before it are done.
    Job *enqueue(const QString &title, Job::Work work);

    Job *current() const { return m_current; }
    QList<Job *> pending() const { return m_pending; }
    // Every job still held, oldest first (the running and queued ones included).
    QList<Job *> jobs() const { return m_all; }
    bool isBusy() const { return m_current != nullptr || !m_pending.isEmpty(); }

public Q_SLOTS:
    void cancel(wemoe::ui::Job *job);
    void cancelCurrent();
    // The running job and every queued one.
    void cancelAll();
    // Forgets finished jobs (the jobs panel's "Clear").
    void clearFinished();

Q_SIGNALS:
    void jobAdded(wemoe::ui::Job *job);
    void jobStarted(wemoe::ui::Job *job);
    void jobFinished(wemoe::ui::Job *job);
    void jobRemoved(wemoe::ui::Job *job);
    void busyChanged(bool busy);
    // The last job finished and nothing is queued.
    void idle();

private:
    void startNext();
    void onJobDone(Job *job, const Job::Outcome &outcome);
    void trimHistory();
    // Emits busyChanged (and idle) when isBusy() differs from what was last announced.
    void updateBusy();

    QThreadPool m_worker;
    Job *m_current = nullptr;
    QList<Job *> m_pending;
    QList<Job *> m_all;
    int m_nextId = 1;
    bool m_announcedBusy = false;
};

} // namespace wemoe::ui
