#pragma once

#include "bench_harness.h"

#include <QtCore/QString>
#include <QtCore/QTextStream>

namespace wemoe::bench {

struct DataBenchOptions
{
    int images = 256;      // generated JPEGs of 500 x 375 (the size of a typical photo dataset's images)
    int batch = 64;        // images per decoded batch
    int imageSize = 224;   // the preprocessor's output (ViT-B/32)
    QString folder;        // where the generated image folder (and Parquet file) go
    QString parquetSource; // also time these Parquet files (a path or ORG/NAME:SPLIT); empty: the generated ones
};

// Images decoded and preprocessed per second by the batch loader (OpenCV
// decode, resize, crop, normalise), on one thread and on all of LibTorch's
// intra-op threads, from memory, from an image folder and from Parquet files
// (snappy, as Hugging Face writes them; needs the tests' Parquet writer, so
// only when the tests are built, or --parquet). Prints a Markdown table.
void runDataBench(const DataBenchOptions &options, const TimingOptions &timing, QTextStream &out);

} // namespace wemoe::bench
