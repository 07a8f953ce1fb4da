#pragma once

#include <torch/types.h>

#include <QtCore/QString>

namespace wemoe {

// The activation between fc1 and fc2 of a CLIP MLP, as named by config.json's
// hidden_act. The vision and text towers and the weight-ensembling MLP all
// apply it through here; quick_gelu is quickGelu (quick_gelu.h).
enum class MlpActivation {
    QuickGelu, // x * sigmoid(1.702 x), OpenAI CLIP
    Gelu,      // exact erf GELU
    GeluTanh,  // tanh approximation ("gelu_new", "gelu_pytorch_tanh")
};

// Throws wemoe::Error for a name it does not know.
MlpActivation parseMlpActivation(const QString &hiddenAct);
QString mlpActivationName(MlpActivation activation);

torch::Tensor applyMlpActivation(MlpActivation activation, const torch::Tensor &x);

} // namespace wemoe
