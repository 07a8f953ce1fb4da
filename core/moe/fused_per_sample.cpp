#include "moe/fused_per_sample.h"

#include "common/chunk_parallel.h"
#include "moe/per_sample_gemm.h"

#include <torch/torch.h>

#include <algorithm>

namespace wemoe {

namespace {

bool cpuFloat(const torch::Tensor &t)
{
    return t.defined() && t.device().is_cpu() && t.scalar_type() == torch::kFloat32 && t.is_contiguous();
}

PerSampleGemmProblem problemFor(const torch::Tensor &x, const torch::Tensor &routing, const torch::Tensor &weight,
                                const torch::Tensor &taskRows, int64_t r0)
{
    PerSampleGemmProblem p;
    p.x = x.data_ptr<float>();
    p.xBatchStride = x.stride(0);
    p.xTokenStride = x.stride(1);
    p.routing = routing.data_ptr<float>();
    p.base = weight.data_ptr<float>() + r0 * weight.size(1);
    p.tasks = taskRows.data_ptr<float>();
    p.taskStride = taskRows.stride(0);
    p.batch = x.size(0);
    p.tokens = x.size(1);
    p.experts = taskRows.size(0);
    p.in = weight.size(1);
    p.rows = taskRows.size(1);
    return p;
}

} // namespace

bool fusedPerSampleApplies(const torch::Tensor &x, const torch::Tensor &routing, const torch::Tensor &weight,
                           const torch::Tensor &taskWeights)
{
    return perSampleGemmAvailable() && perSampleGemmFits(weight.size(1)) && cpuFloat(x) && cpuFloat(routing)
           && cpuFloat(weight) && (!taskWeights.defined() || cpuFloat(taskWeights));
}

void fusedForwardRows(const torch::Tensor &x, const torch::Tensor &routing, const torch::Tensor &weight,
                      const torch::Tensor &taskRows, int64_t r0, const torch::Tensor &y)
{
    const auto out = y.size(2);
    perSampleGemmForward(problemFor(x, routing, weight, taskRows, r0), y.data_ptr<float>() + r0, y.size(1) * out, out);
}

void fusedBackwardRows(const torch::Tensor &dy, const torch::Tensor &x, const torch::Tensor &routing,
                       const torch::Tensor &weight, const torch::Tensor &taskRows, int64_t r0, int64_t k0, int64_t k1,
                       float *dx, double *dRouting)
{
    const auto out = dy.size(2);
    perSampleGemmBackward(problemFor(x, routing, weight, taskRows, r0), dy.data_ptr<float>() + r0, dy.size(1) * out,
                          out, k0, k1, dx, dRouting);
}

torch::Tensor fusedLayerForward(const torch::Tensor &x, const torch::Tensor &routing, const torch::Tensor &weight,
                                const torch::Tensor &taskWeights, int64_t chunkRows)
{
    const auto out = weight.size(0);
    auto y = at::empty({x.size(0), x.size(1), out}, x.options());
    forEachChunk((out + chunkRows - 1) / chunkRows, x.device(), [&](int64_t c) {
        const auto r0 = c * chunkRows;
        fusedForwardRows(x, routing, weight, taskWeights.narrow(1, r0, std::min(chunkRows, out - r0)), r0, y);
    });
    return y;
}

void fusedLayerBackward(const torch::Tensor &dy, const torch::Tensor &x, const torch::Tensor &routing,
                        const torch::Tensor &weight, const torch::Tensor &taskWeights, torch::Tensor *dx,
                        torch::Tensor *dRouting)
{
    const auto in = x.size(2);
    const auto units = (in + kPerSampleGemmBackwardColumns - 1) / kPerSampleGemmBackwardColumns;
    if (dx)
        *dx = at::zeros_like(x);
    float *dxData = dx ? dx->data_ptr<float>() : nullptr;
    std::vector<std::vector<double>> parts(static_cast<std::size_t>(dRouting ? units : 0),
                                           std::vector<double>(std::size_t(routing.numel()), 0.0));
    forEachChunk(units, x.device(), [&](int64_t u) {
        const auto k0 = u * kPerSampleGemmBackwardColumns;
        fusedBackwardRows(dy, x, routing, weight, taskWeights, 0, k0, std::min(in, k0 + kPerSampleGemmBackwardColumns),
                          dxData, dRouting ? parts[std::size_t(u)].data() : nullptr);
    });
    if (dRouting)
        *dRouting = sumRoutingGradients(parts, routing);
}

torch::Tensor sumRoutingGradients(const std::vector<std::vector<double>> &parts, const torch::Tensor &routing)
{
    std::vector<double> sum(std::size_t(routing.numel()), 0.0);
    for (const auto &part : parts)
        for (std::size_t i = 0; i < sum.size(); ++i)
            sum[i] += part[i];
    return at::tensor(at::ArrayRef<double>(sum), routing.options().dtype(torch::kFloat64))
        .view(routing.sizes())
        .to(routing.scalar_type());
}

} // namespace wemoe
