#include "datamerge/regmean.h"

#include "common/error.h"
#include "merge/merge_inputs.h"
#include "merge/merge_methods.h"
#include "model/clip_vision_model.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace wemoe {

namespace {

// Off-diagonal entries × α, the diagonal as it was: FusionBench's
// reduce_non_diagonal_elements.
torch::Tensor scaleOffDiagonal(const torch::Tensor &gram, double alpha)
{
    auto scaled = gram * alpha;
    scaled.diagonal().copy_(gram.diagonal());
    return scaled;
}

// What the closed form needs of one linear map, summed over tasks as they
// come, so no task's Gram matrix outlives its own pass: Σ Wi α(Gi) [out, in]
// and Σ α(Gi) [in, in], float64 on the CPU.
struct RegMeanSums
{
    torch::Tensor weighted;
    torch::Tensor grams;

    void add(const torch::Tensor &weight, const torch::Tensor &gram, double alpha)
    {
        const auto scaled = scaleOffDiagonal(gram.to(torch::kCPU, torch::kFloat64), alpha);
        const auto product = torch::matmul(weight.to(torch::kCPU, torch::kFloat64), scaled);
        if (!grams.defined()) {
            weighted = product;
            grams = scaled;
        } else {
            weighted.add_(product);
            grams.add_(scaled);
        }
    }
};

struct Solution
{
    torch::Tensor weight; // float32 [out, in]
    double jitter = 0;    // ε, relative to mean(diag)
};

bool isPositiveDefinite(const torch::Tensor &matrix, torch::Tensor &cholesky)
{
    auto [factor, info] = torch::linalg_cholesky_ex(matrix);
    cholesky = factor;
    return info.item<int64_t>() == 0;
}

// W = (Σ Wi Gi)(Σ Gi)⁻¹. Σ Gi is symmetric, so Wᵀ solves (Σ Gi) Wᵀ = (Σ Wi Gi)ᵀ:
// one Cholesky factor and two triangular solves, no explicit inverse.
Solution solveSums(const RegMeanSums &sums, const QString &what)
{
    if (!torch::isfinite(sums.grams).all().item<bool>() || !torch::isfinite(sums.weighted).all().item<bool>())
        throw Error(QStringLiteral("regmean: the Gram matrix of %1 holds NaN or Inf").arg(what));
    const double meanDiagonal = sums.grams.diagonal().mean().item<double>();
    if (!(meanDiagonal > 0))
        throw Error(
            QStringLiteral("regmean: the inputs of %1 are zero for every task, so its merge is undefined").arg(what));
    Solution solution;
    torch::Tensor cholesky;
    if (!isPositiveDefinite(sums.grams, cholesky)) {
        // Singular (an input dimension no example reaches, fewer rows than
        // inputs): the smallest ridge that makes it solvable.
        const auto identity = torch::eye(sums.grams.size(0), sums.grams.options());
        for (int exponent = -8;; ++exponent) {
            if (exponent > 0)
                throw Error(QStringLiteral("regmean: the Gram matrix of %1 stays singular with a jitter of "
                                           "mean(diag) · I")
                                .arg(what));
            const double epsilon = std::pow(10.0, exponent);
            if (isPositiveDefinite(sums.grams + identity * (epsilon * meanDiagonal), cholesky)) {
                solution.jitter = epsilon;
                break;
            }
        }
    }
    const auto transposed = torch::cholesky_solve(sums.weighted.t().contiguous(), cholesky);
    solution.weight = transposed.t().to(torch::kFloat32).contiguous();
    return solution;
}

// The Gram matrix of every linear map's inputs while a model runs: Σ xᵀx over
// every token of every image, and how many rows that was.
class GramCollector
{
public:
    void observe(const std::string &weightName, const torch::Tensor &input)
    {
        // q, k and v are shown the same tensor: one product for the three.
        if (!m_lastInput.defined() || !input.is_same(m_lastInput)) {
            const auto rows = input.reshape({-1, input.size(-1)});
            // The product in float32 as the model runs (FusionBench's), summed in float64.
            m_lastGram = torch::matmul(rows.t(), rows).to(torch::kCPU, torch::kFloat64);
            m_lastRows = rows.size(0);
            m_lastInput = input;
        }
        Accumulated &sum = m_sums[weightName];
        if (sum.gram.defined())
            sum.gram.add_(m_lastGram);
        else
            sum.gram = m_lastGram.clone();
        sum.rows += m_lastRows;
    }

