#include "io/checkpoint.h"

#include "common/error.h"
#include "io/atomic_file.h"
#include "io/path_component.h"
#include "io/safetensors.h"
#include "io/staged_folder.h"

#include <QtCore/QDir>
#include <QtCore/QJsonDocument>

#include <torch/torch.h>

namespace wemoe {

QStringList exportDtypeNames()
{
    return {QStringLiteral("keep"), QStringLiteral("f32"), QStringLiteral("f16"), QStringLiteral("bf16")};
}

c10::ScalarType parseExportDtype(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("keep"))
        return c10::ScalarType::Undefined;
    if (n == QLatin1String("f32") || n == QLatin1String("float32"))
        return c10::ScalarType::Float;
    if (n == QLatin1String("f16") || n == QLatin1String("float16"))
        return c10::ScalarType::Half;
    if (n == QLatin1String("bf16") || n == QLatin1String("bfloat16"))
        return c10::ScalarType::BFloat16;
    throw Error(QStringLiteral("dtype '%1': expected %2").arg(name, exportDtypeNames().join(QStringLiteral(", "))));
}

namespace {

QString shapeText(c10::IntArrayRef shape)
{
    QStringList parts;
    for (const int64_t d : shape)
        parts << QString::number(d);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

// The tensors exactly as they go into the file: like's key names, the chosen dtype.
TensorMap fileTensors(const QString &target, const Checkpoint &like, const TensorMap &vision, c10::ScalarType dtype)
{
    const auto expected = expectedVisionShapes(like.config);
    for (const auto &entry : vision) {
        if (expected.count(entry.first) == 0)
            throw Error(target, QStringLiteral("cannot export tensor '%1': not part of the model described by %2")
                                    .arg(QString::fromStdString(entry.first), like.path));
    }
    TensorMap tensors = like.passthrough;
    for (const auto &[name, shape] : expected) {
        const QString tensorName = QString::fromStdString(name);
        const auto found = vision.find(name);
        if (found == vision.end() || !found->second.defined())
            throw Error(target, QStringLiteral("cannot export: vision tensor '%1' is missing").arg(tensorName));
        if (found->second.sizes() != c10::IntArrayRef(shape))
            throw Error(target, QStringLiteral("cannot export tensor '%1': shape %2, but the model needs %3")
                                    .arg(tensorName, shapeText(found->second.sizes()), shapeText(shape)));
        c10::ScalarType storage = dtype;
        if (storage == c10::ScalarType::Undefined) {
            const auto original = like.vision.find(name);
            storage = original != like.vision.end() ? original->second.scalar_type() : found->second.scalar_type();
        }
        tensors[like.fileKey(name)] = found->second.to(torch::kCPU, storage);
    }
    return tensors;
}

void writeConfigJson(const QString &path, const QJsonObject &config)
{
    const QByteArray text = QJsonDocument(config).toJson(QJsonDocument::Indented);
    writeFileAtomically(path, text);
}

} // namespace

void writeCheckpointFiles(const QString &folder, const Checkpoint &like, const TensorMap &vision,
                          const ExportOptions &options, const JobContext &context)
{
    context.throwIfCancelled();
    const TensorMap tensors = fileTensors(folder, like, vision, options.dtype);
    Metadata metadata = options.metadata;
    metadata["format"] = "pt"; // what Hugging Face's loaders look for
    writeConfigJson(QDir(folder).filePath(QStringLiteral("config.json")),
                    like.configJson.isEmpty() ? like.config.toJson() : like.configJson);
    writeSafetensorsCheckpoint(folder, QStringLiteral("model"), tensors, metadata, options.maxShardBytes, context);
    for (const auto &[name, bytes] : options.extraFiles) {
        requirePathComponent(name, folder, QStringLiteral("an exported file's name"));
        writeFileAtomically(QDir(folder).filePath(name), bytes);
    }
}

void exportCheckpoint(const QString &folder, const Checkpoint &like, const TensorMap &vision,
                      const ExportOptions &options, const JobContext &context)
{
    context.throwIfCancelled();
    StagedFolder output(folder, options.overwrite, context);
    try {
        writeCheckpointFiles(output.path(), like, vision, options, context);
    } catch (...) {
        output.rethrowNamingTarget();
    }
    output.commit(context);
}

} // namespace wemoe
