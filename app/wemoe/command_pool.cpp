#include "cli_support.h"
#include "commands.h"

#include "common/error.h"
#include "demo/synthetic_pool.h"

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

} // namespace

int runPool(const QStringList &arguments)
{
    if (arguments.isEmpty() || arguments.first() == QLatin1String("--help")
        || arguments.first() == QLatin1String("-h")) {
        out() << "Usage: wemoe pool synth FOLDER [options]\n\n"
                 "  synth   write a small random model pool to try the tools on\n";
        out().flush();
        return arguments.isEmpty() ? 2 : 0;
    }
    if (arguments.first() == QLatin1String("synth"))
        return runPoolSynth(arguments.mid(1));
    throw Error(QStringLiteral("pool: unknown subcommand '%1' (known: synth)").arg(arguments.first()));
}

} // namespace wemoe::cli
