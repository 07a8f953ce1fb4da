#pragma once

#include "io/checkpoint.h"
#include "io/classification_head.h"
#include "io/zero_shot_spec.h"
#include "jobs/job_context.h"

#include <c10/core/Device.h>

#include <QtCore/QByteArray>

#include <memory>

namespace wemoe {

class ClipTextModel;
class ClipTokenizer;

// CLIP's zero-shot classifier, as every reference tool builds it: each class
// name is put into every template, encoded by the text tower and projected
// (text_projection), L2-normalised, averaged over the templates and
// normalised again. The head applies exp(logit_scale) x cosine(text vector,
// visual_projection(pooled image)); it carries the CLIP model's projection
// when the vision towers it serves have none (fine-tuned CLIPVisionModels).
class ZeroShotHeadBuilder
{
public:
    // From a CLIPModel: its text tower and logit_scale (the checkpoint's
    // passthrough tensors), its visual_projection, and the tokenizer files
    // (vocab.json + merges.txt, or tokenizer.json) in its folder. Throws
    // wemoe::Error naming the model when any of them is missing or inconsistent.
    ZeroShotHeadBuilder(const Checkpoint &clip, const c10::Device &device);
    ~ZeroShotHeadBuilder();
    ZeroShotHeadBuilder(ZeroShotHeadBuilder &&) noexcept;

    // `task` names the head in warnings (prompts truncated at the context
    // length). Progress counts prompts; cancellation is polled between batches.
    ClassificationHead build(const ZeroShotHeadSpec &spec, bool withProjection, const QString &task,
                             const JobContext &context = {}) const;

    // Identifies everything a head depends on besides its spec: the text
    // tower's and projection's tensors, logit_scale and the tokenizer's files.
    QByteArray fingerprint() const;
    // The key of one head: fingerprint plus classes, prompt names, templates.
    QByteArray headKey(const ZeroShotHeadSpec &spec, bool withProjection) const;

    double logitScale() const;
    int projectionDim() const;
    int visionWidth() const; // the projection's input width

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// `templateText` with every {} replaced by the class name.
QString fillTemplate(const QString &templateText, const QString &className);

} // namespace wemoe
