#include "clip_hub_fixture.h"

#include "common/error.h"
#include "data/image_folder_dataset.h"
#include "demo/synthetic_pool.h"
#include "io/checkpoint.h"
#include "io/json_file.h"
#include "io/model_pool.h"
#include "io/safetensors.h"
#include "model/random_weights.h"
#include "parquet_writer.h"
#include "text/random_text_weights.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <torch/serialize.h>
#include <torch/torch.h>

namespace wemoe::test {

namespace {

const QString kOrg = QStringLiteral("test-org");
const QString kRevision = QStringLiteral("0123456789abcdef0123456789abcdef01234567");

// GPT-2's byte -> symbol table, written out here as the tokenizer's reference does.
QStringList byteSymbols()
{
    QStringList symbols(256);
    int next = 0;
    for (int b = 0; b < 256; ++b) {
        const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        symbols[b] = QString(QChar(printable ? b : 256 + next++));
    }
    return symbols;
}

QList<QPair<QString, QString>> fixtureMerges()
{
    return {{"p", "h"}, {"ph", "o"}, {"t", "o</w>"}, {"pho", "to</w>"}, {"o", "f</w>"}};
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        throw Error(path, QStringLiteral("cannot write the fixture file"));
}

// models--ORG--NAME/refs/main -> snapshots/<revision>/; returns the snapshot folder.
QString hubSnapshot(const QString &cache, const QString &name, const QString &kind = QStringLiteral("models"))
{
    const QString repo = QDir(cache).filePath(QStringLiteral("%1--%2--%3").arg(kind, kOrg, name));
    writeFile(repo + QStringLiteral("/refs/main"), kRevision.toLatin1());
    const QString snapshot = repo + QStringLiteral("/snapshots/") + kRevision;
    QDir().mkpath(snapshot);
    return snapshot;
}

void writeTokenizer(const QString &folder)
{
    const QStringList symbols = byteSymbols();
    QJsonObject vocab;
    int id = 0;
    for (const QString &symbol : symbols)
        vocab.insert(symbol, id++);
    for (const QString &symbol : symbols)
        vocab.insert(symbol + QStringLiteral("</w>"), id++);
    QByteArray merges = "#version: 0.2\n";
    for (const auto &[left, right] : fixtureMerges()) {
        vocab.insert(left + right, id++);
        merges += (left + QLatin1Char(' ') + right + QLatin1Char('\n')).toUtf8();
    }
    vocab.insert(QStringLiteral("<|startoftext|>"), id++);
    vocab.insert(QStringLiteral("<|endoftext|>"), id++);
    writeFile(QDir(folder).filePath(QStringLiteral("vocab.json")), QJsonDocument(vocab).toJson());
    writeFile(QDir(folder).filePath(QStringLiteral("merges.txt")), merges);
}

QJsonObject textConfigJson(const ClipTextConfig &c)
{
    return QJsonObject{
        {"model_type", "clip_text_model"},
        {"vocab_size", c.vocabSize},
        {"hidden_size", c.hiddenSize},
        {"intermediate_size", c.intermediateSize},
        {"num_hidden_layers", c.numHiddenLayers},
        {"num_attention_heads", c.numAttentionHeads},
        {"max_position_embeddings", c.maxPositionEmbeddings},
        {"hidden_act", c.hiddenAct},
        {"layer_norm_eps", c.layerNormEps},
        {"eos_token_id", static_cast<double>(c.eosTokenId)},
        {"projection_dim", c.projectionDim},
    };
}

// A torch.save-style zip of a flat {name: tensor} dictionary.
void writePytorchBin(const QString &path, const TensorMap &tensors)
{
    c10::Dict<std::string, at::Tensor> dict;
    for (const auto &[name, tensor] : tensors)
        dict.insert(name, tensor.contiguous());
    const std::vector<char> bytes = torch::pickle_save(c10::IValue(dict));
    writeFile(path, QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size())));
}

// A task's test images as Hugging Face's `datasets` publishes them: the
// split in two snappy-compressed Parquet shards under data/, rows in the
// image folder's order, class names in the metadata.
void writeParquetDataset(const QString &cache, const QString &name, const QString &imageFolder)
{
    const QStringList classNames = ImageFolderDataset::discoverClasses(imageFolder);
    const ImageFolderDataset folder = ImageFolderDataset::open(imageFolder, classNames);
    std::vector<HfImageRow> rows;
    for (int i = 0; i < folder.size(); ++i) {
        HfImageRow row;
        row.bytes = folder.encodedImage(i);
        row.path = QFileInfo(folder.sampleName(i)).fileName();
        row.label = folder.label(i);
        rows.push_back(row);
    }
    const QString data = QDir(hubSnapshot(cache, name, QStringLiteral("datasets"))).filePath(QStringLiteral("data"));
    ParquetWriteOptions options;
    options.codec = 1; // SNAPPY, what `datasets` writes by default
    options.rowsPerRowGroup = 4;
    const auto half = static_cast<std::ptrdiff_t>(rows.size() / 2);
    const std::vector<HfImageRow> first(rows.begin(), rows.begin() + half);
    const std::vector<HfImageRow> second(rows.begin() + half, rows.end());
    writeFile(data + QStringLiteral("/test-00000-of-00002.parquet"),
              huggingFaceImageParquet(first, classNames, options));
    writeFile(data + QStringLiteral("/test-00001-of-00002.parquet"),
              huggingFaceImageParquet(second, classNames, options));
}

} // namespace

