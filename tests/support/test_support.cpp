#include "test_support.h"

#include "common/error.h"

#include <torch/torch.h>

namespace wemoe::test {

double maxRelativeError(const torch::Tensor &a, const torch::Tensor &b, double floor)
{
    const auto x = a.to(torch::kFloat64).cpu();
    const auto y = b.to(torch::kFloat64).cpu();
    return ((x - y).abs() / y.abs().clamp_min(floor)).max().item<double>();
}

QString describeMismatch(const torch::Tensor &a, const torch::Tensor &b, double rtol, double atol)
{
    if (a.sizes() != b.sizes())
        return QStringLiteral("shapes differ: %1 vs %2")
            .arg(QString::fromStdString(c10::str(a.sizes())), QString::fromStdString(c10::str(b.sizes())));
    const auto x = a.to(torch::kFloat64).cpu().flatten();
    const auto y = b.to(torch::kFloat64).cpu().flatten();
    const auto bad = ((x - y).abs() > atol + rtol * y.abs()).nonzero();
    if (bad.numel() == 0)
        return {};
    const auto i = bad[0].item<int64_t>();
    return QStringLiteral("%1 of %2 entries differ; first at flat index %3: %4 vs %5")
        .arg(bad.size(0))
        .arg(x.numel())
        .arg(i)
        .arg(x[i].item<double>(), 0, 'g', 10)
        .arg(y[i].item<double>(), 0, 'g', 10);
}

QString errorOf(const std::function<void()> &call)
{
    try {
        call();
    } catch (const Error &e) {
        return e.message();
    }
    return {};
}

bool sameTensorMaps(const TensorMap &a, const TensorMap &b)
{
    if (a.size() != b.size())
        return false;
    for (const auto &[name, tensor] : a) {
        const auto other = b.find(name);
        if (other == b.end() || !torch::equal(tensor, other->second))
            return false;
    }
    return true;
}

} // namespace wemoe::test
