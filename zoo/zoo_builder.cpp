#include "zoo/zoo_builder.h"

#include "common/error.h"
#include "zoo/image_ops.h"
#include "zoo/parallel_for.h"
#include "zoo/zoo_recipes.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QRegularExpression>

#include <array>
#include <vector>

namespace wemoe {

namespace {

constexpr std::array<ZooSplit, 2> kSplits{ZooSplit::Train, ZooSplit::Test};
// Seed part that tells the shuffles of sources apart from the per-sample streams.
constexpr quint64 kSourceOrderStream = 0x5EED0F5005CE0000ULL;

struct Job
{
    ZooSplit split;
    int label;
    int index;
};

void checkClassNames(const QString &task, const QStringList &names)
{
    static const QRegularExpression folderSafe(QStringLiteral("^[a-z0-9][a-z0-9_\\-]*$"));
    if (names.size() < 2)
        throw Error(QStringLiteral("demo task %1 has %2 classes").arg(task).arg(names.size()));
    for (const QString &name : names) {
        if (!folderSafe.match(name).hasMatch())
            throw Error(QStringLiteral("demo task %1: class name '%2' is not a safe folder name").arg(task, name));
        if (names.count(name) != 1)
            throw Error(QStringLiteral("demo task %1: class name '%2' appears twice").arg(task, name));
    }
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(bytes) != bytes.size() || !out.flush())
        throw Error(path, QStringLiteral("cannot be written: %1").arg(out.errorString()));
}

void removeFolder(const QString &path)
{
    if (QFileInfo::exists(path))
        QDir(path).removeRecursively();
}

QJsonObject manifestJson(const DatasetRecipe &recipe, const DatasetManifest &manifest)
{
    QJsonObject json;
    json.insert(QStringLiteral("task"), manifest.task);
    json.insert(QStringLiteral("standsFor"), recipe.standsFor);
    json.insert(QStringLiteral("packages"), QJsonArray::fromStringList(recipe.packages));
    json.insert(QStringLiteral("credit"), recipe.credit);
    // A string: JSON numbers are doubles and would round a 64-bit seed.
    json.insert(QStringLiteral("seed"), QString::number(manifest.seed));
    json.insert(QStringLiteral("imageSize"), kZooImageSize);
    json.insert(QStringLiteral("classes"), QJsonArray::fromStringList(manifest.classNames));
    json.insert(QStringLiteral("trainPerClass"), manifest.trainPerClass);
    json.insert(QStringLiteral("testPerClass"), manifest.testPerClass);
    QJsonObject splits;
    for (ZooSplit split : kSplits) {
        QJsonArray images;
        for (const DatasetManifest::Entry &entry : manifest.entries) {
            if (entry.split != split)
                continue;
            images.append(QJsonObject{{QStringLiteral("file"), entry.file},
                                      {QStringLiteral("label"), entry.label},
                                      {QStringLiteral("source"), entry.source}});
        }
        splits.insert(zooSplitName(split), images);
    }
    json.insert(QStringLiteral("images"), splits);
    return json;
}

// Removes the unfinished folder unless dismissed (the build went through).
class PartialFolderGuard
{
public:
    explicit PartialFolderGuard(QString path)
        : m_path(std::move(path))
    {
    }
    ~PartialFolderGuard()
    {
        if (!m_dismissed)
            removeFolder(m_path);
    }
    void dismiss() { m_dismissed = true; }

private:
    QString m_path;
    bool m_dismissed = false;
};

int resolvedCount(int requested, int recipeDefault, const QString &task, const char *what)
{
    if (requested < 0)
        throw Error(QStringLiteral("demo task %1: %2 images per class must not be negative (got %3)")
                        .arg(task, QLatin1String(what))
                        .arg(requested));
    return requested > 0 ? requested : recipeDefault;
}

} // namespace

QString zooSplitName(ZooSplit split)
{
    return split == ZooSplit::Train ? QStringLiteral("train") : QStringLiteral("test");
}

QSet<QString> DatasetManifest::sources(ZooSplit split) const
{
    QSet<QString> ids;
    for (const Entry &entry : entries) {
        if (entry.split == split)
            ids.insert(entry.source);
    }
    return ids;
}

