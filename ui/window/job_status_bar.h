#pragma once

#include <QtWidgets/QStatusBar>

class QLabel;
class QProgressBar;
class QToolButton;

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
    // A failed job's notice: a button naming it, its reason as the tooltip;
    // clicked, it asks for log entry `logEntry` (failureOpened) and goes.
    void showFailure(const QString &title, const QString &reason, int logEntry);
    QToolButton *failureNotice() const { return m_failure; }

Q_SIGNALS:
    void failureOpened(int logEntry);

protected:
    void changeEvent(QEvent *event) override;

private:
    // The tooltips, and every label said again (job, compute, memory, the
    // failure notice); again when the language switches.
    void retranslateUi();
    void updateJob();
    void updateMemory();

    JobQueue *m_queue;
    QLabel *m_job;
    QProgressBar *m_progress;
    QLabel *m_device;
    QString m_deviceName;
    int m_threads = 0;
    QLabel *m_memory;
    QToolButton *m_failure;
    int m_failureEntry = -1;
    QString m_failureTitle;
};

} // namespace wemoe::ui
