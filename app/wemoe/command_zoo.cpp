#include "cli_support.h"
#include "commands.h"

#include "common/error.h"
#include "methods/method_call.h"
#include "pool/loaded_pool.h"
#include "zoo/prediction_entropy.h"
#include "zoo/routing_slopes.h"
#include "zoo/zoo_build_time.h"
#include "zoo/zoo_cache.h"
#include "zoo/zoo_pool_builder.h"

#include <QtCore/QFileInfo>
#include <QtCore/QTextStream>

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>

namespace wemoe::cli {

namespace {

// Options that pick a zoo: its recipe (and so its cache folder).
void addZooOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("quick"), QStringLiteral("The quick zoo: fewer images and steps, a smaller model "
                                                              "(built in about %1 s on two cores).")
                                                   .arg(kMeasuredQuickZooBuildSeconds)});
    parser.addOption({QStringLiteral("seed"), QStringLiteral("Random seed of the recipe. Default 1."),
                      QStringLiteral("n"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("threads"),
                      QStringLiteral("LibTorch threads while training; results can depend on it, so it is part of "
                                     "the cache key. Default 2."),
                      QStringLiteral("n"), QStringLiteral("2")});
    parser.addOption({QStringLiteral("cache-folder"),
                      QStringLiteral("Where zoos are kept. Default: %1.").arg(defaultZooCacheFolder()),
                      QStringLiteral("folder")});
}

ZooBuildOptions zooOptionsFrom(const QCommandLineParser &parser)
{
    ZooBuildOptions options;
    options.quick = parser.isSet(QStringLiteral("quick"));
    const int seed = integerOption(parser, QStringLiteral("seed"));
    if (seed < 0)
        throw Error(QStringLiteral("--seed: must not be negative (got %1)").arg(seed));
    options.seed = quint64(seed);
    options.threads = integerOption(parser, QStringLiteral("threads"));
    options.cacheFolder = parser.value(QStringLiteral("cache-folder"));
    return options;
}

int runZooBuild(const QStringList &arguments)
{
    QCommandLineParser parser;
    addZooOptions(parser);
    parser.addOption({QStringLiteral("force"), QStringLiteral("Rebuild even when the zoo is already cached.")});
    parser.addOption({QStringLiteral("system-root"),
                      QStringLiteral("Where the Debian package files are (a folder .debs were unpacked into). "
                                     "Default /."),
                      QStringLiteral("folder"), QStringLiteral("/")});
    int exitCode = 0;
    if (!parseOrExplain(parser, arguments, QStringLiteral("zoo build"),
                        QStringLiteral("Build the demo model pool from the demo datasets: a tiny CLIP-layout ViT "
                                       "pretrained on a pretext task over the TRAIN splits, a fixed class-centroid "
                                       "head per task and one fine-tuned model per task. Cached; prints the pool "
                                       "file. The standard zoo takes about %1 minutes on two cores.")
                            .arg(std::lround(kMeasuredStandardZooBuildSeconds / 60.0)),
                        exitCode))
        return exitCode;
    if (!parser.positionalArguments().isEmpty())
        throw Error(QStringLiteral("zoo build: unexpected argument '%1'").arg(parser.positionalArguments().first()));
    ZooBuildOptions options = zooOptionsFrom(parser);
    options.force = parser.isSet(QStringLiteral("force"));
    options.systemRoot = parser.value(QStringLiteral("system-root"));

    const ZooBuildResult result = buildZoo(options, consoleContext(QStringLiteral("zoo")));
    finishProgress();
    if (result.reused) {
        err() << "wemoe: the zoo was already built (use --force to rebuild): " << result.folder << "\n";
    } else {
        const double seconds =
            result.log.value(QStringLiteral("seconds")).toObject().value(QStringLiteral("total")).toDouble();
        err() << "wemoe: zoo built in " << QString::number(seconds, 'f', 0) << " s: " << result.folder << "\n";
    }
    err().flush();
    out() << result.poolFile << "\n";
    out().flush();
    return 0;
}

int runZooPath(const QStringList &arguments)
{
    QCommandLineParser parser;
    addZooOptions(parser);
    int exitCode = 0;
    if (!parseOrExplain(parser, arguments, QStringLiteral("zoo path"),
                        QStringLiteral("Print the pool file of the cached demo zoo; exit code 1 when it is not "
                                       "built (completely)."),
                        exitCode))
        return exitCode;
    if (!parser.positionalArguments().isEmpty())
        throw Error(QStringLiteral("zoo path: unexpected argument '%1'").arg(parser.positionalArguments().first()));
    const ZooBuildOptions options = zooOptionsFrom(parser);
    const QString poolFile = builtZooPoolFile(options);
    if (poolFile.isEmpty()) {
        err() << "wemoe: the demo zoo is not built yet (expected at " << zooFolder(options) << "); run 'wemoe zoo build"
              << (options.quick ? " --quick" : "") << "'\n";
        err().flush();
        return 1;
    }
    out() << poolFile << "\n";
    out().flush();
    return 0;
}

