#include "paired_ratio.h"

#include <algorithm>
#include <chrono>

namespace wemoe::bench {

namespace {

double secondsOf(const std::function<void()> &work)
{
    const auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

double PairedRatio::min() const
{
    return ratios.empty() ? 0 : *std::min_element(ratios.begin(), ratios.end());
}

double PairedRatio::max() const
{
    return ratios.empty() ? 0 : *std::max_element(ratios.begin(), ratios.end());
}

std::vector<PairedRatio> pairedRatios(const std::function<void()> &reference,
                                      const std::vector<std::function<void()>> &variants, const TimingOptions &rounds)
{
    std::vector<PairedRatio> result(variants.size());
    for (int round = 0; round < rounds.warmup + std::max(1, rounds.repeats); ++round) {
        double before = secondsOf(reference);
        for (std::size_t v = 0; v < variants.size(); ++v) {
            const double seconds = secondsOf(variants[v]);
            const double after = secondsOf(reference);
            if (round >= rounds.warmup)
                result[v].ratios.push_back(seconds / std::max(1e-12, 0.5 * (before + after)));
            before = after;
        }
    }
    return result;
}

} // namespace wemoe::bench
