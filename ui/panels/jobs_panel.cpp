#include "panels/jobs_panel.h"

#include "models/job_list_model.h"
#include "panels/job_progress_delegate.h"
#include "queue/job_queue.h"

#include <QtCore/QEvent>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTreeView>
#include <QtWidgets/QVBoxLayout>

namespace wemoe::ui {

JobsPanel::JobsPanel(JobQueue *queue, QWidget *parent)
    : QWidget(parent)
    , m_queue(queue)
    , m_model(new JobListModel(queue, this))
    , m_view(new QTreeView(this))
    , m_cancelSelected(new QPushButton(this))
    , m_cancelAll(new QPushButton(this))
    , m_clear(new QPushButton(this))
{
    m_view->setModel(m_model);
    m_view->setItemDelegateForColumn(JobListModel::ProgressColumn, new JobProgressDelegate(m_view));
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    QHeaderView *header = m_view->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(JobListModel::TitleColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(JobListModel::StateColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(JobListModel::TimeColumn, QHeaderView::ResizeToContents);
    header->resizeSection(JobListModel::ProgressColumn, 160);
    retranslateUi();

    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_cancelSelected);
    buttons->addWidget(m_cancelAll);
    buttons->addWidget(m_clear);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);

    // A new job scrolls into view; any change of a job may change what can be cancelled.
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int, int last) {
        m_view->scrollTo(m_model->index(last, 0));
        updateButtons();
    });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &JobsPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &JobsPanel::updateButtons);
    connect(m_queue, &JobQueue::busyChanged, this, &JobsPanel::updateButtons);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &JobsPanel::updateButtons);
    connect(m_cancelSelected, &QPushButton::clicked, this, &JobsPanel::cancelSelected);
    connect(m_cancelAll, &QPushButton::clicked, m_queue, &JobQueue::cancelAll);
    connect(m_clear, &QPushButton::clicked, m_queue, &JobQueue::clearFinished);
    updateButtons();
}

void JobsPanel::retranslateUi()
{
    m_cancelSelected->setText(tr("Cancel selected"));
    m_cancelSelected->setToolTip(tr("Stop the selected jobs. A running job stops at its next unit of work; "
                                    "results finished before stay."));
    m_cancelAll->setText(tr("Cancel all"));
    m_cancelAll->setToolTip(tr("Stop the running job and drop the queued ones (Esc)."));
    m_clear->setText(tr("Clear finished"));
    m_clear->setToolTip(tr("Remove finished, failed and cancelled jobs from the list."));
}

void JobsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        m_model->retranslate(); // its header and the jobs' states
    }
    QWidget::changeEvent(event);
}

void JobsPanel::cancelSelected()
{
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows()) {
        if (Job *job = m_model->job(index.row()))
            m_queue->cancel(job);
    }
}

void JobsPanel::updateButtons()
{
    bool selectedActive = false;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows()) {
        if (const Job *job = m_model->job(index.row()); job && !job->isDone())
            selectedActive = true;
    }
    m_cancelSelected->setEnabled(selectedActive);
    m_cancelAll->setEnabled(m_queue->isBusy());
}

} // namespace wemoe::ui
