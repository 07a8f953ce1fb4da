#include "pool/loaded_pool.h"

#include "common/error.h"

namespace wemoe {

LoadedPool LoadedPool::load(const QString &poolFile, const JobContext &context)
{
    LoadedPool loaded;
    loaded.pool = ModelPool::load(poolFile);
    if (loaded.pool.tasks.isEmpty())
        throw Error(poolFile, QStringLiteral("pool has no tasks"));

    // Progress counts checkpoints: they are what takes time (heads are tiny).
    const qint64 total = 1 + loaded.pool.tasks.size();
    context.throwIfCancelled();
    context.progress(0, total, loaded.pool.pretrained);
    loaded.pretrained = Checkpoint::load(loaded.pool.pretrained);
    warnNonFinite(loaded.pretrained.vision, loaded.pretrained.path, context);
    context.progress(1, total, loaded.pool.pretrained);

    for (const PoolTask &task : loaded.pool.tasks) {
        context.throwIfCancelled();
        Checkpoint checkpoint = Checkpoint::load(task.checkpoint);
        requireSameArchitecture(loaded.pretrained, checkpoint);
        warnNonFinite(checkpoint.vision, checkpoint.path, context);
        loaded.tasks.push_back(std::move(checkpoint));
        context.progress(1 + static_cast<qint64>(loaded.tasks.size()), total, task.checkpoint);
    }

    // The model's output: the projection when there is one, else the pooled width.
    const ClipVisionConfig &config = loaded.pretrained.config;
    const int features = config.projectionDim > 0 ? config.projectionDim : config.hiddenSize;
    for (const PoolTask &task : loaded.pool.tasks) {
        context.throwIfCancelled();
        ClassificationHead head = ClassificationHead::load(task.head);
        if (head.featureDim() != features)
            throw Error(task.head, QStringLiteral("head of task '%1' takes %2 features, but the model outputs %3 (%4)")
                                       .arg(task.name)
                                       .arg(head.featureDim())
                                       .arg(features)
                                       .arg(config.projectionDim > 0 ? QStringLiteral("projection_dim")
                                                                     : QStringLiteral("hidden_size")));
        TensorMap headTensors{{"weight", head.weight}};
        if (head.bias.defined())
            headTensors.emplace("bias", head.bias);
        warnNonFinite(headTensors, task.head, context);
        loaded.heads.push_back(std::move(head));
    }
    return loaded;
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
