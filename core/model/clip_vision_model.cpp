#include "model/clip_vision_model.h"

#include "common/error.h"
#include "io/checkpoint.h"
#include "model/mlp_activation.h"

#include <torch/torch.h>

namespace wemoe {

namespace F = torch::nn::functional;

std::string blockTensorName(int layer, const char *suffix)
{
    return "encoder.layers." + std::to_string(layer) + "." + suffix;
}

torch::Tensor applyActivation(const QString &hiddenAct, const torch::Tensor &x)
{
    return applyMlpActivation(parseMlpActivation(hiddenAct), x);
}

ClipVisionModel::ClipVisionModel(const ClipVisionConfig &config, const TensorMap &weights, const c10::Device &device)
    : m_config(config)
    , m_device(device)
{
    // Validate before converting anything, so a bad map fails fast and names the tensor.
    const auto expected = expectedVisionShapes(config);
    for (const auto &[name, shape] : expected) {
        const auto it = weights.find(name);
        if (it == weights.end())
            throw Error(QStringLiteral("model weights: tensor '%1' is missing").arg(QString::fromStdString(name)));
        if (it->second.sizes() != c10::IntArrayRef(shape))
            throw Error(QStringLiteral("model weights: tensor '%1' has shape %2, the config implies %3")
                            .arg(QString::fromStdString(name), QString::fromStdString(c10::str(it->second.sizes())),
                                 QString::fromStdString(c10::str(c10::IntArrayRef(shape)))));
    }
    if (config.hiddenSize % config.numAttentionHeads != 0)
        throw Error(QStringLiteral("model config: hidden_size %1 is not divisible by num_attention_heads %2")
                        .arg(config.hiddenSize)
                        .arg(config.numAttentionHeads));
    applyActivation(config.hiddenAct, torch::zeros({1})); // rejects an unknown activation now, not mid-run
    for (const auto &[name, shape] : expected)
        m_weights.emplace(name, weights.at(name).to(device, torch::kFloat32).contiguous());
}

int ClipVisionModel::featureDim() const
{
    return m_config.projectionDim > 0 ? m_config.projectionDim : m_config.hiddenSize;
}

const torch::Tensor &ClipVisionModel::weight(const std::string &name) const
{
    const auto it = m_weights.find(name);
    if (it == m_weights.end())
        throw Error(QStringLiteral("model weights: no tensor '%1'").arg(QString::fromStdString(name)));
    return it->second;
}

void ClipVisionModel::setWeight(const std::string &name, const torch::Tensor &value)
{
    const auto found = m_weights.find(name);
    if (found == m_weights.end())
        throw Error(QStringLiteral("model weights: no tensor '%1'").arg(QString::fromStdString(name)));
    torch::Tensor &current = found->second;
    if (value.sizes() != current.sizes())
        throw Error(QStringLiteral("model weights: tensor '%1' has shape %2, the model's is %3")
                        .arg(QString::fromStdString(name), QString::fromStdString(c10::str(value.sizes())),
                             QString::fromStdString(c10::str(current.sizes()))));
    current = value.to(m_device, torch::kFloat32).contiguous();
}

torch::Tensor ClipVisionModel::encode(const torch::Tensor &images) const
{
    auto x = embed(images);
    for (int layer = 0; layer < m_config.numHiddenLayers; ++layer)
        x = runBlock(layer, x);
    return features(x);
}

torch::Tensor ClipVisionModel::embed(const torch::Tensor &images) const
{
    const auto &c = m_config;
    if (images.dim() != 4 || images.size(1) != c.numChannels || images.size(2) != c.imageSize
        || images.size(3) != c.imageSize)
        throw Error(QStringLiteral("model input: expected images [B, %1, %2, %2], got %3")
                        .arg(c.numChannels)
                        .arg(c.imageSize)
                        .arg(QString::fromStdString(c10::str(images.sizes()))));
    const auto x0 = images.to(m_device, torch::kFloat32);
    const int64_t batch = x0.size(0);

    // Patches -> tokens: [B, D, g, g] -> [B, g*g, D]; the class token goes first.
    auto patches = F::conv2d(x0, weight("embeddings.patch_embedding.weight"),
                             F::Conv2dFuncOptions().stride(c.patchSize));
    patches = patches.flatten(2).transpose(1, 2);
    auto cls = weight("embeddings.class_embedding").view({1, 1, -1}).expand({batch, 1, c.hiddenSize});
    auto x = torch::cat({cls, patches}, 1) + weight("embeddings.position_embedding.weight").unsqueeze(0);
    return torch::layer_norm(x, {c.hiddenSize}, weight("pre_layrnorm.weight"), weight("pre_layrnorm.bias"),
                             c.layerNormEps);
}

torch::Tensor ClipVisionModel::features(const torch::Tensor &x) const
{
    const auto &c = m_config;
    auto pooled = torch::layer_norm(x.select(1, 0), {c.hiddenSize}, weight("post_layernorm.weight"),
                                    weight("post_layernorm.bias"), c.layerNormEps);
    if (c.projectionDim > 0) {
        observe("visual_projection.weight", pooled);
        pooled = torch::matmul(pooled, weight("visual_projection.weight").t());
    }
    return pooled;
}

torch::Tensor ClipVisionModel::runBlock(int layer, const torch::Tensor &x) const
{
    const auto &c = m_config;
    const auto w = [&](const char *suffix) -> const torch::Tensor & { return weight(blockTensorName(layer, suffix)); };

    auto h = torch::layer_norm(x, {c.hiddenSize}, w("layer_norm1.weight"), w("layer_norm1.bias"), c.layerNormEps);
    auto out = x + attention(layer, h);

    h = torch::layer_norm(out, {c.hiddenSize}, w("layer_norm2.weight"), w("layer_norm2.bias"), c.layerNormEps);
    if (m_mlpOverride)
        return out + m_mlpOverride(layer, h);
    observe(layer, "mlp.fc1.weight", h);
    auto hidden = applyActivation(c.hiddenAct, torch::linear(h, w("mlp.fc1.weight"), w("mlp.fc1.bias")));
    observe(layer, "mlp.fc2.weight", hidden);
    return out + torch::linear(hidden, w("mlp.fc2.weight"), w("mlp.fc2.bias"));
}

torch::Tensor ClipVisionModel::attention(int layer, const torch::Tensor &h) const
{
    const auto &c = m_config;
    const auto w = [&](const char *suffix) -> const torch::Tensor & { return weight(blockTensorName(layer, suffix)); };
    const int64_t batch = h.size(0);
    const int64_t tokens = h.size(1);
    const int64_t heads = c.numAttentionHeads;
    const int64_t headDim = c.headDim();
    const double scale = 1.0 / std::sqrt(static_cast<double>(headDim));

    // [B, N, D] -> [B, heads, N, headDim]
    const auto split = [&](const torch::Tensor &t) { return t.view({batch, tokens, heads, headDim}).transpose(1, 2); };
    for (const char *projection : {"self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight"})
        observe(layer, projection, h);
    auto q = split(torch::linear(h, w("self_attn.q_proj.weight"), w("self_attn.q_proj.bias")) * scale);
    auto k = split(torch::linear(h, w("self_attn.k_proj.weight"), w("self_attn.k_proj.bias")));
    auto v = split(torch::linear(h, w("self_attn.v_proj.weight"), w("self_attn.v_proj.bias")));
    auto probs = torch::softmax(torch::matmul(q, k.transpose(-2, -1)), -1);
    auto context = torch::matmul(probs, v).transpose(1, 2).reshape({batch, tokens, c.hiddenSize});
    observe(layer, "self_attn.out_proj.weight", context);
    return torch::linear(context, w("self_attn.out_proj.weight"), w("self_attn.out_proj.bias"));
}

} // namespace wemoe
