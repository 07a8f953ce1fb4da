#include "merge/merge_methods.h"

#include "common/error.h"
#include "merge/magnitude_threshold.h"
#include "merge/merge_support.h"
#include "merge/ties_kernels.h"

#include <torch/torch.h>

#include <cmath>

namespace wemoe {

namespace {

// FusionBench's rank: keep k = int(d · topK) entries, threshold = the (d − k)-th
// smallest magnitude, so every entry at least that large survives.
std::int64_t thresholdRank(std::int64_t entries, double topK)
{
    const auto keep = static_cast<std::int64_t>(static_cast<double>(entries) * topK);
    return entries - keep;
}

void checkTiesOptions(const TiesOptions &options, const QString &rule)
{
    if (!(options.topK > 0.0))
        throw Error(QStringLiteral("%1: the top-k fraction must be above 0 (got %2); 1 keeps every entry")
                        .arg(rule)
                        .arg(options.topK));
    checkScalingFactor(options.scalingFactor, rule);
}

QString passLabel(const QString &rule, const QString &phase, const std::string &name)
{
    return QStringLiteral("%1 %2: %3").arg(rule, phase, QString::fromStdString(name));
}

} // namespace

TensorMap tiesMergingFromSource(const MergeInputs &inputs, const TaskVectorSource &source, const TiesOptions &options,
                                const JobContext &context, const QString &rule)
{
    checkTiesOptions(options, rule);
    checkMergeInputs(inputs, rule);
    const auto names = inputs.mergeableNames();
    const auto tensorCount = static_cast<int>(names.size());
    const int tasks = inputs.taskCount();
    const bool trim = options.topK < 1.0;
    const bool wholeVector = trim && !options.perTensorTopK;

    const int thresholdPasses = wholeVector ? MagnitudeThreshold::kPasses : 0;
    MergeProgress progress(context, static_cast<qint64>(thresholdPasses + 1) * tensorCount
                                        + static_cast<qint64>(inputs.pretrained->size()));

    // Trim thresholds: one per task (whole vector) or per tensor and task.
    std::vector<float> taskThresholds(static_cast<std::size_t>(tasks), 0.0f);
    std::vector<std::vector<float>> tensorThresholds;
    if (wholeVector) {
        std::int64_t entries = 0;
        for (const auto &name : names)
            entries += inputs.pretrained->at(name).numel();
        const auto rank = thresholdRank(entries, options.topK);
        if (entries > 0) {
            std::vector<MagnitudeThreshold> selectors(static_cast<std::size_t>(tasks), MagnitudeThreshold(rank));
            for (int pass = 0; pass < MagnitudeThreshold::kPasses; ++pass) {
                const QString phase =
                    QStringLiteral("trim threshold (pass %1 of %2)").arg(pass + 1).arg(MagnitudeThreshold::kPasses);
                for (int i = 0; i < tensorCount; ++i) {
                    progress.checkCancelled();
                    for (int task = 0; task < tasks; ++task)
                        selectors[static_cast<std::size_t>(task)].add(
                            source(task, i, names[static_cast<std::size_t>(i)]));
                    progress.step(passLabel(rule, phase, names[static_cast<std::size_t>(i)]));
                }
                for (auto &selector : selectors)
                    selector.finishPass();
            }
            for (int task = 0; task < tasks; ++task)
                taskThresholds[static_cast<std::size_t>(task)] = selectors[static_cast<std::size_t>(task)].value();
        }
    } else if (trim) {
        tensorThresholds.resize(static_cast<std::size_t>(tensorCount));
    }

    const auto trimmedTaskVector = [&](int task, int i, const std::string &name) {
        auto tau = source(task, i, name);
        if (!trim || tau.numel() == 0)
            return tau;
        if (wholeVector) {
            trimBelow(tau, taskThresholds[static_cast<std::size_t>(task)]);
            return tau;
        }
        auto &thresholds = tensorThresholds[static_cast<std::size_t>(i)];
        if (thresholds.empty())
            thresholds.resize(static_cast<std::size_t>(tasks), std::nanf(""));
        float &threshold = thresholds[static_cast<std::size_t>(task)];
        if (std::isnan(threshold)) {
            const auto rank = thresholdRank(tau.numel(), options.topK);
            threshold = std::get<0>(tau.abs().flatten().kthvalue(rank)).item<float>();
        }
        trimBelow(tau, threshold);
        return tau;
    };
    // Σt trimmed τt, accumulated in task order.
    const auto electedSum = [&](int i, const std::string &name, std::vector<torch::Tensor> *keep) {
        torch::Tensor sum;
        for (int task = 0; task < tasks; ++task) {
            auto tau = trimmedTaskVector(task, i, name);
            if (task == 0)
                sum = keep ? tau.clone() : tau;
            else
                sum.add_(tau);
            if (keep)
                keep->push_back(std::move(tau));
        }
        return sum;
    };

    // A zero elected sum takes the sign of the sum of all elected signs over the
    // whole model (FusionBench's "majority"), so this needs its own pass.
    std::int64_t positive = 0;
    std::int64_t negative = 0;
    for (int i = 0; i < tensorCount; ++i) {
        progress.checkCancelled();
        const auto &name = names[static_cast<std::size_t>(i)];
        const auto counts = countSigns(electedSum(i, name, nullptr));
        positive += counts.positive;
        negative += counts.negative;
        progress.step(passLabel(rule, QStringLiteral("sign election"), name));
    }
    const float majoritySign = positive > negative ? 1.0f : (positive < negative ? -1.0f : 0.0f);

    const auto mergeOne = [&](int i, const std::string &name) {
        std::vector<torch::Tensor> trimmed;
        trimmed.reserve(static_cast<std::size_t>(tasks));
        auto sign = electedSum(i, name, &trimmed).contiguous();
        electSigns(sign, majoritySign);
        auto merged = torch::zeros_like(sign);
        torch::Tensor agreeing;
        if (options.mergeFunction == TiesMergeFunction::Mean)
            agreeing = torch::zeros_like(sign);
        for (auto &tau : trimmed) {
            accumulateAgreeing(sign, tau, merged, agreeing, options.mergeFunction);
            tau = torch::Tensor(); // release each task's tensor as soon as it is used
        }
        if (options.mergeFunction == TiesMergeFunction::Mean)
            merged.div_(agreeing.clamp_min_(1.0));
        else if (options.mergeFunction == TiesMergeFunction::Max)
            merged.mul_(sign);
        merged.mul_(options.scalingFactor);
        return merged.add_(inputs.base(name));
    };
    return assembleMergedModel(inputs, mergeOne, progress, rule);
}

TensorMap tiesMerging(const MergeInputs &inputs, const TiesOptions &options, const JobContext &context)
{
    return tiesMergingFromSource(inputs, plainTaskVectors(inputs), options, context, QStringLiteral("ties"));
}

QString tiesMergeFunctionName(TiesMergeFunction f)
{
    switch (f) {
    case TiesMergeFunction::Sum: return QStringLiteral("sum");
    case TiesMergeFunction::Mean: return QStringLiteral("mean");
    case TiesMergeFunction::Max: return QStringLiteral("max");
    }
    throw Error(QStringLiteral("ties: unknown merge function %1").arg(static_cast<int>(f)));
}

TiesMergeFunction parseTiesMergeFunction(const QString &name)
{
    const QString key = name.trimmed().toLower();
    for (const auto f : {TiesMergeFunction::Sum, TiesMergeFunction::Mean, TiesMergeFunction::Max}) {
        if (key == tiesMergeFunctionName(f))
            return f;
    }
    throw Error(QStringLiteral("unknown TIES merge function '%1' (known: sum, mean, max)").arg(name));
}

} // namespace wemoe
