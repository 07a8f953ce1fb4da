#pragma once

#include <QtCore/QVector>

#include <functional>

namespace wemoe {

// One completed optimisation step of test-time adaptation (WEMoE routers or
// AdaMerging coefficients): the objective and its per-task parts.
struct AdaptationStep
{
    int step = 0; // 1-based
    int totalSteps = 0;
    double loss = 0.0; // Σ over tasks of the mean prediction entropy
    QVector<double> taskEntropy;
    // Per task, the share of the step's batch predicted as its most frequent
    // class (topClassShare; NaN for batches under 4 images): 1 when the task
    // has collapsed onto one class.
    QVector<double> topClassShare;
};

using AdaptationStepCallback = std::function<void(const AdaptationStep &)>;

} // namespace wemoe
