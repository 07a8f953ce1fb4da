// wemoe upscale / adapt / collapse: building, adapting and folding WEMoE models.

#include "adaptive_method.h"
#include "cli_support.h"
#include "commands.h"
#include "pool_session.h"

#include "common/error.h"
#include "io/checkpoint.h"
#include "wemoe/collapsed_export.h"
#include "wemoe/prediction_collapse.h"
#include "wemoe/upscaled_evaluation.h"
#include "wemoe/upscaled_model_file.h"

#include <QtCore/QFileInfo>
#include <QtCore/QTextStream>

namespace wemoe::cli {

namespace {

void addUpscaleOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("lambda"),
                      QStringLiteral("Task-arithmetic λ for everything but the MLPs. Default 0.3."),
                      QStringLiteral("x"), QStringLiteral("0.3")});
    parser.addOption({QStringLiteral("router-depth"),
                      QStringLiteral("0: a learned bias; 1: Linear(D,T); 2: Linear(D,D), ReLU, Linear(D,T). Default 2."),
                      QStringLiteral("n"), QStringLiteral("2")});
    parser.addOption({QStringLiteral("init-lambda"),
                      QStringLiteral("Routers' initial output (their last bias). Default 0.3."), QStringLiteral("x"),
                      QStringLiteral("0.3")});
    parser.addOption({QStringLiteral("seed"), QStringLiteral("Seed of router init and batch order. Default 0."),
                      QStringLiteral("n"), QStringLiteral("0")});
    parser.addOption({QStringLiteral("bf16-task-vectors"),
                      QStringLiteral("Keep the MLP task vectors in bfloat16 (half the memory).")});
}

UpscaleOptions upscaleOptionsFrom(const QCommandLineParser &parser)
{
    UpscaleOptions options;
    options.scalingFactor = numberOption(parser, QStringLiteral("lambda"));
    options.mlp.routerDepth = integerOption(parser, QStringLiteral("router-depth"));
    if (options.mlp.routerDepth < 0 || options.mlp.routerDepth > 2)
        throw Error(QStringLiteral("--router-depth must be 0, 1 or 2"));
    options.mlp.initLambda = numberOption(parser, QStringLiteral("init-lambda"));
    options.mlp.routerSeed = static_cast<uint64_t>(integerOption(parser, QStringLiteral("seed")));
    options.mlp.bf16TaskVectors = parser.isSet(QStringLiteral("bf16-task-vectors"));
    return options;
}

void requirePoolTasks(const UpscaledClipModel &model, const LoadedPool &pool, const QString &file)
{
    if (model.taskNames() != pool.taskNames())
        throw Error(file, QStringLiteral("its experts are the tasks %1, the pool's are %2")
                              .arg(model.taskNames().join(QStringLiteral(", ")),
                                   pool.taskNames().join(QStringLiteral(", "))));
    if (!model.config().sameArchitecture(pool.pretrained.config))
        throw Error(file, QStringLiteral("its architecture (%1) is not the pool's (%2)")
                              .arg(model.config().describe(), pool.pretrained.config.describe()));
}

} // namespace

int runUpscale(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("pool"), QStringLiteral("The model pool file (JSON)."));
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("The WEMoE model file to write (.safetensors). Required."), QStringLiteral("file")});
    addUpscaleOptions(parser);
    addComputeOptions(parser);
    int exitCode = 0;
    if (!parseOrExplain(parser, arguments, QStringLiteral("upscale"),
                        QStringLiteral("Build a WEMoE model: task arithmetic outside the MLPs, every MLP upscaled "
                                       "into a weight-ensembling mixture of the pretrained MLP and the task vectors, "
                                       "with freshly initialised routers (at step 0 it equals task arithmetic)."),
                        exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(QStringLiteral("output")))
        throw Error(QStringLiteral("upscale: expected a pool file and --output (see wemoe upscale --help)"));
    const auto options = upscaleOptionsFrom(parser);
    const auto compute = applyComputeOptions(parser);
    const LoadedPool pool = loadPoolVerbose(parser.positionalArguments().first());
    const auto model = UpscaledClipModel::upscale(pool.pretrained.config,
                                                  MergeInputs{&pool.pretrained.vision, pool.taskWeights()},
                                                  pool.taskNames(), options, compute.device,
                                                  consoleContext(QStringLiteral("upscale")));
    saveUpscaledModel(parser.value(QStringLiteral("output")), model, {}, consoleContext(QStringLiteral("save")));
    finishProgress();
    err() << "wrote " << parser.value(QStringLiteral("output")) << " (" << model.layers() << " MoE blocks, "
          << model.experts() << " experts)\n";
    err().flush();
    return 0;
}

