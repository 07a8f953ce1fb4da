#include "text/clip_text_model.h"

#include "common/error.h"
#include "model/clip_vision_model.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace wemoe {

namespace {

const std::string kTextPrefix = "text_model.";
const std::string kTokenEmbedding = "text_model.embeddings.token_embedding.weight";
const std::string kPositionEmbedding = "text_model.embeddings.position_embedding.weight";
const std::string kFinalLayerNormWeight = "text_model.final_layer_norm.weight";
const std::string kFinalLayerNormBias = "text_model.final_layer_norm.bias";
const std::string kTextProjection = "text_projection.weight";

QString shapeText(c10::IntArrayRef shape)
{
    return QString::fromStdString(c10::str(shape));
}

} // namespace

std::string textBlockTensorName(int layer, const char *suffix)
{
    return kTextPrefix + "encoder.layers." + std::to_string(layer) + "." + suffix;
}

std::map<std::string, std::vector<int64_t>> expectedTextShapes(const ClipTextConfig &config)
{
    const int64_t d = config.hiddenSize;
    const int64_t mlp = config.intermediateSize;
    std::map<std::string, std::vector<int64_t>> shapes{
        {kTokenEmbedding, {config.vocabSize, d}},
        {kPositionEmbedding, {config.maxPositionEmbeddings, d}},
        {kFinalLayerNormWeight, {d}},
        {kFinalLayerNormBias, {d}},
        {kTextProjection, {config.projectionDim, d}},
    };
    for (int layer = 0; layer < config.numHiddenLayers; ++layer) {
        const auto add = [&](const char *suffix, std::vector<int64_t> shape) {
            shapes.emplace(textBlockTensorName(layer, suffix), std::move(shape));
        };
        for (const char *projection : {"q_proj", "k_proj", "v_proj", "out_proj"}) {
            add(("self_attn." + std::string(projection) + ".weight").c_str(), {d, d});
            add(("self_attn." + std::string(projection) + ".bias").c_str(), {d});
        }
        for (const char *norm : {"layer_norm1", "layer_norm2"}) {
            add((std::string(norm) + ".weight").c_str(), {d});
            add((std::string(norm) + ".bias").c_str(), {d});
        }
        add("mlp.fc1.weight", {mlp, d});
        add("mlp.fc1.bias", {mlp});
        add("mlp.fc2.weight", {d, mlp});
        add("mlp.fc2.bias", {d});
    }
    return shapes;
}

bool ClipTextModel::hasTextTower(const TensorMap &weights)
{
    return weights.count(kTokenEmbedding) > 0 && weights.count(kTextProjection) > 0;
}

bool ClipTextModel::isTextTowerTensor(const std::string &name)
{
    return name.compare(0, kTextPrefix.size(), kTextPrefix) == 0 || name == kTextProjection;
}

ClipTextModel::ClipTextModel(const ClipTextConfig &config, const TensorMap &weights, const c10::Device &device,
                             const QString &source)
    : m_config(config)
    , m_device(device)
    , m_source(source)
{
    if (config.hiddenSize % config.numAttentionHeads != 0)
        throw Error(source, QStringLiteral("text tower: hidden_size %1 is not divisible by num_attention_heads %2")
                                .arg(config.hiddenSize)
                                .arg(config.numAttentionHeads));
    // Validate before converting anything, so a bad map fails fast and names the tensor.
    const auto expected = expectedTextShapes(config);
    for (const auto &[name, shape] : expected) {
        const auto it = weights.find(name);
        const QString tensor = QString::fromStdString(name);
        if (it == weights.end())
            throw Error(source, QStringLiteral("text tower: tensor '%1' is missing").arg(tensor));
        const auto actual = it->second.sizes();
        if (name == kTextProjection && actual.size() == 2 && actual[1] != config.hiddenSize)
            throw Error(source,
                        QStringLiteral("text tower: tensor '%1' has shape %2: it projects width %3, but the text "
                                       "tower is %4 wide")
                            .arg(tensor, shapeText(actual))
                            .arg(actual[1])
                            .arg(config.hiddenSize));
        if (actual != c10::IntArrayRef(shape))
            throw Error(source, QStringLiteral("text tower: tensor '%1' has shape %2, the config implies %3")
                                    .arg(tensor, shapeText(actual), shapeText(shape)));
    }
    applyActivation(config.hiddenAct, torch::zeros({1})); // rejects an unknown activation now, not mid-run
    for (const auto &[name, shape] : expected)
        m_weights.emplace(name, weights.at(name).to(device, torch::kFloat32).contiguous());
}

