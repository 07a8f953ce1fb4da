#include "merge/merge_inputs.h"

#include "common/error.h"

#include <torch/torch.h>

namespace wemoe {

namespace {

QString quoted(const std::string &name)
{
    return QStringLiteral("'%1'").arg(QString::fromStdString(name));
}

QString shapeText(const torch::Tensor &tensor)
{
    return QString::fromStdString(c10::str(tensor.sizes()));
}

const torch::Tensor &pretrainedTensor(const MergeInputs &inputs, const std::string &name)
{
    if (!inputs.pretrained)
        throw Error(QStringLiteral("merge inputs: no pretrained model"));
    const auto found = inputs.pretrained->find(name);
    if (found == inputs.pretrained->end() || !found->second.defined())
        throw Error(QStringLiteral("merge inputs: the pretrained model has no tensor %1").arg(quoted(name)));
    return found->second;
}

} // namespace

std::vector<std::string> MergeInputs::mergeableNames() const
{
    if (!pretrained)
        throw Error(QStringLiteral("merge inputs: no pretrained model"));
    std::vector<std::string> names;
    for (const auto &[name, tensor] : *pretrained) {
        if (tensor.defined() && torch::isFloatingType(tensor.scalar_type()))
            names.push_back(name);
    }
    return names;
}

torch::Tensor MergeInputs::base(const std::string &name) const
{
    return pretrainedTensor(*this, name).to(torch::kCPU, torch::kFloat32);
}

torch::Tensor MergeInputs::taskVector(int task, const std::string &name) const
{
    if (task < 0 || task >= taskCount())
        throw Error(
            QStringLiteral("merge inputs: task index %1 is out of range (%2 tasks)").arg(task).arg(taskCount()));
    const auto &theta0 = pretrainedTensor(*this, name);
    const TensorMap *weights = finetuned[static_cast<std::size_t>(task)];
    if (!weights)
        throw Error(QStringLiteral("merge inputs: the fine-tuned model of task index %1 is missing").arg(task));
    const auto found = weights->find(name);
    if (found == weights->end() || !found->second.defined())
        throw Error(QStringLiteral("merge inputs: the fine-tuned model of task index %1 has no tensor %2")
                        .arg(task)
                        .arg(quoted(name)));
    const auto &thetaT = found->second;
    if (thetaT.sizes() != theta0.sizes())
        throw Error(
            QStringLiteral("merge inputs: tensor %1 of task index %2 has shape %3, but the pretrained model's is %4")
                .arg(quoted(name))
                .arg(task)
                .arg(shapeText(thetaT), shapeText(theta0)));
    // Subtract in float32: a bf16/f16 difference would lose the small updates.
    return torch::sub(thetaT.to(torch::kCPU, torch::kFloat32), theta0.to(torch::kCPU, torch::kFloat32));
}

} // namespace wemoe
