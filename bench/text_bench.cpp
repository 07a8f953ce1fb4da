#include "text_bench.h"

#include "text/clip_text_model.h"
#include "text/random_text_weights.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <random>

namespace wemoe::bench {

namespace {

using Prompt = std::vector<int64_t>;

// The eight classic tasks' heads as FusionBench builds them: its class names
// and templates (fusion_bench/tasks/clip_classification), and the token
// lengths those prompts have under CLIP's tokenizer (start and end included),
// estimated from the templates and the class names: about one token per word
// and per punctuation mark.
struct HeadTask
{
    const char *name;
    int classes;
    int templates;
    int minTokens;
    int maxTokens;
};
constexpr HeadTask kEightTasks[] = {
    {"sun397", 397, 2, 8, 12},   {"stanford_cars", 196, 8, 10, 18},
    {"resisc45", 45, 18, 7, 10}, {"eurosat", 10, 3, 9, 15},
    {"svhn", 10, 1, 11, 12},     {"gtsrb", 43, 3, 14, 26},
    {"mnist", 10, 1, 11, 12},    {"dtd", 47, 8, 8, 11},
};
// What a head builder that encodes class-ordered chunks of this size pads each to.
constexpr size_t kUnsortedChunk = 128;
// A token cap this large is no cap.
constexpr int64_t kUncapped = std::numeric_limits<int>::max();

// A prompt as CLIP's tokenizer makes one: the start token (vocab − 2), random
// word ids below it, the end token (vocab − 1, the largest id).
class PromptMaker
{
public:
    PromptMaker(const ClipTextConfig &config, quint64 seed)
        : m_config(config)
        , m_random(seed)
    {
    }

    Prompt make(int64_t length)
    {
        length = std::clamp<int64_t>(length, 2, m_config.maxPositionEmbeddings);
        std::uniform_int_distribution<int64_t> word(1, m_config.vocabSize - 3);
        Prompt ids{m_config.vocabSize - 2};
        for (int64_t i = 2; i < length; ++i)
            ids.push_back(word(m_random));
        ids.push_back(m_config.vocabSize - 1);
        return ids;
    }

