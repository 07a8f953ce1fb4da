// Fisher merging: each fine-tuned model's diagonal Fisher, estimated the way
// FusionBench's fisher_merging estimates it for CLIP vision models, and the
// Fisher-weighted average of the models, accumulated one task at a time.

#include "datamerge/fisher_merging.h"

#include "common/error.h"
#include "model/clip_vision_model.h"

#include <torch/torch.h>

#include <QtCore/QStringList>

#include <cmath>

namespace wemoe {

namespace {

bool isWeight(const torch::Tensor &tensor)
{
    return tensor.defined() && torch::isFloatingType(tensor.scalar_type());
}

// map[name], as float32 on the CPU, with θ0's shape; `whose` names the map in errors.
torch::Tensor floatTensor(const TensorMap &map, const std::string &name, const torch::Tensor &expected,
                          const QString &whose)
{
    const auto found = map.find(name);
    if (found == map.end() || !found->second.defined())
        throw Error(QStringLiteral("fisher: %1 has no tensor '%2'").arg(whose, QString::fromStdString(name)));
    if (found->second.sizes() != expected.sizes())
        throw Error(QStringLiteral("fisher: tensor '%1' of %2 has shape %3, but the pretrained model's is %4")
                        .arg(QString::fromStdString(name), whose,
                             QString::fromStdString(c10::str(found->second.sizes())),
                             QString::fromStdString(c10::str(expected.sizes()))));
    return found->second.to(torch::kCPU, torch::kFloat32);
}

// Σᵢ wᵢ ⊙ θᵢ and Σᵢ wᵢ over the models added so far, wᵢ = sᵢ (Fᵢ + ε).
// FusionBench also multiplies every wᵢ by (1/n) / Σⱼ sⱼ; that factor is the
// same for all models and cancels in the ratio, so each model can be added
// as soon as its own Fisher is known.
class FisherWeightedSum
{
public:
    FisherWeightedSum(const TensorMap &pretrained, const FisherMergingOptions &options)
        : m_pretrained(pretrained)
        , m_options(options)
    {
        if (!std::isfinite(options.minimalWeight) || options.minimalWeight <= 0)
            throw Error(QStringLiteral("fisher: the minimal Fisher weight must be a positive number (got %1)")
                            .arg(options.minimalWeight));
    }

    // Returns ‖F‖ over every merged tensor (before ε is added).
    double add(const TensorMap &model, const TensorMap &fisher, const QString &whose)
    {
        const QString fisherOfModel = QStringLiteral("the Fisher of %1").arg(whose);
        double squares = 0;
        for (const auto &[name, base] : m_pretrained) {
            if (isWeight(base))
                squares += std::pow(floatTensor(fisher, name, base, fisherOfModel).norm().item<double>(), 2);
        }
        const double norm = std::sqrt(squares);
        if (!std::isfinite(norm))
            throw Error(QStringLiteral("fisher: %1 is not finite (NaN or Inf in its gradients)").arg(fisherOfModel));
        const double scale = m_options.normalize ? 1.0 / (norm + m_options.minimalWeight) : 1.0;

        for (const auto &[name, base] : m_pretrained) {
            if (!isWeight(base))
                continue;
            const torch::Tensor weight =
                floatTensor(fisher, name, base, fisherOfModel).add(m_options.minimalWeight).mul_(scale);
            const torch::Tensor theta = floatTensor(model, name, base, whose);
            const auto sum = m_weightedSum.find(name);
            if (sum == m_weightedSum.end()) {
                m_weightedSum.emplace(name, weight * theta);
                m_weightSum.emplace(name, weight);
            } else {
                sum->second.addcmul_(weight, theta);
                m_weightSum.at(name).add_(weight);
            }
        }
        ++m_models;
        return norm;
    }