int fixtureVocabularySize()
{
    return 2 * 256 + static_cast<int>(fixtureMerges().size()) + 2;
}

ClipHubFixture writeClipHubFixture(const QString &root, int tasks)
{
    ClipHubFixture fixture;
    fixture.cacheFolder = QDir(root).filePath(QStringLiteral("hub"));
    fixture.clipName = kOrg + QStringLiteral("/clip-tiny");
    fixture.templates = {QStringLiteral("a photo of a {}."), QStringLiteral("a {} of things.")};

    // Images and vision towers from a synthetic pool (its heads are not used).
    SyntheticPoolOptions options;
    options.tasks = tasks;
    options.classes = 3;
    options.imagesPerClass = 4;
    const QString synthetic = writeSyntheticPool(QDir(root).filePath(QStringLiteral("synthetic")), options);
    const ModelPool pool = ModelPool::load(synthetic);

    // The pretrained CLIPModel: the synthetic vision tower and projection, a
    // random text tower, logit_scale = log(50).
    ClipTextConfig text = tinyClipTextConfig();
    text.vocabSize = fixtureVocabularySize();
    text.maxPositionEmbeddings = 24; // room for "a {} of things." with a class name spelled out
    text.projectionDim = options.config.projectionDim;
    fixture.textConfig = text;
    const Checkpoint pretrained = Checkpoint::load(pool.pretrained);
    TensorMap clipTensors = randomClipTextWeights(text, 7);
    for (const auto &[name, tensor] : pretrained.vision)
        clipTensors[pretrained.fileKey(name)] = tensor.clone();
    clipTensors["logit_scale"] = torch::tensor(std::log(50.0), torch::kFloat32);
    fixture.clipFolder = hubSnapshot(fixture.cacheFolder, QStringLiteral("clip-tiny"));
    QJsonObject vision = options.config.toJson();
    vision.remove(QStringLiteral("projection_dim"));
    writeFile(QDir(fixture.clipFolder).filePath(QStringLiteral("config.json")),
              QJsonDocument(QJsonObject{{"model_type", "clip"},
                                        {"projection_dim", options.config.projectionDim},
                                        {"text_config", textConfigJson(text)},
                                        {"vision_config", vision}})
                  .toJson());
    writePytorchBin(QDir(fixture.clipFolder).filePath(QStringLiteral("pytorch_model.bin")), clipTensors);
    writeTokenizer(fixture.clipFolder);

    // Fine-tuned CLIPVisionModels: no projection, as Hugging Face saves them.
    QJsonArray taskArray;
    const QDir poolFolder(root);
    ClipVisionConfig visionOnly = options.config;
    visionOnly.projectionDim = 0;
    for (const PoolTask &task : pool.tasks) {
        const Checkpoint fineTuned = Checkpoint::load(task.checkpoint);
        TensorMap tensors;
        for (const auto &[name, tensor] : fineTuned.vision) {
            if (name != "visual_projection.weight")
                tensors["vision_model." + name] = tensor;
        }
        const QString name = QStringLiteral("clip-tiny_") + task.name;
        const QString snapshot = hubSnapshot(fixture.cacheFolder, name);
        writeFile(QDir(snapshot).filePath(QStringLiteral("config.json")), QJsonDocument(visionOnly.toJson()).toJson());
        writeSafetensors(QDir(snapshot).filePath(QStringLiteral("model.safetensors")), tensors);
        fixture.taskNames << task.name;
        taskArray.append(QJsonObject{
            {"name", task.name},
            {"checkpoint", kOrg + QLatin1Char('/') + name},
            {"head",
             QJsonObject{{"zero_shot", QJsonObject{{"templates", QJsonArray::fromStringList(fixture.templates)}}}}},
            {"test_data", poolFolder.relativeFilePath(task.testData.paths.first())},
        });
    }
    fixture.poolFile = poolFolder.filePath(QStringLiteral("pool.json"));
    writeFile(
        fixture.poolFile,
        QJsonDocument(QJsonObject{{"name", "clip-tiny-hub"}, {"pretrained", fixture.clipName}, {"tasks", taskArray}})
            .toJson());

    // The same pool with each task's test images as a hub dataset's Parquet
    // shards, the zero-shot classes taken from their metadata.
    QJsonArray parquetTasks;
    for (int t = 0; t < pool.tasks.size(); ++t) {
        const PoolTask &task = pool.tasks[t];
        const QString dataset = QStringLiteral("images-") + task.name;
        writeParquetDataset(fixture.cacheFolder, dataset, task.testData.paths.first());
        QJsonObject object = taskArray[t].toObject();
        object.insert("head", QJsonObject{{"zero_shot",
                                           QJsonObject{{"templates", QJsonArray::fromStringList(fixture.templates)}}}});
        object.insert("test_data", kOrg + QLatin1Char('/') + dataset + QStringLiteral(":test"));
        fixture.datasetNames << kOrg + QLatin1Char('/') + dataset;
        parquetTasks.append(object);
    }
    fixture.parquetPoolFile = poolFolder.filePath(QStringLiteral("pool-parquet.json"));
    writeFile(fixture.parquetPoolFile, QJsonDocument(QJsonObject{{"name", "clip-tiny-hub-parquet"},
                                                                 {"pretrained", fixture.clipName},
                                                                 {"tasks", parquetTasks}})
                                           .toJson());
    return fixture;
}

} // namespace wemoe::test
