#pragma once

#include "data/image_dataset.h"

#include <QtCore/QtGlobal>

namespace wemoe {

// At most `maxSamples` samples of `dataset`, drawn at random with `seed` (the
// same seed gives the same samples on every machine) and kept in the
// dataset's order, so batches still read the files front to back. The whole
// dataset when it is no larger or maxSamples <= 0.
SharedImageDataset seededSubset(const SharedImageDataset &dataset, int maxSamples, quint64 seed);

} // namespace wemoe
