#pragma once

#include <torch/types.h>

#include <QtCore/QString>

namespace wemoe::test {

// Largest |a − b| / max(|b|, floor) over all entries: a relative error that
// stays meaningful for entries near zero.
double maxRelativeError(const torch::Tensor &a, const torch::Tensor &b, double floor = 1e-6);

// QVERIFY2-friendly description of the first mismatching entry ("" when
// a and b agree to rtol/atol, as torch::allclose).
QString describeMismatch(const torch::Tensor &a, const torch::Tensor &b, double rtol, double atol);

} // namespace wemoe::test
