#pragma once

#include "jobs/job_context.h"
#include "zoo/dataset_recipe.h"

#include <QtCore/QSet>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVector>

namespace wemoe {

// What writeDataset wrote (or found, when an existing task was skipped).
struct DatasetManifest
{
    struct Entry
    {
        ZooSplit split = ZooSplit::Train;
        int label = 0;
        QString file;   // relative to the task folder: train/<class>/<n>.png
        QString source; // ZooImage::source
    };

    QString task;
    QString folder; // <root>/<task>
    QStringList classNames;
    int trainPerClass = 0;
    int testPerClass = 0;
    quint64 seed = 0;
    bool skipped = false; // existed already and options.existing was Skip; entries are empty then
    QVector<Entry> entries;

    // The distinct source ids of a split.
    QSet<QString> sources(ZooSplit split) const;
};

// The eight tasks of docs/DEMO-DATA.md, in its order: digits, fashion, deep_sky,
// biomes, objects, textures, road_signs, house_numbers.
QVector<DatasetRecipe> demoZooRecipes();
// The recipe named `name`; throws wemoe::Error listing the names when unknown.
DatasetRecipe demoZooRecipe(const QString &name);

// Draws options' counts (or the recipe's defaults) of images per class from
// `generator` into <root>/<recipe.name>/ and writes dataset.json beside the
// splits. Everything is written into the hidden <root>/.<name>.partial first
// and renamed when complete, so an interrupted build never leaves a folder
// that looks finished. Deterministic for options.seed.
DatasetManifest writeDataset(const DatasetRecipe &recipe, const DatasetGenerator &generator, const QString &root,
                             const DatasetBuildOptions &options, const JobContext &context = {});

// Loads and writes every recipe named in `tasks` (all eight when empty) into
// <root>/<task>/. Progress is counted in images over all tasks.
QVector<DatasetManifest> buildDemoZoo(const QString &root, const DatasetBuildOptions &options,
                                      const JobContext &context = {}, const QStringList &tasks = {});

} // namespace wemoe
