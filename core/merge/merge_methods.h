#pragma once

#include "common/tensor_map.h"
#include "jobs/job_context.h"
#include "merge/merge_inputs.h"

#include <QtCore/QString>

namespace wemoe {

// The static merge rules of docs/METHOD.md ("Baseline merges"), with its parameter
// names and defaults. Every rule returns a full map of float32 tensors with θ0's
// names (non-floating tensors are copied from θ0), reports progress per tensor,
// and polls the cancel flag between tensors.

// θ = mean_t θt
TensorMap simpleAverage(const MergeInputs &inputs, const JobContext &context = {});

// θ = θ0 + λ Σt τt
TensorMap taskArithmetic(const MergeInputs &inputs, double scalingFactor = 0.3, const JobContext &context = {});

enum class TiesMergeFunction { Sum, Mean, Max };

struct TiesOptions
{
    double topK = 0.2; // fraction of each task vector's entries kept, by magnitude
    TiesMergeFunction mergeFunction = TiesMergeFunction::Sum;
    double scalingFactor = 0.3;
    // false: top-k over the WHOLE task vector (TIES paper, FusionBench);
    // true: top-k within each tensor (mergekit).
    bool perTensorTopK = false;
};

// TIES: trim (top-k by magnitude; entries whose magnitude equals the k-th
// largest are all kept, as FusionBench's kthvalue mask does), elect the sign of
// Σt trimmed τt per entry (a zero sum takes the sign of the sum of all elected
// signs, FusionBench's "majority"), disjoint merge of the entries that agree
// with the elected sign (sum, mean over agreeing non-zero entries, or max
// magnitude with the elected sign), then θ = θ0 + λ·merged.
TensorMap tiesMerging(const MergeInputs &inputs, const TiesOptions &options = {}, const JobContext &context = {});

struct DareOptions
{
    double dropRate = 0.5; // p: each entry of τt is dropped with probability p
    bool rescale = true;   // survivors multiplied by 1/(1−p)
    quint64 seed = 0;
    bool thenTies = false;      // false: task arithmetic on the sparsified vectors
    double scalingFactor = 0.3; // λ for task arithmetic (TIES uses ties.scalingFactor)
    TiesOptions ties;
};

// DARE: sparsify each task vector at random (seeded per seed, task and tensor,
// so the result does not depend on thread count or device), then task
// arithmetic or TIES on the sparsified vectors.
TensorMap dareMerging(const MergeInputs &inputs, const DareOptions &options = {}, const JobContext &context = {});

QString tiesMergeFunctionName(TiesMergeFunction f);            // "sum", "mean", "max"
TiesMergeFunction parseTiesMergeFunction(const QString &name); // throws wemoe::Error

} // namespace wemoe
