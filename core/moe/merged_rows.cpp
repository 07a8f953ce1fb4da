#include "moe/merged_rows.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstring>

namespace wemoe {

namespace {

// Floats of τ per expert in flight: T · 2 KB stays in the L1 cache while all
// the batch's samples read it.
constexpr int64_t kBlock = 512;

// Eight floats as one value: GCC and Clang lower it to the widest vectors the
// target has (one AVX register, or two SSE ones), with no intrinsics.
typedef float Floats8 __attribute__((vector_size(32)));

struct MergeArgs
{
    const float *routing; // [batch, experts]
    const float *base;    // [n]
    const float *tasks;   // experts blocks of n, taskStride apart
    int64_t taskStride;
    int64_t experts;
    int64_t batch;
    int64_t n;  // rows · in
    float *out; // batch blocks of n, outStride apart
    int64_t outStride;
};

// Each output is base + r0·τ0 + r1·τ1 + ..., added in expert order. Four
// vectors at a time: one output's sum is a chain of dependent multiply-adds,
// and four independent chains keep the FPU busy while each waits.
// Inlined into each caller, so it is compiled once per instruction set.
__attribute__((always_inline)) inline void mergeLoop(const MergeArgs &a)
{
    // memcpy, not casts: the rows need not be 32-byte aligned.
    const auto load = [](Floats8 &v, const float *p) { std::memcpy(&v, p, sizeof v); };
    for (int64_t j0 = 0; j0 < a.n; j0 += kBlock) {
        const int64_t len = std::min(kBlock, a.n - j0);
        const float *base = a.base + j0;
        const float *tasks = a.tasks + j0;
        for (int64_t b = 0; b < a.batch; ++b) {
            const float *r = a.routing + b * a.experts;
            float *o = a.out + b * a.outStride + j0;
            int64_t j = 0;
            for (; j + 32 <= len; j += 32) {
                Floats8 acc0, acc1, acc2, acc3, t0, t1, t2, t3;
                load(acc0, base + j);
                load(acc1, base + j + 8);
                load(acc2, base + j + 16);
                load(acc3, base + j + 24);
                for (int64_t t = 0; t < a.experts; ++t) {
                    const float *task = tasks + t * a.taskStride + j;
                    const float weight = r[t];
                    load(t0, task);
                    load(t1, task + 8);
                    load(t2, task + 16);
                    load(t3, task + 24);
                    acc0 += weight * t0;
                    acc1 += weight * t1;
                    acc2 += weight * t2;
                    acc3 += weight * t3;
                }
                std::memcpy(o + j, &acc0, sizeof acc0);
                std::memcpy(o + j + 8, &acc1, sizeof acc1);
                std::memcpy(o + j + 16, &acc2, sizeof acc2);
                std::memcpy(o + j + 24, &acc3, sizeof acc3);
            }
            for (; j < len; ++j) {
                float acc = base[j];
                for (int64_t t = 0; t < a.experts; ++t)
                    acc += r[t] * tasks[t * a.taskStride + j];
                o[j] = acc;
            }
        }
    }
}

void mergeBaseline(const MergeArgs &a)
{
    mergeLoop(a);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
// The same loop compiled for AVX2 with FMA, which every x86-64 CPU of the
// last decade has; the build itself targets the baseline.
__attribute__((target("avx2,fma"))) void mergeAvx2(const MergeArgs &a)
{
    mergeLoop(a);
}

bool cpuHasAvx2()
{
    static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return has;
}
#endif

void mergeKernel(const MergeArgs &a)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (cpuHasAvx2())
        return mergeAvx2(a);
#endif
    mergeBaseline(a);
}

} // namespace

bool mergeRowsOnCpu(const torch::Tensor &routing, const torch::Tensor &base, const torch::Tensor &tasks,
                    const torch::Tensor &out)
{
    const auto isCpuFloat = [](const torch::Tensor &t) {
        return t.defined() && t.device().is_cpu() && t.scalar_type() == torch::kFloat32;
    };
    if (!isCpuFloat(routing) || !isCpuFloat(base) || !isCpuFloat(tasks) || !isCpuFloat(out))
        return false;
    if (routing.dim() != 2 || base.dim() != 2 || tasks.dim() != 3 || out.dim() != 3)
        return false;
    const auto batch = routing.size(0), experts = routing.size(1), rows = base.size(0), in = base.size(1);
    if (tasks.size(0) != experts || tasks.size(1) != rows || tasks.size(2) != in || out.size(0) != batch
        || out.size(1) != rows || out.size(2) != in)
        return false;
    // Each expert's block, the base and each sample's block contiguous; experts
    // and samples at any stride.
    if (!routing.is_contiguous() || !base.is_contiguous() || tasks.stride(2) != 1 || tasks.stride(1) != in
        || out.stride(2) != 1 || out.stride(1) != in)
        return false;
    mergeKernel(MergeArgs{routing.data_ptr<float>(), base.data_ptr<float>(), tasks.data_ptr<float>(), tasks.stride(0),
                          experts, batch, rows * in, out.data_ptr<float>(), out.stride(0)});
    return true;
}

void mergeRows(const torch::Tensor &routing, const torch::Tensor &base, const torch::Tensor &tasks,
               const torch::Tensor &out)
{
    if (mergeRowsOnCpu(routing, base, tasks, out))
        return;
    const auto batch = routing.size(0), experts = tasks.size(0), n = tasks.size(1) * tasks.size(2);
    auto flat = out.view({batch, n});
    at::addmm_out(flat, base.reshape({1, n}), routing, tasks.reshape({experts, n}));
}

} // namespace wemoe
