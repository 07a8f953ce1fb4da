#pragma once

#include "common/tensor_map.h"
#include "io/clip_config.h"
#include "jobs/job_context.h"
#include "merge/merge_inputs.h"
#include "moe/weight_ensembling_mlp.h"

#include <torch/types.h>

#include <QtCore/QStringList>

#include <memory>
#include <vector>

namespace wemoe {

class ClipVisionModel;

// The tensors WEMoE upscales into experts: every block's MLP (fc1, fc2,
// weights and biases), by canonical name.
bool isUpscaledMlpTensor(const std::string &name);

// PerBlock: every block's MLP has its own router (WEMoE). Shared: one router
// serves every block (E-WEMoE, FusionBench's shared_gate): each block feeds it
// its own MLP input, so the routing still differs from block to block, but
// there is one set of router parameters, seeded with mlp.routerSeed.
enum class RouterSharing { PerBlock, Shared };

QString routerSharingName(RouterSharing sharing); // "per_block", "shared"

struct UpscaleOptions
{
    double scalingFactor = 0.3;     // λ of the task arithmetic that merges everything but the MLPs
    WeightEnsemblingMlpOptions mlp; // router depth, init λ, seed, bf16 task vectors, keep ratio
    RouterSharing routers = RouterSharing::PerBlock;

    // E-WEMoE rather than WEMoE: pruned task vectors or a shared router.
    bool isEfficient() const { return mlp.keepRatio < 1.0 || routers == RouterSharing::Shared; }
};

// The WEMoE model (docs/METHOD.md, "WEMoE"): every tensor outside the MLPs merged by
// task arithmetic, and the MLP of EVERY block upscaled into a weight-ensembling
// MoE holding θ0's MLP, the T MLP task vectors (frozen) and a router. Only the
// routers have parameters. encode() routes per sample unless told otherwise,
// and can record the routing weights of every block for every image.
class UpscaledClipModel
{
public:
    // Builds from a pool's maps (validated: same names and shapes). Router t's
    // seed is mlp.routerSeed + layer (a shared router's is mlp.routerSeed), so a
    // model is reproducible from one seed.
    static UpscaledClipModel upscale(const ClipVisionConfig &config, const MergeInputs &inputs,
                                     const QStringList &taskNames, const UpscaleOptions &options,
                                     const c10::Device &device, const JobContext &context = {});

    // Assembles a model from its parts (used by the file reader). With shared
    // routers every MLP must hold the same router.
    UpscaledClipModel(const ClipVisionConfig &config, const TensorMap &mergedDense,
                      std::vector<WeightEnsemblingMlp> mlps, QStringList taskNames, UpscaleOptions options,
                      const c10::Device &device);
    ~UpscaledClipModel();
    UpscaledClipModel(UpscaledClipModel &&) noexcept;
    UpscaledClipModel &operator=(UpscaledClipModel &&) noexcept;

    const ClipVisionConfig &config() const;
    const QStringList &taskNames() const { return m_taskNames; }
    const UpscaleOptions &options() const { return m_options; }
    c10::Device device() const;
    int layers() const { return static_cast<int>(m_mlps->size()); }
    int experts() const { return m_taskNames.size(); }
    int featureDim() const;

    // images [B, C, H, W] -> features [B, featureDim]. With `routing` non-null,
    // it receives the routing weights actually applied, [B, layers, experts].
    torch::Tensor encode(const torch::Tensor &images, RoutingMode mode = RoutingMode::PerSample,
                         torch::Tensor *routing = nullptr) const;

    // The trainable parameters: every router's (a shared router's once), nothing else.
    std::vector<torch::Tensor> routerParameters() const;
    // Router state by name ("layers.N.<parameter>", or "shared.<parameter>"
    // for a shared router), for checkpoints and export.
    TensorMap routerState() const;
    // Loads router state saved by routerState(); throws wemoe::Error naming the
    // first missing or mis-shaped tensor.
    void loadRouterState(const TensorMap &state, const QString &source);

    const WeightEnsemblingMlp &mlp(int layer) const { return m_mlps->at(layer); }
    // The merged dense weights (task arithmetic outside the MLPs, θ0's MLPs).
    const TensorMap &mergedDense() const { return m_mergedDense; }

    // A plain CLIP map with each block's MLP collapsed at fixed routing weights
    // [layers, experts]: θ0 + Σt w[l,t] τt. What "collapse" exports.
    TensorMap collapse(const torch::Tensor &routingPerLayer) const;

private:
    QStringList m_taskNames;
    UpscaleOptions m_options;
    TensorMap m_mergedDense;
    // Shared with the MLP override installed in m_model, so moving the model keeps it valid.
    std::shared_ptr<std::vector<WeightEnsemblingMlp>> m_mlps;
    std::unique_ptr<ClipVisionModel> m_model;
};

} // namespace wemoe
