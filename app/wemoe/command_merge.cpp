#include "adamerging_export.h"
#include "cli_support.h"
#include "commands.h"
#include "pool_session.h"

#include "common/error.h"
#include "io/checkpoint.h"
#include "methods/method_run.h"

#include <QtCore/QFileInfo>
#include <QtCore/QTextStream>

namespace wemoe::cli {

int runMerge(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("pool"), QStringLiteral("The model pool file (JSON)."));
    parser.addOption({{QStringLiteral("m"), QStringLiteral("method")},
                      QStringLiteral("The merge method, NAME[:KEY=VALUE,...]: a static merge or AdaMerging (learned "
                                     "on the pool's unlabeled test images first). Default task_arithmetic."),
                      QStringLiteral("method"),
                      QStringLiteral("task_arithmetic")});
    parser.addOption(
        {QStringLiteral("evaluate"), QStringLiteral("Evaluate the merged model on the pool's tasks too.")});
    addExportOptions(parser);
    addCoefficientsOption(parser);
    addEvalOptions(parser);
    addComputeOptions(parser);
    int exitCode = 0;
    if (!parseOrExplain(parser, arguments, QStringLiteral("merge"),
                        QStringLiteral("Merge a pool's fine-tuned models with one method and export the merged "
                                       "model as a Hugging Face folder.\n\n")
                            + methodSyntaxHelp({MethodDescription::Kind::Reference, MethodDescription::Kind::Merge,
                                                MethodDescription::Kind::DataMerge, MethodDescription::Kind::Adaptive})
                            + QStringLiteral("(wemoe is no plain model: build it with 'wemoe adapt', fold it with "
                                             "'wemoe collapse'.)"),
                        exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1)
        throw Error(QStringLiteral("merge: expected one pool file (see wemoe merge --help)"));

    const MethodCall call = MethodCall::parse(parser.value(QStringLiteral("method")));
    if (!call.description().buildsOneModel)
        throw Error(QStringLiteral("merge: '%1' is one model per task, not a merge; "
                                   "export a task's checkpoint with 'wemoe export' instead")
                        .arg(call.method()));
    if (call.description().upscales)
        throw Error(QStringLiteral("merge: WEMoE is no plain model; build it with 'wemoe adapt' (and fold it into "
                                   "per-task models with 'wemoe collapse')"));
    checkCoefficientsOption(parser, call.method());
    ExportOptions exportOptions = exportOptionsFrom(parser);
    const QString output = parser.value(QStringLiteral("output"));
    const auto compute = applyComputeOptions(parser);
    MethodRunOptions run;
    run.eval = evalOptionsFrom(parser, compute);
    run.evaluate = false; // the file first: an evaluation that fails or is cancelled leaves the export
    run.keepModel = true;

    const LoadedPool pool = loadPoolVerbose(parser.positionalArguments().first(), &parser);
    const MethodOutcome merged = runMethod(call, pool, run, consoleContext(QStringLiteral("merge")));
    finishProgress();

    exportOptions.metadata["wemoe_method"] = merged.label.toStdString();
    exportOptions.metadata["wemoe_pool"] = QFileInfo(pool.pool.path).absoluteFilePath().toStdString();
    const auto learned = learnedCoefficients(merged, pool.taskNames());
    if (learned)
        addCoefficientsToExport(exportOptions, *learned, output);
    exportCheckpoint(output, pool.pretrained, merged.merged, exportOptions, consoleContext(QStringLiteral("export")));
    finishProgress();
    writeCoefficientsOption(parser, learned);
    err() << "merged " << pool.taskCount() << " tasks with " << merged.label << " -> " << output << "\n";
    err().flush();

    if (parser.isSet(QStringLiteral("evaluate"))) {
        const PoolEvaluator evaluator(pool, run.eval);
        AccuracyTable table(pool.taskNames());
        table.setRow(merged.label, evaluator.evaluateModel(merged.merged, consoleContext(QStringLiteral("eval"))));
        finishProgress();
        reportTable(table, parser);
    }
    return 0;
}

} // namespace wemoe::cli
