#pragma once

#include "bench_harness.h"
#include "io/clip_config.h"

#include <QtCore/QString>
#include <QtCore/QTextStream>

namespace wemoe::bench {

struct DataBenchOptions
{
    int images = 256;       // generated JPEGs of 500 x 375 (the size of a typical photo dataset's images)
    int batch = 64;         // images per decoded batch
    QString folder;         // where the generated image folder (and Parquet file) go
    QString parquetSource;  // also time these Parquet files (a path or ORG/NAME:SPLIT); empty: the generated ones
    ClipVisionConfig model; // the ViT an evaluation runs (random weights); its image size is the preprocessor's
    int evalImages = 64;    // images evaluated in turn and prefetched (0: skip)
    int evalBatch = 16;     // their batches (several, so that one can be decoded while another runs)
};

// Images decoded and preprocessed per second by the batch loader (OpenCV
// decode, resize, crop, normalise), on one thread and on all of LibTorch's
// intra-op threads, from memory, from an image folder and from Parquet files
// (snappy, as Hugging Face writes them; needs the tests' Parquet writer, so
// only when the tests are built, or --parquet). Then an evaluation's loop
// over the Parquet images (or the folder's), decoding a batch and then running
// the ViT on it, against BatchPrefetcher decoding the next batch while the ViT
// runs. Prints Markdown tables.
void runDataBench(const DataBenchOptions &options, const TimingOptions &timing, QTextStream &out);

} // namespace wemoe::bench
