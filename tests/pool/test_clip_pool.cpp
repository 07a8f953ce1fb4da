// A pool as researchers have it: a CLIPModel's pytorch_model.bin and
// CLIPVisionModels in a Hugging Face cache, named by hub name, classified by
// zero-shot heads built from CLIP's text tower — loaded, cached, evaluated,
// merged and exported, through the engine and the `wemoe` command line.

#include "../app/cli_process.h"
#include "clip_hub_fixture.h"
#include "test_support.h"

#include "common/error.h"
#include "data/batch_loader.h"
#include "data/image_folder_dataset.h"
#include "data/image_preprocessor.h"
#include "eval/accuracy_table.h"
#include "eval/evaluator.h"
#include "io/checkpoint.h"
#include "model/clip_vision_model.h"
#include "pool/loaded_pool.h"
#include "pool/pool_heads.h"
#include "text/clip_text_model.h"
#include "text/clip_tokenizer.h"
#include "text/zero_shot_head.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace wemoe;
using namespace wemoe::test;

namespace {

const QString kCli = QStringLiteral(WEMOE_CLI);

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    return QJsonDocument::fromJson(file.readAll()).object();
}

void writeJson(const QString &path, const QJsonObject &json)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QJsonDocument(json).toJson());
}

// The head written out by hand: each prompt encoded, normalised, averaged
// over the templates, normalised again.
torch::Tensor naiveTextVectors(const ClipHubFixture &fixture, const QStringList &classes)
{
    const Checkpoint clip = Checkpoint::load(fixture.clipFolder);
    const ClipTokenizer tokenizer = ClipTokenizer::load(fixture.clipFolder);
    const ClipTextModel text(fixture.textConfig, clip.passthrough, c10::Device(c10::kCPU), fixture.clipFolder);
    std::vector<torch::Tensor> rows;
    for (const QString &name : classes) {
        torch::Tensor sum = torch::zeros({fixture.textConfig.projectionDim});
        for (const QString &templateText : fixture.templates) {
            QString prompt = templateText;
            prompt.replace(QStringLiteral("{}"), name);
            const torch::Tensor v = text.encode(
                {tokenizer.encodePrompt(prompt, fixture.textConfig.maxPositionEmbeddings).ids})[0];
            sum += v / v.norm();
        }
        const torch::Tensor mean = sum / static_cast<double>(fixture.templates.size());
        rows.push_back(mean / mean.norm());
    }
    return torch::stack(rows);
}

// Top-1 accuracy of a vision tower on a task, by hand: pooled image features
// from the model, CLIP's projection, cosine with the text vectors.
double naiveAccuracy(const LoadedPool &pool, const ImageDataset &data, const TensorMap &vision, int task)
{
    torch::NoGradGuard noGrad;
    const ClipVisionModel model(pool.pretrained.config, vision, c10::Device(c10::kCPU));
    const ClassificationHead &head = pool.heads.at(static_cast<size_t>(task));
    const ImagePreprocessor preprocess(pool.pretrained.config.imageSize, pool.pool.normalization);
    const torch::Tensor projection = pool.pretrained.passthrough.at("visual_projection.weight").to(torch::kFloat32);
    int correct = 0;
    for (int i = 0; i < data.size(); ++i) {
        const torch::Tensor image = preprocess.fromEncoded(data.encodedImage(i), data.sampleName(i));
        const torch::Tensor pooled = model.encode(image.unsqueeze(0))[0];
        const torch::Tensor projected = torch::mv(projection, pooled);
        const torch::Tensor cosine = torch::mv(head.weight, projected / projected.norm());
        correct += cosine.argmax().item<int64_t>() == data.label(i) ? 1 : 0;
    }
    return double(correct) / double(data.size());
}

double naiveAccuracy(const LoadedPool &pool, const TensorMap &vision, int task)
{
    const ClassificationHead &head = pool.heads.at(static_cast<size_t>(task));
    const ImageFolderDataset data = ImageFolderDataset::open(pool.pool.tasks[task].testData.paths.first(),
                                                             head.classNames);
    return naiveAccuracy(pool, data, vision, task);
}

} // namespace

