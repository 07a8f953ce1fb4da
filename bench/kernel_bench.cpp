#include "kernel_bench.h"

#include "common/device.h"
#include "moe/fused_per_sample.h"
#include "moe/per_sample_gemm.h"

#include <torch/torch.h>

#include <algorithm>
#include <vector>

namespace wemoe::bench {

namespace {

const char *const kOurs = "ours: W(b) merged as the matmul goes";
const char *const kDense = "library's dense GEMM, same flops";

void measureLinear(ResultTable &table, const QString &name, int64_t in, int64_t out, const KernelBenchOptions &options)
{
    auto generator = at::detail::createCPUGenerator(options.seed + uint64_t(in) * 7 + uint64_t(out));
    const int64_t batch = options.batch, tokens = options.vit.numPositions(), experts = options.experts;
    const auto normal = [&](std::vector<int64_t> sizes, double std) { return at::normal(0.0, std, sizes, generator); };
    const auto x = normal({batch, tokens, in}, 1.0);
    const auto dy = normal({batch, tokens, out}, 1.0);
    const auto routing = normal({batch, experts}, 0.3);
    const auto weight = normal({out, in}, 0.02);
    const auto tasks = normal({experts, out, in}, 0.002);
    const auto y = at::empty({batch, tokens, out});
    auto dx = at::zeros({batch, tokens, in});
    std::vector<double> dRouting(std::size_t(batch * experts));
    const auto flatX = x.view({batch * tokens, in});
    const auto flatDy = dy.view({batch * tokens, out});

    const QString forward = name + QStringLiteral(", forward");
    const QString inputGradient = name + QStringLiteral(", input gradient");
    const QString routingGradient = name + QStringLiteral(", routing gradient (dense: weight gradient)");
    // The backward by the same column units as the layer (per_sample_linear.cpp).
    const auto backward = [&](float *dxData, double *dRoutingData) {
        for (int64_t k0 = 0; k0 < in; k0 += kPerSampleGemmBackwardColumns)
            fusedBackwardRows(dy, x, routing, weight, tasks, 0, k0, std::min(in, k0 + kPerSampleGemmBackwardColumns),
                              dxData, dRoutingData);
    };
    table.measure(forward, QString::fromUtf8(kOurs), batch, [&] { fusedForwardRows(x, routing, weight, tasks, 0, y); });
    table.measure(forward, QString::fromUtf8(kDense), batch, [&] { at::mm(flatX, weight.t()); });
    table.measure(inputGradient, QString::fromUtf8(kOurs), batch, [&] { backward(dx.data_ptr<float>(), nullptr); });
    table.measure(inputGradient, QString::fromUtf8(kDense), batch, [&] { at::mm(flatDy, weight); });
    table.measure(routingGradient, QString::fromUtf8(kOurs), batch, [&] { backward(nullptr, dRouting.data()); });
    table.measure(routingGradient, QString::fromUtf8(kDense), batch, [&] { at::mm(flatDy.t(), flatX); });
}

} // namespace

void runKernelBench(const KernelBenchOptions &options, const TimingOptions &timing, QTextStream &out)
{
    const auto &vit = options.vit;
    out << "## Our per-sample matmuls against a dense GEMM: " << vit.describe() << ", batch " << options.batch << ", "
        << options.experts << " experts, one thread\n\n";
    if (!perSampleGemmAvailable() || !perSampleGemmFits(vit.hiddenSize) || !perSampleGemmFits(vit.intermediateSize)) {
        out << "Not measured: our matmuls need a CPU with AVX2 and FMA and widths that are multiples of 8; the "
               "library's path runs instead.\n";
        return;
    }
    torch::NoGradGuard noGrad;
    const TorchThreadsScope oneThread(1);
    ResultTable table(timing);
    table.setBaselines({QString::fromUtf8(kDense)});
    const int64_t hidden = vit.hiddenSize, intermediate = vit.intermediateSize;
    measureLinear(table, QStringLiteral("fc1 [%1 → %2]").arg(hidden).arg(intermediate), hidden, intermediate, options);
    measureLinear(table, QStringLiteral("fc2 [%1 → %2]").arg(intermediate).arg(hidden), intermediate, hidden, options);
    out << "Median of " << timing.repeats << " after " << timing.warmup
        << " warm-up call(s). \"× vs\" below 1 is how much of the dense GEMM's speed ours reaches: its extra work "
           "is merging every sample's weights (T multiply-adds per weight and sample) and, in the routing "
           "gradient, contracting dyᵀx with τ.\n\n";
    table.printMarkdown(out);
}

} // namespace wemoe::bench
