#include "io_bench.h"

#include "common/error.h"
#include "io/checkpoint.h"
#include "io/regular_file.h"
#include "io/safetensors.h"
#include "model/random_weights.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>

#include <torch/torch.h>

namespace wemoe::bench {

namespace {

qint64 byteCount(const TensorMap &tensors)
{
    qint64 bytes = 0;
    for (const auto &[name, tensor] : tensors)
        bytes += static_cast<qint64>(tensor.numel() * tensor.element_size());
    return bytes;
}

// The tensors' bytes in one go, as fast as the page cache takes them.
void writeBare(const QString &path, const TensorMap &tensors)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        throw Error(path, QStringLiteral("cannot write"));
    for (const auto &[name, tensor] : tensors)
        file.write(static_cast<const char *>(tensor.data_ptr()), tensor.numel() * tensor.element_size());
}

} // namespace

void runIoBench(const ClipVisionConfig &config, const TimingOptions &timing, const QString &folder, QTextStream &out)
{
    QTemporaryDir dir(QDir(folder).filePath(QStringLiteral("wemoe-bench-io-XXXXXX")));
    if (!dir.isValid())
        throw Error(folder, QStringLiteral("cannot create a folder to write into"));
    Checkpoint like;
    like.path = QStringLiteral("random");
    like.config = config;
    like.keyPrefix = QStringLiteral("vision_model.");
    like.vision = randomClipVisionWeights(config, 1);
    const qint64 bytes = byteCount(like.vision);
    const QString file = dir.filePath(QStringLiteral("model.safetensors"));
    ExportOptions replace;
    replace.overwrite = true;

    struct Row
    {
        const char *variant;
        Timing timing;
    };
    const Row rows[] = {
        {"bare bytes (QFile, no checks, no fsync)", timeCalls([&] { writeBare(file, like.vision); }, timing)},
        {"writeSafetensors (AtomicFile: checked, fsync, rename)",
         timeCalls([&] { writeSafetensors(file, like.vision); }, timing)},
        {"exportCheckpoint (staged folder, config.json + model.safetensors)",
         timeCalls([&] { exportCheckpoint(dir.filePath(QStringLiteral("export")), like, like.vision, replace); },
                   timing)},
    };

    out << "## Writing one vision model: " << config.describe() << ", " << byteSizeText(bytes) << " (F32)\n\n"
        << "Into " << folder << ". Median of " << timing.repeats << " after " << timing.warmup
        << " warm-up call(s); \"× bare\" = time over the bare write's.\n\n"
        << "| how | median s | min s | MB/s | × bare |\n| --- | ---: | ---: | ---: | ---: |\n";
    for (const Row &row : rows) {
        out << "| " << row.variant << " | " << QString::number(row.timing.median, 'f', 3) << " | "
            << QString::number(row.timing.min, 'f', 3) << " | "
            << QString::number(static_cast<double>(bytes) / 1e6 / row.timing.median, 'f', 0) << " | "
            << QString::number(row.timing.median / rows[0].timing.median, 'f', 2) << " |\n";
    }
}

} // namespace wemoe::bench
