// wemoe-bench: speed (and peak memory) of WEMoE's weight-ensembling MLPs,
// printed as Markdown. --level mlp: one block's MLP, every kernel strategy;
// --level model: the full ViT, naive loop vs ours vs batch_reduce vs dense,
// plus one adaptation step; --memory: peak resident memory of adaptation,
// one fresh child process per configuration; --level io: what writing a
// checkpoint safely (checked writes, fsync, rename) costs over bare writes;
// --level text: CLIP's text tower, and building the eight tasks' heads;
// --level data: test images decoded and preprocessed, serial vs parallel;
// --level ewemoe: E-WEMoE against WEMoE, task-vector memory and speed;
// --level kernel: our per-sample matmuls against a dense GEMM, one thread.

#include "bench_harness.h"
#include "data_bench.h"
#include "ewemoe_bench.h"
#include "io_bench.h"
#include "kernel_bench.h"
#include "machine_info.h"
#include "memory_probe.h"
#include "methods_bench.h"
#include "mlp_bench.h"
#include "model_bench.h"
#include "text_bench.h"

#include "common/device.h"
#include "common/error.h"
#include "common/freed_memory.h"
#include "io/atomic_file.h"
#include "model/random_weights.h"
#include "text/random_text_weights.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QTextStream>

#include <torch/torch.h>

#include <cstdio>
#include <limits>

namespace {

using namespace wemoe::bench;

std::vector<int64_t> parsePositiveList(const QString &option, const QString &text)
{
    std::vector<int64_t> values;
    for (const auto &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const auto b = part.trimmed().toLongLong(&ok);
        if (!ok || b < 1)
            throw wemoe::Error(QStringLiteral("--%1: '%2' is not a positive integer").arg(option, part));
        values.push_back(b);
    }
    return values;
}

int positiveOption(const QCommandLineParser &parser, const QString &name, int minimum)
{
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok || value < minimum)
        throw wemoe::Error(
            QStringLiteral("--%1: '%2' must be an integer >= %3").arg(name, parser.value(name)).arg(minimum));
    return value;
}

