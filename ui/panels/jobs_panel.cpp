#include "panels/jobs_panel.h"

#include "controllers/compute_environment.h"
#include "controllers/job_queue.h"

#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTreeWidget>
#include <QtWidgets/QVBoxLayout>

namespace wemoe::ui {

namespace {

enum Column { TitleColumn, StateColumn, ProgressColumn, TimeColumn, ColumnCount };

} // namespace

JobsPanel::JobsPanel(JobQueue *queue, QWidget *parent)
    : QWidget(parent)
    , m_queue(queue)
    , m_tree(new QTreeWidget(this))
    , m_cancelSelected(new QPushButton(tr("Cancel selected"), this))
    , m_cancelAll(new QPushButton(tr("Cancel all"), this))
    , m_clear(new QPushButton(tr("Clear finished"), this))
{
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels({tr("Job"), tr("State"), tr("Progress"), tr("Time")});
    m_tree->setRootIsDecorated(false);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->header()->setSectionResizeMode(TitleColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(StateColumn, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(TimeColumn, QHeaderView::ResizeToContents);
    m_tree->header()->resizeSection(ProgressColumn, 160);
    m_tree->header()->setStretchLastSection(false);
    m_cancelSelected->setToolTip(tr("Stop the selected jobs. A running job stops at its next unit of work; "
                                    "results finished before stay."));
    m_cancelAll->setToolTip(tr("Stop the running job and drop the queued ones (Esc)."));
    m_clear->setToolTip(tr("Remove finished, failed and cancelled jobs from the list."));

    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_cancelSelected);
    buttons->addWidget(m_cancelAll);
    buttons->addWidget(m_clear);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_tree, 1);
    layout->addLayout(buttons);

    connect(m_queue, &JobQueue::jobAdded, this, &JobsPanel::addJob);
    connect(m_queue, &JobQueue::jobRemoved, this, &JobsPanel::removeJob);
    connect(m_queue, &JobQueue::busyChanged, this, &JobsPanel::updateButtons);
    connect(m_tree, &QTreeWidget::itemSelectionChanged, this, &JobsPanel::updateButtons);
    connect(m_cancelSelected, &QPushButton::clicked, this, &JobsPanel::cancelSelected);
    connect(m_cancelAll, &QPushButton::clicked, m_queue, &JobQueue::cancelAll);
    connect(m_clear, &QPushButton::clicked, m_queue, &JobQueue::clearFinished);
    for (Job *job : m_queue->jobs())
        addJob(job);
    updateButtons();
}

void JobsPanel::addJob(Job *job)
{
    auto *item = new QTreeWidgetItem(m_tree);
    item->setText(TitleColumn, job->title());
    item->setToolTip(TitleColumn, job->title());
    auto *bar = new QProgressBar(m_tree);
    bar->setRange(0, 1000);
    bar->setValue(0);
    bar->setTextVisible(true);
    m_tree->setItemWidget(item, ProgressColumn, bar);
    m_items.insert(job, item);
    connect(job, &Job::progressChanged, this, [this, job] { updateJob(job); });
    connect(job, &Job::stateChanged, this, [this, job] {
        updateJob(job);
        updateButtons();
    });
    updateJob(job);
    m_tree->scrollToItem(item);
}

void JobsPanel::updateJob(Job *job)
{
    QTreeWidgetItem *item = m_items.value(job);
    if (!item)
        return;
    item->setText(StateColumn, Job::stateName(job->state()));
    if (job->state() == Job::State::Failed) {
        item->setToolTip(StateColumn, job->errorMessage());
        item->setForeground(StateColumn, QColor(0xb0, 0x00, 0x20));
    }
    auto *bar = qobject_cast<QProgressBar *>(m_tree->itemWidget(item, ProgressColumn));
    if (bar) {
        const double fraction = job->fraction();
        if (job->state() == Job::State::Running && fraction < 0) {
            bar->setRange(0, 0); // busy indicator until the first report
        } else {
            bar->setRange(0, 1000);
            bar->setValue(fraction < 0 ? 0 : static_cast<int>(fraction * 1000));
        }
        bar->setFormat(fraction < 0 ? QString() : QStringLiteral("%p%"));
        bar->setToolTip(job->what());
    }
    QString time;
    if (job->state() == Job::State::Running) {
        const double left = job->remainingSeconds();
        time = left < 0 ? tr("%1 elapsed").arg(formatDuration(job->elapsedSeconds()))
                        : tr("%1 left").arg(formatDuration(left));
    } else if (job->isDone()) {
        time = formatDuration(job->elapsedSeconds());
    }
    item->setText(TimeColumn, time);
}

void JobsPanel::removeJob(Job *job)
{
    delete m_items.take(job);
    updateButtons();
}

void JobsPanel::cancelSelected()
{
    for (QTreeWidgetItem *item : m_tree->selectedItems()) {
        if (Job *job = m_items.key(item))
            m_queue->cancel(job);
    }
}

void JobsPanel::updateButtons()
{
    bool selectedActive = false;
    for (QTreeWidgetItem *item : m_tree->selectedItems()) {
        if (Job *job = m_items.key(item); job && !job->isDone())
            selectedActive = true;
    }
    m_cancelSelected->setEnabled(selectedActive);
    m_cancelAll->setEnabled(m_queue->isBusy());
}

} // namespace wemoe::ui
