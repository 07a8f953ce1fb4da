#pragma once

#include "methods/parameter.h"

namespace wemoe {

// The settings every run takes besides its method, described like a method's
// parameters so that the CLI's options and the studio's Compute controls
// share their defaults, ranges and help.

// CPU threads for LibTorch and image decoding; 0 uses all cores.
const Parameter &threadsParameter();
// Images per evaluation batch (EvalOptions::batchSize's default).
const Parameter &evalBatchParameter();
// Quick runs: at most this many test images per task (a seeded random subset,
// LoadedPool::maxTestImagesPerTask); 0 uses them all.
const Parameter &maxTestImagesParameter();

} // namespace wemoe
