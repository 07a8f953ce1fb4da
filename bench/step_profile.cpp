#include "step_profile.h"

#include <torch/torch.h>

#include <algorithm>

namespace wemoe::bench {

namespace {

QString ms(double value)
{
    return QString::number(value, 'f', value < 10 ? 2 : 1);
}

QString percent(double part, double whole)
{
    return QString::number(100.0 * part / std::max(1e-9, whole), 'f', 1) + QStringLiteral(" %");
}

// The first `top` ops by `time`, then the rest summed in one row.
void printOps(const std::vector<OpTime> &ops, double OpTime::*time, double wallMs, int top, QTextStream &out)
{
    out << "| op | calls | ms | share |\n| --- | ---: | ---: | ---: |\n";
    double rest = 0;
    int others = 0;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        if (int(i) >= top) {
            rest += ops[i].*time;
            ++others;
            continue;
        }
        out << "| `" << QString::fromStdString(ops[i].name) << "` | " << ops[i].calls << " | " << ms(ops[i].*time)
            << " | " << percent(ops[i].*time, wallMs) << " |\n";
    }
    if (others > 0)
        out << "| " << others << " other ops | | " << ms(rest) << " | " << percent(rest, wallMs) << " |\n";
}

} // namespace

StepProfile profileStep(const QString &variant, AdaptationStep &step, const torch::Tensor &images,
                        const TimingOptions &timing)
{
    for (int i = 0; i < timing.warmup; ++i)
        step.run(images);
    std::vector<double> forward, entropy, backward, optimizer;
    for (int i = 0; i < std::max(1, timing.repeats); ++i) {
        step.run(images);
        const auto &p = step.lastPhases();
        forward.push_back(p.forward);
        entropy.push_back(p.entropy);
        backward.push_back(p.backward);
        optimizer.push_back(p.optimizer);
    }
    StepProfile profile;
    profile.variant = variant;
    profile.phases = {medianOf(forward), medianOf(entropy), medianOf(backward), medianOf(optimizer)};
    profile.ops = profileOps([&] { step.run(images); });
    return profile;
}

void printStepProfiles(const std::vector<StepProfile> &profiles, double denseForwardMs, long long batch,
                       QTextStream &out, int topOps)
{
    out << "\n### Where an adaptation step's time goes (batch " << batch << ")\n\n";
    out << "Median ms of each phase over the timed steps; the last rows divide the step by the dense ViT's "
           "forward of the same batch ("
        << ms(denseForwardMs) << " ms).\n\n| phase |";
    for (const auto &p : profiles)
        out << " " << p.variant << " |";
    out << "\n| --- |";
    for (std::size_t i = 0; i < profiles.size(); ++i)
        out << " ---: |";
    out << "\n";
    const auto row = [&](const char *name, double AdaptationStep::Phases::*phase) {
        out << "| " << name << " |";
        for (const auto &p : profiles)
            out << " " << ms(p.phases.*phase) << " |";
        out << "\n";
    };
    row("forward (recording the graph)", &AdaptationStep::Phases::forward);
    row("entropy (head and loss)", &AdaptationStep::Phases::entropy);
    row("backward", &AdaptationStep::Phases::backward);
    row("Adam (and zero_grad)", &AdaptationStep::Phases::optimizer);
    out << "| **step** |";
    for (const auto &p : profiles)
        out << " **" << ms(p.stepMs()) << "** |";
    out << "\n| step ÷ dense forward |";
    for (const auto &p : profiles)
        out << " " << QString::number(denseForwardMs > 0 ? p.stepMs() / denseForwardMs : 0, 'f', 2) << "× |";
    out << "\n| forward and backward ÷ dense forward |";
    for (const auto &p : profiles)
        out << " "
            << QString::number(denseForwardMs > 0 ? (p.phases.forward + p.phases.backward) / denseForwardMs : 0, 'f', 2)
            << "× |";
    out << "\n| forward ÷ dense forward |";
    for (const auto &p : profiles)
        out << " " << QString::number(denseForwardMs > 0 ? p.phases.forward / denseForwardMs : 0, 'f', 2) << "× |";
    out << "\n";

    for (const auto &p : profiles) {
        out << "\n"
            << p.variant << ", one more step (" << ms(p.ops.wallMs)
            << " ms) by the ops the model called, each with everything beneath it:\n\n";
        printOps(p.ops.outermost, &OpTime::totalMs, p.ops.wallMs, topOps, out);
        out << "\nInside them, by self time (outermost op › op):\n\n";
        printOps(p.ops.withinOutermost, &OpTime::selfMs, p.ops.wallMs, topOps, out);
        out << "\nThe same step by each op's self time (without the ops it calls):\n\n";
        printOps(p.ops.ops, &OpTime::selfMs, p.ops.wallMs, topOps, out);
        out << "| outside any op | | " << ms(p.ops.outsideOpsMs()) << " | "
            << percent(p.ops.outsideOpsMs(), p.ops.wallMs) << " |\n";
    }
}

} // namespace wemoe::bench
