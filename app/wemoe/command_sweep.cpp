#include "cli_support.h"
#include "commands.h"
#include "pool_session.h"

#include "common/error.h"
#include "methods/lambda_sweep.h"
#include "methods/method_run.h"

#include <QtCore/QTextStream>

namespace wemoe::cli {

int runSweep(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("pool"), QStringLiteral("The model pool file (JSON)."));
    parser.addOption({{QStringLiteral("m"), QStringLiteral("method")},
                      QStringLiteral("The method whose scaling factor λ is swept: %1, with its other parameters as "
                                     "NAME[:KEY=VALUE,...]. Default %2.")
                          .arg(sweepableMethodNames().join(QStringLiteral(", ")), LambdaSweep().method.method()),
                      QStringLiteral("method"),
                      LambdaSweep().method.method()});
    // --from, --to, --step: described by the engine (defaults, ranges).
    for (const Parameter &p : LambdaSweep::parameters())
        parser.addOption({p.key, QStringLiteral("%1 Default %2.").arg(catalogueText(p.help), p.describeDefault()),
                          QStringLiteral("x"), p.format(p.defaultValue)});
    addEvalOptions(parser);
    addComputeOptions(parser);
    int exitCode = 0;
    if (!parseOrExplain(parser, arguments, QStringLiteral("sweep"),
                        QStringLiteral("Evaluate a method for every scaling factor λ in a range; the table has one "
                                       "row per λ plus the individual models (for the normalized column).\n\n")
                            + methodSyntaxHelp({MethodDescription::Kind::Merge}),
                        exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1)
        throw Error(QStringLiteral("sweep: expected one pool file (see wemoe sweep --help)"));

    LambdaSweep sweep;
    sweep.method = MethodCall::parse(parser.value(QStringLiteral("method")));
    double *const range[] = {&sweep.from, &sweep.to, &sweep.step};
    for (int i = 0; i < 3; ++i) {
        const Parameter &p = LambdaSweep::parameters().at(i);
        try {
            *range[i] = p.parse(parser.value(p.key)).toDouble();
        } catch (const Error &e) {
            throw Error(QStringLiteral("--%1").arg(e.message()));
        }
    }
    sweep.points(); // every check before the pool loads
    const auto compute = applyComputeOptions(parser);
    MethodRunOptions run;
    run.eval = evalOptionsFrom(parser, compute);

    const LoadedPool pool = loadPoolVerbose(parser.positionalArguments().first(), &parser);
    AccuracyTable table(pool.taskNames());
    const MethodCall individual(QStringLiteral("individual"));
    table.setRow(individual.label(), runMethod(individual, pool, run, consoleContext(individual.label())).accuracy);
    finishProgress();

    QString bestLabel;
    double bestAverage = -1.0;
    runLambdaSweep(
        sweep, pool, run.eval,
        [&](double, const QString &label, const QVector<double> &accuracy) {
            table.setRow(label, accuracy);
            const double average = table.average(*table.row(label));
            if (average > bestAverage) {
                bestAverage = average;
                bestLabel = label;
            }
        },
        consoleContext(sweep.label()));
    finishProgress();
    reportTable(table, parser);
    err() << "best average: " << bestLabel << " at " << QString::number(100.0 * bestAverage, 'f', 1) << " %\n";
    err().flush();
    return 0;
}

} // namespace wemoe::cli
