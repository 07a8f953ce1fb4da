// wemoe similarity: how alike the pool's task vectors are.

#include "cli_support.h"
#include "commands.h"
#include "pool_session.h"

#include "common/error.h"
#include "merge/task_vector_similarity.h"

#include <QtCore/QTextStream>

#include <torch/torch.h>

namespace wemoe::cli {

int runSimilarity(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("pool"), QStringLiteral("The model pool file (JSON)."));
    parser.addOption(
        {QStringLiteral("csv"), QStringLiteral("Also write the matrix to FILE as CSV."), QStringLiteral("file")});
    addComputeOptions(parser);
    int exitCode = 0;
    if (!parseOrExplain(parser, arguments, QStringLiteral("similarity"),
                        QStringLiteral("Print the cosine similarity of the pool's task vectors θt − θ0 (every "
                                       "mergeable tensor flattened together): task vectors that point apart are "
                                       "what a merge has to reconcile."),
                        exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1)
        throw Error(QStringLiteral("similarity: expected one pool file (see wemoe similarity --help)"));
    applyComputeOptions(parser);
    const LoadedPool pool = loadPoolVerbose(parser.positionalArguments().first());
    const torch::Tensor similarity = taskVectorSimilarity(MergeInputs{&pool.pretrained.vision, pool.taskWeights()},
                                                          consoleContext(QStringLiteral("similarity")));
    finishProgress();
    const QStringList tasks = pool.taskNames();
    const auto s = similarity.accessor<double, 2>();
    QString markdown = QStringLiteral("| task | %1 |\n|---|%2\n")
                           .arg(tasks.join(QStringLiteral(" | ")), QStringLiteral(" ---: |").repeated(tasks.size()));
    QString csv = QStringLiteral("task,%1\n").arg(tasks.join(QLatin1Char(',')));
    for (int a = 0; a < tasks.size(); ++a) {
        markdown += QStringLiteral("| %1 |").arg(tasks.at(a));
        csv += tasks.at(a);
        for (int b = 0; b < tasks.size(); ++b) {
            markdown += QStringLiteral(" %1 |").arg(s[a][b], 0, 'f', 3);
            csv += QStringLiteral(",%1").arg(s[a][b], 0, 'g', 17);
        }
        markdown += QLatin1Char('\n');
        csv += QLatin1Char('\n');
    }
    out() << markdown;
    out().flush();
    if (parser.isSet(QStringLiteral("csv")))
        writeTextFile(parser.value(QStringLiteral("csv")), csv);
    return 0;
}

} // namespace wemoe::cli