void ClipTextModel::setBatchSize(int prompts)
{
    if (prompts < 1)
        throw Error(QStringLiteral("text tower: batch size %1 must be at least 1").arg(prompts));
    m_batchSize = prompts;
}

void ClipTextModel::setBatchTokens(int tokens)
{
    if (tokens < 1)
        throw Error(QStringLiteral("text tower: tokens per batch %1 must be at least 1").arg(tokens));
    m_batchTokens = tokens;
}

const torch::Tensor &ClipTextModel::weight(const std::string &name) const
{
    const auto it = m_weights.find(name);
    if (it == m_weights.end())
        throw Error(m_source, QStringLiteral("text tower: no tensor '%1'").arg(QString::fromStdString(name)));
    return it->second;
}

int64_t ClipTextModel::poolPosition(const std::vector<int64_t> &prompt, size_t index) const
{
    const auto &c = m_config;
    if (prompt.empty())
        throw Error(QStringLiteral("text prompt %1 is empty").arg(index));
    if (prompt.size() > size_t(c.maxPositionEmbeddings))
        throw Error(QStringLiteral("text prompt %1 has %2 tokens, more than the text tower's context of %3")
                        .arg(index)
                        .arg(prompt.size())
                        .arg(c.maxPositionEmbeddings));
    for (size_t i = 0; i < prompt.size(); ++i) {
        if (prompt[i] < 0 || prompt[i] >= c.vocabSize)
            throw Error(QStringLiteral("text prompt %1: token %2 is id %3, outside the vocabulary of %4")
                            .arg(index)
                            .arg(i)
                            .arg(prompt[i])
                            .arg(c.vocabSize));
    }
    // max_element and find both take the first match, as torch's argmax does.
    if (c.poolsAtLargestId())
        return std::max_element(prompt.begin(), prompt.end()) - prompt.begin();
    const auto end = std::find(prompt.begin(), prompt.end(), c.eosTokenId);
    if (end == prompt.end())
        throw Error(QStringLiteral("text prompt %1 has no end token (id %2)").arg(index).arg(c.eosTokenId));
    return end - prompt.begin();
}

torch::Tensor ClipTextModel::encode(const std::vector<std::vector<int64_t>> &prompts, const JobContext &context) const
{
    torch::NoGradGuard noGrad;
    const int64_t count = int64_t(prompts.size());
    std::vector<int64_t> positions(prompts.size());
    for (size_t i = 0; i < prompts.size(); ++i)
        positions[i] = poolPosition(prompts[i], i);

    // Shortest first, so that each pass is padded to about its own prompts'
    // length rather than to the longest of the call.
    std::vector<int64_t> order(prompts.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return positions[a] < positions[b]; });

    auto result = torch::empty({count, m_config.projectionDim}, torch::dtype(torch::kFloat32).device(m_device));
    for (int64_t start = 0; start < count;) {
        context.throwIfCancelled();
        // The pass's padded length is its last (longest) prompt's.
        int64_t end = start + 1;
        while (end < count && end - start < m_batchSize
               && (end - start + 1) * (positions[order[end]] + 1) <= m_batchTokens)
            ++end;
        std::vector<const std::vector<int64_t> *> pass;
        std::vector<int64_t> passPositions;
        for (int64_t i = start; i < end; ++i) {
            pass.push_back(&prompts[order[i]]);
            passPositions.push_back(positions[order[i]]);
        }
        const auto rows = torch::tensor(std::vector<int64_t>(order.begin() + start, order.begin() + end),
                                        torch::dtype(torch::kLong).device(m_device));
        result.index_copy_(0, rows, encodePass(pass, passPositions));
        context.progress(end, count, QStringLiteral("encoding prompts"));
        start = end;
    }
    return result;
}

