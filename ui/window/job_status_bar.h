#pragma once

#include <QtWidgets/QStatusBar>

class QLabel;
class QProgressBar;

namespace wemoe::ui {

class JobQueue;

// The window's status bar: the running job (title, step, time left, jobs
// waiting) with its progress, the compute settings and the memory the
// process holds. It follows the queue by itself.
class JobStatusBar : public QStatusBar
{
    Q_OBJECT

public:
    explicit JobStatusBar(JobQueue *queue, QWidget *parent = nullptr);

    // "Device: CPU · 2 threads"; threads <= 0 means all cores.
    void setCompute(const QString &device, int threads);
    QString jobText() const;

private:
    void updateJob();
    void updateMemory();

    JobQueue *m_queue;
    QLabel *m_job;
    QProgressBar *m_progress;
    QLabel *m_device;
    QLabel *m_memory;
};

} // namespace wemoe::ui
