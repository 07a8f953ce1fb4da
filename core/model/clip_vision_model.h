#pragma once

#include "common/tensor_map.h"
#include "io/clip_config.h"

#include <torch/types.h>

#include <functional>

namespace wemoe {

// Canonical name of a block tensor: blockTensorName(3, "mlp.fc1.weight")
// == "encoder.layers.3.mlp.fc1.weight".
std::string blockTensorName(int layer, const char *suffix);

// The CLIP vision transformer, computed functionally from a name -> tensor map
// (canonical names, see checkpoint.h), so any merge result can be evaluated:
// patch conv, class token, positions, pre-LN, pre-norm blocks
// (x + attn(ln1 x), then x + mlp(ln2 x)), post-LN on the class token, and the
// visual projection when present. Weights are copied to `device` as float32
// once (fp16/bf16 storage is widened; computation is always fp32).
//
// encode() records autograd only when the caller enables it; evaluation code
// wraps it in torch::NoGradGuard.
class ClipVisionModel
{
public:
    // Throws wemoe::Error naming the first missing or mis-shaped tensor.
    ClipVisionModel(const ClipVisionConfig &config, const TensorMap &weights, const c10::Device &device);

    const ClipVisionConfig &config() const { return m_config; }
    c10::Device device() const { return m_device; }
    // Output size of encode(): projection_dim, or hidden_size without projection.
    int featureDim() const;

    // images [B, C, H, W] (normalised, any device) -> features [B, featureDim].
    // The same as features(runBlock(L-1, ... runBlock(0, embed(images)))).
    torch::Tensor encode(const torch::Tensor &images) const;

    // encode() one stage at a time, for merges that walk the model block by
    // block (RegMean++): images -> tokens [B, tokens, D] after the pre-LN;
    // one block, [B, tokens, D] -> [B, tokens, D]; the last block's tokens ->
    // features [B, featureDim] (post-LN of the class token, then the projection).
    torch::Tensor embed(const torch::Tensor &images) const;
    torch::Tensor runBlock(int layer, const torch::Tensor &x) const;
    torch::Tensor features(const torch::Tensor &x) const;

    // Sees the input of every linear map just before it is applied: the
    // canonical name of its weight and its input, [B, tokens, in] in the blocks
    // and [B, in] for the projection. q, k and v are shown the same tensor.
    // RegMean collects its Gram matrices here. Empty: nothing is called. fc1
    // and fc2 are not seen while an MLP override replaces them.
    using LinearObserver = std::function<void(const std::string &weightName, const torch::Tensor &input)>;
    void setLinearObserver(LinearObserver observer) { m_linearObserver = std::move(observer); }

    // Replaces one weight (same name and shape; copied to the device as
    // float32), so a block of another model can be swapped in without
    // copying the whole model. Throws wemoe::Error for an unknown name or a
    // different shape.
    void setWeight(const std::string &name, const torch::Tensor &value);

    // Replaces the MLP of every block: called with the block index and the MLP
    // input h = layer_norm2(x), [B, tokens, D]; returns [B, tokens, D]. WEMoE's
    // weight-ensembling MLPs plug in here. An empty function restores the plain MLP.
    using MlpFunction = std::function<torch::Tensor(int layer, const torch::Tensor &h)>;
    void setMlpOverride(MlpFunction mlp) { m_mlpOverride = std::move(mlp); }

    // The float32, on-device weight with a canonical name.
    const torch::Tensor &weight(const std::string &name) const;

private:
    torch::Tensor attention(int layer, const torch::Tensor &h) const;
    // The name is built only when someone observes: an empty observer costs a test.
    void observe(const char *weightName, const torch::Tensor &input) const
    {
        if (m_linearObserver)
            m_linearObserver(weightName, input);
    }
    void observe(int layer, const char *suffix, const torch::Tensor &input) const
    {
        if (m_linearObserver)
            m_linearObserver(blockTensorName(layer, suffix), input);
    }

    ClipVisionConfig m_config;
    c10::Device m_device;
    TensorMap m_weights;
    MlpFunction m_mlpOverride;
    LinearObserver m_linearObserver;
};

// The MLP activation named by a config (mlp_activation.h): "quick_gelu" =
// x * sigmoid(1.702 x), "gelu" = exact erf GELU, "gelu_new"/"gelu_pytorch_tanh"
// = tanh approximation. Throws wemoe::Error for another name.
torch::Tensor applyActivation(const QString &hiddenAct, const torch::Tensor &x);

} // namespace wemoe
