#pragma once

#include "bench_harness.h"

#include <functional>
#include <vector>

namespace wemoe::bench {

// How many times longer each call of a variant takes than a reference call,
// over several rounds.
struct PairedRatio
{
    std::vector<double> ratios; // one per round, in round order
    double median() const { return medianOf(ratios); }
    double min() const;
    double max() const;
};

// Times the variants and the reference in turn: each round runs the reference,
// then every variant with the reference again after it (r, v1, r, v2, r, ...).
// A variant's ratio in a round is its time divided by the mean of the two
// reference calls around it. On a machine whose speed drifts with other
// tenants' load, a ratio of two figures taken minutes apart moves with the
// drift; this one compares calls seconds apart. Warm-up rounds are not kept.
std::vector<PairedRatio> pairedRatios(const std::function<void()> &reference,
                                      const std::vector<std::function<void()>> &variants, const TimingOptions &rounds);

} // namespace wemoe::bench
