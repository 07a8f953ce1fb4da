#pragma once

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace wemoe {

// The exact rank-th smallest magnitude (1-based, torch.kthvalue's order) over a
// stream of float32 tensors, found without concatenating them: TIES trims each
// task vector by a threshold counted over the whole model, and a ViT-L task
// vector is too big to copy just to sort it. For non-negative floats the int32
// bit pattern orders like the value, so this is a radix select over the bit
// patterns of |x|: pass 1 counts the high 16 bits, pass 2 the low 15 bits of the
// entries in the chosen bucket. Both passes must see the same entries.
class MagnitudeThreshold
{
public:
    static constexpr int kPasses = 2;

    explicit MagnitudeThreshold(std::int64_t rank);

    // Counts |values| (float32, on the CPU, any shape) in the current pass.
    void add(const torch::Tensor &values);
    // Ends the current pass; throws wemoe::Error when fewer than rank entries were seen.
    void finishPass();
    bool done() const { return m_pass == kPasses; }
    // The rank-th smallest |x|; valid once done().
    float value() const;

private:
    static constexpr int kLowBits = 15;
    static constexpr std::uint32_t kLowMask = (1u << kLowBits) - 1;

    std::int64_t m_rank; // remaining rank inside the current bucket
    int m_pass = 0;
    std::uint32_t m_highBucket = 0;
    std::uint32_t m_lowBucket = 0;
    std::vector<std::int64_t> m_counts;
};

} // namespace wemoe
