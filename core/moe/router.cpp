#include "moe/router.h"

#include "common/error.h"

#include <torch/torch.h>

namespace wemoe {

RouterImpl::RouterImpl(const RouterOptions &options)
    : m_options(options)
{
    if (options.depth < 0 || options.depth > 2)
        throw Error(QStringLiteral("router depth %1 is not supported (0, 1 or 2)").arg(options.depth));
    if (options.hiddenSize < 1 || options.experts < 1)
        throw Error(QStringLiteral("router needs a positive width and expert count (got D = %1, T = %2)")
                        .arg(options.hiddenSize)
                        .arg(options.experts));

    // Draw in a fixed order from our own CPU generator: the global generator is
    // never touched, and the result does not depend on the device.
    auto generator = at::detail::createCPUGenerator(options.seed);
    const auto d = options.hiddenSize;
    const auto t = options.experts;
    const auto f32 = torch::TensorOptions().dtype(torch::kFloat32);
    if (options.depth == 2) {
        m_hiddenWeight = register_parameter("hidden_weight", at::normal(0.0, kInitStd, {d, d}, generator, f32));
        m_hiddenBias = register_parameter("hidden_bias", torch::zeros({d}, f32));
    }
    if (options.depth >= 1)
        m_outputWeight = register_parameter("output_weight", at::normal(0.0, kInitStd, {t, d}, generator, f32));
    m_outputBias = register_parameter("output_bias", torch::full({t}, options.initLambda, f32));
}

torch::Tensor RouterImpl::forward(const torch::Tensor &h)
{
    if (!h.defined() || h.dim() != 3 || h.size(2) != m_options.hiddenSize)
        throw Error(QStringLiteral("router input %1 is not [batch, tokens, %2]")
                        .arg(h.defined() ? QString::fromStdString(c10::str(h.sizes())) : QStringLiteral("(none)"))
                        .arg(m_options.hiddenSize));
    switch (m_options.depth) {
    case 0: return m_outputBias.expand({h.size(0), h.size(1), m_options.experts});
    case 1: return torch::nn::functional::linear(h, m_outputWeight, m_outputBias);
    default:
        return torch::nn::functional::linear(
            torch::relu(torch::nn::functional::linear(h, m_hiddenWeight, m_hiddenBias)), m_outputWeight, m_outputBias);
    }
}

torch::Tensor RouterImpl::routingWeights(const torch::Tensor &h)
{
    return forward(h).mean(1);
}

} // namespace wemoe
