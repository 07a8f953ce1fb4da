#include "io/checkpoint.h"

#include "common/error.h"
#include "io/atomic_file.h"
#include "io/safetensors.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QRandomGenerator>

#include <torch/torch.h>

namespace wemoe {

namespace {

QString shapeText(c10::IntArrayRef shape)
{
    QStringList parts;
    for (const int64_t d : shape)
        parts << QString::number(d);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

// A fresh, unused name beside the target: ".<name>.<tag>-<random>".
QString siblingPath(const QDir &parent, const QString &name, const QString &tag)
{
    for (;;) {
        const QString candidate = parent.filePath(QStringLiteral(".%1.%2-%3")
                                                      .arg(name, tag)
                                                      .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0')));
        if (!QFileInfo::exists(candidate))
            return candidate;
    }
}

// Removes the temporary folder on every way out except a completed export.
class TemporaryFolder
{
public:
    explicit TemporaryFolder(const QString &path)
        : m_path(path)
    {
    }
    ~TemporaryFolder()
    {
        if (!m_path.isEmpty())
            QDir(m_path).removeRecursively();
    }
    TemporaryFolder(const TemporaryFolder &) = delete;
    TemporaryFolder &operator=(const TemporaryFolder &) = delete;

    const QString &path() const { return m_path; }
    void release() { m_path.clear(); }

private:
    QString m_path;
};

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

// Puts the finished folder at `target`. An existing one is first moved aside,
// so a failure part-way leaves the old folder where it was.
void moveIntoPlace(const QString &temporary, const QString &target, const QDir &parent, const JobContext &context)
{
    if (!QFileInfo::exists(target)) {
        if (!QDir().rename(temporary, target))
            throw Error(target, QStringLiteral("cannot move the exported folder into place from %1").arg(temporary));
        return;
    }
    const QString old = siblingPath(parent, QFileInfo(target).fileName(), QStringLiteral("old"));
    if (!QDir().rename(target, old))
        throw Error(target, QStringLiteral("cannot move the existing folder aside to replace it"));
    if (!QDir().rename(temporary, target)) {
        QDir().rename(old, target);
        throw Error(target, QStringLiteral("cannot move the exported folder into place from %1").arg(temporary));
    }
    if (!QDir(old).removeRecursively())
        context.warn(QStringLiteral("%1: exported, but the previous version could not be removed from %2").arg(target, old));
}

} // namespace

void exportCheckpoint(const QString &folder, const Checkpoint &like, const TensorMap &vision,
                      const ExportOptions &options, const JobContext &context)
{
    context.throwIfCancelled();
    const QFileInfo targetInfo(folder);
    const QString target = targetInfo.absoluteFilePath();
    const QString name = targetInfo.fileName();
    if (name.isEmpty() || name == QLatin1String(".") || name == QLatin1String(".."))
        throw Error(folder, QStringLiteral("is not a folder name to export into"));
    const QString parentPath = targetInfo.absolutePath();
    const QFileInfo parentInfo(parentPath);
    if (!parentInfo.exists())
        throw Error(parentPath, QStringLiteral("the folder to export into does not exist"));
    if (!parentInfo.isDir())
        throw Error(parentPath, QStringLiteral("is not a folder, so nothing can be exported into it"));
    if (targetInfo.exists() || targetInfo.isSymLink()) {
        if (!options.overwrite)
            throw Error(target, QStringLiteral("already exists (allow overwriting or choose another folder)"));
        if (!targetInfo.isDir())
            throw Error(target, QStringLiteral("already exists and is not a folder; it is not replaced"));
    }

    const TensorMap tensors = fileTensors(target, like, vision, options.dtype);
    Metadata metadata = options.metadata;
    metadata["format"] = "pt"; // what Hugging Face's loaders look for

    const QDir parent(parentPath);
    TemporaryFolder temporary(siblingPath(parent, name, QStringLiteral("partial")));
    if (!QDir().mkdir(temporary.path())) {
        temporary.release(); // not ours to remove
        throw Error(parentPath, QStringLiteral("cannot create a folder here (is it writable?)"));
    }

    writeConfigJson(QDir(temporary.path()).filePath(QStringLiteral("config.json")),
                    like.configJson.isEmpty() ? like.config.toJson() : like.configJson);
    writeSafetensorsCheckpoint(temporary.path(), QStringLiteral("model"), tensors, metadata, options.maxShardBytes,
                               context);
    context.throwIfCancelled();
    moveIntoPlace(temporary.path(), target, parent, context);
    temporary.release();
}

} // namespace wemoe
