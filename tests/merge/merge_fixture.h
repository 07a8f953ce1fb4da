#pragma once

#include "common/tensor_map.h"
#include "merge/merge_inputs.h"

#include <torch/torch.h>

#include <initializer_list>
#include <vector>

namespace wemoe::test {

// θ0 and the fine-tuned maps of a test, owned together and viewed as MergeInputs.
struct MergeFixture
{
    TensorMap pretrained;
    std::vector<TensorMap> tasks;

    explicit MergeFixture(int taskCount = 0)
        : tasks(static_cast<std::size_t>(taskCount))
    {
    }

    // θ0[name] = base and θt[name] = base + taskVectors[t].
    void add(const std::string &name, const torch::Tensor &base, const std::vector<torch::Tensor> &taskVectors)
    {
        pretrained[name] = base;
        for (std::size_t t = 0; t < tasks.size(); ++t)
            tasks[t][name] = base + taskVectors.at(t);
    }

    MergeInputs inputs() const
    {
        MergeInputs in;
        in.pretrained = &pretrained;
        for (const auto &task : tasks)
            in.finetuned.push_back(&task);
        return in;
    }

    // The same fixture with every floating tensor converted to dtype.
    MergeFixture convertedTo(torch::ScalarType dtype) const
    {
        MergeFixture copy;
        copy.pretrained = convert(pretrained, dtype);
        for (const auto &task : tasks)
            copy.tasks.push_back(convert(task, dtype));
        return copy;
    }

private:
    static TensorMap convert(const TensorMap &map, torch::ScalarType dtype)
    {
        TensorMap out;
        for (const auto &[name, tensor] : map)
            out[name] = torch::isFloatingType(tensor.scalar_type()) ? tensor.to(dtype) : tensor;
        return out;
    }
};

inline torch::Tensor floats(std::initializer_list<float> values)
{
    return torch::tensor(std::vector<float>(values), torch::kFloat32);
}

// Random values on a coarse grid (multiples of 1/4): sums are exact in float32,
// so elected sums of exactly zero and ties at the trim threshold really occur.
inline torch::Tensor gridValues(at::IntArrayRef shape, torch::Generator &generator)
{
    return torch::randint(-8, 9, shape, generator, torch::kFloat32).div_(4);
}

} // namespace wemoe::test
