#include "text/zero_shot_head.h"

#include "common/error.h"
#include "io/regular_file.h"
#include "text/clip_text_config.h"
#include "text/clip_text_model.h"
#include "text/clip_tokenizer.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>

#include <torch/torch.h>

#include <cmath>

namespace wemoe {

namespace {

const std::string kProjectionName = "visual_projection.weight";
const std::string kLogitScaleName = "logit_scale";
constexpr qint64 kMaxTokenizerFileBytes = 64LL * 1024 * 1024;

QString folderOf(const QString &path)
{
    const QFileInfo info(path);
    return info.isDir() ? info.absoluteFilePath() : info.absolutePath();
}

void addTensor(QCryptographicHash &hash, const std::string &name, const torch::Tensor &tensor)
{
    const torch::Tensor bytes = tensor.contiguous();
    hash.addData(QByteArray::fromStdString(name));
    hash.addData(QByteArray(c10::toString(tensor.scalar_type())));
    for (const int64_t size : tensor.sizes())
        hash.addData(QByteArray::number(static_cast<qlonglong>(size)) + ',');
    hash.addData(QByteArrayView(static_cast<const char *>(bytes.data_ptr()),
                                static_cast<qsizetype>(bytes.numel() * bytes.element_size())));
}

void addStrings(QCryptographicHash &hash, const char *label, const QStringList &items)
{
    hash.addData(QByteArray(label) + '=' + QByteArray::number(items.size()) + '\n');
    for (const QString &item : items)
        hash.addData(item.toUtf8() + '\0');
}

} // namespace

struct ZeroShotHeadBuilder::State
{
    QString source;
    ClipTokenizer tokenizer;
    ClipTextModel text;
    torch::Tensor visualProjection; // [projection, vision width], as stored
    double logitScale = 100.0;
    QByteArray fingerprint;
};

ZeroShotHeadBuilder::ZeroShotHeadBuilder(const Checkpoint &clip, const c10::Device &device)
{
    const QString configPath = QDir(folderOf(clip.path)).filePath(QStringLiteral("config.json"));
    if (!ClipTextModel::hasTextTower(clip.passthrough))
        throw Error(clip.path, QStringLiteral("has no text tower (text_model.*): zero-shot heads need a CLIPModel "
                                              "such as openai/clip-vit-base-patch32"));
    if (!ClipTextConfig::present(clip.configJson))
        throw Error(configPath, QStringLiteral("has no text_config: zero-shot heads need a CLIPModel's config"));
    const ClipTextConfig config = ClipTextConfig::fromJson(clip.configJson, configPath);

    // In the vision tensors, or set aside with the passthrough ones (LoadedPool).
    const torch::Tensor *projection = nullptr;
    for (const TensorMap *tensors : {&clip.vision, &clip.passthrough}) {
        const auto found = tensors->find(kProjectionName);
        if (!projection && found != tensors->end())
            projection = &found->second;
    }
    if (!projection)
        throw Error(clip.path, QStringLiteral("has no visual_projection: zero-shot heads compare the projected image "
                                              "with the projected text"));
    if (projection->dim() != 2 || projection->size(0) != config.projectionDim
        || projection->size(1) != clip.config.hiddenSize)
        throw Error(clip.path, QStringLiteral("visual_projection has shape [%1, %2], but the text projection is %3 "
                                              "wide and the vision tower %4")
                                   .arg(projection->dim() > 0 ? projection->size(0) : 0)
                                   .arg(projection->dim() > 1 ? projection->size(1) : 0)
                                   .arg(config.projectionDim)
                                   .arg(clip.config.hiddenSize));

    // CLIP stores the log of its temperature; the head multiplies by exp of it.
    double logitScale = 100.0;
    const auto scale = clip.passthrough.find(kLogitScaleName);
    if (scale != clip.passthrough.end()) {
        if (scale->second.numel() != 1 || !scale->second.is_floating_point())
            throw Error(clip.path, QStringLiteral("logit_scale is not one number"));
        logitScale = std::exp(scale->second.to(torch::kFloat64).item<double>());
        if (!std::isfinite(logitScale) || logitScale <= 0.0)
            throw Error(clip.path, QStringLiteral("exp(logit_scale) = %1 is not a positive number").arg(logitScale));
    }

    const QString folder = folderOf(clip.path);
    m_state = std::unique_ptr<State>(new State{clip.path, ClipTokenizer::load(folder),
                                               ClipTextModel(config, clip.passthrough, device, clip.path), *projection,
                                               logitScale, QByteArray()});

    QCryptographicHash hash(QCryptographicHash::Blake2b_256);
    for (const auto &[name, tensor] : clip.passthrough) {
        if (name.rfind("text_", 0) == 0 || name == kLogitScaleName)
            addTensor(hash, name, tensor);
    }
    addTensor(hash, kProjectionName, m_state->visualProjection);
    for (const char *file : {"vocab.json", "merges.txt", "tokenizer.json"}) {
        const QString path = QDir(folder).filePath(QLatin1String(file));
        if (QFileInfo(path).isFile()) {
            hash.addData(QByteArray(file));
            hash.addData(readRegularFile(path, kMaxTokenizerFileBytes));
        }
    }
    m_state->fingerprint = hash.result().toHex();
}

ZeroShotHeadBuilder::~ZeroShotHeadBuilder() = default;
ZeroShotHeadBuilder::ZeroShotHeadBuilder(ZeroShotHeadBuilder &&) noexcept = default;

ClassificationHead ZeroShotHeadBuilder::build(const ZeroShotHeadSpec &spec, bool withProjection, const QString &task,
                                              const JobContext &context) const
{
    if (spec.classNames.isEmpty() || spec.classNames.size() != spec.promptNames.size() || spec.templates.isEmpty())
        throw Error(QStringLiteral("zero-shot head of task '%1': needs classes and templates").arg(task));

    // Every class with every template, class-major, so rows [c*T, (c+1)*T) are class c.
    std::vector<std::vector<int64_t>> prompts;
    prompts.reserve(static_cast<size_t>(spec.classNames.size() * spec.templates.size()));
    for (int c = 0; c < spec.classNames.size(); ++c) {
        bool truncated = false;
        for (const QString &templateText : spec.templates) {
            ClipTokenizer::Prompt prompt = m_state->tokenizer.encodePrompt(
                fillTemplate(templateText, spec.promptNames[c]), m_state->text.config().maxPositionEmbeddings);
            truncated = truncated || prompt.truncated;
            prompts.push_back(std::move(prompt.ids));
        }
        if (truncated)
            context.warn(QStringLiteral("task '%1': a prompt for class '%2' is longer than CLIP's context and was "
                                        "truncated")
                             .arg(task, spec.classNames[c]));
    }

    // One call: the tower sorts the prompts by length, so batches pad little.
    const QString what = QStringLiteral("zero-shot head of %1").arg(task);
    JobContext encoding = context;
    encoding.onProgress = [&](qint64 done, qint64 total, const QString &) { context.progress(done, total, what); };
    const torch::Tensor encoded = m_state->text.encode(prompts, encoding).to(torch::kCPU);

    torch::NoGradGuard noGrad;
    const int64_t classes = spec.classNames.size();
    const int64_t templates = spec.templates.size();
    torch::Tensor vectors = encoded.to(torch::kFloat32);
    vectors = vectors / vectors.norm(2, {1}, true).clamp_min(1e-12);
    vectors = vectors.view({classes, templates, -1}).mean(1);
    vectors = vectors / vectors.norm(2, {1}, true).clamp_min(1e-12);

    ClassificationHead head;
    head.weight = vectors.contiguous();
    head.classNames = spec.classNames;
    head.clipStyle = true;
    head.logitScale = m_state->logitScale;
    if (withProjection)
        head.projection = m_state->visualProjection.to(torch::kCPU, torch::kFloat32).contiguous();
    return head;
}

QByteArray ZeroShotHeadBuilder::fingerprint() const
{
    return m_state->fingerprint;
}

QByteArray ZeroShotHeadBuilder::headKey(const ZeroShotHeadSpec &spec, bool withProjection) const
{
    QCryptographicHash hash(QCryptographicHash::Blake2b_256);
    hash.addData(m_state->fingerprint);
    addStrings(hash, "classes", spec.classNames);
    addStrings(hash, "prompt names", spec.promptNames);
    addStrings(hash, "templates", spec.templates);
    hash.addData(withProjection ? QByteArray("with projection") : QByteArray("without projection"));
    return hash.result().toHex();
}

double ZeroShotHeadBuilder::logitScale() const
{
    return m_state->logitScale;
}

int ZeroShotHeadBuilder::projectionDim() const
{
    return static_cast<int>(m_state->visualProjection.size(0));
}

int ZeroShotHeadBuilder::visionWidth() const
{
    return static_cast<int>(m_state->visualProjection.size(1));
}

QString fillTemplate(const QString &templateText, const QString &className)
{
    return QString(templateText).replace(QLatin1String("{}"), className);
}

} // namespace wemoe
