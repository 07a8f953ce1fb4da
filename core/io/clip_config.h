#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QString>

namespace wemoe {

// The vision half of a Hugging Face CLIP config: CLIPVisionConfig itself, or
// CLIPConfig's "vision_config" (then projection_dim comes from the top level).
struct ClipVisionConfig
{
    int hiddenSize = 768;
    int intermediateSize = 3072;
    int numHiddenLayers = 12;
    int numAttentionHeads = 12;
    int imageSize = 224;
    int patchSize = 32;
    int numChannels = 3;
    QString hiddenAct = QStringLiteral("quick_gelu"); // "quick_gelu" or "gelu"
    double layerNormEps = 1e-5;
    int projectionDim = 0; // 0: the checkpoint has no visual_projection

    // fromJson bounds image and patch sizes, so these never overflow.
    int numPatches() const { return (imageSize / patchSize) * (imageSize / patchSize); }
    int numPositions() const { return numPatches() + 1; }
    int headDim() const { return hiddenSize / numAttentionHeads; }

    // Parses a config.json object; `file` only names the source in errors.
    // Throws wemoe::Error for missing or inconsistent fields, and for sizes
    // beyond any CLIP model's (layers, widths, heads, image and patch sizes).
    static ClipVisionConfig fromJson(const QJsonObject &json, const QString &file);
    // Reads and parses a config.json file.
    static ClipVisionConfig load(const QString &configJsonPath);
    // A CLIPVisionConfig-shaped object (model_type "clip_vision_model").
    QJsonObject toJson() const;

    bool sameArchitecture(const ClipVisionConfig &other) const;
    // "ViT width 768, 12 blocks, 12 heads, MLP 3072, 224 px / patch 32, quick_gelu"
    QString describe() const;
};

} // namespace wemoe
