#include "cli_support.h"
#include "commands.h"

#include "common/error.h"
#include "data/parquet_summary.h"
#include "io/clip_config.h"
#include "io/data_source.h"
#include "io/hub_cache.h"
#include "io/model_weights.h"
#include "io/safetensors.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QLocale>
#include <QtCore/QTextStream>

#include <map>

namespace wemoe::cli {

namespace {

QString humanBytes(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QString configPathFor(const QString &path)
{
    const QFileInfo info(path);
    const QDir dir = info.isDir() ? QDir(path) : info.dir();
    const QString config = dir.filePath(QStringLiteral("config.json"));
    return QFileInfo::exists(config) ? config : QString();
}

} // namespace

int runInfo(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(
        QStringLiteral("path"),
        QStringLiteral("A model folder, a weights file (.safetensors, pytorch_model.bin, .pt, .pth), the .index.json "
                       "of shards, or a Hugging Face name (ORG/NAME[@REVISION]) found in the local Hugging Face "
                       "cache. Or test data in Parquet files: a .parquet file, a folder of them, or a Hugging Face "
                       "dataset's split (ORG/NAME:SPLIT)."));
    parser.addOption({QStringLiteral("tensors"), QStringLiteral("Also list every tensor with its dtype and shape.")});
    int exitCode = 0;
    if (!parseOrExplain(parser, arguments, QStringLiteral("info"),
                        QStringLiteral("Print a checkpoint's config, tensor count, dtypes, parameter count and size, "
                                       "or Parquet files' schema, row groups, codecs and class names."),
                        exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1)
        throw Error(QStringLiteral("info: expected one path (see wemoe info --help)"));
    const QString written = parser.positionalArguments().first();
    if (namesParquetData(written, QDir::currentPath())) { // test data rather than a model
        out() << describeParquetFiles(resolveDataSource(written, QDir::currentPath()));
        out().flush();
        return 0;
    }
    const QString path = resolveModelLocation(written, QDir::currentPath());

    const auto contents = readModelWeights(path);
    std::map<QString, int> dtypeCounts;
    qint64 parameters = 0;
    qint64 bytes = 0;
    for (const auto &[name, tensor] : contents.tensors) {
        ++dtypeCounts[safetensorsDtypeName(tensor.scalar_type())];
        parameters += tensor.numel();
        bytes += tensor.numel() * static_cast<qint64>(tensor.element_size());
    }

    auto &o = out();
    o << "checkpoint: " << QFileInfo(path).absoluteFilePath() << "\n";
    if (QFileInfo(path).isDir())
        o << "weights: " << QFileInfo(contents.path).fileName() << "\n";
    const QString configPath = configPathFor(path);
    if (!configPath.isEmpty()) {
        const auto config = ClipVisionConfig::load(configPath);
        o << "config: " << config.describe()
          << (config.projectionDim > 0 ? QStringLiteral(", projection %1").arg(config.projectionDim) : QString())
          << "\n";
    } else {
        o << "config: none (no config.json beside it)\n";
    }
    o << "tensors: " << contents.tensors.size() << "\n";
    QStringList dtypes;
    for (const auto &[dtype, count] : dtypeCounts)
        dtypes << QStringLiteral("%1 x %2").arg(dtype).arg(count);
    o << "dtypes: " << dtypes.join(QStringLiteral(", ")) << "\n";
    o << "parameters: " << QLocale::c().toString(parameters) << "\n";
    o << "size: " << humanBytes(bytes) << " (" << QLocale::c().toString(bytes) << " bytes of tensor data)\n";
    for (const auto &[key, value] : contents.metadata)
        o << "metadata " << QString::fromStdString(key) << ": " << QString::fromStdString(value) << "\n";
    if (parser.isSet(QStringLiteral("tensors"))) {
        for (const auto &[name, tensor] : contents.tensors)
            o << "  " << QString::fromStdString(name) << "  " << safetensorsDtypeName(tensor.scalar_type()) << " "
              << QString::fromStdString(c10::str(tensor.sizes())) << "\n";
    }
    o.flush();
    return 0;
}

} // namespace wemoe::cli
