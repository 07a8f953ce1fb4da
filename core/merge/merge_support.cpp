#include "merge/merge_support.h"

#include "common/error.h"

#include <torch/torch.h>

#include <cmath>

namespace wemoe {

void checkMergeInputs(const MergeInputs &inputs, const QString &rule)
{
    if (!inputs.pretrained)
        throw Error(QStringLiteral("%1: no pretrained model to merge onto").arg(rule));
    if (inputs.taskCount() == 0)
        throw Error(QStringLiteral("%1: no fine-tuned models to merge (at least one task is needed)").arg(rule));
    const auto names = inputs.mergeableNames();
    for (int task = 0; task < inputs.taskCount(); ++task) {
        const TensorMap *weights = inputs.finetuned[static_cast<std::size_t>(task)];
        if (!weights)
            throw Error(QStringLiteral("%1: the fine-tuned model of task index %2 is missing").arg(rule).arg(task));
        for (const auto &name : names) {
            const auto found = weights->find(name);
            if (found == weights->end() || !found->second.defined())
                throw Error(QStringLiteral("%1: the fine-tuned model of task index %2 has no tensor '%3'")
                                .arg(rule)
                                .arg(task)
                                .arg(QString::fromStdString(name)));
            const auto &expected = inputs.pretrained->at(name);
            if (found->second.sizes() != expected.sizes())
                throw Error(
                    QStringLiteral("%1: tensor '%2' of task index %3 has shape %4, but the pretrained model's is %5")
                        .arg(rule, QString::fromStdString(name))
                        .arg(task)
                        .arg(QString::fromStdString(c10::str(found->second.sizes())),
                             QString::fromStdString(c10::str(expected.sizes()))));
        }
    }
}

TaskVectorSource plainTaskVectors(const MergeInputs &inputs)
{
    return [&inputs](int task, int, const std::string &name) { return inputs.taskVector(task, name); };
}

MergeProgress::MergeProgress(const JobContext &context, qint64 total)
    : m_context(context)
    , m_total(total)
{
}

void MergeProgress::step(const QString &what)
{
    ++m_done;
    m_context.progress(m_done, m_total, what);
}

TensorMap assembleMergedModel(const MergeInputs &inputs, const MergeOneTensor &mergeOne, MergeProgress &progress,
                              const QString &rule)
{
    TensorMap merged;
    int tensorIndex = 0;
    for (const auto &[name, tensor] : *inputs.pretrained) {
        progress.checkCancelled();
        if (tensor.defined() && torch::isFloatingType(tensor.scalar_type())) {
            merged[name] = mergeOne(tensorIndex++, name).contiguous();
        } else {
            // Integer buffers (e.g. position ids) are not weights: keep θ0's.
            merged[name] = tensor.defined() ? tensor.to(torch::kCPU).clone(torch::MemoryFormat::Contiguous) : tensor;
        }
        progress.step(QStringLiteral("%1: %2").arg(rule, QString::fromStdString(name)));
    }
    return merged;
}

void checkScalingFactor(double scalingFactor, const QString &rule)
{
    if (!std::isfinite(scalingFactor))
        throw Error(
            QStringLiteral("%1: the scaling factor λ must be a finite number (got %2)").arg(rule).arg(scalingFactor));
}

} // namespace wemoe
