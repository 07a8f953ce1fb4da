#pragma once

#include "jobs/job_context.h"
#include "models/heat_matrix.h"

namespace wemoe {
struct LoadedPool;
}

namespace wemoe::ui {

// Cosine similarity of the pool's task vectors τt = θt − θ0 (all floating
// tensors flattened together): tasks x tasks, in [-1, 1]. Task vectors that
// point apart are what merging has to reconcile; this is the matrix to look at
// before choosing λ or a method. Progress per tensor, cancellable between tensors.
HeatMatrix taskVectorSimilarity(const LoadedPool &pool, const JobContext &context = {});

} // namespace wemoe::ui
