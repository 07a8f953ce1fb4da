#include "adamerging_memory_step.h"

#include "random_upscaled_model.h"

#include "adapt/entropy_objective.h"
#include "adapt/task_by_task_gradient.h"
#include "io/checkpoint.h"
#include "model/clip_vision_model.h"
#include "model/random_weights.h"

#include <torch/torch.h>

namespace wemoe::bench {

AdaMergingMemoryStep::AdaMergingMemoryStep(const ClipVisionConfig &config, int tasks, int64_t batch, quint64 seed,
                                           bool jointBackward)
    : m_config(config)
    , m_tasks(tasks)
    , m_jointBackward(jointBackward)
{
    m_held.base = randomClipVisionWeights(config, seed);
    for (const auto &[name, tensor] : m_held.base)
        m_held.names.push_back(name);
    auto generator = at::detail::createCPUGenerator(seed + 1);
    m_held.taskVectors.resize(size_t(tasks));
    for (int t = 0; t < tasks; ++t) {
        for (const auto &[name, tensor] : m_held.base)
            m_held.taskVectors[size_t(t)].emplace(name, at::normal(0.0, 0.002, tensor.sizes(), generator));
        m_heads.push_back(randomHead(config.projectionDim > 0 ? config.projectionDim : config.hiddenSize, 10,
                                     seed + 3000 + uint64_t(t)));
        m_images.push_back(
            at::normal(0.0, 1.0, {batch, config.numChannels, config.imageSize, config.imageSize}, generator));
    }
    m_coefficients = torch::full({int64_t(m_held.names.size()), tasks}, 0.3).requires_grad_(true);
    m_optimizer = std::make_unique<torch::optim::Adam>(std::vector<torch::Tensor>{m_coefficients},
                                                       torch::optim::AdamOptions(1e-3));
}

double AdaMergingMemoryStep::run()
{
    m_optimizer->zero_grad();
    double loss = 0.0;
    const auto entropyOf = [&](int t, const ClipVisionModel &model) {
        const auto entropy = meanPredictionEntropy(m_heads[size_t(t)].logits(model.encode(m_images[size_t(t)])));
        loss += entropy.item<double>();
        return entropy;
    };
    if (m_jointBackward) {
        const ClipVisionModel model(m_config, m_held.merged(m_coefficients), torch::kCPU);
        torch::Tensor sum;
        for (int t = 0; t < m_tasks; ++t) {
            const auto entropy = entropyOf(t, model);
            sum = sum.defined() ? sum + entropy : entropy;
        }
        sum.backward();
    } else {
        accumulateCoefficientGradient(m_held, m_coefficients, m_config, torch::kCPU, m_tasks, entropyOf);
    }
    m_optimizer->step();
    return loss;
}

int64_t AdaMergingMemoryStep::taskVectorBytesHeld() const
{
    int64_t bytes = 0;
    for (const auto &taskVector : m_held.taskVectors)
        for (const auto &[name, tensor] : taskVector)
            bytes += tensor.nbytes();
    return bytes;
}

int64_t AdaMergingMemoryStep::taskVectorBytesFromShapes() const
{
    int64_t values = 0;
    for (const auto &[name, shape] : expectedVisionShapes(m_config)) {
        int64_t n = 1;
        for (const int64_t size : shape)
            n *= size;
        values += n;
    }
    return int64_t(m_tasks) * values * int64_t(sizeof(float));
}

} // namespace wemoe::bench
