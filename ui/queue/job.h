#pragma once

#include "jobs/job_context.h"
#include "queue/progress_estimator.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QString>

#include <any>
#include <atomic>
#include <functional>

namespace wemoe::ui {

// One long operation (load a pool, evaluate a method, sweep, export): a
// function run on the JobQueue's worker thread with an engine JobContext whose
// progress and warnings come back to the GUI thread as queued signals, and
// whose cancel flag is this job's. The object itself lives on the GUI thread.
class Job : public QObject
{
    Q_OBJECT

public:
    enum class State { Queued, Running, Finished, Failed, Cancelled };
    Q_ENUM(State)
    using Work = std::function<void(const JobContext &context)>;

    Job(int id, const QString &title, Work work, QObject *parent = nullptr);

    int id() const { return m_id; }
    QString title() const { return m_title; }
    State state() const { return m_state; }
    bool isDone() const
    {
        return m_state == State::Finished || m_state == State::Failed || m_state == State::Cancelled;
    }
    QString errorMessage() const { return m_error; }
    static QString stateName(State state); // translated, for the jobs panel

    // Latest progress (GUI thread).
    qint64 done() const { return m_done; }
    qint64 total() const { return m_total; }
    QString what() const { return m_what; }
    double fraction() const; // -1 while unknown
    double elapsedSeconds() const;
    double remainingSeconds() const { return m_estimator.remainingSeconds(); } // < 0 while unknown

    // Any thread. The engine sees the flag at its next unit of work; a job
    // still queued never starts.
    void requestCancel() { m_cancel.store(true); }
    bool isCancelRequested() const { return m_cancel.load(); }

Q_SIGNALS:
    // Emitted on the WORKER thread by the engine's callbacks (throttled to a
    // few a second; the first report of a new `what` and the last one of a
    // phase always come).
    // Connect with the default (queued across threads) connection.
    void progressReported(qint64 done, qint64 total, const QString &what);
    void warningReported(const QString &warning);
    // A partial result of the work (JobChannel sends and receives it typed).
    void partialResult(const std::any &value);
    // GUI thread.
    void progressChanged();
    void stateChanged(wemoe::ui::Job::State state);
    void finished();

private:
    friend class JobQueue;
    struct Outcome
    {
        State state = State::Finished;
        QString error;
    };

    Outcome execute();                     // worker thread
    void markStarted();                    // GUI thread
    void markDone(const Outcome &outcome); // GUI thread
    void applyProgress(qint64 done, qint64 total, const QString &what);

    const int m_id;
    const QString m_title;
    Work m_work;
    std::atomic<bool> m_cancel{false};
    State m_state = State::Queued;
    QString m_error;
    qint64 m_done = 0;
    qint64 m_total = 0;
    QString m_what;
    QElapsedTimer m_clock;
    double m_finalSeconds = -1.0;
    ProgressEstimator m_estimator;
    QElapsedTimer m_lastReport; // worker thread only
    QString m_lastWhat;         // worker thread only
};

} // namespace wemoe::ui