void addOptions(QCommandLineParser &parser)
{
    const auto option = [](const char *name, const char *help, const char *value = nullptr,
                           const char *fallback = nullptr) {
        return value ? QCommandLineOption(QString::fromLatin1(name), QString::fromUtf8(help),
                                          QString::fromLatin1(value), QString::fromLatin1(fallback))
                     : QCommandLineOption(QString::fromLatin1(name), QString::fromUtf8(help));
    };
    parser.addOptions({
        option("level",
               "What to time: mlp (one block's MLP, every strategy), model (the full ViT), io (writing a "
               "checkpoint), methods (every method end to end), text (CLIP's text tower), data (decoding test "
               "images), ewemoe (E-WEMoE against WEMoE: task-vector memory, forward and adaptation speed), kernel "
               "(our per-sample matmuls against a dense GEMM, one thread), all, or none (with --memory: memory "
               "only).",
               "mlp|model|io|methods|text|data|ewemoe|kernel|all|none", "mlp"),
        option("keep", "E-WEMoE level: the share of each MLP task-vector tensor kept.", "ratio", "0.1"),
        option("method",
               "Methods level: a method to run, NAME[:KEY=VALUE,...] (repeatable; default: every method "
               "of the catalogue).",
               "method"),
        option("tasks", "Methods level: tasks of the generated pool.", "n", "3"),
        option("adapt-steps", "Methods level: steps of the adaptive methods unless a method says otherwise.", "n",
               "20"),
        option("io-folder", "IO level: the folder (file system) to write into.", "folder",
               QDir::tempPath().toUtf8().constData()),
        option("data-images", "Data level: generated JPEGs (500 x 375) to decode.", "n", "256"),
        option("eval-images", "Data level: images of the evaluation loop, decoded in turn and prefetched (0 = skip).",
               "n", "64"),
        option("parquet",
               "Data level: Parquet test data to time instead of the generated file (a path or "
               "ORG/NAME:SPLIT).",
               "source", ""),
        option("threads", "Intra-op threads (0 = all cores).", "n", "0"),
        option("batches", "Forward batch sizes.", "list", "1,16,64"),
        option("repeats", "Timed calls per measurement (median reported).", "n", "5"),
        option("warmup", "Untimed calls before timing.", "n", "1"),
        option("experts", "Experts (task vectors).", "n", "8"),
        option("router-depth", "Router depth 0, 1 or 2.", "n", "2"),
        option("no-bf16", "Skip the bfloat16 task-vector variants."),
        option("glibc-malloc-defaults",
               "Leave glibc's malloc thresholds as they are instead of keeping freed memory for reuse as the apps "
               "do (to measure what that saves)."),
        option("tiny", "Tiny sizes (a smoke test that the benchmark runs, not a measurement)."),
        option("output", "Also write the Markdown report to this file.", "file", ""),
        // One block's MLP.
        option("tokens", "MLP level: tokens per image.", "n", "50"),
        option("backward-batch", "MLP level: batch of the forward+backward measurement (0 = skip).", "n", "16"),
        option("parts", "MLP level: also time the parts of the forward (router, each linear) at the backward batch."),
        option("chunk-sweep",
               "MLP level: also time merge-row-chunks with these chunk budgets in MB (at the backward batch).", "list",
               ""),
        // The full model.
        option("adapt-batch", "Model level: batch of the adaptation step (0 = skip).", "n", "16"),
        option("profile",
               "Model level: also take the adaptation step apart at --adapt-batch: each phase's median (forward, "
               "entropy, backward, Adam) and one step op by op, per-sample and batch_reduce."),
        option("step-rounds",
               "Model level: rounds of the adaptation step ÷ dense forward, timed in turn at --adapt-batch (0 = "
               "skip).",
               "n", "5"),
        option("naive-adapt-batch",
               "Model level: batch of the naive loop's adaptation step (0 = skip; its graph holds "
               "~3.7 GB per image at ViT-B/32 size).",
               "n", "2"),
        option("slow-repeats",
               "Model level: timed calls, without warm-up, for the naive loop from batch 16 on and its "
               "adaptation step.",
               "n", "1"),
        // CLIP's text tower.
        option("text-batches", "Text level: prompts per forward pass.", "list", "64,256"),
        option("text-batch-tokens",
               "Text level: most tokens per forward pass, one measurement each (the first also for the "
               "class-ordered heads; 0 = no cap).",
               "list", "2048"),
        option("prompt-lengths", "Text level: tokens per prompt (start and end tokens included).", "list", "12,20,77"),
        option("heads-repeats", "Text level: timed calls encoding the eight tasks' heads (no warm-up; 0 = skip).", "n",
               "1"),
        option("memory", "Peak resident memory of adaptation (fp32 and bf16 τ), each in a fresh child process."),
        option("memory-naive", "With --memory: the naive loop's adaptation too (several GB)."),
        option("memory-adamerging",
               "With --memory: AdaMerging's layer-wise steps too (--experts tasks at --adapt-batch images), joint "
               "backward (the old way, ~9 GB at ViT-B/32 with 8 tasks) and task by task."),
        option("memory-steps", "With --memory: adaptation steps per child.", "n", "2"),
    });
    QCommandLineOption child(QStringLiteral("memory-child"), QStringLiteral("Internal: one memory measurement."),
                             QStringLiteral("configuration"));
    child.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(child);
}

RandomModelConfig modelConfig(const QCommandLineParser &parser)
{
    RandomModelConfig config;
    if (parser.isSet(QStringLiteral("tiny")))
        config.vit = wemoe::tinyClipConfig();
    config.experts = positiveOption(parser, QStringLiteral("experts"), 1);
    config.routerDepth = positiveOption(parser, QStringLiteral("router-depth"), 0);
    return config;
}

// The arguments a memory child needs to build the same model.
QStringList childArguments(const QCommandLineParser &parser)
{
    QStringList args;
    for (const char *name : {"threads", "experts", "router-depth", "adapt-batch", "memory-steps"})
        args << QStringLiteral("--%1").arg(QString::fromLatin1(name)) << parser.value(QString::fromLatin1(name));
    for (const char *flag : {"tiny", "glibc-malloc-defaults"})
        if (parser.isSet(QString::fromLatin1(flag)))
            args << QStringLiteral("--%1").arg(QString::fromLatin1(flag));
    return args;
}

