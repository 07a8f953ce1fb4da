// FusionBench's CLIP model-pool YAML files imported as this project's pools:
// both shapes FusionBench has used, per-model settings, hydra includes,
// test data, prompt templates, and every way a file can be wrong.

#include "common/error.h"
#include "pool/fusionbench_pool.h"
#include "test_support.h"
#include "text/task_templates.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace wemoe;
using namespace wemoe::test;

namespace {

// The eight tasks of the task arithmetic paper, the way FusionBench 0.2 writes a pool of them.
const QByteArray kEightTasks = R"(# eight tasks
defaults:
  - /dataset/image_classification/test@test_datasets:
      - sun397
      - stanford-cars
  - _self_
_target_: fusion_bench.modelpool.CLIPVisionModelPool
_recursive_: False
processor: openai/clip-vit-base-patch32
models:
  _pretrained_: openai/clip-vit-base-patch32
  sun397: tanganke/clip-vit-base-patch32_sun397
  stanford-cars: tanganke/clip-vit-base-patch32_stanford-cars
  resisc45: tanganke/clip-vit-base-patch32_resisc45
  eurosat: tanganke/clip-vit-base-patch32_eurosat
  svhn: tanganke/clip-vit-base-patch32_svhn
  gtsrb: tanganke/clip-vit-base-patch32_gtsrb
  mnist: tanganke/clip-vit-base-patch32_mnist
  dtd: tanganke/clip-vit-base-patch32_dtd
platform: hf
)";

// FusionBench 0.1: a list of {name, path}, with its own spelling of the cars task.
const QByteArray kListShape = R"(type: huggingface_clip_vision
models:
  - name: _pretrained_
    path: openai/clip-vit-base-patch16
  - name: stanford_cars
    path: tanganke/clip-vit-base-patch16_stanford-cars
  - name: mnist
    path: models/mnist
tta_datasets:
  - name: mnist
    dataset: {name: mnist, split: test}
)";

QStringList stringList(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &item : value.toArray())
        list << item.toString();
    return list;
}

QJsonObject task(const QJsonObject &pool, int index)
{
    return pool.value(QStringLiteral("tasks")).toArray().at(index).toObject();
}

QJsonObject zeroShot(const QJsonObject &task)
{
    return task.value(QStringLiteral("head")).toObject().value(QStringLiteral("zero_shot")).toObject();
}

QStringList taskNames(const QJsonObject &pool)
{
    QStringList names;
    for (const QJsonValue &value : pool.value(QStringLiteral("tasks")).toArray())
        names << value.toObject().value(QStringLiteral("name")).toString();
    return names;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    file.write(bytes);
}

} // namespace

