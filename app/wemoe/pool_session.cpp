#include "pool_session.h"

#include "common/device.h"
#include "common/error.h"
#include "methods/compute_parameters.h"

#include <QtCore/QFileInfo>
#include <QtCore/QTextStream>

namespace wemoe::cli {

void addEvalOptions(QCommandLineParser &parser)
{
    parser.addOption(describedOption(QStringLiteral("batch-size"), evalBatchParameter(), QStringLiteral("n")));
    parser.addOption(describedOption(QStringLiteral("max-per-task"), maxTestImagesParameter(), QStringLiteral("n")));
    parser.addOption({QStringLiteral("table"),
                      QStringLiteral("Also write the accuracy table to FILE (.md, .csv or .json; repeatable)."),
                      QStringLiteral("file")});
}

EvalOptions evalOptionsFrom(const QCommandLineParser &parser, const ComputeSettings &compute)
{
    EvalOptions options;
    options.device = compute.device;
    options.batchSize = describedOptionValue(parser, QStringLiteral("batch-size"), evalBatchParameter()).toInt();
    return options;
}

LoadedPool loadPoolVerbose(const QString &poolFile, const QCommandLineParser *parser)
{
    auto pool = LoadedPool::load(poolFile, consoleContext(QStringLiteral("load")));
    finishProgress();
    if (parser && parser->isSet(QStringLiteral("max-per-task"))) {
        pool.maxTestImagesPerTask =
            describedOptionValue(*parser, QStringLiteral("max-per-task"), maxTestImagesParameter()).toInt();
        if (pool.maxTestImagesPerTask > 0)
            err() << "test images: a seeded subset of at most " << pool.maxTestImagesPerTask << " per task\n";
    }
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
    try {
        options.dtype = parseExportDtype(parser.value(QStringLiteral("dtype")));
    } catch (const Error &e) {
        throw Error(QStringLiteral("--%1").arg(e.message()));
    }
    options.maxShardBytes = byteSizeOption(parser, QStringLiteral("shard-size"));
    options.overwrite = parser.isSet(QStringLiteral("force"));
    return options;
}

} // namespace wemoe::cli
