#include "io/clip_config.h"

#include "common/error.h"
#include "io/json_file.h"

#include <limits>
#include <optional>

namespace wemoe {

namespace {

// Hugging Face's CLIPConfig default when the top level does not say.
constexpr int kClipConfigDefaultProjectionDim = 512;

// Upper bounds, far above the largest CLIP (ViT-bigG/14: width 1664, MLP 8192,
// 48 blocks, 16 heads; the widest image sizes are 336 to 448 px), so that a
// hostile or broken config cannot make us allocate for 2^31 layers or
// overflow the patch count.
struct FieldLimit
{
    const char *key;
    int limit;
};
constexpr FieldLimit kLimits[] = {
    {"hidden_size", 16384}, {"intermediate_size", 131072}, {"num_hidden_layers", 256}, {"num_attention_heads", 1024},
    {"image_size", 2048},   {"patch_size", 2048},          {"num_channels", 16},       {"projection_dim", 16384},
};
// Patches per image: attention is quadratic in them (16384: 1792 px at patch 14).
constexpr qint64 kMaxPatches = 16384;

int limitOf(const char *key)
{
    for (const FieldLimit &field : kLimits) {
        if (qstrcmp(field.key, key) == 0)
            return field.limit;
    }
    return std::numeric_limits<int>::max();
}

class ConfigReader
{
public:
    ConfigReader(const QJsonObject &object, const QString &file, const QString &where)
        : m_object(object)
        , m_file(file)
        , m_where(where)
    {
    }

    // An integer field in [1, kLimits[key]]; `fallback` empty means the field
    // is required. A config is read before any tensor is, so its sizes are
    // bounded before anything is allocated from them.
    int positiveInt(const char *key, std::optional<int> fallback) const
    {
        const QJsonValue value = m_object.value(QLatin1String(key));
        if (value.isUndefined() || value.isNull()) {
            if (!fallback)
                fail(QStringLiteral("missing \"%1\"").arg(QLatin1String(key)));
            return *fallback;
        }
        const qint64 a = value.toInteger(0);
        const int limit = limitOf(key);
        if (!value.isDouble() || a != value.toInteger(1) || a <= 0)
            fail(QStringLiteral("\"%1\" must be a positive integer").arg(QLatin1String(key)));
        if (a > limit)
            fail(QStringLiteral("\"%1\" is %2, more than the %3 any CLIP model has")
                     .arg(QLatin1String(key))
                     .arg(a)
                     .arg(limit));
        return static_cast<int>(a);
    }

    double positiveNumber(const char *key, double fallback) const
    {
        const QJsonValue value = m_object.value(QLatin1String(key));
        if (value.isUndefined() || value.isNull())
            return fallback;
        if (!value.isDouble() || !(value.toDouble() > 0.0))
            fail(QStringLiteral("\"%1\" must be a positive number").arg(QLatin1String(key)));
        return value.toDouble();
    }

    QString string(const char *key, const QString &fallback) const
    {
        const QJsonValue value = m_object.value(QLatin1String(key));
        if (value.isUndefined() || value.isNull())
            return fallback;
        if (!value.isString())
            fail(QStringLiteral("\"%1\" must be a string").arg(QLatin1String(key)));
        return value.toString();
    }

