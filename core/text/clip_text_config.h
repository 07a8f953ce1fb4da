#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QString>

namespace wemoe {

// The text half of a Hugging Face CLIP config: CLIPConfig's "text_config"
// (then projection_dim comes from the top level) or a CLIPTextConfig itself.
// The defaults are Hugging Face's CLIPTextConfig defaults (openai's ViT-B/32
// text tower).
struct ClipTextConfig
{
    int vocabSize = 49408;
    int hiddenSize = 512;
    int intermediateSize = 2048;
    int numHiddenLayers = 12;
    int numAttentionHeads = 8;
    int maxPositionEmbeddings = 77; // the context: longest prompt, in tokens
    QString hiddenAct = QStringLiteral("quick_gelu");
    double layerNormEps = 1e-5;
    // Where a prompt is pooled. openai's configs say 2, which is not their end
    // token's id: Hugging Face then pools at the largest id (the end token has
    // the largest id of CLIP's vocabulary). Any other value is pooled at its
    // first occurrence. Absent means Hugging Face's default, the real end token.
    qint64 eosTokenId = kDefaultEosTokenId;
    int projectionDim = 512;

    static constexpr qint64 kLegacyEosTokenId = 2;
    static constexpr qint64 kDefaultEosTokenId = 49407;

    int headDim() const { return hiddenSize / numAttentionHeads; }
    bool poolsAtLargestId() const { return eosTokenId == kLegacyEosTokenId; }

    // Whether a config.json object describes a text tower: a CLIPConfig
    // (model_type "clip" or a "text_config") or a CLIPTextConfig
    // (model_type "clip_text_model").
    static bool present(const QJsonObject &configJson);
    // Parses a config.json object; `file` only names the source in errors.
    // Throws wemoe::Error when the object describes no text tower, for
    // missing or inconsistent fields, and for sizes beyond any CLIP model's.
    static ClipTextConfig fromJson(const QJsonObject &configJson, const QString &file);
    // Reads and parses a config.json file.
    static ClipTextConfig load(const QString &configJsonPath);

    // "text transformer width 512, 12 blocks, 8 heads, MLP 2048, 77 tokens,
    // vocabulary 49408, projection 512, quick_gelu, pooled at the largest id"
    QString describe() const;
};

} // namespace wemoe
