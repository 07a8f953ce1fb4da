#pragma once

#include "common/tensor_map.h"
#include "jobs/job_context.h"
#include "text/clip_text_config.h"

#include <QtCore/QString>

#include <torch/types.h>

#include <map>
#include <string>
#include <vector>

namespace wemoe {

// CLIP's text transformer, computed functionally from a CLIPModel's tensors
// (file keys "text_model.*" and "text_projection.weight"): token and position
// embeddings, pre-norm blocks with a causal attention mask
// (x + attn(ln1 x), then x + mlp(ln2 x)), the final layer norm at each
// prompt's pooled position, and the text projection. Weights are copied to
// `device` as float32 once; computation is always fp32.
class ClipTextModel
{
public:
    // Throws wemoe::Error(source, ...) naming the first missing or mis-shaped tensor.
    ClipTextModel(const ClipTextConfig &config, const TensorMap &weights, const c10::Device &device,
                  const QString &source);

    const ClipTextConfig &config() const { return m_config; }
    c10::Device device() const { return m_device; }
    int projectionDim() const { return m_config.projectionDim; }

    // A forward pass holds at most batchSize() prompts and, unless a single
    // prompt is longer, batchTokens() tokens (prompts x the pass's padded
    // length). The token bound keeps activations small: at width 512, one pass
    // of 256 prompts of 77 tokens makes 160 MB MLP tensors, which the allocator
    // maps and faults in afresh on every use; it ran 15-40 % slower than passes
    // of ~2000 tokens (docs/PERFORMANCE.md).
    static constexpr int kDefaultBatchSize = 256;
    static constexpr int kDefaultBatchTokens = 2048;
    int batchSize() const { return m_batchSize; }
    void setBatchSize(int prompts);
    int batchTokens() const { return m_batchTokens; }
    void setBatchTokens(int tokens);

    // Token-id prompts (with their start and end tokens, at most
    // maxPositionEmbeddings long) -> [N, projectionDim] float32 on the model's
    // device, projected but not normalised, in the prompts' order. Passes take
    // the prompts shortest first, each padded to its longest, so one call with
    // all prompts pads least. The result does not depend on padding or
    // batching: the causal mask keeps every token from seeing those after it,
    // and a prompt is pooled before any padding.
    // Throws wemoe::Error for an empty or too long prompt, an id outside the
    // vocabulary, or (unless the config pools at the largest id) a prompt
    // without the end token. Reports progress in prompts and polls `context`
    // for cancellation between passes.
    torch::Tensor encode(const std::vector<std::vector<int64_t>> &prompts, const JobContext &context = {}) const;

    // The float32, on-device weight with a file key.
    const torch::Tensor &weight(const std::string &name) const;

    // Whether `weights` hold a CLIPModel's text tower (its token embedding and
    // text projection), and whether a tensor name belongs to one.
    static bool hasTextTower(const TensorMap &weights);
    static bool isTextTowerTensor(const std::string &name);

private:
    torch::Tensor encodePass(const std::vector<const std::vector<int64_t> *> &prompts,
                             const std::vector<int64_t> &poolPositions) const;
    torch::Tensor block(int layer, const torch::Tensor &x, const torch::Tensor &causalMask) const;
    torch::Tensor attention(int layer, const torch::Tensor &h, const torch::Tensor &causalMask) const;
    // The position a prompt is pooled at; validates its ids and length.
    int64_t poolPosition(const std::vector<int64_t> &prompt, size_t index) const;

    ClipTextConfig m_config;
    c10::Device m_device;
    QString m_source;
    TensorMap m_weights;
    int m_batchSize = kDefaultBatchSize;
    int m_batchTokens = kDefaultBatchTokens;
};

// The shape of every text-tower tensor a config implies, by file key.
std::map<std::string, std::vector<int64_t>> expectedTextShapes(const ClipTextConfig &config);

// File key of a text block tensor: textBlockTensorName(3, "mlp.fc1.weight")
// == "text_model.encoder.layers.3.mlp.fc1.weight".
std::string textBlockTensorName(int layer, const char *suffix);

} // namespace wemoe
