#include "cli_support.h"
#include "commands.h"
#include "method_option.h"
#include "pool_session.h"

#include "common/device.h"
#include "common/error.h"
#include "io/checkpoint.h"

#include <QtCore/QFileInfo>
#include <QtCore/QTextStream>

namespace wemoe::cli {

namespace {

const QStringList kDefaultMethods{QStringLiteral("pretrained"),     QStringLiteral("individual"),
                                  QStringLiteral("simple_average"), QStringLiteral("task_arithmetic"),
                                  QStringLiteral("ties"),           QStringLiteral("dare")};

// Row label of an exported model: the method recorded in its metadata, if any, and its folder.
QString modelLabel(const Checkpoint &checkpoint)
{
    const QString folder = QFileInfo(checkpoint.path).fileName();
    const auto method = checkpoint.metadata.find("wemoe_method");
    if (method == checkpoint.metadata.end())
        return QStringLiteral("model %1").arg(folder);
    return QStringLiteral("%1 [%2]").arg(QString::fromStdString(method->second), folder);
}

} // namespace

int runEval(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("pool"), QStringLiteral("The model pool file (JSON)."));
    parser.addOption({{QStringLiteral("m"), QStringLiteral("method")},
                      QStringLiteral("A method to evaluate, NAME[:KEY=VALUE,...] (repeatable). Default: %1.")
                          .arg(kDefaultMethods.join(QStringLiteral(", "))),
                      QStringLiteral("method")});
    parser.addOption({QStringLiteral("model"),
                      QStringLiteral("Also evaluate an exported model folder (repeatable). With --model and no "
                                     "--method, only individual and the models are evaluated."),
                      QStringLiteral("folder")});
    addEvalOptions(parser);
    addComputeOptions(parser);
    int exitCode = 0;
    if (!parseOrExplain(parser, arguments, QStringLiteral("eval"),
                        QStringLiteral("Evaluate merge methods and models on every task of a pool and print the "
                                       "accuracy table (tasks x methods, average, normalised = merged / "
                                       "individual).\n\n")
                            + methodOptionHelp(),
                        exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1)
        throw Error(QStringLiteral("eval: expected one pool file (see wemoe eval --help)"));

    QStringList methodTexts = parser.values(QStringLiteral("method"));
    const QStringList modelFolders = parser.values(QStringLiteral("model"));
    if (methodTexts.isEmpty())
        methodTexts = modelFolders.isEmpty() ? kDefaultMethods : QStringList{QStringLiteral("individual")};
    QVector<MergeSpec> specs;
    for (const QString &text : methodTexts)
        specs.append(parseMethodOption(text)); // all parsed before any work starts
    const auto compute = applyComputeOptions(parser);
    const EvalOptions evalOptions = evalOptionsFrom(parser, compute);

    const LoadedPool pool = loadPoolVerbose(parser.positionalArguments().first());
    std::vector<Checkpoint> models;
    for (const QString &folder : modelFolders) {
        models.push_back(Checkpoint::load(folder));
        requireSameArchitecture(pool.pretrained, models.back());
    }
    const PoolEvaluator evaluator(pool, evalOptions);
    err() << "device: " << describeDevice(evalOptions.device) << ", " << compute.threads << " threads\n";

    AccuracyTable table(pool.taskNames());
    for (const MergeSpec &spec : specs) {
        table.setRow(spec.label(), evaluator.evaluateMethod(spec, consoleContext(spec.label())));
        finishProgress();
    }
    for (const Checkpoint &model : models) {
        const QString label = modelLabel(model);
        table.setRow(label, evaluator.evaluateModel(model.vision, consoleContext(label)));
        finishProgress();
    }
    reportTable(table, parser);
    return 0;
}

} // namespace wemoe::cli
