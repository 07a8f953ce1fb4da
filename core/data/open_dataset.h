#pragma once

#include "data/image_dataset.h"
#include "io/data_source.h"

namespace wemoe {

// A task's images, however they are stored: an image folder
// (ImageFolderDataset) or Parquet files (ParquetDataset), with labels in the
// order of `classNames` (the head's). Throws wemoe::Error naming the folder or
// file when the images cannot be read or their classes are not the head's.
SharedImageDataset openImageDataset(const DataSource &source, const QStringList &classNames);

// The class names a data source defines: an image folder's class folders
// (sorted), or the Parquet files' ClassLabel names (empty when their metadata
// names none).
QStringList classNamesOf(const DataSource &source);

} // namespace wemoe
