#include "zoo/zoo_readme.h"

#include "zoo/zoo_builder.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTextStream>

namespace wemoe {

namespace {

QString percent(double fraction)
{
    return QString::number(100.0 * fraction, 'f', 1) + QLatin1Char('%');
}

QString number(const QJsonValue &value, int decimals)
{
    return QString::number(value.toDouble(), 'f', decimals);
}

// " (biomes 150, house_numbers 550)": the tasks that take their own step count.
QString stepsByTaskText(const ZooTrainingRecipe &recipe)
{
    QStringList parts;
    for (auto it = recipe.finetuneStepsByTask.cbegin(); it != recipe.finetuneStepsByTask.cend(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.key()).arg(it.value());
    return parts.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(parts.join(QStringLiteral(", ")));
}

} // namespace

QString zooReadme(const ZooTrainingRecipe &recipe, const QJsonObject &log)
{
    QString text;
    QTextStream out(&text);
    out << "# WEMoE Studio demo zoo " << recipe.version() << (recipe.quick ? " (quick)" : "") << "\n\n"
        << "Eight small image-classification tasks made from files that Debian packages install, a tiny\n"
           "ViT in the Hugging Face CLIP vision layout \"pretrained\" on a pretext task over the tasks' TRAIN\n"
           "splits, one fixed zero-shot-like head per task, and one fine-tuned model per task. Built by\n"
           "`wemoe zoo build"
        << (recipe.quick ? " --quick" : "") << "`; open `pool.json` with any wemoe command.\n\n"
        << "## Layout\n\n"
        << "- `pool.json`: the model pool (paths relative to this folder)\n"
        << "- `models/pretrained/`, `models/<task>/`: config.json + model.safetensors (CLIPVisionModel keys)\n"
        << "- `heads/<task>.safetensors`: L2-normalised class centroids of the pretrained model's projected\n"
        << "  features on the task's train split"
        << (recipe.headCentred ? ", centred (minus their mean over the task's classes)" : "")
        << (recipe.headTaskBlocks ? ", each task's restricted to its own block of the features" : "")
        << "; head_type clip, "
        << (recipe.headTargetEntropy > 0.0 ? QStringLiteral("logit_scale per task (the pretrained model's mean entropy "
                                                            "/ ln classes is %1 on the train split)")
                                                 .arg(recipe.headTargetEntropy)
                                           : QStringLiteral("logit_scale %1").arg(recipe.headLogitScale))
        << "\n"
        << "- `data/<task>/{train,test}/<class>/*.png`: 32x32 RGB images; `dataset.json` lists every image's source\n"
        << "- `zoo.json`: the recipe and what the build measured\n\n";

    out << "## Tasks, sources and licences\n\n"
        << "| task | stands for | classes | train | test | packages | credit |\n"
        << "| --- | --- | --- | --- | --- | --- | --- |\n";
    const QJsonArray datasets = log.value(QStringLiteral("datasets")).toArray();
    for (const DatasetRecipe &dataset : demoZooRecipes()) {
        QJsonObject counts;
        for (const QJsonValue &value : datasets) {
            if (value.toObject().value(QStringLiteral("task")).toString() == dataset.name)
                counts = value.toObject();
        }
        out << "| " << dataset.name << " | " << dataset.standsFor << " | " << dataset.classNames.size() << " | "
            << counts.value(QStringLiteral("train_images")).toInt() << " | "
            << counts.value(QStringLiteral("test_images")).toInt() << " | "
            << dataset.packages.join(QStringLiteral(", ")) << " | " << dataset.credit << " |\n";
    }
    out << "\nLicences (from each package's copyright file): opencv-doc Apache-2.0/BSD-3; Fashion-MNIST MIT;\n"
           "stellarium-data GPL-2+ (nebula photographs under mixed terms: some free with credit, some CC BY\n"
           "3.0; each credited in textures.json); marble-qt-data LGPL-2.1+ (Blue Marble by NASA, public domain;\n"
           "climate maps by Legates and Willmott, CC BY-SA 3.0); tuxpaint-stamps GPL-2; gimp-data patterns\n"
           "GPL-3+ and GPL-2+ and LGPL-3+ and MIT and Expat and BSD-2-clause; mypaint-data-extras CC0-1.0; "
           "openclipart\n"
           "public domain; fonts under\n"
           "their own free licences. The images here are derived from those files and keep their licences;\n"
           "thanks to their authors. The test images come from sources held out from training where the\n"
           "dataset recipe says so, and the pretraining saw only TRAIN splits.\n\n";

    out << "## Recipe\n\n"
        << "- model: " << recipe.model.describe() << ", projection " << recipe.model.projectionDim << ", init N(0, "
        << recipe.initStd << ")\n"
        << "- pretraining: " << recipe.pretextSteps << " AdamW steps of " << recipe.pretextBatch
        << " images (balanced over the tasks), lr " << recipe.pretextLearningRate << ", warm-up "
        << recipe.pretextWarmupSteps << " then cosine; loss = " << recipe.contrastiveWeight
        << " x SimCLR contrastive loss between two random views of each image (temperature "
        << recipe.contrastiveTemperature << "; crops of >= " << recipe.viewMinArea << " of the area, jitter "
        << recipe.viewJitter << ", grey with probability " << recipe.viewGrayProbability << ") + " << recipe.taskWeight
        << " x cross-entropy of which task an image comes from (a linear head, discarded afterwards)"
        << (recipe.classWeight > 0 ? QStringLiteral(" + %1 x cross-entropy of the class (a linear head per task, "
                                                    "discarded afterwards)")
                                         .arg(recipe.classWeight)
                                   : QString())
        << (recipe.pretextProjectionDim > 0
                ? QStringLiteral("; these losses read a %1-feature projection head that is then discarded, and the "
                                 "pretrained model's projection is a seeded random rotation of the post-layernorm "
                                 "features")
                      .arg(recipe.pretextProjectionDim)
                : QString())
        << "\n"
        << "- heads: class centroids" << (recipe.headCentred ? " minus their mean over the task's classes" : "")
        << (recipe.headTaskBlocks ? " in task blocks (task t reads the t-th of T equal blocks of the features)" : "")
        << ", "
        << (recipe.headTargetEntropy > 0.0
                ? QStringLiteral("logit scale per task for a pretrained mean entropy of %1 x ln classes")
                      .arg(recipe.headTargetEntropy)
                : QStringLiteral("logit scale %1").arg(recipe.headLogitScale))
        << ", " << (recipe.headImagesPerClass > 0 ? QString::number(recipe.headImagesPerClass) : QStringLiteral("all"))
        << " train images per class\n"
        << "- fine-tuning: "
        << (recipe.finetuneMlpOnly ? "the MLPs only (every other tensor stays pretrained)" : "the whole encoder")
        << ", head frozen, cross-entropy, " << recipe.finetuneSteps << stepsByTaskText(recipe) << " AdamW steps of "
        << recipe.finetuneBatch << " images, lr " << recipe.finetuneLearningRate << ", warm-up "
        << recipe.finetuneWarmupSteps << " then cosine\n"
        << "- AdamW weight decay " << recipe.weightDecay << " on matrices, gradient norm clipped at "
        << recipe.maxGradNorm << "\n"
        << "- fine-tuning augmentation: "
        << (recipe.finetuneCropPadding > 0
                ? QStringLiteral("random crops after %1 px zero padding").arg(recipe.finetuneCropPadding)
                : QStringLiteral("no crops"))
        << (recipe.finetuneViewTasks.isEmpty() ? QString()
                                               : QStringLiteral(", but the pretext's views for %1")
                                                     .arg(recipe.finetuneViewTasks.join(QStringLiteral(", "))))
        << "; horizontal flips (views and fine-tuning) only on " << recipe.mirrorSafeTasks.join(QStringLiteral(", "))
        << "\n"
        << "- seed " << recipe.seed << ", " << recipe.threads << " LibTorch threads (the same seed and thread "
        << "count give the same zoo on the same machine)\n\n";

    const QJsonObject pretext = log.value(QStringLiteral("pretext")).toObject();
    const QJsonObject seconds = log.value(QStringLiteral("seconds")).toObject();
    out << "## What the build measured\n\n"
        << "- pretext: loss " << number(pretext.value(QStringLiteral("first_loss")), 3) << " -> "
        << number(pretext.value(QStringLiteral("final_loss")), 3) << ", views matched to their twin "
        << percent(pretext.value(QStringLiteral("contrastive_accuracy")).toDouble()) << ", task accuracy "
        << percent(pretext.value(QStringLiteral("task_accuracy")).toDouble()) << ", class accuracy "
        << percent(pretext.value(QStringLiteral("class_accuracy")).toDouble())
        << " (last tenth of the training batches; 0 where that loss is off)\n";
    const QJsonObject finetune = log.value(QStringLiteral("finetune")).toObject();
    for (auto it = finetune.begin(); it != finetune.end(); ++it) {
        const QJsonObject entry = it.value().toObject();
        out << "- fine-tune " << it.key() << ": loss " << number(entry.value(QStringLiteral("first_loss")), 3) << " -> "
            << number(entry.value(QStringLiteral("final_loss")), 3) << ", train accuracy "
            << percent(entry.value(QStringLiteral("train_accuracy")).toDouble()) << "\n";
    }
    out << "- time: datasets " << number(seconds.value(QStringLiteral("datasets")), 0) << " s, pretraining "
        << number(seconds.value(QStringLiteral("pretext")), 0) << " s, heads "
        << number(seconds.value(QStringLiteral("heads")), 0) << " s, fine-tuning "
        << number(seconds.value(QStringLiteral("finetune")), 0) << " s, total "
        << number(seconds.value(QStringLiteral("total")), 0) << " s\n\n"
        << "Test accuracies: `wemoe eval pool.json`; prediction entropies: `wemoe zoo entropy pool.json`;\n"
           "every merge method with WEMoE's routing weights: `scripts/demo` (docs/DEMO-RESULTS.md, docs/ZOO.md).\n";
    return text;
}

} // namespace wemoe
