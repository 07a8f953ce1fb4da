#include "text/clip_text_config.h"

#include "common/error.h"
#include "io/json_file.h"

#include <QtCore/QStringList>

#include <optional>

namespace wemoe {

namespace {

const QLatin1String kTextConfigKey("text_config");
const QLatin1String kClipModelType("clip");
const QLatin1String kTextModelType("clip_text_model");

// Upper bounds far above any CLIP text tower (the widest, ViT-bigG/14's, is
// 1280 wide with 32 blocks, 20 heads and MLP 5120), so a hostile config cannot
// make us allocate for 2^31 layers or tokens.
constexpr int kMaxWidth = 16384;
constexpr int kMaxIntermediate = 131072;
constexpr int kMaxLayers = 256;
constexpr int kMaxHeads = 1024;
constexpr int kMaxVocabulary = 4 * 1024 * 1024;
constexpr int kMaxPositions = 16384; // attention is quadratic in them

// The activations the model computes (applyActivation in model/).
const QStringList kActivations{QStringLiteral("quick_gelu"), QStringLiteral("gelu"), QStringLiteral("gelu_new"),
                               QStringLiteral("gelu_pytorch_tanh")};

// Reads one JSON object's fields; every error names the file and, inside a
// CLIPConfig, "text_config:".
class FieldReader
{
public:
    FieldReader(const QJsonObject &object, const QString &file, const QString &where)
        : m_object(object)
        , m_file(file)
        , m_where(where)
    {
    }

    // An integer in [minimum, limit], or `fallback` when absent.
    qint64 integer(const char *key, qint64 fallback, qint64 minimum, qint64 limit) const
    {
        const QJsonValue value = m_object.value(QLatin1String(key));
        if (value.isUndefined() || value.isNull())
            return fallback;
        const qint64 a = value.toInteger(0);
        if (!value.isDouble() || a != value.toInteger(1) || a < minimum)
            fail(QStringLiteral("\"%1\" must be an integer of at least %2").arg(QLatin1String(key)).arg(minimum));
        if (a > limit)
            fail(QStringLiteral("\"%1\" is %2, more than the %3 any CLIP model has")
                     .arg(QLatin1String(key))
                     .arg(a)
                     .arg(limit));
        return a;
    }

    int positiveInt(const char *key, int fallback, int limit) const
    {
        return static_cast<int>(integer(key, fallback, 1, limit));
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

bool isClipConfig(const QJsonObject &json)
{
    return json.contains(kTextConfigKey) || json.value(QLatin1String("model_type")).toString() == kClipModelType;
}

} // namespace

bool ClipTextConfig::present(const QJsonObject &configJson)
{
    return isClipConfig(configJson) || configJson.value(QLatin1String("model_type")).toString() == kTextModelType;
}

ClipTextConfig ClipTextConfig::fromJson(const QJsonObject &configJson, const QString &file)
{
    if (!present(configJson)) {
        const QString modelType = configJson.value(QLatin1String("model_type")).toString();
        throw Error(file, modelType.isEmpty()
                              ? QStringLiteral("describes no CLIP text tower (no \"text_config\", no model_type)")
                              : QStringLiteral("describes no CLIP text tower (model_type '%1')").arg(modelType));
    }
    const bool clipConfig = isClipConfig(configJson);
    const QJsonValue textConfig = configJson.value(kTextConfigKey);
    if (clipConfig && !textConfig.isUndefined() && !textConfig.isNull() && !textConfig.isObject())
        throw Error(file, QStringLiteral("\"text_config\" must be an object"));

    // In a CLIPConfig the text fields sit in "text_config" (absent ones take
    // CLIPTextConfig's defaults) and CLIPModel projects with the top level's
    // projection_dim; a CLIPTextConfig holds its own.
    const QString where = clipConfig ? QStringLiteral("text_config:") : QString();
    const FieldReader text(clipConfig ? textConfig.toObject() : configJson, file, where);
    const FieldReader projection(configJson, file, QString());

    ClipTextConfig c;
    c.vocabSize = text.positiveInt("vocab_size", c.vocabSize, kMaxVocabulary);
    c.hiddenSize = text.positiveInt("hidden_size", c.hiddenSize, kMaxWidth);
    c.intermediateSize = text.positiveInt("intermediate_size", c.intermediateSize, kMaxIntermediate);
    c.numHiddenLayers = text.positiveInt("num_hidden_layers", c.numHiddenLayers, kMaxLayers);
    c.numAttentionHeads = text.positiveInt("num_attention_heads", c.numAttentionHeads, kMaxHeads);
    c.maxPositionEmbeddings = text.positiveInt("max_position_embeddings", c.maxPositionEmbeddings, kMaxPositions);
    c.hiddenAct = text.string("hidden_act", c.hiddenAct);
    c.layerNormEps = text.positiveNumber("layer_norm_eps", c.layerNormEps);
    c.eosTokenId = text.integer("eos_token_id", c.eosTokenId, 0, kMaxVocabulary);
    c.projectionDim = projection.positiveInt("projection_dim", c.projectionDim, kMaxWidth);

    if (!kActivations.contains(c.hiddenAct))
        text.fail(QStringLiteral("hidden_act '%1' is not supported (expected %2)")
                      .arg(c.hiddenAct, kActivations.join(QLatin1String(", "))));
    if (c.hiddenSize % c.numAttentionHeads != 0)
        text.fail(QStringLiteral("hidden_size %1 is not a multiple of num_attention_heads %2")
                      .arg(c.hiddenSize)
                      .arg(c.numAttentionHeads));
    if (c.layerNormEps >= 1.0)
        text.fail(QStringLiteral("layer_norm_eps %1 must be below 1").arg(c.layerNormEps));
    // The legacy value 2 is a pooling rule, not an id; any other end token
    // must be a token a prompt can hold.
    if (!c.poolsAtLargestId() && c.eosTokenId >= c.vocabSize)
        text.fail(QStringLiteral("eos_token_id %1 is outside the vocabulary of %2 tokens")
                      .arg(c.eosTokenId)
                      .arg(c.vocabSize));
    return c;
}

ClipTextConfig ClipTextConfig::load(const QString &configJsonPath)
{
    return fromJson(readJsonObjectFile(configJsonPath), configJsonPath);
}

QString ClipTextConfig::describe() const
{
    const QString pooling = poolsAtLargestId() ? QStringLiteral("pooled at the largest id")
                                               : QStringLiteral("pooled at the first id %1").arg(eosTokenId);
    return QStringLiteral("text transformer width %1, %2 blocks, %3 heads, MLP %4, %5 tokens, vocabulary %6, "
                          "projection %7, %8, %9")
        .arg(hiddenSize)
        .arg(numHiddenLayers)
        .arg(numAttentionHeads)
        .arg(intermediateSize)
        .arg(maxPositionEmbeddings)
        .arg(vocabSize)
        .arg(projectionDim)
        .arg(hiddenAct, pooling);
}

} // namespace wemoe
