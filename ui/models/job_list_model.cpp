#include "models/job_list_model.h"

#include "queue/duration_text.h"
#include "queue/job_queue.h"

#include <QtGui/QColor>

namespace wemoe::ui {

JobListModel::JobListModel(JobQueue *queue, QObject *parent)
    : QAbstractTableModel(parent)
{
    connect(queue, &JobQueue::jobAdded, this, &JobListModel::add);
    connect(queue, &JobQueue::jobRemoved, this, &JobListModel::remove);
    for (Job *job : queue->jobs())
        add(job);
}

int JobListModel::rowOf(const Job *job) const
{
    return int(m_jobs.indexOf(const_cast<Job *>(job)));
}

void JobListModel::add(Job *job)
{
    const int row = int(m_jobs.size());
    beginInsertRows({}, row, row);
    m_jobs.append(job);
    endInsertRows();
    connect(job, &Job::progressChanged, this, [this, job] { changed(job); });
    connect(job, &Job::stateChanged, this, [this, job] { changed(job); });
}

void JobListModel::remove(Job *job)
{
    const int row = rowOf(job);
    if (row < 0)
        return;
    disconnect(job, nullptr, this, nullptr);
    beginRemoveRows({}, row, row);
    m_jobs.removeAt(row);
    endRemoveRows();
}

void JobListModel::changed(Job *job)
{
    const int row = rowOf(job);
    if (row >= 0)
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int JobListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_jobs.size());
}

int JobListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString JobListModel::timeText(const Job *job) const
{
    if (job->state() == Job::State::Running) {
        const double left = job->remainingSeconds();
        return left < 0 ? tr("%1 elapsed").arg(formatDuration(job->elapsedSeconds()))
                        : tr("%1 left").arg(formatDuration(left));
    }
    return job->isDone() ? formatDuration(job->elapsedSeconds()) : QString();
}

QVariant JobListModel::data(const QModelIndex &index, int role) const
{
    const Job *job = index.isValid() ? m_jobs.value(index.row()) : nullptr;
    if (!job)
        return {};
    const bool failed = job->state() == Job::State::Failed;
    switch (index.column()) {
    case TitleColumn:
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
            return job->title();
        break;
    case StateColumn:
        if (role == Qt::DisplayRole)
            return Job::stateName(job->state());
        if (role == Qt::ToolTipRole && failed)
            return job->errorMessage();
        if (role == Qt::ForegroundRole && failed)
            return QColor(0xb0, 0x00, 0x20);
        break;
    case ProgressColumn:
        // A failed job's bar would say 100 %: its reason is what to read there.
        if (failed && role == Qt::DisplayRole)
            return job->errorMessage().section(QLatin1Char('\n'), 0, 0);
        if (failed && role == Qt::ForegroundRole)
            return QColor(0xb0, 0x00, 0x20);
        if (role == ProgressRole)
            return job->fraction();
        if (role == BusyRole)
            return job->state() == Job::State::Running && job->fraction() < 0;
        if (role == Qt::ToolTipRole)
            return failed ? job->errorMessage() : job->what();
        break;
    case TimeColumn:
        if (role == Qt::DisplayRole)
            return timeText(job);
        break;
    }
    return {};
}

void JobListModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_jobs.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

QVariant JobListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TitleColumn: return tr("Job");
    case StateColumn: return tr("State");
    case ProgressColumn: return tr("Progress");
    case TimeColumn: return tr("Time");
    }
    return {};
}

} // namespace wemoe::ui
