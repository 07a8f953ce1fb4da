#include "model/quick_gelu.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

namespace wemoe {

namespace {

using torch::Tensor;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// The scalar as ATen's float kernels apply it.
constexpr float kScale = 1.702f;

// σ(1.702 x) and x · σ(1.702 x), by the tensor ops the model always used.
std::pair<Tensor, Tensor> forwardOps(const Tensor &x)
{
    auto s = torch::sigmoid(1.702 * x);
    return {x * s, s};
}

// dx = dy·s + ((dy·x)·(1 − s)·s)·1.702, each product rounded where autograd
// rounds it: MulBackward0 gives dy·s and dy·x, SigmoidBackward0 multiplies by
// (1 − s) then s, MulBackward1 by the scalar, and the two parts are added.
// (This file is compiled without contracting a·b + c into one rounding.)
Tensor fusedBackward(const Tensor &dy, const Tensor &x, const Tensor &s)
{
    auto dx = at::empty_like(x);
    const float *dyData = dy.data_ptr<float>();
    const float *xData = x.data_ptr<float>();
    const float *sData = s.data_ptr<float>();
    float *dxData = dx.data_ptr<float>();
    at::parallel_for(0, x.numel(), 1 << 15, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            const float g = dyData[i], v = xData[i], sv = sData[i];
            const float throughSigmoid = g * v * (1.0f - sv) * sv * kScale;
            const float direct = g * sv;
            dxData[i] = direct + throughSigmoid;
        }
    });
    return dx;
}

bool fusable(const Tensor &t)
{
    return t.device().is_cpu() && t.scalar_type() == torch::kFloat32 && t.is_contiguous();
}

class QuickGeluFunction : public torch::autograd::Function<QuickGeluFunction>
{
public:
    static Tensor forward(AutogradContext *ctx, const Tensor &x)
    {
        auto [y, s] = forwardOps(x);
        ctx->save_for_backward({x, s});
        return y;
    }

    static variable_list backward(AutogradContext *ctx, variable_list gradOutputs)
    {
        const auto saved = ctx->get_saved_variables();
        const auto &x = saved[0];
        const auto &s = saved[1];
        const auto dy = gradOutputs[0].contiguous();
        if (fusable(dy) && fusable(x) && fusable(s) && dy.sizes() == x.sizes())
            return {fusedBackward(dy, x, s)};
        const auto throughSigmoid = dy * x * (1 - s) * s * 1.702;
        return {dy * s + throughSigmoid};
    }
};

} // namespace

Tensor quickGelu(const Tensor &x)
{
    // Without a graph to record, the plain ops (the custom function would only add its bookkeeping).
    if (!at::GradMode::is_enabled() || !x.requires_grad())
        return forwardOps(x).first;
    return QuickGeluFunction::apply(x);
}

} // namespace wemoe
