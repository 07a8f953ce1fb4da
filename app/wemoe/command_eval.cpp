#include "cli_support.h"
#include "commands.h"
#include "pool_session.h"

#include "common/device.h"
#include "common/error.h"
#include "io/checkpoint.h"
#include "io/hub_cache.h"
#include "methods/engine_options.h"
#include "methods/method_run.h"
#include "moe/upscaled_evaluation.h"
#include "moe/upscaled_model_file.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QTextStream>

namespace wemoe::cli {

namespace {

// Row label of an exported model: the method recorded in its metadata, if any,
// and its folder, or the hub name it was given as (a snapshot folder is a hash).
QString modelLabel(const Checkpoint &checkpoint, const QString &written)
{
    const bool fromHub = isHubName(written) && !QFileInfo::exists(written);
    const QString folder = fromHub ? written : QFileInfo(checkpoint.path).fileName();
    const auto method = checkpoint.metadata.find("wemoe_method");
    if (method == checkpoint.metadata.end())
        return QStringLiteral("model %1").arg(folder);
    return QStringLiteral("%1 [%2]").arg(QString::fromStdString(method->second), folder);
}

QString defaultMethodNames()
{
    QStringList names;
    for (const MethodCall &call : defaultMethodCalls())
        names << call.method();
    return names.join(QStringLiteral(", "));
}

// A method as written on the command line: what it parsed to, and the text (a
// row that coincides with another is told apart by it).
struct WrittenMethod
{
    MethodCall call;
    QString text;
};

} // namespace

int runEval(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("pool"), QStringLiteral("The model pool file (JSON)."));
    parser.addOption({{QStringLiteral("m"), QStringLiteral("method")},
                      QStringLiteral("A method to evaluate, NAME[:KEY=VALUE,...] (repeatable). Default: %1.")
                          .arg(defaultMethodNames()),
                      QStringLiteral("method")});
    parser.addOption({QStringLiteral("model"),
                      QStringLiteral("Also evaluate an exported model folder, or a Hugging Face name "
                                     "(ORG/NAME[@REVISION]) in the local cache (repeatable). With --model and no "
                                     "--method, only individual and the models are evaluated."),
                      QStringLiteral("folder")});
    parser.addOption({QStringLiteral("wemoe"),
                      QStringLiteral("Also evaluate a WEMoE model file written by 'wemoe upscale' or 'wemoe adapt' "
                                     "(repeatable)."),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("routing"),
                      QStringLiteral("Routing of --wemoe models: sample (per-sample, the paper's method) or batch "
                                     "(weights averaged over each batch). Default sample."),
                      QStringLiteral("mode"), QStringLiteral("sample")});
    parser.addOption({QStringLiteral("capture"),
                      QStringLiteral("Record the routing weights of the first WEMoE row per image and layer into "
                                     "BASE.safetensors, BASE.csv and BASE-summary.csv."),
                      QStringLiteral("base")});
    addEvalOptions(parser);
    addComputeOptions(parser);
    int exitCode = 0;
    if (!parseOrExplain(parser, arguments, QStringLiteral("eval"),
                        QStringLiteral("Evaluate merge methods and models on every task of a pool and print the "
                                       "accuracy table (tasks x methods, average, normalized = the mean over tasks "
                                       "of merged / individual accuracy).\n\n")
                            + methodSyntaxHelp({MethodDescription::Kind::Reference, MethodDescription::Kind::Merge,
                                                MethodDescription::Kind::DataMerge, MethodDescription::Kind::Adaptive}),
                        exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1)
        throw Error(QStringLiteral("eval: expected one pool file (see wemoe eval --help)"));

    const QStringList modelFolders = parser.values(QStringLiteral("model"));
    const QStringList wemoeFiles = parser.values(QStringLiteral("wemoe"));
    // Every method is parsed before any work starts, so a typo costs nothing.
    QVector<WrittenMethod> staticMethods;
    QVector<WrittenMethod> adaptiveMethods;
    QStringList methodTexts = parser.values(QStringLiteral("method"));
    if (methodTexts.isEmpty()) {
        if (modelFolders.isEmpty() && wemoeFiles.isEmpty()) {
            for (const MethodCall &call : defaultMethodCalls())
                methodTexts << call.text();
        } else {
            methodTexts << QStringLiteral("individual");
        }
    }
    for (const QString &text : methodTexts) {
        WrittenMethod method{MethodCall::parse(text), text};
        (method.call.description().adapts() ? adaptiveMethods : staticMethods).append(method);
    }
    const RoutingMode routing = parseRoutingMode(parser.value(QStringLiteral("routing")));
    const QString captureBase = parser.value(QStringLiteral("capture"));
    RoutingCapture capture;
    bool captured = false;
    const auto compute = applyComputeOptions(parser);
    MethodRunOptions run;
    run.eval = evalOptionsFrom(parser, compute);

    const LoadedPool pool = loadPoolVerbose(parser.positionalArguments().first(), &parser);
    std::vector<Checkpoint> models;
    QStringList modelLabels;
    for (const QString &folder : modelFolders) {
        models.push_back(pool.loadModel(resolveModelLocation(folder, QDir::currentPath())));
        modelLabels << modelLabel(models.back(), folder);
    }
    err() << "device: " << describeDevice(run.eval.device) << ", " << compute.threads << " threads\n";

    // Rows: the static methods, the exported models, the adaptive methods, the WEMoE files.
    AccuracyTable table(pool.taskNames());
    for (const WrittenMethod &method : staticMethods) {
        const QString label = method.call.label();
        table.setRow(label, runMethod(method.call, pool, run, consoleContext(label)).accuracy);
        finishProgress();
    }
    if (!models.empty()) {
        const PoolEvaluator evaluator(pool, run.eval);
        for (size_t m = 0; m < models.size(); ++m) {
            const QString &label = modelLabels.at(static_cast<qsizetype>(m));
            table.setRow(label, evaluator.evaluateModel(models[m].vision, consoleContext(label)));
            finishProgress();
        }
    }
    for (const WrittenMethod &method : adaptiveMethods) {
        MethodRunOptions adaptive = run;
        adaptive.captureRouting = !captureBase.isEmpty() && !captured && method.call.description().upscales;
        QString label = method.call.label();
        // Two runs that differ only in what the label leaves out (batch, seed) would share a row.
        if (table.row(label) != nullptr)
            label += QStringLiteral(" [%1]").arg(method.text);
        MethodOutcome outcome = runMethod(method.call, pool, adaptive, consoleContext(label));
        finishProgress();
        table.setRow(label, outcome.accuracy);
        for (const QString &line : outcome.collapseWarnings)
            err() << "warning: " << label << ": " << line << "\n";
        if (adaptive.captureRouting) {
            capture = std::move(outcome.capture);
            captured = true;
        }
    }
    for (const QString &file : wemoeFiles) {
        const auto loaded = loadUpscaledModel(file, run.eval.device);
        if (loaded.model.taskNames() != pool.taskNames())
            throw Error(file, QStringLiteral("its experts are the tasks %1, the pool's are %2")
                                  .arg(loaded.model.taskNames().join(QStringLiteral(", ")),
                                       pool.taskNames().join(QStringLiteral(", "))));
        QString label = upscaledLabel(loaded.model.options(), routing, loaded.adaptation);
        // Two files adapted alike (say, at two learning rates) would share a label and one row.
        if (table.row(label) != nullptr)
            label += QStringLiteral(" [%1]").arg(QFileInfo(file).fileName());
        const bool wantCapture = !captureBase.isEmpty() && !captured;
        auto result = evaluateUpscaled(loaded.model, pool, routing, run.eval.batchSize, wantCapture,
                                       consoleContext(label));
        table.setRow(label, result.accuracy);
        if (wantCapture) {
            capture = std::move(result.capture);
            captured = true;
        }
        finishProgress();
    }
    reportTable(table, parser);
    if (!captureBase.isEmpty()) {
        if (!captured)
            throw Error(QStringLiteral("--capture: no WEMoE row was evaluated (add -m wemoe or --wemoe FILE)"));
        capture.save(captureBase);
        writeTextFile(captureBase + QStringLiteral("-summary.csv"), capture.summaryCsv());
        err() << "routing weights: " << captureBase << ".safetensors, .csv, -summary.csv\n";
        err().flush();
    }
    return 0;
}

} // namespace wemoe::cli
