#include "merge/merge_methods.h"

#include "common/error.h"
#include "merge/merge_support.h"

#include <torch/torch.h>

#include <ATen/CPUGeneratorImpl.h>

#include <cstdint>

namespace wemoe {

namespace {

std::uint64_t splitMix64(std::uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// One generator seed per (seed, task, tensor): every pass over the data draws
// the same mask, and the mask does not depend on the order tensors are visited.
// LibTorch's mt19937 keeps only the low 32 bits of a seed, so all inputs are mixed in.
std::uint64_t maskSeed(quint64 seed, int task, int tensorIndex)
{
    std::uint64_t h = splitMix64(seed);
    h = splitMix64(h ^ static_cast<std::uint64_t>(task));
    h = splitMix64(h ^ static_cast<std::uint64_t>(tensorIndex));
    return h ^ (h >> 32);
}

// τ ← (u > p ? τ / divisor : 0), fused: the drop is applied to every entry of
// every task vector in every pass, so it should cost one sweep, not four.
void dropAndRescale(torch::Tensor &tau, const torch::Tensor &uniform, float p, float divisor)
{
    if (!tau.is_contiguous())
        tau = tau.contiguous();
    float *x = tau.data_ptr<float>();
    const float *u = uniform.data_ptr<float>();
    at::parallel_for(0, tau.numel(), 1 << 15, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i)
            x[i] = u[i] > p ? x[i] / divisor : 0.0f;
    });
}

} // namespace

TensorMap dareMerging(const MergeInputs &inputs, const DareOptions &options, const JobContext &context)
{
    const QString rule = options.thenTies ? QStringLiteral("dare+ties") : QStringLiteral("dare+ta");
    const double p = options.dropRate;
    if (!(p >= 0.0 && p < 1.0))
        throw Error(QStringLiteral("%1: the drop rate p must be in [0, 1) (got %2)").arg(rule).arg(p));

    const TaskVectorSource sparsified = [&inputs, &options, p](int task, int tensorIndex, const std::string &name) {
        auto tau = inputs.taskVector(task, name);
        if (p == 0.0)
            return tau;
        // FusionBench's draw, rand(τ) > p, from a generator seeded for this task
        // and tensor; the draw order is the logical (row-major) order of the
        // entries, whatever the memory layout of the checkpoint.
        auto generator = at::detail::createCPUGenerator(maskSeed(options.seed, task, tensorIndex));
        const auto uniform = torch::rand(tau.sizes(), generator, torch::kFloat32);
        dropAndRescale(tau, uniform, static_cast<float>(p), options.rescale ? static_cast<float>(1.0 - p) : 1.0f);
        return tau;
    };
    if (options.thenTies)
        return tiesMergingFromSource(inputs, sparsified, options.ties, context, rule);
    return taskArithmeticFromSource(inputs, sparsified, options.scalingFactor, context, rule);
}

} // namespace wemoe
