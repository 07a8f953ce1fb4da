// The merges that learn from a few images per task, then merge in closed form
// (RegMean, RegMean++, Fisher merging): their descriptions and how a call
// becomes the engine's options. Which images and how many are the same
// settings for all three (calibrationParameters).

#include "methods/catalogue_entries.h"
#include "methods/engine_options.h"

#include "common/error.h"

namespace wemoe {

namespace catalogue {

namespace {

QVector<Parameter> calibrationParameters()
{
    return {
        integer("examples", 256, 1, 1000000, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Images per task"),
                QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                  "Images of each task the statistics are computed from (a seeded random subset; "
                                  "labels are not used).")),
        choice("data", "train",
               {{QStringLiteral("train"), {}, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "training images")},
                {QStringLiteral("train_or_test"),
                 {},
                 QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "training images, else test images")},
                {QStringLiteral("test"), {}, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "test images")}},
               QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Images from"),
               QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                 "train: each task's train_data (a task without it is an error); "
                                 "train_or_test: its test images where a task names no train_data (the run "
                                 "warns which); test: the test images, which the accuracy is then measured on too.")),
        integer("batch", 32, 1, 4096, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Batch"),
                QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Images per forward pass while collecting statistics.")),
        seed(QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Seed of the choice of images.")),
    };
}

QVector<Parameter> regMeanParameters()
{
    QVector<Parameter> parameters = calibrationParameters();
    parameters.prepend(real(
        "alpha", 0.95, 0.0, 1.0, 3, 0.05, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Off-diagonal scale α"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "The Gram matrices' off-diagonal entries are multiplied by α: 1 is "
                                                    "the exact regression, 0 weighs each input dimension alone.")));
    return parameters;
}

QVector<Parameter> fisherParameters()
{
    QVector<Parameter> parameters = calibrationParameters();
    parameters.prepend(real(
        "min_weight", 1e-6, 1e-12, 1.0, 9, 1e-6, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Minimal Fisher weight"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Added to every Fisher entry, so a parameter no image moves still "
                                                    "gets a little weight from every model.")));
    parameters.prepend(flag("normalize", true, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Normalise the Fishers"),
                            QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                              "Divide each model's Fisher by its overall norm first, so that no "
                                              "model outweighs the others everywhere.")));
    return parameters;
}

} // namespace

QVector<MethodDescription> dataMergeMethods()
{
    using Kind = MethodDescription::Kind;
    MethodDescription fisher = method(
        "fisher", Kind::DataMerge, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Fisher merging"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                          "Each parameter averaged with weights from each model's diagonal Fisher information, "
                          "estimated on a few images of its task with the model's own predictions (no labels)."),
        false, fisherParameters());
    fisher.aliases = QStringList{QStringLiteral("fisher_merging")};
    MethodDescription regMean = method(
        "regmean", Kind::DataMerge, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "RegMean"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                          "Every linear layer solved in closed form so that it answers each task's inputs as "
                          "that task's model did: W = (Σ Wi Gi)(Σ Gi)⁻¹ with Gi the Gram matrix of the "
                          "layer's inputs on task i's images; the other parameters averaged."),
        false, regMeanParameters());
    MethodDescription regMeanPlusPlus = method(
        "regmean_plus_plus", Kind::DataMerge, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "RegMean++"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                          "RegMean, layer by layer: each layer's inputs come from the merged model of the "
                          "layers before it, so later layers correct what earlier merges changed."),
        false, regMeanParameters());
    regMeanPlusPlus.aliases = QStringList{QStringLiteral("regmean++"), QStringLiteral("regmeanplusplus")};
    return {fisher, regMean, regMeanPlusPlus};
}

} // namespace catalogue

CalibrationOptions toCalibrationOptions(const MethodCall &call)
{
    if (call.description().kind != MethodDescription::Kind::DataMerge)
        throw Error(QStringLiteral("%1 does not learn from data").arg(call.method()));
    CalibrationOptions options;
    options.examplesPerTask = call.integer(QStringLiteral("examples"));
    const QString data = call.choice(QStringLiteral("data"));
    options.images = data == QLatin1String("test")            ? CalibrationImages::Test
                     : data == QLatin1String("train_or_test") ? CalibrationImages::TrainOrTest
                                                              : CalibrationImages::Train;
    options.batchSize = call.integer(QStringLiteral("batch"));
    options.seed = call.seed(QStringLiteral("seed"));
    return options;
}

RegMeanOptions toRegMeanOptions(const MethodCall &call)
{
    if (call.method() != QLatin1String("regmean") && call.method() != QLatin1String("regmean_plus_plus"))
        throw Error(QStringLiteral("%1 is not RegMean").arg(call.method()));
    RegMeanOptions options;
    options.nonDiagonalScale = call.real(QStringLiteral("alpha"));
    options.plusPlus = call.method() == QLatin1String("regmean_plus_plus");
    return options;
}

FisherMergingOptions toFisherMergingOptions(const MethodCall &call)
{
    if (call.method() != QLatin1String("fisher"))
        throw Error(QStringLiteral("%1 is not Fisher merging").arg(call.method()));
    FisherMergingOptions options;
    options.normalize = call.flag(QStringLiteral("normalize"));
    options.minimalWeight = call.real(QStringLiteral("min_weight"));
    return options;
}

} // namespace wemoe
