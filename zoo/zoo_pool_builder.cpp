#include "zoo/zoo_pool_builder.h"

#include "common/device.h"
#include "common/error.h"
#include "io/atomic_file.h"
#include "io/checkpoint.h"
#include "io/classification_head.h"
#include "io/model_pool.h"
#include "zoo/zoo_builder.h"
#include "zoo/zoo_cache.h"
#include "zoo/zoo_readme.h"
#include "zoo/zoo_training.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QLockFile>

#include <torch/torch.h>

#include <algorithm>

namespace wemoe {

namespace {

// Shares of the whole build in the progress report, roughly its time.
struct Stage
{
    double begin;
    double end;
};
constexpr Stage kDrawStage{0.00, 0.08};
constexpr Stage kLoadStage{0.08, 0.10};
constexpr Stage kPretextStage{0.10, 0.40};
constexpr Stage kHeadStage{0.40, 0.43};
constexpr Stage kFinetuneStage{0.43, 0.99};
constexpr Stage kWriteStage{0.99, 1.00};
constexpr qint64 kProgressUnits = 1000;

// A context reporting a stage's own done/total as a part of the whole build.
JobContext stageContext(const JobContext &context, Stage stage)
{
    JobContext inner;
    inner.cancelFlag = context.cancelFlag;
    inner.onWarning = context.onWarning;
    if (context.onProgress) {
        inner.onProgress = [context, stage](qint64 done, qint64 total, const QString &what) {
            const double fraction = total > 0 ? double(done) / double(total) : 0.0;
            const double at = stage.begin + (stage.end - stage.begin) * std::clamp(fraction, 0.0, 1.0);
            context.progress(qint64(at * kProgressUnits), kProgressUnits, what);
        };
    }
    return inner;
}

// Only the cancel flag: for sub-steps whose progress the stage reports itself.
JobContext cancelOnly(const JobContext &context)
{
    JobContext inner;
    inner.cancelFlag = context.cancelFlag;
    inner.onWarning = context.onWarning;
    return inner;
}

void exportZooModel(const QString &folder, const ZooTrainingRecipe &recipe, const TensorMap &vision,
                    const QString &role, const JobContext &context)
{
    if (!QDir().mkpath(QFileInfo(folder).absolutePath()))
        throw Error(folder, QStringLiteral("cannot create the parent folder"));
    Checkpoint like;
    like.configJson = recipe.model.toJson();
    like.config = recipe.model;
    like.keyPrefix = QStringLiteral("vision_model.");
    like.vision = vision;
    ExportOptions options;
    options.metadata = {{"wemoe_zoo_version", recipe.version().toStdString()}, {"wemoe_zoo_role", role.toStdString()}};
    JobContext writing;
    writing.cancelFlag = context.cancelFlag;
    exportCheckpoint(folder, like, vision, options, writing);
}

QJsonObject reportJson(const TrainReport &report, int batch)
{
    return QJsonObject{{QStringLiteral("steps"), report.steps},
                       {QStringLiteral("first_loss"), report.firstLoss},
                       {QStringLiteral("final_loss"), report.finalLoss},
                       {QStringLiteral("seconds"), report.seconds},
                       {QStringLiteral("images_per_second"),
                        report.seconds > 0 ? report.steps * double(batch) / report.seconds : 0.0}};
}

double secondsSince(const QElapsedTimer &timer)
{
    return timer.elapsed() / 1000.0;
}

} // namespace

ZooTrainingRecipe zooRecipe(const ZooBuildOptions &options)
{
    if (options.threads < 1)
        throw Error(QStringLiteral("demo zoo: the thread count must be at least 1 (got %1)").arg(options.threads));
    ZooTrainingRecipe recipe = options.quick ? quickZooRecipe() : standardZooRecipe();
    recipe.seed = options.seed;
    recipe.threads = options.threads;
    return recipe;
}

QString zooFolder(const ZooBuildOptions &options)
{
    const QString cache = options.cacheFolder.isEmpty() ? defaultZooCacheFolder() : options.cacheFolder;
    const ZooTrainingRecipe recipe = zooRecipe(options);
    const QString name =
        QStringLiteral("zoo-%1%2").arg(recipe.version(), options.quick ? QStringLiteral("-quick") : QString());
    return QDir(QFileInfo(cache).absoluteFilePath()).filePath(name);
}

QString zooPoolFile(const QString &zooFolder)
{
    return QDir(zooFolder).filePath(QStringLiteral("pool.json"));
}

QString builtZooPoolFile(const ZooBuildOptions &options)
{
    const QString folder = zooFolder(options);
    return isCompleteZoo(folder) ? zooPoolFile(folder) : QString();
}

QJsonObject buildZooInto(const QString &folder, const ZooTrainingRecipe &recipe, const QString &systemRoot,
                         const JobContext &context)
{
    QElapsedTimer total;
    total.start();
    const TorchThreadsScope threads(recipe.threads);
    const QDir root(QFileInfo(folder).absoluteFilePath());
    if (!root.exists() && !QDir().mkpath(root.path()))
        throw Error(folder, QStringLiteral("cannot create the zoo folder"));
    QJsonObject log;
    log.insert(QStringLiteral("version"), recipe.version());
    log.insert(QStringLiteral("recipe"), recipe.toJson());
    QJsonObject seconds;

    // 1. The eight datasets.
    QElapsedTimer timer;
    timer.start();
    DatasetBuildOptions dataOptions;
    dataOptions.trainPerClass = recipe.trainPerClass;
    dataOptions.testPerClass = recipe.testPerClass;
    dataOptions.seed = recipe.seed;
    dataOptions.threads = recipe.threads;
    dataOptions.systemRoot = systemRoot;
    dataOptions.existing = DatasetBuildOptions::Existing::Fail;
    const QString dataRoot = root.filePath(QStringLiteral("data"));
    const QVector<DatasetManifest> manifests = buildDemoZoo(dataRoot, dataOptions, stageContext(context, kDrawStage));
    seconds.insert(QStringLiteral("datasets"), secondsSince(timer));

    // 2. Their train splits in memory.
    timer.restart();
    const Normalization normalization;
    QVector<TrainingImages> trainSplits;
    QJsonArray datasetsJson;
    for (int t = 0; t < manifests.size(); ++t) {
        const DatasetManifest &manifest = manifests[t];
        TrainingImages split = loadTrainingImages(
            DataSource::imageFolder(QDir(manifest.folder).filePath(QStringLiteral("train"))), manifest.classNames,
            recipe.model.imageSize, normalization, cancelOnly(context));
        split.task = manifest.task;
        split.mirrorSafe = recipe.mirrorSafeTasks.contains(manifest.task);
        trainSplits.append(std::move(split));
        const int testImages = int(
            std::count_if(manifest.entries.cbegin(), manifest.entries.cend(),
                          [](const DatasetManifest::Entry &e) { return e.split == ZooSplit::Test; }));
        datasetsJson.append(QJsonObject{{QStringLiteral("task"), manifest.task},
                                        {QStringLiteral("classes"), QJsonArray::fromStringList(manifest.classNames)},
                                        {QStringLiteral("train_images"), trainSplits.constLast().size()},
                                        {QStringLiteral("test_images"), testImages}});
        stageContext(context, kLoadStage).progress(t + 1, manifests.size(), manifest.task);
    }
    log.insert(QStringLiteral("datasets"), datasetsJson);
    seconds.insert(QStringLiteral("loading"), secondsSince(timer));

    // 3. The "pretrained" model.
    timer.restart();
    const PretextResult pretext = pretrainWithPretext(recipe, trainSplits, stageContext(context, kPretextStage));
    QJsonObject pretextJson = reportJson(pretext.report, recipe.pretextBatch);
    pretextJson.insert(QStringLiteral("contrastive_accuracy"), pretext.contrastiveAccuracy);
    pretextJson.insert(QStringLiteral("task_accuracy"), pretext.taskAccuracy);
    pretextJson.insert(QStringLiteral("class_accuracy"), pretext.classAccuracy);
    log.insert(QStringLiteral("pretext"), pretextJson);
    ModelPool pool;
    pool.path = zooPoolFile(root.path());
    pool.name =
        QStringLiteral("demo-zoo-%1%2").arg(recipe.version(), recipe.quick ? QStringLiteral("-quick") : QString());
    pool.normalization = normalization;
    pool.pretrained = root.filePath(QStringLiteral("models/pretrained"));
    exportZooModel(pool.pretrained, recipe, pretext.weights, QStringLiteral("pretrained"), context);
    seconds.insert(QStringLiteral("pretext"), secondsSince(timer));

    // 4. The fixed heads, all from the pretrained model.
    timer.restart();
    const QString headFolder = root.filePath(QStringLiteral("heads"));
    if (!QDir().mkpath(headFolder))
        throw Error(headFolder, QStringLiteral("cannot be created"));
    std::vector<ClassificationHead> heads;
    for (int t = 0; t < trainSplits.size(); ++t) {
        CentroidHeadOptions headOptions;
        headOptions.logitScale = recipe.headLogitScale;
        headOptions.imagesPerClass = recipe.headImagesPerClass;
        headOptions.taskBlock = t;
        headOptions.taskBlocks = recipe.headTaskBlocks ? int(trainSplits.size()) : 0;
        headOptions.centred = recipe.headCentred;
        headOptions.targetEntropy = recipe.headTargetEntropy;
        heads.push_back(centroidHead(recipe.model, pretext.weights, trainSplits[t], headOptions, cancelOnly(context)));
        PoolTask task;
        task.name = trainSplits[t].task;
        task.checkpoint = root.filePath(QStringLiteral("models/") + task.name);
        task.head = QDir(headFolder).filePath(task.name + QStringLiteral(".safetensors"));
        task.testData = DataSource::imageFolder(QDir(manifests[t].folder).filePath(QStringLiteral("test")));
        task.trainData = DataSource::imageFolder(QDir(manifests[t].folder).filePath(QStringLiteral("train")));
        heads.back().save(task.head);
        pool.tasks.append(task);
        stageContext(context, kHeadStage).progress(t + 1, trainSplits.size(), QStringLiteral("head of ") + task.name);
    }
    seconds.insert(QStringLiteral("heads"), secondsSince(timer));

    // 5. One fine-tuned model per task.
    timer.restart();
    QJsonObject finetuneJson;
    const double share = (kFinetuneStage.end - kFinetuneStage.begin) / trainSplits.size();
    for (int t = 0; t < trainSplits.size(); ++t) {
        const Stage stage{kFinetuneStage.begin + share * t, kFinetuneStage.begin + share * (t + 1)};
        const FinetuneResult tuned = fineTuneTask(recipe, pretext.weights, heads[size_t(t)], trainSplits[t], t,
                                                  stageContext(context, stage));
        exportZooModel(pool.tasks[t].checkpoint, recipe, tuned.weights,
                       QStringLiteral("finetuned:") + pool.tasks[t].name, context);
        QJsonObject entry = reportJson(tuned.report, recipe.finetuneBatch);
        entry.insert(QStringLiteral("train_accuracy"), tuned.trainAccuracy);
        finetuneJson.insert(pool.tasks[t].name, entry);
    }
    log.insert(QStringLiteral("finetune"), finetuneJson);
    seconds.insert(QStringLiteral("finetune"), secondsSince(timer));

    // 6. The pool file and the description.
    context.throwIfCancelled();
    pool.save(pool.path);
    seconds.insert(QStringLiteral("total"), secondsSince(total));
    log.insert(QStringLiteral("seconds"), seconds);
    log.insert(QStringLiteral("torch_threads"), at::get_num_threads());
    log.insert(QStringLiteral("built_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    writeFileAtomically(root.filePath(QStringLiteral("zoo.json")), QJsonDocument(log).toJson(QJsonDocument::Indented));
    writeFileAtomically(root.filePath(QStringLiteral("README.md")), zooReadme(recipe, log).toUtf8());
    stageContext(context, kWriteStage).progress(1, 1, QStringLiteral("demo zoo written"));
    return log;
}

ZooBuildResult buildZoo(const ZooBuildOptions &options, const JobContext &context)
{
    const ZooTrainingRecipe recipe = zooRecipe(options);
    ZooBuildResult result;
    result.folder = zooFolder(options);
    result.poolFile = zooPoolFile(result.folder);
    const auto readLog = [&] {
        QFile file(QDir(result.folder).filePath(QStringLiteral("zoo.json")));
        if (file.open(QIODevice::ReadOnly))
            result.log = QJsonDocument::fromJson(file.readAll()).object();
    };
    if (!options.force && isCompleteZoo(result.folder)) {
        result.reused = true;
        readLog();
        return result;
    }

    const QString parent = QFileInfo(result.folder).absolutePath();
    if (!QDir().mkpath(parent))
        throw Error(parent, QStringLiteral("cannot create the zoo cache folder"));
    QLockFile lock(result.folder + QStringLiteral(".lock"));
    lock.setStaleLockTime(0); // a build can take minutes; only a dead owner makes the lock stale
    if (!lock.tryLock(0)) {
        qint64 pid = 0;
        QString host;
        QString app;
        lock.getLockInfo(&pid, &host, &app);
        throw Error(result.folder, QStringLiteral("another process (pid %1) is building this zoo right now").arg(pid));
    }
    // Another process may have finished it while we waited for nothing.
    if (!options.force && isCompleteZoo(result.folder)) {
        result.reused = true;
        readLog();
        return result;
    }

    ZooStaging staging(result.folder);
    result.log = buildZooInto(staging.folder(), recipe, options.systemRoot, context);
    const QJsonObject marker{{QStringLiteral("version"), recipe.version()},
                             {QStringLiteral("built_at"), result.log.value(QStringLiteral("built_at"))}};
    staging.commit(QJsonDocument(marker).toJson(QJsonDocument::Compact));
    return result;
}

} // namespace wemoe
