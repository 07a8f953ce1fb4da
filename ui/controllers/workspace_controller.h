#pragma once

#include "controllers/workspace_info.h"

#include <QtCore/QMutex>
#include <QtCore/QObject>
#include <QtCore/QStringList>

#include <memory>

namespace wemoe {
struct LoadedPool;
}

namespace wemoe::ui {

class Job;
class JobQueue;

// The open model pool: loads it as a job (wemoe::LoadedPool, memory-mapped),
// keeps the last good one when a load fails or is cancelled, and hands it to
// the jobs that evaluate and export.
class WorkspaceController : public QObject
{
    Q_OBJECT

public:
    explicit WorkspaceController(JobQueue *queue, QObject *parent = nullptr);
    ~WorkspaceController() override;

    // Queues loading a pool file (or a folder holding pool.json).
    Job *openPool(const QString &path);
    // Queues reading a model folder and comparing it with the pool's pretrained model.
    Job *inspectModel(const QString &folder);
    // Queues building the demo zoo (wemoe::buildZoo with default options, or
    // the quick recipe) unless it is already in the cache, then loading it.
    // A build's wall time is recorded for the next estimate (DemoZooEstimate).
    Job *openDemoZoo(bool quick = false);

    // The pool the next job will use; safe from any thread (jobs call it when they start).
    std::shared_ptr<const LoadedPool> pool() const;
    bool hasPool() const { return pool() != nullptr; }
    // A pool load (or demo generation) is queued or running: jobs queued now will see its pool.
    bool isLoading() const { return m_pendingLoads > 0; }
    const WorkspaceInfo &info() const { return m_info; }
    QStringList taskNames() const;
    QString poolPath() const { return m_info.poolPath; }
    const QVector<CheckpointInfo> &inspectedModels() const { return m_inspected; }

    // A pool file for a path: the file itself, or pool.json inside a folder.
    static QString resolvePoolFile(const QString &path);

Q_SIGNALS:
    void poolChanged();
    // A load (or the demo zoo's build) that did not end in a pool; the last
    // good pool stays. `path` is the pool file, empty for the demo zoo.
    void poolLoadFailed(const QString &path, const QString &error);
    void poolLoadCancelled(const QString &path);
    void modelInspected(const wemoe::ui::CheckpointInfo &info);

private:
    void setPool(std::shared_ptr<const LoadedPool> pool, const WorkspaceInfo &info);

    JobQueue *m_queue;
    mutable QMutex m_poolMutex;
    std::shared_ptr<const LoadedPool> m_pool;
    WorkspaceInfo m_info;
    QVector<CheckpointInfo> m_inspected;
    int m_pendingLoads = 0;
};

} // namespace wemoe::ui
