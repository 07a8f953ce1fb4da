#include "kernel_bench.h"

#include "common/device.h"
#include "moe/fused_per_sample.h"
#include "moe/per_sample_gemm.h"

#include <torch/torch.h>

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
    const auto flatX = x.view({batch * tokens, in});
    const auto flatDy = dy.view({batch * tokens, out});

    const QString forward = name + QStringLiteral(", forward");
    const QString inputGradient = name + QStringLiteral(", input gradient");
    const QString routingGradient = name + QStringLiteral(", routing gradient (dense: weight gradient)");
    const QString backward = name + QStringLiteral(", both gradients (dense: input and weight gradient)");
    // The layer's own code (per_sample_linear runs these), the forward in one chunk of rows.
    torch::Tensor dx, dRouting;
    table.measure(forward, QString::fromUtf8(kOurs), batch, [&] { fusedLayerForward(x, routing, weight, tasks, out); });
    table.measure(forward, QString::fromUtf8(kDense), batch, [&] { at::mm(flatX, weight.t()); });
    table.measure(inputGradient, QString::fromUtf8(kOurs), batch,
                  [&] { fusedLayerBackward(dy, x, routing, weight, tasks, &dx, nullptr); });
    table.measure(inputGradient, QString::fromUtf8(kDense), batch, [&] { at::mm(flatDy, weight); });
    table.measure(routingGradient, QString::fromUtf8(kOurs), batch,
                  [&] { fusedLayerBackward(dy, x, routing, weight, tasks, nullptr, &dRouting); });
    table.measure(routingGradient, QString::fromUtf8(kDense), batch, [&] { at::mm(flatDy.t(), flatX); });
    // What the layer's backward runs in the model: both gradients in one pass.
    table.measure(backward, QString::fromUtf8(kOurs), batch,
                  [&] { fusedLayerBackward(dy, x, routing, weight, tasks, &dx, &dRouting); });
    table.measure(backward, QString::fromUtf8(kDense), batch, [&] {
        at::mm(flatDy, weight);
        at::mm(flatDy.t(), flatX);
    });
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