    // θ0's names in its order: the weighted averages, and θ0's other tensors as they are.
    TensorMap average() const
    {
        if (m_models == 0)
            throw Error(QStringLiteral("fisher: no fine-tuned models to merge (at least one task is needed)"));
        TensorMap merged;
        for (const auto &[name, base] : m_pretrained) {
            if (isWeight(base))
                merged[name] = m_weightedSum.at(name).div(m_weightSum.at(name)).contiguous();
            else // integer buffers (position ids) are not weights: θ0's, as the other merges keep them
                merged[name] = base.defined() ? base.to(torch::kCPU).clone(torch::MemoryFormat::Contiguous) : base;
        }
        return merged;
    }

private:
    const TensorMap &m_pretrained;
    FisherMergingOptions m_options;
    TensorMap m_weightedSum;
    TensorMap m_weightSum;
    int m_models = 0;
};

} // namespace

FisherBatches calibrationBatches(const CalibrationData &data, int task)
{
    FisherBatches batches;
    batches.count = data.batchCount(task);
    batches.images = data.dataset(task).size();
    batches.batch = [&data, task](int index) { return data.batch(task, index); };
    return batches;
}

TensorMap diagonalFisher(const ClipVisionConfig &config, const TensorMap &weights, const ClassificationHead &head,
                         const FisherBatches &batches, const c10::Device &device, const JobContext &context)
{
    if (batches.count < 1 || batches.images < 1)
        throw Error(QStringLiteral("fisher: no images to estimate the Fisher information on"));
    torch::AutoGradMode gradients(true);

    // ClipVisionModel keeps a tensor that is already float32, contiguous and
    // on its device as it is, so these leaves are what it computes with.
    TensorMap leaves;
    std::vector<std::string> names;
    std::vector<torch::Tensor> parameters;
    for (const auto &[name, tensor] : weights) {
        if (!isWeight(tensor)) {
            leaves.emplace(name, tensor);
            continue;
        }
        auto leaf = tensor.to(device, torch::kFloat32).contiguous().detach().requires_grad_(true);
        leaves.emplace(name, leaf);
        names.push_back(name);
        parameters.push_back(leaf);
    }
    const ClipVisionModel model(config, leaves, device);
    const ClassificationHead headOnDevice = head.to(device);

    std::vector<torch::Tensor> squaredGradients;
    for (const auto &parameter : parameters)
        squaredGradients.push_back(torch::zeros_like(parameter));
    qint64 seen = 0;
    for (int b = 0; b < batches.count; ++b) {
        context.throwIfCancelled();
        const torch::Tensor images = batches.batch(b);
        const torch::Tensor logits = headOnDevice.logits(model.encode(images));
        // FusionBench's estimator: the model's own predictions p stand in for labels, and √p is held
        // constant so that the squared gradient weighs class c by p_c.
        // Biased: squaring one gradient of a sum over classes and images keeps cross terms the true Fisher
        // Σₙ Σ_c p_nc (∇ log p_nc)² has not (so the estimate also depends on the batch size).
        const torch::Tensor objective =
            (torch::softmax(logits, -1).detach().sqrt() * torch::log_softmax(logits, -1)).sum();
        const auto grads = torch::autograd::grad({objective}, parameters, /*grad_outputs=*/{}, /*retain_graph=*/false,
                                                 /*create_graph=*/false, /*allow_unused=*/true);
        for (size_t i = 0; i < grads.size(); ++i) {
            if (grads[i].defined()) // undefined: a tensor the model does not read
                squaredGradients[i].addcmul_(grads[i], grads[i]);
        }
        seen += images.size(0);
        context.progress(seen, batches.images, QStringLiteral("fisher information"));
    }

    // FusionBench: the sum over batches divided by the number of images.
    TensorMap fisher;
    for (size_t i = 0; i < names.size(); ++i)
        fisher.emplace(names[i], squaredGradients[i].div_(static_cast<double>(seen)).to(torch::kCPU));
    return fisher;
}

TensorMap fisherWeightedAverage(const TensorMap &pretrained, const std::vector<const TensorMap *> &models,
                                const std::vector<TensorMap> &fishers, const FisherMergingOptions &options)
{
    if (models.size() != fishers.size())
        throw Error(QStringLiteral("fisher: %1 models but %2 Fisher maps").arg(models.size()).arg(fishers.size()));
    FisherWeightedSum sum(pretrained, options);
    for (size_t i = 0; i < models.size(); ++i) {
        const QString whose = QStringLiteral("model %1").arg(i);
        if (!models[i])
            throw Error(QStringLiteral("fisher: %1 is missing").arg(whose));
        sum.add(*models[i], fishers[i], whose);
    }
    return sum.average();
}

FisherMergingResult fisherMerging(const LoadedPool &pool, const CalibrationData &data,
                                  const FisherMergingOptions &options, const JobContext &context)
{
    if (data.taskCount() != pool.taskCount())
        throw Error(QStringLiteral("fisher: the calibration images cover %1 tasks, the pool has %2")
                        .arg(data.taskCount())
                        .arg(pool.taskCount()));
    FisherWeightedSum sum(pool.pretrained.vision, options);
    FisherMergingResult result;
    const QStringList taskNames = pool.taskNames();
    const qint64 totalImages = data.totalImages();
    qint64 imagesBefore = 0;
    for (int t = 0; t < pool.taskCount(); ++t) {
        // FusionBench reads the first batches of its (unshuffled) train loader until it has
        // num_fisher_examples images; here the task's seeded subset of that many, all of it.
        const FisherBatches batches = calibrationBatches(data, t);
        JobContext taskContext = context;
        taskContext.onProgress =
            [&context, imagesBefore, totalImages, what = QStringLiteral("fisher: %1").arg(taskNames.at(t))](
                qint64 done, qint64, const QString &) { context.progress(imagesBefore + done, totalImages, what); };
        const TensorMap &model = pool.tasks.at(size_t(t)).vision;
        const TensorMap fisher = diagonalFisher(pool.pretrained.config, model, pool.heads.at(size_t(t)), batches,
                                                options.device, taskContext);
        result.fisherNorm << sum.add(model, fisher, QStringLiteral("task '%1'").arg(taskNames.at(t)));
        imagesBefore += batches.images;
    }
    context.throwIfCancelled();
    result.merged = sum.average();
    return result;
}

QString fisherMergingLabel(const FisherMergingOptions &options, const QString &dataDescription)
{
    QStringList parts{dataDescription};
    if (!options.normalize)
        parts << QStringLiteral("unnormalized");
    if (options.minimalWeight != FisherMergingOptions{}.minimalWeight)
        parts << QStringLiteral("min weight %1").arg(QString::number(options.minimalWeight, 'g', 6));
    return QStringLiteral("fisher (%1)").arg(parts.join(QStringLiteral(", ")));
}

} // namespace wemoe
