#pragma once

#include "models/method_settings.h"

#include <QtCore/QString>

namespace wemoe {
struct MergeSpec;
}

namespace wemoe::ui {

// The engine's MergeSpec for a request (only .cpp files that include
// merge/merge_spec.h can call this: the type is declared, not defined, here).
MergeSpec toMergeSpec(const MethodRequest &request);

// The engine's label of a request, e.g. "ties (λ=0.3, k=20%, sum)": the row
// name in the accuracy table, identical to the command line's.
QString methodLabel(const MethodRequest &request);

} // namespace wemoe::ui
