#pragma once

#include <QtCore/QHash>
#include <QtWidgets/QWidget>

class QTreeWidget;
class QTreeWidgetItem;
class QPushButton;

namespace wemoe::ui {

class Job;
class JobQueue;

// The queue as a list: every job with its state, a progress bar, the time
// spent and the time left; cancel the selected job or everything.
class JobsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit JobsPanel(JobQueue *queue, QWidget *parent = nullptr);

    QTreeWidget *tree() const { return m_tree; }

private:
    void addJob(Job *job);
    void updateJob(Job *job);
    void removeJob(Job *job);
    void cancelSelected();
    void updateButtons();

    JobQueue *m_queue;
    QTreeWidget *m_tree;
    QPushButton *m_cancelSelected;
    QPushButton *m_cancelAll;
    QPushButton *m_clear;
    QHash<Job *, QTreeWidgetItem *> m_items;
};

} // namespace wemoe::ui