    // Lets the batch's tensors go (and keeps a later tensor at the same
    // address from passing for the last input).
    void endBatch()
    {
        m_lastInput = torch::Tensor();
        m_lastGram = torch::Tensor();
    }

    // Gi = Σ xᵀx / rows: the per-row mean FusionBench keeps, so every task
    // weighs the same whatever its image count (float64, on the CPU).
    std::map<std::string, torch::Tensor> meanGrams() const
    {
        std::map<std::string, torch::Tensor> means;
        for (const auto &[name, sum] : m_sums)
            means[name] = sum.gram / static_cast<double>(sum.rows);
        return means;
    }

    ClipVisionModel::LinearObserver observer()
    {
        return [this](const std::string &weightName, const torch::Tensor &input) { observe(weightName, input); };
    }

private:
    struct Accumulated
    {
        torch::Tensor gram;
        int64_t rows = 0;
    };
    std::map<std::string, Accumulated> m_sums;
    torch::Tensor m_lastInput;
    torch::Tensor m_lastGram;
    int64_t m_lastRows = 0;
};

// Progress in images run (each pass over the data counts them again) and
// linear maps solved.
class RegMeanProgress
{
public:
    RegMeanProgress(const JobContext &context, qint64 total)
        : m_context(context)
        , m_total(total)
    {
    }
    void advance(qint64 units, const QString &what)
    {
        m_done += units;
        m_context.progress(m_done, m_total, what);
    }

private:
    const JobContext &m_context;
    qint64 m_done = 0;
    qint64 m_total;
};

// One merge in progress: the shared state of RegMean and RegMean++.
class RegMeanRun
{
public:
    RegMeanRun(const LoadedPool &pool, const CalibrationData &data, const RegMeanOptions &options,
               const JobContext &context)
        : m_pool(pool)
        , m_data(data)
        , m_options(options)
        , m_context(context)
        , m_rule(options.plusPlus ? QStringLiteral("regmean++") : QStringLiteral("regmean"))
        , m_tasks(pool.taskWeights())
        , m_taskNames(pool.taskNames())
        , m_progress(context, progressTotal(pool, data, options))
    {
    }

    RegMeanResult run()
    {
        // Every tensor starts as the simple average of the fine-tuned
        // models, which is what stays of all but the linear weights
        // (FusionBench averages biases, layer norms and embeddings).
        MergeInputs inputs;
        inputs.pretrained = &m_pool.pretrained.vision;
        inputs.finetuned = m_tasks;
        JobContext quiet;
        quiet.cancelFlag = m_context.cancelFlag;
        m_result.merged = simpleAverage(inputs, quiet);

        torch::NoGradGuard noGrad;
        if (m_options.plusPlus)
            mergeBlockByBlock();
        else
            mergeFromFineTunedModels();
        return std::move(m_result);
    }

private:
    static qint64 progressTotal(const LoadedPool &pool, const CalibrationData &data, const RegMeanOptions &options)
    {
        const auto &config = pool.pretrained.config;
        const int projection = config.projectionDim > 0 ? 1 : 0;
        const qint64 linears = 6 * config.numHiddenLayers + projection;
        const qint64 passes = options.plusPlus ? 1 + config.numHiddenLayers + projection : 1;
        return data.totalImages() * passes + linears;
    }

    const ClipVisionConfig &config() const { return m_pool.pretrained.config; }
    int taskCount() const { return static_cast<int>(m_tasks.size()); }

    // RegMean: each fine-tuned model on its own images, all linears at once
    // (every linear map of the vision model: q, k, v, out_proj, fc1, fc2 of
    // each block, and the projection when the tasks carry one).
    void mergeFromFineTunedModels()
    {
        std::map<std::string, RegMeanSums> sums;
        for (int task = 0; task < taskCount(); ++task) {
            ClipVisionModel model(config(), *m_tasks[size_t(task)], m_options.device);
            GramCollector grams;
            model.setLinearObserver(grams.observer());
            for (int b = 0; b < m_data.batchCount(task); ++b) {
                m_context.throwIfCancelled();
                const auto images = m_data.batch(task, b);
                model.encode(images);
                grams.endBatch();
                m_progress.advance(images.size(0), QStringLiteral("%1: task %2").arg(m_rule, m_taskNames.at(task)));
            }
            addTask(sums, grams, task);
        }
        solve(sums);
    }

