// libFuzzer target: model.safetensors.index.json beside two small shards, as
// readSafetensorsCheckpoint reads a sharded folder. Shard names from the
// index must never reach outside the folder.

#include "common/error.h"
#include "io/safetensors.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>

#include <torch/torch.h>

#include <cstddef>
#include <cstdint>

namespace {

// The folder, made once: shard one holds a and b, shard two holds c.
const QTemporaryDir &folder()
{
    static const QTemporaryDir dir = [] {
        QTemporaryDir made;
        wemoe::writeSafetensors(QDir(made.path()).filePath(QStringLiteral("model-00001-of-00002.safetensors")),
                                {{"a", torch::ones({1})}, {"b", torch::ones({2})}});
        wemoe::writeSafetensors(QDir(made.path()).filePath(QStringLiteral("model-00002-of-00002.safetensors")),
                                {{"c", torch::ones({3})}});
        return made;
    }();
    return dir;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString index = QDir(folder().path()).filePath(QStringLiteral("model.safetensors.index.json"));
    QFile file(index);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return 0;
    file.write(reinterpret_cast<const char *>(data), static_cast<qint64>(size));
    file.close();
    try {
        wemoe::readSafetensorsCheckpoint(index);
    } catch (const wemoe::Error &) {
    }
    return 0;
}