QString fixed(double value, int decimals)
{
    return QString::number(value, 'f', decimals);
}

void printMatrix(const CrossTaskMeasures &measures, const QVector<QVector<double>> &values, bool lowestIsBest,
                 double scale, int decimals)
{
    QTextStream &stream = out();
    stream << "| model \\ task |";
    for (const QString &task : measures.taskNames)
        stream << " " << task << " |";
    stream << "\n| --- |";
    for (int t = 0; t < measures.taskNames.size(); ++t)
        stream << " --- |";
    stream << "\n";
    for (int m = 0; m < measures.modelNames.size(); ++m) {
        stream << "| " << measures.modelNames[m] << " |";
        for (int t = 0; t < measures.taskNames.size(); ++t) {
            // Bold: the best model in this task's column.
            bool best = true;
            for (int other = 0; other < values.size(); ++other) {
                if (other != m && (lowestIsBest ? values[other][t] < values[m][t] : values[other][t] > values[m][t]))
                    best = false;
            }
            const QString cell = fixed(scale * values[m][t], decimals);
            stream << " " << (best ? QStringLiteral("**%1**").arg(cell) : cell) << " |";
        }
        stream << "\n";
    }
}

void printSlopes(const RoutingSlopes &slopes)
{
    QTextStream &stream = out();
    stream << "| images of \\ expert | entropy at start |";
    for (const QString &task : slopes.taskNames)
        stream << " " << task << " |";
    stream << "\n| --- | ---: |";
    for (int t = 0; t < slopes.taskNames.size(); ++t)
        stream << " ---: |";
    stream << "\n";
    for (int u = 0; u < slopes.taskNames.size(); ++u) {
        stream << "| " << slopes.taskNames[u] << " | " << fixed(slopes.entropyAtStart[u], 3) << " |";
        const QVector<double> &row = slopes.slope[u];
        const double steepest = *std::min_element(row.begin(), row.end());
        for (double value : row) {
            const QString cell = (value >= 0 ? QStringLiteral("+") : QString()) + fixed(value, 3);
            stream << " " << (value == steepest ? QStringLiteral("**%1**").arg(cell) : cell) << " |";
        }
        stream << "\n";
    }
}

