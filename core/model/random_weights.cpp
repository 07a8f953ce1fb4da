#include "model/random_weights.h"

#include "io/checkpoint.h"

#include <torch/torch.h>

namespace wemoe {

namespace {

bool isLayerNormWeight(const std::string &name)
{
    const auto endsWith = [&](const char *suffix) {
        const std::string s(suffix);
        return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
    };
    return (name.find("layrnorm") != std::string::npos || name.find("layernorm") != std::string::npos
            || name.find("layer_norm") != std::string::npos)
           && endsWith(".weight");
}

bool isBias(const std::string &name)
{
    return name.size() >= 5 && name.compare(name.size() - 5, 5, ".bias") == 0;
}

} // namespace

TensorMap randomClipVisionWeights(const ClipVisionConfig &config, quint64 seed, double std)
{
    auto generator = at::detail::createCPUGenerator(seed);
    TensorMap weights;
    for (const auto &[name, shape] : expectedVisionShapes(config)) {
        torch::Tensor t;
        if (isLayerNormWeight(name))
            t = torch::ones(shape);
        else if (isBias(name) && name.find("norm") != std::string::npos)
            t = torch::zeros(shape);
        else
            t = at::normal(0.0, std, shape, generator);
        weights.emplace(name, t.to(torch::kFloat32).contiguous());
    }
    return weights;
}

ClipVisionConfig tinyClipConfig()
{
    ClipVisionConfig c;
    c.hiddenSize = 32;
    c.intermediateSize = 64;
    c.numHiddenLayers = 2;
    c.numAttentionHeads = 2;
    c.imageSize = 16;
    c.patchSize = 4;
    c.numChannels = 3;
    c.hiddenAct = QStringLiteral("quick_gelu");
    c.layerNormEps = 1e-5;
    c.projectionDim = 16;
    return c;
}

} // namespace wemoe
