#pragma once

#include "random_upscaled_model.h"

#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QTextStream>

#include <cstdint>
#include <vector>

namespace wemoe::bench {

// Peak resident memory of test-time adaptation, measured honestly: every
// configuration runs in a fresh child process (this executable re-invoked with
// the hidden --memory-child option), which reads VmRSS / VmHWM from
// /proc/self/status. The peak counter is reset (/proc/self/clear_refs) after
// the model is built, so the peak is that of the adaptation steps alone.

// The configurations a child can run.
inline const char *kMemoryOursFp32 = "per-sample, fp32 τ";
inline const char *kMemoryOursBf16 = "per-sample, bf16 τ";
inline const char *kMemoryNaiveFp32 = "naive loop, fp32 τ";
// AdaMerging's layer-wise steps (adamerging_memory_step.h), T = the experts option.
inline const char *kMemoryAdaMergingJoint = "AdaMerging layer-wise, joint backward";
inline const char *kMemoryAdaMergingByTask = "AdaMerging layer-wise, task by task";
QStringList memoryVariants(bool withNaive, bool withAdaMerging = false);

struct MemoryReport
{
    QString variant;
    int64_t batch = 0;
    int64_t baselineBytes = 0;        // resident before the model was built (libraries, thread pools)
    int64_t modelBytes = 0;           // resident after building, minus the baseline
    int64_t peakBytes = 0;            // peak resident during the steps, minus the baseline
    int64_t taskVectorBytes = 0;      // held by the model's τ buffers
    int64_t taskVectorShapeBytes = 0; // computed from the shapes (cross-check)
    double stepSeconds = 0;           // median step
    int steps = 0;
    bool peakReset = true; // false: the peak includes the build (clear_refs refused)
};

// In the child: builds the model for `variant`, runs `steps` adaptation steps at
// `batch`, prints one "memory-report {json}" line on `out`. Returns the exit code.
int runMemoryChild(const QString &variant, RandomModelConfig config, int64_t batch, int steps, QTextStream &out);

// In the parent: one child per variant, each given `childArguments` (threads,
// sizes) after its own; throws wemoe::Error when a child fails.
std::vector<MemoryReport> measureMemoryInChildren(const QStringList &variants, const QStringList &childArguments);

void printMemoryMarkdown(const std::vector<MemoryReport> &reports, QTextStream &out);

} // namespace wemoe::bench
