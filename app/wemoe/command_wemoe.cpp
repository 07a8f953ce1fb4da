// wemoe upscale / adapt / collapse: building, adapting and folding WEMoE models.

#include "adamerging_export.h"
#include "cli_support.h"
#include "commands.h"
#include "pool_session.h"

#include "common/error.h"
#include "io/checkpoint.h"
#include "methods/engine_options.h"
#include "methods/method_run.h"
#include "moe/collapsed_export.h"
#include "moe/upscaled_evaluation.h"
#include "moe/upscaled_model_file.h"

#include <QtCore/QFileInfo>
#include <QtCore/QMap>
#include <QtCore/QTextStream>

namespace wemoe::cli {

namespace {

// An option `upscale` or `adapt` spells out that sets one key of the
// catalogue's method; its help, default and range are the catalogue's.
struct KeyOption
{
    const char *option;
    const char *key;
    const char *valueName; // empty: a switch that sets a flag to true
};

constexpr KeyOption kUpscaleOptions[] = {
    {"lambda", "lambda", "x"}, {"router-depth", "depth", "n"},    {"init-lambda", "init_lambda", "x"},
    {"seed", "seed", "n"},     {"bf16-task-vectors", "bf16", ""},
};

constexpr KeyOption kAdaptOptions[] = {
    {"steps", "steps", "n"},         {"lr", "lr", "x"},
    {"batch-size", "batch", "n"},    {"routing", "adapt_routing", "mode"},
    {"diversity", "diversity", "w"},
};

// "Default 1000." or, when the methods differ, "Default 0.0001 (wemoe), 0.001 (adamerging_task, ...)."
QString keyOptionHelp(const KeyOption &option, const QStringList &methods)
{
    QString help;
    QMap<QString, QStringList> defaults; // default -> the methods that have it
    QStringList users;
    for (const QString &name : methods) {
        const Parameter *p = describeMethod(name).parameter(QLatin1String(option.key));
        if (!p)
            continue;
        if (help.isEmpty())
            help = catalogueText(p->help);
        defaults[p->describeDefault()] << name;
        users << name;
    }
    if (users.size() < methods.size())
        help = users.join(QStringLiteral(", ")) + QStringLiteral(": ") + help;
    if (option.valueName[0] == '\0')
        return help;
    QStringList shown;
    for (auto it = defaults.begin(); it != defaults.end(); ++it)
        shown << (defaults.size() == 1
                      ? it.key()
                      : QStringLiteral("%1 (%2)").arg(it.key(), it.value().join(QStringLiteral(", "))));
    return help + QStringLiteral(" Default ") + shown.join(QStringLiteral(", ")) + QLatin1Char('.');
}

template<size_t N>
void addKeyOptions(QCommandLineParser &parser, const KeyOption (&options)[N], const QStringList &methods)
{
    for (const KeyOption &option : options) {
        const QString help = keyOptionHelp(option, methods);
        if (option.valueName[0] == '\0')
            parser.addOption({QLatin1String(option.option), help});
        else
            parser.addOption({QLatin1String(option.option), help, QLatin1String(option.valueName)});
    }
}

// Sets the keys of `call` whose options were given; an option the method has no key for is refused.
template<size_t N>
void applyKeyOptions(const QCommandLineParser &parser, const KeyOption (&options)[N], MethodCall &call)
{
    for (const KeyOption &option : options) {
        const QString name = QLatin1String(option.option);
        if (!parser.isSet(name))
            continue;
        if (!call.has(QLatin1String(option.key)))
            throw Error(QStringLiteral("--%1 does not apply to %2").arg(name, call.method()));
        try {
            if (option.valueName[0] == '\0')
                call.set(QLatin1String(option.key), true);
            else
                call.setText(QLatin1String(option.key), parser.value(name));
        } catch (const Error &e) {
            throw Error(QStringLiteral("--%1: %2").arg(name, e.message()));
        }
    }
}

void requirePoolTasks(const UpscaledClipModel &model, const LoadedPool &pool, const QString &file)
{
    if (model.taskNames() != pool.taskNames())
        throw Error(
            file, QStringLiteral("its experts are the tasks %1, the pool's are %2")
                      .arg(model.taskNames().join(QStringLiteral(", ")), pool.taskNames().join(QStringLiteral(", "))));
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
                      QStringLiteral("The WEMoE model file to write (.safetensors). Required."),
                      QStringLiteral("file")});
    addKeyOptions(parser, kUpscaleOptions, {QStringLiteral("wemoe")});
    addComputeOptions(parser);
    int exitCode = 0;
    if (!parseOrExplain(parser, arguments, QStringLiteral("upscale"),
                        QStringLiteral("Build a WEMoE model: task arithmetic outside the MLPs, every MLP upscaled "
                                       "into a weight-ensembling mixture of the pretrained MLP and the task vectors, "
                                       "with freshly initialised routers (at step 0 it is close to task arithmetic; "
                                       "equal to it for depth-0 routers)."),
                        exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(QStringLiteral("output")))
        throw Error(QStringLiteral("upscale: expected a pool file and --output (see wemoe upscale --help)"));
    MethodCall wemoe(QStringLiteral("wemoe"));
    applyKeyOptions(parser, kUpscaleOptions, wemoe);
    const UpscaleOptions options = toUpscaleOptions(wemoe);
    const auto compute = applyComputeOptions(parser);
    const LoadedPool pool = loadPoolVerbose(parser.positionalArguments().first());
    const auto model = UpscaledClipModel::upscale(
        pool.pretrained.config, MergeInputs{&pool.pretrained.vision, pool.taskWeights()}, pool.taskNames(), options,
        compute.device, consoleContext(QStringLiteral("upscale")));
    saveUpscaledModel(parser.value(QStringLiteral("output")), model, {}, consoleContext(QStringLiteral("save")));
    finishProgress();
    err() << "wrote " << parser.value(QStringLiteral("output")) << " (" << model.layers() << " MoE blocks, "
          << model.experts() << " experts)\n";
    err().flush();
    return 0;
}

int runAdapt(const QStringList &arguments)
{
    const QStringList adaptive = methodNames(MethodDescription::Kind::Adaptive);
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("pool"), QStringLiteral("The model pool file (JSON)."));
    parser.addOption({{QStringLiteral("m"), QStringLiteral("method")},
                      QStringLiteral("%1, as NAME[:KEY=VALUE,...]; the options below set the same keys. Default wemoe.")
                          .arg(adaptive.join(QStringLiteral(", "))),
                      QStringLiteral("method"),
                      QStringLiteral("wemoe")});
    parser.addOption({QStringLiteral("model"),
                      QStringLiteral("wemoe: continue from this WEMoE model file instead of upscaling afresh."),
                      QStringLiteral("file")});
    parser.addOption(
        {{QStringLiteral("o"), QStringLiteral("output")},
         QStringLiteral("wemoe: the adapted WEMoE model file; adamerging: a Hugging Face folder. Required."),
         QStringLiteral("path")});
    addKeyOptions(parser, kAdaptOptions, adaptive);
    parser.addOption({QStringLiteral("checkpoint-every"),
                      QStringLiteral("wemoe: save the routers every N steps to OUTPUT.routers.safetensors."),
                      QStringLiteral("n"), QStringLiteral("0")});
    parser.addOption({QStringLiteral("curve"), QStringLiteral("Write the loss per step (total and per task) as CSV."),
                      QStringLiteral("file")});
    addKeyOptions(parser, kUpscaleOptions, adaptive);
    addExportOptions(parser, ExportOutputOption::Shared); // adamerging's folder options
    addCoefficientsOption(parser);
    addComputeOptions(parser);
    int exitCode = 0;
    if (!parseOrExplain(parser, arguments, QStringLiteral("adapt"),
                        QStringLiteral("Test-time adaptation on the pool's unlabeled test images: WEMoE routers, or "
                                       "AdaMerging coefficients, by minimising the entropy of every task head's "
                                       "predictions. Ctrl-C stops after the current step and writes nothing.\n\n")
                            + methodSyntaxHelp({MethodDescription::Kind::Adaptive}),
                        exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(QStringLiteral("output")))
        throw Error(QStringLiteral("adapt: expected a pool file and --output (see wemoe adapt --help)"));
    MethodCall call = MethodCall::parse(parser.value(QStringLiteral("method")));
    if (!call.description().adapts())
        throw Error(QStringLiteral("adapt: %1 does not adapt (use %2)")
                        .arg(call.method(), adaptive.join(QStringLiteral(", "))));
    applyKeyOptions(parser, kAdaptOptions, call);
    applyKeyOptions(parser, kUpscaleOptions, call); // AdaMerging takes --init-lambda and --seed too
    const bool isWemoe = call.description().upscales;
    if (!isWemoe
        && (parser.isSet(QStringLiteral("model")) || integerOption(parser, QStringLiteral("checkpoint-every")) != 0))
        throw Error(QStringLiteral("adapt: --model and --checkpoint-every are for wemoe"));
    checkCoefficientsOption(parser, call.method());
    const QString output = parser.value(QStringLiteral("output"));
    const auto compute = applyComputeOptions(parser);
    const LoadedPool pool = loadPoolVerbose(parser.positionalArguments().first());

    QString curve = QStringLiteral("step,loss");
    for (const QString &task : pool.taskNames())
        curve += QStringLiteral(",entropy_") + task;
    for (const QString &task : pool.taskNames())
        curve += QStringLiteral(",top_class_share_") + task;
    curve += QLatin1Char('\n');
    MethodRunOptions run;
    run.eval.device = compute.device;
    run.evaluate = false;
    run.keepModel = true;
    run.onStep = [&curve](const AdaptationStep &s) {
        curve += QStringLiteral("%1,%2").arg(s.step).arg(s.loss, 0, 'g', 8);
        for (double e : s.taskEntropy)
            curve += QStringLiteral(",%1").arg(e, 0, 'g', 8);
        for (double share : s.topClassShare)
            curve += QStringLiteral(",%1").arg(share, 0, 'g', 4);
        curve += QLatin1Char('\n');
    };
    if (isWemoe) {
        run.checkpointEvery = integerOption(parser, QStringLiteral("checkpoint-every"));
        run.checkpointFile = output + QStringLiteral(".routers.safetensors");
        if (parser.isSet(QStringLiteral("model"))) {
            // The model's own upscale settings hold; asking for others would be silently ignored.
            const MethodCall defaults(call.method());
            for (const char *key : {"lambda", "depth", "init_lambda", "bf16", "keep", "router"}) {
                if (call.description().parameter(QLatin1String(key))
                    && call.value(QLatin1String(key)) != defaults.value(QLatin1String(key)))
                    throw Error(QStringLiteral("adapt: --model continues a model built with its own %1; it cannot "
                                               "be changed (leave it out, or upscale afresh without --model)")
                                    .arg(QLatin1String(key)));
            }
            auto loaded = loadUpscaledModel(parser.value(QStringLiteral("model")), compute.device);
            requirePoolTasks(loaded.model, pool, parser.value(QStringLiteral("model")));
            run.startHistory = loaded.adaptation;
            run.startFrom = std::make_shared<UpscaledClipModel>(std::move(loaded.model));
        }
    }
    const MethodOutcome outcome = runMethod(call, pool, run, consoleContext(QStringLiteral("adapt")));
    finishProgress();
    if (isWemoe) {
        saveUpscaledModel(output, *outcome.wemoe, outcome.adaptation, consoleContext(QStringLiteral("save")));
    } else {
        ExportOptions exportOptions = exportOptionsFrom(parser);
        exportOptions.metadata["wemoe_method"] = outcome.label.toStdString();
        const auto learned = learnedCoefficients(outcome, pool.taskNames());
        if (learned)
            addCoefficientsToExport(exportOptions, *learned, output);
        exportCheckpoint(output, pool.pretrained, outcome.merged, exportOptions,
                         consoleContext(QStringLiteral("export")));
        finishProgress();
        writeCoefficientsOption(parser, learned);
        if (call.method() == QLatin1String("adamerging_task")) {
            QStringList lambdas;
            for (int t = 0; t < pool.taskCount(); ++t)
                lambdas << QStringLiteral("%1=%2")
                               .arg(pool.taskNames().at(t))
                               .arg(outcome.coefficients[t].item<double>(), 0, 'f', 4);
            err() << "learned λ: " << lambdas.join(QStringLiteral(", ")) << "\n";
        }
    }
    if (parser.isSet(QStringLiteral("curve")))
        writeTextFile(parser.value(QStringLiteral("curve")), curve);
    for (const QString &line : outcome.collapseWarnings)
        err() << "warning: " << line << "\n";
    err() << "wrote " << output << "\n";
    err().flush();
    return 0;
}

int runCollapse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("pool"), QStringLiteral("The model pool file (JSON)."));
    parser.addOption(
        {QStringLiteral("wemoe"), QStringLiteral("The WEMoE model file. Required."), QStringLiteral("file")});
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
    const LoadedPool pool = loadPoolVerbose(parser.positionalArguments().first(), &parser);
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
    const QStringList written = exportCollapsedModels(output, pool.pretrained, loaded.model, tasks, mean,
                                                      routingModeName(routing), exportOptions, pool.pool.path,
                                                      consoleContext(QStringLiteral("export")));
    finishProgress();
    for (const QString &folder : written)
        err() << "wrote " << folder << "\n";
    err().flush();
    return 0;
}

} // namespace wemoe::cli
