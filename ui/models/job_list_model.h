#pragma once

#include <QtCore/QAbstractTableModel>
#include <QtCore/QList>

namespace wemoe::ui {

class Job;
class JobQueue;

// The queue's jobs as a table, oldest first: title, state, progress (the
// fraction done in ProgressRole, drawn by JobProgressDelegate; for a failed
// job, its reason as text instead) and time.
// Rows follow the queue: added, updated as jobs report, removed when cleared.
class JobListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { TitleColumn, StateColumn, ProgressColumn, TimeColumn, ColumnCount };
    // ProgressColumn: the fraction done in [0, 1], or -1 while unknown.
    static constexpr int ProgressRole = Qt::UserRole + 1;
    // ProgressColumn: true while the job runs and has not reported yet (a busy bar).
    static constexpr int BusyRole = Qt::UserRole + 2;

    explicit JobListModel(JobQueue *queue, QObject *parent = nullptr);

    Job *job(int row) const { return m_jobs.value(row); }
    int rowOf(const Job *job) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // The header, states and times are translated as they are asked for:
    // after a language switch, this tells the views to ask again.
    void retranslate();

private:
    void add(Job *job);
    void remove(Job *job);
    void changed(Job *job);
    QString timeText(const Job *job) const;

    QList<Job *> m_jobs;
};

} // namespace wemoe::ui
