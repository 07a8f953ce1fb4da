// wemoe-bench: speed of the weight-ensembling MLP against the naive per-sample
// loop and the dense MLP, printed as a Markdown table.

#include "bench_harness.h"
#include "mlp_bench.h"

#include "common/device.h"
#include "common/error.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>

#include <torch/torch.h>

#include <cstdio>

namespace {

std::vector<int64_t> parsePositiveList(const QString &option, const QString &text)
{
    std::vector<int64_t> batches;
    for (const auto &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const auto b = part.trimmed().toLongLong(&ok);
        if (!ok || b < 1)
            throw wemoe::Error(QStringLiteral("--%1: '%2' is not a positive integer").arg(option, part));
        batches.push_back(b);
    }
    return batches;
}

int positiveOption(const QCommandLineParser &parser, const QString &name, int minimum)
{
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok || value < minimum)
        throw wemoe::Error(QStringLiteral("--%1: '%2' must be an integer >= %3").arg(name, parser.value(name)).arg(minimum));
    return value;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("wemoe-bench"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Times one transformer block's weight-ensembling MLP (ViT-B/32 sizes, random weights): the naive per-sample "
        "loop, batched per-sample routing (each strategy and the cost model's choice), batch_reduce and the dense MLP."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("threads"), QStringLiteral("Intra-op threads (0 = all cores)."), QStringLiteral("n"), QStringLiteral("0")},
        {QStringLiteral("batches"), QStringLiteral("Forward batch sizes."), QStringLiteral("list"), QStringLiteral("1,16,64")},
        {QStringLiteral("backward-batch"), QStringLiteral("Batch of the forward+backward measurement (0 = skip)."),
         QStringLiteral("n"), QStringLiteral("16")},
        {QStringLiteral("repeats"), QStringLiteral("Timed calls per measurement (median reported)."), QStringLiteral("n"),
         QStringLiteral("5")},
        {QStringLiteral("warmup"), QStringLiteral("Untimed calls before timing."), QStringLiteral("n"), QStringLiteral("1")},
        {QStringLiteral("tokens"), QStringLiteral("Tokens per image."), QStringLiteral("n"), QStringLiteral("50")},
        {QStringLiteral("experts"), QStringLiteral("Experts (task vectors)."), QStringLiteral("n"), QStringLiteral("8")},
        {QStringLiteral("router-depth"), QStringLiteral("Router depth 0, 1 or 2."), QStringLiteral("n"), QStringLiteral("2")},
        {QStringLiteral("no-bf16"), QStringLiteral("Skip the bfloat16 task-vector variant.")},
        {QStringLiteral("parts"), QStringLiteral("Also time the parts of the forward (router, each linear) at the backward batch.")},
        {QStringLiteral("chunk-sweep"), QStringLiteral("Also time merge-row-chunks with these chunk budgets in MB (at the backward batch)."),
         QStringLiteral("list"), QString()},
    });
    parser.process(app);

    QTextStream out(stdout);
    try {
        const int threads = wemoe::configureThreads(positiveOption(parser, QStringLiteral("threads"), 0));
        wemoe::bench::MlpBenchConfig config;
        config.tokens = positiveOption(parser, QStringLiteral("tokens"), 1);
        config.experts = positiveOption(parser, QStringLiteral("experts"), 1);
        config.routerDepth = positiveOption(parser, QStringLiteral("router-depth"), 0);
        config.withBf16 = !parser.isSet(QStringLiteral("no-bf16"));
        wemoe::bench::TimingOptions timing;
        timing.repeats = positiveOption(parser, QStringLiteral("repeats"), 1);
        timing.warmup = positiveOption(parser, QStringLiteral("warmup"), 0);
        const auto batches = parsePositiveList(QStringLiteral("batches"), parser.value(QStringLiteral("batches")));
        const int backwardBatch = positiveOption(parser, QStringLiteral("backward-batch"), 0);

        std::fprintf(stderr, "building random MLP weights...\n");
        wemoe::bench::MlpBench bench(config);
        wemoe::bench::ResultTable table(timing);
        table.setBaselines({QString::fromLatin1(wemoe::bench::kNaiveReference), QString::fromLatin1(wemoe::bench::kNaiveLoop),
                            QString::fromLatin1(wemoe::bench::kDense)});
        for (const auto batch : batches)
            bench.measureForward(table, batch);
        if (backwardBatch > 0)
            bench.measureForwardBackward(table, backwardBatch);
        if (parser.isSet(QStringLiteral("parts")))
            bench.measureComponents(table, backwardBatch > 0 ? backwardBatch : 16);
        if (parser.isSet(QStringLiteral("chunk-sweep")))
            bench.measureChunkBudgets(table, backwardBatch > 0 ? backwardBatch : 16,
                                      parsePositiveList(QStringLiteral("chunk-sweep"), parser.value(QStringLiteral("chunk-sweep"))));

        out << "## One block's MLP: D " << config.hidden << ", MLP " << config.intermediate << ", " << config.tokens
            << " tokens, " << config.experts << " experts, router depth " << config.routerDepth << "\n\n";
        out << "CPU, " << threads << " thread(s), median of " << timing.repeats << " after " << timing.warmup
            << " warm-up call(s); images/s and the ratios use the median. Images/s count images through this one MLP "
               "(router included); \"× vs\" = how many times faster than that row.\n\n";
        table.printMarkdown(out);
        return 0;
    } catch (const wemoe::Error &e) {
        QTextStream(stderr) << "wemoe-bench: " << e.message() << "\n";
        return 1;
    } catch (const std::exception &e) {
        QTextStream(stderr) << "wemoe-bench: " << e.what() << "\n";
        return 1;
    }
}
