#include "io/model_weights.h"

#include "common/error.h"
#include "io/pytorch_checkpoint.h"
#include "io/safetensors.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>

namespace wemoe {

namespace {

const QLatin1String kWeightsFileKinds(".safetensors, .bin, .pt, .pth, or an .index.json of shards");

WeightsContents fromSafetensors(SafetensorsContents contents, const QString &path)
{
    return WeightsContents{std::move(contents.tensors), std::move(contents.metadata), path};
}

bool isPytorchFileName(const QString &path)
{
    return path.endsWith(QLatin1String(".bin")) || path.endsWith(QLatin1String(".pt"))
           || path.endsWith(QLatin1String(".pth"));
}

// By the file's name, as Hugging Face names them. Any other index is taken for
// a safetensors one, as before .bin files were read.
WeightsContents readWeightsFile(const QString &path)
{
    if (path.endsWith(QLatin1String(".bin.index.json")))
        return readPytorchCheckpointSharded(path);
    if (path.endsWith(QLatin1String(".index.json")) || path.endsWith(QLatin1String(".safetensors")))
        return fromSafetensors(readSafetensorsCheckpoint(path), path);
    if (isPytorchFileName(path))
        return readPytorchCheckpoint(path);
    throw Error(path, QStringLiteral("is not a weights file (%1)").arg(kWeightsFileKinds));
}

} // namespace

QStringList modelWeightsFileNames()
{
    return {QStringLiteral("model.safetensors"), QStringLiteral("model.safetensors.index.json"),
            QStringLiteral("pytorch_model.bin"), QStringLiteral("pytorch_model.bin.index.json")};
}

bool isModelWeightsFileName(const QString &path)
{
    return path.endsWith(QLatin1String(".safetensors")) || path.endsWith(QLatin1String(".index.json"))
           || isPytorchFileName(path);
}

QString modelWeightsFileKinds()
{
    return kWeightsFileKinds;
}

QString findModelWeightsFile(const QString &folder)
{
    const QDir dir(folder);
    for (const QString &name : modelWeightsFileNames()) {
        // A symlink to nothing counts as present, so reading it names the dangling link.
        const QFileInfo info(dir.filePath(name));
        if (info.exists() || info.isSymLink())
            return dir.filePath(name);
    }
    return {};
}

WeightsContents readModelWeights(const QString &pathOrFolder)
{
    const QFileInfo info(pathOrFolder);
    if (!info.exists() && !info.isSymLink())
        throw Error(pathOrFolder, QStringLiteral("does not exist"));
    if (!info.isDir())
        return readWeightsFile(pathOrFolder);
    const QString file = findModelWeightsFile(pathOrFolder);
    if (file.isEmpty()) {
        QStringList names = modelWeightsFileNames();
        const QString last = names.takeLast();
        throw Error(pathOrFolder,
                    QStringLiteral("holds neither %1 nor %2").arg(names.join(QStringLiteral(", ")), last));
    }
    return readWeightsFile(file);
}

} // namespace wemoe
