#include "merge/ties_kernels.h"

#include "common/error.h"

#include <torch/torch.h>

#include <atomic>
#include <cmath>

namespace wemoe {

namespace {

constexpr std::int64_t kGrain = 1 << 15;

void requireContiguousFloat(const torch::Tensor &t, const char *what)
{
    if (t.scalar_type() != torch::kFloat32 || !t.device().is_cpu() || !t.is_contiguous())
        throw Error(QStringLiteral("ties: %1 must be a contiguous float32 CPU tensor").arg(QLatin1String(what)));
}

// FusionBench's where(sign > 0, τ > 0, τ < 0), written with bitwise logic
// instead of branches: signs are random, so branches would mispredict and the
// loops below would not vectorise.
inline bool agreesWithSign(float sign, float value)
{
    const bool positive = sign > 0.0f;
    return (positive & (value > 0.0f)) | (!positive & (value < 0.0f));
}

void addAgreeing(const float *__restrict sign, const float *__restrict x, float *__restrict merged,
                 float *__restrict count, std::int64_t n)
{
    for (std::int64_t i = 0; i < n; ++i)
        merged[i] += agreesWithSign(sign[i], x[i]) ? x[i] : 0.0f; // adding 0 keeps the value
    if (count) {
        for (std::int64_t i = 0; i < n; ++i)
            count[i] += agreesWithSign(sign[i], x[i]) ? 1.0f : 0.0f;
    }
}

void maxAgreeing(const float *__restrict sign, const float *__restrict x, float *__restrict merged, std::int64_t n)
{
    for (std::int64_t i = 0; i < n; ++i) {
        const float magnitude = agreesWithSign(sign[i], x[i]) ? std::fabs(x[i]) : 0.0f;
        merged[i] = merged[i] < magnitude ? magnitude : merged[i];
    }
}

} // namespace

void trimBelow(torch::Tensor &x, float threshold)
{
    if (!x.is_contiguous())
        x = x.contiguous();
    requireContiguousFloat(x, "a task vector");
    float *data = x.data_ptr<float>();
    at::parallel_for(0, x.numel(), kGrain, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) // branch-free, so it vectorises
            data[i] = std::fabs(data[i]) < threshold ? 0.0f : data[i];
    });
}

SignCounts countSigns(const torch::Tensor &sum)
{
    const auto values = sum.contiguous();
    requireContiguousFloat(values, "an elected sum");
    const float *data = values.data_ptr<float>();
    std::atomic<std::int64_t> positive{0};
    std::atomic<std::int64_t> negative{0};
    at::parallel_for(0, values.numel(), kGrain, [&](std::int64_t begin, std::int64_t end) {
        std::int64_t p = 0;
        std::int64_t n = 0;
        for (std::int64_t i = begin; i < end; ++i) {
            p += data[i] > 0.0f;
            n += data[i] < 0.0f;
        }
        positive += p;
        negative += n;
    });
    return {positive.load(), negative.load()};
}

void electSigns(torch::Tensor &sum, float majoritySign)
{
    if (!sum.is_contiguous())
        sum = sum.contiguous();
    requireContiguousFloat(sum, "an elected sum");
    float *data = sum.data_ptr<float>();
    at::parallel_for(0, sum.numel(), kGrain, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i)
            data[i] = data[i] > 0.0f ? 1.0f : (data[i] < 0.0f ? -1.0f : majoritySign);
    });
}

void accumulateAgreeing(const torch::Tensor &sign, const torch::Tensor &tau, torch::Tensor &merged,
                        torch::Tensor &count, TiesMergeFunction function)
{
    const auto taskVector = tau.contiguous();
    requireContiguousFloat(sign, "the elected sign");
    requireContiguousFloat(taskVector, "a task vector");
    requireContiguousFloat(merged, "the merged tensor");
    if (function == TiesMergeFunction::Mean)
        requireContiguousFloat(count, "the agreement count");
    const float *s = sign.data_ptr<float>();
    const float *x = taskVector.data_ptr<float>();
    float *m = merged.data_ptr<float>();
    float *c = function == TiesMergeFunction::Mean ? count.data_ptr<float>() : nullptr;
    at::parallel_for(0, merged.numel(), kGrain, [&](std::int64_t begin, std::int64_t end) {
        switch (function) {
        case TiesMergeFunction::Sum: addAgreeing(s + begin, x + begin, m + begin, nullptr, end - begin); break;
        case TiesMergeFunction::Mean: addAgreeing(s + begin, x + begin, m + begin, c + begin, end - begin); break;
        case TiesMergeFunction::Max: maxAgreeing(s + begin, x + begin, m + begin, end - begin); break;
        }
    });
}

} // namespace wemoe