    // RegMean++: block l's inputs come from the merged blocks before it;
    // inside the block they come from task i's own fine-tuned block, as in
    // FusionBench. The embeddings, pre-LN and post-LN are the simple average
    // (FusionBench's RegMean++ leaves the post-LN at θ0's, but the issue asks
    // for every non-linear tensor averaged, as RegMean does).
    void mergeBlockByBlock()
    {
        ClipVisionModel model(config(), m_result.merged, m_options.device);

        // The tokens each task's images have reached, batch by batch, on the device.
        std::vector<std::vector<torch::Tensor>> tokens(static_cast<size_t>(taskCount()));
        for (int task = 0; task < taskCount(); ++task) {
            for (int b = 0; b < m_data.batchCount(task); ++b) {
                m_context.throwIfCancelled();
                tokens[size_t(task)].push_back(model.embed(m_data.batch(task, b)));
                m_progress.advance(tokens[size_t(task)].back().size(0),
                                   QStringLiteral("%1: embeddings, task %2").arg(m_rule, m_taskNames.at(task)));
            }
        }

        const int layers = config().numHiddenLayers;
        const bool hasProjection = config().projectionDim > 0;
        for (int layer = 0; layer < layers; ++layer) {
            const std::string prefix = blockTensorName(layer, "");
            const QString what = QStringLiteral("%1: block %2").arg(m_rule).arg(layer);
            std::map<std::string, RegMeanSums> sums;
            for (int task = 0; task < taskCount(); ++task) {
                // Task i's whole fine-tuned block (its layer norms too) on the merged model's tokens.
                swapIn(model, *m_tasks[size_t(task)], prefix);
                GramCollector grams;
                model.setLinearObserver(grams.observer());
                for (const auto &x : tokens[size_t(task)]) {
                    m_context.throwIfCancelled();
                    model.runBlock(layer, x);
                    grams.endBatch();
                    m_progress.advance(x.size(0), QStringLiteral("%1, task %2").arg(what, m_taskNames.at(task)));
                }
                model.setLinearObserver({});
                addTask(sums, grams, task);
            }
            solve(sums);
            swapIn(model, m_result.merged, prefix);
            if (layer + 1 < layers || hasProjection) {
                for (auto &taskTokens : tokens) {
                    for (auto &x : taskTokens) {
                        m_context.throwIfCancelled();
                        x = model.runBlock(layer, x);
                    }
                }
            }
        }

        // Not in FusionBench, whose CLIPVisionModel has no projection: when
        // the tasks carry one, it is a linear map like the others, fed by the
        // merged model's post-LN class token.
        if (hasProjection) {
            const std::string projection = "visual_projection.weight";
            std::map<std::string, RegMeanSums> sums;
            for (int task = 0; task < taskCount(); ++task) {
                model.setWeight(projection, m_tasks[size_t(task)]->at(projection));
                GramCollector grams;
                model.setLinearObserver(grams.observer());
                for (const auto &x : tokens[size_t(task)]) {
                    m_context.throwIfCancelled();
                    model.features(x);
                    grams.endBatch();
                    m_progress.advance(x.size(0),
                                       QStringLiteral("%1: projection, task %2").arg(m_rule, m_taskNames.at(task)));
                }
                model.setLinearObserver({});
                addTask(sums, grams, task);
            }
            solve(sums);
        }
    }

    // Every tensor of `source` under the prefix ("encoder.layers.3.") into the model.
    static void swapIn(ClipVisionModel &model, const TensorMap &source, const std::string &prefix)
    {
        for (auto it = source.lower_bound(prefix); it != source.end() && it->first.rfind(prefix, 0) == 0; ++it)
            model.setWeight(it->first, it->second);
    }

    void addTask(std::map<std::string, RegMeanSums> &sums, const GramCollector &grams, int task) const
    {
        for (const auto &[name, gram] : grams.meanGrams())
            sums[name].add(m_tasks[size_t(task)]->at(name), gram, m_options.nonDiagonalScale);
    }

