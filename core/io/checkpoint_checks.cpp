#include "io/checkpoint.h"

#include "common/error.h"

#include <torch/torch.h>

namespace wemoe {

namespace {

QString shapeText(c10::IntArrayRef shape)
{
    QStringList parts;
    for (const int64_t d : shape)
        parts << QString::number(d);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

// The first config.json field (Hugging Face's name) whose value differs, with both values.
QString firstConfigDifference(const ClipVisionConfig &a, const ClipVisionConfig &b)
{
    const auto field = [](const char *name, const QString &x, const QString &y) {
        return x == y ? QString() : QStringLiteral("%1 is %2, but %3 in").arg(QLatin1String(name), y, x);
    };
    const QString differences[] = {
        field("hidden_size", QString::number(a.hiddenSize), QString::number(b.hiddenSize)),
        field("intermediate_size", QString::number(a.intermediateSize), QString::number(b.intermediateSize)),
        field("num_hidden_layers", QString::number(a.numHiddenLayers), QString::number(b.numHiddenLayers)),
        field("num_attention_heads", QString::number(a.numAttentionHeads), QString::number(b.numAttentionHeads)),
        field("image_size", QString::number(a.imageSize), QString::number(b.imageSize)),
        field("patch_size", QString::number(a.patchSize), QString::number(b.patchSize)),
        field("num_channels", QString::number(a.numChannels), QString::number(b.numChannels)),
        field("hidden_act", a.hiddenAct, b.hiddenAct),
        field("layer_norm_eps", QString::number(a.layerNormEps, 'g', 17), QString::number(b.layerNormEps, 'g', 17)),
        field("projection_dim", QString::number(a.projectionDim), QString::number(b.projectionDim)),
    };
    for (const QString &difference : differences) {
        if (!difference.isEmpty())
            return difference;
    }
    return {};
}

} // namespace

void requireSameArchitecture(const Checkpoint &reference, const Checkpoint &other)
{
    // Tensors first: a differing tensor is the most concrete thing to point at.
    auto r = reference.vision.begin();
    auto o = other.vision.begin();
    while (r != reference.vision.end() || o != other.vision.end()) {
        if (o == other.vision.end() || (r != reference.vision.end() && r->first < o->first))
            throw Error(other.path, QStringLiteral("tensor '%1' is missing, but %2 has it")
                                        .arg(QString::fromStdString(other.fileKey(r->first)), reference.path));
        if (r == reference.vision.end() || o->first < r->first)
            throw Error(other.path, QStringLiteral("has tensor '%1', which %2 does not have")
                                        .arg(QString::fromStdString(other.fileKey(o->first)), reference.path));
        if (r->second.sizes() != o->second.sizes())
            throw Error(other.path,
                        QStringLiteral("tensor '%1' has shape %2, but %3 in %4")
                            .arg(QString::fromStdString(other.fileKey(o->first)), shapeText(o->second.sizes()),
                                 shapeText(r->second.sizes()), reference.path));
        ++r;
        ++o;
    }
    const QString difference = firstConfigDifference(reference.config, other.config);
    if (!difference.isEmpty())
        throw Error(other.path, QStringLiteral("config: %1 %2").arg(difference, reference.path));
}

int warnNonFinite(const TensorMap &tensors, const QString &source, const JobContext &context)
{
    int count = 0;
    for (const auto &[name, tensor] : tensors) {
        if (!tensor.defined() || !tensor.is_floating_point() || tensor.numel() == 0)
            continue;
        // One cheap pass for the common all-finite case; details only when needed.
        if (torch::isfinite(tensor).all().item<bool>())
            continue;
        ++count;
        const int64_t nans = torch::isnan(tensor).sum().item<int64_t>();
        const int64_t infs = torch::isinf(tensor).sum().item<int64_t>();
        context.warn(QStringLiteral("%1: tensor '%2' holds %3 NaN and %4 Inf value(s) of %5")
                         .arg(source, QString::fromStdString(name))
                         .arg(nans)
                         .arg(infs)
                         .arg(tensor.numel()));
    }
    return count;
}

} // namespace wemoe
