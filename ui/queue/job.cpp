#include "queue/job.h"

#include "common/error.h"
#include "common/freed_memory.h"
#include "jobs/failure.h"

#include <QtCore/QCoreApplication>

namespace wemoe::ui {

namespace {

// Progress callbacks can come thousands of times a second (one per tensor);
// the GUI needs a few updates a second.
constexpr qint64 kReportIntervalMs = 100;

} // namespace

Job::Job(int id, const QString &title, Work work, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_title(title)
    , m_work(std::move(work))
{
    connect(this, &Job::progressReported, this, &Job::applyProgress, Qt::QueuedConnection);
}

QString Job::stateName(State state)
{
    switch (state) {
    case State::Queued: return tr("queued");
    case State::Running: return tr("running");
    case State::Finished: return tr("finished");
    case State::Failed: return tr("failed");
    case State::Cancelled: return tr("cancelled");
    }
    return QString();
}

double Job::fraction() const
{
    if (m_state == State::Finished)
        return 1.0;
    return m_total > 0 ? double(m_done) / double(m_total) : -1.0;
}

double Job::elapsedSeconds() const
{
    if (m_finalSeconds >= 0.0)
        return m_finalSeconds;
    return m_clock.isValid() ? m_clock.elapsed() / 1000.0 : 0.0;
}

Job::Outcome Job::execute()
{
    JobContext context;
    context.cancelFlag = &m_cancel;
    context.onProgress = [this](qint64 done, qint64 total, const QString &what) {
        // The last report of a phase and the first of a new one always go through.
        const bool last = total > 0 && done >= total;
        const bool newPhase = what != m_lastWhat;
        if (m_lastReport.isValid() && !last && !newPhase && m_lastReport.elapsed() < kReportIntervalMs)
            return;
        m_lastReport.start();
        m_lastWhat = what;
        Q_EMIT progressReported(done, total, what);
    };
    context.onWarning = [this](const QString &warning) { Q_EMIT warningReported(warning); };
    const WorkOutcome outcome = runGuarded([&] {
        context.throwIfCancelled();
        m_work(context);
    });
    // The studio lives on after the job: what the job freed goes back to the OS.
    returnFreedMemory();
    // Work that completed is kept even when a cancel arrived after its last unit.
    switch (outcome.state) {
    case WorkOutcome::State::Finished: return {State::Finished, {}};
    case WorkOutcome::State::Cancelled: return {State::Cancelled, {}};
    case WorkOutcome::State::Failed: break;
    }
    return {State::Failed, outcome.message};
}

void Job::markStarted()
{
    m_state = State::Running;
    m_clock.start();
    m_estimator.reset();
    Q_EMIT stateChanged(m_state);
}

void Job::markDone(const Outcome &outcome)
{
    m_finalSeconds = m_clock.isValid() ? m_clock.elapsed() / 1000.0 : 0.0;
    m_state = outcome.state;
    m_error = outcome.error;
    Q_EMIT stateChanged(m_state);
    Q_EMIT finished();
}

void Job::applyProgress(qint64 done, qint64 total, const QString &what)
{
    if (isDone())
        return; // a late report after the outcome
    m_done = done;
    m_total = total;
    m_what = what;
    if (total > 0)
        m_estimator.update(elapsedSeconds(), double(done) / double(total));
    Q_EMIT progressChanged();
}

} // namespace wemoe::ui