void runMlpLevel(const QCommandLineParser &parser, const TimingOptions &timing, QTextStream &out)
{
    MlpBenchConfig config;
    if (parser.isSet(QStringLiteral("tiny"))) {
        config.hidden = 32;
        config.intermediate = 64;
    }
    config.tokens = positiveOption(parser, QStringLiteral("tokens"), 1);
    config.experts = positiveOption(parser, QStringLiteral("experts"), 1);
    config.routerDepth = positiveOption(parser, QStringLiteral("router-depth"), 0);
    config.withBf16 = !parser.isSet(QStringLiteral("no-bf16"));
    const auto batches = parsePositiveList(QStringLiteral("batches"), parser.value(QStringLiteral("batches")));
    const int backwardBatch = positiveOption(parser, QStringLiteral("backward-batch"), 0);

    std::fprintf(stderr, "building random MLP weights...\n");
    MlpBench bench(config);
    ResultTable table(timing);
    table.setBaselines({QString::fromUtf8(kNaiveReference), QString::fromUtf8(kNaiveLoop), QString::fromUtf8(kDense)});
    for (const auto batch : batches)
        bench.measureForward(table, batch);
    if (backwardBatch > 0)
        bench.measureForwardBackward(table, backwardBatch);
    if (parser.isSet(QStringLiteral("parts")))
        bench.measureComponents(table, backwardBatch > 0 ? backwardBatch : 16);
    if (parser.isSet(QStringLiteral("chunk-sweep")))
        bench.measureChunkBudgets(
            table, backwardBatch > 0 ? backwardBatch : 16,
            parsePositiveList(QStringLiteral("chunk-sweep"), parser.value(QStringLiteral("chunk-sweep"))));

    out << "## One block's MLP: D " << config.hidden << ", MLP " << config.intermediate << ", " << config.tokens
        << " tokens, " << config.experts << " experts, router depth " << config.routerDepth << "\n\n";
    out << "Median of " << timing.repeats << " after " << timing.warmup
        << " warm-up call(s); images/s and the ratios use the median. Images/s count images through this one MLP "
           "(router included); \"× vs\" = how many times faster than that row.\n\n";
    table.printMarkdown(out);
}

// "b/a 3.52 (target ≥ 3: met)" style summary of the model table at every batch.
void printModelRatios(const ResultTable &table, const QString &group, const std::vector<int64_t> &batches,
                      QTextStream &out)
{
    out << "\n| batch | (b)/(a) speed-up over the naive loop | (d)/(b) dense is this many times faster | targets |\n"
           "| ---: | ---: | ---: | --- |\n";
    for (const auto batch : batches) {
        const auto *a = table.find(group, QString::fromUtf8(kModelNaive), batch);
        const auto *b = table.find(group, QString::fromUtf8(kModelPerSample), batch);
        const auto *d = table.find(group, QString::fromUtf8(kModelDense), batch);
        if (!a || !b || !d)
            continue;
        const double ba = a->seconds / b->seconds, db = b->seconds / d->seconds;
        QString targets = QStringLiteral("(b) within 2× of (d): %1")
                              .arg(db <= 2.0 ? QStringLiteral("met") : QStringLiteral("missed"));
        if (batch == 16)
            targets =
                QStringLiteral("(b) ≥ 3× (a): %1; ").arg(ba >= 3.0 ? QStringLiteral("met") : QStringLiteral("missed"))
                + targets;
        out << "| " << batch << " | " << QString::number(ba, 'f', 2) << " | " << QString::number(db, 'f', 2) << " | "
            << targets << " |\n";
    }
}

void runModelLevel(const QCommandLineParser &parser, const TimingOptions &timing, QTextStream &out)
{
    ModelBenchOptions options;
    options.model = modelConfig(parser);
    options.withBf16 = !parser.isSet(QStringLiteral("no-bf16"));
    options.slowTiming = TimingOptions{0, positiveOption(parser, QStringLiteral("slow-repeats"), 1)};
    const auto batches = parsePositiveList(QStringLiteral("batches"), parser.value(QStringLiteral("batches")));
    const int adaptBatch = positiveOption(parser, QStringLiteral("adapt-batch"), 0);

    ModelBench bench(options);
    ResultTable table(timing);
    table.setBaselines({QString::fromUtf8(kModelNaive), QString::fromUtf8(kModelDense)});
    for (const auto batch : batches)
        bench.measureForward(table, batch);
    if (adaptBatch > 0)
        bench.measureAdaptation(table, adaptBatch, positiveOption(parser, QStringLiteral("naive-adapt-batch"), 0));

    const auto &vit = options.model.vit;
    out << "## The full ViT: " << vit.describe() << ", " << options.model.experts << " experts, router depth "
        << options.model.routerDepth << ", random weights\n\n";
    out << "Median of " << timing.repeats << " after " << timing.warmup
        << " warm-up call(s), except where \"calls\" says " << options.slowTiming.repeats
        << ": the naive loop from batch " << kSlowBatch << " on and its adaptation step are timed "
        << options.slowTiming.repeats
        << " time(s) without warm-up (one call takes a minute or more). The adaptation step is one task's batch: "
           "forward, mean prediction entropy through a random 10-class head, backward into the "
        << vit.numHiddenLayers
        << " routers, Adam; a WEMoE step over T tasks is T of these. \"× vs\" = how many times faster than that "
           "row.\n\n";
    table.printMarkdown(out);
    printModelRatios(table, QStringLiteral("forward, %1 blocks").arg(vit.numHiddenLayers), batches, out);
    const int stepRounds = positiveOption(parser, QStringLiteral("step-rounds"), 0);
    if (adaptBatch > 0 && stepRounds > 0)
        bench.measureStepRatios(adaptBatch, TimingOptions{timing.warmup, stepRounds}, out);
    if (parser.isSet(QStringLiteral("profile")) && adaptBatch > 0)
        bench.profileAdaptation(adaptBatch, timing, out);
}