class TestFusionBenchPool : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const QString &relative) const { return m_dir.filePath(relative); }

    // Writes `yaml` as NAME and imports it.
    FusionBenchImport import(const QByteArray &yaml, const QString &name = QStringLiteral("pool.yaml"),
                             const QString &dataFolder = {})
    {
        writeFile(path(name), yaml);
        return importFusionBenchPool(path(name), dataFolder);
    }

    QString importError(const QByteArray &yaml)
    {
        return errorOf([&] { import(yaml, QStringLiteral("bad.yaml")); });
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // An empty Hugging Face cache: whatever the machine's own holds stays out.
        QVERIFY(QDir().mkpath(path(QStringLiteral("hub"))));
        qputenv("HF_HUB_CACHE", path(QStringLiteral("hub")).toUtf8());
    }

    void mapShape()
    {
        const FusionBenchImport imported = import(kEightTasks, QStringLiteral("clip-vit-base-patch32_TA8.yaml"));
        const QJsonObject &pool = imported.pool;
        QCOMPARE(pool.value(QStringLiteral("name")).toString(), QStringLiteral("clip-vit-base-patch32_TA8"));
        QCOMPARE(pool.value(QStringLiteral("clip")).toString(), QStringLiteral("openai/clip-vit-base-patch32"));
        QCOMPARE(pool.value(QStringLiteral("pretrained")).toString(), QStringLiteral("openai/clip-vit-base-patch32"));
        QCOMPARE(taskNames(pool),
                 (QStringList{"sun397", "stanford-cars", "resisc45", "eurosat", "svhn", "gtsrb", "mnist", "dtd"}));
        for (int i = 0; i < 8; ++i) {
            const QJsonObject t = task(pool, i);
            const QString name = t.value(QStringLiteral("name")).toString();
            QCOMPARE(t.value(QStringLiteral("checkpoint")).toString(),
                     QStringLiteral("tanganke/clip-vit-base-patch32_") + name);
            QCOMPARE(stringList(zeroShot(t).value(QStringLiteral("templates"))), knownTaskTemplates(name));
            QVERIFY(!t.contains(QStringLiteral("test_data")));
        }
        QCOMPARE(imported.warnings.size(), 8);
        QVERIFY2(imported.warnings.first().contains(QLatin1String(
                     "task 'sun397' has no test data (no tanganke/sun397:test in the Hugging Face cache)")),
                 qPrintable(imported.warnings.first()));
    }

    // Without a data folder, a task takes the dataset FusionBench loads for it
    // when the Hugging Face cache holds it: test and train splits.
    void testDataFromTheHubCache()
    {
        const QString revision = QStringLiteral("89abcdef0123456789abcdef0123456789abcdef");
        for (const QString &name : {QStringLiteral("sun397"), QStringLiteral("stanford_cars")}) {
            const QString repo = path(QStringLiteral("hub/datasets--tanganke--") + name);
            writeFile(repo + QStringLiteral("/refs/main"), revision.toLatin1());
            const QString data = repo + QStringLiteral("/snapshots/") + revision + QStringLiteral("/data/");
            writeFile(data + QStringLiteral("test-00000-of-00001.parquet"), "PAR1");
            if (name == QLatin1String("sun397"))
                writeFile(data + QStringLiteral("train-00000-of-00001.parquet"), "PAR1");
        }
        const FusionBenchImport imported = import(kEightTasks);
        QCOMPARE(task(imported.pool, 0).value(QStringLiteral("test_data")).toString(),
                 QStringLiteral("tanganke/sun397:test"));
        QCOMPARE(task(imported.pool, 0).value(QStringLiteral("train_data")).toString(),
                 QStringLiteral("tanganke/sun397:train"));
        // "stanford-cars" is tanganke/stanford_cars.
        QCOMPARE(task(imported.pool, 1).value(QStringLiteral("test_data")).toString(),
                 QStringLiteral("tanganke/stanford_cars:test"));
        QVERIFY(!task(imported.pool, 1).contains(QStringLiteral("train_data")));
        QCOMPARE(imported.warnings.size(), 6);
        QVERIFY(QDir(path(QStringLiteral("hub"))).removeRecursively());
        QVERIFY(QDir().mkpath(path(QStringLiteral("hub"))));
    }

    void listShape()
    {
        const FusionBenchImport imported = import(kListShape);
        QCOMPARE(imported.pool.value(QStringLiteral("pretrained")).toString(),
                 QStringLiteral("openai/clip-vit-base-patch16"));
        QCOMPARE(taskNames(imported.pool), (QStringList{"stanford_cars", "mnist"}));
        // Paths are kept as written: resolving them is the pool reader's part.
        QCOMPARE(task(imported.pool, 1).value(QStringLiteral("checkpoint")).toString(), QStringLiteral("models/mnist"));
        QCOMPARE(stringList(zeroShot(task(imported.pool, 0)).value(QStringLiteral("templates"))).size(), 8);
    }

    // FusionBench's detailed form, and OmegaConf references to a setting elsewhere in the file.
    void modelSettingsAndInterpolations()
    {
        const FusionBenchImport imported = import(R"(
base_model: openai/clip-vit-base-patch16
models:
  _pretrained_:
    _target_: transformers.CLIPVisionModel.from_pretrained
    pretrained_model_name_or_path: ${...base_model}
  sun397:
    _target_: fusion_bench.models.linearized.vision_model.load_fft_vision_model_hf
    model_name: tanganke/clip-vit-base-patch16_sun397
  dtd: ${.sun397.model_name}
  eurosat: ${models.dtd}
processor:
  _target_: transformers.CLIPProcessor.from_pretrained
  pretrained_model_name_or_path: ${..base_model}
)");
        QCOMPARE(imported.pool.value(QStringLiteral("pretrained")).toString(),
                 QStringLiteral("openai/clip-vit-base-patch16"));
        QCOMPARE(task(imported.pool, 0).value(QStringLiteral("checkpoint")).toString(),
                 QStringLiteral("tanganke/clip-vit-base-patch16_sun397"));
        QCOMPARE(task(imported.pool, 1).value(QStringLiteral("checkpoint")).toString(),
                 QStringLiteral("tanganke/clip-vit-base-patch16_sun397"));
        QCOMPARE(task(imported.pool, 2).value(QStringLiteral("checkpoint")).toString(),
                 QStringLiteral("tanganke/clip-vit-base-patch16_sun397"));
    }

    void testDataFromTheDataFolder()
    {
        const QString data = path(QStringLiteral("data"));
        QVERIFY(QDir().mkpath(data + QStringLiteral("/sun397/test")));
        QVERIFY(QDir().mkpath(data + QStringLiteral("/stanford_cars/test"))); // the other spelling
        QVERIFY(QDir().mkpath(data + QStringLiteral("/resisc45")));           // no test split
        const FusionBenchImport imported = import(kEightTasks, QStringLiteral("pool.yaml"), data);
        QCOMPARE(task(imported.pool, 0).value(QStringLiteral("test_data")).toString(),
                 data + QStringLiteral("/sun397/test"));
        QCOMPARE(task(imported.pool, 1).value(QStringLiteral("test_data")).toString(),
                 data + QStringLiteral("/stanford_cars/test"));
        for (int i = 2; i < 8; ++i)
            QVERIFY(!task(imported.pool, i).contains(QStringLiteral("test_data")));
        QCOMPARE(imported.warnings.size(), 6);
        QVERIFY2(imported.warnings.first().startsWith(path(QStringLiteral("pool.yaml"))
                                                      + QStringLiteral(": task 'resisc45' has no test data")),
                 qPrintable(imported.warnings.first()));
        QVERIFY2(imported.warnings.first().contains(data + QStringLiteral("/resisc45/test")),
                 qPrintable(imported.warnings.first()));

        const QString missing = errorOf(
            [&] { import(kEightTasks, QStringLiteral("pool.yaml"), path(QStringLiteral("nodata"))); });
        QVERIFY2(missing.startsWith(path(QStringLiteral("nodata")) + QStringLiteral(": no such folder")),
                 qPrintable(missing));
    }

    void promptTemplatesPerTask()
    {
        QCOMPARE(knownTaskTemplates(QStringLiteral("Stanford_Cars")),
                 knownTaskTemplates(QStringLiteral("stanford-cars")));
        QCOMPARE(knownTaskTemplates(QStringLiteral("stanford-cars")).value(3), QStringLiteral("i love my {}!"));
        QCOMPARE(knownTaskTemplates(QStringLiteral("sun397")), (QStringList{"a photo of a {}.", "a photo of the {}."}));
        QCOMPARE(knownTaskTemplates(QStringLiteral("mnist")), QStringList{"a photo of the number: \"{}\"."});
        QCOMPARE(knownTaskTemplates(QStringLiteral("svhn")), knownTaskTemplates(QStringLiteral("mnist")));
        QCOMPARE(knownTaskTemplates(QStringLiteral("gtsrb")).value(0),
                 QStringLiteral("a zoomed in photo of a \"{}\" traffic sign."));
        QCOMPARE(knownTaskTemplates(QStringLiteral("eurosat")).size(), 3);
        QCOMPARE(knownTaskTemplates(QStringLiteral("resisc45")).size(), 18);
        QCOMPARE(knownTaskTemplates(QStringLiteral("resisc45")).value(17), QStringLiteral("aerial view of the {}."));
        QCOMPARE(knownTaskTemplates(QStringLiteral("dtd")).value(4), QStringLiteral("a photo of the {} texture."));
        QCOMPARE(knownTaskTemplates(QStringLiteral("cifar100")).size(), 18);
        QCOMPARE(knownTaskTemplates(QStringLiteral("oxford_iiit_pet")), QStringList{"a photo of a {}, a type of pet."});
        QVERIFY(knownTaskTemplates(QStringLiteral("imagenet-21k")).isEmpty());
        QVERIFY(knownTaskTemplates(QStringLiteral("finetuned")).isEmpty());
        // Every template of every task has one place for the class name, in the {} form.
        QVERIFY(knownTemplateTasks().size() >= 20);
        for (const QString &name : knownTemplateTasks()) {
            const QStringList templates = knownTaskTemplates(name);
            QVERIFY2(!templates.isEmpty(), qPrintable(name));
            for (const QString &text : templates)
                QVERIFY2(text.count(QLatin1String("{}")) == 1 && !text.contains(QLatin1String("{c}")),
                         qPrintable(text));
        }
    }

    void unknownAndSpecialModels()
    {
        const FusionBenchImport imported = import(R"(
models:
  _pretrained_: openai/clip-vit-base-patch32
  finetuned: tanganke/clip-vit-base-patch32_stanford-cars
  _merged_: somewhere/merged
)");
        QCOMPARE(taskNames(imported.pool), QStringList{"finetuned"});
        // No templates: the pool's default prompt applies.
        QVERIFY(zeroShot(task(imported.pool, 0)).isEmpty());
        QVERIFY(task(imported.pool, 0).value(QStringLiteral("head")).toObject().contains(QStringLiteral("zero_shot")));
        const QString warnings = imported.warnings.join(QLatin1Char('\n'));
        QVERIFY2(warnings.contains(QLatin1String("'_merged_' is a special FusionBench model")), qPrintable(warnings));
        QVERIFY2(warnings.contains(QLatin1String("no prompt templates are known for task 'finetuned'; its zero-shot "
                                                 "head uses \"a photo of a {}.\"")),
                 qPrintable(warnings));

        const FusionBenchImport individual = import("models:\n  _pretrained_: openai/clip-vit-base-patch32\n");
        QVERIFY(individual.pool.value(QStringLiteral("tasks")).toArray().isEmpty());
        QVERIFY2(individual.warnings.join(QLatin1Char('\n')).contains(QLatin1String("no task models")),
                 qPrintable(individual.warnings.join(QLatin1Char('\n'))));
    }

    // A pool inside a FusionBench config folder: its models come from config/model/clip-vit/.
    void hydraIncludesAreFollowed()
    {
        QTemporaryDir root;
        const QString config = root.filePath(QStringLiteral("config"));
        writeFile(config + QStringLiteral("/model/clip-vit/clip-vit-base-patch16.yaml"),
                  "_pretrained_: openai/clip-vit-base-patch16\n");
        writeFile(config + QStringLiteral("/model/clip-vit/clip-vit-base-patch16_sun397.yaml"),
                  "sun397: tanganke/clip-vit-base-patch16_sun397\n");
        writeFile(config + QStringLiteral("/model/clip-vit/clip-vit-base-patch16_dtd.yaml"),
                  "dtd: tanganke/clip-vit-base-patch16_dtd\n");
        writeFile(config + QStringLiteral("/model/clip-vit/two_tasks.yaml"),
                  "defaults:\n  - clip-vit-base-patch16\n  - clip-vit-base-patch16_sun397\n"
                  "  - clip-vit-base-patch16_dtd\n");
        writeFile(config + QStringLiteral("/modelpool/CLIPVisionModelPool/_template.yaml"),
                  "_target_: fusion_bench.modelpool.CLIPVisionModelPool\nmodels: ???\n");
        const QString poolFile = config + QStringLiteral("/modelpool/CLIPVisionModelPool/two.yaml");
        writeFile(poolFile, R"(defaults:
  - CLIPVisionModelPool@: _template
  - /model/clip-vit@models: two_tasks
  - /dataset/image_classification/test@test_datasets: the_eight_tasks
processor:
  _target_: transformers.CLIPProcessor.from_pretrained
  pretrained_model_name_or_path: openai/clip-vit-base-patch16
)");
        FusionBenchImport imported = importFusionBenchPool(poolFile);
        QCOMPARE(imported.pool.value(QStringLiteral("pretrained")).toString(),
                 QStringLiteral("openai/clip-vit-base-patch16"));
        QCOMPARE(taskNames(imported.pool), (QStringList{"sun397", "dtd"}));
        QCOMPARE(task(imported.pool, 1).value(QStringLiteral("checkpoint")).toString(),
                 QStringLiteral("tanganke/clip-vit-base-patch16_dtd"));

        // The file's own models come after its includes (hydra's _self_ last) and win.
        writeFile(poolFile, R"(defaults:
  - /model/clip-vit@models:
      - clip-vit-base-patch16
      - clip-vit-base-patch16_sun397
models:
  sun397: local/sun397
  mnist: tanganke/clip-vit-base-patch16_mnist
)");
        imported = importFusionBenchPool(poolFile);
        QCOMPARE(taskNames(imported.pool), (QStringList{"sun397", "mnist"}));
        QCOMPARE(task(imported.pool, 0).value(QStringLiteral("checkpoint")).toString(), QStringLiteral("local/sun397"));

        // ... unless _self_ comes first.
        writeFile(poolFile, R"(defaults:
  - _self_
  - /model/clip-vit@models: [clip-vit-base-patch16, clip-vit-base-patch16_sun397]
models:
  sun397: local/sun397
)");
        imported = importFusionBenchPool(poolFile);
        QCOMPARE(task(imported.pool, 0).value(QStringLiteral("checkpoint")).toString(),
                 QStringLiteral("tanganke/clip-vit-base-patch16_sun397"));

        // An include that loops on itself ends.
        writeFile(config + QStringLiteral("/model/clip-vit/loop.yaml"), "defaults:\n  - loop\n");
        writeFile(poolFile, "defaults:\n  - /model/clip-vit@models: loop\n");
        const QString loop = errorOf([&] { importFusionBenchPool(poolFile); });
        QVERIFY2(loop.contains(QLatin1String("nests deeper than")), qPrintable(loop));
    }

    void hydraIncludeThatCannotBeFollowed()
    {
        const QString message = importError(R"(defaults:
  - CLIPVisionModelPool@: _template
  - /model/clip-vit@models: clip-vit-base-patch16_eight_tasks
)");
        QVERIFY2(message.startsWith(path(QStringLiteral("bad.yaml"))
                                    + QStringLiteral(": its models come from the hydra "
                                                     "include '/model/clip-vit@models: "
                                                     "clip-vit-base-patch16_eight_tasks'")),
                 qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("needs model/clip-vit/clip-vit-base-patch16_eight_tasks.yaml from "
                                                "FusionBench's config folder")),
                 qPrintable(message));
        QVERIFY2(message.contains(path(QStringLiteral("model/clip-vit/clip-vit-base-patch16_eight_tasks.yaml"))),
                 qPrintable(message));

        const QString other = importError("defaults:\n  - CLIPVisionModelPool@: clip-vit-base-patch32_TA8\n");
        QVERIFY2(other.contains(QLatin1String("names no models")), qPrintable(other));
        QVERIFY2(
            other.contains(QLatin1String("'CLIPVisionModelPool@: clip-vit-base-patch32_TA8', which this import does "
                                         "not follow")),
            qPrintable(other));
        // An optional include that is missing is skipped.
        const FusionBenchImport optional = import(R"(defaults:
  - optional /model/clip-vit@models: missing
models: {_pretrained_: openai/clip-vit-base-patch32, mnist: a/b}
)");
        QCOMPARE(taskNames(optional.pool), QStringList{"mnist"});
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("problem");
        const auto row = [](const char *name, const QByteArray &yaml, const char *problem) {
            QTest::newRow(name) << yaml << QString::fromUtf8(problem);
        };
        row("not YAML", "models:\n  _pretrained_: [a\n", "not valid YAML: line 3, column 1: ");
        row("tab indentation", "models:\n\t_pretrained_: a\n", "not valid YAML: line 2, column 1");
        row("empty", "", "is empty (no YAML document)");
        row("comments only", "# nothing\n", "is empty (no YAML document)");
        row("two documents", "models: {_pretrained_: a/b}\n---\nmodels: {}\n", "holds several YAML documents");
        row("not UTF-8", "models: {_pretrained_: \xff\xfe}\n", "is not UTF-8 text");
        row("top level a list", "- a\n- b\n", "its top level is not a map of settings");
        row("no models", "processor: openai/clip-vit-base-patch32\n",
            "names no models (expected models: {_pretrained_");
        row("models ???", "models: ???\n", "models is ???, a value FusionBench's command line fills in");
        row("empty models", "models: {}\n", "names no models");
        row("models a number", "models: 3\n", "models must be a map (NAME: MODEL) or a list");
        row("no _pretrained_", "models:\n  sun397: tanganke/clip-vit-base-patch32_sun397\n",
            "names no _pretrained_ model");
        row("null model", "models:\n  _pretrained_: a/b\n  sun397:\n", "model 'sun397' names no model");
        row("empty map model", "models:\n  _pretrained_: a/b\n  sun397: {}\n", "model 'sun397' names no model");
        row("list model", "models:\n  _pretrained_: a/b\n  sun397: [a, b]\n", "model 'sun397' names no model");
        row("map model without a name", "models:\n  _pretrained_: {torch_dtype: float16}\n",
            "model '_pretrained_' names no model (expected a name, or {pretrained_model_name_or_path: NAME})");
        row("??? model", "models:\n  _pretrained_: ???\n", "model '_pretrained_' is ???");
        row("list entry without path", "models:\n  - name: _pretrained_\n", "model '_pretrained_' names no model");
        row("list entry without name", "models:\n  - path: a/b\n", "models entry 1 has no name");
        row("LoRA adapter", "models:\n  _pretrained_: a/b\n  sun397:\n    base_model_name: a/b\n    peft_name: c/d\n",
            "model 'sun397' is a LoRA adapter (peft_name: c/d)");
        row("duplicate map names", "models:\n  _pretrained_: a/b\n  mnist: c/d\n  mnist: e/f\n",
            "task name 'mnist' appears twice in models");
        row("duplicate list names",
            "models:\n  - {name: _pretrained_, path: a/b}\n  - {name: mnist, path: c}\n"
            "  - {name: mnist, path: d}\n",
            "task name 'mnist' appears twice in models");
        row("task name with a slash", "models:\n  _pretrained_: a/b\n  a/b: c/d\n",
            "task name 'a/b' cannot be a file or folder name");
        row("task name ..", "models:\n  _pretrained_: a/b\n  '..': c/d\n",
            "task name '..' cannot be a file or folder name");
        row("hidden task name", "models:\n  _pretrained_: a/b\n  .git: c/d\n",
            "task name '.git' cannot be a file or folder name");
        row("OpenCLIP pool", "_target_: fusion_bench.modelpool.OpenCLIPVisionModelPool\nmodels: {_pretrained_: a/b}\n",
            "another kind (_target_: fusion_bench.modelpool.OpenCLIPVisionModelPool)");
        row("language model pool", "type: AutoModelForCausalLMPool\nmodels: {_pretrained_: a/b}\n",
            "another kind (type: AutoModelForCausalLMPool)");
        row("resolver", "models:\n  _pretrained_: ${oc.env:MODEL}\n",
            "model '_pretrained_' is '${oc.env:MODEL}', an OmegaConf interpolation this import cannot resolve");
        row("missing key", "models:\n  _pretrained_: ${base_model}\n",
            "uses ${base_model}, but the file has no base_model");
        row("interpolation loop", "a: ${b}\nb: ${a}\nmodels:\n  _pretrained_: ${a}\n", "a loop?");
        row("above the top", "models:\n  _pretrained_: ${....x}\n", "uses ${....x}, which names no key of the file");
        row("merge key", "base: &base {_pretrained_: a/b}\nmodels:\n  <<: *base\n", "YAML merge key (<<)");
        row("defaults not a list", "defaults: x\nmodels: {_pretrained_: a/b}\n", "defaults must be a list");
        row("include escaping", "defaults:\n  - /../x@models: y\n",
            "names the group '/../x', which is not a folder path");
        row("include option escaping", "defaults:\n  - /model@models: ../y\n",
            "names '../y', which is not a file name");
        row("deep nesting", QByteArray(100000, '[') + QByteArray(100000, ']'), "nested deeper than 64 levels");
        row(
            "deep block nesting",
            [] {
                QByteArray yaml;
                for (int i = 0; i < 200; ++i)
                    yaml += QByteArray(i * 2, ' ') + "a:\n";
                return yaml;
            }(),
            "nested deeper than 64 levels");
        row("alias to itself", "models: &m\n  _pretrained_: a/b\n  loop: *m\n", "model 'loop' names no model");
        row("too large", "models: {_pretrained_: a/b}\n#" + QByteArray(5 << 20, 'x') + "\n",
            "more than the 4.2 MB a file of this kind may be");
    }

    // Each error is one message that names the file.
    void errors()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, problem);
        const QString message = importError(yaml);
        QVERIFY2(message.startsWith(path(QStringLiteral("bad.yaml")) + QStringLiteral(": ")),
                 qPrintable(message.left(300)));
        QVERIFY2(message.contains(problem), qPrintable(message.left(300)));
    }

    // Anchors are shared, not copied: a "billion laughs" file stays small.
    void aliasesAreNotExpanded()
    {
        QByteArray yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
        for (int i = 1; i < 30; ++i) {
            yaml += QStringLiteral("a%1: &a%1 [").arg(i).toUtf8();
            for (int j = 0; j < 10; ++j)
                yaml += QStringLiteral("*a%1, ").arg(i - 1).toUtf8();
            yaml += "]\n";
        }
        yaml += "models: {_pretrained_: a/b, mnist: c/d}\n";
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(taskNames(import(yaml).pool), QStringList{"mnist"});
        QVERIFY(timer.elapsed() < 5000);
    }

    void nestingWithinTheLimitIsFine()
    {
        const QByteArray yaml = "extra: " + QByteArray(60, '[') + QByteArray(60, ']')
                                + "\nmodels: {_pretrained_: a/b}\n";
        QCOMPARE(import(yaml).pool.value(QStringLiteral("pretrained")).toString(), QStringLiteral("a/b"));
    }

    void unreadableFilesAreNamed()
    {
        const QString missing = errorOf([&] { importFusionBenchPool(path(QStringLiteral("missing.yaml"))); });
        QVERIFY2(missing.startsWith(path(QStringLiteral("missing.yaml")) + QStringLiteral(": ")), qPrintable(missing));
        const QString folder = errorOf([&] { importFusionBenchPool(m_dir.path()); });
        QVERIFY2(folder.startsWith(m_dir.path() + QStringLiteral(": ")), qPrintable(folder));
        // The text form names its source the same way.
        const QString text = errorOf([] { importFusionBenchPoolText("models: 3\n", QStringLiteral("pasted.yaml")); });
        QVERIFY2(text.startsWith(QLatin1String("pasted.yaml: models must be")), qPrintable(text));
        const QString large = errorOf([] {
            importFusionBenchPoolText("models: {}\n#" + QByteArray(5 << 20, 'x'), QStringLiteral("pasted.yaml"));
        });
        QCOMPARE(large, QStringLiteral("pasted.yaml: is 5.2 MB, more than a YAML config can be (4.2 MB)"));
    }
};

QTEST_GUILESS_MAIN(TestFusionBenchPool)
#include "test_fusionbench_pool.moc"