    void solve(const std::map<std::string, RegMeanSums> &sums)
    {
        for (const auto &[name, linear] : sums) {
            m_context.throwIfCancelled();
            const QString tensor = QString::fromStdString(name);
            const Solution solution = solveSums(linear, QStringLiteral("'%1'").arg(tensor));
            m_result.merged[name] = solution.weight;
            if (solution.jitter > 0) {
                m_result.jitteredTensors << tensor;
                m_result.largestJitter = std::max(m_result.largestJitter, solution.jitter);
                m_context.warn(QStringLiteral("%1: the Gram matrix of '%2' is singular; solved with %3 × mean(diag) "
                                              "added to its diagonal")
                                   .arg(m_rule, tensor, QString::number(solution.jitter, 'g', 3)));
            }
            m_progress.advance(1, QStringLiteral("%1: solving %2").arg(m_rule, tensor));
        }
    }

    const LoadedPool &m_pool;
    const CalibrationData &m_data;
    const RegMeanOptions &m_options;
    const JobContext &m_context;
    const QString m_rule;
    const std::vector<const TensorMap *> m_tasks;
    const QStringList m_taskNames;
    RegMeanProgress m_progress;
    RegMeanResult m_result;
};

void checkNonDiagonalScale(double alpha)
{
    if (!(alpha >= 0.0 && alpha <= 1.0))
        throw Error(QStringLiteral("regmean: the non-diagonal scale α must lie in [0, 1] (got %1)").arg(alpha));
}

} // namespace

RegMeanResult regMean(const LoadedPool &pool, const CalibrationData &data, const RegMeanOptions &options,
                      const JobContext &context)
{
    checkNonDiagonalScale(options.nonDiagonalScale);
    const QString rule = options.plusPlus ? QStringLiteral("regmean++") : QStringLiteral("regmean");
    if (pool.taskCount() == 0)
        throw Error(QStringLiteral("%1: no fine-tuned models to merge").arg(rule));
    if (data.taskCount() != pool.taskCount())
        throw Error(QStringLiteral("%1: calibration images for %2 tasks, but the pool has %3")
                        .arg(rule)
                        .arg(data.taskCount())
                        .arg(pool.taskCount()));
    for (int task = 0; task < pool.taskCount(); ++task) {
        if (data.batchCount(task) == 0)
            throw Error(QStringLiteral("%1: task '%2' has no images to compute its statistics from")
                            .arg(rule, pool.taskNames().at(task)));
    }
    return RegMeanRun(pool, data, options, context).run();
}

torch::Tensor regMeanSolve(const std::vector<torch::Tensor> &weights, const std::vector<torch::Tensor> &grams,
                           double nonDiagonalScale, double *jitterUsed)
{
    checkNonDiagonalScale(nonDiagonalScale);
    if (weights.empty() || weights.size() != grams.size())
        throw Error(QStringLiteral("regmean: %1 weights and %2 Gram matrices (one of each per task, at least one)")
                        .arg(weights.size())
                        .arg(grams.size()));
    RegMeanSums sums;
    for (size_t task = 0; task < weights.size(); ++task) {
        const auto &weight = weights[task];
        const auto &gram = grams[task];
        if (weight.dim() != 2 || gram.dim() != 2 || gram.size(0) != weight.size(1) || gram.size(1) != weight.size(1)
            || (task > 0 && weight.sizes() != weights[0].sizes()))
            throw Error(QStringLiteral("regmean: task %1 has a weight of shape %2 and a Gram matrix of shape %3")
                            .arg(task)
                            .arg(QString::fromStdString(c10::str(weight.sizes())),
                                 QString::fromStdString(c10::str(gram.sizes()))));
        sums.add(weight, gram, nonDiagonalScale);
    }
    const Solution solution = solveSums(sums, QStringLiteral("a linear map"));
    if (jitterUsed)
        *jitterUsed = solution.jitter;
    return solution.weight;
}

QString regMeanLabel(const RegMeanOptions &options, const QString &dataDescription)
{
    return QStringLiteral("%1 (α=%2, %3)")
        .arg(options.plusPlus ? QStringLiteral("regmean++") : QStringLiteral("regmean"),
             QString::number(options.nonDiagonalScale, 'g', 6), dataDescription);
}

} // namespace wemoe
