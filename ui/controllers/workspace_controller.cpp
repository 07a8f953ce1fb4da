#include "controllers/workspace_controller.h"

#include "controllers/demo_zoo_estimate.h"

#include "common/error.h"
#include "data/open_dataset.h"
#include "pool/loaded_pool.h"
#include "pool/pool_heads.h"
#include "queue/job_queue.h"
#include "zoo/zoo_pool_builder.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QMutexLocker>

namespace wemoe::ui {

namespace {

const QString kPoolFileName = QStringLiteral("pool.json");

CheckpointInfo describeCheckpoint(const QString &name, const Checkpoint &checkpoint)
{
    CheckpointInfo info;
    info.name = name;
    info.path = checkpoint.path;
    info.architecture = checkpoint.config.describe();
    info.parameters = checkpoint.parameterCount();
    info.bytes = checkpoint.byteSize();
    info.tensors = static_cast<int>(checkpoint.vision.size() + checkpoint.passthrough.size());
    info.status = QStringLiteral("ok");
    return info;
}

WorkspaceInfo describePool(const LoadedPool &pool, int warnings, const JobContext &context)
{
    WorkspaceInfo info;
    info.poolPath = QFileInfo(pool.pool.path).absoluteFilePath();
    info.poolName = pool.pool.name.isEmpty() ? QFileInfo(pool.pool.path).completeBaseName() : pool.pool.name;
    info.pretrained = describeCheckpoint(QStringLiteral("pretrained"), pool.pretrained);
    info.warnings = warnings;
    for (int t = 0; t < pool.taskCount(); ++t) {
        context.throwIfCancelled();
        const PoolTask &task = pool.pool.tasks.at(t);
        const ClassificationHead &head = pool.heads.at(t);
        TaskInfo taskInfo;
        taskInfo.name = task.name;
        taskInfo.checkpoint = describeCheckpoint(task.name, pool.tasks.at(t));
        taskInfo.headPath =
            task.zeroShot
                ? QDir(zeroShotHeadCacheFolder(pool.pool)).filePath(task.name + QStringLiteral(".safetensors"))
                : task.head;
        taskInfo.headType = task.zeroShot    ? QStringLiteral("zero-shot")
                            : head.clipStyle ? QStringLiteral("clip")
                                             : QStringLiteral("linear");
        taskInfo.classes = head.numClasses();
        taskInfo.testData = task.testData.describe();
        taskInfo.testDataPath = task.testData.paths.value(0);
        taskInfo.testParquet = task.testData.isParquet();
        taskInfo.testFiles = task.testData.isParquet() ? task.testData.paths.size() : 0;
        taskInfo.testClasses = head.classNames;
        taskInfo.trainData = task.trainData.describe();
        // The evaluator opens the data again; checking here lets the tree
        // show broken test data before anything runs.
        try {
            taskInfo.testImages = openImageDataset(task.testData, head.classNames)->size();
            taskInfo.testStatus = QStringLiteral("ok");
        } catch (const Error &e) {
            taskInfo.testStatus = e.message();
            taskInfo.testOk = false;
        }
        info.tasks.append(taskInfo);
    }
    return info;
}

} // namespace

WorkspaceController::WorkspaceController(JobQueue *queue, QObject *parent)
    : QObject(parent)
    , m_queue(queue)
{
}

WorkspaceController::~WorkspaceController() = default;

QString WorkspaceController::resolvePoolFile(const QString &path)
{
    const QFileInfo info(path);
    if (info.isDir())
        return QDir(info.absoluteFilePath()).filePath(kPoolFileName);
    return info.absoluteFilePath();
}

std::shared_ptr<const LoadedPool> WorkspaceController::pool() const
{
    QMutexLocker lock(&m_poolMutex);
    return m_pool;
}

QStringList WorkspaceController::taskNames() const
{
    QStringList names;
    for (const TaskInfo &task : m_info.tasks)
        names << task.name;
    return names;
}

void WorkspaceController::setPool(std::shared_ptr<const LoadedPool> pool, const WorkspaceInfo &info)
{
    {
        QMutexLocker lock(&m_poolMutex);
        m_pool = std::move(pool);
    }
    m_info = info;
    Q_EMIT poolChanged();
}

Job *WorkspaceController::openPool(const QString &path)
{
    const QString file = resolvePoolFile(path);
    struct Result
    {
        std::shared_ptr<const LoadedPool> pool;
        WorkspaceInfo info;
    };
    auto result = std::make_shared<Result>();
    Job *job = m_queue->enqueue(tr("Load pool %1").arg(QDir::toNativeSeparators(file)),
                                [file, result](const JobContext &context) {
                                    int warnings = 0;
                                    JobContext counting = context;
                                    counting.onWarning = [&warnings, &context](const QString &warning) {
                                        ++warnings;
                                        context.warn(warning);
                                    };
                                    auto pool = std::make_shared<LoadedPool>(LoadedPool::load(file, counting));
                                    result->info = describePool(*pool, warnings, context);
                                    result->pool = std::move(pool);
                                });
    ++m_pendingLoads;
    connect(job, &Job::finished, this, [this, job, result, file] {
        --m_pendingLoads;
        if (job->state() == Job::State::Finished)
            setPool(result->pool, result->info);
        else if (job->state() == Job::State::Failed)
            Q_EMIT poolLoadFailed(file, job->errorMessage());
        else if (job->state() == Job::State::Cancelled)
            Q_EMIT poolLoadCancelled(file);
    });
    return job;
}

Job *WorkspaceController::inspectModel(const QString &folder)
{
    auto result = std::make_shared<CheckpointInfo>();
    Job *job = m_queue->enqueue(tr("Inspect model %1").arg(QDir::toNativeSeparators(folder)),
                                [this, folder, result](const JobContext &context) {
                                    context.progress(0, 1, folder);
                                    const Checkpoint checkpoint = Checkpoint::load(folder);
                                    *result = describeCheckpoint(QFileInfo(folder).fileName(), checkpoint);
                                    if (const auto loaded = pool()) {
                                        try {
                                            loaded->loadModel(folder);
                                            result->status = tr("same architecture as the pool's pretrained model");
                                        } catch (const Error &e) {
                                            result->status = e.message();
                                            result->ok = false;
                                        }
                                    }
                                    context.progress(1, 1, folder);
                                });
    connect(job, &Job::finished, this, [this, job, result] {
        if (job->state() != Job::State::Finished)
            return;
        m_inspected.append(*result);
        Q_EMIT modelInspected(*result);
    });
    return job;
}

Job *WorkspaceController::openDemoZoo(bool quick)
{
    struct Built
    {
        QString poolFile;
        bool reused = false;
    };
    auto built = std::make_shared<Built>();
    Job *job = m_queue->enqueue(quick ? tr("Prepare the quick demo zoo") : tr("Prepare the demo zoo"),
                                [built, quick](const JobContext &context) {
                                    ZooBuildOptions options;
                                    options.quick = quick;
                                    // Returns at once when the zoo is cached; builds it (atomically) otherwise.
                                    const ZooBuildResult result = buildZoo(options, context);
                                    built->poolFile = result.poolFile;
                                    built->reused = result.reused;
                                });
    ++m_pendingLoads;
    connect(job, &Job::finished, this, [this, job, built, quick] {
        if (job->state() == Job::State::Finished) {
            // The next estimate quotes this machine's own build time.
            if (!built->reused)
                recordDemoZooBuild(quick, job->elapsedSeconds());
            openPool(built->poolFile); // counted before this one is uncounted: isLoading() stays true
        } else if (job->state() == Job::State::Failed) {
            Q_EMIT poolLoadFailed(QString(), job->errorMessage());
        } else if (job->state() == Job::State::Cancelled) {
            Q_EMIT poolLoadCancelled(QString());
        }
        --m_pendingLoads;
    });
    return job;
}

} // namespace wemoe::ui
