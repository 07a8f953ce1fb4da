#include "io_test_util.h"

#include "io/checkpoint.h"
#include "io/safetensors.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <torch/torch.h>

#include <cstring>
#include <fstream>
#include <sstream>

namespace wemoe::test {

ClipVisionConfig tinyConfig()
{
    ClipVisionConfig c;
    c.hiddenSize = 8;
    c.intermediateSize = 16;
    c.numHiddenLayers = 2;
    c.numAttentionHeads = 2;
    c.imageSize = 8;
    c.patchSize = 4;
    c.numChannels = 3;
    c.hiddenAct = QStringLiteral("quick_gelu");
    c.layerNormEps = 1e-5;
    c.projectionDim = 4;
    return c;
}

QJsonObject visionConfigJson(const ClipVisionConfig &config)
{
    QJsonObject json{
        {"model_type", "clip_vision_model"},
        {"architectures", QJsonArray{"CLIPVisionModel"}},
        {"hidden_size", config.hiddenSize},
        {"intermediate_size", config.intermediateSize},
        {"num_hidden_layers", config.numHiddenLayers},
        {"num_attention_heads", config.numAttentionHeads},
        {"image_size", config.imageSize},
        {"patch_size", config.patchSize},
        {"num_channels", config.numChannels},
        {"hidden_act", config.hiddenAct},
        {"layer_norm_eps", config.layerNormEps},
        {"torch_dtype", "float32"},
    };
    if (config.projectionDim > 0)
        json.insert("projection_dim", config.projectionDim);
    return json;
}

TensorMap randomVisionWeights(const ClipVisionConfig &config, quint64 seed)
{
    auto generator = at::detail::createCPUGenerator(seed);
    TensorMap weights;
    for (const auto &[name, shape] : expectedVisionShapes(config))
        weights.emplace(name, at::normal(0.0, 1.0, shape, generator).to(torch::kFloat32));
    return weights;
}

TensorMap withFileKeys(const TensorMap &vision, const std::string &prefix)
{
    TensorMap out;
    for (const auto &[name, tensor] : vision)
        out.emplace(name == "visual_projection.weight" ? name : prefix + name, tensor);
    return out;
}

void writeJson(const QString &path, const QJsonObject &json)
{
    writeBytes(path, QJsonDocument(json).toJson());
}

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        throw std::runtime_error("cannot write test file " + path.toStdString());
}

QByteArray readBytes(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

void writeModelFolder(const QString &folder, const QJsonObject &configJson, const TensorMap &fileTensors)
{
    QDir().mkpath(folder);
    writeJson(QDir(folder).filePath("config.json"), configJson);
    writeSafetensors(QDir(folder).filePath("model.safetensors"), fileTensors, {{"format", "pt"}});
}

bool bitwiseEqual(const torch::Tensor &a, const torch::Tensor &b)
{
    if (!a.defined() || !b.defined() || a.scalar_type() != b.scalar_type() || a.sizes() != b.sizes())
        return false;
    const auto x = a.contiguous();
    const auto y = b.contiguous();
    return std::memcmp(x.data_ptr(), y.data_ptr(), static_cast<size_t>(x.nbytes())) == 0;
}

QString firstDifference(const TensorMap &a, const TensorMap &b)
{
    for (const auto &[name, tensor] : a) {
        const auto other = b.find(name);
        if (other == b.end() || !bitwiseEqual(tensor, other->second))
            return QString::fromStdString(name);
    }
    for (const auto &entry : b) {
        if (a.count(entry.first) == 0)
            return QString::fromStdString(entry.first);
    }
    return {};
}

QString mappedFileOf(const void *pointer)
{
    const auto address = reinterpret_cast<unsigned long long>(pointer);
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        std::istringstream fields(line);
        std::string range, perms, offset, device, inode, path;
        fields >> range >> perms >> offset >> device >> inode;
        std::getline(fields >> std::ws, path);
        const auto dash = range.find('-');
        const unsigned long long begin = std::stoull(range.substr(0, dash), nullptr, 16);
        const unsigned long long end = std::stoull(range.substr(dash + 1), nullptr, 16);
        if (address >= begin && address < end)
            return QString::fromStdString(path);
    }
    return {};
}

} // namespace wemoe::test