class TestClipPool : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    ClipHubFixture m_fixture;

    CliResult cli(const QStringList &arguments) { return runCli(kCli, arguments, 300000, m_dir.path()); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // WEMOE_CLIP_FIXTURE=DIR keeps the generated setting in DIR (to open it in the studio by hand).
        const QString kept = qEnvironmentVariable("WEMOE_CLIP_FIXTURE");
        m_fixture = writeClipHubFixture(kept.isEmpty() ? m_dir.filePath(QStringLiteral("fixture")) : kept);
        qputenv("HF_HUB_CACHE", m_fixture.cacheFolder.toUtf8());
    }

    void loadsHubNamesAndBuildsZeroShotHeads()
    {
        const LoadedPool pool = LoadedPool::load(m_fixture.poolFile);
        // The pretrained CLIPModel came from pytorch_model.bin through the cache.
        QVERIFY(pool.pretrained.path.startsWith(m_fixture.cacheFolder));
        QVERIFY(pool.projectionSetAside);
        QCOMPARE(pool.pretrained.config.projectionDim, 0);
        QVERIFY(pool.pretrained.passthrough.count("visual_projection.weight") == 1);
        QVERIFY(pool.pretrained.passthrough.count("text_projection.weight") == 1);
        QCOMPARE(pool.taskNames(), m_fixture.taskNames);

        for (int t = 0; t < pool.taskCount(); ++t) {
            const ClassificationHead &head = pool.heads[static_cast<size_t>(t)];
            QVERIFY(head.projection.defined());
            QCOMPARE(head.classNames, (QStringList{"class0", "class1", "class2"}));
            QCOMPARE(head.logitScale, std::exp(double(float(std::log(50.0))))); // stored as a float32 log
            const torch::Tensor expected = naiveTextVectors(m_fixture, head.classNames);
            QVERIFY2(torch::allclose(head.weight, expected, 1e-5, 1e-6),
                     qPrintable(describeMismatch(head.weight, expected, 1e-5, 1e-6)));

            // logits = exp(logit_scale) x cosine(text, projection(pooled)).
            const torch::Tensor pooled = torch::randn({5, pool.pretrained.config.hiddenSize});
            const torch::Tensor image = torch::mm(pooled, head.projection.t());
            const torch::Tensor byHand = 50.0 * torch::mm(image / image.norm(2, {1}, true), expected.t());
            QVERIFY(torch::allclose(head.logits(pooled), byHand, 1e-4, 1e-5));
        }
    }

    void cachedHeadsAreReusedUntilTheirInputsChange()
    {
        const LoadedPool first = LoadedPool::load(m_fixture.poolFile);
        const QString cached = QDir(zeroShotHeadCacheFolder(first.pool))
                                   .filePath(m_fixture.taskNames.first() + QStringLiteral(".safetensors"));
        QVERIFY(QFileInfo(cached).isFile());
        const QDateTime written = QFileInfo(cached).lastModified();
        QFile::setPermissions(cached, QFile::ReadOwner); // a rewrite would fail
        const LoadedPool second = LoadedPool::load(m_fixture.poolFile);
        QCOMPARE(QFileInfo(cached).lastModified(), written);
        QVERIFY(torch::equal(first.heads[0].weight, second.heads[0].weight));
        QFile::setPermissions(cached, QFile::ReadOwner | QFile::WriteOwner);

        // Other templates: another key, so the head is built again.
        const QString otherPool = QFileInfo(m_fixture.poolFile).dir().filePath(QStringLiteral("other-templates.json"));
        QJsonObject json = readJson(m_fixture.poolFile);
        QJsonArray tasks = json.value(QStringLiteral("tasks")).toArray();
        QJsonObject task = tasks[0].toObject();
        task.insert(QStringLiteral("head"),
                    QJsonObject{{"zero_shot", QJsonObject{{"templates", QJsonArray{"a photo of a {}."}}}}});
        tasks[0] = task;
        json.insert(QStringLiteral("tasks"), tasks);
        writeJson(otherPool, json);
        const LoadedPool other = LoadedPool::load(otherPool);
        QVERIFY(!torch::allclose(other.heads[0].weight, first.heads[0].weight));
        QVERIFY(torch::equal(other.heads[1].weight, first.heads[1].weight));
    }

    void commandLineEvaluatesMergesAndExports()
    {
        const QString table = m_dir.filePath(QStringLiteral("table.json"));
        const CliResult eval = cli({QStringLiteral("eval"), m_fixture.poolFile, QStringLiteral("--method"),
                                    QStringLiteral("individual"), QStringLiteral("--method"),
                                    QStringLiteral("task_arithmetic:lambda=0.3"), QStringLiteral("--table"), table});
        QVERIFY2(eval.exitCode == 0, qPrintable(eval.err));
        const AccuracyTable accuracy = AccuracyTable::fromJson(readJson(table));
        const LoadedPool pool = LoadedPool::load(m_fixture.poolFile);
        const AccuracyTable::Row *individual = accuracy.row(AccuracyTable::kIndividualRow);
        QVERIFY(individual);
        for (int t = 0; t < pool.taskCount(); ++t)
            QCOMPARE(individual->accuracy.at(t), naiveAccuracy(pool, pool.tasks[t].vision, t));
        QCOMPARE(accuracy.rows().size(), 2);

        // The merge exports a CLIPModel shaped like the pretrained one (text
        // tower and projection kept), which evaluates as the method did.
        const QString merged = m_dir.filePath(QStringLiteral("merged"));
        const CliResult merge = cli({QStringLiteral("merge"), m_fixture.poolFile, QStringLiteral("--method"),
                                     QStringLiteral("task_arithmetic:lambda=0.3"), QStringLiteral("-o"), merged});
        QVERIFY2(merge.exitCode == 0, qPrintable(merge.err));
        const Checkpoint exported = Checkpoint::load(merged);
        QVERIFY(exported.vision.count("visual_projection.weight") == 1);
        QVERIFY(exported.passthrough.count("text_projection.weight") == 1);
        const QString table2 = m_dir.filePath(QStringLiteral("table-model.json"));
        const CliResult reeval = cli({QStringLiteral("eval"), m_fixture.poolFile, QStringLiteral("--model"), merged,
                                      QStringLiteral("--table"), table2});
        QVERIFY2(reeval.exitCode == 0, qPrintable(reeval.err));
        const AccuracyTable reloaded = AccuracyTable::fromJson(readJson(table2));
        const AccuracyTable::Row *method = accuracy.rows().size() > 1 ? &accuracy.rows().last() : nullptr;
        QVERIFY(method);
        QCOMPARE(reloaded.rows().last().accuracy, method->accuracy);
    }

    // The same tasks with their test images in hub datasets' Parquet shards:
    // classes from the files' metadata, the same tensors batch by batch, the
    // same accuracy from the command line; quick runs on a seeded subset.
    void parquetTestDataMatchImageFolders()
    {
        const LoadedPool folders = LoadedPool::load(m_fixture.poolFile);
        const LoadedPool parquet = LoadedPool::load(m_fixture.parquetPoolFile);
        const TaskDatasets folderImages = openTaskDatasets(folders);
        const TaskDatasets parquetImages = openTaskDatasets(parquet);
        const ImagePreprocessor preprocess(folders.pretrained.config.imageSize, folders.pool.normalization);
        for (int t = 0; t < folders.taskCount(); ++t) {
            QVERIFY(parquet.pool.tasks[t].testData.isParquet());
            QCOMPARE(parquet.pool.tasks[t].testData.paths.size(), 2);
            QCOMPARE(parquet.heads[t].classNames, folders.heads[t].classNames);
            QVERIFY(torch::equal(parquet.heads[t].weight, folders.heads[t].weight));
            QCOMPARE(parquetImages[t]->size(), folderImages[t]->size());
            const BatchLoader a(*folderImages[t], preprocess, 5);
            const BatchLoader b(*parquetImages[t], preprocess, 5);
            for (int i = 0; i < a.batchCount(); ++i) {
                const auto fromFolder = a.batch(i);
                const auto fromParquet = b.batch(i);
                QVERIFY(torch::equal(fromFolder.images, fromParquet.images));
                QVERIFY(torch::equal(fromFolder.labels, fromParquet.labels));
            }
        }

        const QStringList methods{QStringLiteral("--method"), QStringLiteral("individual"), QStringLiteral("--method"),
                                  QStringLiteral("task_arithmetic:lambda=0.3")};
        const QString folderTable = m_dir.filePath(QStringLiteral("folders.json"));
        const QString parquetTable = m_dir.filePath(QStringLiteral("parquet.json"));
        CliResult r = cli(
            QStringList{QStringLiteral("eval"), m_fixture.poolFile, QStringLiteral("--table"), folderTable} + methods);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = cli(QStringList{QStringLiteral("eval"), m_fixture.parquetPoolFile, QStringLiteral("--table"), parquetTable}
                + methods);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const AccuracyTable fromFolders = AccuracyTable::fromJson(readJson(folderTable));
        const AccuracyTable fromParquet = AccuracyTable::fromJson(readJson(parquetTable));
        QCOMPARE(fromParquet.rows().size(), fromFolders.rows().size());
        for (int i = 0; i < int(fromFolders.rows().size()); ++i)
            QCOMPARE(fromParquet.rows()[i].accuracy, fromFolders.rows()[i].accuracy);

        // --max-per-task: 5 of each task's 12 images, the same 5 every run.
        const QString subsetTable = m_dir.filePath(QStringLiteral("subset.json"));
        r = cli({QStringLiteral("eval"), m_fixture.parquetPoolFile, QStringLiteral("--method"),
                 QStringLiteral("individual"), QStringLiteral("--max-per-task"), QStringLiteral("5"),
                 QStringLiteral("--table"), subsetTable});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("at most 5 per task")), qPrintable(r.err));
        const AccuracyTable subset = AccuracyTable::fromJson(readJson(subsetTable));
        LoadedPool cut = LoadedPool::load(m_fixture.parquetPoolFile);
        cut.maxTestImagesPerTask = 5;
        const TaskDatasets cutImages = openTaskDatasets(cut);
        for (int t = 0; t < cut.taskCount(); ++t) {
            QCOMPARE(cutImages[t]->size(), 5);
            QCOMPARE(subset.rows().front().accuracy.at(t), naiveAccuracy(cut, *cutImages[t], cut.tasks[t].vision, t));
        }

        // `wemoe info` on a hub split: shards, rows, codec, classes.
        r = cli({QStringLiteral("info"), m_fixture.datasetNames.first() + QStringLiteral(":test")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("classes: 3 (class0, class1, class2)")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("total: 12 rows in 2 files")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("image.bytes: BYTE_ARRAY")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("SNAPPY")), qPrintable(r.out));
        // A split the dataset does not have names the ones it has.
        r = cli({QStringLiteral("info"), m_fixture.datasetNames.first() + QStringLiteral(":validation")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(QStringLiteral("splits there: test")), qPrintable(r.err));
    }

    // WEMoE on the hub pool: adapt (routers trained through the zero-shot
    // heads, CLIP's projection included), evaluate, collapse into a CLIPModel.
    void commandLineAdaptsAndCollapses()
    {
        const QString adapted = m_dir.filePath(QStringLiteral("adapted.safetensors"));
        CliResult r = cli({QStringLiteral("adapt"), m_fixture.poolFile, QStringLiteral("-o"), adapted,
                           QStringLiteral("--steps"), QStringLiteral("2"), QStringLiteral("--batch-size"),
                           QStringLiteral("4")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString table = m_dir.filePath(QStringLiteral("wemoe.json"));
        r = cli({QStringLiteral("eval"), m_fixture.poolFile, QStringLiteral("--wemoe"), adapted,
                 QStringLiteral("--table"), table});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const AccuracyTable rows = AccuracyTable::fromJson(readJson(table));
        QVERIFY2(std::any_of(rows.rows().begin(), rows.rows().end(),
                             [](const AccuracyTable::Row &row) {
                                 return row.method.startsWith(QStringLiteral("wemoe (depth 2, 2 steps"));
                             }),
                 qPrintable(r.out));
        const QString collapsed = m_dir.filePath(QStringLiteral("collapsed"));
        r = cli({QStringLiteral("collapse"), m_fixture.poolFile, QStringLiteral("--wemoe"), adapted,
                 QStringLiteral("--task"), m_fixture.taskNames.first(), QStringLiteral("-o"), collapsed});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Checkpoint model = Checkpoint::load(QDir(collapsed).filePath(m_fixture.taskNames.first()));
        QVERIFY(model.passthrough.count("text_projection.weight") == 1);
        QVERIFY(model.vision.count("visual_projection.weight") == 1);
    }

    // A class name longer than the text tower's context: the prompt is cut
    // (keeping the end token) and the warning names the class.
    void longClassNamesAreTruncatedWithAWarning()
    {
        const LoadedPool pool = LoadedPool::load(m_fixture.poolFile);
        ZeroShotHeadSpec spec;
        spec.classNames = {QStringLiteral("cat"), QStringLiteral("a very very long name of a rather wordy class")};
        spec.promptNames = spec.classNames;
        spec.templates = {QStringLiteral("a photo of a {}.")};
        const ZeroShotHeadBuilder builder(pool.pretrained, c10::Device(c10::kCPU));
        QStringList warnings;
        JobContext context;
        context.onWarning = [&](const QString &warning) { warnings << warning; };
        const ClassificationHead head = builder.build(spec, true, QStringLiteral("wordy"), context);
        QCOMPARE(head.numClasses(), 2);
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings[0].contains(QStringLiteral("'wordy'")) && warnings[0].contains(spec.classNames[1]),
                 qPrintable(warnings[0]));
    }

    void headsCommandWritesAZeroShotHead()
    {
        const QString head = m_dir.filePath(QStringLiteral("cli-head.safetensors"));
        const CliResult r = cli({QStringLiteral("heads"), m_fixture.clipName, QStringLiteral("--classes"),
                                 QStringLiteral("class0,class1,class2"), QStringLiteral("--template"),
                                 m_fixture.templates[0], QStringLiteral("--template"), m_fixture.templates[1],
                                 QStringLiteral("-o"), head});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const ClassificationHead written = ClassificationHead::load(head);
        QCOMPARE(written.classNames, (QStringList{"class0", "class1", "class2"}));
        QVERIFY(written.projection.defined());
        const torch::Tensor expected = naiveTextVectors(m_fixture, written.classNames);
        QVERIFY(torch::allclose(written.weight, expected, 1e-5, 1e-6));

        // The classes of a hub dataset's split, from its Parquet metadata: the same head.
        const QString fromData = m_dir.filePath(QStringLiteral("cli-head-parquet.safetensors"));
        const CliResult p = cli({QStringLiteral("heads"), m_fixture.clipName, QStringLiteral("--classes"),
                                 m_fixture.datasetNames.first() + QStringLiteral(":test"), QStringLiteral("--template"),
                                 m_fixture.templates[0], QStringLiteral("--template"), m_fixture.templates[1],
                                 QStringLiteral("-o"), fromData});
        QVERIFY2(p.exitCode == 0, qPrintable(p.err));
        const ClassificationHead parquetHead = ClassificationHead::load(fromData);
        QCOMPARE(parquetHead.classNames, written.classNames);
        QVERIFY(torch::equal(parquetHead.weight, written.weight));
    }

    void badInputNamesTheProblem()
    {
        // A hub name that is not in the cache says where it looked.
        QJsonObject json = readJson(m_fixture.poolFile);
        json.insert(QStringLiteral("pretrained"), QStringLiteral("test-org/not-there"));
        const QString missing = QFileInfo(m_fixture.poolFile).dir().filePath(QStringLiteral("missing.json"));
        writeJson(missing, json);
        QString message = errorOf([&] { LoadedPool::load(missing); });
        QVERIFY2(message.contains(QStringLiteral("test-org/not-there"))
                     && message.contains(QStringLiteral("models--test-org--not-there")),
                 qPrintable(message));

        // A CLIP model without its tokenizer files.
        const QString vocab = QDir(m_fixture.clipFolder).filePath(QStringLiteral("vocab.json"));
        QVERIFY(QFile::rename(vocab, vocab + QStringLiteral(".away")));
        const QString fresh = QFileInfo(m_fixture.poolFile).dir().filePath(QStringLiteral("fresh.json"));
        json = readJson(m_fixture.poolFile);
        json.insert(QStringLiteral("name"), QStringLiteral("fresh")); // no cache yet
        writeJson(fresh, json);
        message = errorOf([&] { LoadedPool::load(fresh); });
        QVERIFY(QFile::rename(vocab + QStringLiteral(".away"), vocab));
        QVERIFY2(message.contains(QStringLiteral("vocab.json")), qPrintable(message));

        // A template without a place for the class name.
        json = readJson(m_fixture.poolFile);
        QJsonArray tasks = json.value(QStringLiteral("tasks")).toArray();
        QJsonObject task = tasks[0].toObject();
        task.insert(QStringLiteral("head"),
                    QJsonObject{{"zero_shot", QJsonObject{{"templates", QJsonArray{"a photo"}}}}});
        tasks[0] = task;
        json.insert(QStringLiteral("tasks"), tasks);
        writeJson(fresh, json);
        message = errorOf([&] { LoadedPool::load(fresh); });
        QVERIFY2(message.contains(QStringLiteral("fresh.json")) && message.contains(QStringLiteral("{}")),
                 qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestClipPool)
#include "test_clip_pool.moc"