    int64_t lengthIn(int minimum, int maximum)
    {
        return std::uniform_int_distribution<int64_t>(minimum, maximum)(m_random);
    }

private:
    ClipTextConfig m_config;
    std::mt19937_64 m_random;
};

QString number(double value, int decimals)
{
    return QString::number(value, 'f', decimals);
}

QString capText(int64_t tokens)
{
    return tokens >= kUncapped ? QStringLiteral("none") : QString::number(tokens);
}

void measureLengths(const TextBenchOptions &options, ClipTextModel &model, const TimingOptions &timing,
                    QTextStream &out)
{
    out << "| tokens per prompt | prompts per call | token cap | passes | ms / call | min ms | prompts/s | tokens/s "
           "|\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
    PromptMaker maker(options.config, 11);
    // A prompt has at least its start and end tokens; lengths beyond the
    // context (--tiny's 12 tokens) are measured at the context, once.
    std::vector<int64_t> lengths;
    for (const int64_t requested : options.lengths) {
        const int64_t length = std::clamp<int64_t>(requested, 2, options.config.maxPositionEmbeddings);
        if (std::find(lengths.begin(), lengths.end(), length) == lengths.end())
            lengths.push_back(length);
    }
    for (const int64_t length : lengths) {
        for (const int64_t batch : options.batches) {
            std::vector<Prompt> prompts;
            for (int64_t i = 0; i < batch; ++i)
                prompts.push_back(maker.make(length));
            for (const int64_t cap : options.batchTokens) {
                model.setBatchSize(int(batch));
                model.setBatchTokens(int(std::min<int64_t>(cap, kUncapped)));
                const int64_t perPass = std::clamp<int64_t>(cap / length, 1, batch);
                const Timing t = timeCalls([&] { model.encode(prompts); }, timing);
                std::fprintf(stderr, "  text tower | %lld tokens | %lld prompts, cap %s: %.1f ms (min %.1f)\n",
                             static_cast<long long>(length), static_cast<long long>(batch), qPrintable(capText(cap)),
                             t.median * 1e3, t.min * 1e3);
                out << "| " << length << " | " << batch << " | " << capText(cap) << " | "
                    << (batch + perPass - 1) / perPass << " | " << number(t.median * 1e3, 1) << " | "
                    << number(t.min * 1e3, 1) << " | " << number(double(batch) / t.median, 1) << " | "
                    << number(double(batch * length) / t.median, 0) << " |\n";
            }
        }
    }
}

void measureEightHeads(const TextBenchOptions &options, ClipTextModel &model, QTextStream &out)
{
    PromptMaker maker(options.config, 12);
    std::vector<std::vector<Prompt>> perTask;
    std::vector<Prompt> all;
    int64_t tokens = 0;
    out << "| task | classes | templates | prompts | tokens per prompt |\n| --- | ---: | ---: | ---: | --- |\n";
    for (const HeadTask &task : kEightTasks) {
        std::vector<Prompt> prompts; // class-major, as a head is built
        for (int i = 0; i < task.classes * task.templates; ++i)
            prompts.push_back(maker.make(maker.lengthIn(task.minTokens, task.maxTokens)));
        for (const auto &p : prompts)
            tokens += int64_t(p.size());
        all.insert(all.end(), prompts.begin(), prompts.end());
        out << "| " << task.name << " | " << task.classes << " | " << task.templates << " | " << prompts.size() << " | "
            << task.minTokens << "–" << task.maxTokens << " |\n";
        perTask.push_back(std::move(prompts));
    }
    out << "| all | 758 | | " << all.size() << " | " << number(double(tokens) / double(all.size()), 1)
        << " on average |\n\n";

    struct Row
    {
        QString how;
        Timing timing;
    };
    std::vector<Row> rows;
    model.setBatchSize(ClipTextModel::kDefaultBatchSize);
    for (const int64_t cap : options.batchTokens) {
        model.setBatchTokens(int(std::min<int64_t>(cap, kUncapped)));
        const QString tokenBound = cap >= kUncapped ? QStringLiteral("no token cap")
                                                    : QStringLiteral("≤ %1 tokens").arg(cap);
        rows.push_back({QStringLiteral("one encode() call: shortest first, passes of ≤ %1 prompts and %2")
                            .arg(ClipTextModel::kDefaultBatchSize)
                            .arg(tokenBound),
                        timeCalls([&] { model.encode(all); }, options.headsTiming)});
        std::fprintf(stderr, "  eight heads, one call, cap %s: %.2f s\n", qPrintable(capText(cap)),
                     rows.back().timing.median);
    }
    model.setBatchTokens(int(std::min<int64_t>(options.batchTokens.front(), kUncapped)));
    const auto chunked = [&] {
        for (const auto &prompts : perTask)
            for (size_t first = 0; first < prompts.size(); first += kUnsortedChunk)
                model.encode(std::vector<Prompt>(
                    prompts.begin() + std::ptrdiff_t(first),
                    prompts.begin() + std::ptrdiff_t(std::min(prompts.size(), first + kUnsortedChunk))));
    };
    rows.push_back({QStringLiteral("per task, class-ordered calls of %1 prompts (each padded to its longest), "
                                   "token cap %2")
                        .arg(kUnsortedChunk)
                        .arg(capText(options.batchTokens.front())),
                    timeCalls(chunked, options.headsTiming)});
    std::fprintf(stderr, "  eight heads, class-ordered calls: %.2f s\n", rows.back().timing.median);

    out << "| how | median s | min s | prompts/s |\n| --- | ---: | ---: | ---: |\n";
    for (const Row &row : rows)
        out << "| " << row.how << " | " << number(row.timing.median, 2) << " | " << number(row.timing.min, 2) << " | "
            << number(double(all.size()) / row.timing.median, 1) << " |\n";
}

} // namespace

void runTextBench(const TextBenchOptions &options, const TimingOptions &timing, QTextStream &out)
{
    std::fprintf(stderr, "building the random text tower...\n");
    ClipTextModel model(options.config, randomClipTextWeights(options.config, 1), torch::kCPU,
                        QStringLiteral("random weights"));

    out << "## CLIP's text tower: " << options.config.describe() << ", random weights\n\n"
        << "Median of " << timing.repeats << " after " << timing.warmup
        << " warm-up call(s). A prompt is the start token, random ids and the end token; each call encodes "
           "prompts of one length, in passes of at most the call's prompts and the token cap's tokens.\n\n";
    measureLengths(options, model, timing, out);
    if (options.headsTiming.repeats == 0)
        return;

    out << "\n### The eight classic tasks' zero-shot heads\n\n"
        << "Every class name in every template (FusionBench's), random ids of each task's typical length; "
        << options.headsTiming.repeats << " timed call(s) after " << options.headsTiming.warmup << " warm-up.\n\n";
    measureEightHeads(options, model, out);
}

} // namespace wemoe::bench
