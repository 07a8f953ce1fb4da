#include "pool/loaded_pool.h"

#include "common/device.h"
#include "common/error.h"
#include "data/open_dataset.h"
#include "pool/fusionbench_pool.h"
#include "pool/pool_heads.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>

namespace wemoe {

namespace {

const std::string kProjectionName = "visual_projection.weight";

bool isYamlFile(const QString &path)
{
    return path.endsWith(QLatin1String(".yaml"), Qt::CaseInsensitive)
           || path.endsWith(QLatin1String(".yml"), Qt::CaseInsensitive);
}

bool hasProjection(const Checkpoint &checkpoint)
{
    return checkpoint.vision.count(kProjectionName) > 0;
}

// The projection leaves the vision tensors (which are merged and compared)
// for the passthrough ones (which exports write back as they were).
void setAsideProjection(Checkpoint &checkpoint)
{
    const auto projection = checkpoint.vision.find(kProjectionName);
    if (projection == checkpoint.vision.end())
        return;
    checkpoint.passthrough[kProjectionName] = projection->second;
    checkpoint.vision.erase(projection);
    checkpoint.config.projectionDim = 0;
}

// Zero-shot heads of tasks whose Parquet test data name their classes take
// them from there (the pool file could not: it reads no data).
void takeZeroShotClassesFromData(ModelPool &pool)
{
    for (PoolTask &task : pool.tasks) {
        if (!task.zeroShot || !task.zeroShot->classNames.isEmpty())
            continue;
        const QString where = QStringLiteral("task '%1': zero_shot").arg(task.name);
        QStringList names;
        try {
            names = classNamesOf(task.testData);
        } catch (const Error &error) {
            throw Error(pool.path, QCoreApplication::translate("wemoe::Error", "%1: %2").arg(where, error.message()));
        }
        if (names.isEmpty())
            throw Error(pool.path, QCoreApplication::translate(
                                       "wemoe::Error", "%1: the test data (%2) name no classes: give \"classes\"")
                                       .arg(where, task.testData.describe()));
        takeClassNames(*task.zeroShot, names);
        const QString problem = zeroShotSpecProblem(*task.zeroShot);
        if (!problem.isEmpty())
            throw Error(pool.path, QCoreApplication::translate("wemoe::Error", "%1: %2").arg(where, problem));
    }
}

} // namespace

ModelPool openPoolFile(const QString &poolFile, const JobContext &context)
{
    ModelPool pool;
    if (!isYamlFile(poolFile)) {
        pool = ModelPool::load(poolFile);
    } else {
        const QString data = QFileInfo(poolFile).absoluteDir().filePath(QStringLiteral("data"));
        const FusionBenchImport imported = importFusionBenchPool(poolFile, QFileInfo(data).isDir() ? data : QString());
        for (const QString &warning : imported.warnings)
            context.warn(warning);
        pool = ModelPool::fromJson(imported.pool, poolFile);
    }
    takeZeroShotClassesFromData(pool);
    return pool;
}

LoadedPool LoadedPool::load(const QString &poolFile, const JobContext &context, std::optional<c10::Device> headDevice)
{
    LoadedPool loaded;
    loaded.pool = openPoolFile(poolFile, context);
    if (loaded.pool.tasks.isEmpty())
        throw Error(poolFile, QCoreApplication::translate("wemoe::Error", "pool has no tasks"));

    // Progress counts checkpoints: they are what takes time (head files are
    // tiny; building zero-shot heads reports its own progress in prompts).
    const qint64 total = 1 + loaded.pool.tasks.size();
    context.throwIfCancelled();
    context.progress(0, total, loaded.pool.pretrained);
    loaded.pretrained = Checkpoint::load(loaded.pool.pretrained);
    warnNonFinite(loaded.pretrained.vision, loaded.pretrained.path, context);
    context.progress(1, total, loaded.pool.pretrained);

    bool everyTaskHasProjection = true;
    for (const PoolTask &task : loaded.pool.tasks) {
        context.throwIfCancelled();
        Checkpoint checkpoint = Checkpoint::load(task.checkpoint);
        everyTaskHasProjection = everyTaskHasProjection && hasProjection(checkpoint);
        warnNonFinite(checkpoint.vision, checkpoint.path, context);
        loaded.tasks.push_back(std::move(checkpoint));
        context.progress(1 + static_cast<qint64>(loaded.tasks.size()), total, task.checkpoint);
    }
    loaded.projectionSetAside = hasProjection(loaded.pretrained) && !everyTaskHasProjection;
    if (loaded.projectionSetAside) {
        setAsideProjection(loaded.pretrained);
        for (Checkpoint &checkpoint : loaded.tasks)
            setAsideProjection(checkpoint);
    }
    for (const Checkpoint &checkpoint : loaded.tasks)
        requireSameArchitecture(loaded.pretrained, checkpoint);

    // The model's output: the projection when there is one, else the pooled width.
    const ClipVisionConfig &config = loaded.pretrained.config;
    const int features = config.projectionDim > 0 ? config.projectionDim : config.hiddenSize;
    loaded.heads = loadPoolHeads(loaded.pool, loaded.pretrained, config.projectionDim == 0,
                                 headDevice ? *headDevice : parseDevice(QStringLiteral("auto")), context);
    for (int t = 0; t < loaded.pool.tasks.size(); ++t) {
        const PoolTask &task = loaded.pool.tasks[t];
        const ClassificationHead &head = loaded.heads[static_cast<size_t>(t)];
        const QString headSource = task.zeroShot ? loaded.pool.clipModel() : task.head;
        if (head.featureDim() != features)
            throw Error(
                headSource,
                QCoreApplication::translate("wemoe::Error",
                                            "head of task '%1' takes %2 features, but the model outputs %3 (%4)")
                    .arg(task.name)
                    .arg(head.featureDim())
                    .arg(features)
                    .arg(config.projectionDim > 0 ? QStringLiteral("projection_dim") : QStringLiteral("hidden_size")));
        TensorMap headTensors{{"weight", head.weight}};
        if (head.bias.defined())
            headTensors.emplace("bias", head.bias);
        warnNonFinite(headTensors, headSource, context);
    }
    return loaded;
}

Checkpoint LoadedPool::loadModel(const QString &path) const
{
    Checkpoint checkpoint = Checkpoint::load(path);
    if (projectionSetAside)
        setAsideProjection(checkpoint);
    requireSameArchitecture(pretrained, checkpoint);
    return checkpoint;
}

std::shared_ptr<const LoadedPool> LoadedPool::withTestImageLimit(std::shared_ptr<const LoadedPool> pool, int maxPerTask)
{
    if (!pool || pool->maxTestImagesPerTask == maxPerTask)
        return pool;
    // Checkpoints hold tensor handles over the mapped files: the copy shares them.
    auto limited = std::make_shared<LoadedPool>(*pool);
    limited->maxTestImagesPerTask = maxPerTask;
    return limited;
}

QStringList LoadedPool::taskNames() const
{
    QStringList names;
    for (const PoolTask &task : pool.tasks)
        names << task.name;
    return names;
}

std::vector<const TensorMap *> LoadedPool::taskWeights() const
{
    std::vector<const TensorMap *> weights;
    weights.reserve(tasks.size());
    for (const Checkpoint &checkpoint : tasks)
        weights.push_back(&checkpoint.vision);
    return weights;
}

} // namespace wemoe
