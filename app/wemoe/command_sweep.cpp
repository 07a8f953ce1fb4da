#include "cli_support.h"
#include "commands.h"
#include "method_option.h"
#include "pool_session.h"

#include "common/error.h"

#include <QtCore/QTextStream>

#include <cmath>

namespace wemoe::cli {

namespace {

// The scaling factors from..to (inclusive) by step, computed by index so that
// 0.1-steps do not drift (0.30000000000000004).
QVector<double> sweepPoints(double from, double to, double step)
{
    if (step <= 0.0)
        throw Error(QStringLiteral("--step must be positive"));
    if (to < from)
        throw Error(QStringLiteral("--to (%1) is below --from (%2)").arg(to).arg(from));
    const int count = static_cast<int>(std::floor((to - from) / step + 1e-9)) + 1;
    if (count > 1000)
        throw Error(QStringLiteral("sweep of %1 points; use a larger --step").arg(count));
    QVector<double> points;
    for (int i = 0; i < count; ++i)
        points.append(std::round((from + i * step) * 1e9) / 1e9);
    return points;
}

void setScalingFactor(MergeSpec &spec, double lambda)
{
    spec.scalingFactor = lambda;
    spec.ties.scalingFactor = lambda;
    spec.dare.scalingFactor = lambda;
    spec.dare.ties.scalingFactor = lambda;
}

} // namespace

int runSweep(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("pool"), QStringLiteral("The model pool file (JSON)."));
    parser.addOption({{QStringLiteral("m"), QStringLiteral("method")},
                      QStringLiteral("The method whose scaling factor λ is swept: task_arithmetic, ties or dare, "
                                     "with other parameters as NAME[:KEY=VALUE,...]. Default task_arithmetic."),
                      QStringLiteral("method"), QStringLiteral("task_arithmetic")});
    parser.addOption({QStringLiteral("from"), QStringLiteral("First λ. Default 0."), QStringLiteral("x"),
                      QStringLiteral("0")});
    parser.addOption({QStringLiteral("to"), QStringLiteral("Last λ (inclusive). Default 1."), QStringLiteral("x"),
                      QStringLiteral("1")});
    parser.addOption({QStringLiteral("step"), QStringLiteral("Step. Default 0.1."), QStringLiteral("x"),
                      QStringLiteral("0.1")});
    addEvalOptions(parser);
    addComputeOptions(parser);
    int exitCode = 0;
    if (!parseOrExplain(parser, arguments, QStringLiteral("sweep"),
                        QStringLiteral("Evaluate a method for every scaling factor λ in a range; the table has one "
                                       "row per λ plus the individual models (for the normalised column).\n\n")
                            + methodOptionHelp(),
                        exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1)
        throw Error(QStringLiteral("sweep: expected one pool file (see wemoe sweep --help)"));

    MergeSpec spec = parseMethodOption(parser.value(QStringLiteral("method")));
    if (spec.method != MergeSpec::Method::TaskArithmetic && spec.method != MergeSpec::Method::Ties
        && spec.method != MergeSpec::Method::Dare)
        throw Error(QStringLiteral("sweep: %1 has no scaling factor; use task_arithmetic, ties or dare")
                        .arg(MergeSpec::methodName(spec.method)));
    const auto points = sweepPoints(numberOption(parser, QStringLiteral("from")),
                                    numberOption(parser, QStringLiteral("to")),
                                    numberOption(parser, QStringLiteral("step")));
    const auto compute = applyComputeOptions(parser);
    const EvalOptions evalOptions = evalOptionsFrom(parser, compute);

    const LoadedPool pool = loadPoolVerbose(parser.positionalArguments().first());
    const PoolEvaluator evaluator(pool, evalOptions);
    AccuracyTable table(pool.taskNames());
    MergeSpec individual;
    individual.method = MergeSpec::Method::Individual;
    table.setRow(individual.label(), evaluator.evaluateMethod(individual, consoleContext(individual.label())));
    finishProgress();

    QString bestLabel;
    double bestAverage = -1.0;
    for (double lambda : points) {
        setScalingFactor(spec, lambda);
        const QString label = spec.label();
        table.setRow(label, evaluator.evaluateMethod(spec, consoleContext(label)));
        finishProgress();
        const double average = table.average(*table.row(label));
        if (average > bestAverage) {
            bestAverage = average;
            bestLabel = label;
        }
    }
    reportTable(table, parser);
    err() << "best average: " << bestLabel << " at " << QString::number(100.0 * bestAverage, 'f', 1) << " %\n";
    err().flush();
    return 0;
}

} // namespace wemoe::cli
