#pragma once

#include <QtWidgets/QWidget>

class QPushButton;
class QTreeView;

namespace wemoe::ui {

class JobListModel;
class JobQueue;

// The queue as a list (JobListModel drawn with JobProgressDelegate): every
// job with its state, a progress bar, the time spent and the time left;
// cancel the selected jobs or everything, clear the finished ones.
class JobsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit JobsPanel(JobQueue *queue, QWidget *parent = nullptr);

    QTreeView *view() const { return m_view; }
    JobListModel *model() const { return m_model; }

protected:
    void changeEvent(QEvent *event) override;

private:
    // Every text the panel sets; again when the language switches.
    void retranslateUi();
    void cancelSelected();
    void updateButtons();

    JobQueue *m_queue;
    JobListModel *m_model;
    QTreeView *m_view;
    QPushButton *m_cancelSelected;
    QPushButton *m_cancelAll;
    QPushButton *m_clear;
};

} // namespace wemoe::ui
