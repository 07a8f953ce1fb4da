#include "pool/pool_heads.h"

#include "common/error.h"
#include "io/safetensors.h"
#include "text/zero_shot_head.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>

#include <optional>

namespace wemoe {

namespace {

const std::string kKeyName = "zero_shot_key";

QString cachedHeadFile(const ModelPool &pool, const PoolTask &task)
{
    return QDir(zeroShotHeadCacheFolder(pool)).filePath(task.name + QStringLiteral(".safetensors"));
}

// The cached head when it was built from the same inputs; otherwise nothing
// (a damaged cache file is rebuilt, with a warning).
std::optional<ClassificationHead> cachedHead(const QString &file, const QByteArray &key, const JobContext &context)
{
    if (!QFileInfo(file).isFile())
        return std::nullopt;
    try {
        const Metadata metadata = readSafetensors(file).metadata;
        const auto stored = metadata.find(kKeyName);
        if (stored == metadata.end() || QByteArray::fromStdString(stored->second) != key)
            return std::nullopt;
        return ClassificationHead::load(file);
    } catch (const Error &error) {
        context.warn(QStringLiteral("rebuilding a damaged cached head: %1").arg(error.message()));
        return std::nullopt;
    }
}

void cacheHead(const ClassificationHead &head, const QString &file, const QByteArray &key, const JobContext &context)
{
    try {
        if (!QDir().mkpath(QFileInfo(file).absolutePath()))
            throw Error(QFileInfo(file).absolutePath(), QStringLiteral("cannot create the folder"));
        head.save(file, Metadata{{kKeyName, key.toStdString()}});
    } catch (const Error &error) {
        context.warn(
            QStringLiteral("the zero-shot head is not cached (it is rebuilt next time): %1").arg(error.message()));
    }
}

} // namespace

QString zeroShotHeadCacheFolder(const ModelPool &pool)
{
    const QFileInfo file(pool.path);
    return file.absoluteDir().filePath(file.fileName() + QStringLiteral(".heads"));
}

std::vector<ClassificationHead> loadPoolHeads(const ModelPool &pool, const Checkpoint &pretrained, bool withProjection,
                                              const c10::Device &device, const JobContext &context)
{
    std::optional<Checkpoint> clip;
    std::optional<ZeroShotHeadBuilder> builder;
    if (pool.hasZeroShotHeads()) {
        // The text tower: the pretrained model's own, or the pool's "clip" model.
        const bool ownTextTower = pool.clip.isEmpty() || QFileInfo(pool.clip) == QFileInfo(pool.pretrained);
        if (!ownTextTower)
            clip = Checkpoint::load(pool.clip);
        builder.emplace(ownTextTower ? pretrained : *clip, device);
        const int expected = withProjection ? builder->visionWidth() : builder->projectionDim();
        const int actual = withProjection ? pretrained.config.hiddenSize : pretrained.config.projectionDim;
        if (expected != actual)
            throw Error(pool.clipModel(),
                        QStringLiteral("CLIP's visual_projection takes %1 features, but the pool's vision towers "
                                       "output %2 (%3)")
                            .arg(expected)
                            .arg(actual)
                            .arg(pretrained.path));
    }

    std::vector<ClassificationHead> heads;
    for (const PoolTask &task : pool.tasks) {
        context.throwIfCancelled();
        if (!task.zeroShot) {
            heads.push_back(ClassificationHead::load(task.head));
            continue;
        }
        const QByteArray key = builder->headKey(*task.zeroShot, withProjection);
        const QString file = cachedHeadFile(pool, task);
        std::optional<ClassificationHead> head = cachedHead(file, key, context);
        if (!head) {
            head = builder->build(*task.zeroShot, withProjection, task.name, context);
            cacheHead(*head, file, key, context);
        }
        heads.push_back(std::move(*head));
    }
    return heads;
}

} // namespace wemoe
