#include "text/random_text_weights.h"

#include "text/clip_text_model.h"

#include <torch/torch.h>

namespace wemoe {

namespace {

bool endsWith(const std::string &name, const std::string &suffix)
{
    return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

TensorMap randomClipTextWeights(const ClipTextConfig &config, quint64 seed, double std)
{
    auto generator = at::detail::createCPUGenerator(seed);
    TensorMap weights;
    for (const auto &[name, shape] : expectedTextShapes(config)) {
        torch::Tensor t;
        const bool layerNorm = name.find("layer_norm") != std::string::npos;
        if (layerNorm && endsWith(name, ".weight"))
            t = torch::ones(shape);
        else if (layerNorm)
            t = torch::zeros(shape);
        else
            t = at::normal(0.0, std, shape, generator);
        weights.emplace(name, t.to(torch::kFloat32).contiguous());
    }
    return weights;
}

ClipTextConfig tinyClipTextConfig()
{
    ClipTextConfig c;
    c.vocabSize = 50;
    c.hiddenSize = 16;
    c.intermediateSize = 32;
    c.numHiddenLayers = 2;
    c.numAttentionHeads = 2;
    c.maxPositionEmbeddings = 12;
    c.hiddenAct = QStringLiteral("quick_gelu");
    c.layerNormEps = 1e-5;
    c.eosTokenId = ClipTextConfig::kLegacyEosTokenId;
    c.projectionDim = 8;
    return c;
}

} // namespace wemoe
