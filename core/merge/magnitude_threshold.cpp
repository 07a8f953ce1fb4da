#include "merge/magnitude_threshold.h"

#include "common/error.h"

#include <torch/torch.h>

#include <cstring>

namespace wemoe {

namespace {

constexpr std::size_t kHighBuckets = std::size_t(1) << 16; // bit patterns of |x| are 31 bits wide
constexpr std::size_t kLowBuckets = std::size_t(1) << 15;

} // namespace

MagnitudeThreshold::MagnitudeThreshold(std::int64_t rank)
    : m_rank(rank)
    , m_counts(kHighBuckets, 0)
{
    if (rank < 1)
        throw Error(QStringLiteral("magnitude threshold: rank %1 is not positive").arg(rank));
}

void MagnitudeThreshold::add(const torch::Tensor &values)
{
    if (done())
        throw Error(QStringLiteral("magnitude threshold: both passes are already finished"));
    if (values.scalar_type() != torch::kFloat32 || !values.device().is_cpu())
        throw Error(QStringLiteral("magnitude threshold: expected a float32 CPU tensor"));
    const auto data = values.contiguous();
    const auto *entries = data.data_ptr<float>();
    const std::int64_t n = data.numel();
    auto *counts = m_counts.data();
    if (m_pass == 0) {
        for (std::int64_t i = 0; i < n; ++i) {
            std::uint32_t bits;
            std::memcpy(&bits, entries + i, sizeof bits);
            ++counts[(bits & 0x7FFFFFFFu) >> kLowBits];
        }
        return;
    }
    const std::uint32_t high = m_highBucket;
    for (std::int64_t i = 0; i < n; ++i) {
        std::uint32_t bits;
        std::memcpy(&bits, entries + i, sizeof bits);
        bits &= 0x7FFFFFFFu;
        if ((bits >> kLowBits) == high)
            ++counts[bits & kLowMask];
    }
}

void MagnitudeThreshold::finishPass()
{
    if (done())
        throw Error(QStringLiteral("magnitude threshold: both passes are already finished"));
    std::int64_t below = 0;
    std::size_t bucket = 0;
    for (; bucket < m_counts.size(); ++bucket) {
        if (below + m_counts[bucket] >= m_rank)
            break;
        below += m_counts[bucket];
    }
    if (bucket == m_counts.size())
        throw Error(
            QStringLiteral("magnitude threshold: rank %1 is beyond the %2 entries counted").arg(m_rank).arg(below));
    m_rank -= below;
    if (m_pass == 0) {
        m_highBucket = static_cast<std::uint32_t>(bucket);
        m_counts.assign(kLowBuckets, 0);
    } else {
        m_lowBucket = static_cast<std::uint32_t>(bucket);
        m_counts.clear();
        m_counts.shrink_to_fit();
    }
    ++m_pass;
}

float MagnitudeThreshold::value() const
{
    if (!done())
        throw Error(QStringLiteral("magnitude threshold: asked for the value before both passes ended"));
    const std::uint32_t bits = (m_highBucket << kLowBits) | m_lowBucket;
    float result;
    std::memcpy(&result, &bits, sizeof result);
    return result;
}

} // namespace wemoe
