#include "cli_support.h"
#include "commands.h"

#include "common/error.h"
#include "common/printable_text.h"
#include "demo/synthetic_pool.h"
#include "io/atomic_file.h"
#include "pool/fusionbench_pool.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTextStream>

namespace wemoe::cli {

namespace {

int runPoolSynth(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("folder"), QStringLiteral("Where to write the pool (new or empty)."));
    const SyntheticPoolOptions defaults;
    const auto add = [&](const char *name, const char *help, int value) {
        parser.addOption({QString::fromLatin1(name),
                          QString::fromLatin1(help) + QStringLiteral(" Default %1.").arg(value), QStringLiteral("n"),
                          QString::number(value)});
    };
    add("tasks", "Number of tasks.", defaults.tasks);
    add("classes", "Classes per task.", defaults.classes);
    add("images-per-class", "Test images per class.", defaults.imagesPerClass);
    add("seed", "Random seed.", static_cast<int>(defaults.seed));
    add("image-size", "Image size in pixels.", defaults.config.imageSize);
    add("patch-size", "Patch size in pixels.", defaults.config.patchSize);
    add("width", "Transformer width (hidden_size).", defaults.config.hiddenSize);
    add("layers", "Transformer blocks.", defaults.config.numHiddenLayers);
    add("heads", "Attention heads.", defaults.config.numAttentionHeads);
    add("mlp", "MLP size (intermediate_size).", defaults.config.intermediateSize);
    add("projection", "Projection size (0: none).", defaults.config.projectionDim);
    add("fine-tune-steps",
        "0: random task vectors, images labelled by each task's own model. N > 0: images drawn per class, a "
        "class-centroid head on the pretrained model, the MLPs fine-tuned for N Adam steps (real interference).",
        defaults.fineTuneSteps);
    const auto addNumber = [&](const char *name, const char *help, double value) {
        parser.addOption({QString::fromLatin1(name),
                          QString::fromLatin1(help) + QStringLiteral(" Default %1.").arg(value), QStringLiteral("x"),
                          QString::number(value)});
    };
    addNumber("fine-tune-lr", "Adam learning rate of the fine-tuning (with --fine-tune-steps).",
              defaults.fineTuneLearningRate);
    addNumber("target-confidence",
              "0: heads use logit scale 10. Otherwise the logit scale at which the model the head is built on "
              "(own fine-tuned model, or the pretrained one with --fine-tune-steps) has this mean top-class "
              "probability.",
              defaults.targetConfidence);
    addNumber("weight-std", "Standard deviation of the random pretrained weights.", defaults.weightStd);
    parser.addOption({QStringLiteral("task-subspace-heads"),
                      QStringLiteral("With --fine-tune-steps: each task's head reads only its own block of the "
                                     "feature dimensions.")});
    parser.addOption({QStringLiteral("train-images"),
                      QStringLiteral("With --fine-tune-steps: also write the images the models were fine-tuned on "
                                     "and name them as each task's train_data (for regmean, fisher).")});
    int exitCode = 0;
    if (!parseOrExplain(parser, arguments, QStringLiteral("pool synth"),
                        QStringLiteral("Write a small random model pool (CLIP layout checkpoints, heads, test images "
                                       "labelled by each task's own fine-tuned model) to try the tools on."),
                        exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1)
        throw Error(QStringLiteral("pool synth: expected one folder"));

    SyntheticPoolOptions options;
    options.tasks = integerOption(parser, QStringLiteral("tasks"));
    options.classes = integerOption(parser, QStringLiteral("classes"));
    options.imagesPerClass = integerOption(parser, QStringLiteral("images-per-class"));
    options.seed = static_cast<quint64>(integerOption(parser, QStringLiteral("seed")));
    options.config.imageSize = integerOption(parser, QStringLiteral("image-size"));
    options.config.patchSize = integerOption(parser, QStringLiteral("patch-size"));
    options.config.hiddenSize = integerOption(parser, QStringLiteral("width"));
    options.config.numHiddenLayers = integerOption(parser, QStringLiteral("layers"));
    options.config.numAttentionHeads = integerOption(parser, QStringLiteral("heads"));
    options.config.intermediateSize = integerOption(parser, QStringLiteral("mlp"));
    options.config.projectionDim = integerOption(parser, QStringLiteral("projection"));
    options.fineTuneSteps = integerOption(parser, QStringLiteral("fine-tune-steps"));
    if (options.fineTuneSteps < 0)
        throw Error(QStringLiteral("pool synth: --fine-tune-steps must not be negative"));
    options.fineTuneLearningRate = numberOption(parser, QStringLiteral("fine-tune-lr"));
    options.weightStd = numberOption(parser, QStringLiteral("weight-std"));
    options.taskSubspaceHeads = parser.isSet(QStringLiteral("task-subspace-heads"));
    options.writeTrainImages = parser.isSet(QStringLiteral("train-images"));
    options.targetConfidence = numberOption(parser, QStringLiteral("target-confidence"));
    if (!(options.fineTuneLearningRate > 0) || !(options.weightStd > 0))
        throw Error(QStringLiteral("pool synth: --fine-tune-lr and --weight-std must be positive"));
    const QString poolFile = writeSyntheticPool(parser.positionalArguments().first(), options,
                                                consoleContext(QStringLiteral("synth")));
    finishProgress();
    out() << poolFile << "\n";
    out().flush();
    return 0;
}

// A model path of the YAML file that exists (against the YAML's folder, or the
// current folder, where FusionBench runs from) is rewritten for the pool's
// folder; hub names and anything else stay as written.
QString modelForPool(const QString &written, const QDir &yamlFolder, const QDir &poolFolder)
{
    if (QFileInfo(written).isAbsolute())
        return written;
    for (const QDir &base : {yamlFolder, QDir::current()}) {
        const QString candidate = base.absoluteFilePath(written);
        if (QFileInfo::exists(candidate))
            return QDir::cleanPath(poolFolder.relativeFilePath(candidate));
    }
    return written;
}

int runPoolImport(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(
        QStringLiteral("modelpool"),
        QStringLiteral("A FusionBench CLIP model-pool file (YAML), e.g. "
                       "config/modelpool/CLIPVisionModelPool/clip-vit-base-patch32_TA8.yaml."));
    parser.addOption({QStringLiteral("data"),
                      QStringLiteral("Folder of test data: a task's is DIR/TASK/test (an image folder by class, "
                                     "or Parquet files). Without it, or for a task it lacks, the task's Hugging Face "
                                     "dataset (tanganke/TASK:test) is used when the local cache holds it. Tasks "
                                     "without test data are reported."),
                      QStringLiteral("dir")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("The pool file to write (JSON). Required."),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("force"), QStringLiteral("Replace the output file if it exists.")});
    int exitCode = 0;
    if (!parseOrExplain(parser, arguments, QStringLiteral("pool import"),
                        QStringLiteral("Turn a FusionBench CLIP model pool into a pool file: its models (Hugging Face "
                                       "names, found in the local cache when the pool is used), zero-shot heads with "
                                       "each task's published prompt templates, and test data from --data or the "
                                       "Hugging Face cache."),
                        exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1)
        throw Error(
            QStringLiteral("pool import: expected one FusionBench model-pool file (see wemoe pool import --help)"));
    if (!parser.isSet(QStringLiteral("output")))
        throw Error(QStringLiteral("pool import: --output is required"));
    const QString yamlPath = parser.positionalArguments().first();
    const QString output = parser.value(QStringLiteral("output"));
    const bool force = parser.isSet(QStringLiteral("force"));
    if (!force && QFileInfo(output).exists())
        throw Error(output, QStringLiteral("already exists (pass --force to replace it)"));
    const QString data = parser.isSet(QStringLiteral("data"))
                             ? QFileInfo(parser.value(QStringLiteral("data"))).absoluteFilePath()
                             : QString();

    const FusionBenchImport imported = importFusionBenchPool(yamlPath, data);
    for (const QString &warning : imported.warnings)
        err() << "wemoe: warning: " << printableText(warning) << "\n";
    err().flush();

    // Paths in the pool resolve against its own folder.
    const QDir yamlFolder = QFileInfo(yamlPath).absoluteDir();
    const QDir poolFolder = QFileInfo(output).absoluteDir();
    QJsonObject pool = imported.pool;
    for (const char *key : {"pretrained", "clip"})
        pool.insert(QLatin1String(key),
                    modelForPool(pool.value(QLatin1String(key)).toString(), yamlFolder, poolFolder));
    QJsonArray tasks;
    for (const QJsonValue &value : pool.value(QStringLiteral("tasks")).toArray()) {
        QJsonObject task = value.toObject();
        task.insert(QStringLiteral("checkpoint"),
                    modelForPool(task.value(QStringLiteral("checkpoint")).toString(), yamlFolder, poolFolder));
        // Folders found under --data are absolute; hub names stay names.
        for (const char *key : {"test_data", "train_data"}) {
            const QString data = task.value(QLatin1String(key)).toString();
            if (QDir::isAbsolutePath(data))
                task.insert(QLatin1String(key), poolFolder.relativeFilePath(data));
        }
        tasks.append(task);
    }
    pool.insert(QStringLiteral("tasks"), tasks);

    AtomicFile file(output);
    file.write(QJsonDocument(pool).toJson(QJsonDocument::Indented));
    file.commit(force ? AtomicFile::Existing::Replace : AtomicFile::Existing::Keep);
    err() << "wrote " << output << " (" << tasks.size() << " tasks)\n";
    err().flush();
    return 0;
}

} // namespace

int runPool(const QStringList &arguments)
{
    if (arguments.isEmpty() || arguments.first() == QLatin1String("--help")
        || arguments.first() == QLatin1String("-h")) {
        out() << "Usage: wemoe pool synth FOLDER [options]\n"
                 "       wemoe pool import MODELPOOL.yaml [--data DIR] -o POOL.json\n\n"
                 "  synth   write a small random model pool to try the tools on\n"
                 "  import  turn a FusionBench CLIP model pool (YAML) into a pool file\n";
        out().flush();
        return arguments.isEmpty() ? 2 : 0;
    }
    if (arguments.first() == QLatin1String("synth"))
        return runPoolSynth(arguments.mid(1));
    if (arguments.first() == QLatin1String("import"))
        return runPoolImport(arguments.mid(1));
    throw Error(QStringLiteral("pool: unknown subcommand '%1' (known: synth, import)").arg(arguments.first()));
}

} // namespace wemoe::cli
