#include "model/mlp_activation.h"

#include "common/error.h"
#include "model/quick_gelu.h"

#include <torch/torch.h>

namespace wemoe {

MlpActivation parseMlpActivation(const QString &hiddenAct)
{
    if (hiddenAct == QLatin1String("quick_gelu"))
        return MlpActivation::QuickGelu;
    if (hiddenAct == QLatin1String("gelu"))
        return MlpActivation::Gelu;
    if (hiddenAct == QLatin1String("gelu_new") || hiddenAct == QLatin1String("gelu_pytorch_tanh"))
        return MlpActivation::GeluTanh;
    throw Error(
        QStringLiteral("unsupported hidden_act \"%1\" (expected quick_gelu, gelu, gelu_new or gelu_pytorch_tanh)")
            .arg(hiddenAct));
}

QString mlpActivationName(MlpActivation activation)
{
    switch (activation) {
    case MlpActivation::QuickGelu: return QStringLiteral("quick_gelu");
    case MlpActivation::Gelu: return QStringLiteral("gelu");
    case MlpActivation::GeluTanh: return QStringLiteral("gelu_new");
    }
    return {};
}

torch::Tensor applyMlpActivation(MlpActivation activation, const torch::Tensor &x)
{
    switch (activation) {
    case MlpActivation::QuickGelu: return quickGelu(x);
    case MlpActivation::Gelu: return torch::gelu(x);
    case MlpActivation::GeluTanh: return torch::gelu(x, "tanh");
    }
    return x;
}

} // namespace wemoe
