#pragma once

#include "common/tensor_map.h"

#include <torch/types.h>

#include <QtCore/QString>

#include <functional>

namespace wemoe::test {

// Largest |a − b| / max(|b|, floor) over all entries: a relative error that
// stays meaningful for entries near zero.
double maxRelativeError(const torch::Tensor &a, const torch::Tensor &b, double floor = 1e-6);

// QVERIFY2-friendly description of the first mismatching entry ("" when
// a and b agree to rtol/atol, as torch::allclose).
QString describeMismatch(const torch::Tensor &a, const torch::Tensor &b, double rtol, double atol);

// The message of the wemoe::Error that `call` throws; "" when it returns.
QString errorOf(const std::function<void()> &call);

// The same tensor names, and torch::equal tensors under each.
bool sameTensorMaps(const TensorMap &a, const TensorMap &b);

} // namespace wemoe::test
