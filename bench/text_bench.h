#pragma once

#include "bench_harness.h"
#include "text/clip_text_config.h"

#include <QtCore/QTextStream>

#include <cstdint>
#include <vector>

namespace wemoe::bench {

struct TextBenchOptions
{
    ClipTextConfig config;                    // ViT-B/32's text tower by default
    std::vector<int64_t> batches{64, 256};    // prompts per encode() call and most per forward pass
    std::vector<int64_t> batchTokens{2048};   // most tokens per forward pass (the model's batchTokens)
    std::vector<int64_t> lengths{12, 20, 77}; // tokens per prompt, start and end tokens included
    TimingOptions headsTiming{0, 1};          // the eight heads' prompts (0 repeats: skip them)
};

// CLIP's text tower with random weights: prompts/s at each prompt length and
// batch, and the time to encode every prompt of the eight classic tasks'
// zero-shot heads (FusionBench's class names x templates, random ids of each
// task's typical length), in one call and in the chunks of 128 class-ordered
// prompts a head builder that does not sort by length would make. Prints Markdown.
void runTextBench(const TextBenchOptions &options, const TimingOptions &timing, QTextStream &out);

} // namespace wemoe::bench
