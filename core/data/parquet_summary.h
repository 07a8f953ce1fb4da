#pragma once

#include "io/data_source.h"

#include <QtCore/QString>

namespace wemoe {

// A readable account of Parquet files, footers only (nothing is decoded): per
// file its size, rows and row groups; then, from the first file, the writer,
// the schema tree, each column's type, levels, codecs and encodings (sizes
// summed over all files) and the Hugging Face features (image and label
// columns, class names). What `wemoe info` prints for data.
QString describeParquetFiles(const DataSource &source);

} // namespace wemoe
