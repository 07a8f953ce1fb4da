#include "common/error.h"
#include "folder_entries.h"
#include "io/atomic_file.h"
#include "io/checkpoint.h"
#include "io/safetensors.h"
#include "io_test_util.h"
#include "test_support.h"

#include <QtCore/QDir>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <torch/torch.h>

#include <atomic>
#include <cerrno>

using namespace wemoe;
using namespace wemoe::test;

namespace {

// A CLIPConfig as transformers writes it, with only some vision fields given.
QJsonObject clipConfigJson(const ClipVisionConfig &c)
{
    return QJsonObject{
        {"model_type", "clip"},
        {"architectures", QJsonArray{"CLIPModel"}},
        {"projection_dim", c.projectionDim},
        {"text_config", QJsonObject{{"hidden_size", 6}}},
        {"vision_config", QJsonObject{{"hidden_size", c.hiddenSize},
                                      {"intermediate_size", c.intermediateSize},
                                      {"num_hidden_layers", c.numHiddenLayers},
                                      {"num_attention_heads", c.numAttentionHeads},
                                      {"image_size", c.imageSize},
                                      {"patch_size", c.patchSize}}},
    };
}

// Text-tower tensors a CLIPModel file carries besides the vision ones.
TensorMap textTower(quint64 seed)
{
    auto generator = at::detail::createCPUGenerator(seed);
    return TensorMap{
        {"text_model.embeddings.token_embedding.weight", at::normal(0.0, 1.0, {10, 6}, generator).to(torch::kFloat32)},
        {"text_projection.weight", at::normal(0.0, 1.0, {4, 6}, generator).to(torch::kFloat32)},
        {"logit_scale", torch::tensor(4.6052f)},
    };
}

TensorMap merged(TensorMap a, const TensorMap &b)
{
    a.insert(b.begin(), b.end());
    return a;
}

} // namespace

