#include "io/classification_head.h"

#include "common/error.h"
#include "common/tensor_map.h"
#include "io/safetensors.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <torch/torch.h>

#include <cmath>

namespace wemoe {

namespace {

QString shapeText(c10::IntArrayRef shape)
{
    QStringList parts;
    for (const int64_t d : shape)
        parts << QString::number(d);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

QStringList parseClassNames(const QString &path, const Metadata &metadata)
{
    const auto found = metadata.find("class_names");
    if (found == metadata.end())
        throw Error(path, QStringLiteral("__metadata__ lacks \"class_names\" (a JSON array of strings)"));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(found->second), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isArray())
        throw Error(path, QStringLiteral("__metadata__ \"class_names\" is not a JSON array of strings"));
    QStringList names;
    for (const QJsonValue &value : document.array()) {
        if (!value.isString())
            throw Error(path, QStringLiteral("__metadata__ \"class_names\" is not a JSON array of strings"));
        names << value.toString();
    }
    return names;
}

} // namespace

ClassificationHead ClassificationHead::load(const QString &path)
{
    SafetensorsContents contents = readSafetensors(path);
    ClassificationHead head;
    const auto weight = contents.tensors.find("weight");
    if (weight == contents.tensors.end())
        throw Error(path, QStringLiteral("has no \"weight\" tensor [classes, features]"));
    head.weight = weight->second;
    if (head.weight.dim() != 2 || head.weight.size(0) == 0 || head.weight.size(1) == 0)
        throw Error(
            path,
            QStringLiteral("weight has shape %1, expected [classes, features]").arg(shapeText(head.weight.sizes())));
    if (!head.weight.is_floating_point())
        throw Error(path, QStringLiteral("weight has dtype %1, expected a floating-point dtype")
                              .arg(QLatin1String(c10::toString(head.weight.scalar_type()))));
    const auto bias = contents.tensors.find("bias");
    if (bias != contents.tensors.end()) {
        head.bias = bias->second;
        if (head.bias.dim() != 1 || head.bias.size(0) != head.weight.size(0) || !head.bias.is_floating_point())
            throw Error(path, QStringLiteral("bias has shape %1, expected [%2] like weight's rows")
                                  .arg(shapeText(head.bias.sizes()))
                                  .arg(head.weight.size(0)));
    }

    const auto projection = contents.tensors.find("visual_projection");
    if (projection != contents.tensors.end()) {
        head.projection = projection->second;
        if (head.projection.dim() != 2 || head.projection.size(0) != head.weight.size(1) || head.projection.size(1) == 0
            || !head.projection.is_floating_point())
            throw Error(path, QStringLiteral("visual_projection has shape %1, expected [%2, inputs] (weight's columns)")
                                  .arg(shapeText(head.projection.sizes()))
                                  .arg(head.weight.size(1)));
    }

    head.classNames = parseClassNames(path, contents.metadata);
    if (head.classNames.size() != head.weight.size(0))
        throw Error(path, QStringLiteral("has %1 class names, but weight has %2 rows")
                              .arg(head.classNames.size())
                              .arg(head.weight.size(0)));

    const auto type = contents.metadata.find("head_type");
    if (type != contents.metadata.end()) {
        if (type->second == "clip")
            head.clipStyle = true;
        else if (type->second == "linear")
            head.clipStyle = false;
        else
            throw Error(
                path, QStringLiteral("head_type '%1' is not clip or linear").arg(QString::fromStdString(type->second)));
    }
    const auto scale = contents.metadata.find("logit_scale");
    if (scale != contents.metadata.end()) {
        bool ok = false;
        head.logitScale = QString::fromStdString(scale->second).trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(head.logitScale))
            throw Error(path,
                        QStringLiteral("logit_scale '%1' is not a number").arg(QString::fromStdString(scale->second)));
    }
    return head;
}

void ClassificationHead::save(const QString &path, const Metadata &extraMetadata) const
{
    if (!weight.defined() || weight.dim() != 2)
        throw Error(path, QStringLiteral("cannot save a head without a [classes, features] weight"));
    if (classNames.size() != weight.size(0))
        throw Error(path, QStringLiteral("cannot save a head with %1 class names for %2 weight rows")
                              .arg(classNames.size())
                              .arg(weight.size(0)));
    TensorMap tensors{{"weight", weight}};
    if (bias.defined())
        tensors.emplace("bias", bias);
    if (projection.defined())
        tensors.emplace("visual_projection", projection);
    Metadata metadata{
        {"class_names",
         QJsonDocument(QJsonArray::fromStringList(classNames)).toJson(QJsonDocument::Compact).toStdString()},
        {"head_type", clipStyle ? "clip" : "linear"},
        {"logit_scale", QString::number(logitScale, 'g', 17).toStdString()},
    };
    for (const auto &[key, value] : extraMetadata)
        metadata[key] = value;
    writeSafetensors(path, tensors, metadata);
}

torch::Tensor ClassificationHead::logits(const torch::Tensor &features) const
{
    if (features.dim() != 2 || features.size(1) != featureDim())
        throw Error(QStringLiteral("classification head: features have shape %1, expected [batch, %2]")
                        .arg(shapeText(features.sizes()))
                        .arg(featureDim()));
    if (projection.defined())
        return projectedLogits(features);
    const torch::Tensor w = weight.to(features.device(), features.scalar_type());
    const torch::Tensor b = bias.defined() ? bias.to(features.device(), features.scalar_type()) : torch::Tensor();
    if (!clipStyle)
        return b.defined() ? torch::addmm(b, features, w.t()) : torch::mm(features, w.t());
    // CLIP: cosine similarity with the (already normalised) text embeddings, scaled.
    const torch::Tensor normalized = features / features.norm(2, {1}, true).clamp_min(1e-12);
    torch::Tensor logits = torch::mm(normalized, w.t()) * logitScale;
    return b.defined() ? logits + b : logits;
}

// Zero-shot CLIP over a vision tower without projection: project the pooled
// image, then as above. Kept separate so heads without a projection keep
// computing exactly what they always did.
torch::Tensor ClassificationHead::projectedLogits(const torch::Tensor &features) const
{
    const torch::Tensor p = projection.to(features.device(), features.scalar_type());
    const torch::Tensor projected = torch::mm(features, p.t());
    const ClassificationHead withoutProjection = [&] {
        ClassificationHead copy = *this;
        copy.projection = torch::Tensor();
        return copy;
    }();
    return withoutProjection.logits(projected);
}

ClassificationHead ClassificationHead::to(const c10::Device &device) const
{
    ClassificationHead moved = *this;
    moved.weight = weight.to(device);
    if (bias.defined())
        moved.bias = bias.to(device);
    if (projection.defined())
        moved.projection = projection.to(device);
    return moved;
}

torch::Tensor taskBlockMask(int64_t features, int block, int blocks)
{
    if (blocks < 1 || block < 0 || block >= blocks || blocks > features)
        throw Error(
            QStringLiteral("feature block %1 of %2 does not fit %3 features").arg(block).arg(blocks).arg(features));
    const int64_t size = features / blocks;
    const int64_t first = size * block;
    const int64_t end = block == blocks - 1 ? features : first + size;
    const torch::Tensor index = torch::arange(features);
    return ((index >= first) & (index < end)).to(torch::kFloat32);
}

} // namespace wemoe