QVector<DatasetRecipe> demoZooRecipes()
{
    return {digitsRecipe(),  fashionRecipe(),  deepSkyRecipe(),   biomesRecipe(),
            objectsRecipe(), texturesRecipe(), roadSignsRecipe(), houseNumbersRecipe()};
}

DatasetRecipe demoZooRecipe(const QString &name)
{
    QStringList names;
    for (const DatasetRecipe &recipe : demoZooRecipes()) {
        if (recipe.name == name)
            return recipe;
        names.append(recipe.name);
    }
    throw Error(QStringLiteral("unknown demo task '%1' (the tasks: %2)").arg(name, names.join(QStringLiteral(", "))));
}

DatasetManifest writeDataset(const DatasetRecipe &recipe, const DatasetGenerator &generator, const QString &root,
                             const DatasetBuildOptions &options, const JobContext &context)
{
    DatasetManifest manifest;
    manifest.task = recipe.name;
    manifest.folder = QDir(root).filePath(recipe.name);
    manifest.seed = options.seed;
    manifest.trainPerClass = resolvedCount(options.trainPerClass, recipe.defaultTrainPerClass, recipe.name, "train");
    manifest.testPerClass = resolvedCount(options.testPerClass, recipe.defaultTestPerClass, recipe.name, "test");
    manifest.classNames = recipe.classNames;
    checkClassNames(recipe.name, manifest.classNames);

    const bool exists = QFileInfo::exists(manifest.folder);
    if (exists && options.existing == DatasetBuildOptions::Existing::Skip) {
        manifest.skipped = true;
        return manifest;
    }
    if (exists && options.existing == DatasetBuildOptions::Existing::Fail)
        throw Error(manifest.folder,
                    QStringLiteral("already exists (remove it, or ask to replace or skip existing tasks)"));

    // Seeded shuffles of each class's sources: sample n uses order[n % size].
    std::array<QVector<std::vector<int>>, 2> orders;
    for (ZooSplit split : kSplits) {
        for (int label = 0; label < manifest.classNames.size(); ++label) {
            const int sources = generator.sourceCount(split, label);
            if (sources <= 0)
                throw Error(QStringLiteral("demo task %1: class %2 has no %3 sources")
                                .arg(recipe.name, manifest.classNames[label], zooSplitName(split)));
            SeededRandom random(SeededRandom::mix({options.seed, SeededRandom::hashName(recipe.name), quint64(split),
                                                   quint64(label), kSourceOrderStream}));
            orders[size_t(split)].append(random.permutation(sources));
        }
    }

    if (!QDir().mkpath(root))
        throw Error(root, QStringLiteral("cannot create the demo data folder"));
    const QString partial = QDir(root).filePath(QLatin1Char('.') + recipe.name + QStringLiteral(".partial"));
    removeFolder(partial); // left by an interrupted build
    PartialFolderGuard guard(partial);

    std::vector<Job> jobs;
    for (ZooSplit split : kSplits) {
        const int perClass = split == ZooSplit::Train ? manifest.trainPerClass : manifest.testPerClass;
        for (int label = 0; label < manifest.classNames.size(); ++label) {
            const QString folder =
                QStringLiteral("%1/%2/%3").arg(partial, zooSplitName(split), manifest.classNames[label]);
            if (!QDir().mkpath(folder))
                throw Error(folder, QStringLiteral("cannot be created"));
            for (int n = 0; n < perClass; ++n)
                jobs.push_back({split, label, n});
        }
    }
    manifest.entries.resize(qsizetype(jobs.size()));

    const quint64 taskHash = SeededRandom::hashName(recipe.name);
    const int total = int(jobs.size());
    const QString what = QStringLiteral("%1: drawing %2 images").arg(recipe.name).arg(total);
    context.progress(0, total, what);
    parallelFor(
        total, options.threads, context,
        [&](int jobIndex) {
            const Job &job = jobs[size_t(jobIndex)];
            const std::vector<int> &order = orders[size_t(job.split)][job.label];
            const int count = int(order.size());
            SeededRandom random(SeededRandom::mix(
                {options.seed, taskHash, quint64(job.split), quint64(job.label), quint64(job.index)}));
            const ZooImage drawn = generator.draw(job.split, job.label, order[size_t(job.index % count)],
                                                  job.index / count, random);
            if (drawn.image.rows != kZooImageSize || drawn.image.cols != kZooImageSize || drawn.image.type() != CV_8UC3)
                throw Error(QStringLiteral("demo task %1 drew a %2×%3 image with %4 channels (expected %5×%5 BGR)")
                                .arg(recipe.name)
                                .arg(drawn.image.cols)
                                .arg(drawn.image.rows)
                                .arg(drawn.image.channels())
                                .arg(kZooImageSize));
            const QString file = QStringLiteral("%1/%2/%3.png")
                                     .arg(zooSplitName(job.split), manifest.classNames[job.label])
                                     .arg(job.index, 5, 10, QLatin1Char('0'));
            writeFile(QDir(partial).filePath(file), encodePng(drawn.image));
            manifest.entries[jobIndex] = {job.split, job.label, file, drawn.source};
        },
        [&](int done) { context.progress(done, total, what); });

    writeFile(QDir(partial).filePath(QStringLiteral("dataset.json")),
              QJsonDocument(manifestJson(recipe, manifest)).toJson(QJsonDocument::Indented));

    // Swap in the finished folder; an existing one is moved aside first so a
    // failed rename leaves it in place.
    const QString old = QDir(root).filePath(QLatin1Char('.') + recipe.name + QStringLiteral(".old"));
    if (exists) {
        removeFolder(old);
        if (!QDir().rename(manifest.folder, old))
            throw Error(manifest.folder, QStringLiteral("cannot be moved aside to be replaced"));
    }
    if (!QDir().rename(partial, manifest.folder)) {
        if (exists)
            QDir().rename(old, manifest.folder);
        throw Error(partial, QStringLiteral("cannot be renamed to %1").arg(manifest.folder));
    }
    guard.dismiss();
    removeFolder(old);
    return manifest;
}

