#pragma once

#include "jobs/job_context.h"
#include "pool/loaded_pool.h"

#include <QtCore/QStringList>
#include <QtCore/QVector>

namespace wemoe {

// Where WEMoE's test-time adaptation will push the routers when it starts.
// The routers begin at task arithmetic (every expert weighted λ), and the
// first steps follow the gradient of each task's prediction entropy with
// respect to the expert weights. If, on task u's images, raising expert u's
// weight lowers the entropy more than raising any other expert's, the
// routers learn to send task u to expert u; otherwise entropy rewards the
// wrong experts (docs/ZOO.md).
struct RoutingSlopes
{
    QStringList taskNames;
    double lambda = 0.3;
    double epsilon = 0.1;
    // Per task: normalised entropy (/ ln classes) and accuracy of task arithmetic at λ.
    QVector<double> entropyAtStart;
    QVector<double> accuracyAtStart;
    // [task u][expert t]: (H_u(λ + ε·e_t) − H_u(λ)) / ε, where H_u is the
    // normalised mean entropy on task u's test images and only the MLPs'
    // weight of expert t moves (the part WEMoE's routers control).
    QVector<QVector<double>> slope;
    // Per task: accuracy when its images get exactly their own expert in every
    // MLP (weight 1, the others 0) and the rest stays task arithmetic at λ:
    // what routing every task to its own expert achieves. The routers reach
    // only the MLPs, so interference elsewhere stays.
    QVector<double> ownExpertAccuracy;

    // Raising task u's own expert lowers u's entropy, and more than any other expert.
    bool ownExpertSteepest(int task) const;
};

// Finite differences on the pool's models (no gradients): (tasks + 1) merged
// models, each evaluated on every task's test images, then one merged model
// per task for ownExpertAccuracy.
RoutingSlopes measureRoutingSlopes(const LoadedPool &pool, double lambda = 0.3, double epsilon = 0.1,
                                   int batchSize = 256, const JobContext &context = {});

} // namespace wemoe
