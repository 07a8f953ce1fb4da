#include "methods_bench.h"

#include "common/error.h"
#include "demo/synthetic_pool.h"
#include "methods/method_catalogue.h"
#include "methods/method_run.h"
#include "pool/loaded_pool.h"

#include <QtCore/QTemporaryDir>

namespace wemoe::bench {

void runMethodsBench(const QStringList &methods, int tasks, int adaptSteps, const TimingOptions &timing,
                     QTextStream &out)
{
    QVector<MethodCall> calls;
    const QStringList texts = methods.isEmpty() ? methodNames() : methods;
    for (const QString &text : texts) {
        MethodCall call = MethodCall::parse(text);
        if (call.description().adapts() && !text.contains(QStringLiteral("steps=")))
            call.set(QStringLiteral("steps"), adaptSteps);
        // The generated pool has test images only: the merges from data read those.
        if (call.description().kind == MethodDescription::Kind::DataMerge && !text.contains(QStringLiteral("data=")))
            call.set(QStringLiteral("data"), QStringLiteral("test"));
        calls.append(call);
    }
    QTemporaryDir dir;
    if (!dir.isValid())
        throw Error(QStringLiteral("methods bench: cannot create a temporary folder"));
    SyntheticPoolOptions options;
    options.tasks = tasks;
    const LoadedPool pool = LoadedPool::load(writeSyntheticPool(dir.filePath(QStringLiteral("pool")), options));
    const PoolEvaluator evaluator(pool, EvalOptions{});
    const qint64 images = evaluator.totalImages();

    ResultTable table(timing);
    for (const MethodCall &call : calls) {
        MethodRunOptions run;
        table.measure(QStringLiteral("runMethod, %1 tasks, %2 test images").arg(tasks).arg(images), call.label(),
                      images, [&] { runMethod(call, pool, run); });
    }
    out << "## Methods end to end (runMethod on a generated pool: " << pool.pretrained.config.describe() << ")\n\n"
        << "Images/s counts the test images evaluated per run; adaptive methods also adapt first.\n\n";
    table.printMarkdown(out);
}

} // namespace wemoe::bench