QVector<DatasetManifest> buildDemoZoo(const QString &root, const DatasetBuildOptions &options,
                                      const JobContext &context, const QStringList &tasks)
{
    QVector<DatasetRecipe> recipes;
    if (tasks.isEmpty()) {
        recipes = demoZooRecipes();
    } else {
        for (const QString &name : tasks)
            recipes.append(demoZooRecipe(name));
    }

    qint64 grandTotal = 0;
    for (const DatasetRecipe &recipe : recipes) {
        const int train = options.trainPerClass > 0 ? options.trainPerClass : recipe.defaultTrainPerClass;
        const int test = options.testPerClass > 0 ? options.testPerClass : recipe.defaultTestPerClass;
        grandTotal += qint64(train + test) * recipe.classNames.size();
    }

    QVector<DatasetManifest> manifests;
    qint64 offset = 0;
    for (const DatasetRecipe &recipe : recipes) {
        context.throwIfCancelled();
        const bool exists = QFileInfo::exists(QDir(root).filePath(recipe.name));
        if (exists && options.existing == DatasetBuildOptions::Existing::Fail)
            throw Error(QDir(root).filePath(recipe.name),
                        QStringLiteral("already exists (remove it, or ask to replace or skip existing tasks)"));
        if (exists && options.existing == DatasetBuildOptions::Existing::Skip) {
            DatasetManifest skipped;
            skipped.task = recipe.name;
            skipped.folder = QDir(root).filePath(recipe.name);
            skipped.seed = options.seed;
            skipped.classNames = recipe.classNames;
            skipped.skipped = true;
            manifests.append(skipped);
            const int train = options.trainPerClass > 0 ? options.trainPerClass : recipe.defaultTrainPerClass;
            const int test = options.testPerClass > 0 ? options.testPerClass : recipe.defaultTestPerClass;
            offset += qint64(train + test) * recipe.classNames.size();
            continue;
        }
        JobContext loading = context;
        loading.onProgress = [&](qint64, qint64, const QString &what) { context.progress(offset, grandTotal, what); };
        const std::unique_ptr<DatasetGenerator> generator = recipe.load(options.systemRoot, loading);

        JobContext drawing = context;
        drawing.onProgress = [&](qint64 done, qint64, const QString &what) {
            context.progress(offset + done, grandTotal, what);
        };
        manifests.append(writeDataset(recipe, *generator, root, options, drawing));
        offset += manifests.constLast().entries.size();
    }
    context.progress(grandTotal, grandTotal, QStringLiteral("demo data written to %1").arg(root));
    return manifests;
}

} // namespace wemoe
