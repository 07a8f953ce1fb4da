#include "controllers/task_vector_similarity.h"

#include "io/loaded_pool.h"
#include "merge/merge_inputs.h"

#include <QtCore/QCoreApplication>

#include <torch/torch.h>

#include <cmath>

namespace wemoe::ui {

HeatMatrix taskVectorSimilarity(const LoadedPool &pool, const JobContext &context)
{
    torch::NoGradGuard noGrad;
    MergeInputs inputs;
    inputs.pretrained = &pool.pretrained.vision;
    inputs.finetuned = pool.taskWeights();
    const int tasks = inputs.taskCount();
    const auto names = inputs.mergeableNames();

    // Gram matrix of the task vectors, accumulated tensor by tensor in double
    // so memory stays at one tensor per task.
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

    HeatMatrix matrix(tasks, tasks);
    const auto g = gram.accessor<double, 2>();
    for (int a = 0; a < tasks; ++a) {
        for (int b = 0; b < tasks; ++b) {
            const double norms = std::sqrt(g[a][a] * g[b][b]);
            matrix.at(a, b) = norms > 0.0 ? g[a][b] / norms : std::nan("");
        }
    }
    matrix.rowLabels = pool.taskNames();
    matrix.columnLabels = pool.taskNames();
    matrix.rowTitle = QCoreApplication::translate("wemoe::ui::TaskVectorSimilarity", "task");
    matrix.columnTitle = matrix.rowTitle;
    matrix.valueTitle = QCoreApplication::translate("wemoe::ui::TaskVectorSimilarity", "cosine similarity of task vectors");
    return matrix;
}

} // namespace wemoe::ui
