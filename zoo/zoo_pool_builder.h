#pragma once

#include "jobs/job_context.h"
#include "zoo/zoo_training_recipe.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

namespace wemoe {

// The demo zoo as a model pool (docs/ZOO.md): the eight datasets, a tiny
// CLIP-layout ViT pretrained on a pretext task over their TRAIN splits, a
// fixed class-centroid head per task, and one fine-tuned checkpoint per task:
//     <zoo>/pool.json                     the pool (relative paths)
//     <zoo>/models/pretrained/, models/<task>/   Hugging Face CLIP vision folders
//     <zoo>/heads/<task>.safetensors      ClassificationHead files
//     <zoo>/data/<task>/{train,test}/<class>/*.png
//     <zoo>/zoo.json, README.md           recipe, measurements, sources, licences
//     <zoo>/.zoo-complete                 written last (zoo_cache.h)
struct ZooBuildOptions
{
    bool quick = false; // the small recipe: under a minute, for tests and CI
    bool force = false; // rebuild even when a complete zoo is cached
    quint64 seed = 1;
    int threads = 2;                          // LibTorch threads while training; part of the cache key
    QString cacheFolder;                      // empty: defaultZooCacheFolder()
    QString systemRoot = QStringLiteral("/"); // where the Debian package files are (DatasetBuildOptions)
};

// The recipe the options select (standard or quick, with their seed and threads).
ZooTrainingRecipe zooRecipe(const ZooBuildOptions &options);
// <cacheFolder>/zoo-<recipe version>[-quick]: where that recipe's zoo lives.
QString zooFolder(const ZooBuildOptions &options);
QString zooPoolFile(const QString &zooFolder);
// The pool file of the options' zoo when it is built completely, else empty.
QString builtZooPoolFile(const ZooBuildOptions &options);

struct ZooBuildResult
{
    QString folder;
    QString poolFile;
    bool reused = false; // found complete in the cache, nothing was built
    QJsonObject log;     // zoo.json: the recipe, the stages' times, losses and accuracies
};

// Returns the cached zoo when it is complete (and not forced); otherwise
// builds it through a staging folder that replaces the cached one only when
// everything was written, marker last. A lock file keeps two processes from
// building the same zoo at once. Reads the package files under
// options.systemRoot; the house numbers need a QGuiApplication (fonts).
// Throws wemoe::Error (nothing is left behind) or wemoe::Cancelled.
ZooBuildResult buildZoo(const ZooBuildOptions &options, const JobContext &context = {});

// The build itself into an empty `folder`, without any caching: datasets,
// pretraining, heads, fine-tunes, pool.json, zoo.json and README.md. Runs
// LibTorch on recipe.threads threads (restored afterwards). Returns zoo.json.
QJsonObject buildZooInto(const QString &folder, const ZooTrainingRecipe &recipe, const QString &systemRoot,
                         const JobContext &context = {});

} // namespace wemoe
