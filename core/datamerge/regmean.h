#pragma once

#include "common/tensor_map.h"
#include "datamerge/calibration_data.h"
#include "jobs/job_context.h"
#include "pool/loaded_pool.h"

#include <c10/core/Device.h>
#include <torch/types.h>

#include <QtCore/QString>
#include <QtCore/QStringList>

#include <vector>

namespace wemoe {

// RegMean: each linear map y = W x of the merged model is the one that best
// reproduces every fine-tuned model's outputs on that model's own inputs,
//     W = (Σi Wi Gi) (Σi Gi)⁻¹,   Gi = Xiᵀ Xi / rows,
// with W stored [out, in] as PyTorch does and Xi the inputs task i's
// fine-tuned model gives that linear on its calibration images (every token
// of every image is a row). Every other tensor (biases, layer norms,
// embeddings) is the simple average of the fine-tuned models.
//
// RegMean++ takes each block's inputs from the merged model instead: blocks
// are merged in order, each task's images go through the merged embeddings
// and the already merged blocks, task i's fine-tuned block l is run on those
// tokens to collect its Gram matrices, then block l is merged and the tokens
// are moved on through it.
struct RegMeanOptions
{
    // α: Gram entries off the diagonal are multiplied by it, the diagonal is
    // kept (FusionBench's reduce_non_diagonal_ratio). 1: plain RegMean's
    // closed form; 0: only each input dimension's energy counts.
    double nonDiagonalScale = 0.95;
    bool plusPlus = false;
    c10::Device device = c10::kCPU; // where the models run; the solve is on the CPU
};

struct RegMeanResult
{
    TensorMap merged; // the pretrained model's vision names; floating tensors float32 on the CPU
    // Linear weights whose Σ Gi was not positive definite: a jitter
    // ε · mean(diag) · I was added before the solve (also warned about).
    QStringList jitteredTensors;
    double largestJitter = 0; // the largest ε used (relative to mean(diag)); 0 when none was needed
};

// Runs the pool's fine-tuned models (RegMean) or the merge in progress
// (RegMean++) on `data`, then solves every linear map. Progress counts
// images; the cancel flag is polled between batches and between solves.
// Throws wemoe::Error when a task has no calibration images, α is not in
// [0, 1], or a linear map's inputs are zero for every task.
RegMeanResult regMean(const LoadedPool &pool, const CalibrationData &data, const RegMeanOptions &options,
                      const JobContext &context = {});

// The closed form alone: weights [out, in] and Gram matrices [in, in] of each
// task (any floating dtype); α is applied to each Gram here. Solved in
// float64 by Cholesky; when Σ α(Gi) is not positive definite, ε · mean(diag)
// · I is added with ε = 1e-8, 1e-7, ... until it is, and ε is written to
// *jitterUsed (0 when none was needed). Returns float32 [out, in].
torch::Tensor regMeanSolve(const std::vector<torch::Tensor> &weights, const std::vector<torch::Tensor> &grams,
                           double nonDiagonalScale, double *jitterUsed = nullptr);

// The accuracy table's row: "regmean (α=0.95, 256 train images/task)",
// "regmean++ (α=0.95, ...)"; dataDescription says which images, and how many.
QString regMeanLabel(const RegMeanOptions &options, const QString &dataDescription);

} // namespace wemoe
