#pragma once

#include <torch/types.h>

#include <map>
#include <string>

namespace wemoe {

// A model's weights by name. Ordered, so iteration (and therefore merging,
// seeding and file layout) is deterministic. A merge result is just another map.
using TensorMap = std::map<std::string, torch::Tensor>;

// Free-form string metadata (safetensors "__metadata__").
using Metadata = std::map<std::string, std::string>;

} // namespace wemoe
