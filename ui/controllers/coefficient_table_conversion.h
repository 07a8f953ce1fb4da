#pragma once

#include "models/coefficient_table.h"

#include <QtCore/QString>

namespace wemoe {
struct AdaMergingCoefficients;
} // namespace wemoe

namespace wemoe::ui {

// The engine's table ([groups, tasks] float32 tensor) as the views' plain Qt
// data, value for value. Only .cpp files that include
// adapt/adamerging_coefficients.h can call this.
CoefficientTable toCoefficientTable(const AdaMergingCoefficients &coefficients);

// A saved adamerging-coefficients.json (as an export writes it), checked by
// the engine's reader. Throws wemoe::Error naming the file and the problem.
CoefficientTable readCoefficientTable(const QString &file);

} // namespace wemoe::ui