class TestCheckpoint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void expectedShapesByHand()
    {
        const ClipVisionConfig c = tinyConfig();
        const auto shapes = expectedVisionShapes(c);
        // 3 embeddings, 2 + 2 norms, 16 per block, 1 projection.
        QCOMPARE(shapes.size(), size_t(3 + 4 + 16 * 2 + 1));
        using Shape = std::vector<int64_t>;
        QCOMPARE(shapes.at("embeddings.class_embedding"), Shape({8}));
        QCOMPARE(shapes.at("embeddings.patch_embedding.weight"), Shape({8, 3, 4, 4}));
        QCOMPARE(shapes.at("embeddings.position_embedding.weight"), Shape({5, 8})); // (8/4)^2 + 1
        QCOMPARE(shapes.at("pre_layrnorm.weight"), Shape({8}));
        QCOMPARE(shapes.at("post_layernorm.bias"), Shape({8}));
        QCOMPARE(shapes.at("encoder.layers.1.self_attn.out_proj.weight"), Shape({8, 8}));
        QCOMPARE(shapes.at("encoder.layers.1.self_attn.k_proj.bias"), Shape({8}));
        QCOMPARE(shapes.at("encoder.layers.0.layer_norm2.weight"), Shape({8}));
        QCOMPARE(shapes.at("encoder.layers.0.mlp.fc1.weight"), Shape({16, 8}));
        QCOMPARE(shapes.at("encoder.layers.0.mlp.fc1.bias"), Shape({16}));
        QCOMPARE(shapes.at("encoder.layers.1.mlp.fc2.weight"), Shape({8, 16}));
        QCOMPARE(shapes.at("encoder.layers.1.mlp.fc2.bias"), Shape({8}));
        QCOMPARE(shapes.at("visual_projection.weight"), Shape({4, 8}));
        QCOMPARE(shapes.count("embeddings.patch_embedding.bias"), size_t(0));
        QCOMPARE(shapes.count("encoder.layers.2.mlp.fc1.weight"), size_t(0));

        ClipVisionConfig noProjection = c;
        noProjection.projectionDim = 0;
        QCOMPARE(expectedVisionShapes(noProjection).count("visual_projection.weight"), size_t(0));
    }

    void configFromJson()
    {
        const ClipVisionConfig vision = ClipVisionConfig::fromJson(visionConfigJson(tinyConfig()), "config.json");
        QVERIFY(vision.sameArchitecture(tinyConfig()));
        QVERIFY(ClipVisionConfig::fromJson(tinyConfig().toJson(), "c").sameArchitecture(tinyConfig()));

        // CLIPConfig: vision fields that are not given take Hugging Face's defaults.
        const ClipVisionConfig partial = ClipVisionConfig::fromJson(
            QJsonObject{{"projection_dim", 64},
                        {"vision_config", QJsonObject{{"hidden_size", 48}, {"patch_size", 16}}}},
            "c");
        QCOMPARE(partial.hiddenSize, 48);
        QCOMPARE(partial.patchSize, 16);
        QCOMPARE(partial.projectionDim, 64);
        QCOMPARE(partial.intermediateSize, 3072);

        const ClipVisionConfig defaults = ClipVisionConfig::fromJson(
            QJsonObject{{"model_type", "clip"}, {"vision_config", QJsonObject{}}}, "c");
        QCOMPARE(defaults.hiddenSize, 768);
        QCOMPARE(defaults.intermediateSize, 3072);
        QCOMPARE(defaults.numHiddenLayers, 12);
        QCOMPARE(defaults.numAttentionHeads, 12);
        QCOMPARE(defaults.imageSize, 224);
        QCOMPARE(defaults.patchSize, 32);
        QCOMPARE(defaults.numChannels, 3);
        QCOMPARE(defaults.hiddenAct, QStringLiteral("quick_gelu"));
        QCOMPARE(defaults.layerNormEps, 1e-5);
        QCOMPARE(defaults.projectionDim, 512);
        QCOMPARE(defaults.numPositions(), 50);
        QCOMPARE(defaults.describe(),
                 QStringLiteral("ViT width 768, 12 blocks, 12 heads, MLP 3072, 224 px / patch 32, quick_gelu"));
    }

    void configErrors_data()
    {
        QTest::addColumn<QJsonObject>("json");
        QTest::addColumn<QString>("problem");
        QJsonObject missing = visionConfigJson(tinyConfig());
        missing.remove("hidden_size");
        QTest::newRow("missing field") << missing << "missing \"hidden_size\"";
        QJsonObject act = visionConfigJson(tinyConfig());
        act["hidden_act"] = "relu";
        QTest::newRow("activation") << act << "hidden_act 'relu' is not supported";
        QJsonObject heads = visionConfigJson(tinyConfig());
        heads["num_attention_heads"] = 3;
        QTest::newRow("heads") << heads << "not a multiple of num_attention_heads 3";
        QJsonObject negative = visionConfigJson(tinyConfig());
        negative["num_hidden_layers"] = -2;
        QTest::newRow("negative") << negative << "\"num_hidden_layers\" must be a positive integer";
        QJsonObject fraction = visionConfigJson(tinyConfig());
        fraction["image_size"] = 8.5;
        QTest::newRow("fraction") << fraction << "\"image_size\" must be a positive integer";
        // Sizes from a config are bounded before anything is allocated from them.
        QJsonObject layers = visionConfigJson(tinyConfig());
        layers["num_hidden_layers"] = 2147483647;
        QTest::newRow("2^31 - 1 layers") << layers
                                         << "\"num_hidden_layers\" is 2147483647, more than the 256 any CLIP model has";
        QJsonObject width = visionConfigJson(tinyConfig());
        width["hidden_size"] = 1 << 20;
        width["num_attention_heads"] = 1;
        QTest::newRow("width") << width << "\"hidden_size\" is 1048576, more than the 16384";
        QJsonObject image = visionConfigJson(tinyConfig());
        image["image_size"] = 65536;
        image["patch_size"] = 1;
        QTest::newRow("image 65536 px") << image << "\"image_size\" is 65536, more than the 2048";
        // 2048 / 1 = 2048 patches a side: 4 194 304 positions (the int product that overflowed before).
        QJsonObject patches = visionConfigJson(tinyConfig());
        patches["image_size"] = 2048;
        patches["patch_size"] = 1;
        QTest::newRow("patch count")
            << patches << "image_size 2048 at patch_size 1 makes 4194304 patches, more than the 16384 supported";
        QJsonObject eps = visionConfigJson(tinyConfig());
        eps["layer_norm_eps"] = 1e300;
        QTest::newRow("layer norm eps") << eps << "layer_norm_eps 1e+300 must be below 1";
        QJsonObject clipLayers{{"model_type", "clip"}, {"vision_config", QJsonObject{{"num_hidden_layers", 100000}}}};
        QTest::newRow("CLIPConfig layers")
            << clipLayers << "vision_config: \"num_hidden_layers\" is 100000, more than the 256";
        QTest::newRow("vision_config not object")
            << QJsonObject{{"vision_config", 3}} << "\"vision_config\" must be an object";
        QTest::newRow("other model") << QJsonObject{{"model_type", "bert"}, {"hidden_size", 8}}
                                     << "model_type 'bert' is not a CLIP vision model";
    }

    void configErrors()
    {
        QFETCH(QJsonObject, json);
        QFETCH(QString, problem);
        const QString message = errorOf([&] { ClipVisionConfig::fromJson(json, "some/config.json"); });
        QVERIFY2(message.startsWith("some/config.json: ") && message.contains(problem), qPrintable(message));
    }

    void loadsPrefixedVisionModel()
    {
        QTemporaryDir dir;
        ClipVisionConfig c = tinyConfig();
        c.projectionDim = 0; // a CLIPVisionModel
        const TensorMap vision = randomVisionWeights(c, 1);
        TensorMap file = withFileKeys(vision, "vision_model.");
        file["vision_model.embeddings.position_ids"] = torch::arange(5, torch::kInt64).unsqueeze(0);
        writeModelFolder(dir.path(), visionConfigJson(c), file);

        const Checkpoint checkpoint = Checkpoint::load(dir.path());
        QCOMPARE(checkpoint.keyPrefix, QStringLiteral("vision_model."));
        QCOMPARE(checkpoint.path, dir.path());
        QVERIFY(checkpoint.config.sameArchitecture(c));
        QCOMPARE(firstDifference(checkpoint.vision, vision), QString()); // position_ids not among them
        QVERIFY(checkpoint.passthrough.empty());
        QCOMPARE(checkpoint.metadata.at("format"), std::string("pt"));
        QCOMPARE(checkpoint.configJson, visionConfigJson(c));
        QCOMPARE(checkpoint.fileKey("post_layernorm.bias"), std::string("vision_model.post_layernorm.bias"));
        // Width 8, MLP 16, patch 4, 3 channels, 5 positions, 2 blocks; no projection.
        const qint64 perBlock = 4 * (8 * 8 + 8) + 2 * 2 * 8 + (16 * 8 + 16) + (8 * 16 + 8);
        const qint64 expected = 8 + 8 * 3 * 4 * 4 + 5 * 8 + 2 * 8 + 2 * 8 + 2 * perBlock;
        QCOMPARE(checkpoint.parameterCount(), expected);
        QCOMPARE(checkpoint.byteSize(), 4 * expected);
    }

    void loadsUnprefixedModelAndFile()
    {
        QTemporaryDir dir;
        const TensorMap vision = randomVisionWeights(tinyConfig(), 2);
        TensorMap file = vision;
        file["embeddings.position_ids"] = torch::arange(5, torch::kInt64).unsqueeze(0);
        writeModelFolder(dir.path(), visionConfigJson(tinyConfig()), file);
        for (const QString &path : {dir.path(), dir.filePath("model.safetensors")}) {
            const Checkpoint checkpoint = Checkpoint::load(path);
            QCOMPARE(checkpoint.keyPrefix, QString());
            QCOMPARE(checkpoint.config.projectionDim, 4);
            QCOMPARE(firstDifference(checkpoint.vision, vision), QString());
            QCOMPARE(checkpoint.fileKey("pre_layrnorm.weight"), std::string("pre_layrnorm.weight"));
        }
    }

    void loadsClipModelWithTextTower()
    {
        QTemporaryDir dir;
        const TensorMap vision = randomVisionWeights(tinyConfig(), 3);
        const TensorMap text = textTower(4);
        writeModelFolder(dir.path(), clipConfigJson(tinyConfig()), merged(withFileKeys(vision, "vision_model."), text));

        const Checkpoint checkpoint = Checkpoint::load(dir.path());
        QCOMPARE(checkpoint.keyPrefix, QStringLiteral("vision_model."));
        QVERIFY(checkpoint.config.sameArchitecture(tinyConfig()));
        QCOMPARE(firstDifference(checkpoint.vision, vision), QString());
        QCOMPARE(firstDifference(checkpoint.passthrough, text), QString());
        QCOMPARE(checkpoint.fileKey("visual_projection.weight"), std::string("visual_projection.weight"));
    }

    // A CLIPConfig always declares projection_dim; the file decides whether there is one.
    void projectionFollowsTheFile()
    {
        QTemporaryDir dir;
        TensorMap vision = randomVisionWeights(tinyConfig(), 5);
        vision.erase("visual_projection.weight");
        writeModelFolder(dir.path(), clipConfigJson(tinyConfig()), withFileKeys(vision, "vision_model."));
        const Checkpoint checkpoint = Checkpoint::load(dir.path());
        QCOMPARE(checkpoint.config.projectionDim, 0);
        QCOMPARE(checkpoint.vision.count("visual_projection.weight"), size_t(0));
    }

    void loadsShardedModel()
    {
        QTemporaryDir dir;
        const TensorMap vision = randomVisionWeights(tinyConfig(), 6);
        writeJson(dir.filePath("config.json"), visionConfigJson(tinyConfig()));
        QVERIFY(writeSafetensorsCheckpoint(dir.path(), "model", withFileKeys(vision, "vision_model."), {}, 1024).size()
                > 2);
        const Checkpoint checkpoint = Checkpoint::load(dir.path());
        QCOMPARE(firstDifference(checkpoint.vision, vision), QString());
    }

    void loadErrors_data()
    {
        QTest::addColumn<QString>("breakage");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("problem");
        QTest::newRow("no config.json") << "no config"
                                        << "config.json"
                                        << "not found";
        QTest::newRow("no weights") << "no weights"
                                    << ""
                                    << "holds neither model.safetensors";
        QTest::newRow("missing tensor") << "missing"
                                        << "model.safetensors"
                                        << "vision tensor 'vision_model.encoder.layers.1.mlp.fc2.bias' is missing";
        QTest::newRow("wrong shape") << "shape"
                                     << "model.safetensors"
                                     << "tensor 'vision_model.encoder.layers.0.mlp.fc1.weight' has shape [16, 7], "
                                        "but config.json implies [16, 8]";
        QTest::newRow("extra tensor") << "extra"
                                      << "model.safetensors"
                                      << "unexpected vision tensor 'vision_model.encoder.layers.2.mlp.fc1.weight'";
        QTest::newRow("integer weights") << "dtype"
                                         << "model.safetensors"
                                         << "tensor 'vision_model.pre_layrnorm.bias' has dtype Int";
        QTest::newRow("mixed prefixes") << "mixed"
                                        << "model.safetensors"
                                        << "(tensor 'post_layernorm.bias')";
    }

    void loadErrors()
    {
        QFETCH(QString, breakage);
        QFETCH(QString, file);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        TensorMap tensors = withFileKeys(randomVisionWeights(tinyConfig(), 7), "vision_model.");
        if (breakage == "missing")
            tensors.erase("vision_model.encoder.layers.1.mlp.fc2.bias");
        if (breakage == "shape")
            tensors["vision_model.encoder.layers.0.mlp.fc1.weight"] = torch::zeros({16, 7});
        if (breakage == "extra")
            tensors["vision_model.encoder.layers.2.mlp.fc1.weight"] = torch::zeros({16, 8});
        if (breakage == "dtype")
            tensors["vision_model.pre_layrnorm.bias"] = torch::zeros({8}, torch::kInt32);
        if (breakage == "mixed")
            tensors["post_layernorm.bias"] = tensors.at("vision_model.post_layernorm.bias");
        writeModelFolder(dir.path(), visionConfigJson(tinyConfig()), tensors);
        if (breakage == "no config")
            QVERIFY(QFile::remove(dir.filePath("config.json")));
        if (breakage == "no weights")
            QVERIFY(QFile::remove(dir.filePath("model.safetensors")));

        const QString message = errorOf([&] { Checkpoint::load(dir.path()); });
        const QString named = file.isEmpty() ? dir.path() : dir.filePath(file);
        QVERIFY2(message.startsWith(named + ": "), qPrintable(message));
        QVERIFY2(message.contains(problem), qPrintable(message));
    }

    void exportReloadsBitIdentical()
    {
        QTemporaryDir dir;
        const QString likePath = dir.filePath("pretrained");
        const TensorMap text = textTower(8);
        writeModelFolder(likePath, clipConfigJson(tinyConfig()),
                         merged(withFileKeys(randomVisionWeights(tinyConfig(), 9), "vision_model."), text));
        const Checkpoint like = Checkpoint::load(likePath);
        const TensorMap vision = randomVisionWeights(tinyConfig(), 10);

        ExportOptions options;
        options.metadata = {{"merge_method", "task_arithmetic"}, {"format", "not pt"}};
        int progressReports = 0;
        JobContext context;
        context.onProgress = [&](qint64, qint64, const QString &) { ++progressReports; };
        const QString out = dir.filePath("merged");
        exportCheckpoint(out, like, vision, options, context);
        QVERIFY(progressReports > 0);
        QCOMPARE(entriesOf(out), QStringList({"config.json", "model.safetensors"}));
        QCOMPARE(entriesOf(dir.path()), QStringList({"merged", "pretrained"}));

        const Checkpoint back = Checkpoint::load(out);
        QCOMPARE(firstDifference(back.vision, vision), QString());
        QCOMPARE(firstDifference(back.passthrough, text), QString());
        QCOMPARE(back.keyPrefix, like.keyPrefix);
        QCOMPARE(back.configJson, like.configJson);
        QCOMPARE(back.metadata.at("format"), std::string("pt"));
        QCOMPARE(back.metadata.at("merge_method"), std::string("task_arithmetic"));
        // The file keys are like's, checked on the raw file.
        const SafetensorsContents raw = readSafetensors(QDir(out).filePath("model.safetensors"));
        QVERIFY(raw.tensors.count("vision_model.encoder.layers.0.mlp.fc1.weight"));
        QVERIFY(raw.tensors.count("visual_projection.weight"));
        QVERIFY(raw.tensors.count("logit_scale"));
    }

    void exportInFloat16AndLikeDtypes()
    {
        QTemporaryDir dir;
        const QString likePath = dir.filePath("half");
        TensorMap halfWeights;
        for (const auto &[name, tensor] : randomVisionWeights(tinyConfig(), 11))
            halfWeights[name] = tensor.to(torch::kFloat16);
        writeModelFolder(likePath, visionConfigJson(tinyConfig()), halfWeights);
        const Checkpoint like = Checkpoint::load(likePath);
        const TensorMap vision = randomVisionWeights(tinyConfig(), 12); // float32

        // Undefined: each tensor keeps like's dtype.
        exportCheckpoint(dir.filePath("same"), like, vision);
        const Checkpoint same = Checkpoint::load(dir.filePath("same"));
        for (const auto &[name, tensor] : vision)
            QVERIFY2(bitwiseEqual(same.vision.at(name), tensor.to(torch::kFloat16)), name.c_str());

        ExportOptions bf16;
        bf16.dtype = torch::kBFloat16;
        exportCheckpoint(dir.filePath("bf16"), like, vision, bf16);
        const Checkpoint b = Checkpoint::load(dir.filePath("bf16"));
        for (const auto &[name, tensor] : vision)
            QVERIFY2(bitwiseEqual(b.vision.at(name), tensor.to(torch::kBFloat16)), name.c_str());

        // Exported in f16, reloaded, exported again: bit-identical.
        ExportOptions f16;
        f16.dtype = torch::kFloat16;
        exportCheckpoint(dir.filePath("f16"), same, same.vision, f16);
        QCOMPARE(firstDifference(Checkpoint::load(dir.filePath("f16")).vision, same.vision), QString());
    }

    void exportSharded()
    {
        QTemporaryDir dir;
        writeModelFolder(dir.filePath("like"), visionConfigJson(tinyConfig()),
                         withFileKeys(randomVisionWeights(tinyConfig(), 13), "vision_model."));
        const Checkpoint like = Checkpoint::load(dir.filePath("like"));
        const TensorMap vision = randomVisionWeights(tinyConfig(), 14);
        ExportOptions options;
        options.maxShardBytes = 2048;
        exportCheckpoint(dir.filePath("out"), like, vision, options);
        QVERIFY(QFileInfo::exists(dir.filePath("out/model.safetensors.index.json")));
        QVERIFY(!QFileInfo::exists(dir.filePath("out/model.safetensors")));
        QCOMPARE(firstDifference(Checkpoint::load(dir.filePath("out")).vision, vision), QString());
    }

    void exportRefusesExistingFolder()
    {
        QTemporaryDir dir;
        writeModelFolder(dir.filePath("like"), visionConfigJson(tinyConfig()), randomVisionWeights(tinyConfig(), 15));
        const Checkpoint like = Checkpoint::load(dir.filePath("like"));
        const QString out = dir.filePath("out");
        QDir().mkpath(out);
        writeBytes(QDir(out).filePath("keep.txt"), "precious");

        const QString message = errorOf([&] { exportCheckpoint(out, like, like.vision); });
        QVERIFY2(message.startsWith(out + ": ") && message.contains("already exists"), qPrintable(message));
        QCOMPARE(entriesOf(out), QStringList({"keep.txt"}));
        QCOMPARE(readBytes(QDir(out).filePath("keep.txt")), QByteArray("precious"));
        QCOMPARE(entriesOf(dir.path()), QStringList({"like", "out"}));

        // With overwrite the folder is replaced, and nothing is left beside it.
        ExportOptions options;
        options.overwrite = true;
        exportCheckpoint(out, like, like.vision, options);
        QCOMPARE(entriesOf(out), QStringList({"config.json", "model.safetensors"}));
        QCOMPARE(entriesOf(dir.path()), QStringList({"like", "out"}));
        QCOMPARE(firstDifference(Checkpoint::load(out).vision, like.vision), QString());
    }

    // Extra files (AdaMerging's coefficients) go through the model's staging:
    // written beside config.json, and a failure writing them leaves no folder.
    void exportWritesExtraFilesInTheSameStaging()
    {
        QTemporaryDir dir;
        writeModelFolder(dir.filePath("like"), visionConfigJson(tinyConfig()), randomVisionWeights(tinyConfig(), 18));
        const Checkpoint like = Checkpoint::load(dir.filePath("like"));
        ExportOptions options;
        options.extraFiles = {{QStringLiteral("extra.csv"), QByteArray("group,a\nall,1\n")}};
        exportCheckpoint(dir.filePath("a"), like, like.vision, options);
        QCOMPARE(entriesOf(dir.filePath("a")), QStringList({"config.json", "extra.csv", "model.safetensors"}));
        QCOMPARE(readBytes(dir.filePath("a/extra.csv")), QByteArray("group,a\nall,1\n"));

        const qint64 modelBytes = QFileInfo(dir.filePath("a/config.json")).size()
                                  + QFileInfo(dir.filePath("a/model.safetensors")).size();
        injectWriteFailureAfter(modelBytes + 3, ENOSPC); // inside extra.csv
        const QString message = errorOf([&] { exportCheckpoint(dir.filePath("b"), like, like.vision, options); });
        injectWriteFailureAfter(-1, 0);
        QVERIFY2(message.startsWith(dir.filePath("b/extra.csv") + ": "), qPrintable(message));
        QCOMPARE(entriesOf(dir.path()), QStringList({"a", "like"}));

        options.extraFiles = {{QStringLiteral("../escape.csv"), QByteArray("x")}};
        const QString refused = errorOf([&] { exportCheckpoint(dir.filePath("c"), like, like.vision, options); });
        QVERIFY2(refused.contains(QLatin1String("cannot be a file or folder name")), qPrintable(refused));
        QCOMPARE(entriesOf(dir.path()), QStringList({"a", "like"}));
    }

    void cancelledExportLeavesNothing()
    {
        QTemporaryDir dir;
        writeModelFolder(dir.filePath("like"), visionConfigJson(tinyConfig()), randomVisionWeights(tinyConfig(), 16));
        const Checkpoint like = Checkpoint::load(dir.filePath("like"));
        std::atomic<bool> cancel{false};
        JobContext context;
        context.cancelFlag = &cancel;
        int reports = 0;
        context.onProgress = [&](qint64, qint64, const QString &) {
            if (++reports == 3)
                cancel = true; // part-way through the tensors
        };
        QVERIFY_THROWS_EXCEPTION(Cancelled, exportCheckpoint(dir.filePath("out"), like, like.vision, {}, context));
        QCOMPARE(reports, 3);
        QCOMPARE(entriesOf(dir.path()), QStringList({"like"}));

        // Cancelling an overwrite leaves the old folder as it was.
        QDir().mkpath(dir.filePath("out"));
        writeBytes(dir.filePath("out/keep.txt"), "old");
        cancel = false;
        reports = 0;
        ExportOptions options;
        options.overwrite = true;
        options.maxShardBytes = 1024;
        QVERIFY_THROWS_EXCEPTION(Cancelled, exportCheckpoint(dir.filePath("out"), like, like.vision, options, context));
        QCOMPARE(entriesOf(dir.path()), QStringList({"like", "out"}));
        QCOMPARE(entriesOf(dir.filePath("out")), QStringList({"keep.txt"}));
    }

    void exportErrors()
    {
        QTemporaryDir dir;
        writeModelFolder(dir.filePath("like"), visionConfigJson(tinyConfig()), randomVisionWeights(tinyConfig(), 17));
        const Checkpoint like = Checkpoint::load(dir.filePath("like"));

        // We run as root, where permissions stop nothing: a parent that is a file does.
        const QString file = dir.filePath("plain-file");
        writeBytes(file, "x");
        QString message = errorOf([&] { exportCheckpoint(file + "/out", like, like.vision); });
        QVERIFY2(message.startsWith(file + ": ") && message.contains("is not a folder"), qPrintable(message));

        const QString absent = dir.filePath("absent");
        message = errorOf([&] { exportCheckpoint(absent + "/out", like, like.vision); });
        QVERIFY2(message.startsWith(absent + ": ") && message.contains("does not exist"), qPrintable(message));

        TensorMap incomplete = like.vision;
        incomplete.erase("encoder.layers.0.mlp.fc2.weight");
        message = errorOf([&] { exportCheckpoint(dir.filePath("out"), like, incomplete); });
        QVERIFY2(message.contains("'encoder.layers.0.mlp.fc2.weight' is missing"), qPrintable(message));

        TensorMap reshaped = like.vision;
        reshaped["encoder.layers.0.mlp.fc2.weight"] = torch::zeros({16, 8});
        message = errorOf([&] { exportCheckpoint(dir.filePath("out"), like, reshaped); });
        QVERIFY2(message.contains("'encoder.layers.0.mlp.fc2.weight'") && message.contains("[16, 8]"),
                 qPrintable(message));
        QCOMPARE(entriesOf(dir.path()), QStringList({"like", "plain-file"}));
    }

    void sameArchitecture()
    {
        QTemporaryDir dir;
        writeModelFolder(dir.filePath("a"), visionConfigJson(tinyConfig()), randomVisionWeights(tinyConfig(), 18));
        writeModelFolder(dir.filePath("b"), visionConfigJson(tinyConfig()), randomVisionWeights(tinyConfig(), 19));
        ClipVisionConfig wider = tinyConfig();
        wider.intermediateSize = 12;
        writeModelFolder(dir.filePath("c"), visionConfigJson(wider), randomVisionWeights(wider, 20));
        ClipVisionConfig gelu = tinyConfig();
        gelu.hiddenAct = "gelu";
        writeModelFolder(dir.filePath("d"), visionConfigJson(gelu), randomVisionWeights(gelu, 21));
        const Checkpoint a = Checkpoint::load(dir.filePath("a"));

        requireSameArchitecture(a, Checkpoint::load(dir.filePath("b")));
        QString message = errorOf([&] { requireSameArchitecture(a, Checkpoint::load(dir.filePath("c"))); });
        // In name order the first tensor of another shape is block 0's fc1 bias.
        QVERIFY2(message.startsWith(dir.filePath("c") + ": ")
                     && message.contains("tensor 'encoder.layers.0.mlp.fc1.bias' has shape [12], but [16]"),
                 qPrintable(message));
        message = errorOf([&] { requireSameArchitecture(a, Checkpoint::load(dir.filePath("d"))); });
        QVERIFY2(message.startsWith(dir.filePath("d") + ": ") && message.contains("hidden_act is gelu, but quick_gelu"),
                 qPrintable(message));
    }

    void nonFiniteWarnings()
    {
        TensorMap tensors = randomVisionWeights(tinyConfig(), 22);
        tensors["encoder.layers.1.mlp.fc1.bias"][3] = std::numeric_limits<float>::quiet_NaN();
        tensors["pre_layrnorm.weight"][0] = std::numeric_limits<float>::infinity();
        tensors["pre_layrnorm.weight"][1] = -std::numeric_limits<float>::infinity();
        QStringList warnings;
        JobContext context;
        context.onWarning = [&](const QString &warning) { warnings << warning; };
        QCOMPARE(warnNonFinite(tensors, "models/task", context), 2);
        QCOMPARE(warnings.size(), 2);
        QVERIFY2(warnings[0].startsWith("models/task: tensor 'encoder.layers.1.mlp.fc1.bias' holds 1 NaN and 0 Inf"),
                 qPrintable(warnings[0]));
        QVERIFY2(warnings[1].startsWith("models/task: tensor 'pre_layrnorm.weight' holds 0 NaN and 2 Inf"),
                 qPrintable(warnings[1]));
        QCOMPARE(warnNonFinite(randomVisionWeights(tinyConfig(), 23), "x", context), 0);

        // Half-precision checkpoints are checked as well.
        warnings.clear();
        TensorMap half{{"h", torch::tensor({1.0f, NAN, 2.0f}).to(torch::kFloat16)},
                       {"b", torch::tensor({INFINITY, NAN}).to(torch::kBFloat16)},
                       {"ok", torch::ones({2}, torch::kFloat16)},
                       {"ids", torch::arange(3)}};
        QCOMPARE(warnNonFinite(half, "half", context), 2);
        QCOMPARE(warnings, QStringList({"half: tensor 'b' holds 1 NaN and 1 Inf value(s) of 2",
                                        "half: tensor 'h' holds 1 NaN and 0 Inf value(s) of 3"}));
    }
};

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "test_checkpoint.moc"