int runAdapt(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("pool"), QStringLiteral("The model pool file (JSON)."));
    parser.addOption({{QStringLiteral("m"), QStringLiteral("method")},
                      QStringLiteral("wemoe, adamerging_task or adamerging_layer. Default wemoe."),
                      QStringLiteral("method"), QStringLiteral("wemoe")});
    parser.addOption({QStringLiteral("model"),
                      QStringLiteral("wemoe: continue from this WEMoE model file instead of upscaling afresh."),
                      QStringLiteral("file")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("wemoe: the adapted WEMoE model file; adamerging: a Hugging Face folder. Required."),
                      QStringLiteral("path")});
    parser.addOption({QStringLiteral("steps"), QStringLiteral("Optimisation steps. Default 1000."),
                      QStringLiteral("n"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("lr"), QStringLiteral("Adam learning rate. Default 1e-4 (wemoe), 1e-3 (adamerging)."),
                      QStringLiteral("x")});
    parser.addOption({QStringLiteral("batch-size"), QStringLiteral("Unlabeled images per task per step. Default 16."),
                      QStringLiteral("n"), QStringLiteral("16")});
    parser.addOption({QStringLiteral("routing"),
                      QStringLiteral("wemoe: routing while adapting, sample or batch. Default sample."),
                      QStringLiteral("mode"), QStringLiteral("sample")});
    parser.addOption({QStringLiteral("diversity"),
                      QStringLiteral("wemoe: subtract this times the entropy of each task's mean batch prediction from "
                                     "its loss, so that sending a task to one class costs; it assumes each task's "
                                     "classes are roughly balanced in its unlabeled images (0, the paper's "
                                     "objective, by default)."),
                      QStringLiteral("w"), QStringLiteral("0")});
    parser.addOption({QStringLiteral("checkpoint-every"),
                      QStringLiteral("wemoe: save the routers every N steps to OUTPUT.routers.safetensors."),
                      QStringLiteral("n"), QStringLiteral("0")});
    parser.addOption({QStringLiteral("curve"), QStringLiteral("Write the loss per step (total and per task) as CSV."),
                      QStringLiteral("file")});
    addUpscaleOptions(parser);
    addExportOptions(parser, ExportOutputOption::Shared); // adamerging's folder options
    addComputeOptions(parser);
    int exitCode = 0;
    if (!parseOrExplain(parser, arguments, QStringLiteral("adapt"),
                        QStringLiteral("Test-time adaptation on the pool's unlabeled test images: WEMoE routers, or "
                                       "AdaMerging coefficients, by minimising the entropy of every task head's "
                                       "predictions. Ctrl-C stops after the current step and writes nothing."),
                        exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(QStringLiteral("output")))
        throw Error(QStringLiteral("adapt: expected a pool file and --output (see wemoe adapt --help)"));
    const QString methodName = parser.value(QStringLiteral("method"));
    const auto method = parseAdaptiveMethod(methodName);
    if (!method)
        throw Error(QStringLiteral("adapt: unknown method '%1' (wemoe, adamerging_task, adamerging_layer)").arg(methodName));
    const int steps = integerOption(parser, QStringLiteral("steps"));
    const int batchSize = integerOption(parser, QStringLiteral("batch-size"));
    const QString output = parser.value(QStringLiteral("output"));
    const auto compute = applyComputeOptions(parser);
    const LoadedPool pool = loadPoolVerbose(parser.positionalArguments().first());

    QString curve = QStringLiteral("step,loss");
    for (const QString &task : pool.taskNames())
        curve += QStringLiteral(",entropy_") + task;
    for (const QString &task : pool.taskNames())
        curve += QStringLiteral(",top_class_share_") + task;
    curve += QLatin1Char('\n');
    PredictionCollapseMonitor collapse;
    const auto record = [&curve, &collapse](const AdaptationStep &s) {
        curve += QStringLiteral("%1,%2").arg(s.step).arg(s.loss, 0, 'g', 8);
        for (double e : s.taskEntropy)
            curve += QStringLiteral(",%1").arg(e, 0, 'g', 8);
        for (double share : s.topClassShare)
            curve += QStringLiteral(",%1").arg(share, 0, 'g', 4);
        curve += QLatin1Char('\n');
        collapse.add(s);
    };

    if (method->kind == AdaptiveMethod::Kind::Wemoe) {
        RouterAdaptationOptions options;
        options.steps = steps;
        options.batchSize = batchSize;
        options.learningRate = parser.isSet(QStringLiteral("lr")) ? numberOption(parser, QStringLiteral("lr")) : 1e-4;
        options.seed = static_cast<quint64>(integerOption(parser, QStringLiteral("seed")));
        options.routing = parseRoutingMode(parser.value(QStringLiteral("routing")));
        options.diversityWeight = numberOption(parser, QStringLiteral("diversity"));
        options.checkpointEvery = integerOption(parser, QStringLiteral("checkpoint-every"));
        options.checkpointFile = output + QStringLiteral(".routers.safetensors");
        AdaptationHistory history; // of the continued model; empty when upscaled here
        std::optional<UpscaledClipModel> model;
        if (parser.isSet(QStringLiteral("model"))) {
            auto loaded = loadUpscaledModel(parser.value(QStringLiteral("model")), compute.device);
            requirePoolTasks(loaded.model, pool, parser.value(QStringLiteral("model")));
            history = loaded.adaptation;
            model.emplace(std::move(loaded.model));
        } else {
            model.emplace(UpscaledClipModel::upscale(pool.pretrained.config,
                                                     MergeInputs{&pool.pretrained.vision, pool.taskWeights()},
                                                     pool.taskNames(), upscaleOptionsFrom(parser), compute.device,
                                                     consoleContext(QStringLiteral("upscale"))));
            finishProgress();
        }
        adaptRouters(*model, pool, options, record, consoleContext(QStringLiteral("adapt")));
        finishProgress();
        saveUpscaledModel(output, *model, history.followedBy(AdaptationRun::of(options)), consoleContext(QStringLiteral("save")));
    } else {
        AdaMergingOptions options = method->adaMerging;
        options.steps = steps;
        options.batchSize = batchSize;
        options.seed = static_cast<quint64>(integerOption(parser, QStringLiteral("seed")));
        options.initLambda = numberOption(parser, QStringLiteral("init-lambda"));
        if (parser.isSet(QStringLiteral("lr")))
            options.learningRate = numberOption(parser, QStringLiteral("lr"));
        options.device = compute.device;
        const auto result = adaMerging(pool, options, record, consoleContext(QStringLiteral("adamerging")));
        finishProgress();
        ExportOptions exportOptions = exportOptionsFrom(parser);
        AdaptiveMethod described = *method;
        described.adaMerging = options;
        exportOptions.metadata["wemoe_method"] = described.label().toStdString();
        exportCheckpoint(output, pool.pretrained, result.merged, exportOptions, consoleContext(QStringLiteral("export")));
        finishProgress();
        if (options.granularity == AdaMergingGranularity::TaskWise) {
            QStringList lambdas;
            for (int t = 0; t < pool.taskCount(); ++t)
                lambdas << QStringLiteral("%1=%2").arg(pool.taskNames().at(t)).arg(result.coefficients[t].item<double>(), 0, 'f', 4);
            err() << "learned λ: " << lambdas.join(QStringLiteral(", ")) << "\n";
        }
    }
    if (parser.isSet(QStringLiteral("curve")))
        writeTextFile(parser.value(QStringLiteral("curve")), curve);
    for (const QString &line : collapse.warnings(pool.taskNames()))
        err() << "warning: " << line << "\n";
    err() << "wrote " << output << "\n";
    err().flush();
    return 0;
}

int runCollapse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("pool"), QStringLiteral("The model pool file (JSON)."));
    parser.addOption({QStringLiteral("wemoe"), QStringLiteral("The WEMoE model file. Required."), QStringLiteral("file")});
    parser.addOption({QStringLiteral("task"),
                      QStringLiteral("Collapse for this task (repeatable). Default: every task."),
                      QStringLiteral("name")});
    parser.addOption({QStringLiteral("routing"),
                      QStringLiteral("Routing used to measure the weights, sample or batch. Default sample."),
                      QStringLiteral("mode"), QStringLiteral("sample")});
    addExportOptions(parser);
    addEvalOptions(parser);
    addComputeOptions(parser);
    int exitCode = 0;
    if (!parseOrExplain(parser, arguments, QStringLiteral("collapse"),
                        QStringLiteral("Fold a WEMoE model into plain CLIP checkpoints, one per task: each block's MLP "
                                       "merged at the routing weights averaged over that task's test images. Writes "
                                       "OUTPUT/<task>/ as Hugging Face folders any CLIP loader reads."),
                        exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(QStringLiteral("wemoe")))
        throw Error(QStringLiteral("collapse: expected a pool file and --wemoe (see wemoe collapse --help)"));
    ExportOptions exportOptions = exportOptionsFrom(parser);
    const auto compute = applyComputeOptions(parser);
    const EvalOptions evalOptions = evalOptionsFrom(parser, compute);
    const LoadedPool pool = loadPoolVerbose(parser.positionalArguments().first());
    const QString file = parser.value(QStringLiteral("wemoe"));
    const auto loaded = loadUpscaledModel(file, compute.device);
    requirePoolTasks(loaded.model, pool, file);
    QStringList tasks = parser.values(QStringLiteral("task"));
    if (tasks.isEmpty())
        tasks = pool.taskNames();
    for (const QString &task : tasks)
        if (pool.pool.taskIndex(task) < 0)
            throw Error(QStringLiteral("collapse: the pool has no task '%1' (tasks: %2)")
                            .arg(task, pool.taskNames().join(QStringLiteral(", "))));

    const RoutingMode routing = parseRoutingMode(parser.value(QStringLiteral("routing")));
    const auto evaluation = evaluateUpscaled(loaded.model, pool, routing, evalOptions.batchSize, true,
                                             consoleContext(QStringLiteral("measure routing")));
    finishProgress();
    const auto mean = evaluation.capture.meanPerTask(); // [tasks, layers, experts]
    const QString output = parser.value(QStringLiteral("output"));
    // One staged folder for every task: Ctrl-C or a failure part-way leaves nothing.
    const QStringList written =
        exportCollapsedModels(output, pool.pretrained, loaded.model, tasks, mean, routingModeName(routing),
                              exportOptions, pool.pool.path, consoleContext(QStringLiteral("export")));
    finishProgress();
    for (const QString &folder : written)
        err() << "wrote " << folder << "\n";
    err().flush();
    return 0;
}

} // namespace wemoe::cli