void runTextLevel(const QCommandLineParser &parser, const TimingOptions &timing, QTextStream &out)
{
    TextBenchOptions options;
    if (parser.isSet(QStringLiteral("tiny")))
        options.config = wemoe::tinyClipTextConfig();
    else
        options.config.eosTokenId = wemoe::ClipTextConfig::kLegacyEosTokenId; // as openai's ViT-B/32 config
    options.batches = parsePositiveList(QStringLiteral("text-batches"), parser.value(QStringLiteral("text-batches")));
    options.batchTokens.clear();
    for (const auto &part : parser.value(QStringLiteral("text-batch-tokens")).split(QLatin1Char(','))) {
        bool ok = false;
        const int cap = part.trimmed().toInt(&ok);
        if (!ok || cap < 0)
            throw wemoe::Error(QStringLiteral("--text-batch-tokens: '%1' is not a token count").arg(part));
        options.batchTokens.push_back(cap == 0 ? std::numeric_limits<int>::max() : cap);
    }
    options.lengths = parsePositiveList(QStringLiteral("prompt-lengths"),
                                        parser.value(QStringLiteral("prompt-lengths")));
    options.headsTiming = TimingOptions{0, positiveOption(parser, QStringLiteral("heads-repeats"), 0)};
    runTextBench(options, timing, out);
}

void runEwemoeLevel(const QCommandLineParser &parser, const TimingOptions &timing, QTextStream &out)
{
    EwemoeBenchOptions options;
    options.model = modelConfig(parser);
    bool ok = false;
    options.keepRatio = parser.value(QStringLiteral("keep")).toDouble(&ok);
    if (!ok || !(options.keepRatio > 0.0 && options.keepRatio <= 1.0))
        throw wemoe::Error(
            QStringLiteral("--keep: '%1' is not a ratio in (0, 1]").arg(parser.value(QStringLiteral("keep"))));
    options.batches = parsePositiveList(QStringLiteral("batches"), parser.value(QStringLiteral("batches")));
    options.adaptBatch = positiveOption(parser, QStringLiteral("adapt-batch"), 0);
    runEwemoeBench(options, timing, out);
}

