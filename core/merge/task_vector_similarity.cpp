#include "merge/task_vector_similarity.h"

#include <torch/torch.h>

#include <cmath>

namespace wemoe {

torch::Tensor taskVectorSimilarity(const MergeInputs &inputs, const JobContext &context)
{
    torch::NoGradGuard noGrad;
    const int tasks = inputs.taskCount();
    const auto names = inputs.mergeableNames();

    auto gram = torch::zeros({tasks, tasks}, torch::kFloat64);
    for (size_t i = 0; i < names.size(); ++i) {
        context.throwIfCancelled();
        std::vector<torch::Tensor> vectors;
        for (int t = 0; t < tasks; ++t)
            vectors.push_back(inputs.taskVector(t, names[i]).flatten().to(torch::kFloat64));
        const auto stacked = torch::stack(vectors);
        gram += stacked.mm(stacked.t());
        context.progress(static_cast<qint64>(i + 1), static_cast<qint64>(names.size()),
                         QString::fromStdString(names[i]));
    }

    auto similarity = torch::empty({tasks, tasks}, torch::kFloat64);
    const auto g = gram.accessor<double, 2>();
    auto s = similarity.accessor<double, 2>();
    for (int a = 0; a < tasks; ++a) {
        for (int b = 0; b < tasks; ++b) {
            const double norms = std::sqrt(g[a][a] * g[b][b]);
            s[a][b] = norms > 0.0 ? g[a][b] / norms : std::nan("");
        }
    }
    return similarity;
}

} // namespace wemoe