torch::Tensor ClipTextModel::encodePass(const std::vector<const std::vector<int64_t> *> &prompts,
                                        const std::vector<int64_t> &poolPositions) const
{
    const auto &c = m_config;
    const int64_t batch = int64_t(prompts.size());
    // Tokens after a prompt's pooled position cannot reach it through the
    // causal mask, so each prompt is cut there and padded with id 0.
    const int64_t length = *std::max_element(poolPositions.begin(), poolPositions.end()) + 1;
    auto ids = torch::zeros({batch, length}, torch::kLong);
    auto idsAccess = ids.accessor<int64_t, 2>();
    for (int64_t b = 0; b < batch; ++b)
        for (int64_t t = 0; t <= poolPositions[b]; ++t)
            idsAccess[b][t] = (*prompts[b])[t];
    ids = ids.to(m_device);

    auto x = torch::embedding(weight(kTokenEmbedding), ids) + weight(kPositionEmbedding).slice(0, 0, length);
    // -inf above the diagonal: token t attends to tokens 0..t only.
    const auto causalMask = torch::full({length, length}, -std::numeric_limits<float>::infinity(),
                                        torch::dtype(torch::kFloat32).device(m_device))
                                .triu(1);
    for (int layer = 0; layer < c.numHiddenLayers; ++layer)
        x = block(layer, x, causalMask);

    const auto index = torch::tensor(poolPositions, torch::dtype(torch::kLong).device(m_device));
    auto pooled = x.gather(1, index.view({batch, 1, 1}).expand({batch, 1, c.hiddenSize})).squeeze(1);
    // Layer norm is per token, so the final one only needs the pooled tokens.
    pooled = torch::layer_norm(pooled, {c.hiddenSize}, weight(kFinalLayerNormWeight), weight(kFinalLayerNormBias),
                               c.layerNormEps);
    return torch::linear(pooled, weight(kTextProjection));
}

torch::Tensor ClipTextModel::block(int layer, const torch::Tensor &x, const torch::Tensor &causalMask) const
{
    const auto &c = m_config;
    const auto w = [&](const char *suffix) -> const torch::Tensor & {
        return weight(textBlockTensorName(layer, suffix));
    };
    auto h = torch::layer_norm(x, {c.hiddenSize}, w("layer_norm1.weight"), w("layer_norm1.bias"), c.layerNormEps);
    auto out = x + attention(layer, h, causalMask);
    h = torch::layer_norm(out, {c.hiddenSize}, w("layer_norm2.weight"), w("layer_norm2.bias"), c.layerNormEps);
    auto hidden = applyActivation(c.hiddenAct, torch::linear(h, w("mlp.fc1.weight"), w("mlp.fc1.bias")));
    return out + torch::linear(hidden, w("mlp.fc2.weight"), w("mlp.fc2.bias"));
}

torch::Tensor ClipTextModel::attention(int layer, const torch::Tensor &h, const torch::Tensor &causalMask) const
{
    const auto &c = m_config;
    const auto w = [&](const char *suffix) -> const torch::Tensor & {
        return weight(textBlockTensorName(layer, suffix));
    };
    const int64_t batch = h.size(0);
    const int64_t tokens = h.size(1);
    const int64_t heads = c.numAttentionHeads;
    const int64_t headDim = c.headDim();
    const double scale = 1.0 / std::sqrt(static_cast<double>(headDim));

    // [B, N, D] -> [B * heads, N, headDim]
    const auto split = [&](const torch::Tensor &t) {
        return t.view({batch, tokens, heads, headDim}).transpose(1, 2).reshape({batch * heads, tokens, headDim});
    };
    auto q = split(torch::linear(h, w("self_attn.q_proj.weight"), w("self_attn.q_proj.bias")));
    auto k = split(torch::linear(h, w("self_attn.k_proj.weight"), w("self_attn.k_proj.bias")));
    auto v = split(torch::linear(h, w("self_attn.v_proj.weight"), w("self_attn.v_proj.bias")));
    // mask + scale * q k^T in one product, so the scores are written once.
    auto probs = torch::softmax(torch::baddbmm(causalMask, q, k.transpose(1, 2), 1.0, scale), -1);
    auto context = torch::bmm(probs, v)
                       .view({batch, heads, tokens, headDim})
                       .transpose(1, 2)
                       .reshape({batch, tokens, c.hiddenSize});
    return torch::linear(context, w("self_attn.out_proj.weight"), w("self_attn.out_proj.bias"));
}

} // namespace wemoe
