#pragma once

#include "adaptation_step.h"
#include "bench_harness.h"
#include "op_profile.h"

#include <QtCore/QString>
#include <QtCore/QTextStream>

#include <vector>

namespace wemoe::bench {

// One adaptation step taken apart: the median of each phase over the timed
// steps, and one more step recorded op by op.
struct StepProfile
{
    QString variant;
    AdaptationStep::Phases phases; // medians, ms
    OpProfile ops;
    double stepMs() const { return phases.forward + phases.entropy + phases.backward + phases.optimizer; }
};

StepProfile profileStep(const QString &variant, AdaptationStep &step, const torch::Tensor &images,
                        const TimingOptions &timing);

// Markdown: the phases side by side (and each step against the dense
// forward of the same batch, denseForwardMs), then each variant's heaviest ops.
void printStepProfiles(const std::vector<StepProfile> &profiles, double denseForwardMs, long long batch,
                       QTextStream &out, int topOps = 14);

} // namespace wemoe::bench