void runMemory(const QCommandLineParser &parser, QTextStream &out)
{
    const auto reports = measureMemoryInChildren(
        memoryVariants(parser.isSet(QStringLiteral("memory-naive")), parser.isSet(QStringLiteral("memory-adamerging"))),
        childArguments(parser));
    out << "\n## Peak resident memory of adaptation (one fresh process per row)\n\n";
    printMemoryMarkdown(reports, out);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("wemoe-bench"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Times WEMoE's weight-ensembling MLPs with random weights at ViT-B/32 sizes: one block's MLP by every kernel "
        "strategy (--level mlp), or the full ViT — the naive per-sample loop, batched per-sample routing, "
        "batch_reduce, "
        "the dense ViT and one adaptation step (--level model); CLIP's text tower and the eight tasks' heads "
        "(--level text); test images decoded, serial vs parallel (--level data); --memory adds peak memory of "
        "adaptation."));
    parser.addHelpOption();
    addOptions(parser);
    parser.process(app);

    // As the apps run (common/freed_memory.h), unless asked not to.
    const bool keepsFreedMemory = !parser.isSet(QStringLiteral("glibc-malloc-defaults"))
                                  && wemoe::keepFreedMemoryForReuse();

    QTextStream console(stdout);
    try {
        const int threads = wemoe::configureThreads(positiveOption(parser, QStringLiteral("threads"), 0));
        if (parser.isSet(QStringLiteral("memory-child")))
            return runMemoryChild(parser.value(QStringLiteral("memory-child")), modelConfig(parser),
                                  positiveOption(parser, QStringLiteral("adapt-batch"), 1),
                                  positiveOption(parser, QStringLiteral("memory-steps"), 1), console);

        const QString level = parser.value(QStringLiteral("level"));
        if (!QStringList{QStringLiteral("mlp"), QStringLiteral("model"), QStringLiteral("io"),
                         QStringLiteral("methods"), QStringLiteral("text"), QStringLiteral("data"),
                         QStringLiteral("ewemoe"), QStringLiteral("kernel"), QStringLiteral("all"),
                         QStringLiteral("none")}
                 .contains(level))
            throw wemoe::Error(
                QStringLiteral("--level: '%1' is not mlp, model, io, methods, text, data, ewemoe, kernel, all or none")
                    .arg(level));
        TimingOptions timing;
        timing.repeats = positiveOption(parser, QStringLiteral("repeats"), 1);
        timing.warmup = positiveOption(parser, QStringLiteral("warmup"), 0);

        QString report;
        QTextStream out(&report);
        out << "# wemoe-bench\n\n`" << QCoreApplication::arguments().join(QLatin1Char(' ')) << "`\n\n"
            << describeMachine(threads)
            << (keepsFreedMemory ? "- malloc: freed memory kept for reuse, as the apps run (common/freed_memory.h)\n"
                                 : "- malloc: glibc's own thresholds\n")
            << "\n";
        if (level == QLatin1String("mlp") || level == QLatin1String("all"))
            runMlpLevel(parser, timing, out);
        if (level == QLatin1String("model") || level == QLatin1String("all")) {
            if (level == QLatin1String("all"))
                out << "\n";
            runModelLevel(parser, timing, out);
        }
        if (level == QLatin1String("io") || level == QLatin1String("all")) {
            out << "\n";
            runIoBench(modelConfig(parser).vit, timing, parser.value(QStringLiteral("io-folder")), out);
        }
        if (level == QLatin1String("methods") || level == QLatin1String("all")) {
            out << "\n";
            runMethodsBench(parser.values(QStringLiteral("method")), positiveOption(parser, QStringLiteral("tasks"), 1),
                            positiveOption(parser, QStringLiteral("adapt-steps"), 0), timing, out);
        }
        if (level == QLatin1String("text") || level == QLatin1String("all")) {
            out << "\n";
            runTextLevel(parser, timing, out);
        }
        if (level == QLatin1String("data") || level == QLatin1String("all")) {
            out << "\n";
            DataBenchOptions data;
            data.images = positiveOption(parser, QStringLiteral("data-images"), 1);
            data.folder = parser.value(QStringLiteral("io-folder"));
            data.parquetSource = parser.value(QStringLiteral("parquet"));
            data.model = modelConfig(parser).vit;
            data.evalImages = positiveOption(parser, QStringLiteral("eval-images"), 0);
            runDataBench(data, timing, out);
        }
        if (level == QLatin1String("ewemoe") || level == QLatin1String("all")) {
            out << "\n";
            runEwemoeLevel(parser, timing, out);
        }
        if (level == QLatin1String("kernel") || level == QLatin1String("all")) {
            out << "\n";
            const auto model = modelConfig(parser);
            KernelBenchOptions kernel;
            kernel.vit = model.vit;
            kernel.batch = parsePositiveList(QStringLiteral("batches"), parser.value(QStringLiteral("batches"))).at(0);
            kernel.experts = model.experts;
            runKernelBench(kernel, timing, out);
        }
        if (parser.isSet(QStringLiteral("memory")))
            runMemory(parser, out);
        out << "\nLoad average (1, 5, 15 min) at the end: " << loadAverage() << "\n";
        out.flush();
        console << report;
        if (!parser.value(QStringLiteral("output")).isEmpty())
            wemoe::writeFileAtomically(parser.value(QStringLiteral("output")), report.toUtf8());
        return 0;
    } catch (const wemoe::Error &e) {
        QTextStream(stderr) << "wemoe-bench: " << e.message() << "\n";
        return 1;
    } catch (const std::exception &e) {
        QTextStream(stderr) << "wemoe-bench: " << e.what() << "\n";
        return 1;
    }
}
