#include "cli_support.h"
#include "commands.h"
#include "method_option.h"
#include "pool_session.h"

#include "common/error.h"
#include "io/checkpoint.h"

#include <QtCore/QFileInfo>
#include <QtCore/QTextStream>

namespace wemoe::cli {

int runMerge(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("pool"), QStringLiteral("The model pool file (JSON)."));
    parser.addOption({{QStringLiteral("m"), QStringLiteral("method")},
                      QStringLiteral("The merge method, NAME[:KEY=VALUE,...]. Default task_arithmetic."),
                      QStringLiteral("method"), QStringLiteral("task_arithmetic")});
    parser.addOption({QStringLiteral("evaluate"), QStringLiteral("Evaluate the merged model on the pool's tasks too.")});
    addExportOptions(parser);
    addEvalOptions(parser);
    addComputeOptions(parser);
    int exitCode = 0;
    if (!parseOrExplain(parser, arguments, QStringLiteral("merge"),
                        QStringLiteral("Merge a pool's fine-tuned models with one method and export the merged "
                                       "model as a Hugging Face folder.\n\n")
                            + methodOptionHelp(),
                        exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1)
        throw Error(QStringLiteral("merge: expected one pool file (see wemoe merge --help)"));

    const MergeSpec spec = parseMethodOption(parser.value(QStringLiteral("method")));
    if (spec.method == MergeSpec::Method::Individual)
        throw Error(QStringLiteral("merge: 'individual' is one model per task, not a merge; "
                                   "export a task's checkpoint with 'wemoe export' instead"));
    ExportOptions exportOptions = exportOptionsFrom(parser);
    const QString output = parser.value(QStringLiteral("output"));
    const auto compute = applyComputeOptions(parser);

    const LoadedPool pool = loadPoolVerbose(parser.positionalArguments().first());
    MergeInputs inputs;
    inputs.pretrained = &pool.pretrained.vision;
    inputs.finetuned = pool.taskWeights();
    const TensorMap merged = spec.merge(inputs, consoleContext(QStringLiteral("merge")));
    finishProgress();

    exportOptions.metadata["wemoe_method"] = spec.label().toStdString();
    exportOptions.metadata["wemoe_pool"] = QFileInfo(pool.pool.path).absoluteFilePath().toStdString();
    exportCheckpoint(output, pool.pretrained, merged, exportOptions, consoleContext(QStringLiteral("export")));
    finishProgress();
    err() << "merged " << pool.taskCount() << " tasks with " << spec.label() << " -> " << output << "\n";
    err().flush();

    if (parser.isSet(QStringLiteral("evaluate"))) {
        const PoolEvaluator evaluator(pool, evalOptionsFrom(parser, compute));
        AccuracyTable table(pool.taskNames());
        table.setRow(spec.label(), evaluator.evaluateModel(merged, consoleContext(QStringLiteral("eval"))));
        finishProgress();
        reportTable(table, parser);
    }
    return 0;
}

} // namespace wemoe::cli
