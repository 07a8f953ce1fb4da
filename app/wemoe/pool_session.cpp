#include "pool_session.h"

#include "common/device.h"
#include "common/error.h"

#include <QtCore/QFileInfo>
#include <QtCore/QTextStream>

namespace wemoe::cli {

void addEvalOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("batch-size"), QStringLiteral("Images per evaluation batch. Default 64."),
                      QStringLiteral("n"), QStringLiteral("64")});
    parser.addOption({QStringLiteral("table"),
                      QStringLiteral("Also write the accuracy table to FILE (.md, .csv or .json; repeatable)."),
                      QStringLiteral("file")});
}

EvalOptions evalOptionsFrom(const QCommandLineParser &parser, const ComputeSettings &compute)
{
    EvalOptions options;
    options.device = compute.device;
    options.batchSize = integerOption(parser, QStringLiteral("batch-size"));
    if (options.batchSize <= 0)
        throw Error(QStringLiteral("--batch-size must be positive"));
    return options;
}

LoadedPool loadPoolVerbose(const QString &poolFile)
{
    auto pool = LoadedPool::load(poolFile, consoleContext(QStringLiteral("load")));
    finishProgress();
    err() << "pool: " << QFileInfo(poolFile).absoluteFilePath() << " — " << pool.taskCount() << " tasks ("
          << pool.taskNames().join(QStringLiteral(", ")) << "), " << pool.pretrained.config.describe() << "\n";
    err().flush();
    return pool;
}

void reportTable(const AccuracyTable &table, const QCommandLineParser &parser)
{
    out() << table.toMarkdown();
    out().flush();
    for (const QString &file : parser.values(QStringLiteral("table"))) {
        table.save(file);
        err() << "wrote " << file << "\n";
    }
    err().flush();
}

c10::ScalarType parseExportDtype(const QString &name)
{
    const QString n = name.toLower();
    if (n == QLatin1String("keep"))
        return c10::ScalarType::Undefined;
    if (n == QLatin1String("f32") || n == QLatin1String("float32"))
        return c10::ScalarType::Float;
    if (n == QLatin1String("f16") || n == QLatin1String("float16"))
        return c10::ScalarType::Half;
    if (n == QLatin1String("bf16") || n == QLatin1String("bfloat16"))
        return c10::ScalarType::BFloat16;
    throw Error(QStringLiteral("--dtype: '%1', expected keep, f32, f16 or bf16").arg(name));
}

void addExportOptions(QCommandLineParser &parser, ExportOutputOption output)
{
    if (output == ExportOutputOption::Add)
        parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                          QStringLiteral("Folder to write (a Hugging Face model folder). Required."),
                          QStringLiteral("folder")});
    parser.addOption({QStringLiteral("dtype"),
                      QStringLiteral("Storage dtype: keep (as the input checkpoint), f32, f16 or bf16. Default keep."),
                      QStringLiteral("dtype"), QStringLiteral("keep")});
    parser.addOption({QStringLiteral("shard-size"),
                      QStringLiteral("Split into shards above this size, e.g. 2GB. Default 5GB."),
                      QStringLiteral("size"), QStringLiteral("5GB")});
    parser.addOption({QStringLiteral("force"), QStringLiteral("Replace the output folder if it exists.")});
}

ExportOptions exportOptionsFrom(const QCommandLineParser &parser)
{
    if (!parser.isSet(QStringLiteral("output")))
        throw Error(QStringLiteral("--output is required"));
    ExportOptions options;
    options.dtype = parseExportDtype(parser.value(QStringLiteral("dtype")));
    options.maxShardBytes = byteSizeOption(parser, QStringLiteral("shard-size"));
    options.overwrite = parser.isSet(QStringLiteral("force"));
    return options;
}

} // namespace wemoe::cli