    [[noreturn]] void fail(const QString &problem) const
    {
        throw Error(m_file, m_where.isEmpty() ? problem : QStringLiteral("%1 %2").arg(m_where, problem));
    }

private:
    QJsonObject m_object;
    QString m_file;
    QString m_where;
};

} // namespace

ClipVisionConfig ClipVisionConfig::fromJson(const QJsonObject &json, const QString &file)
{
    const QJsonValue visionConfig = json.value(QLatin1String("vision_config"));
    const bool isClipConfig = !visionConfig.isUndefined()
                              || json.value(QLatin1String("model_type")).toString() == QLatin1String("clip");
    if (isClipConfig && !visionConfig.isUndefined() && !visionConfig.isObject())
        throw Error(file, QStringLiteral("\"vision_config\" must be an object"));

    ClipVisionConfig c;
    if (isClipConfig) {
        // CLIPConfig: the vision tower's fields may be omitted; Hugging Face's
        // CLIPVisionConfig defaults apply (they are this struct's defaults).
        const ConfigReader vision(visionConfig.toObject(), file, QStringLiteral("vision_config:"));
        c.hiddenSize = vision.positiveInt("hidden_size", c.hiddenSize);
        c.intermediateSize = vision.positiveInt("intermediate_size", c.intermediateSize);
        c.numHiddenLayers = vision.positiveInt("num_hidden_layers", c.numHiddenLayers);
        c.numAttentionHeads = vision.positiveInt("num_attention_heads", c.numAttentionHeads);
        c.imageSize = vision.positiveInt("image_size", c.imageSize);
        c.patchSize = vision.positiveInt("patch_size", c.patchSize);
        c.numChannels = vision.positiveInt("num_channels", c.numChannels);
        c.hiddenAct = vision.string("hidden_act", c.hiddenAct);
        c.layerNormEps = vision.positiveNumber("layer_norm_eps", c.layerNormEps);
        const ConfigReader top(json, file, QString());
        c.projectionDim = top.positiveInt("projection_dim", kClipConfigDefaultProjectionDim);
    } else {
        // CLIPVisionConfig: the shape-defining fields must be there, so that a
        // config.json of some other model is not mistaken for a default ViT-B/32.
        const QString modelType = json.value(QLatin1String("model_type")).toString();
        const QString where = modelType.isEmpty() || modelType == QLatin1String("clip_vision_model")
                                  ? QString()
                                  : QStringLiteral("model_type '%1' is not a CLIP vision model:").arg(modelType);
        const ConfigReader top(json, file, where);
        c.hiddenSize = top.positiveInt("hidden_size", std::nullopt);
        c.intermediateSize = top.positiveInt("intermediate_size", std::nullopt);
        c.numHiddenLayers = top.positiveInt("num_hidden_layers", std::nullopt);
        c.numAttentionHeads = top.positiveInt("num_attention_heads", std::nullopt);
        c.imageSize = top.positiveInt("image_size", std::nullopt);
        c.patchSize = top.positiveInt("patch_size", std::nullopt);
        c.numChannels = top.positiveInt("num_channels", c.numChannels);
        c.hiddenAct = top.string("hidden_act", c.hiddenAct);
        c.layerNormEps = top.positiveNumber("layer_norm_eps", c.layerNormEps);
        // A plain CLIPVisionModel has no projection; 0 unless the config names one.
        c.projectionDim = json.contains(QLatin1String("projection_dim")) ? top.positiveInt("projection_dim", 0) : 0;
    }

    const QString prefix = isClipConfig ? QStringLiteral("vision_config: ") : QString();
    if (c.hiddenAct != QLatin1String("quick_gelu") && c.hiddenAct != QLatin1String("gelu"))
        throw Error(file, QStringLiteral("%1hidden_act '%2' is not supported (expected quick_gelu or gelu)")
                              .arg(prefix, c.hiddenAct));
    if (c.hiddenSize % c.numAttentionHeads != 0)
        throw Error(file, QStringLiteral("%1hidden_size %2 is not a multiple of num_attention_heads %3")
                              .arg(prefix)
                              .arg(c.hiddenSize)
                              .arg(c.numAttentionHeads));
    if (c.patchSize > c.imageSize)
        throw Error(file, QStringLiteral("%1patch_size %2 is larger than image_size %3")
                              .arg(prefix)
                              .arg(c.patchSize)
                              .arg(c.imageSize));
    const qint64 side = c.imageSize / c.patchSize;
    if (side * side > kMaxPatches)
        throw Error(file,
                    QStringLiteral("%1image_size %2 at patch_size %3 makes %4 patches, more than the %5 supported")
                        .arg(prefix)
                        .arg(c.imageSize)
                        .arg(c.patchSize)
                        .arg(side * side)
                        .arg(kMaxPatches));
    if (c.layerNormEps >= 1.0)
        throw Error(file, QStringLiteral("%1layer_norm_eps %2 must be below 1").arg(prefix).arg(c.layerNormEps));
    return c;
}

ClipVisionConfig ClipVisionConfig::load(const QString &configJsonPath)
{
    return fromJson(readJsonObjectFile(configJsonPath), configJsonPath);
}

QJsonObject ClipVisionConfig::toJson() const
{
    QJsonObject json{
        {QStringLiteral("model_type"), QStringLiteral("clip_vision_model")},
        {QStringLiteral("hidden_size"), hiddenSize},
        {QStringLiteral("intermediate_size"), intermediateSize},
        {QStringLiteral("num_hidden_layers"), numHiddenLayers},
        {QStringLiteral("num_attention_heads"), numAttentionHeads},
        {QStringLiteral("image_size"), imageSize},
        {QStringLiteral("patch_size"), patchSize},
        {QStringLiteral("num_channels"), numChannels},
        {QStringLiteral("hidden_act"), hiddenAct},
        {QStringLiteral("layer_norm_eps"), layerNormEps},
    };
    if (projectionDim > 0)
        json.insert(QStringLiteral("projection_dim"), projectionDim);
    return json;
}

bool ClipVisionConfig::sameArchitecture(const ClipVisionConfig &other) const
{
    return hiddenSize == other.hiddenSize && intermediateSize == other.intermediateSize
           && numHiddenLayers == other.numHiddenLayers && numAttentionHeads == other.numAttentionHeads
           && imageSize == other.imageSize && patchSize == other.patchSize && numChannels == other.numChannels
           && hiddenAct == other.hiddenAct && layerNormEps == other.layerNormEps
           && projectionDim == other.projectionDim;
}

QString ClipVisionConfig::describe() const
{
    return QStringLiteral("ViT width %1, %2 blocks, %3 heads, MLP %4, %5 px / patch %6, %7")
        .arg(hiddenSize)
        .arg(numHiddenLayers)
        .arg(numAttentionHeads)
        .arg(intermediateSize)
        .arg(imageSize)
        .arg(patchSize)
        .arg(hiddenAct);
}

} // namespace wemoe
