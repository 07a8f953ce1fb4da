#include "window/job_status_bar.h"

#include "controllers/compute_environment.h"
#include "queue/duration_text.h"
#include "queue/job_queue.h"

#include <QtCore/QTimer>
#include <QtWidgets/QLabel>
#include <QtWidgets/QProgressBar>

namespace wemoe::ui {

namespace {

constexpr int kMemoryIntervalMs = 2000;

} // namespace

JobStatusBar::JobStatusBar(JobQueue *queue, QWidget *parent)
    : QStatusBar(parent)
    , m_queue(queue)
    , m_job(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_device(new QLabel(this))
    , m_memory(new QLabel(this))
{
    m_progress->setMaximumWidth(180);
    m_progress->setRange(0, 1000);
    m_progress->setVisible(false);
    m_device->setToolTip(tr("Where jobs run and with how many threads (Methods panel, Compute)."));
    m_memory->setToolTip(tr("Memory this process holds (resident set size)."));
    addWidget(m_job, 1);
    addPermanentWidget(m_progress);
    addPermanentWidget(m_device);
    addPermanentWidget(m_memory);

    connect(m_queue, &JobQueue::jobStarted, this, [this](Job *job) {
        connect(job, &Job::progressChanged, this, &JobStatusBar::updateJob);
        updateJob();
    });
    connect(m_queue, &JobQueue::jobFinished, this, [this](Job *job) {
        if (job->state() == Job::State::Failed)
            showMessage(tr("Failed: %1").arg(job->title()), 8000);
        updateJob();
    });
    connect(m_queue, &JobQueue::jobAdded, this, &JobStatusBar::updateJob);
    connect(m_queue, &JobQueue::busyChanged, this, &JobStatusBar::updateJob);
    auto *memoryTimer = new QTimer(this);
    connect(memoryTimer, &QTimer::timeout, this, &JobStatusBar::updateMemory);
    memoryTimer->start(kMemoryIntervalMs);
    updateMemory();
    updateJob();
}

void JobStatusBar::setCompute(const QString &device, int threads)
{
    const int used = threads > 0 ? threads : idealThreadCount();
    m_device->setText(tr("Device: %1 · %n thread(s)", nullptr, used).arg(device.toUpper()));
}

QString JobStatusBar::jobText() const
{
    return m_job->text();
}

void JobStatusBar::updateJob()
{
    Job *job = m_queue->current();
    const int waiting = int(m_queue->pending().size());
    if (!job) {
        m_progress->setVisible(false);
        m_job->setText(waiting > 0 ? tr("%n job(s) queued", nullptr, waiting) : tr("Ready"));
        return;
    }
    const double fraction = job->fraction();
    m_progress->setVisible(true);
    if (fraction < 0) {
        m_progress->setRange(0, 0);
    } else {
        m_progress->setRange(0, 1000);
        m_progress->setValue(static_cast<int>(fraction * 1000));
    }
    QString text = job->title();
    if (!job->what().isEmpty())
        text += QStringLiteral(" — ") + job->what();
    const double left = job->remainingSeconds();
    if (left >= 0)
        text += QStringLiteral(" — ") + tr("%1 left").arg(formatDuration(left));
    if (waiting > 0)
        text += QStringLiteral(" ") + tr("(+%n queued)", nullptr, waiting);
    m_job->setText(text);
}

void JobStatusBar::updateMemory()
{
    m_memory->setText(tr("Memory: %1").arg(formatBytes(residentMemoryBytes())));
}

} // namespace wemoe::ui