int runZooEntropy(const QStringList &arguments)
{
    QCommandLineParser parser;
    addZooOptions(parser);
    parser.addPositionalArgument(QStringLiteral("pool"),
                                 QStringLiteral("A pool file (default: the cached zoo the options select)."),
                                 QStringLiteral("[pool]"));
    parser.addOption({QStringLiteral("slope-step"),
                      QStringLiteral("Step ε of the routing slopes (finite differences at task arithmetic "
                                     "with its default λ). Default 0.1."),
                      QStringLiteral("x"), QStringLiteral("0.1")});
    int exitCode = 0;
    if (!parseOrExplain(parser, arguments, QStringLiteral("zoo entropy"),
                        QStringLiteral("Print the mean prediction entropy (divided by ln classes) and the accuracy "
                                       "of the pretrained and every fine-tuned model of a pool on every task's test "
                                       "images, each task with its own head. WEMoE's adaptation needs each task's "
                                       "own model to be the most confident one on that task. Then the routing "
                                       "slopes: at task arithmetic, how each task's entropy changes when one "
                                       "expert's MLP weight grows, i.e. where adaptation will push the routers."),
                        exitCode))
        return exitCode;
    if (parser.positionalArguments().size() > 1)
        throw Error(QStringLiteral("zoo entropy: expected at most one pool file"));
    QString poolFile = parser.positionalArguments().value(0);
    if (poolFile.isEmpty()) {
        const ZooBuildOptions options = zooOptionsFrom(parser);
        poolFile = builtZooPoolFile(options);
        if (poolFile.isEmpty())
            throw Error(zooFolder(options), QStringLiteral("the demo zoo is not built yet (run 'wemoe zoo build%1')")
                                                .arg(options.quick ? QStringLiteral(" --quick") : QString()));
    }
    const int threads = integerOption(parser, QStringLiteral("threads"));
    if (threads < 1)
        throw Error(QStringLiteral("--threads: must be at least 1 (got %1)").arg(threads));
    at::set_num_threads(threads);

    const double slopeStep = numberOption(parser, QStringLiteral("slope-step"));
    if (!(slopeStep > 0))
        throw Error(QStringLiteral("--slope-step: must be positive (got %1)").arg(slopeStep));
    const LoadedPool pool = LoadedPool::load(poolFile, consoleContext(QStringLiteral("load")));
    finishProgress();
    const CrossTaskMeasures measures = measureCrossTask(pool, 256, consoleContext(QStringLiteral("entropy")));
    finishProgress();

    out() << "Mean prediction entropy / ln(classes), task's own head (bold: lowest in the column):\n\n";
    printMatrix(measures, measures.normalizedEntropy, true, 1.0, 3);
    out() << "\nAccuracy, % (bold: highest in the column):\n\n";
    printMatrix(measures, measures.accuracy, false, 100.0, 1);
    int ownMostConfident = 0;
    int confidentOnOwn = 0;
    for (int t = 0; t < measures.taskNames.size(); ++t) {
        ownMostConfident += measures.ownModelMostConfident(t) ? 1 : 0;
        confidentOnOwn += measures.mostConfidentOnOwnTask(t) ? 1 : 0;
    }
    out() << "\nTasks whose own fine-tuned model is the most confident model there: " << ownMostConfident << "/"
          << measures.taskNames.size() << "\nFine-tuned models most confident on their own task: " << confidentOnOwn
          << "/" << measures.taskNames.size() << "\n";
    out().flush();

    // Task arithmetic at its default λ: where WEMoE's routers start.
    const double lambda = MethodCall(QStringLiteral("task_arithmetic")).real(QStringLiteral("lambda"));
    const RoutingSlopes slopes = measureRoutingSlopes(pool, lambda, slopeStep, 256,
                                                      consoleContext(QStringLiteral("slopes")));
    finishProgress();
    out() << "\nRouting slopes at task arithmetic (λ " << lambda
          << "): change of each task's entropy / ln(classes) per unit of "
             "one expert's MLP weight (step "
          << slopeStep << "; bold: the steepest descent in the row, where adaptation starts to route that task):\n\n";
    printSlopes(slopes);
    int ownSteepest = 0;
    for (int t = 0; t < slopes.taskNames.size(); ++t)
        ownSteepest += slopes.ownExpertSteepest(t) ? 1 : 0;
    out() << "\nTasks whose own expert lowers their entropy most: " << ownSteepest << "/" << slopes.taskNames.size()
          << "\n\nAccuracy, %, with each task's images routed to exactly their own expert (MLP weight 1, others 0; "
             "everything else task arithmetic at λ "
          << lambda
          << "). The routers reach only the MLPs: the gap to the own fine-tuned "
             "model is the interference outside the MLPs\n\n| task | task arithmetic | "
             "own expert | own fine-tuned model |\n| --- | ---: | ---: | ---: |\n";
    double sums[3] = {0, 0, 0};
    for (int t = 0; t < slopes.taskNames.size(); ++t) {
        const double row[3] = {slopes.accuracyAtStart[t], slopes.ownExpertAccuracy[t], measures.accuracy[t + 1][t]};
        out() << "| " << slopes.taskNames[t];
        for (int i = 0; i < 3; ++i) {
            out() << " | " << fixed(100.0 * row[i], 1);
            sums[i] += row[i];
        }
        out() << " |\n";
    }
    const double count = std::max<qsizetype>(1, slopes.taskNames.size());
    out() << "| average | " << fixed(100.0 * sums[0] / count, 1) << " | " << fixed(100.0 * sums[1] / count, 1) << " | "
          << fixed(100.0 * sums[2] / count, 1) << " |\n";
    out().flush();
    return 0;
}

} // namespace

int runZoo(const QStringList &arguments)
{
    if (arguments.isEmpty() || arguments.first() == QLatin1String("--help")
        || arguments.first() == QLatin1String("-h")) {
        out() << "Usage: wemoe zoo <build|path|entropy> [options]\n\n"
                 "  build     build the demo model pool (cached; prints the pool file)\n"
                 "  path      print the cached demo pool file (exit 1 when not built)\n"
                 "  entropy   prediction entropy and accuracy of every model on every task\n";
        out().flush();
        return arguments.isEmpty() ? 2 : 0;
    }
    const QString sub = arguments.first();
    if (sub == QLatin1String("build"))
        return runZooBuild(arguments.mid(1));
    if (sub == QLatin1String("path"))
        return runZooPath(arguments.mid(1));
    if (sub == QLatin1String("entropy"))
        return runZooEntropy(arguments.mid(1));
    throw Error(QStringLiteral("zoo: unknown subcommand '%1' (known: build, path, entropy)").arg(sub));
}

} // namespace wemoe::cli
