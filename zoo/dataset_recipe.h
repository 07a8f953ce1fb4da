#pragma once

#include "jobs/job_context.h"
#include "zoo/seeded_random.h"

#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVector>

#include <opencv2/core/mat.hpp>

#include <functional>
#include <memory>

namespace wemoe {

// The demo zoo: eight small image-classification tasks built from files that
// Debian packages install (docs/DEMO-DATA.md). Every task is written as
//     <root>/<task>/<split>/<class>/<n>.png      (split: train, test)
// 32×32 RGB PNGs, class-balanced, plus <root>/<task>/dataset.json (classes,
// counts, seed, packages and the source of every image).
//
// How a task is made, in two steps that keep loading apart from drawing:
//  1. DatasetRecipe::load reads and parses the package files once (seed-free)
//     and returns a DatasetGenerator, which knows, per split and class, a list
//     of *sources* (a scan cell, a photo, a texture, a font, a map patch...).
//     Sources held out for testing never appear in the train lists.
//  2. The shared driver (writeDataset, zoo_builder.h) draws every image:
//     sample n of (split, class) uses source order[n % sources] of a seeded
//     shuffle of that class's sources, "pass" n / sources, and its own
//     SeededRandom seeded from (seed, task, split, class, n). Samples are
//     independent of each other, so they are drawn on several threads and the
//     files are byte-identical for a seed whatever the thread count.

enum class ZooSplit { Train = 0, Test = 1 };

QString zooSplitName(ZooSplit split);

struct DatasetBuildOptions
{
    // Images per class and split; 0 takes the recipe's default (which gives
    // at least 1000 train and 300 test images per task).
    int trainPerClass = 0;
    int testPerClass = 0;
    quint64 seed = 1;
    // Worker threads drawing images; 0 = QThread::idealThreadCount().
    int threads = 0;
    // Where the package files are looked up: "/" for the installed packages,
    // or a folder the .debs were unpacked into (dpkg-deb -x PKG.deb DIR).
    QString systemRoot = QStringLiteral("/");

    enum class Existing { Fail, Skip, Replace };
    // What to do when <root>/<task> already exists (a finished task: unfinished
    // ones live in hidden .partial folders until they are complete).
    Existing existing = Existing::Fail;
};

// One drawn image: 32×32 CV_8UC3 in OpenCV's BGR order, and a short id of
// what it was made from (file name, catalogue designation, map band...). The
// ids of the test images never occur among the train images' ids.
struct ZooImage
{
    cv::Mat image;
    QString source;
};

class DatasetGenerator
{
public:
    virtual ~DatasetGenerator() = default;

    // Labels index the recipe's classNames.
    // Number of sources of class `label` in `split` (> 0 for every class).
    virtual int sourceCount(ZooSplit split, int label) const = 0;
    // Draws an image of class `label` from source `source` (< sourceCount).
    // `pass` counts how often this source was used before in this class: a
    // generator may return the source untouched on pass 0 (the digit scans)
    // and augment it afterwards. Must be safe to call from several threads.
    virtual ZooImage draw(ZooSplit split, int label, int source, int pass, SeededRandom &random) const = 0;
};

struct DatasetRecipe
{
    QString name;           // folder name: digits, fashion, deep_sky, ...
    QString standsFor;      // the benchmark task it imitates, e.g. "MNIST"
    QStringList packages;   // Debian packages it reads
    QString credit;         // licence and credit line for the zoo's README
    QStringList classNames; // folder names, in label order
    int defaultTrainPerClass = 0;
    int defaultTestPerClass = 0;
    // Reads the package files under systemRoot. Throws wemoe::Error naming a
    // missing file, its package and how to install it.
    std::function<std::unique_ptr<DatasetGenerator>(const QString &systemRoot, const JobContext &context)> load;
};

} // namespace wemoe
