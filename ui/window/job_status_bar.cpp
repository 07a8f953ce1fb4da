#include "window/job_status_bar.h"

#include "controllers/compute_environment.h"
#include "queue/duration_text.h"
#include "queue/job_queue.h"

#include <QtCore/QEvent>
#include <QtCore/QTimer>
#include <QtWidgets/QLabel>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QToolButton>

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
    , m_failure(new QToolButton(this))
{
    m_failure->setIcon(QIcon(QStringLiteral(":/icons/warning.svg")));
    m_failure->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_failure->setAutoRaise(true);
    m_failure->setVisible(false);
    connect(m_failure, &QToolButton::clicked, this, [this] {
        m_failure->setVisible(false);
        Q_EMIT failureOpened(m_failureEntry);
    });
    m_progress->setMaximumWidth(180);
    m_progress->setRange(0, 1000);
    m_progress->setVisible(false);
    addWidget(m_job, 1);
    addPermanentWidget(m_failure);
    addPermanentWidget(m_progress);
    addPermanentWidget(m_device);
    addPermanentWidget(m_memory);

    connect(m_queue, &JobQueue::jobStarted, this, [this](Job *job) {
        connect(job, &Job::progressChanged, this, &JobStatusBar::updateJob);
        updateJob();
    });
    connect(m_queue, &JobQueue::jobFinished, this, [this](Job *job) { updateJob(); });
    connect(m_queue, &JobQueue::jobAdded, this, &JobStatusBar::updateJob);
    connect(m_queue, &JobQueue::busyChanged, this, &JobStatusBar::updateJob);
    auto *memoryTimer = new QTimer(this);
    connect(memoryTimer, &QTimer::timeout, this, &JobStatusBar::updateMemory);
    memoryTimer->start(kMemoryIntervalMs);
    retranslateUi();
}

void JobStatusBar::retranslateUi()
{
    m_device->setToolTip(tr("Where jobs run and with how many threads (Methods panel, Compute)."));
    m_memory->setToolTip(tr("Memory this process holds (resident set size)."));
    if (!m_deviceName.isEmpty())
        setCompute(m_deviceName, m_threads);
    if (!m_failureTitle.isEmpty())
        m_failure->setText(tr("Failed: %1 — show in the log").arg(m_failureTitle));
    updateMemory();
    updateJob();
}

void JobStatusBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QStatusBar::changeEvent(event);
}

void JobStatusBar::showFailure(const QString &title, const QString &reason, int logEntry)
{
    m_failureEntry = logEntry;
    m_failureTitle = title;
    m_failure->setText(tr("Failed: %1 — show in the log").arg(title));
    m_failure->setToolTip(reason);
    m_failure->setVisible(true);
}

void JobStatusBar::setCompute(const QString &device, int threads)
{
    m_deviceName = device;
    m_threads = threads;
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
